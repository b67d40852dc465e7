/**
 * The bidding engine (ADR 008): one function decides every bid, from the socket, the HTTP form
 * and the proxy bidder alike, in rounds under the auction's row lock (`underLock`,
 * bid-statements.ts). The server's clock decides the time of a bid (art. 20); rules are in
 * rules.ts; every accepted bid gets the auction's next sequence number and enters the
 * hash-chained event log (chain.ts).
 */

import { DomainError, notFound } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { bidAckSeconds, bidsDecided } from '../metrics/metrics.js';
import { extendedStatement, wakeDispatchers } from '../outbox/events.js';
import { isUuid, parseInput } from '../validation.js';
import {
  type Auction,
  type BidAnswer,
  type Bidder,
  type BidGate,
  biddersOf,
  biddersStatement,
  endTimerStatement,
  newWrites,
  type ProxyBidder,
  proxiesOf,
  proxiesStatement,
  underLock,
  type Writes,
  writeStatement,
} from './bid-statements.js';
import { nextEntry } from './chain.js';
import type { BiddingDeps } from './deps.js';
import type { Arrival } from './intake.js';
import { bidStamp, checkBid, extendedEnd, isPastEnd, proxyFloor, proxyStep, type Standing } from './rules.js';
import { BidSchema, ProxySchema } from './schemas.js';

// The bid's and the proxy's payloads are schemas.ts's: the practice auction parses them alike.
export { BidSchema, ProxySchema } from './schemas.js';

/** One bid waiting for its auction's next decision round. */
export interface Pending {
  userId: string;
  amountFen: bigint;
  clientKey: string;
  /** When it reached this server (art. 20), stamped by the way in: the socket packet, the form request. */
  receivedAt: Date;
  resolve: (answer: BidAnswer) => void;
  reject: (err: unknown) => void;
}

/**
 * Art. 20: a bid's time is when it reached the server, never when the engine got to it; kept
 * monotonic along the auction's log, a bid that arrived before the last entry (it waited in
 * another process, or behind a slower session check) is stamped with that entry's time. The
 * stamp never crosses the end: every entry of a live auction is earlier than its current end.
 */
export const stampOf = (l: Auction, receivedAt: Date) => bidStamp(l.lastEventAt, receivedAt);

/** The most bids one round decides: bounds a round's latency. */
const MAX_ROUND = 500;

