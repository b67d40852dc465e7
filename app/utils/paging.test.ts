import { describe, expect, it } from 'vitest';
import { keysetLinks } from './paging';

describe('keysetLinks', () => {
  it('keeps the filters, moves the cursor, and links back to the first page only off it', () => {
    const url = new URL('http://x.test/admin/audit?action=login&before=40');
    expect(keysetLinks(url, '20', 40)).toEqual({
      nextHref: '/admin/audit?action=login&before=20',
      firstHref: '/admin/audit?action=login',
    });
    const first = new URL('http://x.test/court/deposits?status=held');
    expect(keysetLinks(first, null, undefined)).toEqual({ nextHref: null, firstHref: null });
  });
});
