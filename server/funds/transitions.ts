/**
 * The one way a plan's status changes (house rule): the state machine (rules.ts), a conditional
 * update, the case's funds timeline (`fund_events`) and the audit entry, in the caller's
 * transaction. Plans are locked through their court: another court's plan is "not found".
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { cases } from '../../db/schema/cases.js';
import { type FundPlan, type FundPlanStatus, fundEvents, fundPlans } from '../../db/schema/funds.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, forbidden, notFound } from '../errors.js';
import { type Actor, courtOf } from '../identity/permissions.js';
import { isUuid } from '../validation.js';
import { canMovePlan } from './rules.js';

export interface Step {
  actorId: string | null;
  at: Date;
  amountFen?: bigint | null;
  data?: Record<string, string>;
  requestId?: string;
}

/** The actor's court's case, locked: another court's case does not exist for him. */
export async function caseToWrite(tx: Tx, actor: Actor, caseId: string) {
  const courtId = courtOf(actor);
  if (!isUuid(caseId)) throw notFound();
  const [c] = await tx.select().from(cases).where(eq(cases.id, caseId)).for('update');
  if (!c) throw notFound();
  if (c.courtId !== courtId) throw notFound();
  if (c.closedOn) throw new DomainError('conflict', 'funds.errors.caseClosed');
  return c;
}

/** A plan of the actor's court, locked for the caller's transaction. */
export async function lockPlan(tx: Tx, actor: Actor, planId: string): Promise<FundPlan> {
  const courtId = courtOf(actor);
  if (!isUuid(planId)) throw notFound();
  const [p] = await tx.select().from(fundPlans).where(eq(fundPlans.id, planId)).for('update');
  if (!p || p.courtId !== courtId) throw notFound();
  return p;
}

/** The same lock for the system (a job, a payout hook): no scope, the caller has decided. */
export async function lockPlanById(tx: Tx, planId: string): Promise<FundPlan | undefined> {
  const [p] = await tx.select().from(fundPlans).where(eq(fundPlans.id, planId)).for('update');
  return p;
}

export async function movePlan(
  tx: Tx,
  p: FundPlan,
  to: FundPlanStatus,
  patch: Partial<FundPlan>,
  step: Step,
): Promise<FundPlan> {
  if (!canMovePlan(p.status, to)) throw new DomainError('conflict', 'errors.badTransition');
  const [updated] = await tx
    .update(fundPlans)
    .set({ ...patch, status: to, updatedAt: step.at })
    .where(and(eq(fundPlans.id, p.id), eq(fundPlans.status, p.status)))
    .returning();
  if (!updated) throw new DomainError('conflict', 'errors.concurrentChange');
  await fundEvent(tx, p.caseId, p.id, `plan.${to}`, step);
  await recordAudit(tx, {
    actorId: step.actorId,
    action: `fund_plan.${to}`,
    entityType: 'fund_plan',
    entityId: p.id,
    data: { from: p.status, to, caseId: p.caseId, ...step.data },
    requestId: step.requestId,
  });
  return updated;
}

/** A line of the case's funds timeline (and, for a change by a person, its audit entry). */
export async function fundEvent(tx: Tx, caseId: string, planId: string | null, kind: string, step: Step) {
  await tx.insert(fundEvents).values({
    caseId,
    planId,
    kind,
    at: step.at,
    actorId: step.actorId,
    amountFen: step.amountFen ?? null,
    data: step.data ?? {},
  });
}

export { forbidden };
