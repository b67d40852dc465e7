/**
 * Enforcement aid as a purpose of the disbursements module (ADR 010): the permissions its
 * payment desk uses, and what each step of a payment means for the claim it pays, run in the
 * transaction of the step (ADR 009): the award sits in the claim's payable account; sending moves
 * it to in-transit; the bank's confirmation pays it out and counts it as paid (the claim is paid
 * once all of it is); a failure brings it back to payable for a reissue. Every step is a line on
 * the claim's timeline.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { aidClaims } from '../../db/schema/aid.js';
import type { Disbursement, DisbursementStatus } from '../../db/schema/disbursements.js';
import type { DisbursementPurpose, HookContext } from '../disbursements/service.js';
import { postAid, recordClaimEvent, transitionClaim } from './common.js';
import { AID_PURPOSE, ledgerCodes } from './rules.js';

/** The line of the bank file the creditor's statement shows. */
export const bankMemo = (claimNumber: string) => `执行救助金 ${claimNumber}`;

async function claimOf(tx: Tx, d: Disbursement, lock: boolean) {
  const q = tx.select().from(aidClaims).where(eq(aidClaims.id, d.subjectId));
  const [c] = lock ? await q.for('update') : await q;
  if (!c) throw new Error(`aid payment ${d.id} pays no claim`);
  return c;
}

/** The payment's step on the claim's timeline (and in the audit, as `aid_claim.payment.<status>`). */
async function timeline(ctx: HookContext, d: Disbursement, from: DisbursementStatus | null) {
  await recordClaimEvent(
    ctx.tx,
    d.subjectId,
    {
      action: `payment.${d.status}`,
      actorId: ctx.actorId,
      amountFen: d.amountFen,
      at: ctx.at,
      reason: d.status === 'failed' ? d.failureNote : null,
      data: {
        paymentId: d.id,
        reference: d.reference,
        ...(from === null ? { batchId: d.batchId } : { from }),
        ...(d.reissueOf && from === null && { reissueOf: d.reissueOf }),
        ...(d.status === 'failed' && d.failureReason && { failureReason: d.failureReason }),
      },
    },
    ctx.requestId,
  );
}

/** Moves the payment's money between the claim's ledger accounts. */
async function book(ctx: HookContext, d: Disbursement, step: 'sent' | 'confirmed' | 'failed') {
  const c = await claimOf(ctx.tx, d, false);
  const payable = ledgerCodes.payable(c.policyId, c.id);
  const inTransit = ledgerCodes.inTransit(c.policyId, c.id);
  const paidOut = ledgerCodes.paidOut(c.insurerId);
  const [from, to] = {
    sent: [payable, inTransit],
    confirmed: [inTransit, paidOut],
    failed: [inTransit, payable],
  }[step];
  await postAid(
    ctx.tx,
    {
      idempotencyKey: `aid:payment:${d.id}:${step}`,
      kind: `aid.payment_${step}`,
      description: `${c.number} ${d.reference}`,
      occurredAt: ctx.at,
      entries: [
        { account: from!, amountFen: -d.amountFen },
        { account: to!, amountFen: d.amountFen },
      ],
    },
    step === 'confirmed' ? [paidOut] : [],
  );
}

export const AID_PAYOUTS: DisbursementPurpose = {
  name: AID_PURPOSE,
  batchPrefix: 'PB',
  messages: 'aidErrors',
  // Maker-checker: the adjuster prepares, the manager approves (identity/permissions.ts).
  permissions: {
    read: 'read:aid-payment',
    prepare: 'prepare:aid-payment',
    approve: 'approve:aid-payment',
    send: 'send:aid-payment',
  },
  hooks: {
    async scheduled(ctx, d, from) {
      const c = await claimOf(ctx.tx, d, true);
      const account = { payeeName: d.payeeName, bankName: d.bankName, accountNumber: d.accountNumber };
      if (
        account.payeeName !== c.payeeName ||
        account.bankName !== c.bankName ||
        account.accountNumber !== c.accountNumber
      )
        await ctx.tx
          .update(aidClaims)
          // A corrected account is verified again by whoever approves the new batch.
          .set({ ...account, accountVerifiedBy: null, accountVerifiedAt: null, updatedAt: ctx.at })
          .where(eq(aidClaims.id, c.id));
      await timeline(ctx, d, from);
      if (c.status === 'insurer_approved')
        await transitionClaim(ctx.tx, c, 'payment', {
          actorId: ctx.actorId,
          at: ctx.at,
          amountFen: d.amountFen,
          requestId: ctx.requestId,
        });
    },
    approved: timeline,
    async sent(ctx, d, from) {
      await book(ctx, d, 'sent');
      await timeline(ctx, d, from);
    },
    async confirmed(ctx, d, from) {
      await book(ctx, d, 'confirmed');
      await timeline(ctx, d, from);
      const c = await claimOf(ctx.tx, d, true);
      const paid = c.paidFen + d.amountFen;
      await ctx.tx.update(aidClaims).set({ paidFen: paid, updatedAt: ctx.at }).where(eq(aidClaims.id, c.id));
      if (c.approvedFen !== null && paid === c.approvedFen && c.status === 'payment')
        await transitionClaim(ctx.tx, { ...c, paidFen: paid }, 'paid', {
          actorId: ctx.actorId,
          at: ctx.at,
          amountFen: paid,
          requestId: ctx.requestId,
        });
    },
    async failed(ctx, d, from) {
      await book(ctx, d, 'failed');
      await timeline(ctx, d, from);
    },
    reissued: timeline,
    cancelled: timeline,
  },
};
