/**
 * The public search (ADR 020): Chinese keywords over the title, the place, the court's name and
 * the asset's description and address (a bigram tsvector with GIN), title matches first; filters;
 * facet counts for the current query; keyset pages that neither repeat nor skip a listing while
 * listings are published between two page loads. Only published announcements (art. 12).
 */
import { and, eq, gte, lt, lte, notInArray, type SQL, sql } from 'drizzle-orm';
import { follows, listings, registrations } from '../../db/schema/auctions.js';
import { assetFiles } from '../../db/schema/cases.js';
import { organisations } from '../../db/schema/identity.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import type { ListingDeps } from './deps.js';
import { publicStatus } from './rules.js';
import { SearchSchema } from './schemas.js';
import { type SearchTerms, searchTerms } from './search-terms.js';

export type SearchFilters = ReturnType<typeof SearchSchema.parse>;
type Sort = NonNullable<SearchFilters['sort']>;

// ---- what a result card shows ----

/**
 * The columns of a result card (search, the home page's sections), selected from `listings`
 * joined with its court. A list of many auctions reads the standing columns (ADR 013): the
 * current price and the bid count are the engine's, written with the log's entries. The counts
 * and the first photo are one indexed sub-select each.
 */
export const cardColumns = {
  id: listings.id,
  title: listings.title,
  assetType: listings.assetType,
  province: listings.province,
  city: listings.city,
  district: listings.district,
  status: listings.status,
  outcome: listings.outcome,
  kind: listings.kind,
  round: listings.round,
  startingPriceFen: listings.startingPriceFen,
  appraisalFen: listings.appraisalFen,
  depositFen: listings.depositFen,
  startsAt: listings.startsAt,
  currentEndAt: listings.currentEndAt,
  currentPriceFen: listings.currentPriceFen,
  bidCount: listings.bidCount,
  extensionCount: listings.extensionCount,
  /** The log position the price is at: the home page applies live entries after it. */
  lastSeq: listings.lastSeq,
  purchaseRestricted: listings.purchaseRestricted,
  /** Null: not stated by the clerk (ADR 029). */
  loanSupported: listings.loanSupported,
  /** Bidders whose deposit is held, as the live page counts them. */
  registered: sql<number>`(select count(*)::int from ${registrations}
    where ${registrations.listingId} = ${listings.id} and ${registrations.status} = 'active')`,
  followers: sql<number>`(select count(*)::int from ${follows} where ${follows.listingId} = ${listings.id})`,
  /** The asset's first photo (the oldest upload), null when it has none. */
  photoId: sql<string | null>`(select ${assetFiles.id} from ${assetFiles}
    where ${assetFiles.assetId} = ${listings.assetId} and ${assetFiles.kind} = 'photo'
    order by ${assetFiles.createdAt}, ${assetFiles.id} limit 1)`,
  courtNameZh: organisations.nameZh,
  courtNameEn: organisations.nameEn,
  courtCode: organisations.code,
};

// ---- sort keys and keyset cursors ----

type KeyType = 'int' | 'timestamptz' | 'bigint' | 'uuid';
interface Key {
  expr: SQL;
  desc?: boolean;
  type: KeyType;
}

/** The far-future stand-in for "no time" in the soonest order (as in listings_soonest_idx). */
const NEVER = '9999-12-31 00:00:00+00';
const statusRank = sql`(case ${listings.status} when 'live' then 0 when 'announced' then 1 when 'suspended' then 2 else 3 end)`;
const soonestTime = sql`(case when ${listings.status} = 'live' then ${listings.currentEndAt} when ${listings.status} in ('announced', 'suspended') then ${listings.startsAt} else ${NEVER}::timestamptz end)`;
const SOONEST: Key[] = [
  { expr: statusRank, type: 'int' },
  { expr: soonestTime, type: 'timestamptz' },
  { expr: sql`${listings.currentEndAt}`, desc: true, type: 'timestamptz' },
];

