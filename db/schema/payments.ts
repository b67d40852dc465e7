import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
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
import { cases } from './cases.js';
import { organisations, users } from './identity.js';

/**
 * pending: owed, not (or no longer) held; held: the money is held for this auction;
 * applied: counted toward the price (winner, art. 23); released: given back (losers, failed or
 * withdrawn auctions, art. 23); forfeited: kept after a default (悔拍, art. 24).
 */
export const depositStatus = pgEnum('deposit_status', [
  'pending',
  'held',
  'applied',
  'released',
  'forfeited',
]);
/** The decided end of a held deposit, written before the gateway is asked to carry it out. */
export const depositSettlement = pgEnum('deposit_settlement', ['apply', 'release', 'forfeit']);
/** card: through the configured gateway (Stripe or the local simulator). waived: nothing to pay (creditor, art. 17 note). */
export const paymentMethod = pgEnum('payment_method', ['stripe', 'local', 'bank_transfer', 'waived']);
export const paymentPurpose = pgEnum('payment_purpose', ['deposit', 'balance']);
export const paymentStatus = pgEnum('payment_status', [
  'requires_payment',
  'processing',
  'authorized',
  'captured',
  'canceled',
  'failed',
]);
export const balanceStatus = pgEnum('balance_status', ['open', 'paid', 'defaulted']);
export const bankTransferStatus = pgEnum('bank_transfer_status', ['recorded', 'confirmed', 'rejected']);

/** One per registration: what the bidder owes as a deposit and where it stands. */
export const deposits = pgTable(
  'deposits',
  {
    id: uuid().primaryKey().defaultRandom(),
    registrationId: uuid()
      .notNull()
      .references(() => registrations.id),
    listingId: uuid()
      .notNull()
      .references(() => listings.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    /** The listing's deposit. */
    requiredFen: bigint({ mode: 'bigint' }).notNull(),
    /** What this bidder pays: the applicant creditor pays only the part exceeding his claim. */
    amountFen: bigint({ mode: 'bigint' }).notNull(),
    status: depositStatus().notNull().default('pending'),
    settlement: depositSettlement(),
    /** The payment that holds (or last held) the money. */
    paymentId: uuid(),
    heldAt: timestamp({ withTimezone: true }),
    settledAt: timestamp({ withTimezone: true }),
    /** A card hold that lapses before the auction ends: the bidder was asked to renew it. */
    renewalRequestedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('deposits_registration_key').on(t.registrationId),
    index('deposits_listing_idx').on(t.listingId),
    index('deposits_court_idx').on(t.courtId, t.createdAt),
    index('deposits_user_idx').on(t.userId, t.createdAt),
    check('deposits_amount_range', sql`${t.amountFen} >= 0 and ${t.amountFen} <= ${t.requiredFen}`),
  ],
);

/** 余款: what the winner still owes after his deposit, due within the listing's period. */
export const balances = pgTable(
  'balances',
  {
    id: uuid().primaryKey().defaultRandom(),
    listingId: uuid()
      .notNull()
      .references(() => listings.id),
    registrationId: uuid()
      .notNull()
      .references(() => registrations.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    priceFen: bigint({ mode: 'bigint' }).notNull(),
    depositAppliedFen: bigint({ mode: 'bigint' }).notNull(),
    amountFen: bigint({ mode: 'bigint' }).notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    status: balanceStatus().notNull().default('open'),
    paymentId: uuid(),
    paidAt: timestamp({ withTimezone: true }),
    defaultedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('balances_listing_key').on(t.listingId),
    index('balances_user_idx').on(t.userId),
    index('balances_court_idx').on(t.courtId, t.dueAt),
    check(
      'balances_amount',
      sql`${t.amountFen} = ${t.priceFen} - ${t.depositAppliedFen} and ${t.amountFen} >= 0`,
    ),
  ],
);

/**
 * One attempt to move money for a deposit or a balance, mirroring the gateway's state. The
 * ledger books exactly the money the gateway holds for it (`bookedFen`), so the two can be
 * reconciled payment by payment.
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid().primaryKey().defaultRandom(),
    purpose: paymentPurpose().notNull(),
    depositId: uuid().references(() => deposits.id),
    balanceId: uuid().references(() => balances.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    method: paymentMethod().notNull(),
    /** The gateway's id (PaymentIntent id, local simulator id); null until the gateway answered. */
    gatewayRef: text(),
    /** Bank transfers: the unique reference the payer writes on the transfer. */
    reference: text(),
    amountFen: bigint({ mode: 'bigint' }).notNull(),
    status: paymentStatus().notNull().default('requires_payment'),
    authorizedFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    capturedFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    refundedFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    /** Money the ledger has booked as brought in by this payment. */
    bookedFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    bookings: integer().notNull().default(0),
    failureCode: text(),
    authorizationExpiresAt: timestamp({ withTimezone: true }),
    /**
     * The receipt's number, `<court code>-<year>-<sequence>` (e.g. `青0104-2026-000017`): allocated
     * from `receipt_sequences` in the transaction that first records money held or taken, once.
     */
    receiptNumber: text(),
    receiptIssuedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('payments_gateway_ref_key').on(t.method, t.gatewayRef),
    uniqueIndex('payments_receipt_number_key').on(t.receiptNumber),
    uniqueIndex('payments_reference_key').on(t.reference),
    index('payments_deposit_idx').on(t.depositId),
    index('payments_balance_idx').on(t.balanceId),
    index('payments_user_idx').on(t.userId, t.createdAt),
    index('payments_open_idx')
      .on(t.updatedAt)
      .where(sql`${t.status} in ('requires_payment', 'processing', 'authorized')`),
    check('payments_one_purpose', sql`(${t.depositId} is null) <> (${t.balanceId} is null)`),
    check('payments_amount_positive', sql`${t.amountFen} > 0`),
  ],
);

