/**
 * The public JSON feed for aggregators (/api/public/v1, ADR 026): announcements, results and the
 * calendar, built on the public search (ADR 020) so they show exactly what the public pages
 * show and page by the same keyset cursors. Never a bidder's identity: a result carries the
 * price, not the winner (the winner is named only on the auction's own page, art. 22).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { listings } from '../../db/schema/auctions.js';
import { auctionEvents } from '../../db/schema/bidding.js';
import { beijingDateOf } from '../cases/time-limit.js';
import type { ListingDeps } from './deps.js';
import { search } from './listing-search.js';
import { loggedBid } from './record.js';

export const FEED_PAGE = 50;

type Query = Record<string, unknown>;
/** What an aggregator may filter by: the search's own filters, no free text. */
const filtersOf = (q: Query) => {
  const pick = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  return {
    type: pick('type'),
    province: pick('province'),
    city: pick('city'),
    court: pick('court'),
    after: pick('after'),
  };
};

type Row = Awaited<ReturnType<typeof search>>['rows'][number];
const publicRow = (r: Row) => ({
  id: r.id,
  title: r.title,
  assetType: r.assetType,
  province: r.province,
  city: r.city,
  district: r.district,
  kind: r.kind,
  round: r.round,
  status: r.publicStatus,
  startingPriceFen: r.startingPriceFen,
  appraisalFen: r.appraisalFen,
  depositFen: r.depositFen,
  startsAt: r.startsAt,
  endsAt: r.currentEndAt,
  purchaseRestricted: r.purchaseRestricted,
  court: { code: r.courtCode, nameZh: r.courtNameZh, nameEn: r.courtNameEn },
  url: `/auctions/${r.id}`,
});

/** Published announcements not yet ended (upcoming, live, suspended), soonest first. */
export async function feedAnnouncements(deps: ListingDeps, q: Query) {
  const status = q.status === 'upcoming' || q.status === 'live' ? q.status : undefined;
  const found = await search(deps, { ...filtersOf(q), status, sort: 'soonest' }, FEED_PAGE, { count: false });
  return {
    rows: found.rows.filter((r) => r.status !== 'ended' && r.status !== 'withdrawn').map(publicRow),
    next: found.next,
  };
}

/** Ended auctions, the latest start first: sold with the price of the log's last bid, or failed. */
export async function feedResults(deps: ListingDeps, q: Query) {
  const status = q.outcome === 'sold' || q.outcome === 'failed' ? q.outcome : 'ended';
  const found = await search(deps, { ...filtersOf(q), status, sort: 'starts_desc' }, FEED_PAGE, {
    count: false,
  });
  const ids = found.rows.map((r) => r.id);
  const facts = ids.length
    ? await deps.db
        .select({
          id: listings.id,
          outcome: listings.outcome,
          endedAt: listings.endedAt,
          resultHeldAt: listings.resultHeldAt,
        })
        .from(listings)
        .where(inArray(listings.id, ids))
    : [];
  // The price is the auction log's (ADR 013): the newest bid of each sold listing.
  const sold = facts.filter((f) => f.outcome !== 'failed' && !f.resultHeldAt).map((f) => f.id);
  const bids = sold.length
    ? await deps.db
        .selectDistinctOn([auctionEvents.listingId], {
          listingId: auctionEvents.listingId,
          seq: auctionEvents.seq,
          at: auctionEvents.at,
          payload: auctionEvents.payload,
        })
        .from(auctionEvents)
        .where(and(inArray(auctionEvents.listingId, sold), eq(auctionEvents.type, 'bid')))
        .orderBy(auctionEvents.listingId, sql`${auctionEvents.seq} desc`)
    : [];
  const byId = new Map(facts.map((f) => [f.id, f]));
  const priceOf = new Map(bids.map((b) => [b.listingId, loggedBid(b).amountFen]));
  return {
    rows: found.rows.map((r) => {
      const f = byId.get(r.id);
      return {
        ...publicRow(r),
        outcome: f?.outcome ?? null,
        /** Null while a held result waits for the court (art. 31), and for a failed auction. */
        priceFen: priceOf.get(r.id) ?? null,
        endedAt: f?.endedAt ?? null,
      };
    }),
    next: found.next,
  };
}

/** Upcoming starts in date order (Beijing days), from `from` (default today) to `to`. */
export async function feedCalendar(deps: ListingDeps, q: Query) {
  const day = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  const found = await search(
    deps,
    {
      ...filtersOf(q),
      status: 'upcoming',
      from: day('from') ?? beijingDateOf(deps.clock()),
      to: day('to'),
      sort: 'starts_asc',
    },
    FEED_PAGE,
    { count: false },
  );
  return {
    rows: found.rows.map((r) => ({ date: beijingDateOf(r.startsAt), ...publicRow(r) })),
    next: found.next,
  };
}
