import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './identity.js';

/**
 * The practice auction (模拟拍卖, ADR 033): a bidder's own session against scripted practice
 * bidders, at a fast clock. Its own tables, and nothing else: no listing, registration, bid,
 * log entry of the hash chain, ledger entry, outbox event or notice ever comes of it, so no
 * report, indicator, search or checkpoint can count it.
 */
export const practiceStatus = pgEnum('practice_status', ['live', 'ended']);
/** As a listing's: sold (someone bid) or failed (流拍, no bid). Who won is the leader's code. */
export const practiceOutcome = pgEnum('practice_outcome', ['sold', 'failed']);

/** The scripted practice bidders and when they raise unprompted (server/practice/rules.ts). */
export interface PracticeScript {
  /** Offsets from the start (ms) at which a scripted bidder raises when the user does not lead. */
  moves: number[];
  /** In the order they answer; each stops at its maximum (fen, as a decimal string). */
  bidders: Array<{ code: string; maxFen: string }>;
}

export const practiceSessions = pgTable(
  'practice_sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    status: practiceStatus().notNull(),
    outcome: practiceOutcome(),
    /** The user's practice bidder code (art. 18's anonymous code, drawn like a real one). */
    code: text().notNull(),
    startingPriceFen: bigint({ mode: 'bigint' }).notNull(),
    incrementFen: bigint({ mode: 'bigint' }).notNull(),
    /** What a real auction of this lot would hold (art. 17); never asked for, only explained. */
    depositFen: bigint({ mode: 'bigint' }).notNull(),
    startsAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    /** The end announced at the start; `currentEndAt` is the end after the extensions. */
    endsAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    currentEndAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    /** Art. 20's five minutes at the practice clock. */
    extensionMs: integer().notNull(),
    /** How long a scripted bidder takes to answer the user (shorter than the extension). */
    reactionMs: integer().notNull(),
    script: jsonb().$type<PracticeScript>().notNull(),
    priceFen: bigint({ mode: 'bigint' }),
    leaderCode: text(),
    bidCount: integer().notNull().default(0),
    extensionCount: integer().notNull().default(0),
    lastSeq: integer().notNull().default(0),
    lastEventAt: timestamp({ withTimezone: true, precision: 3 }),
    /** The user's proxy maximum (委托出价), null when none is set. */
    proxyMaxFen: bigint({ mode: 'bigint' }),
    endedAt: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    // One running session per user: starting again while one runs opens that one.
    uniqueIndex('practice_sessions_live_user_key').on(t.userId).where(sql`${t.status} = 'live'`),
    index('practice_sessions_user_idx').on(t.userId, t.createdAt),
  ],
);

/** A session's log (its bids and its end), numbered from 1 like an auction's; not hash-chained. */
export const practiceEvents = pgTable(
  'practice_events',
  {
    sessionId: uuid()
      .notNull()
      .references(() => practiceSessions.id, { onDelete: 'cascade' }),
    seq: integer().notNull(),
    type: text().notNull(),
    at: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.seq] })],
);

/** Idempotency of practice bids: a retried request with the same client key gets the first answer. */
export const practiceBidRequests = pgTable(
  'practice_bid_requests',
  {
    sessionId: uuid()
      .notNull()
      .references(() => practiceSessions.id, { onDelete: 'cascade' }),
    clientKey: text().notNull(),
    answer: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.clientKey] })],
);

export type PracticeSession = typeof practiceSessions.$inferSelect;
export type PracticeEvent = typeof practiceEvents.$inferSelect;
