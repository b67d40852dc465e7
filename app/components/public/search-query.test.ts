import { describe, expect, it } from 'vitest';
import { errorKey, pageHref, searchQuery } from './search-query';

describe('search query', () => {
  it('drops empty fields and unknown keys, keeps the first of repeated ones', () => {
    const params = new URLSearchParams(
      'q=+房产+&type=&province=青海省&minPrice=&court=青0104&court=青01&utm=x&sort=price_asc',
    );
    expect(searchQuery(params)).toEqual({
      q: '房产',
      province: '青海省',
      court: '青0104',
      sort: 'price_asc',
    });
  });

  it('keeps every filter in page links and leaves page 1 implicit', () => {
    const query = {
      q: '房产 西宁',
      court: '青0104',
      minPrice: '1000',
      status: 'upcoming',
      page: '3',
    } as const;
    const href = pageHref(query, 4);
    expect(href.startsWith('/auctions?')).toBe(true);
    const back = new URLSearchParams(href.split('?')[1]);
    expect(Object.fromEntries(back)).toEqual({ ...query, page: '4' });
    expect(pageHref(query, 1)).not.toContain('page=');
    expect(pageHref({}, 1)).toBe('/auctions');
    expect(pageHref({ page: '2' }, 1, '/courts/x')).toBe('/courts/x');
  });

  it('turns zod built-in messages into a catalog key', () => {
    expect(errorKey('validation.amount', 'search.invalidValue')).toBe('validation.amount');
    expect(errorKey('Invalid option: expected one of "a"|"b"', 'search.invalidValue')).toBe(
      'search.invalidValue',
    );
  });
});

describe('searchQuery: places by the divisions list', () => {
  it('青海 searches 青海省 and 西宁 searches 西宁市; an unknown place stays as typed', () => {
    expect(searchQuery(new URLSearchParams('province=青海&city=西宁'))).toEqual({
      province: '青海省',
      city: '西宁市',
    });
    expect(searchQuery(new URLSearchParams('province=青海省'))).toEqual({ province: '青海省' });
    expect(searchQuery(new URLSearchParams('province=火星'))).toEqual({ province: '火星' });
  });
});
