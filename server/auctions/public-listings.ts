/**
 * The public's listings (no login): search, the calendar, an auction's page, a court's page.
 * Only published announcements, never a bidder's identity before the end (art. 18), and after
 * a sale only the confirmation's winner (art. 22).
 */
import { and, asc, desc, eq, gte, ilike, inArray, lt, lte, notInArray, type SQL, sql } from 'drizzle-orm';
import { type Listing, listings, registrations } from '../../db/schema/auctions.js';
import { auctionEvents } from '../../db/schema/bidding.js';
import { organisations, users } from '../../db/schema/identity.js';
import { notFound } from '../errors.js';
import { isUuid, parseInput } from '../validation.js';
import type { ListingDeps } from './deps.js';
import { details } from './listing-views.js';
import { loggedBid } from './record.js';
import { publicStatus } from './rules.js';
import { SearchSchema } from './schemas.js';

/** Published: approved and its announcement out. */
const published = (deps: ListingDeps) =>
  and(notInArray(listings.status, ['draft', 'pending_approval']), lte(listings.announceAt, deps.clock()));

export async function search(deps: ListingDeps, input: unknown, pageSize = 20) {
  const f = parseInput(SearchSchema, input);
  const conds: (SQL | undefined)[] = [published(deps)];
  if (f.type) conds.push(eq(listings.assetType, f.type));
  if (f.province) conds.push(eq(listings.province, f.province));
  if (f.city) conds.push(eq(listings.city, f.city));
  if (f.court)
    conds.push(sql`${listings.courtId} = (select id from ${organisations} where code = ${f.court})`);
  if (f.minPrice !== undefined) conds.push(gte(listings.startingPriceFen, f.minPrice));
  if (f.maxPrice !== undefined) conds.push(lte(listings.startingPriceFen, f.maxPrice));
  if (f.q) conds.push(ilike(listings.title, `%${f.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`));
  if (f.status === 'upcoming') conds.push(eq(listings.status, 'announced'));
  if (f.status === 'live') conds.push(eq(listings.status, 'live'));
  if (f.status === 'ended') conds.push(eq(listings.status, 'ended'));
  if (f.status === 'sold') conds.push(and(eq(listings.status, 'ended'), eq(listings.outcome, 'sold')));
  if (f.status === 'failed') conds.push(and(eq(listings.status, 'ended'), eq(listings.outcome, 'failed')));
  const order = {
    soonest: [
      sql`case ${listings.status} when 'live' then 0 when 'announced' then 1 when 'suspended' then 2 else 3 end`,
      sql`case when ${listings.status} = 'live' then ${listings.currentEndAt} when ${listings.status} in ('announced', 'suspended') then ${listings.startsAt} end asc nulls last`,
      desc(listings.currentEndAt),
      asc(listings.id),
    ],
    starts_asc: [asc(listings.startsAt), asc(listings.id)],
    starts_desc: [desc(listings.startsAt), asc(listings.id)],
    price_asc: [asc(listings.startingPriceFen), asc(listings.id)],
    price_desc: [desc(listings.startingPriceFen), asc(listings.id)],
    ends_asc: [asc(listings.currentEndAt), asc(listings.id)],
  }[f.sort];
  const where = and(...conds);
  const [rows, [count]] = await Promise.all([
    deps.db
      .select({
        id: listings.id,
        title: listings.title,
        assetType: listings.assetType,
        province: listings.province,
        city: listings.city,
        status: listings.status,
        outcome: listings.outcome,
        kind: listings.kind,
        round: listings.round,
        startingPriceFen: listings.startingPriceFen,
        appraisalFen: listings.appraisalFen,
        depositFen: listings.depositFen,
        startsAt: listings.startsAt,
        currentEndAt: listings.currentEndAt,
        courtNameZh: organisations.nameZh,
        courtNameEn: organisations.nameEn,
        courtCode: organisations.code,
      })
      .from(listings)
      .innerJoin(organisations, eq(organisations.id, listings.courtId))
      .where(where)
      .orderBy(...order)
      .limit(pageSize)
      .offset((f.page - 1) * pageSize),
    deps.db.select({ n: sql<number>`count(*)::int` }).from(listings).where(where),
  ]);
  return {
    filters: f,
    rows: rows.map((r) => ({ ...r, publicStatus: publicStatus(r.status, r.outcome) })),
    total: count?.n ?? 0,
    page: f.page,
    pageSize,
  };
}

