import { canonicalCity, canonicalProvince } from '../../../server/divisions/divisions';

/** The query parameters of /auctions (the fields of SearchSchema in server/auctions/schemas.ts). */
export const SEARCH_KEYS = [
  'q',
  'type',
  'province',
  'city',
  'court',
  'minPrice',
  'maxPrice',
  'status',
  'district',
  'round',
  'from',
  'to',
  'restricted',
  'sort',
  'page',
  'after',
  'before',
] as const;
export type SearchKey = (typeof SEARCH_KEYS)[number];
export type SearchQuery = Partial<Record<SearchKey, string>>;

/**
 * The filters as typed, for the service and for refilling the form: known keys only, the first
 * value of a repeated key, empty fields (a GET form sends every field) left out, and a province or
 * city named the everyday way completed to its name on the divisions list.
 */
export function searchQuery(params: URLSearchParams): SearchQuery {
  const out: SearchQuery = {};
  for (const key of SEARCH_KEYS) {
    const value = params.get(key)?.trim();
    if (value) out[key] = value;
  }
  // Places by the divisions code list: "青海" searches 青海省, "西宁" 西宁市 (an unknown name stays
  // as typed, and finds what it finds).
  if (out.province) out.province = canonicalProvince(out.province) ?? out.province;
  if (out.city) out.city = canonicalCity(out.city, out.province) ?? out.city;
  return out;
}

/** A link to another page of the same search: every filter kept, page 1 left implicit. */
export function pageHref(query: SearchQuery, page: number, path = '/auctions'): string {
  return searchHref({ ...query, page: page > 1 ? String(page) : undefined }, path);
}

/** The search with some fields changed (undefined removes one); empty fields are left out. */
export function searchHref(query: SearchQuery, path = '/auctions'): string {
  const params = new URLSearchParams();
  for (const key of SEARCH_KEYS) {
    const value = query[key];
    if (value && !(key === 'page' && value === '1')) params.set(key, value);
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The same search narrowed or widened by a filter: back on its first page (no page, no cursor). */
export const refineHref = (query: SearchQuery, changes: SearchQuery) =>
  searchHref({ ...query, page: undefined, after: undefined, before: undefined, ...changes });

/**
 * A field error as an i18n key: the schemas' own keys (`validation.*`, `rules.*`) pass; zod's
 * built-in English messages (an unknown enum value, a page that is not a number) become `fallback`.
 */
export function errorKey(message: string, fallback: string): string {
  return /^(validation|rules|errors)\.[\w.]+$/.test(message) ? message : fallback;
}
