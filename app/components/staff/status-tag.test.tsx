import { describe, expect, it } from 'vitest';
import { renderInRoute } from '../../../tests/support/render';
import { StatusTag } from './status-tag';

describe('StatusTag', () => {
  it('names a status from its catalog, in the page language, coloured by its value', async () => {
    expect(await renderInRoute(<StatusTag catalog="aidStatus" value="submitted" />)).toBe(
      '<span class="tag status tag-submitted">已提交</span>',
    );
    expect(await renderInRoute(<StatusTag catalog="aidStatus" value="submitted" />, { locale: 'en' })).toBe(
      '<span class="tag status tag-submitted">Submitted</span>',
    );
    expect(await renderInRoute(<StatusTag catalog="courtMoney.depositStatus" value="held" />)).toBe(
      '<span class="tag status tag-held">已冻结</span>',
    );
  });
});
