/**
 * A debtor's request to correct his listing (失信规定 arts. 11-12; ADR 019): received by the
 * enforcing court and reviewed within 15 days; well founded, the listing is fixed (corrected or
 * revoked within 3 working days, listings.ts); rejected, he may apply to the next higher court
 * within 10 days of the decision's service, which decides within 15 days. The listing stays
 * meanwhile.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { cases } from '../../db/schema/cases.js';
import { creditCorrections, creditListings } from '../../db/schema/credit.js';
import { organisations } from '../../db/schema/identity.js';
import { affordancesOf, requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { addDays, beijingDateOf } from '../cases/time-limit.js';
import { notFound } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { cancelJob, scheduleJob } from '../jobs/schedule.js';
import { notify } from '../notifications/service.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import { decideCorrectionActions, decideListingActions } from './affordances.js';
import type { CreditDeps } from './deps.js';
import { APPEAL_REVIEW_DAYS, APPEAL_WINDOW_DAYS, CORRECTION_REVIEW_DAYS } from './rules.js';
import { AppealSchema, CorrectionDecisionSchema, CorrectionRequestSchema } from './schemas.js';
import { lockListing } from './transitions.js';

export async function receiveCorrection(
  deps: CreditDeps,
  actor: Actor,
  listingId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:credit');
  const data = parseInput(CorrectionRequestSchema, input);
  if (!isUuid(listingId)) throw notFound();
  const today = beijingDateOf(deps.clock());
  if (data.receivedOn > today) throw validationError({ receivedOn: ['validation.future'] });
  return deps.db.transaction(async (tx) => {
    const l = await lockListing(tx, listingId);
    if (!l || l.courtId !== courtOf(actor)) throw notFound();
    requireAllowed(decideListingActions(actor, l), 'receiveCorrection');
    const [court] = await tx
      .select({ parentId: organisations.parentId })
      .from(organisations)
      .where(eq(organisations.id, l.courtId));
    const [row] = await tx
      .insert(creditCorrections)
      .values({
        listingId: l.id,
        courtId: l.courtId,
        higherCourtId: court?.parentId ?? null,
        applicant: data.applicant,
        reason: data.reason,
        receivedOn: data.receivedOn,
        // art. 11: reviewed within 15 days of receipt.
        reviewDueOn: addDays(data.receivedOn, CORRECTION_REVIEW_DAYS),
        createdAt: deps.clock(),
      })
      .returning();
    await audit(tx, actor, row!.id, 'credit.correction_received', { listingId: l.id }, requestId);
    await scheduleDue(tx, row!.id, 'review', row!.reviewDueOn);
    return row!;
  });
}

export const CORRECTION_DUE_JOB = 'credit.correction-due';
const dueKey = (id: string, stage: 'review' | 'appeal') => `credit:correction:${id}:${stage}`;

/** A durable job at the end of the review's last day: still undecided, the court is told. */
async function scheduleDue(tx: Tx, id: string, stage: 'review' | 'appeal', dueOn: string) {
  await scheduleJob(tx, {
    kind: CORRECTION_DUE_JOB,
    key: dueKey(id, stage),
    runAt: new Date(`${addDays(dueOn, 1)}T00:00:00+08:00`),
    payload: { correctionId: id, stage },
  });
}

/** The job: a request (or appeal) still undecided past its 15 days is put before its court. */
export async function correctionOverdue(tx: Tx, correctionId: string, stage: string, now: Date) {
  const [c] = await tx
    .select({
      correction: creditCorrections,
      name: creditListings.name,
      caseId: cases.id,
      caseNumber: cases.caseNumber,
    })
    .from(creditCorrections)
    .innerJoin(creditListings, eq(creditListings.id, creditCorrections.listingId))
    .innerJoin(cases, eq(cases.id, creditListings.caseId))
    .where(eq(creditCorrections.id, correctionId));
  if (!c) return;
  const waiting =
    stage === 'appeal' ? c.correction.status === 'appealed' : c.correction.status === 'received';
  const courtId = stage === 'appeal' ? c.correction.higherCourtId : c.correction.courtId;
  if (!waiting || !courtId) return;
  await notify(tx, {
    organisationId: courtId,
    kind: stage === 'appeal' ? 'creditAppealOverdue' : 'creditCorrectionOverdue',
    params: { name: c.name, caseNumber: c.caseNumber },
    link: stage === 'appeal' ? '/court/credit-appeals' : `/court/cases/${c.caseId}/credit`,
    dedupeKey: dueKey(correctionId, stage === 'appeal' ? 'appeal' : 'review'),
    at: now,
  });
}

async function audit(
  tx: Tx,
  actor: Actor,
  id: string,
  action: string,
  data: Record<string, unknown>,
  requestId?: string,
) {
  await recordAudit(tx, {
    actorId: actor.userId,
    action,
    entityType: 'credit_correction',
    entityId: id,
    data,
    requestId,
  });
}

