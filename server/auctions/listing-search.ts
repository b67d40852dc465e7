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

/** The listing's document holds every word. */
const anyMatch = (terms: SearchTerms) => sql`${listings.searchDoc} @@ to_tsquery('simple', ${terms.any})`;
/** The listing's title holds every word (weight A of the document). */
const titleMatch = (terms: SearchTerms) => sql`${listings.searchDoc} @@ to_tsquery('simple', ${terms.title})`;

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
    ? [{ expr: sql`(case when ${titleMatch(terms)} then 0 else 1 end)`, type: 'int' }]
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
  if (terms) conds.push(anyMatch(terms));
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
  // The status's rank too (the soonest order's first key), so a walk of listings_soonest_idx
  // starts at the status's rows instead of reading past every live listing first.
  if (f.status && except !== 'status')
    conds.push(STATUS[f.status], sql`${statusRank} = ${STATUS_RANK[f.status]}`);
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
const STATUS_RANK: Record<StatusFacet, number> = { live: 0, upcoming: 1, ended: 3, sold: 3, failed: 3 };

// ---- the use case ----

/**
 * Counts stop here: above it the page says "more than 1,000", as the large platforms do, so a
 * word in a third of a million listings costs a count of 1,001 rows, not of all of them.
 */
export const COUNT_CAP = 1_000;
/**
 * A count first reads this many listings of the table as they lie (cap × 20): a word in more
 * than one listing in twenty finds more than the cap there, and is "more than" without its
 * matches being collected from the index. Only a rarer one is counted through the index.
 */
const probeSize = (cap: number) => cap * 20;
/** How many listings of the order a keyword page looks among, in turn (matchedRows). */
const WALKS = [1_000, 50_000];

const orderBy = (order: Key[], backwards: boolean) =>
  sql.join(
    order.map((k) => (!k.desc !== backwards ? sql`${k.expr} asc` : sql`${k.expr} desc`)),
    sql`, `,
  );

export async function search(
  deps: ListingDeps,
  input: unknown,
  pageSize = 20,
  opts: { facets?: boolean; count?: boolean; countCap?: number } = {},
) {
  const f = parseInput(SearchSchema, input);
  const terms = searchTerms(f.q);
  const sort: Sort = f.sort ?? (terms ? 'relevance' : 'soonest');
  const keys = sortKeys(sort, terms);
  const cursor = f.after ?? f.before;
  const backwards = !!f.before;
  const values = cursor ? decodeCursor(f.after ? 'after' : 'before', cursor, keys) : null;
  const where = conditions(deps, f, terms);
  const cap = opts.countCap ?? COUNT_CAP;

  // The page shows the facets; their query counts the total too.
  // A caller that only walks the pages (count: false) skips the count.
  const counting = opts.facets
    ? facetsOf(deps, f, terms, cap)
    : opts.count === false
      ? Promise.resolve({ total: null as number | null, totalCapped: false, facets: null })
      : probed(
          (from) =>
            deps.db.execute<{ n: number }>(
              sql`select count(*)::int as n from (select from ${from} where ${where} limit ${cap + 1}) m`,
            ),
          (rows) => rows[0]!.n,
          cap,
        ).then(([r]) => ({ total: Math.min(r!.n, cap), totalCapped: r!.n > cap, facets: null }));
  const rowsOf = (cond: SQL, order: Key[], limit: number, offset: number) =>
    deps.db
      .select({
        ...cardColumns,
        keys: sql<unknown[]>`json_build_array(${sql.join(
          keys.map((k) => k.expr),
          sql`, `,
        )})`,
      })
      .from(listings)
      .innerJoin(organisations, eq(organisations.id, listings.courtId))
      .where(cond)
      .orderBy(orderBy(order, backwards))
      .limit(limit)
      .offset(offset);
  /**
   * A page with keywords. How many listings a word is in, and a phrase's bigrams side by side,
   * is beyond the planner's statistics. When the count found at most the cap, the matches are
   * few: they are collected (GIN) and sorted. Otherwise the page is looked for among the first
   * WALKS[0], then WALKS[1] listings of the order that pass the other filters
   * (listings_soonest_idx or the sort's btree, walked): when they hold a full page, it is exactly
   * the first page of all matches; only when neither does are the matches collected and sorted.
   */
  const matchedRows = async (base: SQL, match: SQL, order: Key[], limit: number) => {
    const { total, totalCapped } = await counting;
    const few = total !== null && !totalCapped;
    for (const walk of few ? [] : WALKS) {
      const first = sql`${listings.id} = any(array(select ${listings.id} from ${listings} where ${base}
        order by ${orderBy(order, backwards)} limit ${walk}))`;
      const walked = await rowsOf(and(first, match)!, order, limit, 0);
      if (walked.length === limit) return walked;
    }
    return rowsOf(and(base, match)!, order, limit, 0);
  };
  const base = conditions(deps, f, null);
  const [rows, counted] = await Promise.all([
    !terms || (!values && f.page > 1)
      ? rowsOf(
          values ? and(where, beyond(keys, values, backwards))! : where,
          keys,
          pageSize + 1,
          values ? 0 : (f.page - 1) * pageSize,
        )
      : sort === 'relevance'
        ? tieredRows(base, keys, values, backwards, pageSize + 1, terms, matchedRows)
        : matchedRows(
            values ? and(base, beyond(keys, values, backwards))! : base,
            anyMatch(terms),
            keys,
            pageSize + 1,
          ),
    counting,
  ]);

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
    /** -1 when the caller asked for no count; the cap when more than the cap match. */
    total: counted.total ?? -1,
    /** More than `total` listings match (the count stopped at the cap). */
    totalCapped: counted.totalCapped,
    facets: counted.facets,
    page: f.page,
    pageSize,
    /** Cursors of the pages around this one (`after=` / `before=`), null at either end. */
    next: hasNext && page.length > 0 ? cursorOf(page.at(-1))! : null,
    previous: hasPrevious && page.length > 0 ? cursorOf(page[0])! : null,
  };
}

