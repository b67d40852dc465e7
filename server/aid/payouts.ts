/**
 * Paying creditors their awards (issue 5 §4, domain "Disbursements"): the insurer's payment desk
 * over the disbursements module. Aid checks its own permissions and the insurer's scope here,
 * picks what each claim still needs, and names the claims on the way back; batches, maker-checker,
 * the bank files and failures are the module's, and what each step means for the claim is the
 * aid purpose's hooks (payout-hooks.ts).
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { aidClaims } from '../../db/schema/aid.js';
import type { Disbursement, DisbursementBatch } from '../../db/schema/disbursements.js';
import { affordancesOf } from '../affordances.js';
import { decideDeskActions } from '../disbursements/rules.js';
import { BATCH_PAGE, type BatchFilter, type Desk, type DisbursementItem } from '../disbursements/service.js';
import { DomainError, forbidden } from '../errors.js';
import { type Actor, type Permission, requirePermission } from '../identity/permissions.js';
import { parseInput } from '../validation.js';
import { lockClaim, viewerOf } from './common.js';
import type { AidDeps } from './deps.js';
import { AID_PAYOUTS, bankMemo } from './payout-hooks.js';
import { AID_PURPOSE, unscheduledFen } from './rules.js';
import { CreateBatchSchema, ReissueSchema } from './schemas.js';

/** A payment as aid's pages and tests have always seen it: the claim it pays, the insurer paying. */
export const asAidPayment = <D extends Disbursement>(d: D) => ({
  ...d,
  claimId: d.subjectId,
  insurerId: d.payerId,
});
const asAidBatch = <B extends DisbursementBatch>(b: B) => ({ ...b, insurerId: b.payerId });

/** The insurer's own payment desk, once the actor holds `permission`; anyone else is refused. */
function deskOf(actor: Actor, permission: Permission): Desk {
  requirePermission(actor, permission);
  const v = viewerOf(actor);
  if (v.kind !== 'insurer') throw forbidden();
  return { purpose: AID_PAYOUTS, payerId: v.orgId };
}

async function claimNames(db: Db, ids: readonly string[]) {
  const rows = ids.length
    ? await db
        .select({ id: aidClaims.id, number: aidClaims.number, applicantName: aidClaims.applicantName })
        .from(aidClaims)
        .where(inArray(aidClaims.id, [...new Set(ids)]))
    : [];
  return new Map(rows.map((r) => [r.id, r]));
}

/** Claims with an award not yet (fully) in a payment: what a new batch can carry. */
export async function readyToPay(deps: AidDeps, actor: Actor) {
  const desk = deskOf(actor, 'prepare:aid-payment');
  const rows = await deps.db
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
    })
    .from(aidClaims)
    .where(
      and(eq(aidClaims.insurerId, desk.payerId), inArray(aidClaims.status, ['insurer_approved', 'payment'])),
    )
    .orderBy(asc(aidClaims.decidedAt));
  const flight = await deps.disbursements.inFlightFen(
    deps.db,
    AID_PURPOSE,
    rows.map((r) => r.id),
  );
  return rows
    .map((r) => ({ ...r, inFlightFen: flight.get(r.id) ?? 0n }))
    .map((r) => ({ ...r, unscheduledFen: unscheduledFen(r) }))
    .filter((r) => r.unscheduledFen > 0n);
}

/** The preparer (maker) puts the unscheduled rest of each chosen claim into a new batch. */
export async function createBatch(deps: AidDeps, actor: Actor, input: unknown, requestId?: string) {
  const desk = deskOf(actor, 'prepare:aid-payment');
  const { claimIds } = parseInput(CreateBatchSchema, input);
  return deps.db.transaction(async (tx) => {
    const items: DisbursementItem[] = [];
    for (const id of [...new Set(claimIds)].sort()) {
      const c = await lockClaim(tx, actor, id);
      const flight = await deps.disbursements.inFlightFen(tx, AID_PURPOSE, [c.id]);
      const amount = unscheduledFen({ ...c, inFlightFen: flight.get(c.id) ?? 0n });
      if (amount <= 0n || (c.status !== 'insurer_approved' && c.status !== 'payment'))
        throw new DomainError('conflict', 'aidErrors.nothingToPay', { params: { claim: c.number } });
      items.push({
        subjectId: c.id,
        payeeName: c.payeeName,
        bankName: c.bankName,
        accountNumber: c.accountNumber,
        amountFen: amount,
        memo: bankMemo(c.number),
      });
    }
    const { batch } = await deps.disbursements.prepareBatch(tx, desk, actor, items, requestId);
    return asAidBatch(batch);
  });
}

