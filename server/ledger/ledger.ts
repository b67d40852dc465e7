/**
 * Double-entry ledger. Every movement of money is one transaction of at least two entries that
 * sum to zero. Sign convention: a positive `amountFen` is a debit = money INTO the account, a
 * negative one a credit = money OUT of it; an account's balance is the sum of its entries, derived
 * on read and never stored. Clearing accounts (`allowNegative`) mirror money outside the system
 * and go negative by what entered through them; every other account never goes below zero.
 *
 * Functions take a `Db` (the database or an open transaction) so a caller books the movement in
 * the same database transaction as the state change that causes it (e.g. the deposit's status).
 */

import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  type LedgerAccountKind,
  ledgerAccounts,
  ledgerEntries,
  ledgerTransactions,
} from '../../db/schema/ledger.js';
import { DomainError, notFound } from '../errors.js';
import { ledgerPostingErrors } from '../metrics/metrics.js';
import { validationError } from '../validation.js';

export interface AccountInput {
  /** `<kind>:<owner id>`, e.g. `case:<caseId>`, `bidder_deposit:<registrationId>`. */
  code: string;
  kind: LedgerAccountKind;
  allowNegative?: boolean;
}

export interface EntryInput {
  /** Account code. */
  account: string;
  /** Positive = debit (into the account), negative = credit (out of it); never zero. */
  amountFen: bigint;
}

export interface PostInput {
  idempotencyKey: string;
  kind: string;
  description?: string;
  occurredAt: Date;
  entries: EntryInput[];
}

export interface PostedTransaction {
  id: string;
  idempotencyKey: string;
  kind: string;
  description: string | null;
  occurredAt: Date;
  createdAt: Date;
  entries: EntryInput[];
  /** True when this call was a retry of an earlier post with the same key: nothing was written. */
  replayed: boolean;
}

export interface StatementLine {
  entryId: bigint;
  transactionId: string;
  kind: string;
  description: string | null;
  occurredAt: Date;
  amountFen: bigint;
  /** Balance after this line (opening balance included). */
  balanceFen: bigint;
}

export interface Statement {
  account: string;
  openingFen: bigint;
  lines: StatementLine[];
  closingFen: bigint;
}

export interface TrialBalance {
  /** Sum of every entry in the ledger: zero unless the books are broken. */
  totalFen: bigint;
  accounts: Array<{ code: string; kind: LedgerAccountKind; allowNegative: boolean; balanceFen: bigint }>;
}

/** Idempotent: creates the account or returns the existing one's id; a different kind or overdraft rule is a conflict. */
export async function ensureAccount(db: Db, input: AccountInput): Promise<string> {
  if (!input.code.trim()) throw validationError({ code: ['validation.required'] });
  const allowNegative = input.allowNegative ?? false;
  await db
    .insert(ledgerAccounts)
    .values({ code: input.code, kind: input.kind, allowNegative })
    .onConflictDoNothing({ target: ledgerAccounts.code });
  const [row] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.code, input.code));
  if (!row) throw new Error(`ledger account ${input.code} vanished after upsert`);
  if (row.kind !== input.kind || row.allowNegative !== allowNegative) {
    throw new DomainError('conflict', 'ledger.accountMismatch', { params: { account: input.code } });
  }
  return row.id;
}

/** Pure checks of a posting's shape: the rules that need no database. */
function checkShape(input: PostInput): void {
  const fieldErrors: Record<string, string[]> = {};
  if (!input.idempotencyKey?.trim()) fieldErrors.idempotencyKey = ['validation.required'];
  if (!input.kind?.trim()) fieldErrors.kind = ['validation.required'];
  if (!(input.occurredAt instanceof Date) || Number.isNaN(input.occurredAt.getTime())) {
    fieldErrors.occurredAt = ['validation.required'];
  }
  if (Object.keys(fieldErrors).length > 0) throw validationError(fieldErrors);
  if (!Array.isArray(input.entries) || input.entries.length < 2) {
    throw new DomainError('validation', 'ledger.tooFewEntries');
  }
  for (const e of input.entries) {
    if (typeof e.amountFen !== 'bigint' || e.amountFen === 0n || !e.account) {
      throw new DomainError('validation', 'ledger.zeroAmount', { params: { account: e.account ?? '' } });
    }
  }
  const total = input.entries.reduce((s, e) => s + e.amountFen, 0n);
  if (total !== 0n) {
    throw new DomainError('validation', 'ledger.unbalanced', { params: { totalFen: total.toString() } });
  }
}

