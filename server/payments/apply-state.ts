/**
 * The one state function (docs/decisions/007-payments.md). `applyState` turns what a gateway says
 * about a payment (a Stripe webhook, a local simulator event, a retrieve during reconciliation, a
 * confirmed bank transfer) into our state: the payment's mirror, the ledger booking of exactly the
 * money the gateway holds for it, and the deposit or balance that follows from it, all in one
 * database transaction.
 *
 * Ledger: money a payment brings in is booked from `gateway_clearing:<method>` to
 * `bidder_deposit:<registrationId>` (a deposit) or to `case:<caseId>` (a balance, 一案一账号); a
 * release books it back. Applying the winner's deposit moves it to the case's account; a forfeit
 * (悔拍) moves it on to `forfeited_deposits:<courtId>`.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { listings } from '../../db/schema/auctions.js';
import { balances, deposits, type Payment, payments } from '../../db/schema/payments.js';
import { recordAudit } from '../audit/audit.js';
import { notFound } from '../errors.js';
import { ensureAccount, post } from '../ledger/ledger.js';
import { notify } from '../notifications/service.js';
import { emitEvent } from '../outbox/events.js';
import { bidderAccount, caseAccount, clearing } from './accounts.js';
import { activateRegistration, applyToPrice, forfeit, moveDeposit } from './deposits.js';
import type { PaymentDeps } from './deps.js';
import { GATEWAY_STATUS_RANK, type GatewayPaymentState, netHeldFen } from './gateway.js';
import { numberReceipt } from './receipts.js';
import { cancelBalanceDefault, scheduleHoldCheck, scheduleReturn, scheduleSettlement } from './scheduling.js';

/**
 * Moves `payment` forward to what the gateway reports, books the money difference, and lets
 * its deposit or balance follow. Stale snapshots (a lower rank than the payment's status) are
 * ignored, so duplicated and out-of-order events change nothing. Locks the payment row, then
 * its deposit / balance row, then the court's receipt counter (always in that order).
 */
export async function applyState(
  deps: PaymentDeps,
  tx: Tx,
  paymentId: string,
  state: GatewayPaymentState,
  now: Date,
): Promise<Payment> {
  const [p] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
  if (!p) throw notFound();
  const from = GATEWAY_STATUS_RANK[p.status];
  const to = GATEWAY_STATUS_RANK[state.status];
  if (to === from && state.status !== p.status) {
    deps.logger.warn({ paymentId, have: p.status, got: state.status }, 'conflicting terminal gateway states');
  }
  // Forward only: a later status, or more refunded in the same status. Anything else is a
  // duplicate or a stale snapshot that arrived out of order, and changes nothing.
  const forward = to > from || (state.status === p.status && state.refundedFen > p.refundedFen);
  let next: Payment = p;
  if (forward) {
    const net = netHeldFen(state);
    const delta = net - p.bookedFen;
    let bookings = p.bookings;
    if (delta !== 0n) {
      bookings += 1;
      const target = await targetAccount(tx, p);
      await ensureAccount(tx, { code: clearing(p.method), kind: 'gateway_clearing', allowNegative: true });
      await post(tx, {
        idempotencyKey: `payment:${p.id}:${bookings}`,
        kind: delta > 0n ? `${p.purpose}.in` : `${p.purpose}.out`,
        description: `${p.method} ${state.ref}`,
        occurredAt: now,
        entries: [
          { account: clearing(p.method), amountFen: -delta },
          { account: target, amountFen: delta },
        ],
      });
    }
    const [updated] = await tx
      .update(payments)
      .set({
        status: state.status,
        gatewayRef: p.gatewayRef ?? state.ref,
        authorizedFen: state.authorizedFen,
        capturedFen: state.capturedFen,
        refundedFen: state.refundedFen,
        bookedFen: net,
        bookings,
        // Money held or taken: an earlier decline of this payment no longer applies.
        failureCode:
          state.status === 'authorized' || state.status === 'captured'
            ? null
            : (state.failureCode ?? p.failureCode),
        authorizationExpiresAt: state.authorizationExpiresAt,
        updatedAt: now,
      })
      .where(eq(payments.id, p.id))
      .returning();
    next = updated!;
  } else if (state.status === p.status && state.failureCode && state.failureCode !== p.failureCode) {
    // A declined card on a payment the payer may still retry: record why, nothing else moves.
    const [updated] = await tx
      .update(payments)
      .set({ failureCode: state.failureCode, updatedAt: now })
      .where(eq(payments.id, p.id))
      .returning();
    next = updated!;
  }
  if (next.depositId) await followDeposit(tx, next, now);
  else if (next.balanceId) await followBalance(deps, tx, next, now);
  // Money held or taken for the first time: the receipt's number, in this transaction (issue 21).
  // Last, so the court's counter row is locked after the payment and its deposit or balance.
  return numberReceipt(tx, next, now);
}

/** A synthetic gateway snapshot for money that moves outside a gateway (bank transfers). */
export const bankState = (p: Payment, patch: Partial<GatewayPaymentState>): GatewayPaymentState => ({
  ref: p.reference ?? p.id,
  paymentId: p.id,
  status: p.status,
  amountFen: p.amountFen,
  authorizedFen: p.authorizedFen,
  capturedFen: p.capturedFen,
  refundedFen: p.refundedFen,
  authorizationExpiresAt: null,
  failureCode: null,
  ...patch,
});

