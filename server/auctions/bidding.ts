/**
 * The bidding engine: one function decides every bid, from the socket, the HTTP form and the
 * proxy bidder alike, inside one PostgreSQL transaction that locks the auction's row. The
 * server's clock decides the time of a bid (art. 20); rules are in rules.ts; every accepted bid
 * gets the auction's next sequence number and enters the hash-chained event log (chain.ts).
 *
 * Proxy bids (a maximum the system bids up to, one increment at a time) are real bids placed
 * by the engine in the same transaction, right after the bid that outbid them, at the same
 * server time; they follow every rule and extend the end like any bid. Ties between a live bid
 * and a proxy: a proxy only ever places actual bids, and a later bid equal to the current price
 * is refused (unless a priority purchaser's), so the bid PLACED first at a price stands: a
 * live bid at exactly a proxy's maximum leads, because the proxy had not placed that amount.
 */
import { and, asc, desc, eq, gt, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Tx } from '../../db/client.js';
import { type Listing, listings, priorityPurchasers, registrations } from '../../db/schema/auctions.js';
import { auctionEvents, bidRequests, bids, proxyBids } from '../../db/schema/bidding.js';
import { deposits } from '../../db/schema/payments.js';
import type { Clock } from '../clock.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { isUuid, parseInput } from '../validation.js';
import { appendEvent, verifyChain } from './chain.js';
import type { RulesProfile } from './profile.js';
import { type BidRefusal, checkBid, extendedEnd, type Standing } from './rules.js';

const FenSchema = z
  .union([z.string(), z.number(), z.bigint()], { error: 'validation.amount' })
  .transform((v, ctx) => {
    const s = String(v).trim();
    if (!/^\d{1,15}$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: 'validation.amount' });
      return z.NEVER;
    }
    return BigInt(s);
  });

export const BidSchema = z.object({
  amountFen: FenSchema,
  /** Client-generated, per bid: a retry with the same key returns the first answer. */
  clientKey: z.string({ error: 'validation.required' }).regex(/^[\w-]{8,64}$/, 'validation.clientKey'),
});

export const ProxySchema = z.object({ maxFen: FenSchema });

export type BidAnswer =
  | {
      accepted: true;
      seq: number;
      amountFen: string;
      at: string;
      currentEndAt: string;
      extended: boolean;
    }
  | { accepted: false; reason: BidRefusal | BidGate };

/** Refusals decided before the rules: who may bid and when. */
export type BidGate =
  | 'bidding.notRegistered'
  | 'bidding.depositNotHeld'
  | 'bidding.notLive'
  | 'bidding.ended';

/** A public auction event as the log stores it and the realtime layer broadcasts it. */
export interface LoggedEvent {
  listingId: string;
  seq: number;
  type: string;
  at: Date;
  payload: Record<string, unknown>;
}

export interface BiddingDeps {
  db: Database;
  clock: Clock;
  profile: RulesProfile;
  /** Told after the commit, in order: broadcast them (commit, then broadcast). */
  onEvents?: (events: LoggedEvent[]) => void;
}

type Bidder = { registrationId: string; code: string; priorityRank: number | null; depositHeld: boolean };

