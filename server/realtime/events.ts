/**
 * The Socket.IO event contract, shared by the server and the browser (import only types and
 * constants from here). Event names are `entity:verb`. Every client→server event takes an
 * acknowledgement `Ack<T>`. Money is integer fen as decimal strings; times are ms since the
 * epoch on the server's clock. See docs/realtime.md.
 */
import type { PracticeEventView, PracticeView } from '../practice/views.js';

export type Ack<T> = (response: { ok: true; data: T } | { ok: false; error: AckError }) => void;

/**
 * A refused request. `code`: validation | unauthenticated | forbidden | not_found | conflict |
 * rate_limited | locked | internal. `message`: an i18n key (`errors.*`, `bidding.*`).
 * `fieldErrors`: for `validation`, i18n keys per payload field (e.g. `{ maxFen: ['bidding.proxyTooLow'] }`).
 */
export interface AckError {
  code: string;
  message: string;
  fieldErrors?: Record<string, string[]>;
}

/** One entry of an auction's public, hash-chained log: an accepted bid or a status change. */
export interface AuctionEventDto {
  listingId: string;
  /** The auction's sequence number: consecutive from 1; a gap means missed events (ask `auction:resume`). */
  seq: number;
  type: 'bid' | 'status';
  at: number;
  /**
   * bid: { code, amountFen, priorityRank, source: 'live' | 'proxy', currentEndAt (ISO), extended, extensionCount }
   * status: { from, to, outcome, currentEndAt (ISO), reason }
   */
  payload: Record<string, unknown>;
}

export interface AuctionSnapshot {
  listingId: string;
  status: string;
  outcome: string | null;
  priceFen: string | null;
  leaderCode: string | null;
  startingPriceFen: string;
  incrementFen: string;
  startsAt: number;
  currentEndAt: number;
  extensionCount: number;
  bidCount: number;
  /** The last sequence number included: continue from here. */
  seq: number;
  registered: number;
  viewers: number;
  serverTime: number;
  /** Newest first. */
  recentBids: Array<{ seq: number; code: string; amountFen: string; at: number; source: 'live' | 'proxy' }>;
}

/** The engine's answer to a bid (server/auctions/bidding.ts `BidAnswer`). */
export type BidAnswerDto =
  | { accepted: true; seq: number; amountFen: string; at: string; currentEndAt: string; extended: boolean }
  | { accepted: false; reason: string };

export interface ClientToServerEvents {
  /** Join a room. Anonymous clients may join public rooms only. */
  'room:join': (payload: { room: string }, ack: Ack<{ room: string }>) => void;
  'room:leave': (payload: { room: string }, ack: Ack<{ room: string }>) => void;
  /** Clock sync: the server answers with its time in ms since the epoch. */
  'time:sync': (payload: Record<string, never>, ack: Ack<{ serverTime: number }>) => void;
  /** Watch an auction (anyone): joins its room and answers with a snapshot. */
  'auction:watch': (payload: { listingId: string }, ack: Ack<AuctionSnapshot>) => void;
  'auction:unwatch': (payload: { listingId: string }, ack: Ack<{ listingId: string }>) => void;
  /** Every event after `afterSeq`, in order, from the database (at most 1000 per call: repeat until fewer). */
  'auction:resume': (
    payload: { listingId: string; afterSeq: number },
    ack: Ack<{ events: AuctionEventDto[] }>,
  ) => void;
  /** Place a bid (a signed-in, registered bidder with the deposit held). `clientKey` makes retries safe. */
  'bid:place': (
    payload: { listingId: string; amountFen: string; clientKey: string },
    ack: Ack<BidAnswerDto>,
  ) => void;
  /** Set the bidder's proxy maximum (the engine bids up to it one increment at a time). */
  'proxy:set': (
    payload: { listingId: string; maxFen: string },
    ack: Ack<{ maxFen: string; bidsPlaced: number }>,
  ) => void;
  /** Stop the bidder's proxy: it bids no more; the bids it placed stand. Harmless to repeat. */
  'proxy:cancel': (payload: { listingId: string }, ack: Ack<{ cancelled: true }>) => void;

  // ---- The practice auction (模拟拍卖, ADR 033): its owner's alone; anyone else's id is `not_found`.
  /** Watch one's own practice session: joins its room, answers with the session caught up to now. */
  'practice:watch': (payload: { sessionId: string }, ack: Ack<PracticeSnapshot>) => void;
  /** The session's entries after `afterSeq`, in order (at most 1000 per call). */
  'practice:resume': (
    payload: { sessionId: string; afterSeq: number },
    ack: Ack<{ events: PracticeEventDto[] }>,
  ) => void;
  /** A practice bid, decided by the real rules at the practice clock; `clientKey` makes retries safe. */
  'practice:bid': (
    payload: { sessionId: string; amountFen: string; clientKey: string },
    ack: Ack<BidAnswerDto>,
  ) => void;
  /** Set the practice proxy's maximum. */
  'practice:proxySet': (
    payload: { sessionId: string; maxFen: string },
    ack: Ack<{ maxFen: string; bidsPlaced: number }>,
  ) => void;
  /** Stop the practice proxy. Harmless to repeat. */
  'practice:proxyCancel': (payload: { sessionId: string }, ack: Ack<{ cancelled: true }>) => void;
}

/** A practice session as its page holds it (server/practice/views.ts); `practice` is always true. */
export type PracticeSnapshot = PracticeView;
/** One entry of a practice session's log; its payload carries `practice: true`. */
export type PracticeEventDto = PracticeEventView;

export interface ServerToClientEvents {
  /** Sent just before the server disconnects the sockets of a revoked or expired session. */
  'session:revoked': (payload: { reason: 'logout' | 'revoked' | 'expired' }) => void;
  /** A listing changed status (announced → live → ended, suspended, withdrawn ...). */
  'listing:status': (payload: { listingId: string; status: string; at: number }) => void;
  /**
   * New entries of the auction's log, in seq order, to everyone watching it, after their
   * commit. Entries that follow each other closely arrive together (at most one message per
   * room every 50 ms, longer in a room of thousands); a quiet auction's entry comes at once.
   */
  'auction:events': (payload: AuctionEventDto[]) => void;
  /** How many are watching the auction now (all processes). */
  'auction:viewers': (payload: { listingId: string; viewers: number }) => void;
  /** New entries of the practice session's log, to its owner's sockets only, after their commit. */
  'practice:events': (payload: PracticeEventDto[]) => void;
}

export interface SocketData {
  userId: string | null;
  sessionId: string | null;
  organisationId: string | null;
  sessionExpiresAt: number | null;
}
