/**
 * The deposit (art. 17-18, 23-24): its one transition function, opening it with the registration,
 * the registration it activates once held, applying it to the price, forfeiting it (悔拍), and the
 * check that a card hold outlasts the auction. Money moves in the ledger in the same transaction
 * as the status that causes it.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { listings, priorityPurchasers, registrations } from '../../db/schema/auctions.js';
import { type Deposit, deposits, payments } from '../../db/schema/payments.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, isUniqueViolation } from '../errors.js';
import { ensureAccount, post } from '../ledger/ledger.js';
import { yuan } from '../notifications/rules.js';
import { notify } from '../notifications/service.js';
import { bidderAccount, caseAccount, forfeitAccount } from './accounts.js';
import { canMoveDeposit, newBidderCode } from './rules.js';

/** Every status change of a deposit goes through here: the move is checked and audited. */
export async function moveDeposit(
  tx: Tx,
  d: Deposit,
  to: Deposit['status'],
  now: Date,
  patch: Partial<Deposit> = {},
) {
  if (!canMoveDeposit(d.status, to)) {
    throw new DomainError('conflict', 'payments.badDepositTransition', { params: { from: d.status, to } });
  }
  const [updated] = await tx
    .update(deposits)
    .set({ ...patch, status: to, updatedAt: now })
    .where(eq(deposits.id, d.id))
    .returning();
  await recordAudit(tx, {
    actorId: null,
    action: `deposit.${to}`,
    entityType: 'deposit',
    entityId: d.id,
    data: { from: d.status, amountFen: d.amountFen.toString() },
  });
  if (to === 'released' && d.amountFen > 0n) {
    // Art. 23: the bidders who did not win are told their deposit is free again.
    const [l] = await tx.select({ title: listings.title }).from(listings).where(eq(listings.id, d.listingId));
    await notify(tx, {
      userId: d.userId,
      kind: 'depositReleased',
      params: { title: l?.title ?? '', amount: yuan(d.amountFen) },
      link: '/me/payments',
      dedupeKey: `deposit:${d.id}:released`,
      at: now,
    });
  }
  return updated!;
}

/**
 * Opens the deposit of a new registration, in the registration's transaction. A zero amount
 * (the applicant creditor whose claim covers it) is held at once with nothing to book.
 */
export async function openDeposit(
  tx: Tx,
  input: {
    registrationId: string;
    listingId: string;
    courtId: string;
    caseId: string;
    userId: string;
    requiredFen: bigint;
    amountFen: bigint;
  },
  now: Date,
): Promise<Deposit> {
  const [d] = await tx
    .insert(deposits)
    .values({ ...input, status: 'pending', createdAt: now, updatedAt: now })
    .returning();
  if (input.amountFen > 0n) return d!;
  const held = await moveDeposit(tx, d!, 'held', now, { heldAt: now });
  await activateRegistration(tx, input.registrationId, now);
  return held;
}

/** Art. 17-18: once the deposit is held, the bidder receives his anonymous code and may bid. */
export async function activateRegistration(tx: Tx, registrationId: string, now: Date) {
  const [reg] = await tx
    .select({ status: registrations.status, code: registrations.code, rank: priorityPurchasers.rank })
    .from(registrations)
    .leftJoin(priorityPurchasers, eq(priorityPurchasers.id, registrations.priorityPurchaserId))
    .where(eq(registrations.id, registrationId));
  if (!reg || reg.status === 'active') return;
  // A priority purchaser's code carries his rank (art. 19, 21), e.g. P1-7KQ2.
  const draw = () => (reg.rank ? `P${reg.rank}-${newBidderCode()}` : newBidderCode());
  for (let attempt = 0; ; attempt++) {
    try {
      await tx.transaction((sp) =>
        sp
          .update(registrations)
          .set({ status: 'active', code: reg.code ?? draw(), activatedAt: now })
          .where(eq(registrations.id, registrationId)),
      );
      return;
    } catch (e) {
      // Another bidder of this auction drew the same code: draw again.
      if (attempt < 20 && isUniqueViolation(e, 'registrations_listing_code_key')) continue;
      throw e;
    }
  }
}

/** Art. 23: the winner's deposit counts toward the price: it moves to the case's account. */
export async function applyToPrice(tx: Tx, d: Deposit, now: Date): Promise<Deposit> {
  if (d.amountFen > 0n) {
    await ensureAccount(tx, { code: caseAccount(d.caseId), kind: 'case' });
    await post(tx, {
      idempotencyKey: `deposit:${d.id}:apply`,
      kind: 'deposit.apply',
      occurredAt: now,
      entries: [
        { account: bidderAccount(d.registrationId), amountFen: -d.amountFen },
        { account: caseAccount(d.caseId), amountFen: d.amountFen },
      ],
    });
  }
  return moveDeposit(tx, d, 'applied', now, { settledAt: now });
}

/** 悔拍 (art. 24): the deposit already counted toward the price is kept by the court instead. */
export async function forfeit(tx: Tx, d: Deposit, now: Date) {
  if (d.amountFen > 0n) {
    await ensureAccount(tx, { code: forfeitAccount(d.courtId), kind: 'forfeited_deposits' });
    await post(tx, {
      idempotencyKey: `deposit:${d.id}:forfeit`,
      kind: 'deposit.forfeit',
      occurredAt: now,
      entries: [
        { account: caseAccount(d.caseId), amountFen: -d.amountFen },
        { account: forfeitAccount(d.courtId), amountFen: d.amountFen },
      ],
    });
  }
  await moveDeposit(tx, d, 'forfeited', now, { settledAt: now });
}

/**
 * The `deposit.hold-check` job: a card hold that lapses before the auction ends asks the bidder
 * to renew it (the renewed hold replaces this one when it is authorised, see `apply-state.ts`).
 */
export async function checkHold(tx: Tx, depositId: string, paymentId: string, now: Date) {
  const [row] = await tx
    .select({ d: deposits, endAt: listings.currentEndAt, expires: payments.authorizationExpiresAt })
    .from(deposits)
    .innerJoin(listings, eq(listings.id, deposits.listingId))
    .innerJoin(payments, eq(payments.id, deposits.paymentId))
    .where(eq(deposits.id, depositId))
    .for('update', { of: deposits });
  if (row?.d.status !== 'held' || row.d.settlement || row.d.paymentId !== paymentId) return;
  if (!row.expires || row.expires > row.endAt) return; // outlasts the auction
  await tx.update(deposits).set({ renewalRequestedAt: now }).where(eq(deposits.id, row.d.id));
  await notify(tx, {
    userId: row.d.userId,
    kind: 'depositRenew',
    link: `/me/pay/deposit/${row.d.id}`,
    dedupeKey: `deposit:${row.d.id}:renew:${row.d.paymentId}`,
    at: now,
  });
}
