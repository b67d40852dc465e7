/**
 * The public's listings (no login): search, the calendar, an auction's page, a court's page.
 * Only published announcements, never a bidder's identity before the end (art. 18), and after
 * a sale only the confirmation's winner (art. 22).
 */
import { and, asc, desc, eq, gte, inArray, lt, lte, notInArray, sql } from 'drizzle-orm';
import { type Listing, type ListingTransition, listings, registrations } from '../../db/schema/auctions.js';
import { auctionEvents } from '../../db/schema/bidding.js';
import { organisations, users } from '../../db/schema/identity.js';
import { notFound } from '../errors.js';
import { isUuid } from '../validation.js';
import type { ListingDeps } from './deps.js';
import { disclosureOf } from './disclosure.js';
import { search } from './listing-search.js';
import { details } from './listing-views.js';
import { loggedBid } from './record.js';
import { publicStatus } from './rules.js';

/** Published: approved and its announcement out. */
const published = (deps: ListingDeps) =>
  and(notInArray(listings.status, ['draft', 'pending_approval']), lte(listings.announceAt, deps.clock()));

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

/**
 * The public timeline of a listing (art. 28: every change of status, with its public reason). The
 * moments the announcement itself fixes are read from the columns the facts box shows, so the two
 * never disagree (issue 21): the announcement is out at its publication (`publishedAt`, not the
 * approval, which may come before it), bidding starts at `startsAt` and ends at `endedAt` (not
 * when the job that moved the status ran). A resumption or a withdrawal keeps its own moment.
 */
export function publicTimeline(
  l: Pick<Listing, 'publishedAt' | 'startsAt' | 'endedAt'>,
  transitions: readonly ListingTransition[],
) {
  const momentOf = (t: Omit<ListingTransition, 'actorId'>) => {
    if (t.from === 'pending_approval' && t.to === 'announced') return l.publishedAt ?? t.at;
    if (t.from === 'announced' && t.to === 'live') return l.startsAt;
    if (t.from === 'live' && t.to === 'ended') return l.endedAt ?? t.at;
    return t.at;
  };
  return transitions
    .filter((t) => t.to !== 'draft' && t.to !== 'pending_approval')
    .map(({ actorId: _a, ...t }) => ({ ...t, at: momentOf(t) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
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
    // The announcement's disclosure (art. 14(5), (9)); the checklist is the court's.
    disclosure: await (async () => {
      const {
        checklist: _c,
        complete: _k,
        ...shown
      } = await disclosureOf(deps.db, l, deps.clock(), deps.taxRates);
      return shown;
    })(),
    files: d.files.map(({ storageKey: _k, sha256: _s, uploadedBy: _u, ...f }) => f),
    // The public chain shows published rounds only.
    chain: d.chain.filter((c) => c.status !== 'draft' && c.status !== 'pending_approval'),
    // Names of priority purchasers stay with the court; the public sees that they exist, their rank and right.
    purchasers: d.purchasers.map((p) => ({ rank: p.rank, rightKind: p.rightKind })),
    timeline: publicTimeline(l, d.timeline),
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