/** Order-insensitive fingerprint of a set of entries, to tell a retry from a reused key. */
const fingerprint = (kind: string, entries: EntryInput[]) =>
  `${kind}|${entries
    .map((e) => `${e.account}=${e.amountFen}`)
    .sort()
    .join(',')}`;

async function loadPosted(db: Db, idempotencyKey: string): Promise<PostedTransaction | undefined> {
  const [tx] = await db
    .select()
    .from(ledgerTransactions)
    .where(eq(ledgerTransactions.idempotencyKey, idempotencyKey));
  if (!tx) return undefined;
  const entries = await db
    .select({ account: ledgerAccounts.code, amountFen: ledgerEntries.amountFen })
    .from(ledgerEntries)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
    .where(eq(ledgerEntries.transactionId, tx.id))
    .orderBy(asc(ledgerEntries.id));
  return { ...tx, entries, replayed: true };
}

function replayOrConflict(existing: PostedTransaction, input: PostInput): PostedTransaction {
  if (fingerprint(existing.kind, existing.entries) !== fingerprint(input.kind, input.entries)) {
    throw new DomainError('conflict', 'ledger.idempotencyConflict', {
      params: { idempotencyKey: input.idempotencyKey },
    });
  }
  return existing;
}

/**
 * Books one balanced transaction. Validates (>= 2 entries, none zero, sum zero, accounts exist),
 * is idempotent by key, locks the accounts' rows in code order (so concurrent postings queue
 * instead of deadlocking) and refuses to take a non-negative account below zero. On any refusal
 * nothing is written. Runs in its own transaction, or in a savepoint of the caller's.
 */
export async function post(db: Db, input: PostInput): Promise<PostedTransaction> {
  try {
    return await postOnce(db, input);
  } catch (error) {
    ledgerPostingErrors.inc({ code: error instanceof DomainError ? error.messageKey : 'internal' });
    throw error;
  }
}

async function postOnce(db: Db, input: PostInput): Promise<PostedTransaction> {
  checkShape(input);
  return db.transaction(async (tx) => {
    const earlier = await loadPosted(tx, input.idempotencyKey);
    if (earlier) return replayOrConflict(earlier, input);

    const codes = [...new Set(input.entries.map((e) => e.account))].sort();
    const accounts = await tx
      .select({
        id: ledgerAccounts.id,
        code: ledgerAccounts.code,
        allowNegative: ledgerAccounts.allowNegative,
      })
      .from(ledgerAccounts)
      .where(inArray(ledgerAccounts.code, codes))
      .orderBy(asc(ledgerAccounts.code))
      .for('update');
    const byCode = new Map(accounts.map((a) => [a.code, a]));
    const missing = codes.filter((c) => !byCode.has(c));
    if (missing.length > 0) {
      throw new DomainError('validation', 'ledger.unknownAccount', {
        params: { account: missing.join(', ') },
      });
    }

    // Read after the locks: a concurrent posting to these accounts has committed or not started.
    const guarded = accounts.filter((a) => !a.allowNegative);
    if (guarded.length > 0) {
      const balances = await balancesOf(
        tx,
        guarded.map((a) => a.id),
      );
      for (const a of guarded) {
        const delta = input.entries.filter((e) => e.account === a.code).reduce((s, e) => s + e.amountFen, 0n);
        if ((balances.get(a.id) ?? 0n) + delta < 0n) {
          throw new DomainError('conflict', 'ledger.insufficientFunds', { params: { account: a.code } });
        }
      }
    }

    const [created] = await tx
      .insert(ledgerTransactions)
      .values({
        idempotencyKey: input.idempotencyKey,
        kind: input.kind,
        description: input.description ?? null,
        occurredAt: input.occurredAt,
      })
      // A concurrent post with the same key committed first: this insert waited for it.
      .onConflictDoNothing({ target: ledgerTransactions.idempotencyKey })
      .returning();
    if (!created) {
      const winner = await loadPosted(tx, input.idempotencyKey);
      if (!winner) throw new Error(`ledger transaction ${input.idempotencyKey} vanished`);
      return replayOrConflict(winner, input);
    }
    await tx.insert(ledgerEntries).values(
      input.entries.map((e) => ({
        transactionId: created.id,
        accountId: byCode.get(e.account)!.id,
        amountFen: e.amountFen,
      })),
    );
    return {
      ...created,
      entries: input.entries.map((e) => ({ account: e.account, amountFen: e.amountFen })),
      replayed: false,
    };
  });
}

