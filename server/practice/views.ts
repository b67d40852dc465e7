/**
 * What the practice pages and the practice socket are given (ADR 033): the session as plain
 * JSON (money as decimal strings of fen, times as ms on the server's clock), the viewer's
 * result once it has ended, and what he may do now (`can`), decided here and never in a page.
 */
import type { PracticeSession } from '../../db/schema/practice.js';
import type { PracticeEntry, PracticeState } from './engine.js';
import { resultOf } from './rules.js';

export interface PracticeBidView {
  seq: number;
  code: string;
  amountFen: string;
  at: number;
  source: 'live' | 'proxy';
}

export interface PracticeView {
  sessionId: string;
  /** Always true: every view, event and page of it says it is practice. */
  practice: true;
  status: 'live' | 'ended';
  outcome: 'sold' | 'failed' | null;
  /** The viewer's own practice code. */
  code: string;
  startingPriceFen: string;
  incrementFen: string;
  depositFen: string;
  startsAt: number;
  endsAt: number;
  currentEndAt: number;
  /** Art. 20's five minutes at the practice clock. */
  extensionMs: number;
  extensionCount: number;
  bidCount: number;
  /** The last log position included: continue from here. */
  seq: number;
  priceFen: string | null;
  leaderCode: string | null;
  proxyMaxFen: string | null;
  /** Bidders in the session: the viewer and the scripted ones. */
  bidders: number;
  serverTime: number;
  /** Newest first. */
  recentBids: PracticeBidView[];
  result:
    | { kind: 'won'; priceFen: string; depositFen: string; balanceFen: string }
    | { kind: 'lost'; priceFen: string; winnerCode: string; depositFen: string }
    | { kind: 'failed'; startingPriceFen: string }
    | null;
  can: {
    /** Bid and set or cancel a proxy: while the session runs. */
    bid: boolean;
    /** Start another session: once this one has ended. */
    startAgain: boolean;
  };
}

/** A log entry as the page and the socket get it. */
export interface PracticeEventView {
  sessionId: string;
  seq: number;
  type: 'bid' | 'status';
  at: number;
  payload: Record<string, unknown>;
}

export const eventView = (sessionId: string, e: PracticeEntry): PracticeEventView => ({
  sessionId,
  seq: e.seq,
  type: e.type,
  at: e.at.getTime(),
  payload: e.payload,
});

export const bidView = (e: PracticeEntry): PracticeBidView => ({
  seq: e.seq,
  code: String(e.payload.code),
  amountFen: String(e.payload.amountFen),
  at: e.at.getTime(),
  source: e.payload.source === 'proxy' ? 'proxy' : 'live',
});

export function sessionView(
  row: Pick<PracticeSession, 'id' | 'depositFen' | 'endsAt'>,
  s: PracticeState,
  recent: readonly PracticeEntry[],
  now: Date,
): PracticeView {
  const r = resultOf({ ...s, depositFen: row.depositFen });
  const str = (v: bigint | null) => (v === null ? null : v.toString());
  return {
    sessionId: row.id,
    practice: true,
    status: s.status,
    outcome: s.outcome,
    code: s.code,
    startingPriceFen: s.startingPriceFen.toString(),
    incrementFen: s.incrementFen.toString(),
    depositFen: row.depositFen.toString(),
    startsAt: s.startsAt.getTime(),
    endsAt: row.endsAt.getTime(),
    currentEndAt: s.currentEndAt.getTime(),
    extensionMs: s.extensionMs,
    extensionCount: s.extensionCount,
    bidCount: s.bidCount,
    seq: s.lastSeq,
    priceFen: str(s.priceFen),
    leaderCode: s.leaderCode,
    proxyMaxFen: str(s.proxyMaxFen),
    bidders: 1 + s.script.bidders.length,
    serverTime: now.getTime(),
    recentBids: recent.filter((e) => e.type === 'bid').map(bidView),
    result:
      r === null
        ? null
        : r.kind === 'won'
          ? {
              kind: 'won',
              priceFen: r.priceFen.toString(),
              depositFen: r.depositFen.toString(),
              balanceFen: r.balanceFen.toString(),
            }
          : r.kind === 'lost'
            ? {
                kind: 'lost',
                priceFen: r.priceFen.toString(),
                winnerCode: r.winnerCode,
                depositFen: r.depositFen.toString(),
              }
            : { kind: 'failed', startingPriceFen: r.startingPriceFen.toString() },
    can: { bid: s.status === 'live', startAgain: s.status === 'ended' },
  };
}
