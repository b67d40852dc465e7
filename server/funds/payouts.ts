/**
 * The court's payout desk over the disbursements module (issue 16 §4): funds checks its own
 * permissions and the court's scope, picks what each approved share still needs, and deducts the
 * enforcement aid the creditor received on this case before anything goes out (issue 16 §5): the
 * aid is returned to the insurer through aid's service, in this transaction, once per share.
 * Batches, maker-checker, the bank files and failures are the disbursements module's; what each
 * step means for the share is the purpose's hooks (payout-hooks.ts).
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { caseParties, cases } from '../../db/schema/cases.js';
import { fundClaims, fundPlanLines, fundPlans } from '../../db/schema/funds.js';
import { affordancesOf } from '../affordances.js';
import { decideDeskActions } from '../disbursements/rules.js';
import type { Desk, DisbursementItem, DisbursementPurpose } from '../disbursements/service.js';
import { DomainError } from '../errors.js';
import { type Actor, courtOf, type Permission, requirePermission } from '../identity/permissions.js';
import { parseInput } from '../validation.js';
import type { FundDeps } from './deps.js';
import { settleIfPaid } from './paid.js';
import { bankMemo, FUNDS_PURPOSE, fundAccounts } from './rules.js';
import { CreatePayoutBatchSchema, ReissueSchema } from './schemas.js';
import { fundEvent } from './transitions.js';

export type FundsDeps = FundDeps & { purpose: DisbursementPurpose };

function deskOf(deps: FundsDeps, actor: Actor | null, permission: Permission): Desk & { actor: Actor } {
  const me = requirePermission(actor, permission);
  return { purpose: deps.purpose, payerId: courtOf(me), actor: me };
}

/** What each share of the court's approved plans still needs: allotted, not paid, deducted, set aside or on its way. */
async function payableLines(deps: FundsDeps, db: Db, courtId: string, lineIds?: readonly string[]) {
  const rows = await db
    .select({
      line: fundPlanLines,
      plan: fundPlans,
      claim: fundClaims,
      caseNumber: cases.caseNumber,
      creditor: caseParties.name,
    })
    .from(fundPlanLines)
    .innerJoin(fundPlans, eq(fundPlans.id, fundPlanLines.planId))
    .innerJoin(fundClaims, eq(fundClaims.id, fundPlanLines.claimId))
    .innerJoin(cases, eq(cases.id, fundPlans.caseId))
    .innerJoin(caseParties, eq(caseParties.id, fundClaims.partyId))
    .where(
      and(
        eq(fundPlans.courtId, courtId),
        eq(fundPlans.status, 'approved'),
        eq(fundPlanLines.kind, 'claim'),
        lineIds ? inArray(fundPlanLines.id, [...lineIds]) : undefined,
      ),
    )
    .orderBy(asc(fundPlans.approvedAt), asc(fundPlanLines.position));
  const flight = await deps.disbursements.inFlightFen(
    db,
    FUNDS_PURPOSE,
    rows.map((r) => r.line.id),
  );
  return rows.map((r) => {
    const inFlightFen = flight.get(r.line.id) ?? 0n;
    const dueFen =
      r.line.allocatedFen - r.line.setAsideFen - r.line.paidFen - r.line.aidRecoveredFen - inFlightFen;
    return { ...r, inFlightFen, dueFen };
  });
}

/** Shares ready for a batch. */
export async function readyToPay(deps: FundsDeps, actor: Actor | null) {
  const desk = deskOf(deps, actor, 'prepare:funds-payment');
  return (await payableLines(deps, deps.db, desk.payerId)).filter((r) => r.dueFen > 0n);
}

/**
 * The clerk (maker) puts the due rest of each chosen share into a new batch. First, once per
 * share, the aid paid to this creditor on this case is deducted and returned to the insurer.
 */
export async function createBatch(deps: FundsDeps, actor: Actor | null, input: unknown, requestId?: string) {
  const desk = deskOf(deps, actor, 'prepare:funds-payment');
  const { lineIds } = parseInput(CreatePayoutBatchSchema, input);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const ids = [...new Set(lineIds)].sort();
    await tx
      .select({ id: fundPlanLines.id })
      .from(fundPlanLines)
      .where(inArray(fundPlanLines.id, ids))
      .for('update');
    const rows = await payableLines(deps, tx, desk.payerId, ids);
    if (rows.length !== ids.length) {
      // The court's shares of a plan not (or no longer) being paid: nothing to pay; anything else does not exist.
      const known = await tx
        .select({ id: fundPlanLines.id })
        .from(fundPlanLines)
        .innerJoin(fundPlans, eq(fundPlans.id, fundPlanLines.planId))
        .where(and(inArray(fundPlanLines.id, ids), eq(fundPlans.courtId, desk.payerId)));
      if (known.length !== ids.length) throw new DomainError('not_found', 'errors.notFound');
      throw new DomainError('conflict', 'funds.errors.nothingToPay');
    }
    const items: DisbursementItem[] = [];
    for (const r of rows) {
      let due = r.dueFen;
      if (due <= 0n) throw new DomainError('conflict', 'funds.errors.nothingToPay');
      due -= await deductAid(deps, tx, r, due, desk.actor.userId, now);
      if (due > 0n)
        items.push({
          subjectId: r.line.id,
          payeeName: r.claim.payeeName,
          bankName: r.claim.bankName,
          accountNumber: r.claim.accountNumber,
          amountFen: due,
          memo: bankMemo(r.plan.number),
        });
      else await settleIfPaid(deps, tx, r.plan.id, now, desk.actor.userId);
    }
    if (items.length === 0) return { batch: null };
    const { batch } = await deps.disbursements.prepareBatch(tx, desk, desk.actor, items, requestId);
    return { batch };
  });
}

