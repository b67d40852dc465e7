/**
 * The bidding engine: one function decides every bid, from the socket, the HTTP form and the
 * proxy bidder alike, inside a PostgreSQL transaction that locks the auction's row. The
 * server's clock decides the time of a bid (art. 20); rules are in rules.ts; every accepted bid
 * gets the auction's next sequence number and enters the hash-chained event log (chain.ts).
 *
 * Bids that arrive while the auction's lock is held wait and are decided together in the next
 * transaction, one after another in arrival order, exactly as if each had its own (a "round",
 * `runRounds`): the lock and the commit, which bound a hot auction's rate, are paid once per
 * round. No answer leaves before its round has committed.
 *
 * Proxy bids (a maximum the system bids up to, one increment at a time) are real bids placed
 * by the engine in the same transaction, right after the bid that outbid them, at the same
 * server time; they follow every rule and extend the end like any bid. Ties between a live bid
 * and a proxy: a proxy only ever places actual bids, and a later bid equal to the current price
 * is refused (unless a priority purchaser's), so the bid PLACED first at a price stands: a
 * live bid at exactly a proxy's maximum leads, because the proxy had not placed that amount.
 */
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { type Listing, listings, registrations } from '../../db/schema/auctions.js';
import { auctionEvents, bids, proxyBids } from '../../db/schema/bidding.js';
import type { Clock } from '../clock.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { isUuid, parseInput } from '../validation.js';
import { nextEntry, verifyChain } from './chain.js';
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
  /** The same pool's postgres.js client: the engine's locked transactions use it directly. */
  sql: postgres.Sql;
  clock: Clock;
  profile: RulesProfile;
  /** Told after the commit, in order: broadcast them (commit, then broadcast). */
  onEvents?: (events: LoggedEvent[]) => void;
}

type Bidder = { registrationId: string; code: string; priorityRank: number | null; depositHeld: boolean };

/** A proxy maximum with what its bidder needs to bid (loaded with each locked transaction). */
type Proxy = Bidder & { maxFen: bigint };

/** The listing columns the engine decides on and moves, read under the lock. */
type Auction = Pick<
  Listing,
  | 'id'
  | 'status'
  | 'startingPriceFen'
  | 'incrementFen'
  | 'currentEndAt'
  | 'currentPriceFen'
  | 'leaderRegistrationId'
  | 'leaderPriorityRank'
  | 'bidCount'
  | 'extensionCount'
  | 'lastSeq'
  | 'lastHash'
>;

/** One bid waiting for its auction's next decision round. */
interface Pending {
  userId: string;
  amountFen: bigint;
  clientKey: string;
  resolve: (answer: BidAnswer) => void;
  reject: (err: unknown) => void;
}

/** What one locked transaction writes, sent together with its COMMIT. */
interface Writes {
  events: ReturnType<typeof nextEntry>[];
  bids: Array<{
    seq: number;
    registrationId: string;
    code: string;
    amountFen: bigint;
    at: Date;
    source: 'live' | 'proxy';
    priorityRank: number | null;
    extendedTo: Date | null;
  }>;
  /** Proxies whose bidder can no longer bid (deposit lapsed): they stop. */
  stopped: Set<string>;
  /** The first answers given to bidders' client keys. */
  requests: Array<{ registrationId: string; clientKey: string; answer: BidAnswer }>;
}

/** Where a statement runs: the pool, or a connection reserved for a locked transaction. */
type Conn = postgres.Sql<Record<string, unknown>>;
type Statement = postgres.PendingQuery<postgres.Row[]>;

/** The most bids one round decides: bounds a round's latency. */
const MAX_ROUND = 500;

/** Who may bid now; null = may bid. The rules (rules.ts) come after this gate. */
function gateOf(l: Auction, bidder: Bidder | null, at: Date): BidGate | null {
  if (!bidder) return 'bidding.notRegistered';
  if (l.status !== 'live') return 'bidding.notLive';
  // Art. 20: a bid received at or after the current end is refused.
  if (at.getTime() >= l.currentEndAt.getTime()) return 'bidding.ended';
  if (!bidder.depositHeld) return 'bidding.depositNotHeld';
  return null;
}