async function lockCorrection(tx: Tx, id: string) {
  if (!isUuid(id)) throw notFound();
  const [c] = await tx.select().from(creditCorrections).where(eq(creditCorrections.id, id)).for('update');
  if (!c) throw notFound();
  return c;
}

/** The enforcing court decides: upheld (the listing is then fixed) or rejected. */
export async function decideCorrection(
  deps: CreditDeps,
  actor: Actor,
  id: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'decide:credit-correction');
  const data = parseInput(CorrectionDecisionSchema, input);
  return deps.db.transaction(async (tx) => {
    const c = await lockCorrection(tx, id);
    if (c.courtId !== courtOf(actor) && c.higherCourtId !== courtOf(actor)) throw notFound();
    requireAllowed(decideCorrectionActions(actor, c), 'decide');
    const [row] = await tx
      .update(creditCorrections)
      .set({
        status: data.outcome === 'uphold' ? 'upheld' : 'rejected',
        decision: data.decision,
        decidedOn: beijingDateOf(deps.clock()),
        decidedBy: actor.userId,
      })
      .where(eq(creditCorrections.id, c.id))
      .returning();
    await audit(tx, actor, c.id, 'credit.correction_decided', { outcome: data.outcome }, requestId);
    await cancelJob(tx, dueKey(c.id, 'review'));
    return row!;
  });
}

/** Art. 12: the debtor applies to the next higher court within 10 days; recorded by the enforcing court. */
export async function appealCorrection(
  deps: CreditDeps,
  actor: Actor,
  id: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:credit');
  const data = parseInput(AppealSchema, input);
  return deps.db.transaction(async (tx) => {
    const c = await lockCorrection(tx, id);
    if (c.courtId !== courtOf(actor)) throw notFound();
    requireAllowed(decideCorrectionActions(actor, c), 'appeal');
    const today = beijingDateOf(deps.clock());
    if (data.appealedOn > today || data.appealedOn < c.decidedOn!)
      throw validationError({ appealedOn: ['validation.date'] });
    if (data.appealedOn > addDays(c.decidedOn!, APPEAL_WINDOW_DAYS))
      throw validationError({ appealedOn: ['credit.errors.appealLate'] });
    const [row] = await tx
      .update(creditCorrections)
      .set({
        status: 'appealed',
        appealedOn: data.appealedOn,
        appealDueOn: addDays(data.appealedOn, APPEAL_REVIEW_DAYS),
      })
      .where(eq(creditCorrections.id, c.id))
      .returning();
    await audit(tx, actor, c.id, 'credit.correction_appealed', { appealedOn: data.appealedOn }, requestId);
    await scheduleDue(tx, c.id, 'appeal', row!.appealDueOn!);
    return row!;
  });
}

/** The next higher court decides the appeal within 15 days. */
export async function decideAppeal(
  deps: CreditDeps,
  actor: Actor,
  id: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'decide:credit-correction');
  const data = parseInput(CorrectionDecisionSchema, input);
  return deps.db.transaction(async (tx) => {
    const c = await lockCorrection(tx, id);
    if (c.higherCourtId !== courtOf(actor)) throw notFound();
    requireAllowed(decideCorrectionActions(actor, c), 'decideAppeal');
    const [row] = await tx
      .update(creditCorrections)
      .set({
        status: data.outcome === 'uphold' ? 'appeal_upheld' : 'appeal_rejected',
        appealDecision: data.decision,
        appealDecidedOn: beijingDateOf(deps.clock()),
        appealDecidedBy: actor.userId,
      })
      .where(eq(creditCorrections.id, c.id))
      .returning();
    await audit(tx, actor, c.id, 'credit.correction_appeal_decided', { outcome: data.outcome }, requestId);
    await cancelJob(tx, dueKey(c.id, 'appeal'));
    return row!;
  });
}

/** The higher court's queue: appeals of the courts below it, earliest due first. */
export async function appealsToDecide(deps: CreditDeps, actor: Actor) {
  requirePermission(actor, 'decide:credit-correction');
  const rows = await deps.db
    .select({ correction: creditCorrections, name: creditListings.name, caseNumber: cases.caseNumber })
    .from(creditCorrections)
    .innerJoin(creditListings, eq(creditListings.id, creditCorrections.listingId))
    .innerJoin(cases, eq(cases.id, creditListings.caseId))
    .where(
      and(
        eq(creditCorrections.higherCourtId, courtOf(actor)),
        inArray(creditCorrections.status, ['appealed']),
      ),
    )
    .orderBy(asc(creditCorrections.appealDueOn));
  return rows.map((r) => ({ ...r, can: affordancesOf(decideCorrectionActions(actor, r.correction)) }));
}
