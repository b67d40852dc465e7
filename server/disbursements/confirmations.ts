/**
 * The bank's confirmation file (domain "Disbursements": reconciliation), matched to payments by
 * reference. The whole file is applied in one transaction; a file imported twice changes nothing
 * the second time; lines that match nothing are listed and change nothing.
 */
import { and, eq } from 'drizzle-orm';
import { type DisbursementFailure, disbursements } from '../../db/schema/disbursements.js';
import { requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { parseCsv, yuanToFen } from '../csv.js';
import type { Actor } from '../identity/permissions.js';
import type { Desk, DisbursementDeps, HookContext } from './deps.js';
import { BANK_CONFIRMATION_HEADER, decideDeskActions, FAILURE_CODES, refusal } from './rules.js';
import { lockBatch, moveBatch, moveDisbursement, onDesk } from './transitions.js';

export type Unmatched = {
  line: number;
  reference: string;
  reason: 'badRow' | 'unknownReference' | 'amountMismatch' | 'notSent' | 'duplicateInFile';
};
export interface ImportResult {
  confirmed: { reference: string; amountFen: bigint; subjectId: string }[];
  failed: { reference: string; amountFen: bigint; subjectId: string; reason: DisbursementFailure }[];
  /** Lines already applied by an earlier import of the same outcome: nothing changed. */
  alreadyApplied: { line: number; reference: string }[];
  unmatched: Unmatched[];
  /** Payments of the batches this file touched that are still waiting for the bank. */
  stillPending: { reference: string; amountFen: bigint }[];
}

/**
 * A confirmed line pays the money out (the purpose's `confirmed` hook books it and counts it as
 * paid); a failed line brings it back for a reissue (`failed`). Lines that name another payer's
 * reference, another amount, or a payment that was not sent are listed and change nothing. A
 * batch whose payments are all settled is settled.
 */
export async function importConfirmations(
  deps: DisbursementDeps,
  desk: Desk,
  actor: Actor,
  text: string,
  requestId?: string,
): Promise<ImportResult> {
  requireAllowed(decideDeskActions(actor, desk.purpose), 'import');
  const rows = parseCsv(text);
  const header = rows[0]?.map((h) => h.trim().toLowerCase());
  const col = (name: string) => header?.indexOf(name) ?? -1;
  const [iRef, iStatus, iAmount, iBankRef, iReason] = BANK_CONFIRMATION_HEADER.map(col);
  if (iRef === -1 || iStatus === -1 || iAmount === -1)
    throw refusal(desk.purpose, 'validation', 'badConfirmationFile', {
      fieldErrors: { file: [`${desk.purpose.messages}.badConfirmationFile`] },
    });
  const result: ImportResult = {
    confirmed: [],
    failed: [],
    alreadyApplied: [],
    unmatched: [],
    stillPending: [],
  };
  return deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const ctx: HookContext = { tx, at: now, actorId: actor.userId, requestId };
    const seen = new Set<string>();
    const batches = new Set<string>();
    for (const [index, row] of rows.slice(1).entries()) {
      const line = index + 2;
      const reference = (row[iRef!] ?? '').trim();
      const status = (row[iStatus!] ?? '').trim().toUpperCase();
      const amount = yuanToFen(row[iAmount!] ?? '');
      const ok = status === 'SUCCESS' || status === '成功';
      const failedLine = status === 'FAILED' || status === '失败';
      if (!reference || amount === null || (!ok && !failedLine)) {
        result.unmatched.push({ line, reference, reason: 'badRow' });
        continue;
      }
      if (seen.has(reference)) {
        result.unmatched.push({ line, reference, reason: 'duplicateInFile' });
        continue;
      }
      seen.add(reference);
      const [p] = await tx
        .select()
        .from(disbursements)
        .where(and(eq(disbursements.reference, reference), onDesk(disbursements, desk)))
        .for('update');
      // Another payer's reference is unknown here: the file says nothing about it to us.
      if (!p) {
        result.unmatched.push({ line, reference, reason: 'unknownReference' });
        continue;
      }
      if (p.amountFen !== amount) {
        result.unmatched.push({ line, reference, reason: 'amountMismatch' });
        continue;
      }
      batches.add(p.batchId);
      if (p.status !== 'sent') {
        const same =
          (ok && p.status === 'confirmed') ||
          (failedLine && ['failed', 'reissued', 'cancelled'].includes(p.status));
        if (same) result.alreadyApplied.push({ line, reference });
        else result.unmatched.push({ line, reference, reason: 'notSent' });
        continue;
      }
      const bankReference = iBankRef === -1 ? null : (row[iBankRef!] ?? '').trim() || null;
      if (ok) {
        await moveDisbursement(ctx, desk, p, 'confirmed', { bankReference, settledAt: now });
        result.confirmed.push({ reference, amountFen: p.amountFen, subjectId: p.subjectId });
      } else {
        const code = (iReason === -1 ? '' : (row[iReason!] ?? '')).trim().toUpperCase();
        const reason = FAILURE_CODES[code] ?? 'other';
        await moveDisbursement(ctx, desk, p, 'failed', {
          failureReason: reason,
          failureNote: reason === 'other' && code ? code.slice(0, 200) : null,
          bankReference,
          settledAt: now,
        });
        result.failed.push({ reference, amountFen: p.amountFen, subjectId: p.subjectId, reason });
      }
    }
    for (const batchId of batches) {
      const pending = await tx
        .select({ reference: disbursements.reference, amountFen: disbursements.amountFen })
        .from(disbursements)
        .where(and(eq(disbursements.batchId, batchId), eq(disbursements.status, 'sent')));
      result.stillPending.push(...pending);
      const b = await lockBatch(tx, desk, batchId);
      if (pending.length === 0 && b.status === 'sent')
        await moveBatch(tx, desk, b, 'settled', { settledAt: now }, actor.userId, requestId);
    }
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'disbursement.confirmations_imported',
      entityType: 'organisation',
      entityId: desk.payerId,
      data: {
        purpose: desk.purpose.name,
        confirmed: result.confirmed.length,
        failed: result.failed.length,
        alreadyApplied: result.alreadyApplied.length,
        unmatched: result.unmatched.length,
      },
      requestId,
    });
    return result;
  });
}