/**
 * The last receipt number a court issued in a (Beijing) year: the row is locked by the
 * transaction that allocates the next one, so numbers are sequential, unique and without gaps
 * (a rolled-back payment gives its number back before anyone saw it).
 */
export const receiptSequences = pgTable(
  'receipt_sequences',
  {
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    year: integer().notNull(),
    last: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.courtId, t.year] }), check('receipt_sequences_last', sql`${t.last} > 0`)],
);

/** Gateway events already processed: a duplicate delivery is acknowledged and ignored. */
export const gatewayEvents = pgTable('gateway_events', {
  id: text().primaryKey(),
  gateway: text().notNull(),
  type: text().notNull(),
  paymentId: uuid(),
  receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** A transfer a clerk recorded from the court's bank statement; a second staff member confirms it. */
export const bankTransfers = pgTable(
  'bank_transfers',
  {
    id: uuid().primaryKey().defaultRandom(),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id),
    amountFen: bigint({ mode: 'bigint' }).notNull(),
    bankReference: text().notNull(),
    receivedOn: date().notNull(),
    status: bankTransferStatus().notNull().default('recorded'),
    recordedBy: uuid()
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp({ withTimezone: true }).notNull(),
    decidedBy: uuid().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    rejectReason: text(),
  },
  (t) => [
    uniqueIndex('bank_transfers_bank_ref_key').on(t.courtId, t.bankReference),
    index('bank_transfers_court_idx').on(t.courtId, t.status),
    check('bank_transfers_maker_checker', sql`${t.decidedBy} is null or ${t.decidedBy} <> ${t.recordedBy}`),
  ],
);

/** The court's account for deposits and balances, shown to bidders paying by transfer. */
export const courtBankAccounts = pgTable('court_bank_accounts', {
  courtId: uuid()
    .primaryKey()
    .references(() => organisations.id),
  bankName: text().notNull(),
  accountName: text().notNull(),
  accountNo: text().notNull(),
});

/**
 * The local simulated gateway's own book (the embedded default, refused in production). It
 * stands outside our payments tables, as a real gateway would, so reconciliation compares two
 * independent records.
 */
export const localGatewayPayments = pgTable('local_gateway_payments', {
  id: text().primaryKey(),
  paymentId: uuid().notNull().unique(),
  amountFen: bigint({ mode: 'bigint' }).notNull(),
  captureMethod: text().notNull(),
  status: paymentStatus().notNull().default('requires_payment'),
  authorizedFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
  capturedFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
  refundedFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
  failureCode: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** What the reconciliation job found: differences between the gateways and the ledger. */
export const reconciliationRuns = pgTable('reconciliation_runs', {
  id: uuid().primaryKey().defaultRandom(),
  startedAt: timestamp({ withTimezone: true }).notNull(),
  finishedAt: timestamp({ withTimezone: true }).notNull(),
  checked: integer().notNull(),
  repaired: integer().notNull(),
  differences: jsonb()
    .$type<Array<{ paymentId: string; gatewayFen: string; ledgerFen: string; note: string }>>()
    .notNull(),
});

export type Deposit = typeof deposits.$inferSelect;
export type Balance = typeof balances.$inferSelect;
export type Payment = typeof payments.$inferSelect;
export type BankTransfer = typeof bankTransfers.$inferSelect;
export type DepositStatus = (typeof depositStatus.enumValues)[number];
export type PaymentMethod = (typeof paymentMethod.enumValues)[number];