const standingOf = (l: Auction): Standing | null =>
  l.currentPriceFen !== null && l.leaderRegistrationId
    ? {
        priceFen: l.currentPriceFen,
        registrationId: l.leaderRegistrationId,
        priorityRank: l.leaderPriorityRank,
      }
    : null;

/** Art. 17-18: bidding needs an active registration with its code and the deposit held; a lapsed hold stops it. */
const mayBid = (r: { status: string | null; code: string | null; deposit: string | null }) =>
  r.status === 'active' && r.code !== null && r.deposit === 'held';

const newWrites = (): Writes => ({ events: [], bids: [], stopped: new Set(), requests: [] });
const iso = (d: Date | null) => d?.toISOString() ?? null;

export function createBiddingService(deps: BiddingDeps) {
  const { db, sql: client, clock, profile } = deps;

  // ---- The statements of a locked transaction. Plain postgres.js on a reserved connection:
  // statements sent before the answers to earlier ones arrive are pipelined, in the order sent.

  const lockStatement = (q: Conn, listingId: string) => q`
    select id, status, starting_price_fen, increment_fen,
      (extract(epoch from current_end_at) * 1000)::float8 as current_end_ms, current_price_fen,
      leader_registration_id, leader_priority_rank, bid_count, extension_count, last_seq, last_hash
    from listings where id = ${listingId} for update`;

  const auctionOf = (row: postgres.Row | undefined): Auction | null =>
    row && ['announced', 'live', 'suspended', 'ended', 'withdrawn'].includes(row.status)
      ? {
          id: row.id,
          status: row.status,
          startingPriceFen: row.starting_price_fen,
          incrementFen: row.increment_fen,
          currentEndAt: new Date(row.current_end_ms),
          currentPriceFen: row.current_price_fen,
          leaderRegistrationId: row.leader_registration_id,
          leaderPriorityRank: row.leader_priority_rank,
          bidCount: row.bid_count,
          extensionCount: row.extension_count,
          lastSeq: row.last_seq,
          lastHash: row.last_hash,
        }
      : null;

  /** The bidders behind `who` (user, client key) and the first answers already given to those keys. */
  const biddersStatement = (
    q: Conn,
    listingId: string,
    who: ReadonlyArray<{ userId: string; clientKey: string }>,
  ) => q`
    select v.n - 1 as n, r.id as registration_id, r.code, r.status, pp.rank, d.status as deposit, b.answer
    from unnest(${q.array(who.map((p) => p.userId))}::text[]::uuid[], ${q.array(who.map((p) => p.clientKey))}::text[])
      with ordinality as v(user_id, client_key, n)
    join registrations r on r.listing_id = ${listingId} and r.user_id = v.user_id
    join deposits d on d.registration_id = r.id
    left join priority_purchasers pp on pp.id = r.priority_purchaser_id
    left join bid_requests b on b.registration_id = r.id and b.client_key = v.client_key`;

  /** `result[i]` belongs to `who[i]`: its bidder (null: not registered) and the key's first answer. */
  function biddersOf(rows: postgres.Row[], count: number) {
    const out: Array<{ bidder: Bidder | null; earlier: BidAnswer | null }> = Array.from(
      { length: count },
      () => ({
        bidder: null,
        earlier: null,
      }),
    );
    for (const r of rows)
      out[Number(r.n)] = {
        bidder: {
          registrationId: r.registration_id,
          code: r.code ?? '',
          priorityRank: r.rank ?? null,
          depositHeld: mayBid(r as { status: string; code: string | null; deposit: string }),
        },
        earlier: r.answer ?? null,
      };
    return out;
  }

  /** The bidder `userId` is in this auction (null: not registered), read outside any lock. */
  async function bidderOf(listingId: string, userId: string): Promise<Bidder | null> {
    const rows = await biddersStatement(client, listingId, [{ userId, clientKey: '' }]);
    return biddersOf(rows, 1)[0]!.bidder;
  }

  /** The auction's active proxies, earliest first (ties between proxies: the earlier maximum). */
  const proxiesStatement = (q: Conn, listingId: string) => q`
    select p.registration_id, p.max_fen, r.code, r.status, pp.rank, d.status as deposit
    from proxy_bids p
    join registrations r on r.id = p.registration_id
    join deposits d on d.registration_id = r.id
    left join priority_purchasers pp on pp.id = r.priority_purchaser_id
    where p.listing_id = ${listingId} and p.active
    order by p.serial`;

  const proxiesOf = (rows: postgres.Row[]): Proxy[] =>
    rows.map((r) => ({
      registrationId: r.registration_id,
      maxFen: r.max_fen,
      code: r.code ?? '',
      priorityRank: r.rank ?? null,
      depositHeld: mayBid(r as { status: string; code: string | null; deposit: string }),
    }));

  /**
   * A transaction's answers, log entries, bids and stopped proxies, and the listing's new
   * standing, in one statement. Rows travel as one array per column, so the statement's text
   * is the same for any number of rows: prepared once per connection, whatever a round's size.
   * A key answered twice (keys are read under the lock and repeats within a round share one
   * answer, so only a bug could) breaks bid_requests' primary key and rolls everything back.
   */
  function writeStatement(q: Conn, l: Auction, w: Writes, at: Date): Statement {
    const col = <T>(rows: readonly T[], f: (row: T) => string | null) => q.array(rows.map(f) as string[]);
    return q`
      with requests as (
        insert into bid_requests (registration_id, client_key, answer, created_at)
        select r, k, a, ${at.toISOString()}::timestamptz
        from unnest(${col(w.requests, (x) => x.registrationId)}::text[]::uuid[], ${col(w.requests, (x) => x.clientKey)}::text[],
          ${col(w.requests, (x) => JSON.stringify(x.answer))}::text[]::jsonb[]) as t(r, k, a)
      ), entries as (
        insert into auction_events (listing_id, seq, type, at, payload, prev_hash, hash)
        select ${l.id}::uuid, * from unnest(${col(w.events, (e) => String(e.seq))}::text[]::int[],
          ${col(w.events, (e) => e.type)}::text[], ${col(w.events, (e) => iso(e.at))}::text[]::timestamptz[],
          ${col(w.events, (e) => JSON.stringify(e.payload))}::text[]::jsonb[],
          ${col(w.events, (e) => e.prevHash)}::text[], ${col(w.events, (e) => e.hash)}::text[])
      ), placed as (
        insert into bids (listing_id, seq, registration_id, code, amount_fen, at, source, priority_rank, extended_to)
        select ${l.id}::uuid, * from unnest(${col(w.bids, (x) => String(x.seq))}::text[]::int[],
          ${col(w.bids, (x) => x.registrationId)}::text[]::uuid[], ${col(w.bids, (x) => x.code)}::text[],
          ${col(w.bids, (x) => x.amountFen.toString())}::text[]::bigint[], ${col(w.bids, (x) => iso(x.at))}::text[]::timestamptz[],
          ${col(w.bids, (x) => x.source)}::text[]::bid_source[],
          ${col(w.bids, (x) => (x.priorityRank === null ? null : String(x.priorityRank)))}::text[]::int[],
          ${col(w.bids, (x) => iso(x.extendedTo))}::text[]::timestamptz[])
      ), stopped as (
        update proxy_bids set active = false where registration_id = any(${col([...w.stopped], (x) => x)}::text[]::uuid[])
      ), standing as (
        update listings set current_price_fen = ${l.currentPriceFen?.toString() ?? null}::bigint,
          leader_registration_id = ${l.leaderRegistrationId}::uuid, leader_priority_rank = ${l.leaderPriorityRank}::int,
          bid_count = ${l.bidCount}::int, extension_count = ${l.extensionCount}::int,
          current_end_at = ${l.currentEndAt.toISOString()}::timestamptz, last_seq = ${l.lastSeq}::int,
          last_hash = ${l.lastHash}::text
        where id = ${l.id}::uuid and ${w.events.length > 0}::boolean
      )
      select 1`;
  }

  /**
   * A transaction that holds the auction's row lock, in two round trips: BEGIN, the lock and
   * `reads` are sent together (each statement runs once the one before is done, so the reads
   * see everything committed before the lock was ours, READ COMMITTED); `decide` works on
   * their answers and returns its writes, which are sent together with COMMIT. A failed
   * statement aborts the transaction, and the COMMIT behind it then rolls back.
   */
  async function underLock<T>(
    listingId: string,
    reads: (q: Conn) => Statement[],
    decide: (l: Auction, at: Date, answers: postgres.Row[][], q: Conn) => { result: T; writes: Statement[] },
  ): Promise<T> {
    const q = (await client.reserve()) as unknown as postgres.ReservedSql<Record<string, unknown>>;
    try {
      const first = [q`begin`, lockStatement(q, listingId), ...reads(q)];
      for (const s of first) s.execute();
      const [, locked, ...answers] = await Promise.all(first);
      const l = auctionOf(locked![0]);
      if (!l) throw notFound();
      const { result, writes } = decide(l, clock(), answers, q);
      const last = [...writes, q`commit`];
      for (const s of last) s.execute();
      await Promise.all(last);
      return result;
    } catch (err) {
      await q`rollback`.catch(() => {});
      throw err;
    } finally {
      q.release();
    }
  }

  /** One accepted bid: sequence, log entry, extension, standing. `l` is the locked row, updated in place. */
  function accept(
    l: Auction,
    bidder: Bidder,
    amountFen: bigint,
    at: Date,
    source: 'live' | 'proxy',
    w: Writes,
  ) {
    const newEnd = extendedEnd(at, l.currentEndAt, profile.durations.extension);
    const currentEndAt = newEnd ?? l.currentEndAt;
    const extensionCount = l.extensionCount + (newEnd ? 1 : 0);
    const entry = nextEntry(l, 'bid', at, {
      code: bidder.code,
      amountFen: amountFen.toString(),
      priorityRank: bidder.priorityRank,
      source,
      currentEndAt: currentEndAt.toISOString(),
      extended: newEnd !== null,
      extensionCount,
    });
    w.events.push(entry);
    w.bids.push({
      seq: entry.seq,
      registrationId: bidder.registrationId,
      code: bidder.code,
      amountFen,
      at,
      source,
      priorityRank: bidder.priorityRank,
      extendedTo: newEnd,
    });
    l.lastSeq = entry.seq;
    l.lastHash = entry.hash;
    l.currentPriceFen = amountFen;
    l.leaderRegistrationId = bidder.registrationId;
    l.leaderPriorityRank = bidder.priorityRank;
    l.bidCount += 1;
    l.extensionCount = extensionCount;
    l.currentEndAt = currentEndAt;
    return entry;
  }

  /**
   * Proxies answer: while some active proxy other than the leader can afford the next step
   * (current + one increment, or the start), the earliest such proxy bids it. Each step is a
   * real bid through `accept`; prices rise every step, so the loop ends.
   */
  function runProxies(l: Auction, proxies: readonly Proxy[], at: Date, w: Writes) {
    for (let guard = 0; guard < 10_000; guard++) {
      const standing = standingOf(l);
      const next = standing ? standing.priceFen + l.incrementFen : l.startingPriceFen;
      const payer = proxies.find(
        (p) =>
          !w.stopped.has(p.registrationId) &&
          p.registrationId !== standing?.registrationId &&
          p.maxFen >= next,
      );
      if (!payer) return;
      // Its deposit lapsed meanwhile: the proxy stops instead of bidding without a deposit.
      if (!payer.depositHeld) w.stopped.add(payer.registrationId);
      else accept(l, payer, next, at, 'proxy', w);
    }
    throw new Error('proxy resolution did not settle');
  }

  /**
   * One decision round: locks the auction, then decides its waiting bids in arrival order, each
   * against the standing the ones before it left (proxies answering after each accepted bid),
   * and writes them all before the one commit. The server's time of the round is the time of
   * its bids (art. 20): read once the lock is held, so times never run backwards along the log.
   */
  async function decideRound(listingId: string, round: readonly Pending[]) {
    const w = newWrites();
    const answers = await underLock(
      listingId,
      (q) => [biddersStatement(q, listingId, round), proxiesStatement(q, listingId)],
      (l, at, [bidderRows, proxyRows], q) => {
        const who = biddersOf(bidderRows!, round.length);
        const proxies = proxiesOf(proxyRows!);
        const given = new Map<string, BidAnswer>();
        const answers: BidAnswer[] = [];
        for (const [i, { amountFen, clientKey }] of round.entries()) {
          const { bidder, earlier } = who[i]!;
          const key = `${bidder?.registrationId}:${clientKey}`;
          const repeated = earlier ?? (bidder && given.get(key));
          if (repeated) {
            answers.push(repeated);
            continue;
          }
          const refusal = gateOf(l, bidder, at) ?? checkBid(l, standingOf(l), bidder!, amountFen);
          let answer: BidAnswer;
          if (refusal) answer = { accepted: false, reason: refusal };
          else {
            const endBefore = l.currentEndAt.getTime();
            const entry = accept(l, bidder!, amountFen, at, 'live', w);
            runProxies(l, proxies, at, w);
            answer = {
              accepted: true,
              seq: entry.seq,
              amountFen: amountFen.toString(),
              at: at.toISOString(),
              currentEndAt: l.currentEndAt.toISOString(),
              extended: l.currentEndAt.getTime() !== endBefore,
            };
          }
          answers.push(answer);
          if (bidder) {
            given.set(key, answer);
            w.requests.push({ registrationId: bidder.registrationId, clientKey, answer });
          }
        }
        return { result: answers, writes: [writeStatement(q, l, w, at)] };
      },
    );
    return { answers, events: w.events };
  }

  /** Waiting bids per auction; present while its round runner runs (one per auction and process). */
  const waitingBids = new Map<string, Pending[]>();

  /**
   * Decides the auction's waiting bids round after round until none wait. Rounds batch
   * themselves: a bid arriving while a round holds the lock joins the next one, so a quiet
   * auction decides each bid at once and a hot one commits many per transaction (the row lock
   * and the commit are paid once per round, not once per bid). Other processes run their own
   * rounds; the row lock orders them.
   */
  async function runRounds(listingId: string, waiting: Pending[]) {
    while (waiting.length) {
      const round = waiting.splice(0, MAX_ROUND);
      try {
        const { answers, events } = await decideRound(listingId, round);
        for (const [i, p] of round.entries()) p.resolve(answers[i]!);
        // The round's bidders get their answers first; the room (every watcher) right after.
        if (events.length) setImmediate(() => deps.onEvents?.(events));
      } catch (err) {
        // Nothing of the round was written (or it was, and a retry with its key says so).
        for (const p of round) p.reject(err);
      }
    }
    waitingBids.delete(listingId);
  }

  /** Decides one bid. Idempotent on (bidder, clientKey): a retry returns the first answer. */
  async function placeBid(actor: Actor | null, listingId: string, input: unknown): Promise<BidAnswer> {
    const me = requirePermission(actor, 'register:auction');
    if (!isUuid(listingId)) throw notFound();
    const { amountFen, clientKey } = parseInput(BidSchema, input);
    return new Promise((resolve, reject) => {
      const pending: Pending = { userId: me.userId, amountFen, clientKey, resolve, reject };
      const waiting = waitingBids.get(listingId);
      if (waiting) waiting.push(pending);
      else {
        waitingBids.set(listingId, [pending]);
        void runRounds(listingId, waitingBids.get(listingId)!);
      }
    });
  }

  /**
   * Sets (or raises/lowers) the bidder's proxy maximum; the engine bids for him at once if he
   * does not lead. A maximum below the next valid amount is refused. An active proxy changed
   * keeps its place among the others (its serial); a new one, or one set again after it was
   * cancelled or stopped, comes last: the others set meanwhile were there first.
   */
  async function setProxy(actor: Actor | null, listingId: string, input: unknown) {
    const me = requirePermission(actor, 'register:auction');
    if (!isUuid(listingId)) throw notFound();
    const { maxFen } = parseInput(ProxySchema, input);
    const w = newWrites();
    const result = await underLock(
      listingId,
      (q) => [
        biddersStatement(q, listingId, [{ userId: me.userId, clientKey: '' }]),
        proxiesStatement(q, listingId),
      ],
      (l, at, [bidderRows, proxyRows], q) => {
        const { bidder } = biddersOf(bidderRows!, 1)[0]!;
        const gate = gateOf(l, bidder, at);
        if (gate) throw new DomainError('conflict', gate);
        const standing = standingOf(l);
        const next = standing ? standing.priceFen + l.incrementFen : l.startingPriceFen;
        const leading = standing?.registrationId === bidder!.registrationId;
        if (maxFen < (leading ? standing!.priceFen : next)) {
          throw new DomainError('validation', 'errors.validation', {
            fieldErrors: { maxFen: ['bidding.proxyTooLow'] },
          });
        }
        // An active proxy keeps its place (its serial); a new or re-activated one comes last.
        const proxies = proxiesOf(proxyRows!);
        const mine = proxies.find((p) => p.registrationId === bidder!.registrationId);
        if (mine) mine.maxFen = maxFen;
        else proxies.push({ ...bidder!, maxFen });
        runProxies(l, proxies, at, w);
        const upsert = q`
          insert into proxy_bids (registration_id, listing_id, max_fen, active, set_at)
          values (${bidder!.registrationId}, ${l.id}, ${maxFen.toString()}, true, ${at.toISOString()})
          on conflict (registration_id) do update set max_fen = excluded.max_fen, active = true, set_at = excluded.set_at,
            serial = case when proxy_bids.active then proxy_bids.serial else excluded.serial end`;
        return {
          result: { maxFen: maxFen.toString(), bidsPlaced: w.events.length },
          writes: [upsert, writeStatement(q, l, w, at)],
        };
      },
    );
    if (w.events.length) deps.onEvents?.(w.events);
    return result;
  }

  /**
   * Stops the bidder's proxy: it bids no more; the bids it placed stand (they are bids like any
   * other, art. 20). Idempotent: cancelling twice, or with no proxy set, changes nothing more.
   * Under the auction's lock, so a round that read the proxy as active commits first and no
   * round after this one sees it.
   */
  async function cancelProxy(actor: Actor | null, listingId: string) {
    const me = requirePermission(actor, 'register:auction');
    if (!isUuid(listingId)) throw notFound();
    return underLock(
      listingId,
      (q) => [biddersStatement(q, listingId, [{ userId: me.userId, clientKey: '' }])],
      (_l, _at, [bidderRows], q) => {
        const { bidder } = biddersOf(bidderRows!, 1)[0]!;
        if (!bidder) throw new DomainError('conflict', 'bidding.notRegistered');
        return {
          result: { cancelled: true as const },
          writes: [q`update proxy_bids set active = false where registration_id = ${bidder.registrationId}`],
        };
      },
    );
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
    const bidder = await bidderOf(listingId, actor.userId);
    if (!bidder) return null;
    const [proxy] = await db
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

  return { placeBid, setProxy, cancelProxy, eventsAfter, chain, snapshot, myStanding };
}

export type BiddingService = ReturnType<typeof createBiddingService>;
