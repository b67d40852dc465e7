/**
 * Case-fund payouts as a purpose of the disbursements module (ADR 010, ADR 015), registered the
 * way aid registers `aid_claim`: the permissions of the court's payout desk, and what each step
 * of a payment means for the plan line it pays, run in the transaction of the step. The share
 * sits in the creditor's payable account; sending moves it to in-transit; the bank's confirmation
 * pays it out (the line and the claim count it as paid); a failure brings it back to payable; a
 * failed payment given up (the payee unreachable, dead, refusing) is set aside (提存), never lost.
 */
import { eq } from 'drizzle-orm';
import { caseParties } from '../../db/schema/cases.js';
import type { Disbursement, DisbursementStatus } from '../../db/schema/disbursements.js';
import { fundClaims, fundPlanLines, fundPlans } from '../../db/schema/funds.js';
import { fenToYuan } from '../csv.js';
import type { DisbursementPurpose, HookContext } from '../disbursements/service.js';
import { ensureAccount, post } from '../ledger/ledger.js';
import { notify } from '../notifications/service.js';
import type { FundDeps } from './deps.js';
import { settleIfPaid } from './paid.js';
import { FUNDS_PURPOSE, fundAccounts } from './rules.js';
import { fundEvent } from './transitions.js';

async function lineOf(ctx: HookContext, d: Disbursement) {
  const [row] = await ctx.tx
    .select({ line: fundPlanLines, plan: fundPlans })
    .from(fundPlanLines)
    .innerJoin(fundPlans, eq(fundPlans.id, fundPlanLines.planId))
    .where(eq(fundPlanLines.id, d.subjectId))
    .for('update');
  if (!row?.line.claimId) throw new Error(`distribution payment ${d.id} pays no claim line`);
  return row;
}

async function timeline(ctx: HookContext, d: Disbursement, kind: string, caseId: string, planId: string) {
  await fundEvent(ctx.tx, caseId, planId, kind, {
    actorId: ctx.actorId,
    at: ctx.at,
    amountFen: d.amountFen,
    data: {
      paymentId: d.id,
      reference: d.reference,
      payee: d.payeeName,
      ...(d.failureReason && d.status === 'failed' && { failureReason: d.failureReason }),
    },
  });
}

async function book(ctx: HookContext, d: Disbursement, from: string, to: string, step: string) {
  for (const code of [from, to])
    await ensureAccount(ctx.tx, {
      code,
      kind: code.startsWith('gateway_clearing:') ? 'gateway_clearing' : 'case_fund',
      allowNegative: code.startsWith('gateway_clearing:'),
    });
  await post(ctx.tx, {
    idempotencyKey: `funds:payment:${d.id}:${step}`,
    kind: `funds.payment_${step}`,
    description: d.reference,
    occurredAt: ctx.at,
    entries: [
      { account: from, amountFen: -d.amountFen },
      { account: to, amountFen: d.amountFen },
    ],
  });
}

export function fundPayouts(deps: Pick<FundDeps, 'closeCase'> & Partial<FundDeps>): DisbursementPurpose {
  const step = (kind: DisbursementStatus) => async (ctx: HookContext, d: Disbursement) => {
    const { plan } = await lineOf(ctx, d);
    await timeline(ctx, d, `payment.${kind}`, plan.caseId, plan.id);
  };
  return {
    name: FUNDS_PURPOSE,
    batchPrefix: 'FD',
    messages: 'funds.errors',
    // Maker-checker: the clerk prepares, a judge of the panel approves (identity/permissions.ts).
    permissions: {
      read: 'read:funds-payment',
      prepare: 'prepare:funds-payment',
      approve: 'approve:funds-payment',
      send: 'send:funds-payment',
    },
    hooks: {
      scheduled: step('scheduled'),
      approved: step('approved'),
      reissued: step('reissued'),
      async sent(ctx, d) {
        const { line, plan } = await lineOf(ctx, d);
        await book(
          ctx,
          d,
          fundAccounts.payable(plan.caseId, line.claimId!),
          fundAccounts.inTransit(plan.caseId, line.claimId!),
          'sent',
        );
        await timeline(ctx, d, 'payment.sent', plan.caseId, plan.id);
      },
      async confirmed(ctx, d) {
        const { line, plan } = await lineOf(ctx, d);
        await book(
          ctx,
          d,
          fundAccounts.inTransit(plan.caseId, line.claimId!),
          fundAccounts.paidOut(plan.courtId),
          'confirmed',
        );
        await ctx.tx
          .update(fundPlanLines)
          .set({ paidFen: line.paidFen + d.amountFen })
          .where(eq(fundPlanLines.id, line.id));
        const [k] = await ctx.tx
          .select()
          .from(fundClaims)
          .where(eq(fundClaims.id, line.claimId!))
          .for('update');
        await ctx.tx
          .update(fundClaims)
          .set({ paidFen: k!.paidFen + d.amountFen })
          .where(eq(fundClaims.id, k!.id));
        await timeline(ctx, d, 'payment.confirmed', plan.caseId, plan.id);
        const [party] = await ctx.tx
          .select({ userId: caseParties.userId })
          .from(caseParties)
          .where(eq(caseParties.id, k!.partyId));
        if (party?.userId)
          await notify(ctx.tx, {
            userId: party.userId,
            kind: 'fundPaid',
            params: { number: plan.number, amount: fenToYuan(d.amountFen) },
            link: '/me/funds',
            dedupeKey: `fund-payment:${d.id}:confirmed`,
            at: ctx.at,
          });
        await settleIfPaid(deps as FundDeps, ctx.tx, plan.id, ctx.at, ctx.actorId);
      },
      async failed(ctx, d) {
        const { line, plan } = await lineOf(ctx, d);
        await book(
          ctx,
          d,
          fundAccounts.inTransit(plan.caseId, line.claimId!),
          fundAccounts.payable(plan.caseId, line.claimId!),
          'failed',
        );
        await timeline(ctx, d, 'payment.failed', plan.caseId, plan.id);
      },
      async cancelled(ctx, d, from) {
        const { line, plan } = await lineOf(ctx, d);
        await timeline(ctx, d, 'payment.cancelled', plan.caseId, plan.id);
        if (from !== 'failed') return;
        // Given up after a failure: set aside (提存) for the payee, never lost.
        await book(
          ctx,
          d,
          fundAccounts.payable(plan.caseId, line.claimId!),
          fundAccounts.setAside(plan.caseId),
          'set_aside',
        );
        await ctx.tx
          .update(fundPlanLines)
          .set({ setAsideFen: line.setAsideFen + d.amountFen })
          .where(eq(fundPlanLines.id, line.id));
        await timeline(ctx, d, 'payment.set_aside', plan.caseId, plan.id);
        await settleIfPaid(deps as FundDeps, ctx.tx, plan.id, ctx.at, ctx.actorId);
      },
    },
  };
}
