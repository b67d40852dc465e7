import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const ledgerAccountKind = pgEnum('ledger_account_kind', [
  'bidder_deposit', // bidder_deposit:<registrationId>, a bidder's deposit held for one auction
  'case', // case:<caseId>, 一案一账号: the enforcement case's own account
  'court_deposits', // court_deposits:<courtId>, deposits captured by the court
  'forfeited_deposits', // forfeited_deposits:<courtId>, 悔拍 deposits (art. 24)
  'gateway_clearing', // gateway_clearing:<gateway>, mirror of money outside the system
  'aid_policy', // aid_policy:<policyId>, an aid policy's aggregate limit
  'case_fund', // case_fund:<caseId>:…, a case's money allotted by its distribution plan (server/funds)
]);

/**
 * Double-entry ledger. Sign convention of `ledger_entries.amount_fen`: positive = debit = money
 * INTO the account, negative = credit = money OUT of it. An account's balance is the sum of its
 * entries, derived, never stored. Every transaction's entries sum to zero (checked by the service
 * and, at commit, by the deferred trigger `ledger_entries_balanced`), so all balances sum to zero:
 * clearing accounts mirror the outside world and go negative by what entered through them.
 */
export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** `<kind>:<owner id>`, e.g. `case:<caseId>`; stable, used by callers instead of the id. */
    code: text().notNull(),
    kind: ledgerAccountKind().notNull(),
    currency: text().notNull().default('CNY'),
    /** Only clearing accounts may go below zero; customer, court and case accounts never. */
    allowNegative: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('ledger_accounts_code_key').on(t.code)],
);

export const ledgerTransactions = pgTable(
  'ledger_transactions',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** A retried post with the same key returns the first transaction and writes nothing. */
    idempotencyKey: text().notNull(),
    /** e.g. `deposit.hold`, `deposit.capture`, `deposit.release`, `deposit.forfeit`. */
    kind: text().notNull(),
    description: text(),
    /** When the money moved in the world (e.g. the gateway's time); `created_at` is when it was booked. */
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('ledger_transactions_idempotency_key').on(t.idempotencyKey)],
);

/** Append-only. `amount_fen`: positive = debit (into the account), negative = credit (out of it). */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial({ mode: 'bigint' }).primaryKey(),
    transactionId: uuid()
      .notNull()
      .references(() => ledgerTransactions.id),
    accountId: uuid()
      .notNull()
      .references(() => ledgerAccounts.id),
    amountFen: bigint({ mode: 'bigint' }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ledger_entries_account_idx').on(t.accountId, t.id),
    index('ledger_entries_transaction_idx').on(t.transactionId),
    check('ledger_entries_amount_nonzero', sql`${t.amountFen} <> 0`),
  ],
);

export type LedgerAccount = typeof ledgerAccounts.$inferSelect;
export type LedgerAccountKind = (typeof ledgerAccountKind.enumValues)[number];
export type LedgerTransaction = typeof ledgerTransactions.$inferSelect;
export type LedgerEntry = typeof ledgerEntries.$inferSelect;
