/**
 * What the bidding engine's log and standing look like from outside: the events a client
 * missed, the verifiable chain, a watcher's snapshot and a bidder's own standing. Public reads
 * carry bidder codes only, never an identity (art. 18).
 */
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { listings, registrations } from '../../db/schema/auctions.js';
import { auctionEvents, bids, proxyBids } from '../../db/schema/bidding.js';
import { notFound } from '../errors.js';
import type { Actor } from '../identity/permissions.js';
import { isUuid } from '../validation.js';
import { type Bidder, biddersOf, biddersStatement } from './bid-statements.js';
import { verifyChain } from './chain.js';
import type { BiddingDeps } from './deps.js';

/** The bidder `userId` is in this auction (null: not registered), read outside any lock. */
async function bidderOf(deps: BiddingDeps, listingId: string, userId: string): Promise<Bidder | null> {
  const rows = await biddersStatement(deps.sql, listingId, [{ userId, clientKey: '' }]);
  return biddersOf(rows, 1)[0]!.bidder;
}

/** The log after `afterSeq`, in order: what a reconnecting client missed. Public (codes only). */
export async function eventsAfter(deps: BiddingDeps, listingId: string, afterSeq: number, limit = 1000) {
  if (!isUuid(listingId)) throw notFound();
  const rows = await deps.db
    .select({
      seq: auctionEvents.seq,
      type: auctionEvents.type,
      at: auctionEvents.at,
      payload: auctionEvents.payload,
    })
    .from(auctionEvents)
    .where(and(eq(auctionEvents.listingId, listingId), gt(auctionEvents.seq, afterSeq)))
    .orderBy(asc(auctionEvents.seq))
    .limit(limit);
  return rows.map((r) => ({ listingId, ...r }));
}

/** The whole chain with its verdict, for the public verification URL. */
export async function chain(deps: BiddingDeps, listingId: string) {
  if (!isUuid(listingId)) throw notFound();
  const [l] = await deps.db
    .select({ id: listings.id, status: listings.status, lastHash: listings.lastHash })
    .from(listings)
    .where(eq(listings.id, listingId));
  if (!l || l.status === 'draft' || l.status === 'pending_approval') throw notFound();
  const entries = await deps.db
    .select({
      listingId: auctionEvents.listingId,
      seq: auctionEvents.seq,
      type: auctionEvents.type,
      at: auctionEvents.at,
      payload: auctionEvents.payload,
      prevHash: auctionEvents.prevHash,
      hash: auctionEvents.hash,
    })
    .from(auctionEvents)
    .where(eq(auctionEvents.listingId, listingId))
    .orderBy(asc(auctionEvents.seq));
  const verdict = verifyChain(listingId, entries);
  const headMatches = verdict.ok
    ? entries.length === 0
      ? l.lastHash === null
      : verdict.head === l.lastHash
    : false;
  return {
    listingId,
    verdict:
      verdict.ok && headMatches
        ? verdict
        : { ok: false as const, brokenAt: verdict.ok ? entries.length : verdict.brokenAt },
    entries,
  };
}

/**
 * What a watcher needs on joining (public: codes only): the standing, the clock, the counts
 * and the latest bids. `seq` is the log position the client continues from.
 */
export async function snapshot(deps: BiddingDeps, listingId: string, recent = 20) {
  if (!isUuid(listingId)) throw notFound();
  const [l] = await deps.db.select().from(listings).where(eq(listings.id, listingId));
  if (!l || l.status === 'draft' || l.status === 'pending_approval') throw notFound();
  const [{ registered } = { registered: 0 }] = await deps.db
    .select({ registered: sql<number>`count(*)::int` })
    .from(registrations)
    .where(and(eq(registrations.listingId, l.id), eq(registrations.status, 'active')));
  const latest = await deps.db
    .select({ seq: bids.seq, code: bids.code, amountFen: bids.amountFen, at: bids.at, source: bids.source })
    .from(bids)
    .where(eq(bids.listingId, l.id))
    .orderBy(desc(bids.seq))
    .limit(recent);
  const leader = latest[0];
  return {
    listingId: l.id,
    status: l.status,
    outcome: l.outcome,
    priceFen: l.currentPriceFen?.toString() ?? null,
    leaderCode: l.leaderRegistrationId && leader ? leader.code : null,
    startingPriceFen: l.startingPriceFen.toString(),
    incrementFen: l.incrementFen.toString(),
    startsAt: l.startsAt.getTime(),
    currentEndAt: l.currentEndAt.getTime(),
    extensionCount: l.extensionCount,
    bidCount: l.bidCount,
    seq: l.lastSeq,
    registered,
    serverTime: deps.clock().getTime(),
    recentBids: latest.map((b) => ({
      seq: b.seq,
      code: b.code,
      amountFen: b.amountFen.toString(),
      at: b.at.getTime(),
      source: b.source,
    })),
  };
}

/** The bidder's own standing on a listing, for the live page (never anyone else's identity). */
export async function myStanding(deps: BiddingDeps, actor: Actor | null, listingId: string) {
  if (!actor || !isUuid(listingId)) return null;
  const bidder = await bidderOf(deps, listingId, actor.userId);
  if (!bidder) return null;
  const [proxy] = await deps.db
    .select()
    .from(proxyBids)
    .where(eq(proxyBids.registrationId, bidder.registrationId));
  return {
    registrationId: bidder.registrationId,
    code: bidder.code,
    priorityRank: bidder.priorityRank,
    depositHeld: bidder.depositHeld,
    proxyMaxFen: proxy?.active ? proxy.maxFen : null,
  };
}
