import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.js';
import {
  type AidPayment,
  type AidPaymentBatch,
  type AidPaymentFailure,
  type AidPaymentStatus,
  aidClaims,
  aidPaymentBatches,
  aidPayments,
} from '../../db/schema/aid.js';
import { recordAudit } from '../audit/audit.js';
import type { Clock } from '../clock.js';
import { DomainError, forbidden, notFound } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { isUuid, parseInput } from '../validation.js';
import { lockClaim, postAid, recordClaimEvent, transitionClaim, viewerOf } from './common.js';
import { fenToYuan, parseCsv, toCsv, yuanToFen } from './csv.js';
import {
  BATCH_TRANSITIONS,
  beijingDate,
  canTransitionPayment,
  IN_FLIGHT,
  ledgerCodes,
  unscheduledFen,
} from './rules.js';
import { CreateBatchSchema, ReissueSchema } from './schemas.js';

/** Columns of the transfer file sent to the bank. */
export const BANK_EXPORT_HEADER = [
  'reference',
  'payee_name',
  'bank_name',
  'account_number',
  'amount',
  'currency',
  'memo',
] as const;
/** Columns of the bank's confirmation file; `status` is SUCCESS or FAILED, `reason` a failure code. */
export const BANK_CONFIRMATION_HEADER = [
  'reference',
  'status',
  'amount',
  'bank_reference',
  'reason',
] as const;

const FAILURE_CODES: Record<string, AidPaymentFailure> = {
  WRONG_ACCOUNT: 'wrong_account',
  PAYEE_UNREACHABLE: 'payee_unreachable',
  DECEASED: 'deceased',
  OTHER: 'other',
};

export type Unmatched = {
  line: number;
  reference: string;
  reason: 'badRow' | 'unknownReference' | 'amountMismatch' | 'notSent' | 'duplicateInFile';
};
export interface ImportResult {
  confirmed: { reference: string; amountFen: bigint; claimNumber: string }[];
  failed: { reference: string; amountFen: bigint; claimNumber: string; reason: AidPaymentFailure }[];
  /** Lines already applied by an earlier import of the same outcome: nothing changed. */
  alreadyApplied: { line: number; reference: string }[];
  unmatched: Unmatched[];
  /** Payments of the batches this file touched that are still waiting for the bank. */
  stillPending: { reference: string; amountFen: bigint }[];
}

/**
 * Disbursements (issue 5 §4, domain "Disbursements"): an adjuster prepares a batch of payments,
 * a different person approves it (maker-checker), the batch goes to the bank as CSV, and the
 * bank's confirmation CSV settles each payment. Money moves in the ledger at each step: sending
 * moves the amount from the claim's payable to in-transit, confirmation pays it out, failure
 * brings it back to payable for a reissue.
 */
