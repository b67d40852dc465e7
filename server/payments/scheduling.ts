/**
 * The durable jobs of payments (server/jobs): their kinds, and one scheduler per job so that each
 * job's key is written in one place. Their handlers are in `jobs.ts`.
 */
import type { Tx } from '../../db/client.js';
import type { Deposit, Payment } from '../../db/schema/payments.js';
import { cancelJob, scheduleJob } from '../jobs/schedule.js';

export const PAYMENT_JOBS = {
  settleListing: 'listing.settle',
  settle: 'deposit.settle',
  holdCheck: 'deposit.hold-check',
  cancelPayment: 'payment.cancel',
  remind: 'balance.remind',
  default: 'balance.default',
  reconcile: 'payments.reconcile',
} as const;

const DAY_MS = 86_400_000;

/**
 * Carries out the deposit's decided settlement now (`deposit.settle`). `as: 'forfeit'` gives the
 * job its own key, for when a settle job of this deposit may be pending and locked by a worker
 * waiting for the deposit row the caller holds (rescheduling that key would deadlock).
 */
export async function scheduleSettlement(
  tx: Tx,
  depositId: string,
  now: Date,
  as: 'settle' | 'forfeit' = 'settle',
) {
  await scheduleJob(tx, {
    kind: PAYMENT_JOBS.settle,
    key: `deposit:${depositId}:${as}`,
    runAt: now,
    payload: { depositId },
  });
}

/** Gives back whatever a payment holds (a durable job: the gateway is called outside this transaction). */
export async function scheduleReturn(tx: Tx, paymentId: string, now: Date) {
  await scheduleJob(tx, {
    kind: PAYMENT_JOBS.cancelPayment,
    key: `payment:${paymentId}:cancel`,
    runAt: now,
    payload: { paymentId },
  });
}

/** Card holds last days: check a day before this one lapses whether the auction outlasts it. */
export async function scheduleHoldCheck(tx: Tx, d: Deposit, p: Payment) {
  if (!p.authorizationExpiresAt) return;
  await scheduleJob(tx, {
    kind: PAYMENT_JOBS.holdCheck,
    key: `deposit:${d.id}:hold-check`,
    runAt: new Date(p.authorizationExpiresAt.getTime() - DAY_MS),
    payload: { depositId: d.id, paymentId: p.id },
  });
}

/** A reminder `days` before the balance's deadline. */
export async function scheduleBalanceReminder(tx: Tx, balanceId: string, days: number, at: Date) {
  await scheduleJob(tx, {
    kind: PAYMENT_JOBS.remind,
    key: `balance:${balanceId}:remind:${days}`,
    runAt: at,
    payload: { balanceId, days },
  });
}

/** The balance's deadline (悔拍 if unpaid then, art. 24). */
export async function scheduleBalanceDefault(tx: Tx, balanceId: string, dueAt: Date) {
  await scheduleJob(tx, {
    kind: PAYMENT_JOBS.default,
    key: `balance:${balanceId}:default`,
    runAt: dueAt,
    payload: { balanceId },
  });
}

/** Paid in time: no default. */
export const cancelBalanceDefault = (tx: Tx, balanceId: string) =>
  cancelJob(tx, `balance:${balanceId}:default`);
