/**
 * The practice auction's own rules (模拟拍卖, ADR 033): its fast clock, its lot and the scripted
 * practice bidders' schedule. Pure functions; the bidding rules themselves (the grid, no
 * outbidding oneself, art. 20's end and extension, proxies) are the real ones, from
 * server/auctions/rules.ts, never restated here.
 */
import {
  type BidTerms,
  depositBounds,
  isPastEnd,
  nextValidAmount,
  type Standing,
  suggestedIncrement,
} from '../auctions/rules.js';

/** The practice lot: a flat at a starting price of ¥1,000,000 (a round sum, 壹佰万元整). */
export const PRACTICE_START_FEN = 100_000_000n;

/** The lot's terms: the customary increment (1% here) and a 10% deposit, inside art. 17's 5-20%. */
export function practiceTerms(startFen = PRACTICE_START_FEN) {
  const depositFen = (startFen * 10n) / 100n;
  const { min, max } = depositBounds(startFen);
  if (depositFen < min || depositFen > max) throw new Error('practice deposit outside art. 17');
  return { startingPriceFen: startFen, incrementFen: suggestedIncrement(startFen), depositFen };
}

export interface PracticeClock {
  /** From the start to the announced end. */
  windowMs: number;
  /** Art. 20's five minutes, divided by the practice clock's factor. */
  extensionMs: number;
  /**
   * How long a scripted bidder takes to answer the user: a third of the extension, so an answer
   * to a bid that extended the end always lands before that end (bid + extension).
   */
  reactionMs: number;
}

export function practiceClock(windowMs: number, extensionMs: number): PracticeClock {
  if (!(extensionMs >= 3) || !(windowMs >= 2 * extensionMs))
    throw new Error('practice clock: the window must hold at least two extensions');
  return { windowMs, extensionMs, reactionMs: Math.floor(extensionMs / 3) };
}

/** When, as a share of the window, a scripted bidder raises unprompted: the last in the final window. */
export const MOVE_SHARES = [0.1, 0.3, 0.5, 0.7, 0.9] as const;

/** How many increments above the start each scripted bidder goes at most, before its jitter. */
export const CEILING_STEPS = [6, 10] as const;

export interface ScriptedBidder {
  code: string;
  maxFen: bigint;
}

export interface Script {
  /** Offsets from the start (ms) of the unprompted raises, ascending. */
  moves: number[];
  /** In the order they answer. */
  bidders: ScriptedBidder[];
}

/**
 * The session's script: the raises on the schedule, and two scripted bidders who stop at their
 * maximum (CEILING_STEPS increments above the start, plus 0-2 more each, `jitter`), so a
 * bidder who goes above both wins and one who stops below them loses.
 */
export function scriptFor(
  terms: BidTerms,
  clock: Pick<PracticeClock, 'windowMs'>,
  codes: readonly [string, string],
  jitter: readonly [number, number] = [0, 0],
): Script {
  return {
    moves: MOVE_SHARES.map((share) => Math.round(clock.windowMs * share)),
    bidders: codes.map((code, i) => ({
      code,
      maxFen:
        terms.startingPriceFen +
        BigInt(CEILING_STEPS[i]! + Math.max(0, Math.min(2, Math.trunc(jitter[i]!)))) * terms.incrementFen,
    })),
  };
}

/** What the schedule looks at: the session's terms, clock, script and standing. */
export interface ScheduleState extends BidTerms {
  /** The user's code: a scripted bidder answers him after `reactionMs`. */
  code: string;
  startsAt: Date;
  currentEndAt: Date;
  reactionMs: number;
  script: Script;
  priceFen: bigint | null;
  leaderCode: string | null;
  lastEventAt: Date | null;
}

export interface ScriptedBid {
  code: string;
  amountFen: bigint;
  at: Date;
}

/** The standing as auctions/rules.ts wants it; a practice bidder's code stands for his registration. */
export const standingOf = (s: Pick<ScheduleState, 'priceFen' | 'leaderCode'>): Standing | null =>
  s.priceFen !== null && s.leaderCode !== null
    ? { priceFen: s.priceFen, registrationId: s.leaderCode, priorityRank: null }
    : null;

/**
 * The next scripted bid, or null when none will come (until the user bids again):
 * - who: the first scripted bidder, in script order, who does not lead and whose maximum
 *   reaches the next valid amount; it bids exactly that amount (one increment up, or the start);
 * - when: while the user leads, `reactionMs` after the last bid (he is answered); otherwise at
 *   the next move of the schedule after the last bid (or from the start);
 * - only before the current end (art. 20: a bid at or after it is too late).
 */
export function nextScriptedBid(s: ScheduleState): ScriptedBid | null {
  const amountFen = nextValidAmount(s, standingOf(s));
  const bidder = s.script.bidders.find((b) => b.code !== s.leaderCode && b.maxFen >= amountFen);
  if (!bidder) return null;
  let at: number;
  if (s.leaderCode === s.code && s.lastEventAt) at = s.lastEventAt.getTime() + s.reactionMs;
  else {
    // A move at the very start counts (after = start - 1 ms); later ones only after the last bid.
    const after = s.lastEventAt?.getTime() ?? s.startsAt.getTime() - 1;
    const move = s.script.moves.map((m) => s.startsAt.getTime() + m).find((t) => t > after);
    if (move === undefined) return null;
    at = move;
  }
  const when = new Date(at);
  return isPastEnd(when, s.currentEndAt) ? null : { code: bidder.code, amountFen, at: when };
}

/** The viewer's result, from the session's outcome and leader: won, lost or no bid (流拍). */
export type PracticeResult =
  | { kind: 'won'; priceFen: bigint; depositFen: bigint; balanceFen: bigint }
  | { kind: 'lost'; priceFen: bigint; winnerCode: string; depositFen: bigint }
  | { kind: 'failed'; startingPriceFen: bigint };

export function resultOf(s: {
  status: 'live' | 'ended';
  code: string;
  leaderCode: string | null;
  priceFen: bigint | null;
  depositFen: bigint;
  startingPriceFen: bigint;
}): PracticeResult | null {
  if (s.status !== 'ended') return null;
  if (s.priceFen === null || s.leaderCode === null)
    return { kind: 'failed', startingPriceFen: s.startingPriceFen };
  // Art. 23: the winner's deposit counts toward the price; the balance is the rest.
  if (s.leaderCode === s.code)
    return {
      kind: 'won',
      priceFen: s.priceFen,
      depositFen: s.depositFen,
      balanceFen: s.priceFen - s.depositFen,
    };
  return { kind: 'lost', priceFen: s.priceFen, winnerCode: s.leaderCode, depositFen: s.depositFen };
}
