/**
 * The practice auction's engine (ADR 033), pure: a session's state moves forward through the
 * real bidding rules (server/auctions/rules.ts: `checkBid`, `extendedEnd`, `isPastEnd`,
 * `bidStamp`, `proxyFloor`, `proxyStep`) and the practice schedule (rules.ts). Nothing here
 * reads a clock or a database: sessions.ts locks the row, calls these with the server's time,
 * and writes what they return. The state is a function of the session's start, its script and
 * the user's own actions, so a session left alone (a closed page, a restarted server) is caught
 * up to any moment exactly as if it had been watched.
 */

import {
  type BidRefusal,
  bidStamp,
  checkBid,
  extendedEnd,
  isPastEnd,
  proxyFloor,
  proxyStep,
} from '../auctions/rules.js';
import { DomainError } from '../errors.js';
import { nextScriptedBid, type ScheduleState, standingOf } from './rules.js';

export interface PracticeState extends ScheduleState {
  status: 'live' | 'ended';
  outcome: 'sold' | 'failed' | null;
  extensionMs: number;
  bidCount: number;
  extensionCount: number;
  lastSeq: number;
  proxyMaxFen: bigint | null;
  endedAt: Date | null;
}

/** One entry of the session's log; every payload says `practice: true`. */
export interface PracticeEntry {
  seq: number;
  type: 'bid' | 'status';
  at: Date;
  payload: Record<string, unknown>;
}

export type PracticeAnswer =
  | { accepted: true; seq: number; amountFen: string; at: string; currentEndAt: string; extended: boolean }
  | { accepted: false; reason: BidRefusal | 'bidding.ended' };

/** A copy to move forward: the caller's state is never changed. */
const copy = (s: PracticeState): PracticeState => ({ ...s });

/** An accepted bid: the next seq, art. 20's extension, the standing. */
function accept(
  s: PracticeState,
  code: string,
  amountFen: bigint,
  at: Date,
  source: 'live' | 'proxy',
  out: PracticeEntry[],
): PracticeEntry {
  const newEnd = extendedEnd(at, s.currentEndAt, s.extensionMs);
  if (newEnd) {
    s.currentEndAt = newEnd;
    s.extensionCount += 1;
  }
  s.lastSeq += 1;
  s.priceFen = amountFen;
  s.leaderCode = code;
  s.lastEventAt = at;
  s.bidCount += 1;
  const entry: PracticeEntry = {
    seq: s.lastSeq,
    type: 'bid',
    at,
    payload: {
      practice: true,
      code,
      amountFen: amountFen.toString(),
      source,
      scripted: code !== s.code,
      currentEndAt: s.currentEndAt.toISOString(),
      extended: newEnd !== null,
      extensionCount: s.extensionCount,
    },
  };
  out.push(entry);
  return entry;
}

/** The user's proxy answers at the same instant, one increment above, while its maximum allows. */
function runProxy(s: PracticeState, at: Date, out: PracticeEntry[]) {
  if (s.proxyMaxFen === null) return;
  const step = proxyStep(s, standingOf(s), [{ registrationId: s.code, maxFen: s.proxyMaxFen }]);
  if (step) accept(s, s.code, step.amountFen, at, 'proxy', out);
}

/** Art. 20: no bid in the last stretch, so the last bid is the final price; none at all: 流拍. */
function end(s: PracticeState, out: PracticeEntry[]) {
  s.status = 'ended';
  s.outcome = s.leaderCode ? 'sold' : 'failed';
  s.endedAt = s.currentEndAt;
  s.lastSeq += 1;
  s.lastEventAt = s.currentEndAt;
  out.push({
    seq: s.lastSeq,
    type: 'status',
    at: s.currentEndAt,
    payload: {
      practice: true,
      from: 'live',
      to: 'ended',
      outcome: s.outcome,
      currentEndAt: s.currentEndAt.toISOString(),
    },
  });
}

/**
 * Everything due before `until` (and at it, when `inclusive`): the scripted bids in their
 * order, each answered by the user's proxy at its instant; then the end, once `until` has
 * reached it with no bid left before it.
 */
