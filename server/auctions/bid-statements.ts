/**
 * The statements of the bidding engine's locked transactions (ADR 008), and the rows they read
 * mapped to the engine's types. Plain postgres.js on a reserved connection, not Drizzle:
 * statements sent before the answers to earlier ones arrive are pipelined, in the order sent,
 * which Drizzle's extra asynchronous steps do not keep (a COMMIT was seen to overtake a write).
 */
import type postgres from 'postgres';
import type { Listing } from '../../db/schema/auctions.js';
import { notFound } from '../errors.js';
import type { nextEntry } from './chain.js';
import type { BiddingDeps } from './deps.js';
import { jobKey } from './listing-lifecycle.js';
import type { BidRefusal } from './rules.js';

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

export type Bidder = {
  registrationId: string;
  code: string;
  priorityRank: number | null;
  depositHeld: boolean;
};

/** A proxy maximum with what its bidder needs to bid (loaded with each locked transaction). */
export type ProxyBidder = Bidder & { maxFen: bigint };

/**
 * The listing columns the engine decides on and moves, read under the lock, and the time of the
 * log's last entry (bids are stamped no earlier, so times never run backwards along the log).
 */
export type Auction = { lastEventAt: Date | null } & Pick<
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

/** What one locked transaction writes, sent together with its COMMIT. */
export interface Writes {
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
export type Conn = postgres.Sql<Record<string, unknown>>;
export type Statement = postgres.PendingQuery<postgres.Row[]>;

/** Art. 17-18: bidding needs an active registration with its code and the deposit held; a lapsed hold stops it. */
export const mayBid = (r: { status: string | null; code: string | null; deposit: string | null }) =>
  r.status === 'active' && r.code !== null && r.deposit === 'held';

export const newWrites = (): Writes => ({ events: [], bids: [], stopped: new Set(), requests: [] });
const iso = (d: Date | null) => d?.toISOString() ?? null;

const lockStatement = (q: Conn, listingId: string) => q`
  select id, status, starting_price_fen, increment_fen,
    (extract(epoch from current_end_at) * 1000)::float8 as current_end_ms, current_price_fen,
    leader_registration_id, leader_priority_rank, bid_count, extension_count, last_seq, last_hash,
    (select (extract(epoch from e.at) * 1000)::float8 from auction_events e
      where e.listing_id = listings.id and e.seq = listings.last_seq) as last_event_ms
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
        lastEventAt: row.last_event_ms === null ? null : new Date(row.last_event_ms),
      }
    : null;

/** The bidders behind `who` (user, client key) and the first answers already given to those keys. */
export const biddersStatement = (
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
export function biddersOf(rows: postgres.Row[], count: number) {
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

/** The auction's active proxies, earliest first (ties between proxies: the earlier maximum). */
export const proxiesStatement = (q: Conn, listingId: string) => q`
  select p.registration_id, p.max_fen, r.code, r.status, pp.rank, d.status as deposit
  from proxy_bids p
  join registrations r on r.id = p.registration_id
  join deposits d on d.registration_id = r.id
  left join priority_purchasers pp on pp.id = r.priority_purchaser_id
  where p.listing_id = ${listingId} and p.active
  order by p.serial`;

export const proxiesOf = (rows: postgres.Row[]): ProxyBidder[] =>
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
export function writeStatement(q: Conn, l: Auction, w: Writes, at: Date): Statement {
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
 * The end's durable timer follows the end (art. 20): a round that extended the auction moves its
 * pending `listing.end` job to the new end, so in a last-second crowd the closing job does not
 * wake at the old end only to find it moved and come back (issue 15: those re-checks were most
 * of the closing runs, competing with the closes that were due). SKIP LOCKED: a job already
 * claimed belongs to its close, which re-reads the end under the auction's lock and comes back
 * at the new one (closing.ts); waiting for it here would deadlock with that close, which waits
 * for this auction's lock.
 */
export function endTimerStatement(q: Conn, listingId: string, endAt: Date): Statement {
  return q`
    update jobs set run_at = ${endAt.toISOString()}::timestamptz
    where id = (select id from jobs where key = ${jobKey(listingId, 'end')} and status = 'pending'
      for update skip locked)`;
}

/**
 * A transaction that holds the auction's row lock, in two round trips: BEGIN, the lock and
 * `reads` are sent together (each statement runs once the one before is done, so the reads
 * see everything committed before the lock was ours, READ COMMITTED); `decide` works on
 * their answers and returns its writes, which are sent together with COMMIT. A failed
 * statement aborts the transaction, and the COMMIT behind it then rolls back.
 */
export async function underLock<T>(
  deps: Pick<BiddingDeps, 'sql' | 'clock'>,
  listingId: string,
  reads: (q: Conn) => Statement[],
  decide: (l: Auction, at: Date, answers: postgres.Row[][], q: Conn) => { result: T; writes: Statement[] },
): Promise<T> {
  const { sql: client, clock } = deps;
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
