import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
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
import { listings, registrations } from './auctions.js';
import { assets, cases } from './cases.js';
import { organisations, users } from './identity.js';
import { balances } from './payments.js';

/**
 * After full payment (拍卖、变卖规定 arts. 20, 26, 27; ADR 014):
 *
 * eligibility_check → awaiting_ruling | eligibility_failed (限购: the court re-checks the buyer's
 * purchase eligibility before the ruling; a failed check blocks it) → ruling_issued (成交裁定,
 * within 10 days of full payment) → ruling_served (ownership passes on service, art. 26) →
 * handover_scheduled → handed_over | handover_obstructed (→ handover_scheduled again). A listing
 * without the restriction starts at awaiting_ruling.
 */
export const saleStatus = pgEnum('sale_status', [
  'eligibility_check',
  'eligibility_failed',
  'awaiting_ruling',
  'ruling_issued',
  'ruling_served',
  'handover_scheduled',
  'handed_over',
  'handover_obstructed',
]);

/**
 * One sold listing whose balance is paid in full: opened in the transaction that marks the balance
 * paid, once per listing. The deadlines are written when each clock starts; the overdue marks are
 * set by durable jobs at the deadline (the court's overdue lists), never by a page.
 */
export const sales = pgTable(
  'sales',
  {
    id: uuid().primaryKey().defaultRandom(),
    listingId: uuid()
      .notNull()
      .references(() => listings.id),
    balanceId: uuid()
      .notNull()
      .references(() => balances.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    assetId: uuid()
      .notNull()
      .references(() => assets.id),
    registrationId: uuid()
      .notNull()
      .references(() => registrations.id),
    /** The buyer (买受人): the winner who paid the balance. */
    buyerId: uuid()
      .notNull()
      .references(() => users.id),
    priceFen: bigint({ mode: 'bigint' }).notNull(),
    currency: text().notNull().default('CNY'),
    purchaseRestricted: boolean().notNull(),
    status: saleStatus().notNull(),
    /** Full payment: the 10 days of art. 20 run from here. */
    paidAt: timestamp({ withTimezone: true }).notNull(),
    rulingDueAt: timestamp({ withTimezone: true }).notNull(),
    rulingOverdueAt: timestamp({ withTimezone: true }),

    eligibilityCheckedAt: timestamp({ withTimezone: true }),
    eligibilityCheckedBy: uuid().references(() => users.id),
    eligibilityFailureReason: text(),

    /** `<case number>之<n>`: the n-th ruling of the case. */
    rulingNumber: text(),
    rulingIssuedAt: timestamp({ withTimezone: true }),
    rulingIssuedBy: uuid().references(() => users.id),
    /** The generated PDF, behind server/storage. */
    rulingStorageKey: text(),
    rulingSha256: text(),
    rulingSize: integer(),

    /** The day the ruling was served on the buyer: ownership passes (art. 26). */
    servedOn: date({ mode: 'string' }),
    servedRecordedAt: timestamp({ withTimezone: true }),
    servedRecordedBy: uuid().references(() => users.id),

    /** Art. 27: within 15 days of the ruling. */
    handoverDueAt: timestamp({ withTimezone: true }),
    handoverOverdueAt: timestamp({ withTimezone: true }),
    handoverScheduledFor: timestamp({ withTimezone: true }),
    handoverPlace: text(),
    handedOverOn: date({ mode: 'string' }),
    handoverNote: text(),
    obstructionReason: text(),
    handoverObstructedAt: timestamp({ withTimezone: true }),

    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('sales_listing_key').on(t.listingId),
    uniqueIndex('sales_balance_key').on(t.balanceId),
    uniqueIndex('sales_ruling_number_key').on(t.rulingNumber),
    index('sales_court_idx').on(t.courtId, t.status),
    index('sales_buyer_idx').on(t.buyerId),
    // The ruling exists as a whole (number, issuer, stored PDF, handover clock) or not at all.
    check(
      'sales_ruling_whole',
      sql`num_nonnulls(${t.rulingNumber}, ${t.rulingIssuedAt}, ${t.rulingIssuedBy}, ${t.rulingStorageKey}, ${t.rulingSha256}, ${t.rulingSize}, ${t.handoverDueAt}) in (0, 7)`,
    ),
    check(
      'sales_ruling_by_status',
      sql`(${t.rulingNumber} is null) = (${t.status} in ('eligibility_check', 'eligibility_failed', 'awaiting_ruling'))`,
    ),
    check(
      'sales_failed_has_reason',
      sql`${t.status} <> 'eligibility_failed' or ${t.eligibilityFailureReason} is not null`,
    ),
  ],
);

/**
 * The sale's record: every step as it happened (status changes with who and when, the overdue
 * marks). The buyer sees the steps and the handover record without the staff's names.
 */
export const saleEvents = pgTable(
  'sale_events',
  {
    /** In the order written: steps taken in the same instant keep their order. */
    id: bigserial({ mode: 'number' }).primaryKey(),
    saleId: uuid()
      .notNull()
      .references(() => sales.id, { onDelete: 'cascade' }),
    /** The status moved to, or `ruling_overdue` / `handover_overdue`, or `opened`. */
    kind: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    actorId: uuid().references(() => users.id),
    data: jsonb().$type<Record<string, string>>().notNull().default({}),
  },
  (t) => [index('sale_events_sale_idx').on(t.saleId, t.at)],
);

export type Sale = typeof sales.$inferSelect;
export type SaleStatus = (typeof saleStatus.enumValues)[number];
export type SaleEvent = typeof saleEvents.$inferSelect;
