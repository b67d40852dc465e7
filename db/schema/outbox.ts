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
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations, users } from './identity.js';

/**
 * The transactional outbox (ADR 019): an event is written in the transaction of the change it
 * announces, with one delivery row per endpoint subscribed to its topic; a dispatcher posts the
 * deliveries of each endpoint in order, signed, retried with backoff, and logs every attempt.
 * Reused by the credit partners' feed and, later, by webhooks (issue 19).
 */
export const outboxEndpoints = pgTable(
  'outbox_endpoints',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The module that owns the endpoint and the reference of its own row, e.g. `credit_partner`. */
    owner: text().notNull(),
    name: text().notNull(),
    url: text().notNull(),
    /** The HMAC-SHA256 signing secret, sealed with the PII key (identity/crypto.ts `encrypt`). */
    secretSealed: text().notNull(),
    /** Topic prefixes this endpoint receives (`credit.` receives every credit event). */
    topics: text().array().notNull(),
    active: boolean().notNull().default(true),
    /** A dispatcher holds the endpoint while it posts (a lease, not a row lock held over HTTP). */
    leaseUntil: timestamp({ withTimezone: true }),
    leaseOwner: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * A court's or insurer's webhook (ADR 023): it receives only events whose audience names its
     * organisation. Null for the platform's own recipients (the credit partners), which receive
     * only events without an audience.
     */
    organisationId: uuid().references(() => organisations.id),
    createdBy: uuid().references(() => users.id),
  },
  (t) => [
    index('outbox_endpoints_owner_idx').on(t.owner),
    index('outbox_endpoints_org_idx').on(t.organisationId),
  ],
);

/** One event, immutable once written; `seq` orders the events of the whole outbox. */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    /** The event id receivers de-duplicate on. */
    id: uuid().primaryKey().defaultRandom(),
    seq: bigserial({ mode: 'number' }).notNull(),
    topic: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    /** The organisations whose webhooks receive it (ADR 023); null: the platform's recipients only. */
    audience: uuid().array(),
  },
  (t) => [uniqueIndex('outbox_events_seq_key').on(t.seq)],
);

export const outboxDeliveryStatus = pgEnum('outbox_delivery_status', ['pending', 'delivered', 'dead']);

/** An event owed to one endpoint: delivered in `seq` order per endpoint, once acknowledged. */
export const outboxDeliveries = pgTable(
  'outbox_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    endpointId: uuid()
      .notNull()
      .references(() => outboxEndpoints.id, { onDelete: 'cascade' }),
    eventId: uuid()
      .notNull()
      .references(() => outboxEvents.id),
    seq: bigint({ mode: 'number' }).notNull(),
    status: outboxDeliveryStatus().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull(),
    deliveredAt: timestamp({ withTimezone: true }),
    lastError: text(),
  },
  (t) => [
    uniqueIndex('outbox_deliveries_endpoint_event_key').on(t.endpointId, t.eventId),
    index('outbox_deliveries_pending_idx').on(t.endpointId, t.seq).where(sql`status = 'pending'`),
  ],
);

/** The delivery log: every attempt, its answer and how long it took. */
export const outboxAttempts = pgTable(
  'outbox_attempts',
  {
    id: uuid().primaryKey().defaultRandom(),
    deliveryId: uuid()
      .notNull()
      .references(() => outboxDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    statusCode: integer(),
    error: text(),
    durationMs: integer().notNull(),
  },
  (t) => [index('outbox_attempts_delivery_idx').on(t.deliveryId, t.attempt)],
);

export type OutboxEndpoint = typeof outboxEndpoints.$inferSelect;
export type OutboxEvent = typeof outboxEvents.$inferSelect;
export type OutboxDelivery = typeof outboxDeliveries.$inferSelect;
