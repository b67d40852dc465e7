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
  // The leading keys of one direction also as a row comparison (≥, looser, the same rows pass
  // both): a btree on those keys seeks to the cursor with it instead of reading from the start.
  let n = 1;
  while (n < keys.length && !keys[n]!.desc === !keys[0]!.desc) n++;
  const lead = keys.slice(0, n);
  const row = (xs: SQL[]) => sql`(${sql.join(xs, sql`, `)})`;
  const seek = sql`${row(lead.map((k) => k.expr))} ${!keys[0]!.desc !== backwards ? sql`>=` : sql`<=`} ${row(
    lead.map((k, i) => cast(values[i]!, k.type)),
  )}`;
  return sql`(${seek} and (${sql.join(
    ors.map((o) => sql`(${o})`),
    sql` or `,
  )}))`;
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

/**
 * The listing's facet document (listing_facets() in the search_facets migration): one lexeme
 * per value a filter chooses (s:status, o:outcome, t:type, p:province, c:city, d:district,
 * j:court id, r:round with 3 for 变卖, x:restricted 1/0). It is the second column of the GIN
 * index listings_search_idx, beside the words' document, so keywords and filters are
 * intersected inside one index scan: a pass finds the few listings that hold 住宅 in 四川省
 * and are live without building a bitmap of every listing that holds 住宅, every listing in
 * 四川省 and every live one and intersecting those. Written exactly as the index's expression.
 */
const facetDoc = sql`listing_facets(${listings.status}, ${listings.outcome}, ${listings.assetType}, ${listings.province}, ${listings.city}, ${listings.district}, ${listings.courtId}, ${listings.kind}, ${listings.round}, ${listings.purchaseRestricted})`;

