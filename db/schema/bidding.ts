import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
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
import { listings, registrations } from './auctions.js';

/**
 * The public, append-only event log of one auction (art. 20, 29): every accepted bid and every
 * status change, numbered by the auction's sequence, each entry hashing the previous entry's
 * hash and its own content (art. 8: tamper-evident). Clients recover missed events from here.
 * Payloads carry bidder codes only, never identities.
 */
export const auctionEvents = pgTable(
  'auction_events',
  {
    id: bigserial({ mode: 'bigint' }).primaryKey(),
    listingId: uuid()
      .notNull()
      .references(() => listings.id),
    seq: integer().notNull(),
    type: text().notNull(),
    at: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    prevHash: text().notNull(),
    hash: text().notNull(),
  },
  (t) => [
    uniqueIndex('auction_events_listing_seq_key').on(t.listingId, t.seq),
    // The few status entries of an auction without walking its bids: the public snapshot counts
    // them on every watcher's join (bid count = last seq - status entries).
    index('auction_events_status_idx').on(t.listingId, t.seq).where(sql`${t.type} <> 'bid'`),
  ],
);

export const bidSource = pgEnum('bid_source', ['live', 'proxy']);

/** Accepted bids; the refused ones live only in `bid_requests` (their answer). */
export const bids = pgTable(
  'bids',
  {
    id: uuid().primaryKey().defaultRandom(),
    listingId: uuid()
      .notNull()
      .references(() => listings.id),
    seq: integer().notNull(),
    registrationId: uuid()
      .notNull()
      .references(() => registrations.id),
    code: text().notNull(),
    amountFen: bigint({ mode: 'bigint' }).notNull(),
    /** The server's time of the bid (art. 20): when it reached the platform. */
    at: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    source: bidSource().notNull(),
    priorityRank: integer(),
    /** The end after this bid, when it moved it (art. 20). */
    extendedTo: timestamp({ withTimezone: true, precision: 3 }),
  },
  (t) => [
    uniqueIndex('bids_listing_seq_key').on(t.listingId, t.seq),
    index('bids_registration_idx').on(t.registrationId),
  ],
);

/** Idempotency of bids: a retried request with the same client key gets the first answer. */
export const bidRequests = pgTable(
  'bid_requests',
  {
    registrationId: uuid()
      .notNull()
      .references(() => registrations.id),
    clientKey: text().notNull(),
    answer: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.registrationId, t.clientKey] })],
);

/** A bidder's maximum that the system bids up to, one increment at a time. */
export const proxyBids = pgTable(
  'proxy_bids',
  {
    registrationId: uuid()
      .primaryKey()
      .references(() => registrations.id),
    listingId: uuid()
      .notNull()
      .references(() => listings.id),
    maxFen: bigint({ mode: 'bigint' }).notNull(),
    active: boolean().notNull().default(true),
    /** Ties between proxies: the earlier maximum bids first. */
    setAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    serial: bigserial({ mode: 'number' }).notNull(),
  },
  (t) => [index('proxy_bids_listing_idx').on(t.listingId, t.active)],
);

export type AuctionEvent = typeof auctionEvents.$inferSelect;
export type Bid = typeof bids.$inferSelect;
export type ProxyBid = typeof proxyBids.$inferSelect;
