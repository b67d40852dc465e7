import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  index,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations, users } from './identity.js';

/**
 * Disbursements (server/disbursements, ADR 010): transfers from a payer organisation to payees'
 * bank accounts, in batches prepared by one person and approved by another, sent as a bank file
 * and settled by the bank's confirmation file. The module knows payees, accounts and amounts,
 * not why they are owed: `purpose` names the module that owes them (`aid_claim` today) and
 * `subject_id` the record of that module they pay (the aid claim), deliberately without a
 * foreign key. Money is integer fen.
 */

export const disbursementStatus = pgEnum('disbursement_status', [
  'scheduled',
  'approved',
  'sent',
  'confirmed',
  'failed',
  'reissued',
  'cancelled',
]);
export const disbursementFailure = pgEnum('disbursement_failure', [
  'wrong_account',
  'payee_unreachable',
  'deceased',
  'other',
]);
export const disbursementBatchStatus = pgEnum('disbursement_batch_status', [
  'prepared',
  'approved',
  'sent',
  'settled',
]);

export const disbursementBatches = pgTable(
  'disbursement_batches',
  {
    id: uuid().primaryKey().defaultRandom(),
    number: text().notNull(),
    /** The purpose of every disbursement in the batch (a batch never mixes purposes). */
    purpose: text().notNull(),
    /** The organisation whose money goes out (an insurer for aid, a court for case funds). */
    payerId: uuid()
      .notNull()
      .references(() => organisations.id),
    status: disbursementBatchStatus().notNull().default('prepared'),
    preparedBy: uuid()
      .notNull()
      .references(() => users.id),
    preparedAt: timestamp({ withTimezone: true }).notNull(),
    approvedBy: uuid().references(() => users.id),
    approvedAt: timestamp({ withTimezone: true }),
    sentBy: uuid().references(() => users.id),
    sentAt: timestamp({ withTimezone: true }),
    settledAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('disbursement_batches_number_key').on(t.number),
    index('disbursement_batches_payer_idx').on(t.payerId, t.preparedAt),
  ],
);

/** One transfer to a payee. The reference is what the bank echoes back in its confirmation file. */
export const disbursements = pgTable(
  'disbursements',
  {
    id: uuid().primaryKey().defaultRandom(),
    reference: text().notNull(),
    batchId: uuid()
      .notNull()
      .references(() => disbursementBatches.id),
    /** Which module owes the money, e.g. `aid_claim`. */
    purpose: text().notNull(),
    /** The record of that module this pays (an aid claim's id); opaque here, no foreign key. */
    subjectId: uuid().notNull(),
    payerId: uuid()
      .notNull()
      .references(() => organisations.id),
    payeeName: text().notNull(),
    bankName: text().notNull(),
    accountNumber: text().notNull(),
    amountFen: bigint({ mode: 'bigint' }).notNull(),
    currency: text().notNull().default('CNY'),
    /** The line the payee's bank statement shows (the bank file's memo column). */
    memo: text().notNull(),
    status: disbursementStatus().notNull().default('scheduled'),
    failureReason: disbursementFailure(),
    failureNote: text(),
    bankReference: text(),
    reissueOf: uuid().references((): AnyPgColumn => disbursements.id),
    preparedBy: uuid()
      .notNull()
      .references(() => users.id),
    approvedBy: uuid().references(() => users.id),
    sentAt: timestamp({ withTimezone: true }),
    /** When the bank confirmed or reported the failure. */
    settledAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('disbursements_reference_key').on(t.reference),
    index('disbursements_batch_idx').on(t.batchId),
    index('disbursements_subject_idx').on(t.subjectId),
    index('disbursements_settled_idx').on(t.payerId, t.status, t.settledAt),
    check('disbursements_amount', sql`${t.amountFen} > 0`),
  ],
);

export type Disbursement = typeof disbursements.$inferSelect;
export type DisbursementStatus = (typeof disbursementStatus.enumValues)[number];
export type DisbursementFailure = (typeof disbursementFailure.enumValues)[number];
export type DisbursementBatch = typeof disbursementBatches.$inferSelect;
export type DisbursementBatchStatus = (typeof disbursementBatchStatus.enumValues)[number];