export function createAidPaymentService({ db, clock }: { db: Database; clock: Clock }) {
  function insurerOf(actor: Actor): string {
    const v = viewerOf(actor);
    if (v.kind !== 'insurer') throw forbidden();
    return v.orgId;
  }

  async function lockBatch(tx: Tx, insurerId: string, id: string): Promise<AidPaymentBatch> {
    if (!isUuid(id)) throw notFound();
    const [b] = await tx
      .select()
      .from(aidPaymentBatches)
      .where(and(eq(aidPaymentBatches.id, id), eq(aidPaymentBatches.insurerId, insurerId)))
      .for('update');
    if (!b) throw notFound();
    return b;
  }

  async function moveBatch(
    tx: Tx,
    b: AidPaymentBatch,
    to: AidPaymentBatch['status'],
    patch: Partial<AidPaymentBatch>,
    actorId: string | null,
    requestId?: string,
  ) {
    if (!BATCH_TRANSITIONS[b.status].includes(to))
      throw new DomainError('conflict', 'aidErrors.badBatchTransition', { params: { from: b.status, to } });
    await tx
      .update(aidPaymentBatches)
      .set({ ...patch, status: to })
      .where(eq(aidPaymentBatches.id, b.id));
    await recordAudit(tx, {
      actorId,
      action: `aid_batch.${to}`,
      entityType: 'aid_payment_batch',
      entityId: b.id,
      data: { from: b.status, to },
      requestId,
    });
  }

  /** The one way a payment's status changes; the claim's timeline and the audit say so. */
  async function movePayment(
    tx: Tx,
    p: AidPayment,
    to: AidPaymentStatus,
    at: Date,
    actorId: string | null,
    patch: Partial<AidPayment> = {},
    requestId?: string,
  ) {
    if (!canTransitionPayment(p.status, to))
      throw new DomainError('conflict', 'aidErrors.badPaymentTransition', { params: { from: p.status, to } });
    const [updated] = await tx
      .update(aidPayments)
      .set({ ...patch, status: to, updatedAt: at })
      .where(and(eq(aidPayments.id, p.id), eq(aidPayments.status, p.status)))
      .returning();
    if (!updated) throw new DomainError('conflict', 'errors.concurrentChange');
    await recordClaimEvent(
      tx,
      p.claimId,
      {
        action: `payment.${to}`,
        actorId,
        amountFen: p.amountFen,
        at,
        reason: patch.failureNote ?? null,
        data: {
          paymentId: p.id,
          reference: p.reference,
          from: p.status,
          ...(patch.failureReason && { failureReason: patch.failureReason }),
        },
      },
      requestId,
    );
    return updated;
  }

  async function nextBatchNumber(tx: Tx, insurerId: string, now: Date) {
    const day = beijingDate(now).replaceAll('-', '');
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(aidPaymentBatches)
      .where(
        and(
          eq(aidPaymentBatches.insurerId, insurerId),
          sql`${aidPaymentBatches.number} like ${`PB${day}-%`}`,
        ),
      );
    return `PB${day}-${String((row?.n ?? 0) + 1).padStart(3, '0')}`;
  }

  /** Claims with an award not yet (fully) in a payment: what a new batch can carry. */
  async function readyToPay(actor: Actor) {
    requirePermission(actor, 'prepare:aid-payment');
    const insurerId = insurerOf(actor);
    const rows = await db
      .select({
        id: aidClaims.id,
        number: aidClaims.number,
        applicantName: aidClaims.applicantName,
        payeeName: aidClaims.payeeName,
        bankName: aidClaims.bankName,
        accountNumber: aidClaims.accountNumber,
        approvedFen: aidClaims.approvedFen,
        paidFen: aidClaims.paidFen,
        releasedFen: aidClaims.releasedFen,
        status: aidClaims.status,
        inFlightFen: sql<string>`coalesce((select sum(p.amount_fen) from aid_payments p where p.claim_id = ${aidClaims.id}
          and p.status in ('scheduled', 'approved', 'sent')), 0)::text`,
      })
      .from(aidClaims)
      .where(
        and(eq(aidClaims.insurerId, insurerId), inArray(aidClaims.status, ['insurer_approved', 'payment'])),
      )
      .orderBy(asc(aidClaims.decidedAt));
    return rows
      .map((r) => ({ ...r, inFlightFen: BigInt(r.inFlightFen) }))
      .map((r) => ({ ...r, unscheduledFen: unscheduledFen(r) }))
      .filter((r) => r.unscheduledFen > 0n);
  }

  async function insertPayment(
    tx: Tx,
    batch: AidPaymentBatch,
    index: number,
    values: Omit<typeof aidPayments.$inferInsert, 'reference' | 'batchId'>,
  ) {
    const [p] = await tx
      .insert(aidPayments)
      .values({
        ...values,
        batchId: batch.id,
        reference: `${batch.number}-${String(index).padStart(4, '0')}`,
      })
      .returning();
    await recordClaimEvent(tx, p!.claimId, {
      action: 'payment.scheduled',
      actorId: values.preparedBy,
      amountFen: p!.amountFen,
      at: values.createdAt as Date,
      data: {
        paymentId: p!.id,
        reference: p!.reference,
        batchId: batch.id,
        ...(values.reissueOf && { reissueOf: values.reissueOf }),
      },
    });
    return p!;
  }

  /** The preparer (maker) puts the unscheduled rest of each chosen claim into a new batch. */
  async function createBatch(actor: Actor, input: unknown, requestId?: string) {
    requirePermission(actor, 'prepare:aid-payment');
    const insurerId = insurerOf(actor);
    const { claimIds } = parseInput(CreateBatchSchema, input);
    return db.transaction(async (tx) => {
      const now = clock();
      const [batch] = await tx
        .insert(aidPaymentBatches)
        .values({
          number: await nextBatchNumber(tx, insurerId, now),
          insurerId,
          preparedBy: actor.userId,
          preparedAt: now,
        })
        .returning();
      let n = 0;
      for (const id of [...new Set(claimIds)].sort()) {
        const c = await lockClaim(tx, actor, id);
        const [flight] = await tx
          .select({ total: sql<string>`coalesce(sum(${aidPayments.amountFen}), 0)::text` })
          .from(aidPayments)
          .where(and(eq(aidPayments.claimId, c.id), inArray(aidPayments.status, [...IN_FLIGHT])));
        const amount = unscheduledFen({ ...c, inFlightFen: BigInt(flight?.total ?? '0') });
        if (amount <= 0n || (c.status !== 'insurer_approved' && c.status !== 'payment'))
          throw new DomainError('conflict', 'aidErrors.nothingToPay', { params: { claim: c.number } });
        n += 1;
        await insertPayment(tx, batch!, n, {
          claimId: c.id,
          insurerId,
          payeeName: c.payeeName,
          bankName: c.bankName,
          accountNumber: c.accountNumber,
          amountFen: amount,
          preparedBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        });
        if (c.status === 'insurer_approved')
          await transitionClaim(tx, c, 'payment', {
            actorId: actor.userId,
            at: now,
            amountFen: amount,
            requestId,
          });
      }
      await recordAudit(tx, {
        actorId: actor.userId,
        action: 'aid_batch.prepared',
        entityType: 'aid_payment_batch',
        entityId: batch!.id,
        data: { payments: n },
        requestId,
      });
      return batch!;
    });
  }

  /** The checker approves the batch: never the person who prepared it (maker-checker). */
  async function approveBatch(actor: Actor, batchId: string, requestId?: string) {
    requirePermission(actor, 'approve:aid-payment');
    const insurerId = insurerOf(actor);
    return db.transaction(async (tx) => {
      const b = await lockBatch(tx, insurerId, batchId);
      if (b.preparedBy === actor.userId) throw new DomainError('forbidden', 'aidErrors.selfApproval');
      const payments = await tx.select().from(aidPayments).where(eq(aidPayments.batchId, b.id)).for('update');
      if (payments.some((p) => p.preparedBy === actor.userId))
        throw new DomainError('forbidden', 'aidErrors.selfApproval');
      const now = clock();
      await moveBatch(
        tx,
        b,
        'approved',
        { approvedBy: actor.userId, approvedAt: now },
        actor.userId,
        requestId,
      );
      for (const p of payments)
        if (p.status === 'scheduled')
          await movePayment(tx, p, 'approved', now, actor.userId, { approvedBy: actor.userId }, requestId);
      return { ...b, status: 'approved' as const };
    });
  }

  /**
   * The bank file. The first export sends the batch: every approved payment moves to `sent` and
   * its money from the claim's payable to in-transit. Exporting a sent batch again gives the
   * same file and changes nothing.
   */
  async function exportBatch(actor: Actor, batchId: string, requestId?: string) {
    requirePermission(actor, 'send:aid-payment');
    const insurerId = insurerOf(actor);
    return db.transaction(async (tx) => {
      const b = await lockBatch(tx, insurerId, batchId);
      const now = clock();
      if (b.status === 'prepared') throw new DomainError('conflict', 'aidErrors.batchNotApproved');
      let payments = await tx
        .select({ p: aidPayments, claimNumber: aidClaims.number, policyId: aidClaims.policyId })
        .from(aidPayments)
        .innerJoin(aidClaims, eq(aidClaims.id, aidPayments.claimId))
        .where(eq(aidPayments.batchId, b.id))
        .orderBy(asc(aidPayments.reference));
      if (b.status === 'approved') {
        for (const { p, policyId, claimNumber } of payments) {
          if (p.status !== 'approved') continue;
          await postAid(tx, {
            idempotencyKey: `aid:payment:${p.id}:sent`,
            kind: 'aid.payment_sent',
            description: `${claimNumber} ${p.reference}`,
            occurredAt: now,
            entries: [
              { account: ledgerCodes.payable(policyId, p.claimId), amountFen: -p.amountFen },
              { account: ledgerCodes.inTransit(policyId, p.claimId), amountFen: p.amountFen },
            ],
          });
          await movePayment(tx, p, 'sent', now, actor.userId, { sentAt: now }, requestId);
        }
        await moveBatch(tx, b, 'sent', { sentBy: actor.userId, sentAt: now }, actor.userId, requestId);
        payments = payments.map((r) =>
          r.p.status === 'approved' ? { ...r, p: { ...r.p, status: 'sent' as const } } : r,
        );
      }
      const csv = toCsv(
        BANK_EXPORT_HEADER,
        payments
          .filter((r) => r.p.status !== 'cancelled')
          .map(({ p, claimNumber }) => [
            p.reference,
            p.payeeName,
            p.bankName,
            p.accountNumber,
            fenToYuan(p.amountFen),
            p.currency,
            `执行救助金 ${claimNumber}`,
          ]),
      );
      return { filename: `${b.number}.csv`, csv };
    });
  }

  /**
   * The bank's confirmation file, matched to payments by reference. A confirmed line pays the
   * money out in the ledger and counts toward the claim's paid amount; a failed line brings the
   * money back to the claim for a reissue. Lines that match nothing, name another amount, or
   * name a payment that was not sent are listed and change nothing. A file imported twice
   * changes nothing the second time. The whole file is applied in one transaction.
   */
  async function importConfirmations(actor: Actor, text: string, requestId?: string): Promise<ImportResult> {
    requirePermission(actor, 'send:aid-payment');
    const insurerId = insurerOf(actor);
    const rows = parseCsv(text);
    const header = rows[0]?.map((h) => h.trim().toLowerCase());
    const col = (name: string) => header?.indexOf(name) ?? -1;
    const [iRef, iStatus, iAmount, iBankRef, iReason] = BANK_CONFIRMATION_HEADER.map(col);
    if (iRef === -1 || iStatus === -1 || iAmount === -1)
      throw new DomainError('validation', 'aidErrors.badConfirmationFile', {
        fieldErrors: { file: ['aidErrors.badConfirmationFile'] },
      });
    const result: ImportResult = {
      confirmed: [],
      failed: [],
      alreadyApplied: [],
      unmatched: [],
      stillPending: [],
    };
    return db.transaction(async (tx) => {
      const now = clock();
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
        const [found] = await tx
          .select({ p: aidPayments, claimNumber: aidClaims.number, policyId: aidClaims.policyId })
          .from(aidPayments)
          .innerJoin(aidClaims, eq(aidClaims.id, aidPayments.claimId))
          .where(and(eq(aidPayments.reference, reference), eq(aidPayments.insurerId, insurerId)))
          .for('update', { of: aidPayments });
        // Another insurer's reference is unknown here: the file says nothing about it to us.
        if (!found) {
          result.unmatched.push({ line, reference, reason: 'unknownReference' });
          continue;
        }
        const { p, claimNumber, policyId } = found;
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
          await postAid(
            tx,
            {
              idempotencyKey: `aid:payment:${p.id}:confirmed`,
              kind: 'aid.payment_confirmed',
              description: `${claimNumber} ${p.reference}`,
              occurredAt: now,
              entries: [
                { account: ledgerCodes.inTransit(policyId, p.claimId), amountFen: -p.amountFen },
                { account: ledgerCodes.paidOut(insurerId), amountFen: p.amountFen },
              ],
            },
            [ledgerCodes.paidOut(insurerId)],
          );
          await movePayment(
            tx,
            p,
            'confirmed',
            now,
            actor.userId,
            { bankReference, settledAt: now },
            requestId,
          );
          const c = await lockClaim(tx, actor, p.claimId);
          const paid = c.paidFen + p.amountFen;
          await tx.update(aidClaims).set({ paidFen: paid, updatedAt: now }).where(eq(aidClaims.id, c.id));
          if (c.approvedFen !== null && paid === c.approvedFen && c.status === 'payment')
            await transitionClaim(tx, { ...c, paidFen: paid }, 'paid', {
              actorId: actor.userId,
              at: now,
              amountFen: paid,
              requestId,
            });
          result.confirmed.push({ reference, amountFen: p.amountFen, claimNumber });
        } else {
          const code = (iReason === -1 ? '' : (row[iReason!] ?? '')).trim().toUpperCase();
          const reason = FAILURE_CODES[code] ?? 'other';
          await postAid(tx, {
            idempotencyKey: `aid:payment:${p.id}:failed`,
            kind: 'aid.payment_failed',
            description: `${claimNumber} ${p.reference}`,
            occurredAt: now,
            entries: [
              { account: ledgerCodes.inTransit(policyId, p.claimId), amountFen: -p.amountFen },
              { account: ledgerCodes.payable(policyId, p.claimId), amountFen: p.amountFen },
            ],
          });
          await movePayment(
            tx,
            p,
            'failed',
            now,
            actor.userId,
            {
              failureReason: reason,
              failureNote: reason === 'other' && code ? code.slice(0, 200) : null,
              bankReference,
              settledAt: now,
            },
            requestId,
          );
          result.failed.push({ reference, amountFen: p.amountFen, claimNumber, reason });
        }
      }
      for (const batchId of batches) {
        const pending = await tx
          .select({ reference: aidPayments.reference, amountFen: aidPayments.amountFen })
          .from(aidPayments)
          .where(and(eq(aidPayments.batchId, batchId), eq(aidPayments.status, 'sent')));
        result.stillPending.push(...pending);
        const b = await lockBatch(tx, insurerId, batchId);
        if (pending.length === 0 && b.status === 'sent')
          await moveBatch(tx, b, 'settled', { settledAt: now }, actor.userId, requestId);
      }
      await recordAudit(tx, {
        actorId: actor.userId,
        action: 'aid_batch.confirmations_imported',
        entityType: 'organisation',
        entityId: insurerId,
        data: {
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

  async function lockPayment(tx: Tx, insurerId: string, id: string) {
    if (!isUuid(id)) throw notFound();
    const [p] = await tx
      .select()
      .from(aidPayments)
      .where(and(eq(aidPayments.id, id), eq(aidPayments.insurerId, insurerId)))
      .for('update');
    if (!p) throw notFound();
    return p;
  }

  /**
   * A failed payment is sent again, to a corrected account when the bank said it was wrong: a
   * new payment in a batch of its own, which must be approved by someone else like any other.
   */
  async function reissuePayment(actor: Actor, paymentId: string, input: unknown, requestId?: string) {
    requirePermission(actor, 'prepare:aid-payment');
    const insurerId = insurerOf(actor);
    const data = parseInput(ReissueSchema, input);
    return db.transaction(async (tx) => {
      const p = await lockPayment(tx, insurerId, paymentId);
      const c = await lockClaim(tx, actor, p.claimId);
      const now = clock();
      await movePayment(tx, p, 'reissued', now, actor.userId, {}, requestId);
      const [batch] = await tx
        .insert(aidPaymentBatches)
        .values({
          number: await nextBatchNumber(tx, insurerId, now),
          insurerId,
          preparedBy: actor.userId,
          preparedAt: now,
        })
        .returning();
      const account = {
        payeeName: data.payeeName ?? p.payeeName,
        bankName: data.bankName ?? p.bankName,
        accountNumber: data.accountNumber ?? p.accountNumber,
      };
      const changed =
        account.accountNumber !== c.accountNumber ||
        account.bankName !== c.bankName ||
        account.payeeName !== c.payeeName;
      if (changed)
        await tx
          .update(aidClaims)
          // The corrected account is verified again by whoever approves the new batch.
          .set({ ...account, accountVerifiedBy: null, accountVerifiedAt: null, updatedAt: now })
          .where(eq(aidClaims.id, c.id));
      const fresh = await insertPayment(tx, batch!, 1, {
        claimId: c.id,
        insurerId,
        ...account,
        amountFen: p.amountFen,
        reissueOf: p.id,
        preparedBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      });
      await recordAudit(tx, {
        actorId: actor.userId,
        action: 'aid_batch.prepared',
        entityType: 'aid_payment_batch',
        entityId: batch!.id,
        data: { payments: 1, reissueOf: p.id },
        requestId,
      });
      return { batch: batch!, payment: fresh };
    });
  }

  /** A failed (or not yet approved) payment is given up; its amount stays owed on the claim. */
  async function cancelPayment(actor: Actor, paymentId: string, requestId?: string) {
    requirePermission(actor, 'prepare:aid-payment');
    const insurerId = insurerOf(actor);
    return db.transaction(async (tx) => {
      const p = await lockPayment(tx, insurerId, paymentId);
      return movePayment(tx, p, 'cancelled', clock(), actor.userId, {}, requestId);
    });
  }

  async function listBatches(actor: Actor) {
    requirePermission(actor, 'read:aid-payment');
    const insurerId = insurerOf(actor);
    return db
      .select({
        batch: aidPaymentBatches,
        count: sql<number>`(select count(*)::int from aid_payments p where p.batch_id = ${aidPaymentBatches.id})`,
        totalFen: sql<string>`(select coalesce(sum(p.amount_fen), 0)::text from aid_payments p where p.batch_id = ${aidPaymentBatches.id})`,
        confirmedFen: sql<string>`(select coalesce(sum(p.amount_fen), 0)::text from aid_payments p where p.batch_id = ${aidPaymentBatches.id} and p.status = 'confirmed')`,
      })
      .from(aidPaymentBatches)
      .where(eq(aidPaymentBatches.insurerId, insurerId))
      .orderBy(desc(aidPaymentBatches.preparedAt), desc(aidPaymentBatches.number))
      .limit(100)
      .then((rows) =>
        rows.map((r) => ({
          ...r.batch,
          count: r.count,
          totalFen: BigInt(r.totalFen),
          confirmedFen: BigInt(r.confirmedFen),
        })),
      );
  }

  async function getBatch(actor: Actor, batchId: string) {
    requirePermission(actor, 'read:aid-payment');
    const insurerId = insurerOf(actor);
    if (!isUuid(batchId)) throw notFound();
    const [b] = await db
      .select()
      .from(aidPaymentBatches)
      .where(and(eq(aidPaymentBatches.id, batchId), eq(aidPaymentBatches.insurerId, insurerId)));
    if (!b) throw notFound();
    const payments = await db
      .select({ p: aidPayments, claimNumber: aidClaims.number, applicantName: aidClaims.applicantName })
      .from(aidPayments)
      .innerJoin(aidClaims, eq(aidClaims.id, aidPayments.claimId))
      .where(eq(aidPayments.batchId, b.id))
      .orderBy(asc(aidPayments.reference));
    return {
      batch: b,
      payments: payments.map((r) => ({ ...r.p, claimNumber: r.claimNumber, applicantName: r.applicantName })),
      totalFen: payments.filter((r) => r.p.status !== 'cancelled').reduce((s, r) => s + r.p.amountFen, 0n),
      confirmedFen: payments
        .filter((r) => r.p.status === 'confirmed')
        .reduce((s, r) => s + r.p.amountFen, 0n),
    };
  }

  /** Failed payments waiting for a reissue or a cancellation. */
  async function failedPayments(actor: Actor) {
    requirePermission(actor, 'read:aid-payment');
    const insurerId = insurerOf(actor);
    return db
      .select({ p: aidPayments, claimNumber: aidClaims.number })
      .from(aidPayments)
      .innerJoin(aidClaims, eq(aidClaims.id, aidPayments.claimId))
      .where(and(eq(aidPayments.insurerId, insurerId), eq(aidPayments.status, 'failed')))
      .orderBy(desc(aidPayments.settledAt))
      .then((rows) => rows.map((r) => ({ ...r.p, claimNumber: r.claimNumber })));
  }

  return {
    readyToPay,
    createBatch,
    approveBatch,
    exportBatch,
    importConfirmations,
    reissuePayment,
    cancelPayment,
    listBatches,
    getBatch,
    failedPayments,
  };
}

export type AidPaymentService = ReturnType<typeof createAidPaymentService>;