/**
 * A capped count's rows: first over the table's first probeSize(cap) listings as they lie; when
 * that already finds more than the cap, that is the answer, else the count runs over the table.
 * `from` is the listings to read, under the table's own name.
 */
async function probed<T>(run: (from: SQL) => Promise<T[]>, total: (rows: T[]) => number, cap: number) {
  const sample = await run(sql`(select * from ${listings} limit ${probeSize(cap)}) as ${listings}`);
  return total(sample) > cap ? sample : run(sql`${listings}`);
}

/**
 * The relevance order's page, one tier at a time: the listings whose title holds the words,
 * then the others, each tier in the soonest order. Within a tier the order is that of
 * listings_soonest_idx, so for a word in a third of the listings (车) the first page comes from
 * walking that index and testing each listing, not from collecting every match and sorting;
 * the second tier is read only when the first does not fill the page.
 */
async function tieredRows<R>(
  base: SQL,
  keys: Key[],
  values: KeyValue[] | null,
  backwards: boolean,
  limit: number,
  terms: SearchTerms,
  matchedRows: (base: SQL, match: SQL, order: Key[], limit: number) => Promise<R[]>,
): Promise<R[]> {
  const [, ...rest] = keys;
  const tiers = backwards ? [1, 0] : [0, 1];
  const from = values ? (values[0] as number) : tiers[0]!;
  const rows: R[] = [];
  for (const tier of tiers) {
    if (backwards ? tier > from : tier < from) continue;
    const match = tier === 0 ? titleMatch(terms) : sql`${anyMatch(terms)} and not ${titleMatch(terms)}`;
    const after = values && tier === from ? beyond(rest, values.slice(1), backwards) : undefined;
    rows.push(...(await matchedRows(and(base, after)!, match, rest, limit - rows.length)));
    if (rows.length >= limit) break;
  }
  return rows;
}

/**
 * The number of listings the search finds, and its facets: for each dimension (type, status,
 * region one level down, court) how many it finds with that dimension's value instead of the
 * one filtered (the other filters and the keywords kept), so each count is the total that
 * choosing the value gives. Each pass reads at most `cap` + 1 matches: when a pass finds more,
 * its values are those of the matches it read and their counts are null (the page shows the
 * value without a number) and, for the main pass, the total is the cap with `totalCapped`.
 */
