/** The handlers of the payments' durable jobs (`scheduling.ts` names and schedules them), for the job runner. */
import type { Tx } from '../../db/client.js';
import { defaultBalance, remindBalance } from './balances.js';
import { checkHold } from './deposits.js';
import type { PaymentDeps } from './deps.js';
import { reconcileJob } from './reconcile.js';
import { PAYMENT_JOBS } from './scheduling.js';
import { returnPayment, settleDeposit, settleNow } from './settlement.js';

type Job = { payload: Record<string, unknown> };
type Ctx = { tx: Tx; now: Date };

export function paymentJobHandlers(deps: PaymentDeps) {
  return {
    [PAYMENT_JOBS.settleListing]: async ({ payload: p }: Job, ctx: Ctx) => {
      const result =
        typeof p.winnerRegistrationId === 'string'
          ? { winnerRegistrationId: p.winnerRegistrationId, priceFen: BigInt(String(p.priceFen)) }
          : null;
      await settleNow(deps, ctx.tx, String(p.listingId), result, ctx.now);
    },
    [PAYMENT_JOBS.settle]: async (job: Job, ctx: Ctx) =>
      settleDeposit(deps, ctx.tx, String(job.payload.depositId), ctx.now),
    [PAYMENT_JOBS.cancelPayment]: async (job: Job, ctx: Ctx) =>
      returnPayment(deps, ctx.tx, String(job.payload.paymentId), ctx.now),
    [PAYMENT_JOBS.holdCheck]: async (job: Job, ctx: Ctx) =>
      checkHold(ctx.tx, String(job.payload.depositId), String(job.payload.paymentId), ctx.now),
    [PAYMENT_JOBS.remind]: async (job: Job, ctx: Ctx) =>
      remindBalance(ctx.tx, String(job.payload.balanceId), String(job.payload.days), ctx.now),
    [PAYMENT_JOBS.default]: async (job: Job, ctx: Ctx) =>
      defaultBalance(ctx.tx, String(job.payload.balanceId), ctx.now),
    [PAYMENT_JOBS.reconcile]: async (_job: unknown, ctx: Ctx) => reconcileJob(deps, ctx.tx, ctx.now),
  };
}
