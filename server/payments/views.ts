/**
 * What the payments pages read: the bidder's own deposits, balances and receipts, each with what
 * he may do now (`can`, from `affordances.ts`); the court's deposits and case accounts.
 */
import { and, count, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { listings, registrations } from '../../db/schema/auctions.js';
import { cases } from '../../db/schema/cases.js';
import { organisations, users } from '../../db/schema/identity.js';
import {
  balances,
  bankTransfers,
  courtBankAccounts,
  type Deposit,
  depositStatus,
  deposits,
  payments,
} from '../../db/schema/payments.js';
import { affordancesOf } from '../affordances.js';
import { renderPdf } from '../documents/pdf.js';
import { type DomainError, notFound } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { keysetCursor, keysetPage, olderThan } from '../keyset.js';
import { ensureAccount, statement } from '../ledger/ledger.js';
import { isUuid } from '../validation.js';
import { caseAccount } from './accounts.js';
import { cardRefusal, decideBalanceActions, decideDepositActions } from './affordances.js';
import type { PaymentDeps } from './deps.js';
import { ownBalance, ownDeposit } from './paying.js';
import { receiptDocument } from './receipt-document.js';
import { RECEIPT_STATUSES } from './rules.js';

const isDepositStatus = (s: string | undefined): s is Deposit['status'] =>
  s !== undefined && (depositStatus.enumValues as readonly string[]).includes(s);

/** The bidder's deposits, balances and receipts. */
export async function myPayments(deps: PaymentDeps, actor: Actor | null) {
  const { db } = deps;
  const me = requirePermission(actor, 'pay:own');
  const now = deps.clock();
  const myDeposits = await db
    .select({
      deposit: deposits,
      title: listings.title,
      listingStatus: listings.status,
      endAt: listings.currentEndAt,
      code: registrations.code,
    })
    .from(deposits)
    .innerJoin(listings, eq(listings.id, deposits.listingId))
    .innerJoin(registrations, eq(registrations.id, deposits.registrationId))
    .where(eq(deposits.userId, me.userId))
    .orderBy(desc(deposits.createdAt));
  const myBalances = await db
    .select({ balance: balances, title: listings.title })
    .from(balances)
    .innerJoin(listings, eq(listings.id, balances.listingId))
    .where(eq(balances.userId, me.userId))
    .orderBy(desc(balances.createdAt));
  const receipts = await db
    .select()
    .from(payments)
    .where(and(eq(payments.userId, me.userId), inArray(payments.status, RECEIPT_STATUSES)))
    .orderBy(desc(payments.updatedAt));
  return {
    deposits: myDeposits.map((r) => ({
      ...r,
      can: affordancesOf(
        decideDepositActions(me, r.deposit, { status: r.listingStatus, currentEndAt: r.endAt }, now),
      ),
    })),
    balances: myBalances.map((r) => ({ ...r, can: affordancesOf(decideBalanceActions(me, r.balance, now)) })),
    receipts,
  };
}

/** One deposit with what the bidder needs to pay it: attempts, the court's account for transfers. */
export async function depositView(deps: PaymentDeps, actor: Actor | null, id: string) {
  const me = requirePermission(actor, 'pay:own');
  const d = await ownDeposit(deps.db, me, id);
  const view = await payView(deps, d.listingId, d.courtId, eq(payments.depositId, d.id));
  const can = affordancesOf(decideDepositActions(me, d, view.listing, deps.clock()));
  return { deposit: d, ...view, can, cardRefusal: refusalOf(cardRefusal(deps.gateway, d.amountFen)) };
}

export async function balanceView(deps: PaymentDeps, actor: Actor | null, id: string) {
  const me = requirePermission(actor, 'pay:own');
  const b = await ownBalance(deps.db, me, id);
  const view = await payView(deps, b.listingId, b.courtId, eq(payments.balanceId, b.id));
  return {
    balance: b,
    ...view,
    can: affordancesOf(decideBalanceActions(me, b, deps.clock())),
    cardRefusal: refusalOf(cardRefusal(deps.gateway, b.amountFen)),
  };
}

/** Why card payment is refused, as the page says it (catalog key and parameters), or null. */
function refusalOf(e: DomainError | null) {
  return e && { messageKey: e.messageKey, params: e.details.params ?? {} };
}

async function payView(deps: PaymentDeps, listingId: string, courtId: string, which: SQL) {
  const { db } = deps;
  const [listing] = await db
    .select({
      id: listings.id,
      title: listings.title,
      status: listings.status,
      currentEndAt: listings.currentEndAt,
    })
    .from(listings)
    .where(eq(listings.id, listingId));
  const attempts = await db.select().from(payments).where(which).orderBy(desc(payments.createdAt));
  const [account] = await db.select().from(courtBankAccounts).where(eq(courtBankAccounts.courtId, courtId));
  const [court] = await db
    .select({ nameZh: organisations.nameZh, nameEn: organisations.nameEn })
    .from(organisations)
    .where(eq(organisations.id, courtId));
  const transfers = attempts.length
    ? await db
        .select()
        .from(bankTransfers)
        .where(
          inArray(
            bankTransfers.paymentId,
            attempts.map((a) => a.id),
          ),
        )
    : [];
  return {
    listing: listing!,
    attempts: attempts.map((a) => ({ ...a, receipt: RECEIPT_STATUSES.includes(a.status) })),
    bankAccount: account ?? null,
    court: court!,
    transfers,
    card: deps.gateway?.name ?? null,
  };
}

/** Where the payer of `paymentId` returns after paying; not_found for anyone else's payment. */
export async function returnPathOf(
  deps: PaymentDeps,
  actor: Actor | null,
  paymentId: string,
): Promise<string> {
  const me = requirePermission(actor, 'pay:own');
  if (!isUuid(paymentId)) throw notFound();
  const [p] = await deps.db
    .select({ depositId: payments.depositId, balanceId: payments.balanceId })
    .from(payments)
    .where(and(eq(payments.id, paymentId), eq(payments.userId, me.userId)));
  if (!p) throw notFound();
  return p.depositId ? `/me/pay/deposit/${p.depositId}` : `/me/pay/balance/${p.balanceId}`;
}

/** Which reference a receipt names, by the way the money came (issue 21: a card's id is no 汇款识别码). */
export type ReceiptReferenceKind = 'transfer' | 'bankStatement' | 'gateway';

/**
 * One receipt of the bidder's own: its number and when it was issued, the payer, the court, what
 * it is for, and the references that identify the money by its method: a bank transfer's
 * identifying code (汇款识别码, ours) and the bank statement's reference of the confirmed
 * transfer; a card payment's transaction id at the payment provider.
 */
export async function receipt(deps: PaymentDeps, actor: Actor | null, paymentId: string) {
  const { db } = deps;
  const me = requirePermission(actor, 'pay:own');
  if (!isUuid(paymentId)) throw notFound();
  const [row] = await db
    .select({ payment: payments, realName: users.realName })
    .from(payments)
    .innerJoin(users, eq(users.id, payments.userId))
    .where(
      and(
        eq(payments.id, paymentId),
        eq(payments.userId, me.userId),
        inArray(payments.status, RECEIPT_STATUSES),
      ),
    );
  if (!row) throw notFound();
  const p = row.payment;
  const [target] = p.depositId
    ? await db
        .select({ listingId: deposits.listingId, title: listings.title })
        .from(deposits)
        .innerJoin(listings, eq(listings.id, deposits.listingId))
        .where(eq(deposits.id, p.depositId))
    : await db
        .select({ listingId: balances.listingId, title: listings.title })
        .from(balances)
        .innerJoin(listings, eq(listings.id, balances.listingId))
        .where(eq(balances.id, p.balanceId!));
  const [court] = await db
    .select({ code: organisations.code, nameZh: organisations.nameZh, nameEn: organisations.nameEn })
    .from(organisations)
    .where(eq(organisations.id, p.courtId));
  const references: Array<{ kind: ReceiptReferenceKind; value: string }> = [];
  if (p.method === 'bank_transfer') {
    if (p.reference) references.push({ kind: 'transfer', value: p.reference });
    const confirmed = await db
      .select({ ref: bankTransfers.bankReference })
      .from(bankTransfers)
      .where(and(eq(bankTransfers.paymentId, p.id), eq(bankTransfers.status, 'confirmed')))
      .orderBy(bankTransfers.recordedAt);
    for (const t of confirmed) references.push({ kind: 'bankStatement', value: t.ref });
  } else if (p.gatewayRef) {
    references.push({ kind: 'gateway', value: p.gatewayRef });
  }
  return {
    id: p.id,
    /** Numbered in the transaction that recorded the money (receipts.ts). */
    number: p.receiptNumber!,
    issuedAt: p.receiptIssuedAt!,
    purpose: p.purpose,
    method: p.method,
    status: p.status,
    amountFen: p.amountFen,
    payer: row.realName,
    listingId: target!.listingId,
    title: target!.title,
    court: court!,
    references,
  };
}

/** The receipt as a PDF (its wording the zh-CN catalog's, receipt-document.ts); the same answer as `receipt`. */
export async function receiptPdf(deps: PaymentDeps, actor: Actor | null, paymentId: string) {
  const r = await receipt(deps, actor, paymentId);
  const bytes = await renderPdf(receiptDocument(r));
  return { bytes, filename: `收据${r.number}.pdf`, contentType: 'application/pdf', size: bytes.byteLength };
}

/** A page of the court's deposits: newest first, `before` the previous page's last row. */
export const DEPOSIT_PAGE = 100;

/**
 * The court's deposits, optionally of one listing or status; bidder names are the court's to see.
 * A page at a time (keyset, newest first), with the count and sums per status of the whole
 * filtered set, so neither the totals nor the reader are misled by where the page stops;
 * `limit: null` reads them all (the CSV export).
 */
export async function courtDeposits(
  deps: PaymentDeps,
  actor: Actor | null,
  filter: { listingId?: string; status?: string; before?: string } = {},
  limit: number | null = DEPOSIT_PAGE,
) {
  const me = requirePermission(actor, 'read:payments');
  const courtId = courtOf(me);
  const where = and(
    eq(deposits.courtId, courtId),
    filter.listingId && isUuid(filter.listingId) ? eq(deposits.listingId, filter.listingId) : undefined,
    isDepositStatus(filter.status) ? eq(deposits.status, filter.status) : undefined,
  );
  const page = deps.db
    .select({
      deposit: deposits,
      title: listings.title,
      code: registrations.code,
      bidder: users.realName,
      method: payments.method,
      reference: payments.reference,
    })
    .from(deposits)
    .innerJoin(listings, eq(listings.id, deposits.listingId))
    .innerJoin(registrations, eq(registrations.id, deposits.registrationId))
    .innerJoin(users, eq(users.id, deposits.userId))
    .leftJoin(payments, eq(payments.id, deposits.paymentId))
    .where(
      // Keyset: newest first by creation, ties by id.
      and(where, olderThan(deposits.createdAt, deposits.id, filter.before)),
    )
    .orderBy(desc(deposits.createdAt), desc(deposits.id));
  const [rows, totals] = await Promise.all([
    limit === null ? page : page.limit(limit + 1),
    deps.db
      .select({
        status: deposits.status,
        count: count(),
        amountFen: sql<string>`coalesce(sum(${deposits.amountFen}), 0)::text`,
      })
      .from(deposits)
      .where(where)
      .groupBy(deposits.status),
  ]);
  const { rows: shown, next } = keysetPage(rows, limit, (r) =>
    keysetCursor(r.deposit.createdAt, r.deposit.id),
  );
  return {
    rows: shown,
    totals: totals.map((t) => ({ status: t.status, count: t.count, amountFen: BigInt(t.amountFen) })),
    total: totals.reduce((n, t) => n + t.count, 0),
    /** The cursor of the next page, when there is one. */
    next,
  };
}

/**
 * The winner's side of a sold listing, for its court: the buyer by his real name (the auction has
 * ended, art. 22), the balance with its state and deadline, and the court's next step: record his
 * transfer while it is open, the post-sale desk once it is paid (ADR 014), a new round after a
 * default (art. 24). Null when the listing has no balance (not sold, or another court's).
 */
export async function balanceForCourt(deps: PaymentDeps, actor: Actor | null, listingId: string) {
  const me = requirePermission(actor, 'read:payments');
  if (!isUuid(listingId)) throw notFound();
  const [row] = await deps.db
    .select({ balance: balances, buyer: users.realName, code: registrations.code })
    .from(balances)
    .innerJoin(users, eq(users.id, balances.userId))
    .innerJoin(registrations, eq(registrations.id, balances.registrationId))
    .where(and(eq(balances.listingId, listingId), eq(balances.courtId, courtOf(me))));
  if (!row) return null;
  const b = row.balance;
  const next =
    b.status === 'open'
      ? ({ step: 'recordTransfer', href: '/court/transfers' } as const)
      : b.status === 'paid'
        ? ({ step: 'sale', href: `/court/sales/${listingId}` } as const)
        : ({ step: 'reauction', href: null } as const);
  return {
    buyer: row.buyer,
    code: row.code,
    status: b.status,
    priceFen: b.priceFen,
    depositAppliedFen: b.depositAppliedFen,
    amountFen: b.amountFen,
    dueAt: b.dueAt,
    overdue: b.status === 'open' && b.dueAt < deps.clock(),
    paidAt: b.paidAt,
    defaultedAt: b.defaultedAt,
    next,
  };
}

/** 一案一账号: the case account's statement, for the court that owns the case. */
export async function caseStatement(deps: PaymentDeps, actor: Actor | null, caseId: string) {
  const { db } = deps;
  const me = requirePermission(actor, 'read:payments');
  const courtId = courtOf(me);
  if (!isUuid(caseId)) throw notFound();
  const [c] = await db
    .select({ id: cases.id, caseNumber: cases.caseNumber })
    .from(cases)
    .where(and(eq(cases.id, caseId), eq(cases.courtId, courtId)));
  if (!c) throw notFound();
  const code = caseAccount(c.id);
  await ensureAccount(db, { code, kind: 'case' });
  return { case: c, statement: await statement(db, code) };
}