/** Who may bid now; null = may bid. The rules (rules.ts) come after this gate. */
function gateOf(l: Auction, bidder: Bidder | null, at: Date): BidGate | null {
  if (!bidder) return 'bidding.notRegistered';
  if (l.status !== 'live') return 'bidding.notLive';
  // Art. 20: a bid received at or after the current end is refused.
  if (isPastEnd(at, l.currentEndAt)) return 'bidding.ended';
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

/** One accepted bid: sequence, log entry, extension, standing. `l` is the locked row, updated in place. */
export function accept(
  deps: Pick<BiddingDeps, 'profile'>,
  l: Auction,
  bidder: Bidder,
  amountFen: bigint,
  at: Date,
  source: 'live' | 'proxy',
  w: Writes,
) {
  const newEnd = extendedEnd(at, l.currentEndAt, deps.profile.durations.extension);
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
  l.lastEventAt = at;
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
export function runProxies(
  deps: Pick<BiddingDeps, 'profile'>,
  l: Auction,
  proxies: readonly ProxyBidder[],
  at: Date,
  w: Writes,
) {
  for (let guard = 0; guard < 10_000; guard++) {
    const step = proxyStep(
      l,
      standingOf(l),
      proxies.filter((p) => !w.stopped.has(p.registrationId)),
    );
    if (!step) return;
    // Its deposit lapsed meanwhile: the proxy stops instead of bidding without a deposit.
    if (!step.proxy.depositHeld) w.stopped.add(step.proxy.registrationId);
    else accept(deps, l, step.proxy, step.amountFen, at, 'proxy', w);
  }
  throw new Error('proxy resolution did not settle');
}

/**
 * One decision round: locks the auction, then decides its waiting bids in order of arrival, each
 * at its own arrival stamp (`stampOf`) and against the standing the ones before it left (proxies
 * answering after each accepted bid, at the same stamp), and writes them all before the one
 * commit. A bid that arrived before the current end is decided as such, however long it waited.
 */
async function decideRound(deps: BiddingDeps, listingId: string, round: readonly Pending[]) {
  const w = newWrites();
  // Arrival order: a bid may reach the queue after a later one (its session was re-checked first).
  const order = round.map((_, i) => i).sort((a, b) => +round[a]!.receivedAt - +round[b]!.receivedAt || a - b);
  let extended = false;
  const answers = await underLock(
    deps,
    listingId,
    (q) => [biddersStatement(q, listingId, round), proxiesStatement(q, listingId)],
    (l, decidedAt, [bidderRows, proxyRows], q) => {
      const endAtStart = l.currentEndAt.getTime();
      const who = biddersOf(bidderRows!, round.length);
      const proxies = proxiesOf(proxyRows!);
      const given = new Map<string, BidAnswer>();
      const answers: BidAnswer[] = [];
      for (const i of order) {
        const { amountFen, clientKey, receivedAt } = round[i]!;
        const { bidder, earlier } = who[i]!;
        const key = `${bidder?.registrationId}:${clientKey}`;
        const repeated = earlier ?? (bidder && given.get(key));
        if (repeated) {
          answers[i] = repeated;
          continue;
        }
        const at = stampOf(l, receivedAt);
        const refusal = gateOf(l, bidder, at) ?? checkBid(l, standingOf(l), bidder!, amountFen);
        let answer: BidAnswer;
        if (refusal) answer = { accepted: false, reason: refusal };
        else {
          const endBefore = l.currentEndAt.getTime();
          const entry = accept(deps, l, bidder!, amountFen, at, 'live', w);
          runProxies(deps, l, proxies, at, w);
          answer = {
            accepted: true,
            seq: entry.seq,
            amountFen: amountFen.toString(),
            at: at.toISOString(),
            currentEndAt: l.currentEndAt.toISOString(),
            extended: l.currentEndAt.getTime() !== endBefore,
          };
        }
        answers[i] = answer;
        if (bidder) {
          given.set(key, answer);
          w.requests.push({ registrationId: bidder.registrationId, clientKey, answer });
        }
      }
      const writes = [writeStatement(q, l, w, decidedAt)];
      // A round that moved the end tells the court's system once, with the end it left (ADR 023).
      extended = l.currentEndAt.getTime() !== endAtStart;
      if (extended)
        writes.push(
          endTimerStatement(q, listingId, l.currentEndAt),
          extendedStatement(q, listingId, l.currentEndAt, decidedAt),
        );
      return { result: answers, writes };
    },
  );
  return { answers, events: w.events, extended };
}

/** Waiting bids per auction; present while its round runner runs (one per auction and process). */
export type WaitingBids = Map<string, Pending[]>;
export const newWaitingBids = (): WaitingBids => new Map();

/**
 * Decides the auction's waiting bids round after round until none wait. Rounds batch
 * themselves: a bid arriving while a round holds the lock joins the next one, so a quiet
 * auction decides each bid at once and a hot one commits many per transaction (the row lock
 * and the commit are paid once per round, not once per bid). Other processes run their own
 * rounds; the row lock orders them.
 */
async function runRounds(deps: BiddingDeps, waitingBids: WaitingBids, listingId: string, waiting: Pending[]) {
  while (waiting.length) {
    const round = waiting.splice(0, MAX_ROUND);
    try {
      const { answers, events, extended } = await decideRound(deps, listingId, round);
      for (const [i, p] of round.entries()) p.resolve(answers[i]!);
      // Its `listing.extended` event was written without a NOTIFY (events.ts); committed now.
      // Should the wake-up fail, the dispatchers' poll still finds the event.
      if (extended) void wakeDispatchers(deps.sql).catch(() => {});
      // The round's bidders get their answers first; the room (every watcher) right after.
      if (events.length) setImmediate(() => deps.onEvents?.(events));
    } catch (err) {
      // Nothing of the round was written (or it was, and a retry with its key says so).
      for (const p of round) p.reject(err);
    }
  }
  waitingBids.delete(listingId);
}

/**
 * Decides one bid at its arrival's time (`arrival`, registered by the way in when the packet
 * or request reached this server; a bid from inside the server arrives now). Idempotent on
 * (bidder, clientKey): a retry returns the first answer.
 */
export async function placeBid(
  deps: BiddingDeps,
  waitingBids: WaitingBids,
  actor: Actor | null,
  listingId: string,
  input: unknown,
  arrival: Arrival = deps.intake.arrive(listingId),
): Promise<BidAnswer> {
  try {
    const me = requirePermission(actor, 'register:auction');
    if (!isUuid(listingId) || arrival.listingId !== listingId) throw notFound();
    const { amountFen, clientKey } = parseInput(BidSchema, input);
    const answer = await new Promise<BidAnswer>((resolve, reject) => {
      const pending: Pending = {
        userId: me.userId,
        amountFen,
        clientKey,
        receivedAt: arrival.receivedAt,
        resolve,
        reject,
      };
      const waiting = waitingBids.get(listingId);
      if (waiting) waiting.push(pending);
      else {
        waitingBids.set(listingId, [pending]);
        void runRounds(deps, waitingBids, listingId, waitingBids.get(listingId)!);
      }
    });
    bidsDecided.inc(
      answer.accepted ? { outcome: 'accepted', reason: '' } : { outcome: 'refused', reason: answer.reason },
    );
    bidAckSeconds.observe(Math.max(0, deps.clock().getTime() - arrival.receivedAt.getTime()) / 1000);
    return answer;
  } finally {
    arrival.settle();
  }
}

/**
 * Sets (or raises/lowers) the bidder's proxy maximum; the engine bids for him at once if he
 * does not lead. A maximum below the next valid amount is refused. An active proxy changed
 * keeps its place among the others (its serial); a new one, or one set again after it was
 * cancelled or stopped, comes last: the others set meanwhile were there first.
 */
export async function setProxy(
  deps: BiddingDeps,
  actor: Actor | null,
  listingId: string,
  input: unknown,
  arrival: Arrival = deps.intake.arrive(listingId),
) {
  try {
    return await proxyAt(deps, actor, listingId, input, arrival);
  } finally {
    arrival.settle();
  }
}

async function proxyAt(
  deps: BiddingDeps,
  actor: Actor | null,
  listingId: string,
  input: unknown,
  arrival: Arrival,
) {
  const me = requirePermission(actor, 'register:auction');
  if (!isUuid(listingId) || arrival.listingId !== listingId) throw notFound();
  const { maxFen } = parseInput(ProxySchema, input);
  const w = newWrites();
  const result = await underLock(
    deps,
    listingId,
    (q) => [
      biddersStatement(q, listingId, [{ userId: me.userId, clientKey: '' }]),
      proxiesStatement(q, listingId),
    ],
    (l, _decidedAt, [bidderRows, proxyRows], q) => {
      // Its bids are placed at the order's arrival (art. 20), like a live bid's.
      const at = stampOf(l, arrival.receivedAt);
      const { bidder } = biddersOf(bidderRows!, 1)[0]!;
      const gate = gateOf(l, bidder, at);
      if (gate) throw new DomainError('conflict', gate);
      if (maxFen < proxyFloor(l, standingOf(l), bidder!.registrationId)) {
        throw new DomainError('validation', 'errors.validation', {
          fieldErrors: { maxFen: ['bidding.proxyTooLow'] },
        });
      }
      // An active proxy keeps its place (its serial); a new or re-activated one comes last.
      const proxies = proxiesOf(proxyRows!);
      const mine = proxies.find((p) => p.registrationId === bidder!.registrationId);
      if (mine) mine.maxFen = maxFen;
      else proxies.push({ ...bidder!, maxFen });
      runProxies(deps, l, proxies, at, w);
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
export async function cancelProxy(deps: BiddingDeps, actor: Actor | null, listingId: string) {
  const me = requirePermission(actor, 'register:auction');
  if (!isUuid(listingId)) throw notFound();
  return underLock(
    deps,
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