async function balancesOf(db: Db, accountIds: string[]): Promise<Map<string, bigint>> {
  const rows = await db
    .select({
      accountId: ledgerEntries.accountId,
      balanceFen: sql<bigint>`sum(${ledgerEntries.amountFen})::bigint`,
    })
    .from(ledgerEntries)
    .where(inArray(ledgerEntries.accountId, accountIds))
    .groupBy(ledgerEntries.accountId);
  return new Map(rows.map((r) => [r.accountId, BigInt(r.balanceFen)]));
}

async function accountByCode(db: Db, code: string) {
  const [account] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.code, code));
  if (!account) throw notFound('ledger.unknownAccount');
  return account;
}

/** The account's balance: the sum of its entries. An unknown account is not_found. */
export async function balanceOf(db: Db, code: string): Promise<bigint> {
  const account = await accountByCode(db, code);
  return (await balancesOf(db, [account.id])).get(account.id) ?? 0n;
}

/**
 * The account's entries with a running balance, ordered by when the money moved; `from` is
 * inclusive, `to` exclusive. The opening balance sums everything before `from`.
 */
export async function statement(
  db: Db,
  code: string,
  range: { from?: Date; to?: Date } = {},
): Promise<Statement> {
  const account = await accountByCode(db, code);
  // Running balance over the whole history first, then the window: the first line's balance
  // already includes everything before `from`.
  const running = db
    .select({
      entryId: ledgerEntries.id,
      transactionId: ledgerEntries.transactionId,
      kind: ledgerTransactions.kind,
      description: ledgerTransactions.description,
      occurredAt: ledgerTransactions.occurredAt,
      amountFen: ledgerEntries.amountFen,
      balanceFen:
        sql<bigint>`(sum(${ledgerEntries.amountFen}) over (order by ${ledgerTransactions.occurredAt}, ${ledgerEntries.id}))::bigint`.as(
          'balance_fen',
        ),
    })
    .from(ledgerEntries)
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .where(eq(ledgerEntries.accountId, account.id))
    .as('running');
  const conditions = [];
  if (range.from) conditions.push(gte(running.occurredAt, range.from));
  if (range.to) conditions.push(lt(running.occurredAt, range.to));
  const rows = await db
    .select()
    .from(running)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(asc(running.occurredAt), asc(running.entryId));
  const lines = rows.map((r) => ({ ...r, amountFen: BigInt(r.amountFen), balanceFen: BigInt(r.balanceFen) }));

  let openingFen = 0n;
  if (range.from) {
    const [row] = await db
      .select({ total: sql<bigint>`coalesce(sum(${ledgerEntries.amountFen}), 0)::bigint` })
      .from(ledgerEntries)
      .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
      .where(and(eq(ledgerEntries.accountId, account.id), lt(ledgerTransactions.occurredAt, range.from)));
    openingFen = BigInt(row?.total ?? 0n);
  }
  const closingFen = lines.length > 0 ? lines[lines.length - 1]!.balanceFen : openingFen;
  return { account: code, openingFen, lines, closingFen };
}

/** Every account's derived balance and their total, which must be zero. For reconciliation. */
export async function trialBalance(db: Db): Promise<TrialBalance> {
  const rows = await db
    .select({
      code: ledgerAccounts.code,
      kind: ledgerAccounts.kind,
      allowNegative: ledgerAccounts.allowNegative,
      balanceFen: sql<bigint>`coalesce(sum(${ledgerEntries.amountFen}), 0)::bigint`,
    })
    .from(ledgerAccounts)
    .leftJoin(ledgerEntries, eq(ledgerEntries.accountId, ledgerAccounts.id))
    .groupBy(ledgerAccounts.id)
    .orderBy(asc(ledgerAccounts.code));
  const accounts = rows.map((r) => ({ ...r, balanceFen: BigInt(r.balanceFen) }));
  return { totalFen: accounts.reduce((s, a) => s + a.balanceFen, 0n), accounts };
}