/** Issue 16 §5: aid paid on this case to this creditor comes out of his share, back to the insurer; once per share. */
async function deductAid(
  deps: FundsDeps,
  tx: Tx,
  r: Awaited<ReturnType<typeof payableLines>>[number],
  availableFen: bigint,
  actorId: string,
  now: Date,
) {
  const { recoveredFen } = await deps.recoverAid(tx, {
    caseId: r.plan.caseId,
    partyId: r.claim.partyId,
    fromAccount: fundAccounts.payable(r.plan.caseId, r.claim.id),
    availableFen,
    reference: `fund-line:${r.line.id}`,
    at: now,
    actorId,
  });
  if (recoveredFen <= 0n) return 0n;
  await tx
    .update(fundPlanLines)
    .set({ aidRecoveredFen: r.line.aidRecoveredFen + recoveredFen })
    .where(eq(fundPlanLines.id, r.line.id));
  const [k] = await tx.select().from(fundClaims).where(eq(fundClaims.id, r.claim.id)).for('update');
  await tx
    .update(fundClaims)
    .set({ paidFen: k!.paidFen + recoveredFen })
    .where(eq(fundClaims.id, k!.id));
  await fundEvent(tx, r.plan.caseId, r.plan.id, 'aid.recovered', {
    actorId,
    at: now,
    amountFen: recoveredFen,
    data: { creditor: r.creditor, lineId: r.line.id },
  });
  return recoveredFen;
}

export async function approveBatch(
  deps: FundsDeps,
  actor: Actor | null,
  batchId: string,
  requestId?: string,
) {
  const desk = deskOf(deps, actor, 'approve:funds-payment');
  return deps.disbursements.approveBatch(desk, desk.actor, batchId, requestId);
}

export async function exportBatch(deps: FundsDeps, actor: Actor | null, batchId: string, requestId?: string) {
  const desk = deskOf(deps, actor, 'send:funds-payment');
  return deps.disbursements.exportBatch(desk, desk.actor, batchId, requestId);
}

export async function importConfirmations(
  deps: FundsDeps,
  actor: Actor | null,
  text: string,
  requestId?: string,
) {
  const desk = deskOf(deps, actor, 'send:funds-payment');
  return deps.disbursements.importConfirmations(desk, desk.actor, text, requestId);
}

export async function reissuePayment(
  deps: FundsDeps,
  actor: Actor | null,
  paymentId: string,
  input: unknown,
  requestId?: string,
) {
  const desk = deskOf(deps, actor, 'prepare:funds-payment');
  const account = parseInput(ReissueSchema, input);
  return deps.disbursements.reissue(desk, desk.actor, paymentId, account, requestId);
}

/** A failed payment given up (the payee unreachable): its money is set aside (提存) by the purpose's hook. */
export async function setAsidePayment(
  deps: FundsDeps,
  actor: Actor | null,
  paymentId: string,
  requestId?: string,
) {
  const desk = deskOf(deps, actor, 'prepare:funds-payment');
  return deps.disbursements.cancel(desk, desk.actor, paymentId, requestId);
}

export async function getBatch(deps: FundsDeps, actor: Actor | null, batchId: string) {
  const desk = deskOf(deps, actor, 'read:funds-payment');
  return deps.disbursements.getBatch(desk, desk.actor, batchId);
}

/** The payout desk: batches, shares ready to pay, failures, and what the viewer may start. */
export async function payoutDesk(deps: FundsDeps, actor: Actor | null) {
  const desk = deskOf(deps, actor, 'read:funds-payment');
  const can = affordancesOf(decideDeskActions(desk.actor, deps.purpose));
  const [batches, ready, failed] = await Promise.all([
    deps.disbursements.listBatches(desk, desk.actor),
    can.prepare ? readyToPay(deps, actor) : Promise.resolve([]),
    deps.disbursements.failed(desk, desk.actor),
  ]);
  return { batches, ready, failed, can };
}