function sortKeys(sort: Sort, terms: SearchTerms | null): Key[] {
  const id: Key = { expr: sql`${listings.id}`, type: 'uuid' };
  const keys: Record<Exclude<Sort, 'relevance'>, Key[]> = {
    soonest: SOONEST,
    starts_asc: [{ expr: sql`${listings.startsAt}`, type: 'timestamptz' }],
    starts_desc: [{ expr: sql`${listings.startsAt}`, desc: true, type: 'timestamptz' }],
    price_asc: [{ expr: sql`${listings.startingPriceFen}`, type: 'bigint' }],
    price_desc: [{ expr: sql`${listings.startingPriceFen}`, desc: true, type: 'bigint' }],
    ends_asc: [{ expr: sql`${listings.currentEndAt}`, type: 'timestamptz' }],
  };
  if (sort !== 'relevance') return [...keys[sort], id];
  // Relevance: listings whose title holds every word first, then the soonest order.
  const tier: Key[] = terms
    ? [
        {
          expr: sql`(case when ${listings.searchDoc} @@ to_tsquery('simple', ${terms.title}) then 0 else 1 end)`,
          type: 'int',
        },
      ]
    : [];
  return [...tier, ...SOONEST, id];
}

type KeyValue = number | string;

/** A cursor: the sort keys of the row it names, as base64url JSON. */
const encodeCursor = (values: KeyValue[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

function decodeCursor(field: 'after' | 'before', cursor: string, keys: Key[]): KeyValue[] {
  const bad = () => validationError({ [field]: ['search.invalidValue'] });
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(values) || values.length !== keys.length) throw bad();
  return values.map((v, i) => {
    const type = keys[i]!.type;
    const ok =
      (type === 'int' && Number.isSafeInteger(v)) ||
      (type === 'bigint' && typeof v === 'string' && /^-?\d{1,19}$/.test(v)) ||
      (type === 'uuid' && typeof v === 'string' && isUuid(v)) ||
      (type === 'timestamptz' && typeof v === 'string' && !Number.isNaN(Date.parse(v)));
    if (!ok) throw bad();
    return v as KeyValue;
  });
}

const cast = (v: KeyValue, type: KeyType) =>
  type === 'int'
    ? sql`${v}::int`
    : type === 'bigint'
      ? sql`${v}::bigint`
      : type === 'uuid'
        ? sql`${v}::uuid`
        : sql`${v}::timestamptz`;

/**
 * Rows strictly after (or before) the cursor in the keys' order:
 * k1 > v1 or (k1 = v1 and k2 > v2) or … (> becomes < for a descending key, and both flip for
 * `before`). The last key is the id, so the order is total and a page boundary is exact.
 */
function beyond(keys: Key[], values: KeyValue[], backwards: boolean): SQL {
  const ors: SQL[] = keys.map((k, i) => {
    const forward = !k.desc !== backwards;
    const eqs = keys.slice(0, i).map((p, j) => sql`${p.expr} = ${cast(values[j]!, p.type)}`);
    const cmp = forward
      ? sql`${k.expr} > ${cast(values[i]!, k.type)}`
      : sql`${k.expr} < ${cast(values[i]!, k.type)}`;
    return sql.join([...eqs, cmp], sql` and `);
  });
  return sql`(${sql.join(
    ors.map((o) => sql`(${o})`),
    sql` or `,
  )})`;
}

const keyValue = (v: unknown, type: KeyType): KeyValue =>
  type === 'int' ? Number(v) : v instanceof Date ? v.toISOString() : String(v);

// ---- filters ----

type Dimension = 'type' | 'status' | 'region' | 'court';

/** The level the region facet counts at: the one below the deepest place filtered. */
export type RegionLevel = 'province' | 'city' | 'district';
const regionLevel = (f: SearchFilters): RegionLevel =>
  !f.province ? 'province' : !f.city ? 'city' : 'district';
const regionColumn = { province: listings.province, city: listings.city, district: listings.district };

/** Beijing midnight of a YYYY-MM-DD day, plus `days`. */
const beijingDay = (day: string, days = 0) =>
  new Date(new Date(`${day}T00:00:00+08:00`).getTime() + days * 86_400_000);

/** The search's conditions; `except` leaves one facet dimension's own filter out (its counts). */
function conditions(deps: ListingDeps, f: SearchFilters, terms: SearchTerms | null, except?: Dimension) {
  const conds: (SQL | undefined)[] = [
    notInArray(listings.status, ['draft', 'pending_approval']),
    lte(listings.announceAt, deps.clock()),
  ];
  if (terms) conds.push(sql`${listings.searchDoc} @@ to_tsquery('simple', ${terms.any})`);
  if (f.type && except !== 'type') conds.push(eq(listings.assetType, f.type));
  if (f.province) conds.push(eq(listings.province, f.province));
  if (f.city) conds.push(eq(listings.city, f.city));
  if (f.district && !(except === 'region' && regionLevel(f) === 'district'))
    conds.push(eq(listings.district, f.district));
  if (f.court && except !== 'court')
    conds.push(sql`${listings.courtId} = (select id from ${organisations} where code = ${f.court})`);
  if (f.minPrice !== undefined) conds.push(gte(listings.startingPriceFen, f.minPrice));
  if (f.maxPrice !== undefined) conds.push(lte(listings.startingPriceFen, f.maxPrice));
  if (f.round === 3) conds.push(eq(listings.kind, 'fixed_price_sale'));
  else if (f.round) conds.push(and(eq(listings.kind, 'auction'), eq(listings.round, f.round)));
  if (f.from) conds.push(gte(listings.startsAt, beijingDay(f.from)));
  if (f.to) conds.push(lt(listings.startsAt, beijingDay(f.to, 1)));
  if (f.restricted) conds.push(eq(listings.purchaseRestricted, f.restricted === 'yes'));
  if (f.status && except !== 'status') conds.push(STATUS[f.status]);
  return and(...conds)!;
}

const STATUS = {
  upcoming: sql`${listings.status} = 'announced'`,
  live: sql`${listings.status} = 'live'`,
  ended: sql`${listings.status} = 'ended'`,
  sold: sql`(${listings.status} = 'ended' and ${listings.outcome} = 'sold')`,
  failed: sql`(${listings.status} = 'ended' and ${listings.outcome} = 'failed')`,
} as const;
export type StatusFacet = keyof typeof STATUS;

// ---- the use case ----

export async function search(
  deps: ListingDeps,
  input: unknown,
  pageSize = 20,
  opts: { facets?: boolean; count?: boolean } = {},
) {
  const f = parseInput(SearchSchema, input);
  const terms = searchTerms(f.q);
  const sort: Sort = f.sort ?? (terms ? 'relevance' : 'soonest');
  const keys = sortKeys(sort, terms);
  const cursor = f.after ?? f.before;
  const backwards = !!f.before;
  const values = cursor ? decodeCursor(f.after ? 'after' : 'before', cursor, keys) : null;
  const where = conditions(deps, f, terms);

  // The page shows the facets; their query counts the total too.
  // A caller that only walks the pages (count: false) skips the count.
  const counting = opts.facets
    ? facetsOf(deps, f, terms)
    : opts.count === false
      ? Promise.resolve({ total: null, facets: null })
      : deps.db.$count(listings, where).then((total) => ({ total, facets: null }));
  const rowsQuery = deps.db
    .select({
      ...cardColumns,
      keys: sql<unknown[]>`json_build_array(${sql.join(
        keys.map((k) => k.expr),
        sql`, `,
      )})`,
    })
    .from(listings)
    .innerJoin(organisations, eq(organisations.id, listings.courtId))
    .where(values ? and(where, beyond(keys, values, backwards)) : where)
    .orderBy(...keys.map((k) => (!k.desc !== backwards ? sql`${k.expr} asc` : sql`${k.expr} desc`)))
    .limit(pageSize + 1)
    .offset(values ? 0 : (f.page - 1) * pageSize);
  const [rows, counted] = await Promise.all([rowsQuery, counting]);

  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (backwards) page.reverse();
  const cursorOf = (r: (typeof rows)[number] | undefined) =>
    r && encodeCursor(r.keys.map((v, i) => keyValue(v, keys[i]!.type)));
  const hasPrevious = backwards ? more : !!values || f.page > 1;
  const hasNext = backwards ? true : more;
  return {
    filters: { ...f, sort },
    rows: page.map(({ keys: _k, ...r }) => ({ ...r, publicStatus: publicStatus(r.status, r.outcome) })),
    /** -1 when the caller asked for no count. */
    total: counted.total ?? -1,
    facets: counted.facets,
    page: f.page,
    pageSize,
    /** Cursors of the pages around this one (`after=` / `before=`), null at either end. */
    next: hasNext && page.length > 0 ? cursorOf(page.at(-1))! : null,
    previous: hasPrevious && page.length > 0 ? cursorOf(page[0])! : null,
  };
}

/**
 * The number of listings the search finds, and its facets: for each dimension (type, status,
 * region one level down, court) how many it finds with that dimension's value instead of the
 * one filtered (the other filters and the keywords kept), so each count is the total that
 * choosing the value gives.
 */
export async function facetsOf(deps: ListingDeps, f: SearchFilters, terms: SearchTerms | null) {
  const level = regionLevel(f);
  const region = regionColumn[level];
  const statusCounts = sql.join(
    (Object.keys(STATUS) as StatusFacet[]).map(
      (s) => sql`count(*) filter (where ${STATUS[s]})::int as ${sql.identifier(s)}`,
    ),
    sql`, `,
  );
  const counted = (except: Dimension | undefined, by: SQL | null) =>
    deps.db.execute<{ value: string | null; n: number } & Record<StatusFacet, number>>(sql`
      select ${by ?? sql`null`}::text as value, count(*)::int as n, ${statusCounts}
      from ${listings} where ${conditions(deps, f, terms, except)}
      ${by ? sql`group by 1 order by 2 desc, 1 limit 50` : sql``}`);
  const filtered = (d: Dimension) =>
    d === 'type'
      ? !!f.type
      : d === 'status'
        ? !!f.status
        : d === 'court'
          ? !!f.court
          : level === 'district' && !!f.district;
  // One pass over the matches counts the total and every dimension not filtered (GROUPING SETS;
  // bit 2/1/0 of g set = type/region/court not grouped); a filtered one needs its own pass.
  type Grouped = { g: number; t: string | null; r: string | null; c: string | null; n: number } & Record<
    StatusFacet,
    number
  >;
  const [grouped, ownType, status, ownRegion, ownCourt] = await Promise.all([
    deps.db.execute<Grouped>(sql`
      select grouping(${listings.assetType}, ${region}, ${listings.courtId})::int as g,
        ${listings.assetType}::text as t, ${region}::text as r, ${listings.courtId}::text as c,
        count(*)::int as n, ${statusCounts}
      from ${listings} where ${conditions(deps, f, terms)}
      group by grouping sets ((), (${listings.assetType}), (${region}), (${listings.courtId}))`),
    filtered('type') ? counted('type', sql`${listings.assetType}`) : null,
    filtered('status') ? counted('status', null) : null,
    filtered('region') ? counted('region', sql`${region}`) : null,
    filtered('court') ? counted('court', sql`${listings.courtId}`) : null,
  ]);
  const top = (rows: { value: string | null; n: number }[]) =>
    rows
      .filter((r) => r.value !== null)
      .sort((a, b) => b.n - a.n || (a.value! < b.value! ? -1 : 1))
      .slice(0, 50);
  const setOf = (g: number, key: 't' | 'r' | 'c') =>
    top(grouped.filter((x) => x.g === g).map((x) => ({ value: x[key], n: x.n })));
  const total = grouped.filter((x) => x.g === 7);
  const types = ownType ?? setOf(3, 't');
  const regions = ownRegion ?? setOf(5, 'r');
  const courts = ownCourt ?? setOf(6, 'c');
  const statusRow = (status ?? total)[0]!;
  const courtIds = courts.map((c) => c.value).filter((v): v is string => !!v);
  const names = courtIds.length
    ? await deps.db
        .select({
          id: organisations.id,
          code: organisations.code,
          nameZh: organisations.nameZh,
          nameEn: organisations.nameEn,
        })
        .from(organisations)
        .where(
          sql`${organisations.id} in (${sql.join(
            courtIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
        )
    : [];
  const byId = new Map(names.map((n) => [n.id, n]));
  const facets = {
    type: types.map((t) => ({ value: t.value!, count: t.n })),
    status: (Object.keys(STATUS) as StatusFacet[]).map((s) => ({ value: s, count: statusRow[s] })),
    region: {
      level,
      values: regions.filter((r) => r.value).map((r) => ({ value: r.value!, count: r.n })),
    },
    court: courts.flatMap((c) => {
      const o = byId.get(c.value!);
      return o ? [{ value: o.code, nameZh: o.nameZh, nameEn: o.nameEn, count: c.n }] : [];
    }),
  };
  return { total: total[0]?.n ?? 0, facets };
}
