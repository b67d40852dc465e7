/**
 * What the bidding engine's log and standing look like from outside: the events a client
 * missed, the verifiable chain, a watcher's snapshot and a bidder's own standing. Public reads
 * carry bidder codes only, never an identity (art. 18).
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { listings, registrations } from '../../db/schema/auctions.js';
import { auctionEvents, bids, proxyBids } from '../../db/schema/bidding.js';
import { notFound } from '../errors.js';
import type { Actor } from '../identity/permissions.js';
import { isUuid } from '../validation.js';
import { type Bidder, biddersOf, biddersStatement } from './bid-statements.js';
import { verifyChain } from './chain.js';
import type { BiddingDeps } from './deps.js';
import {
  compareBids,
  compareStanding,
  type LogEntry,
  type LogTail,
  loggedBid,
  standingOfLog,
  type TableStanding,
  tailOf,
} from './record.js';

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

/**
 * The whole chain with its verdict, for the public verification URL (art. 8): the chain
 * recomputed, then the `bids` table and the listing's standing compared with what it records
 * (record.ts). `ok` only when all agree. A broken chain is no reference, so then only where it
 * breaks is said: `{ ok: false, brokenAt }`. Otherwise `differences` says where a table and the
 * log differ (`{ ok: false, length, head, differences }`).
 */