async function targetAccount(tx: Tx, p: Payment): Promise<string> {
  if (p.depositId) {
    const [d] = await tx.select().from(deposits).where(eq(deposits.id, p.depositId));
    const code = bidderAccount(d!.registrationId);
    await ensureAccount(tx, { code, kind: 'bidder_deposit' });
    return code;
  }
  const [b] = await tx.select().from(balances).where(eq(balances.id, p.balanceId!));
  const code = caseAccount(b!.caseId);
  await ensureAccount(tx, { code, kind: 'case' });
  return code;
}

/** The deposit follows the payment that holds it (`deposits.payment_id`). */
async function followDeposit(tx: Tx, p: Payment, now: Date) {
  const [d] = await tx.select().from(deposits).where(eq(deposits.id, p.depositId!)).for('update');
  if (!d) return;
  const net = p.bookedFen;
  const current = d.paymentId === p.id;

  if (d.status === 'pending' && net >= d.amountFen && net > 0n) {
    await moveDeposit(tx, d, 'held', now, { paymentId: p.id, heldAt: now, renewalRequestedAt: null });
    await activateRegistration(tx, d.registrationId, now);
    await scheduleHoldCheck(tx, d, p);
    // Paid on a page opened before the end, completed after it: nothing to bid on any more.
    const [l] = await tx
      .select({ status: listings.status })
      .from(listings)
      .where(eq(listings.id, d.listingId));
    if (l && (l.status === 'ended' || l.status === 'withdrawn')) {
      await tx.update(deposits).set({ settlement: 'release' }).where(eq(deposits.id, d.id));
      await scheduleSettlement(tx, d.id, now);
    }
    return;
  }
  if (
    d.status === 'held' &&
    !current &&
    d.renewalRequestedAt !== null &&
    net >= d.amountFen &&
    p.status === 'authorized'
  ) {
    // A renewed hold replaced a lapsing one: switch to it, then release the old one. Only while
    // a renewal is asked for: the switch clears it, so the replaced hold, re-applied before its
    // cancel job ran (reconciliation, a late webhook), cannot switch back and cancel the new one.
    const old = d.paymentId;
    await tx
      .update(deposits)
      .set({ paymentId: p.id, renewalRequestedAt: null, updatedAt: now })
      .where(eq(deposits.id, d.id));
    if (old) await scheduleReturn(tx, old, now);
    await scheduleHoldCheck(tx, d, p);
    return;
  }
  if (!current) {
    // Money for a deposit that another payment already holds (a second attempt completed,
    // a transfer on top of a card hold): given back.
    if (net > 0n) await scheduleReturn(tx, p.id, now);
    return;
  }

  let settled = d;
  if (
    d.status === 'held' &&
    (d.settlement === 'apply' || d.settlement === 'forfeit') &&
    p.capturedFen >= d.amountFen
  ) {
    settled = await applyToPrice(tx, d, now);
  }
  if (settled.status === 'applied' && settled.settlement === 'forfeit') {
    await forfeit(tx, settled, now);
  } else if (d.status === 'held' && d.settlement === 'release' && net === 0n) {
    await moveDeposit(tx, d, 'released', now, { settledAt: now });
  } else if (d.status === 'held' && d.settlement === null && net < d.amountFen) {
    // The hold lapsed or was cancelled outside our control: the bidder must pay again to bid.
    await moveDeposit(tx, d, 'pending', now, { renewalRequestedAt: now });
    await notify(tx, {
      userId: d.userId,
      kind: 'depositLapsed',
      link: `/me/pay/deposit/${d.id}`,
      dedupeKey: `deposit:${d.id}:lapsed:${p.id}`,
      at: now,
    });
  }
}

/** The balance is paid once the money taken for it covers it. */
async function followBalance(deps: PaymentDeps, tx: Tx, p: Payment, now: Date) {
  const [b] = await tx.select().from(balances).where(eq(balances.id, p.balanceId!)).for('update');
  if (b && b.status !== 'open' && b.paymentId !== p.id && p.bookedFen > 0n) {
    // Paid after the default (悔拍) or a second time: given back.
    await scheduleReturn(tx, p.id, now);
    return;
  }
  if (b?.status !== 'open' || p.capturedFen - p.refundedFen < b.amountFen) return;
  const [paid] = await tx
    .update(balances)
    .set({ status: 'paid', paidAt: now, paymentId: p.id })
    .where(eq(balances.id, b.id))
    .returning();
  await cancelBalanceDefault(tx, b.id);
  await deps.onBalancePaid?.(tx, paid!, now);
  await recordAudit(tx, {
    actorId: null,
    action: 'balance.paid',
    entityType: 'balance',
    entityId: b.id,
    data: { amountFen: b.amountFen.toString(), paymentId: p.id },
  });
  await emitEvent(tx, 'balance.paid', {
    audience: [b.courtId],
    subject: { type: 'balance', id: b.id },
    at: now,
    data: { listingId: b.listingId, amountFen: b.amountFen, dueAt: b.dueAt },
  });
  await notify(tx, {
    organisationId: b.courtId,
    kind: 'balancePaid',
    params: { listingId: b.listingId },
    link: `/court/listings/${b.listingId}`,
    dedupeKey: `balance:${b.id}:paid`,
    at: now,
  });
}
