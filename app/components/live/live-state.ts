import type { AuctionEventDto, AuctionSnapshot } from '../../../server/realtime/events';

/**
 * The live auction as the page holds it: a snapshot, then the auction's public log applied in
 * sequence order (docs/realtime.md). Pure functions, so the socket hook, the server render and
 * the unit tests share them. Money stays decimal strings of fen; times are ms on the server clock.
 */
export interface LiveBid {
  seq: number;
  code: string;
  amountFen: string;
  at: number;
  source: 'live' | 'proxy';
}

export interface LiveState {
  listingId: string;
  status: string;
  outcome: string | null;
  priceFen: string | null;
  leaderCode: string | null;
  startingPriceFen: string;
  incrementFen: string;
  currentEndAt: number;
  extensionCount: number;
  bidCount: number;
  /** The last log position applied: the next event must be seq + 1. */
  seq: number;
  registered: number;
  /** Null until the socket reports it (the loader cannot know who watches). */
  viewers: number | null;
  /** Newest first. */
  bids: LiveBid[];
  /** The latest extension seen live (art. 20), for the "extended" cue; null before any. */
  lastExtension: { seq: number; at: number; endAt: number } | null;
}

/** How many bids the page keeps in memory and shows. */
export const MAX_BIDS = 200;

type SnapshotLike = Omit<AuctionSnapshot, 'viewers' | 'serverTime'> & { viewers?: number | null };

export function stateOfSnapshot(s: SnapshotLike, previous?: LiveState | null): LiveState {
  return {
    listingId: s.listingId,
    status: s.status,
    outcome: s.outcome,
    priceFen: s.priceFen,
    leaderCode: s.leaderCode,
    startingPriceFen: s.startingPriceFen,
    incrementFen: s.incrementFen,
    currentEndAt: s.currentEndAt,
    extensionCount: s.extensionCount,
    bidCount: s.bidCount,
    seq: s.seq,
    registered: s.registered,
    viewers: s.viewers ?? previous?.viewers ?? null,
    bids: mergeBids(previous?.bids ?? [], s.recentBids),
    lastExtension: previous?.lastExtension ?? null,
  };
}

/** Union by sequence number, newest first. */
export function mergeBids(a: readonly LiveBid[], b: readonly LiveBid[]): LiveBid[] {
  const bySeq = new Map<number, LiveBid>();
  for (const bid of [...a, ...b]) bySeq.set(bid.seq, bid);
  return [...bySeq.values()].sort((x, y) => y.seq - x.seq).slice(0, MAX_BIDS);
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const time = (v: unknown): number | null => {
  const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isFinite(ms) ? ms : null;
};

/** One log entry applied to the state; the caller has checked that it is the next one. */
function applyOne(s: LiveState, e: AuctionEventDto): LiveState {
  const p = e.payload;
  if (e.type === 'bid') {
    const code = str(p.code) ?? '';
    const amountFen = str(p.amountFen) ?? s.priceFen ?? s.startingPriceFen;
    const endAt = time(p.currentEndAt) ?? s.currentEndAt;
    const extended = p.extended === true;
    return {
      ...s,
      seq: e.seq,
      priceFen: amountFen,
      leaderCode: code,
      bidCount: s.bidCount + 1,
      currentEndAt: endAt,
      extensionCount: num(p.extensionCount) ?? s.extensionCount + (extended ? 1 : 0),
      bids: mergeBids(s.bids, [
        { seq: e.seq, code, amountFen, at: e.at, source: p.source === 'proxy' ? 'proxy' : 'live' },
      ]),
      lastExtension: extended ? { seq: e.seq, at: e.at, endAt } : s.lastExtension,
    };
  }
  if (e.type === 'status') {
    return {
      ...s,
      seq: e.seq,
      status: str(p.to) ?? s.status,
      outcome: str(p.outcome) ?? (p.to === 'ended' ? s.outcome : null),
      currentEndAt: time(p.currentEndAt) ?? s.currentEndAt,
    };
  }
  return { ...s, seq: e.seq };
}

export interface Applied {
  state: LiveState;
  /** Events that arrived ahead of a gap, kept until the missing ones are fetched. */
  pending: AuctionEventDto[];
  /** True when a sequence number is missing: ask `auction:resume` from `state.seq`. */
  gap: boolean;
  /** Whether any event changed the listing's status (the page reloads its data then). */
  statusChanged: boolean;
}

/**
 * Applies events in sequence order: duplicates (seq already applied) are dropped, the next one
 * is applied, and anything beyond a missing number waits in `pending`.
 */
export function applyEvents(
  state: LiveState,
  events: readonly AuctionEventDto[],
  pending: readonly AuctionEventDto[] = [],
): Applied {
  const waiting = new Map<number, AuctionEventDto>();
  for (const e of [...pending, ...events]) {
    if (e.listingId === state.listingId && e.seq > state.seq) waiting.set(e.seq, e);
  }
  let s = state;
  let statusChanged = false;
  for (let next = waiting.get(s.seq + 1); next; next = waiting.get(s.seq + 1)) {
    waiting.delete(next.seq);
    if (next.type === 'status') statusChanged = true;
    s = applyOne(s, next);
  }
  const rest = [...waiting.values()].sort((a, b) => a.seq - b.seq);
  return { state: s, pending: rest, gap: rest.length > 0, statusChanged };
}

/** The standing as rules.ts `nextAmounts` wants it (the leader's identity is not needed there). */
export function standingOf(s: Pick<LiveState, 'priceFen'>) {
  return s.priceFen === null
    ? null
    : { priceFen: BigInt(s.priceFen), registrationId: '', priorityRank: null };
}

/**
 * An accepted bid that a proxy answered at once (art. 20's proxy bids in the same round): the
 * bidder's own bid stands in the record, but another bidder's proxy has already topped it.
 * Returns the bid that now leads, or null when nothing of the kind happened (yet).
 */
export function proxyAnswerTo(
  bids: readonly LiveBid[],
  mine: { seq: number },
  myCode: string | null,
): LiveBid | null {
  const newest = bids[0];
  if (!newest || newest.seq <= mine.seq || newest.code === myCode) return null;
  const answered = bids.some((b) => b.seq > mine.seq && b.source === 'proxy' && b.code !== myCode);
  return answered ? newest : null;
}