export function createBiddingService(deps: BiddingDeps) {
  const { db, clock, profile } = deps;

  async function bidderOf(tx: Tx, listingId: string, userId: string): Promise<Bidder | null> {
    const [row] = await tx
      .select({
        registrationId: registrations.id,
        code: registrations.code,
        status: registrations.status,
        rank: priorityPurchasers.rank,
        deposit: deposits.status,
      })
      .from(registrations)
      .innerJoin(deposits, eq(deposits.registrationId, registrations.id))
      .leftJoin(priorityPurchasers, eq(priorityPurchasers.id, registrations.priorityPurchaserId))
      .where(and(eq(registrations.listingId, listingId), eq(registrations.userId, userId)));
    if (!row) return null;
    return {
      registrationId: row.registrationId,
      code: row.code ?? '',
      priorityRank: row.rank ?? null,
      // Art. 17-18: bidding needs the deposit held (and so a code); a lapsed hold stops it.
      depositHeld: row.status === 'active' && row.code !== null && row.deposit === 'held',
    };
  }

  const standingOf = (l: Listing): Standing | null =>
    l.currentPriceFen !== null && l.leaderRegistrationId
      ? {
          priceFen: l.currentPriceFen,
          registrationId: l.leaderRegistrationId,
          priorityRank: l.leaderPriorityRank,
        }
      : null;

  /** Writes one accepted bid: sequence, log entry, extension, standing. `l` is the locked row, updated in place. */
  async function accept(
    tx: Tx,
    l: Listing,
    bidder: Bidder,
    amountFen: bigint,
    at: Date,
    source: 'live' | 'proxy',
    out: LoggedEvent[],
  ) {
    const newEnd = extendedEnd(at, l.currentEndAt, profile.durations.extension);
    const currentEndAt = newEnd ?? l.currentEndAt;
    const extensionCount = l.extensionCount + (newEnd ? 1 : 0);
    const event = await appendEvent(
      tx,
      l,
      'bid',
      at,
      {
        code: bidder.code,
        amountFen: amountFen.toString(),
        priorityRank: bidder.priorityRank,
        source,
        currentEndAt: currentEndAt.toISOString(),
        extended: newEnd !== null,
        extensionCount,
      },
      false,
    );
    await tx.insert(bids).values({
      listingId: l.id,
      seq: event.seq,
      registrationId: bidder.registrationId,
      code: bidder.code,
      amountFen,
      at,
      source,
      priorityRank: bidder.priorityRank,
      extendedTo: newEnd,
    });
    l.currentPriceFen = amountFen;
    l.leaderRegistrationId = bidder.registrationId;
    l.leaderPriorityRank = bidder.priorityRank;
    l.bidCount += 1;
    l.extensionCount = extensionCount;
    l.currentEndAt = currentEndAt;
    out.push(event);
    return event;
  }

  async function saveStanding(tx: Tx, l: Listing) {
    await tx
      .update(listings)
      .set({
        currentPriceFen: l.currentPriceFen,
        leaderRegistrationId: l.leaderRegistrationId,
        leaderPriorityRank: l.leaderPriorityRank,
        bidCount: l.bidCount,
        extensionCount: l.extensionCount,
        currentEndAt: l.currentEndAt,
        lastSeq: l.lastSeq,
        lastHash: l.lastHash,
      })
      .where(eq(listings.id, l.id));
  }

  /**
   * Proxies answer: while some active proxy other than the leader can afford the next step
   * (current + one increment, or the start), the earliest such proxy bids it. Each step is a
   * real bid through `accept`; prices rise every step, so the loop ends.
   */
  async function runProxies(tx: Tx, l: Listing, at: Date, out: LoggedEvent[]) {
    for (let guard = 0; guard < 10_000; guard++) {
      const standing = standingOf(l);
      const next = standing ? standing.priceFen + l.incrementFen : l.startingPriceFen;
      const candidates = await tx
        .select({ registrationId: proxyBids.registrationId, maxFen: proxyBids.maxFen })
        .from(proxyBids)
        .where(
          and(
            eq(proxyBids.listingId, l.id),
            eq(proxyBids.active, true),
            standing ? ne(proxyBids.registrationId, standing.registrationId) : undefined,
          ),
        )
        .orderBy(asc(proxyBids.serial));
      const payer = candidates.find((c) => c.maxFen >= next);
      if (!payer) return;
      const [reg] = await tx
        .select({ code: registrations.code, rank: priorityPurchasers.rank, deposit: deposits.status })
        .from(registrations)
        .innerJoin(deposits, eq(deposits.registrationId, registrations.id))
        .leftJoin(priorityPurchasers, eq(priorityPurchasers.id, registrations.priorityPurchaserId))
        .where(eq(registrations.id, payer.registrationId));
      if (!reg?.code || reg.deposit !== 'held') {
        // Its deposit lapsed meanwhile: the proxy stops instead of bidding without a deposit.
        await tx
          .update(proxyBids)
          .set({ active: false })
          .where(eq(proxyBids.registrationId, payer.registrationId));
        continue;
      }
      await accept(
        tx,
        l,
        {
          registrationId: payer.registrationId,
          code: reg.code,
          priorityRank: reg.rank ?? null,
          depositHeld: true,
        },
        next,
        at,
        'proxy',
        out,
      );
    }
    throw new Error('proxy resolution did not settle');
  }

  /** Locks the listing and checks who may bid now; null gate = may bid. */
  async function open(tx: Tx, listingId: string, userId: string, at: Date) {
    const [l] = await tx.select().from(listings).where(eq(listings.id, listingId)).for('update');
    if (!l || !['announced', 'live', 'suspended', 'ended', 'withdrawn'].includes(l.status)) throw notFound();
    const bidder = await bidderOf(tx, l.id, userId);
    let gate: BidGate | null = null;
    if (!bidder) gate = 'bidding.notRegistered';
    else if (l.status !== 'live') gate = 'bidding.notLive';
    // Art. 20: a bid received at or after the current end is refused.
    else if (at.getTime() >= l.currentEndAt.getTime()) gate = 'bidding.ended';
    else if (!bidder.depositHeld) gate = 'bidding.depositNotHeld';
    return { l, bidder, gate };
  }

  /** The first answer given to this bidder's client key, if any. */
  async function earlierAnswer(tx: Database | Tx, registrationId: string, clientKey: string) {
    const [earlier] = await tx
      .select({ answer: bidRequests.answer })
      .from(bidRequests)
      .where(and(eq(bidRequests.registrationId, registrationId), eq(bidRequests.clientKey, clientKey)));
    return earlier ? (earlier.answer as BidAnswer) : null;
  }

  /**
   * A refusal that holds whatever concurrent bids do, decided from committed state without the
   * auction's lock: prices only rise and registrations only activate, so a bid at or below a
   * committed price (from a bidder without priority), or from someone not registered, stays
   * refused. Anything time- or order-sensitive (the end, the increment grid, priority) waits
   * for the lock. Most bids in a hot auction are outbid ones: they never queue on the row.
   */
  async function refuseEarly(
    listingId: string,
    userId: string,
    amountFen: bigint,
    clientKey: string,
  ): Promise<BidAnswer | null> {
    // One round trip: read the committed state, decide, and record the refusal (the first
    // answer of this key) in the same statement.
    const rows = await db.execute<{
      status: string;
      registration_id: string | null;
      earlier: BidAnswer | null;
      reason: string | null;
      stored: BidAnswer | null;
    }>(sql`
      with s as (
        select l.status, l.current_price_fen as price, r.id as registration_id,
          r.priority_purchaser_id as priority, b.answer as earlier
        from listings l
        left join registrations r on r.listing_id = l.id and r.user_id = ${userId}
        left join bid_requests b on b.registration_id = r.id and b.client_key = ${clientKey}
        where l.id = ${listingId}
      ), refusal as (
        select registration_id,
          case when status in ('ended', 'withdrawn') then 'bidding.notLive'
               when price is not null and (${amountFen.toString()}::bigint < price
                 or (${amountFen.toString()}::bigint = price and priority is null)) then 'bidding.notAbove'
          end as reason
        from s where registration_id is not null and earlier is null
      ), stored as (
        insert into bid_requests (registration_id, client_key, answer, created_at)
        select registration_id, ${clientKey}, jsonb_build_object('accepted', false, 'reason', reason),
          ${clock().toISOString()}::timestamptz
        from refusal where reason is not null
        on conflict do nothing
        returning answer
      )
      select s.status, s.registration_id, s.earlier, (select reason from refusal) as reason,
        (select answer from stored) as stored
      from s`);
    const row = rows[0];
    if (!row || row.status === 'draft' || row.status === 'pending_approval') throw notFound();
    if (!row.registration_id) return { accepted: false, reason: 'bidding.notRegistered' };
    if (row.earlier) return row.earlier;
    if (!row.reason) return null;
    if (row.stored) return row.stored;
    // The same key recorded concurrently: its first answer stands.
    return (await earlierAnswer(db, row.registration_id, clientKey)) ?? null;
  }

  /** Decides one bid. Idempotent on (bidder, clientKey): a retry returns the first answer. */
  async function placeBid(actor: Actor | null, listingId: string, input: unknown): Promise<BidAnswer> {
    const me = requirePermission(actor, 'register:auction');
    if (!isUuid(listingId)) throw notFound();
    const { amountFen, clientKey } = parseInput(BidSchema, input);
    const early = await refuseEarly(listingId, me.userId, amountFen, clientKey);
    if (early) return early;
    const out: LoggedEvent[] = [];
    const answer = await db.transaction(async (tx) => {
      const at = clock();
      const { l, bidder, gate } = await open(tx, listingId, me.userId, at);
      if (bidder) {
        const earlier = await earlierAnswer(tx, bidder.registrationId, clientKey);
        if (earlier) return earlier;
      }
      let result: BidAnswer;
      const refusal = gate ?? checkBid(l, standingOf(l), bidder!, amountFen);
      if (refusal) result = { accepted: false, reason: refusal };
      else {
        const endBefore = l.currentEndAt.getTime();
        const event = await accept(tx, l, bidder!, amountFen, at, 'live', out);
        await runProxies(tx, l, at, out);
        await saveStanding(tx, l);
        result = {
          accepted: true,
          seq: event.seq,
          amountFen: amountFen.toString(),
          at: at.toISOString(),
          currentEndAt: l.currentEndAt.toISOString(),
          extended: l.currentEndAt.getTime() !== endBefore,
        };
      }
      if (bidder) {
        // A refusal recorded meanwhile by the early path for the same key: keep the first answer.
        const [stored] = await tx
          .insert(bidRequests)
          .values({ registrationId: bidder.registrationId, clientKey, answer: result, createdAt: at })
          .onConflictDoNothing()
          .returning({ answer: bidRequests.answer });
        if (!stored) {
          // An early refusal of the same key stored meanwhile: it was refused on a committed
          // price this bid also cannot beat, so this is a refusal too. Were it not, roll back
          // rather than answer a key twice differently.
          if (result.accepted) throw new Error(`bid key ${clientKey} answered twice`);
          return (await earlierAnswer(tx, bidder.registrationId, clientKey)) ?? result;
        }
      }
      return result;
    });
    if (out.length) deps.onEvents?.(out);
    return answer;
  }

  /**
   * Sets (or raises/lowers) the bidder's proxy maximum; the engine bids for him at once if he
   * does not lead. A maximum below the next valid amount is refused.
   */
  async function setProxy(actor: Actor | null, listingId: string, input: unknown) {
    const me = requirePermission(actor, 'register:auction');
    if (!isUuid(listingId)) throw notFound();
    const { maxFen } = parseInput(ProxySchema, input);
    const out: LoggedEvent[] = [];
    const result = await db.transaction(async (tx) => {
      const at = clock();
      const { l, bidder, gate } = await open(tx, listingId, me.userId, at);
      if (gate) throw new DomainError('conflict', gate);
      const standing = standingOf(l);
      const next = standing ? standing.priceFen + l.incrementFen : l.startingPriceFen;
      const leading = standing?.registrationId === bidder!.registrationId;
      if (maxFen < (leading ? standing!.priceFen : next)) {
        throw new DomainError('validation', 'errors.validation', {
          fieldErrors: { maxFen: ['bidding.proxyTooLow'] },
        });
      }
      await tx
        .insert(proxyBids)
        .values({ registrationId: bidder!.registrationId, listingId: l.id, maxFen, active: true, setAt: at })
        .onConflictDoUpdate({ target: proxyBids.registrationId, set: { maxFen, active: true, setAt: at } });
      await runProxies(tx, l, at, out);
      if (out.length) await saveStanding(tx, l);
      return { maxFen: maxFen.toString(), bidsPlaced: out.length };
    });
    if (out.length) deps.onEvents?.(out);
    return result;
  }

  async function cancelProxy(actor: Actor | null, listingId: string) {
    const me = requirePermission(actor, 'register:auction');
    if (!isUuid(listingId)) throw notFound();
    await db.transaction(async (tx) => {
      const bidder = await bidderOf(tx, listingId, me.userId);
      if (!bidder) throw new DomainError('conflict', 'bidding.notRegistered');
      await tx
        .update(proxyBids)
        .set({ active: false })
        .where(eq(proxyBids.registrationId, bidder.registrationId));
    });
  }

  /** The log after `afterSeq`, in order: what a reconnecting client missed. Public (codes only). */
  async function eventsAfter(listingId: string, afterSeq: number, limit = 1000) {
    if (!isUuid(listingId)) throw notFound();
    const rows = await db
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
  async function chain(listingId: string) {
    if (!isUuid(listingId)) throw notFound();
    const [l] = await db
      .select({ id: listings.id, status: listings.status, lastHash: listings.lastHash })
      .from(listings)
      .where(eq(listings.id, listingId));
    if (!l || l.status === 'draft' || l.status === 'pending_approval') throw notFound();
    const entries = await db
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
  async function snapshot(listingId: string, recent = 20) {
    if (!isUuid(listingId)) throw notFound();
    const [l] = await db.select().from(listings).where(eq(listings.id, listingId));
    if (!l || l.status === 'draft' || l.status === 'pending_approval') throw notFound();
    const [{ registered } = { registered: 0 }] = await db
      .select({ registered: sql<number>`count(*)::int` })
      .from(registrations)
      .where(and(eq(registrations.listingId, l.id), eq(registrations.status, 'active')));
    const latest = await db
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
      serverTime: clock().getTime(),
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
  async function myStanding(actor: Actor | null, listingId: string) {
    if (!actor || !isUuid(listingId)) return null;
    return db.transaction(async (tx) => {
      const bidder = await bidderOf(tx, listingId, actor.userId);
      if (!bidder) return null;
      const [proxy] = await tx
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
    });
  }

  return { placeBid, setProxy, cancelProxy, eventsAfter, chain, snapshot, myStanding };
}

export type BiddingService = ReturnType<typeof createBiddingService>;