export async function chain(deps: BiddingDeps, listingId: string) {
  if (!isUuid(listingId)) throw notFound();
  // One snapshot of the three tables: a bid committed between two reads would look like a difference.
  const read = await deps.db.transaction(
    async (tx) => {
      const [l] = await tx
        .select({
          id: listings.id,
          title: listings.title,
          status: listings.status,
          outcome: listings.outcome,
          currentPriceFen: listings.currentPriceFen,
          leaderRegistrationId: listings.leaderRegistrationId,
          leaderCode: registrations.code,
          leaderPriorityRank: listings.leaderPriorityRank,
          bidCount: listings.bidCount,
          extensionCount: listings.extensionCount,
          currentEndAt: listings.currentEndAt,
          lastSeq: listings.lastSeq,
          lastHash: listings.lastHash,
        })
        .from(listings)
        .leftJoin(
          registrations,
          and(eq(registrations.id, listings.leaderRegistrationId), eq(registrations.listingId, listings.id)),
        )
        .where(eq(listings.id, listingId));
      if (!l || l.status === 'draft' || l.status === 'pending_approval') return null;
      const entries = await tx
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
      const rows = await tx
        .select({
          seq: bids.seq,
          code: bids.code,
          registrationCode: registrations.code,
          amountFen: bids.amountFen,
          at: bids.at,
          source: bids.source,
          priorityRank: bids.priorityRank,
          extendedTo: bids.extendedTo,
        })
        .from(bids)
        .leftJoin(
          registrations,
          and(eq(registrations.id, bids.registrationId), eq(registrations.listingId, bids.listingId)),
        )
        .where(eq(bids.listingId, listingId))
        .orderBy(asc(bids.seq));
      return { l, entries, rows };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  if (!read) throw notFound();
  const { l, entries, rows } = read;
  const verdict = verifyChain(listingId, entries);
  if (!verdict.ok) return { listingId, title: l.title, verdict, entries };
  const table: TableStanding = {
    ...l,
    // A leader whose registration is not one of this auction's has no code here.
    leaderCode: l.leaderRegistrationId === null ? null : (l.leaderCode ?? '?'),
  };
  const differences = [
    ...compareStanding(standingOfLog(tailOf(entries)), table),
    ...compareBids(entries.filter((e) => e.type === 'bid').map(loggedBid), rows),
  ];
  return {
    listingId,
    title: l.title,
    verdict: differences.length
      ? { ok: false as const, length: verdict.length, head: verdict.head, differences }
      : { ...verdict, differences },
    entries,
  };
}

/**
 * The newest `recent` bid entries, every status entry (a handful, through their partial index)
 * and the last entry, in one statement: what the snapshot's standing and history are read from.
 * Newest first, each entry once.
 */
async function logTail(deps: BiddingDeps, listingId: string, recent: number) {
  const rows = await deps.sql<
    Array<{ seq: number; type: string; at_ms: number; payload: Record<string, unknown>; hash: string }>
  >`
    select seq, type, (extract(epoch from at) * 1000)::float8 as at_ms, payload, hash from (
      (select * from auction_events where listing_id = ${listingId} and type = 'bid' order by seq desc limit ${recent})
      union all
      (select * from auction_events where listing_id = ${listingId} and type <> 'bid')
      union all
      (select * from auction_events where listing_id = ${listingId} order by seq desc limit 1)
    ) e order by seq desc`;
  const bySeq = new Map<number, LogEntry>();
  for (const r of rows)
    bySeq.set(r.seq, { seq: r.seq, type: r.type, at: new Date(r.at_ms), payload: r.payload, hash: r.hash });
  const entries = [...bySeq.values()];
  const bidEntries = entries.filter((e) => e.type === 'bid').slice(0, recent);
  const tail: LogTail = {
    last: entries[0] ?? null,
    newestBid: bidEntries[0] ? loggedBid(bidEntries[0]) : null,
    statuses: entries.filter((e) => e.type !== 'bid').reverse(),
  };
  return { tail, bids: bidEntries.map(loggedBid) };
}

/**
 * What a watcher needs on joining (public: codes only): the standing, the clock, the counts
 * and the latest bids. `seq` is the log position the client continues from. The standing and
 * the history are the log's (record.ts), read in one statement with `seq`, so they are one
 * moment of it; the `bids` table and the standing columns are the engine's, checked against
 * the log by `chain`. Two indexed queries on every join of a hot auction.
 */
export async function snapshot(deps: BiddingDeps, listingId: string, recent = 20) {
  if (!isUuid(listingId)) throw notFound();
  const [[l], { tail, bids: latest }] = await Promise.all([
    deps.db
      .select({
        id: listings.id,
        status: listings.status,
        outcome: listings.outcome,
        startingPriceFen: listings.startingPriceFen,
        incrementFen: listings.incrementFen,
        startsAt: listings.startsAt,
        currentEndAt: listings.currentEndAt,
        // Spelled out: Drizzle leaves a one-table select's columns unqualified, which inside the
        // subquery would name the registration's own id.
        registered: sql<number>`(select count(*)::int from registrations r
          where r.listing_id = listings.id and r.status = 'active')`,
      })
      .from(listings)
      .where(eq(listings.id, listingId)),
    logTail(deps, listingId, Math.max(1, recent)),
  ]);
  if (!l || l.status === 'draft' || l.status === 'pending_approval') throw notFound();
  const s = standingOfLog(tail);
  // Status and outcome as of `seq` (the column may already be past it); art. 24's `defaulted`
  // comes after the log's end and lives on the listing only. No status entry yet: the columns.
  const status = s.status ?? l.status;
  const outcome =
    s.status === undefined
      ? l.outcome
      : status !== 'ended'
        ? null
        : s.outcome === 'sold' && l.outcome === 'defaulted'
          ? 'defaulted'
          : (s.outcome ?? null);
  return {
    listingId: l.id,
    status,
    outcome,
    priceFen: s.currentPriceFen?.toString() ?? null,
    leaderCode: s.leaderCode,
    startingPriceFen: l.startingPriceFen.toString(),
    incrementFen: l.incrementFen.toString(),
    startsAt: l.startsAt.getTime(),
    currentEndAt: (s.currentEndAt ?? l.currentEndAt).getTime(),
    extensionCount: s.extensionCount ?? 0,
    bidCount: s.bidCount,
    seq: s.lastSeq,
    registered: l.registered,
    serverTime: deps.clock().getTime(),
    recentBids: latest.map((b) => ({
      seq: b.seq,
      code: b.code ?? '',
      amountFen: b.amountFen?.toString() ?? '',
      at: b.at.getTime(),
      source: b.source === 'proxy' ? ('proxy' as const) : ('live' as const),
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
