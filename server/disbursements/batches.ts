/**
 * Batches (domain "Disbursements"): a maker prepares a batch of payments, a checker approves it
 * (never his own), and the bank file goes out: the first export sends the batch.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type Disbursement, disbursementBatches, disbursements } from '../../db/schema/disbursements.js';
import { requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { fenToYuan, toCsv } from '../csv.js';
import type { Actor } from '../identity/permissions.js';
import type { Desk, DisbursementDeps, DisbursementItem, HookContext } from './deps.js';
import { BANK_EXPORT_HEADER, type BatchAction, decideBatchActions, decideDeskActions } from './rules.js';
import { lockBatch, moveBatch, moveDisbursement } from './transitions.js';

/** The Beijing day (UTC+8, no daylight saving) as YYYYMMDD. */
const beijingDay = (at: Date) =>
  new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');

async function nextBatchNumber(tx: Tx, desk: Desk, now: Date) {
  const prefix = `${desk.purpose.batchPrefix}${beijingDay(now)}`;
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(disbursementBatches)
    .where(
      and(
        eq(disbursementBatches.payerId, desk.payerId),
        sql`${disbursementBatches.number} like ${`${prefix}-%`}`,
      ),
    );
  return `${prefix}-${String((row?.n ?? 0) + 1).padStart(3, '0')}`;
}

/**
 * The maker puts payments into a new batch, in the caller's transaction (the purpose has locked
 * and checked what they pay); the purpose's `scheduled` hook runs for each, in order.
 */
export async function prepareBatch(
  deps: DisbursementDeps,
  tx: Tx,
  desk: Desk,
  actor: Actor,
  items: readonly DisbursementItem[],
  requestId?: string,
) {
  requireAllowed(decideDeskActions(actor, desk.purpose), 'prepare');
  const now = deps.clock();
  const [batch] = await tx
    .insert(disbursementBatches)
    .values({
      number: await nextBatchNumber(tx, desk, now),
      purpose: desk.purpose.name,
      payerId: desk.payerId,
      preparedBy: actor.userId,
      preparedAt: now,
    })
    .returning();
  const ctx: HookContext = { tx, at: now, actorId: actor.userId, requestId };
  const rows: Disbursement[] = [];
  for (const [i, item] of items.entries()) {
    const [d] = await tx
      .insert(disbursements)
      .values({
        ...item,
        batchId: batch!.id,
        reference: `${batch!.number}-${String(i + 1).padStart(4, '0')}`,
        purpose: desk.purpose.name,
        payerId: desk.payerId,
        preparedBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'disbursement.scheduled',
      entityType: 'disbursement',
      entityId: d!.id,
      data: {
        purpose: d!.purpose,
        subjectId: d!.subjectId,
        ...(d!.reissueOf && { reissueOf: d!.reissueOf }),
      },
      requestId,
    });
    await desk.purpose.hooks.scheduled?.(ctx, d!, null);
    rows.push(d!);
  }
  await recordAudit(tx, {
    actorId: actor.userId,
    action: 'disbursement_batch.prepared',
    entityType: 'disbursement_batch',
    entityId: batch!.id,
    data: {
      purpose: desk.purpose.name,
      payments: rows.length,
      ...(items[0]?.reissueOf && { reissueOf: items[0].reissueOf }),
    },
    requestId,
  });
  return { batch: batch!, disbursements: rows };
}

/** The batch and its payments (by reference), locked, once `action` is allowed on it for this actor. */
async function lockBatchFor(tx: Tx, desk: Desk, actor: Actor, batchId: string, action: BatchAction) {
  const batch = await lockBatch(tx, desk, batchId);
  const payments = await tx
    .select()
    .from(disbursements)
    .where(eq(disbursements.batchId, batch.id))
    .orderBy(asc(disbursements.reference))
    .for('update');
  requireAllowed(decideBatchActions(actor, desk.purpose, batch, payments), action);
  return { b: batch, payments };
}

/** The checker approves the batch and every payment in it: never the maker (maker-checker). */
export async function approveBatch(
  deps: DisbursementDeps,
  desk: Desk,
  actor: Actor,
  batchId: string,
  requestId?: string,
) {
  return deps.db.transaction(async (tx) => {
    const { b, payments } = await lockBatchFor(tx, desk, actor, batchId, 'approve');
    const now = deps.clock();
    await moveBatch(
      tx,
      desk,
      b,
      'approved',
      { approvedBy: actor.userId, approvedAt: now },
      actor.userId,
      requestId,
    );
    const ctx: HookContext = { tx, at: now, actorId: actor.userId, requestId };
    for (const p of payments)
      if (p.status === 'scheduled')
        await moveDisbursement(ctx, desk, p, 'approved', { approvedBy: actor.userId });
    return { ...b, status: 'approved' as const, approvedBy: actor.userId, approvedAt: now };
  });
}

/**
 * The bank file. The first export sends the batch: every approved payment moves to `sent` (the
 * purpose's hook moves its money to in-transit). Exporting a sent batch again gives the same
 * file and changes nothing.
 */
export async function exportBatch(
  deps: DisbursementDeps,
  desk: Desk,
  actor: Actor,
  batchId: string,
  requestId?: string,
) {
  return deps.db.transaction(async (tx) => {
    const { b, payments } = await lockBatchFor(tx, desk, actor, batchId, 'export');
    if (b.status === 'approved') {
      const now = deps.clock();
      const ctx: HookContext = { tx, at: now, actorId: actor.userId, requestId };
      for (const [i, p] of payments.entries())
        if (p.status === 'approved')
          payments[i] = await moveDisbursement(ctx, desk, p, 'sent', { sentAt: now });
      await moveBatch(tx, desk, b, 'sent', { sentBy: actor.userId, sentAt: now }, actor.userId, requestId);
    }
    const csv = toCsv(
      BANK_EXPORT_HEADER,
      payments
        .filter((p) => p.status !== 'cancelled')
        .map((p) => [
          p.reference,
          p.payeeName,
          p.bankName,
          p.accountNumber,
          fenToYuan(p.amountFen),
          p.currency,
          p.memo,
        ]),
    );
    return { filename: `${b.number}.csv`, csv };
  });
}