function catchUpInto(s: PracticeState, until: Date, inclusive: boolean, out: PracticeEntry[]) {
  for (let guard = 0; guard < 10_000 && s.status === 'live'; guard++) {
    const move = nextScriptedBid(s);
    const due = move && (move.at < until || (inclusive && move.at.getTime() === until.getTime()));
    if (move && due) {
      // The schedule only offers valid bids; the real rules check them all the same.
      const refusal = checkBid(
        s,
        standingOf(s),
        { registrationId: move.code, priorityRank: null },
        move.amountFen,
      );
      if (refusal) throw new Error(`scripted bid refused: ${refusal}`);
      accept(s, move.code, move.amountFen, move.at, 'live', out);
      runProxy(s, move.at, out);
      continue;
    }
    if (isPastEnd(until, s.currentEndAt)) end(s, out);
    return;
  }
  if (s.status === 'live') throw new Error('practice catch-up did not settle');
}

/** The session at `now`: every scripted bid due by then, and its end if it has come. */
export function catchUp(state: PracticeState, now: Date) {
  const s = copy(state);
  const events: PracticeEntry[] = [];
  catchUpInto(s, now, true, events);
  return { state: s, events };
}

/**
 * The user's bid, received at `receivedAt`: what was due before it first, then the bid at its
 * stamp (art. 20: the server's time of arrival, never before the last entry) through the real
 * rules. A bid at or after the end is refused, and the session ends.
 */
export function placeBid(state: PracticeState, amountFen: bigint, receivedAt: Date) {
  const s = copy(state);
  const events: PracticeEntry[] = [];
  const at = bidStamp(s.lastEventAt, receivedAt);
  catchUpInto(s, at, false, events);
  let answer: PracticeAnswer;
  if (s.status !== 'live') answer = { accepted: false, reason: 'bidding.ended' };
  else {
    const refusal = checkBid(s, standingOf(s), { registrationId: s.code, priorityRank: null }, amountFen);
    if (refusal) answer = { accepted: false, reason: refusal };
    else {
      const endBefore = s.currentEndAt.getTime();
      const entry = accept(s, s.code, amountFen, at, 'live', events);
      answer = {
        accepted: true,
        seq: entry.seq,
        amountFen: amountFen.toString(),
        at: at.toISOString(),
        currentEndAt: s.currentEndAt.toISOString(),
        extended: s.currentEndAt.getTime() !== endBefore,
      };
    }
  }
  return { state: s, events, answer };
}

/**
 * Sets (or changes) the user's proxy maximum at `receivedAt`: refused after the end (conflict)
 * and below what he would have to bid next (`proxyFloor`, as the real engine); otherwise his
 * proxy bids at once when he does not lead.
 */
export function setProxy(state: PracticeState, maxFen: bigint, receivedAt: Date) {
  const s = copy(state);
  const events: PracticeEntry[] = [];
  const at = bidStamp(s.lastEventAt, receivedAt);
  catchUpInto(s, at, false, events);
  if (s.status !== 'live') return { state: s, events, refusal: new DomainError('conflict', 'bidding.ended') };
  if (maxFen < proxyFloor(s, standingOf(s), s.code))
    return {
      state: s,
      events,
      refusal: new DomainError('validation', 'errors.validation', {
        fieldErrors: { maxFen: ['bidding.proxyTooLow'] },
      }),
    };
  s.proxyMaxFen = maxFen;
  const before = events.length;
  runProxy(s, at, events);
  return { state: s, events, refusal: null, bidsPlaced: events.length - before };
}

/** Stops the user's proxy; its bids stand. Harmless to repeat. */
export function cancelProxy(state: PracticeState, now: Date) {
  const { state: s, events } = catchUp(state, now);
  s.proxyMaxFen = null;
  return { state: s, events };
}

/** When the session next changes by itself (a scripted bid or its end); null once ended. */
export function nextDueAt(s: PracticeState): Date | null {
  if (s.status !== 'live') return null;
  return nextScriptedBid(s)?.at ?? s.currentEndAt;
}