/** A facet lexeme in tsquery syntax: quoted, so a value with spaces or quotes stays one lexeme. */
const lexeme = (prefix: string, value: string) =>
  `'${`${prefix}${value}`.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The lexemes of a public status (the STATUS conditions below, as the facet document holds them). */
const STATUS_LEXEMES: Record<StatusFacet, string[]> = {
  upcoming: [lexeme('s:', 'announced')],
  live: [lexeme('s:', 'live')],
  ended: [lexeme('s:', 'ended')],
  sold: [lexeme('s:', 'ended'), lexeme('o:', 'sold')],
  failed: [lexeme('s:', 'ended'), lexeme('o:', 'failed')],
};

/**
 * The filters as they are matched: the chosen values as one tsquery over the facet document (or,
 * where each listing read is tested anyway, as the same tests on its columns), the rest
 * (published, price, dates) as conditions on the row. `courtId` is the court code's
 * id (null: no such court, nothing is found; undefined: not looked up yet, the code is matched
 * through organisations, as in the probe). `except` leaves one facet dimension's own filter out
 * (its counts).
 */
interface Filters {
  f: SearchFilters;
  courtId: string | null | undefined;
}

function conditions(
  deps: ListingDeps,
  { f, courtId }: Filters,
  terms: SearchTerms | null,
  except?: Dimension,
  how: { walk?: boolean; seek?: boolean; stream?: boolean } = {},
) {
  const conds: (SQL | undefined)[] = [
    notInArray(listings.status, ['draft', 'pending_approval']),
    lte(listings.announceAt, deps.clock()),
  ];
  // A streamed pass (and the probe) tests the words on each listing it reads (no index: see passes()).
  if (terms)
    conds.push(
      how.stream
        ? sql`ts_match_vq(${listings.searchDoc}, to_tsquery('simple', ${terms.any}))`
        : anyMatch(terms),
    );
  // Each chosen value twice: its facet lexeme, and the same test on the row's columns.
  const chosen: [string, SQL][] = [];
  if (f.type && except !== 'type')
    chosen.push([lexeme('t:', f.type), sql`${listings.assetType} = ${f.type}`]);
  if (f.province) chosen.push([lexeme('p:', f.province), sql`${listings.province} = ${f.province}`]);
  if (f.city) chosen.push([lexeme('c:', f.city), sql`${listings.city} = ${f.city}`]);
  if (f.district && !(except === 'region' && regionLevel(f) === 'district'))
    chosen.push([lexeme('d:', f.district), sql`${listings.district} = ${f.district}`]);
  if (f.court && except !== 'court') {
    if (courtId === undefined)
      conds.push(sql`${listings.courtId} = (select id from ${organisations} where code = ${f.court})`);
    else
      chosen.push([
        lexeme('j:', courtId ?? '-'),
        courtId ? sql`${listings.courtId} = ${courtId}` : sql`false`,
      ]);
  }
  if (f.round)
    chosen.push([
      lexeme('r:', String(f.round)),
      sql`(case when ${listings.kind} = 'fixed_price_sale' then 3 else ${listings.round} end) = ${f.round}`,
    ]);
  if (f.restricted)
    chosen.push([
      lexeme('x:', f.restricted === 'yes' ? '1' : '0'),
      sql`${listings.purchaseRestricted} = ${f.restricted === 'yes'}`,
    ]);
  if (f.status && except !== 'status') chosen.push([STATUS_LEXEMES[f.status].join(' & '), STATUS[f.status]]);
  // A walk tests the chosen values on each listing it reads (ts_match_vq is @@ that no index
  // answers): so the planner walks the order's btree rather than collecting the filter's
  // matches through the GIN index and sorting them, which for a walk it would cost by the WALK
  // it reads, not by the page it stops at. A streamed pass and the probe test the columns
  // themselves: building the facet document of each listing read costs about 9 µs, a pass
  // streaming 10,000 listings 90 ms. `seek`: with a status, the status's rank in the soonest
  // order (its first key) too, so a walk of it starts at the status's rows.
  if (chosen.length) {
    const query = chosen.map(([l]) => l).join(' & ');
    conds.push(
      how.stream
        ? and(...chosen.map(([, c]) => c))
        : how.walk
          ? sql`ts_match_vq(${facetDoc}, ${query}::tsquery)`
          : sql`${facetDoc} @@ ${query}::tsquery`,
    );
  }
  // (A range, not `=`: the planner drops a key fixed by `=` from the walk's order, and the walk's
  // outer query (matchedRows), which orders by all the keys, would then sort instead of stopping.)
  if (how.seek && f.status && except !== 'status')
    conds.push(sql`${statusRank} between ${STATUS_RANK[f.status]} and ${STATUS_RANK[f.status]}`);
  if (f.minPrice !== undefined) conds.push(gte(listings.startingPriceFen, f.minPrice));
  if (f.maxPrice !== undefined) conds.push(lte(listings.startingPriceFen, f.maxPrice));
  if (f.from) conds.push(gte(listings.startsAt, beijingDay(f.from)));
  if (f.to) conds.push(lt(listings.startsAt, beijingDay(f.to, 1)));
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
 * A keyword page walks at most this many listings of its order (those passing the filters, in
 * order, each tested against the words) for its page: enough for a word in one listing in 250.
 * When they do not hold a page, the matches are collected through the GIN index and sorted.
 */
const WALK = 5_000;

const orderBy = (order: Key[], backwards: boolean) =>
  sql.join(
    order.map((k) => (!k.desc !== backwards ? sql`${k.expr} asc` : sql`${k.expr} desc`)),
    sql`, `,
  );

export async function search(
  deps: ListingDeps,
  input: unknown,
  pageSize = 20,
  opts: { facets?: boolean; count?: boolean; countCap?: number; walk?: number; dense?: number } = {},
) {
  const f = parseInput(SearchSchema, input);
  const terms = searchTerms(f.q);
  const sort: Sort = f.sort ?? (terms ? 'relevance' : 'soonest');
  const keys = sortKeys(sort, terms);
  const cursor = f.after ?? f.before;
  const backwards = !!f.before;
  const values = cursor ? decodeCursor(f.after ? 'after' : 'before', cursor, keys) : null;
  const cap = opts.countCap ?? COUNT_CAP;
  const walk = opts.walk ?? WALK;

  // One query first: the court the code names, and how the passes' conditions hold for the
  // table's first listings (probeOf). A caller that only walks the pages (count: false) skips
  // the count, and without keywords the probe.
  const counts = opts.facets ? 'facets' : opts.count === false ? 'none' : 'total';
  const probe =
    counts === 'none' && !terms
      ? { filters: await courtOf(deps, f), excepts: [], holds: [], streamed: [] }
      : await probeOf(
          deps,
          f,
          terms,
          counts === 'facets' ? [undefined, ...ownPasses(f)] : [undefined],
          opts.dense,
        );
  const { filters } = probe;
  const counting =
    counts === 'facets'
      ? facetsOf(deps, f, terms, cap, probe)
      : counts === 'none'
        ? Promise.resolve({ total: null as number | null, totalCapped: false, facets: null })
        : deps.db
            .execute<{ n: number }>(sql`select count(*)::int as n from ${passes(deps, probe, terms, cap)[0]}`)
            .then(([r]) => ({ total: Math.min(r!.n, cap), totalCapped: r!.n > cap, facets: null }));
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
  const seek = sort === 'soonest' || sort === 'relevance';
  const walkBase = conditions(deps, filters, null, undefined, { walk: true, seek });
  const base = conditions(deps, filters, null);
  /**
   * A page with keywords, in one statement. How many listings a word is in, and a phrase's
   * bigrams side by side, is beyond the planner's statistics, so the statement says the way:
   * the page is first looked for among the first `walk` listings of the order that pass the
   * filters (the inner query walks the order's btree, listings_soonest_idx or the sort's, and
   * since the outer query's order is the inner one's, its keys being the inner query's columns,
   * it stops at the limit-th match). When they hold a page, it is exactly the first page of all
   * matches (they are a prefix of the order). Only when they do not (coalesce evaluates its
   * second sub-select only then) are the matches collected through the GIN index and sorted;
   * and directly so when not one of the table's first listings matched (probeOf: a rare word,
   * whose walk would read all `walk` listings in vain). `after` is the cursor's condition.
   */
  const matchedRows = (after: SQL | undefined, match: SQL, order: Key[], limit: number) => {
    const collected = sql`array(select ${listings.id} from ${listings} where ${and(base, after, match)}
      order by ${orderBy(order, backwards)} limit ${limit})`;
    if (probe.holds[0] === 0) return rowsOf(sql`${listings.id} = any(${collected})`, order, limit, 0);
    const col = (i: number) => sql.identifier(`k${i}`);
    const walked = sql`array(
      select ${listings.id} from (
        select ${listings.id}, ${listings.searchDoc}, ${sql.join(
          order.map((k, i) => sql`${k.expr} as ${col(i)}`),
          sql`, `,
        )}
        from ${listings} where ${and(walkBase, after)} order by ${orderBy(order, backwards)} limit ${walk}
      ) as ${listings}
      where ${match}
      order by ${sql.join(
        order.map((k, i) => (!k.desc !== backwards ? sql`${col(i)} asc` : sql`${col(i)} desc`)),
        sql`, `,
      )}
      limit ${limit})`;
    return rowsOf(
      sql`${listings.id} = any(coalesce(
        (select w from (select ${walked} as w) x where cardinality(w) = ${limit}), ${collected}))`,
      order,
      limit,
      0,
    );
  };
  const [rows, counted] = await Promise.all([
    !terms || (!values && f.page > 1)
      ? rowsOf(
          and(
            conditions(deps, filters, terms, undefined, { seek: sort === 'soonest' }),
            values ? beyond(keys, values, backwards) : undefined,
          )!,
          keys,
          pageSize + 1,
          values ? 0 : (f.page - 1) * pageSize,
        )
      : sort === 'relevance'
        ? tieredRows(keys, values, backwards, pageSize + 1, terms, matchedRows)
        : matchedRows(
            values ? beyond(keys, values, backwards) : undefined,
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

/** How many of the table's first listings, as they lie, the probe tests (probeOf). */
const PROBE = 500;
/** A pass whose conditions hold for this many of them (3%) is streamed (passes). */
const DENSE = 15;

/** The facet dimensions the search filters on, each counted by its own pass (facetsOf). */
const ownPasses = (f: SearchFilters) =>
  (['type', 'status', 'region', 'court'] as const).filter((d) =>
    d === 'type'
      ? !!f.type
      : d === 'status'
        ? !!f.status
        : d === 'court'
          ? !!f.court
          : regionLevel(f) === 'district' && !!f.district,
  );

/** The court a code names (the facet document holds the court's id). */
async function courtOf(deps: ListingDeps, f: SearchFilters): Promise<Filters> {
  if (!f.court) return { f, courtId: null };
  const [court] = await deps.db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.code, f.court));
  return { f, courtId: court?.id ?? null };
}

type Probe = Awaited<ReturnType<typeof probeOf>>;

/**
 * One query before the search's others: the court the code names, and for each pass (`excepts`,
 * as in conditions()) how many of the table's first PROBE listings, as they lie, it holds for,
 * and so whether it is streamed: from `dense` of them (DENSE; a test passes 0 to stream every
 * pass, or more than PROBE to stream none).
 */
async function probeOf(
  deps: ListingDeps,
  f: SearchFilters,
  terms: SearchTerms | null,
  excepts: (Dimension | undefined)[],
  dense = DENSE,
) {
  const unknown: Filters = { f, courtId: undefined };
  const [row] = await deps.db.execute<Record<string, number | string | null>>(sql`
    select ${f.court ? sql`(select id from ${organisations} where code = ${f.court})` : sql`null`} as court,
      ${sql.join(
        excepts.map(
          (except, i) =>
            sql`count(*) filter (where ${conditions(deps, unknown, terms, except, { stream: true })})::int as ${sql.identifier(`p${i}`)}`,
        ),
        sql`, `,
      )}
    from (select * from ${listings} limit ${PROBE}) as ${listings}`);
  return {
    filters: { f, courtId: f.court ? ((row!.court as string | null) ?? null) : null } as Filters,
    excepts,
    /** For each pass, how many of the first PROBE listings it holds for. */
    holds: excepts.map((_, i) => row![`p${i}`] as number),
    streamed: excepts.map((_, i) => (row![`p${i}`] as number) >= dense),
  };
}

/**
 * The matches each capped pass reads (at most cap + 1; its `except` from the probe), under the
 * table's own name so that the columns read the same inside and out. A pass reads them one of
 * two ways. Through the GIN index its cost grows with every listing that matches: the index
 * hands over all the matches before the first is read (a phrase whose bigrams are each in 14%
 * of a million listings is a bitmap of 143,000). Streamed (the conditions tested on each listing
 * in the table's order, no index) it grows with the listings read before the cap + 1-th match:
 * 1,001 over the density. At a million the two meet near 3% (~33,000 either way). The planner
 * cannot choose between them (it estimates a phrase's bigrams side by side as independent, and
 * a GIN bitmap cheaper than it is), so the probe chooses: a pass that holds for 3% of the
 * table's first listings is streamed.
 */
function passes(deps: ListingDeps, probe: Probe, terms: SearchTerms | null, cap: number, columns = sql``) {
  return probe.excepts.map(
    (except, i) => sql`(
      select ${listings.id} ${columns} from ${listings}
      where ${conditions(deps, probe.filters, terms, except, { stream: probe.streamed[i] })}
      limit ${cap + 1}) as ${listings}`,
  );
}

/**
 * The relevance order's page, one tier at a time: the listings whose title holds the words,
 * then the others, each tier in the soonest order. Within a tier the order is that of
 * listings_soonest_idx, so for a word in a third of the listings (车) the first page comes from
 * walking that index and testing each listing, not from collecting every match and sorting;
 * the second tier is read only when the first does not fill the page.
 */
async function tieredRows<R>(
  keys: Key[],
  values: KeyValue[] | null,
  backwards: boolean,
  limit: number,
  terms: SearchTerms,
  matchedRows: (after: SQL | undefined, match: SQL, order: Key[], limit: number) => Promise<R[]>,
): Promise<R[]> {
  const [, ...rest] = keys;
  const tiers = backwards ? [1, 0] : [0, 1];
  const from = values ? (values[0] as number) : tiers[0]!;
  const rows: R[] = [];
  for (const tier of tiers) {
    if (backwards ? tier > from : tier < from) continue;
    const match = tier === 0 ? titleMatch(terms) : sql`${anyMatch(terms)} and not ${titleMatch(terms)}`;
    const after = values && tier === from ? beyond(rest, values.slice(1), backwards) : undefined;
    rows.push(...(await matchedRows(after, match, rest, limit - rows.length)));
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
  probed?: Probe,
) {
  const own = ownPasses(f);
  const probe = probed ?? (await probeOf(deps, f, terms, [undefined, ...own]));
  const level = regionLevel(f);
  const region = regionColumn[level];
  const statusCounts = sql.join(
    (Object.keys(STATUS) as StatusFacet[]).map(
      (s) => sql`count(*) filter (where ${STATUS[s]})::int as ${sql.identifier(s)}`,
    ),
    sql`, `,
  );
  // The court's code and names come with its count (a join on the few values counted).
  type Court = { code: string | null; nameZh: string | null; nameEn: string | null };
  const named = (q: SQL, column: string) => sql`
    select x.*, o.code, o.name_zh as "nameZh", o.name_en as "nameEn"
    from (${q}) x left join ${organisations} o on o.id::text = x.${sql.identifier(column)}`;
  type Counted = { value: string | null; n: number; all: number } & Record<StatusFacet, number> & Court;
  const counted = (from: SQL | undefined, by: SQL | null, court = false) => {
    if (!from) return null;
    const q = sql`
      select ${by ?? sql`null`}::text as value, count(*)::int as n, (sum(count(*)) over ())::int as all,
        ${statusCounts}
      from ${from}
      ${by ? sql`group by 1 order by 2 desc, 1 limit 50` : sql``}`;
    return deps.db.execute<Counted>(court ? named(q, 'value') : q);
  };
  // One pass over the matches counts the total and every dimension not filtered (GROUPING SETS;
  // bit 2/1/0 of g set = type/region/court not grouped); a filtered one needs its own pass.
  type Grouped = { g: number; t: string | null; r: string | null; c: string | null; n: number } & Record<
    StatusFacet,
    number
  > &
    Court;
  const [all, ...froms] = passes(
    deps,
    probe,
    terms,
    cap,
    sql`, ${listings.assetType}, ${region}, ${listings.courtId}, ${listings.status}, ${listings.outcome}`,
  );
  const fromOf = (d: Dimension) => froms[own.indexOf(d)];
  const [grouped, ownType, status, ownRegion, ownCourt] = await Promise.all([
    deps.db.execute<Grouped>(
      named(
        sql`
        select grouping(${listings.assetType}, ${region}, ${listings.courtId})::int as g,
          ${listings.assetType}::text as t, ${region}::text as r, ${listings.courtId}::text as c,
          count(*)::int as n, ${statusCounts}
        from ${all}
        group by grouping sets ((), (${listings.assetType}), (${region}), (${listings.courtId}))`,
        'c',
      ),
    ),
    counted(fromOf('type'), sql`${listings.assetType}`),
    counted(fromOf('status'), null),
    counted(fromOf('region'), sql`${region}`),
    counted(fromOf('court'), sql`${listings.courtId}`, true),
  ]);
  const matched = grouped.find((x) => x.g === 7)?.n ?? 0;
  /** A pass that read more than the cap counts only what it read: no count is shown. */
  const exact = <R extends { n: number }>(rows: R[], all: number) =>
    rows.map((r) => ({ ...r, n: (all > cap ? null : r.n) as number | null }));
  const top = <R extends { value: string | null; n: number }>(rows: R[]) =>
    rows
      .filter((r) => r.value !== null)
      .sort((a, b) => b.n - a.n || (a.value! < b.value! ? -1 : 1))
      .slice(0, 50);
  const setOf = (g: number, key: 't' | 'r' | 'c') =>
    exact(top(grouped.filter((x) => x.g === g).map((x) => ({ ...x, value: x[key], n: x.n }))), matched);
  const ownOf = (rows: Counted[]) => exact(top(rows), rows[0]?.all ?? 0);
  const types = ownType ? ownOf(ownType) : setOf(3, 't');
  const regions = ownRegion ? ownOf(ownRegion) : setOf(5, 'r');
  const courts = ownCourt ? ownOf(ownCourt) : setOf(6, 'c');
  const statusRow = status ? status[0]! : (grouped.find((x) => x.g === 7) ?? null);
  const statusExact = (status ? status[0]!.n : matched) <= cap;
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
    court: courts.flatMap((c) =>
      c.code ? [{ value: c.code, nameZh: c.nameZh!, nameEn: c.nameEn!, count: c.n }] : [],
    ),
  };
  return { total: Math.min(matched, cap), totalCapped: matched > cap, facets };
}