/** The checker approves the batch: never the person who prepared it (maker-checker). */
export async function approveBatch(deps: AidDeps, actor: Actor, batchId: string, requestId?: string) {
  const desk = deskOf(actor, 'approve:aid-payment');
  return asAidBatch(await deps.disbursements.approveBatch(desk, actor, batchId, requestId));
}

/** The bank file; the first export sends the batch. */
export async function exportBatch(deps: AidDeps, actor: Actor, batchId: string, requestId?: string) {
  return deps.disbursements.exportBatch(deskOf(actor, 'send:aid-payment'), actor, batchId, requestId);
}

/** The bank's confirmation file; each line is named by the claim it pays. */
export async function importConfirmations(deps: AidDeps, actor: Actor, text: string, requestId?: string) {
  const desk = deskOf(actor, 'send:aid-payment');
  const r = await deps.disbursements.importConfirmations(desk, actor, text, requestId);
  const names = await claimNames(
    deps.db,
    [...r.confirmed, ...r.failed].map((x) => x.subjectId),
  );
  const claimNumber = (id: string) => names.get(id)?.number ?? '';
  return {
    ...r,
    confirmed: r.confirmed.map(({ subjectId, ...x }) => ({ ...x, claimNumber: claimNumber(subjectId) })),
    failed: r.failed.map(({ subjectId, ...x }) => ({ ...x, claimNumber: claimNumber(subjectId) })),
  };
}

/** A failed payment sent again, to a corrected account if given (which the claim then carries). */
export async function reissuePayment(
  deps: AidDeps,
  actor: Actor,
  paymentId: string,
  input: unknown,
  requestId?: string,
) {
  const desk = deskOf(actor, 'prepare:aid-payment');
  const account = parseInput(ReissueSchema, input);
  const r = await deps.disbursements.reissue(desk, actor, paymentId, account, requestId);
  return { batch: asAidBatch(r.batch), payment: asAidPayment(r.disbursement) };
}

/** A failed (or not yet approved) payment is given up; its amount stays owed on the claim. */
export async function cancelPayment(deps: AidDeps, actor: Actor, paymentId: string, requestId?: string) {
  const desk = deskOf(actor, 'prepare:aid-payment');
  return asAidPayment(await deps.disbursements.cancel(desk, actor, paymentId, requestId));
}

/** A page of the batch list (search, status, keyset) with the total of the filtered set; `limit: null` all. */
export async function pageBatches(
  deps: AidDeps,
  actor: Actor,
  filter: BatchFilter = {},
  limit: number | null = BATCH_PAGE,
) {
  const desk = deskOf(actor, 'read:aid-payment');
  const page = await deps.disbursements.pageBatches(desk, actor, filter, limit);
  return { ...page, rows: page.rows.map(asAidBatch) };
}

export async function listBatches(deps: AidDeps, actor: Actor) {
  const desk = deskOf(actor, 'read:aid-payment');
  return (await deps.disbursements.listBatches(desk, actor)).map(asAidBatch);
}

/** One batch with its payments, each named by its claim, and what the viewer may do with it. */
export async function getBatch(deps: AidDeps, actor: Actor, batchId: string) {
  const desk = deskOf(actor, 'read:aid-payment');
  const b = await deps.disbursements.getBatch(desk, actor, batchId);
  const names = await claimNames(
    deps.db,
    b.payments.map((p) => p.subjectId),
  );
  return {
    ...b,
    batch: asAidBatch(b.batch),
    payments: b.payments.map((p) => ({
      ...asAidPayment(p),
      claimNumber: names.get(p.subjectId)?.number ?? '',
      applicantName: names.get(p.subjectId)?.applicantName ?? '',
    })),
  };
}

/** Failed payments waiting for a reissue or a cancellation, with what the viewer may do with each. */
export async function failedPayments(deps: AidDeps, actor: Actor) {
  const desk = deskOf(actor, 'read:aid-payment');
  const rows = await deps.disbursements.failed(desk, actor);
  const names = await claimNames(
    deps.db,
    rows.map((p) => p.subjectId),
  );
  return rows.map((p) => ({ ...asAidPayment(p), claimNumber: names.get(p.subjectId)?.number ?? '' }));
}

/** The payment desk page: batches, what is ready to pay, failures, and what the viewer may start. */
export async function overview(deps: AidDeps, actor: Actor, filter: BatchFilter = {}) {
  const can = affordancesOf(decideDeskActions(actor, AID_PAYOUTS));
  const [batches, ready, failed] = await Promise.all([
    pageBatches(deps, actor, filter),
    can.prepare ? readyToPay(deps, actor) : Promise.resolve([]),
    failedPayments(deps, actor),
  ]);
  return { batches, ready, failed, can };
}
