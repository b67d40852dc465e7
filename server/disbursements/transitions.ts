/**
 * The one way a batch's or a disbursement's status changes: the state machine (rules.ts), a
 * conditional update, the audit entry and the purpose's hook, in the caller's transaction.
 * Rows are always locked through a desk, so another payer's rows are "not found".
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  type Disbursement,
  type DisbursementBatch,
  type DisbursementBatchStatus,
  type DisbursementStatus,
  disbursementBatches,
  disbursements,
} from '../../db/schema/disbursements.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, notFound } from '../errors.js';
import { emitEvent } from '../outbox/events.js';
import { isUuid } from '../validation.js';
import type { Desk, HookContext } from './deps.js';
import {
  BATCH_TRANSITIONS,
  badBatchTransition,
  badPaymentTransition,
  canTransitionPayment,
} from './rules.js';

/** The rows of a desk's payer and purpose, as a WHERE condition, for batches or disbursements. */
export const onDesk = (t: typeof disbursementBatches | typeof disbursements, desk: Desk) =>
  and(eq(t.payerId, desk.payerId), eq(t.purpose, desk.purpose.name));

export async function lockBatch(tx: Tx, desk: Desk, id: string): Promise<DisbursementBatch> {
  if (!isUuid(id)) throw notFound();
  const t = disbursementBatches;
  const [b] = await tx
    .select()
    .from(t)
    .where(and(eq(t.id, id), onDesk(t, desk)))
    .for('update');
  if (!b) throw notFound();
  return b;
}

export async function lockDisbursement(tx: Tx, desk: Desk, id: string): Promise<Disbursement> {
  if (!isUuid(id)) throw notFound();
  const t = disbursements;
  const [d] = await tx
    .select()
    .from(t)
    .where(and(eq(t.id, id), onDesk(t, desk)))
    .for('update');
  if (!d) throw notFound();
  return d;
}

export async function moveBatch(
  tx: Tx,
  desk: Desk,
  b: DisbursementBatch,
  to: DisbursementBatchStatus,
  patch: Partial<DisbursementBatch>,
  actorId: string | null,
  requestId?: string,
) {
  if (!BATCH_TRANSITIONS[b.status].includes(to)) throw badBatchTransition(desk.purpose, b.status, to);
  await tx
    .update(disbursementBatches)
    .set({ ...patch, status: to })
    .where(eq(disbursementBatches.id, b.id));
  await recordAudit(tx, {
    actorId,
    action: `disbursement_batch.${to}`,
    entityType: 'disbursement_batch',
    entityId: b.id,
    data: { from: b.status, to, purpose: b.purpose },
    requestId,
  });
}

/** A disbursement moves; the purpose's hook for the new status runs in the same transaction. */
export async function moveDisbursement(
  ctx: HookContext,
  desk: Desk,
  d: Disbursement,
  to: DisbursementStatus,
  patch: Partial<Disbursement> = {},
): Promise<Disbursement> {
  if (!canTransitionPayment(d.status, to)) throw badPaymentTransition(desk.purpose, d.status, to);
  const [updated] = await ctx.tx
    .update(disbursements)
    .set({ ...patch, status: to, updatedAt: ctx.at })
    .where(and(eq(disbursements.id, d.id), eq(disbursements.status, d.status)))
    .returning();
  if (!updated) throw new DomainError('conflict', 'errors.concurrentChange');
  await recordAudit(ctx.tx, {
    actorId: ctx.actorId,
    action: `disbursement.${to}`,
    entityType: 'disbursement',
    entityId: d.id,
    data: {
      from: d.status,
      to,
      purpose: d.purpose,
      subjectId: d.subjectId,
      ...(updated.failureReason && to === 'failed' && { failureReason: updated.failureReason }),
    },
    requestId: ctx.requestId,
  });
  await desk.purpose.hooks[to]?.(ctx, updated, d.status);
  // The payer's system learns the bank confirmed the payout (ADR 023).
  if (to === 'confirmed')
    await emitEvent(ctx.tx, 'payout.confirmed', {
      audience: [desk.payerId],
      subject: { type: 'disbursement', id: updated.id },
      at: ctx.at,
      data: {
        purpose: updated.purpose,
        forId: updated.subjectId,
        reference: updated.reference,
        amountFen: updated.amountFen,
        bankReference: updated.bankReference,
      },
    });
  return updated;
}
