/**
 * After 终本 (终本规定 art. 9): the court repeats the online property search every 6 months for 5
 * years and tells the applicant; when property appears, enforcement resumes with no limitation
 * period. Here a durable job per case runs each search, records it as a measure, tells the
 * applicants (in the platform when they have an account, by the court's letter otherwise) and
 * the court; property found opens resumption as a task for the court, due in 7 days (the time a
 * property lead is checked in), which the clerk answers by filing the 执恢 case (filing.ts
 * `resumeCase`) or dismisses with a reason (ADR 016).
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { caseParties, cases } from '../../db/schema/cases.js';
import type { Job } from '../../db/schema/jobs.js';
import { requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { scheduleJob } from '../jobs/schedule.js';
import { notify } from '../notifications/service.js';
import { parseInput } from '../validation.js';
import type { CaseDeps } from './deps.js';
import { decideCaseActions } from './rules.js';
import { DismissResumptionSchema, PROPERTY_CATEGORIES } from './schemas.js';
import { caseToWrite, lockCase } from './scope.js';
import { recordSearch, searchDebtors } from './searches.js';
import { addDays, addMonths, beijingDateOf, type DateString } from './time-limit.js';
import { foundDisposable } from './zhongben.js';

export const CASE_JOBS = { research: 'case.zhongben_research' } as const;
export const researchKey = (caseId: string) => `case:${caseId}:research`;
/** Every 6 months for 5 years: ten searches. */
export const RESEARCH_EVERY_MONTHS = 6;
export const RESEARCH_TIMES = 10;
/** The court checks a property lead within 7 days (domain note "Other clocks"). */
export const RESUMPTION_CHECK_DAYS = 7;

/**
 * When the n-th search after a 终本 closed on `closedOn` is due: 6n calendar months later at
 * 10:00 in Beijing; the accelerated profile divides the wait by its factor (demos and tests).
 */
export function researchAt(closedOn: DateString, n: number, factor = 1): Date {
  const base = Date.parse(`${closedOn}T02:00:00Z`);
  const statutory = Date.parse(`${addMonths(closedOn, RESEARCH_EVERY_MONTHS * n)}T02:00:00Z`);
  return new Date(base + Math.round((statutory - base) / factor));
}

export async function scheduleResearch(
  tx: Tx,
  caseId: string,
  closedOn: DateString,
  n: number,
  factor: number,
) {
  await scheduleJob(tx, {
    kind: CASE_JOBS.research,
    key: researchKey(caseId),
    runAt: researchAt(closedOn, n, factor),
    payload: { caseId, n },
  });
}

/**
 * The n-th search. Idempotent under retry (the job's transaction rolls back whole); stops when
 * the case was resumed meanwhile. The simulated network answers at once; a real one would be
 * asked by a job of its own and answer into this record (ADR 016).
 */
export async function research(deps: CaseDeps, tx: Tx, caseId: string, n: number, now: Date) {
  const c = await lockCase(tx, caseId);
  if (c.closureMode !== 'terminated_for_now' || !c.closedOn) return;
  const [resumed] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.resumedFromId, c.id));
  if (resumed) return;
  const record = await searchDebtors(tx, deps.propertySearch, c.id, PROPERTY_CATEGORIES, now);
  const found = foundDisposable(record);
  const applicants = await tx
    .select()
    .from(caseParties)
    .where(and(eq(caseParties.caseId, c.id), eq(caseParties.role, 'applicant')));
  const measure = await recordSearch(
    tx,
    c,
    {
      ...record,
      periodic: n,
      // Told in the platform where the applicant has an account; otherwise the court's letter.
      applicantsTold: applicants.map((a) => ({
        partyId: a.id,
        name: a.name,
        via: a.userId ? 'platform' : 'letter',
      })),
    },
    null,
    now,
  );
  const params = { caseNumber: c.caseNumber, n: String(n), outcome: found ? 'found' : 'none' };
  for (const a of applicants.filter((p) => p.userId))
    await notify(tx, {
      userId: a.userId!,
      kind: 'caseResearch',
      params,
      dedupeKey: `case:${c.id}:research:${n}:${a.id}`,
      at: now,
    });
  await notify(tx, {
    organisationId: c.courtId,
    kind: found ? 'caseResumptionDue' : 'caseResearch',
    params,
    link: `/court/cases/${c.id}`,
    dedupeKey: `case:${c.id}:research:${n}:court`,
    at: now,
  });
  if (found && !c.resumptionDueOn) {
    await tx
      .update(cases)
      .set({
        resumptionDueOn: addDays(beijingDateOf(now), RESUMPTION_CHECK_DAYS),
        resumptionMeasureId: measure.id,
        updatedAt: now,
      })
      .where(eq(cases.id, c.id));
    await recordAudit(tx, {
      actorId: null,
      action: 'case.resumption_due',
      entityType: 'case',
      entityId: c.id,
      data: { measureId: measure.id, n },
    });
  }
  await deps.onResearched?.(tx, c, { n, found }, now);
  if (n < RESEARCH_TIMES) await scheduleResearch(tx, c.id, c.closedOn, n + 1, deps.profile.factor);
}

/** The court checked what the re-search found and will not resume (nothing disposable after all). */
export async function dismissResumption(
  deps: CaseDeps,
  actor: Actor,
  caseId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:case');
  const { reason } = parseInput(DismissResumptionSchema, input);
  return deps.db.transaction(async (tx) => {
    const c = await caseToWrite(tx, actor, caseId);
    requireAllowed(decideCaseActions(actor, c), 'dismissResumption');
    const [row] = await tx
      .update(cases)
      .set({ resumptionDueOn: null, resumptionMeasureId: null, updatedAt: deps.clock() })
      .where(eq(cases.id, c.id))
      .returning();
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'case.resumption_dismissed',
      entityType: 'case',
      entityId: c.id,
      data: { reason, measureId: c.resumptionMeasureId },
      requestId,
    });
    return row!;
  });
}

export function caseJobHandlers(deps: CaseDeps) {
  return {
    [CASE_JOBS.research]: async (job: Job, ctx: { tx: Tx; now: Date }) =>
      research(deps, ctx.tx, String(job.payload.caseId), Number(job.payload.n), ctx.now),
  };
}
