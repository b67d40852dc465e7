/**
 * Settlement (art. 23): decided before it is carried out. The transaction that ends a listing
 * schedules its settlement; the settlement writes each deposit's `settlement` (apply, release) and
 * opens the winner's balance; a durable job per deposit then asks the gateway (idempotency keys)
 * and applies its answer. A crash in between leaves the job pending; reconciliation repairs it.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { deposits, payments } from '../../db/schema/payments.js';
import { DomainError } from '../errors.js';
import { scheduleJobs } from '../jobs/schedule.js';
import { applyState, bankState } from './apply-state.js';
import { openBalance } from './balances.js';
import { applyToPrice, forfeit, moveDeposit } from './deposits.js';
import { gatewayFor, type PaymentDeps } from './deps.js';
import type { GatewayPaymentState } from './gateway.js';
import { PAYMENT_JOBS, scheduleSettlement } from './scheduling.js';

export type SettleResult = { winnerRegistrationId: string; priceFen: bigint } | null;

const FINAL_DEPOSIT = ['released', 'forfeited'] as const;

/**
 * Called in the transaction that ends or withdraws listings: schedules their settlement as
 * durable jobs, so the close itself stays short when a thousand auctions end in one second;
 * the money follows within seconds (art. 23 allows 24 hours). A `held` closing (its listing
 * disagreed with the auction's log at the close) is not settled: every deposit stays held
 * until the court decides who won (art. 31), rather than money moving for the wrong winner.
 */
export async function settleListings(
  tx: Tx,
  closings: Array<{ listingId: string; result: SettleResult; held?: boolean }>,
  now: Date,
) {
  await scheduleJobs(
    tx,
    closings
      .filter((c) => !c.held)
      .map(({ listingId, result }) => ({
        kind: PAYMENT_JOBS.settleListing,
        key: `listing:${listingId}:settle`,
        runAt: now,
        payload: result
          ? {
              listingId,
              winnerRegistrationId: result.winnerRegistrationId,
              priceFen: result.priceFen.toString(),
            }
          : { listingId },
      })),
  );
}

export const settleListing = (tx: Tx, listingId: string, result: SettleResult, now: Date) =>
  settleListings(tx, [{ listingId, result }], now);

/**
 * The settlement of an ended listing: the winner's deposit is applied to the price, every
 * other held deposit released (art. 23), each by a durable job; with a winner, the balance
 * opens, due after the listing's balance period, with reminders and a default deadline.
 */
export async function settleNow(
  deps: PaymentDeps,
  tx: Tx,
  listingId: string,
  result: SettleResult,
  now: Date,
) {
  const held = await tx
    .select()
    .from(deposits)
    .where(and(eq(deposits.listingId, listingId), eq(deposits.status, 'held')))
    .for('update');
  for (const d of held) {
    // Already decided (paid after the end: released by its own job, which may be running and
    // waiting for this row; rescheduling its key here would deadlock with it).
    if (d.settlement !== null) continue;
    const settlement = result && d.registrationId === result.winnerRegistrationId ? 'apply' : 'release';
    await tx.update(deposits).set({ settlement, updatedAt: now }).where(eq(deposits.id, d.id));
    await scheduleSettlement(tx, d.id, now);
  }
  if (!result) return;
  const winner = held.find((d) => d.registrationId === result.winnerRegistrationId);
  if (!winner) throw new DomainError('conflict', 'payments.winnerWithoutDeposit');
  await openBalance(deps, tx, listingId, winner, result.priceFen, now);
}

/** Carries out a decided settlement: the gateway first (idempotent), then our state. */
export async function settleDeposit(deps: PaymentDeps, tx: Tx, depositId: string, now: Date) {
  const [d] = await tx.select().from(deposits).where(eq(deposits.id, depositId));
  if (!d?.settlement || (FINAL_DEPOSIT as readonly string[]).includes(d.status)) return;
  if (d.status === 'applied' && d.settlement === 'apply') return;
  if (d.amountFen === 0n || !d.paymentId) {
    // Waived (the creditor's claim covers it): nothing is held, so nothing moves at a gateway.
    const [locked] = await tx.select().from(deposits).where(eq(deposits.id, d.id)).for('update');
    if (locked!.status !== 'held') return;
    if (d.settlement === 'release') await moveDeposit(tx, locked!, 'released', now, { settledAt: now });
    else {
      const applied = await applyToPrice(tx, locked!, now);
      if (d.settlement === 'forfeit') await forfeit(tx, applied, now);
    }
    return;
  }
  const [p] = await tx.select().from(payments).where(eq(payments.id, d.paymentId));
  if (!p) return;
  let state: GatewayPaymentState;
  if (p.method === 'bank_transfer') {
    // The court returns a released transfer by bank; a kept one is already in its account.
    state = d.settlement === 'release' ? bankState(p, { refundedFen: p.capturedFen }) : bankState(p, {});
  } else {
    const gateway = gatewayFor(deps, p);
    const key = `deposit:${d.id}:${d.settlement}`;
    if (d.settlement === 'release') {
      state =
        p.capturedFen > 0n
          ? await gateway.refund(p.gatewayRef!, p.capturedFen, key)
          : await gateway.cancel(p.gatewayRef!, key);
    } else {
      state =
        p.capturedFen >= d.amountFen
          ? await gateway.retrieve(p.gatewayRef!)
          : await gateway.capture(p.gatewayRef!, d.amountFen, key);
    }
    deps.faults?.afterGatewayCall?.(`deposit.${d.settlement}`);
  }
  await applyState(deps, tx, p.id, state, now);
}

/** Gives back what a payment holds: a hold is cancelled, a captured card payment refunded, a transfer returned. */
export async function returnPayment(deps: PaymentDeps, tx: Tx, paymentId: string, now: Date) {
  const [p] = await tx.select().from(payments).where(eq(payments.id, paymentId));
  if (!p || p.bookedFen <= 0n) return;
  let state: GatewayPaymentState;
  if (p.method === 'bank_transfer') state = bankState(p, { refundedFen: p.capturedFen });
  else if (!p.gatewayRef) return;
  else if (p.status === 'authorized')
    state = await gatewayFor(deps, p).cancel(p.gatewayRef, `payment:${p.id}:cancel`);
  else if (p.status === 'captured')
    state = await gatewayFor(deps, p).refund(p.gatewayRef, p.capturedFen, `payment:${p.id}:refund`);
  else return;
  await applyState(deps, tx, p.id, state, now);
}