/** Upcoming and live sales whose bidding starts in [from, to). */
export async function calendar(deps: ListingDeps, from: Date, to: Date) {
  return deps.db
    .select({
      id: listings.id,
      title: listings.title,
      status: listings.status,
      startsAt: listings.startsAt,
      startingPriceFen: listings.startingPriceFen,
      assetType: listings.assetType,
      courtNameZh: organisations.nameZh,
      courtNameEn: organisations.nameEn,
    })
    .from(listings)
    .innerJoin(organisations, eq(organisations.id, listings.courtId))
    .where(
      and(
        published(deps),
        inArray(listings.status, ['announced', 'live']),
        gte(listings.startsAt, from),
        lt(listings.startsAt, to),
      ),
    )
    .orderBy(asc(listings.startsAt))
    .limit(1000);
}

export async function publicListing(deps: ListingDeps, id: string) {
  if (!isUuid(id)) throw notFound();
  const [l] = await deps.db
    .select()
    .from(listings)
    .where(and(eq(listings.id, id), published(deps)));
  if (!l) throw notFound();
  const d = await details(deps, l);
  // Who prepared or approved it, the case and the storage internals stay with the court.
  const {
    preparedBy: _p,
    approvedBy: _a,
    caseId: _c,
    leaderRegistrationId: _r,
    lastHash: _h,
    remainingMsAtSuspension: _m,
    ...listing
  } = l;
  return {
    listing: { ...listing, publicStatus: publicStatus(l.status, l.outcome) },
    confirmation: await confirmationOf(deps, l),
    ...d,
    files: d.files.map(({ storageKey: _k, sha256: _s, uploadedBy: _u, ...f }) => f),
    // The public chain shows published rounds only.
    chain: d.chain.filter((c) => c.status !== 'draft' && c.status !== 'pending_approval'),
    // Names of priority purchasers stay with the court; the public sees that they exist, their rank and right.
    purchasers: d.purchasers.map((p) => ({ rank: p.rank, rightKind: p.rightKind })),
    timeline: d.timeline
      .filter((t) => t.to !== 'draft' && t.to !== 'pending_approval')
      .map(({ actorId: _a, ...t }) => t),
    amendments: d.amendments.map(({ actorId: _a, ...a }) => a),
    serverTime: deps.clock(),
  };
}

/**
 * 网络竞价成功确认书 (art. 22): once an auction is sold, the platform publishes the winner's
 * real name, his bidder code and the price. Identities appear only here, only after the end.
 * The winner and the price are the auction's log's (its last accepted bid: the code names the
 * registration, codes are unique per listing), never the standing columns (ADR 013). A result
 * the close held (the columns disagreed with the log) waits for the court (art. 31).
 */
export async function confirmationOf(deps: ListingDeps, l: Listing) {
  if (l.status !== 'ended' || (l.outcome !== 'sold' && l.outcome !== 'defaulted') || l.resultHeldAt)
    return null;
  // The newest bid first, then who its code names: a left join, so an unknown code gives no
  // confirmation rather than an older bid's winner.
  const [w] = await deps.db
    .select({
      seq: auctionEvents.seq,
      at: auctionEvents.at,
      payload: auctionEvents.payload,
      realName: users.realName,
      code: registrations.code,
    })
    .from(auctionEvents)
    .leftJoin(
      registrations,
      and(
        eq(registrations.listingId, auctionEvents.listingId),
        eq(registrations.code, sql`${auctionEvents.payload}->>'code'`),
      ),
    )
    .leftJoin(users, eq(users.id, registrations.userId))
    .where(and(eq(auctionEvents.listingId, l.id), eq(auctionEvents.type, 'bid')))
    .orderBy(desc(auctionEvents.seq))
    .limit(1);
  const bid = w && loggedBid(w);
  return w?.realName && bid?.amountFen != null
    ? { winnerName: w.realName, code: w.code, priceFen: bid.amountFen, endedAt: l.endedAt! }
    : null;
}

export async function courtPage(deps: ListingDeps, code: string) {
  const [court] = await deps.db
    .select()
    .from(organisations)
    .where(and(eq(organisations.code, code), eq(organisations.kind, 'court')));
  if (!court) throw notFound();
  const result = await search(deps, { court: code, sort: 'starts_desc' }, 50);
  return { court, ...result };
}