export async function facetsOf(
  deps: ListingDeps,
  f: SearchFilters,
  terms: SearchTerms | null,
  cap: number = COUNT_CAP,
) {
  const level = regionLevel(f);
  const region = regionColumn[level];
  const statusCounts = sql.join(
    (Object.keys(STATUS) as StatusFacet[]).map(
      (s) => sql`count(*) filter (where ${STATUS[s]})::int as ${sql.identifier(s)}`,
    ),
    sql`, `,
  );
  // The matches a pass reads, under the table's own name so that the columns (and STATUS) read
  // the same inside and out.
  const matches = (except: Dimension | undefined, from: SQL) => sql`(
    select ${listings.assetType}, ${region}, ${listings.courtId}, ${listings.status}, ${listings.outcome}
    from ${from} where ${conditions(deps, f, terms, except)} limit ${cap + 1}) as ${listings}`;
  type Counted = { value: string | null; n: number; all: number } & Record<StatusFacet, number>;
  const counted = (except: Dimension, by: SQL | null) =>
    probed(
      (from) =>
        deps.db.execute<Counted>(sql`
          select ${by ?? sql`null`}::text as value, count(*)::int as n, (sum(count(*)) over ())::int as all,
            ${statusCounts}
          from ${matches(except, from)}
          ${by ? sql`group by 1 order by 2 desc, 1 limit 50` : sql``}`),
      (rows) => rows[0]?.all ?? 0,
      cap,
    );
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
    probed(
      (from) =>
        deps.db.execute<Grouped>(sql`
          select grouping(${listings.assetType}, ${region}, ${listings.courtId})::int as g,
            ${listings.assetType}::text as t, ${region}::text as r, ${listings.courtId}::text as c,
            count(*)::int as n, ${statusCounts}
          from ${matches(undefined, from)}
          group by grouping sets ((), (${listings.assetType}), (${region}), (${listings.courtId}))`),
      (rows) => rows.find((x) => x.g === 7)?.n ?? 0,
      cap,
    ),
    filtered('type') ? counted('type', sql`${listings.assetType}`) : null,
    filtered('status') ? counted('status', null) : null,
    filtered('region') ? counted('region', sql`${region}`) : null,
    filtered('court') ? counted('court', sql`${listings.courtId}`) : null,
  ]);
  const matched = grouped.find((x) => x.g === 7)?.n ?? 0;
  /** A pass that read more than the cap counts only what it read: no count is shown. */
  const exact = <R extends { n: number }>(rows: R[], all: number) =>
    rows.map((r) => ({ ...r, n: (all > cap ? null : r.n) as number | null }));
  const top = (rows: { value: string | null; n: number }[]) =>
    rows
      .filter((r) => r.value !== null)
      .sort((a, b) => b.n - a.n || (a.value! < b.value! ? -1 : 1))
      .slice(0, 50);
  const setOf = (g: number, key: 't' | 'r' | 'c') =>
    exact(top(grouped.filter((x) => x.g === g).map((x) => ({ value: x[key], n: x.n }))), matched);
  const own = (rows: Counted[]) => exact(top(rows), rows[0]?.all ?? 0);
  const types = ownType ? own(ownType) : setOf(3, 't');
  const regions = ownRegion ? own(ownRegion) : setOf(5, 'r');
  const courts = ownCourt ? own(ownCourt) : setOf(6, 'c');
  const statusRow = status ? status[0]! : (grouped.find((x) => x.g === 7) ?? null);
  const statusExact = (status ? status[0]!.n : matched) <= cap;
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
    status: (Object.keys(STATUS) as StatusFacet[]).map((s) => ({
      value: s,
      count: statusExact ? (statusRow?.[s] ?? 0) : null,
    })),
    region: {
      level,
      values: regions.filter((r) => r.value).map((r) => ({ value: r.value!, count: r.n })),
    },
    court: courts.flatMap((c) => {
      const o = byId.get(c.value!);
      return o ? [{ value: o.code, nameZh: o.nameZh, nameEn: o.nameEn, count: c.n }] : [];
    }),
  };
  return { total: Math.min(matched, cap), totalCapped: matched > cap, facets };
}
