/**
 * The 30 days (执行款物管理规定): money that arrives in the case account leaves it within 30 days
 * (the plan approved and its money allotted). A countdown per case from the first arrival not yet
 * released, a durable job that puts the case in the bureau's overdue queue at the deadline, and a
 * deferral with one of the allowed reasons, approved by the president (the bureau's head, never
 * the clerk who asked); when the reason ends, 10 days to pay.
 */
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { cases } from '../../db/schema/cases.js';
import { fundReleases } from '../../db/schema/funds.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { cancelJob, scheduleJob } from '../jobs/schedule.js';
import { isUuid, parseInput } from '../validation.js';
import type { FundDeps } from './deps.js';
import { AFTER_DEFERRAL_DAYS, RELEASE_DAYS } from './rules.js';
import { DeferralSchema } from './schemas.js';
import { fundEvent } from './transitions.js';

export const RELEASE_JOB = 'funds.release-due';
const releaseKey = (caseId: string) => `fund-release:${caseId}`;

/**
 * Money arrived in the case account (the balance of a sale, in the payments transaction): the
 * 30 days start, unless a countdown already runs for earlier money.
 */
export async function moneyArrived(deps: FundDeps, tx: Tx, caseId: string, courtId: string, at: Date) {
  const dueAt = new Date(at.getTime() + RELEASE_DAYS * deps.profile.durations.day);
  const [r] = await tx.select().from(fundReleases).where(eq(fundReleases.caseId, caseId)).for('update');
  if (r && r.releasedAt === null) return r;
  const values = {
    caseId,
    courtId,
    arrivedAt: at,
    dueAt,
    overdueAt: null,
    deferralReason: null,
    deferralNote: null,
    deferralRequestedBy: null,
    deferralApprovedBy: null,
    deferralApprovedAt: null,
    releasedAt: null,
  };
  const [row] = r
    ? await tx.update(fundReleases).set(values).where(eq(fundReleases.caseId, caseId)).returning()
    : await tx.insert(fundReleases).values(values).returning();
  await scheduleJob(tx, { kind: RELEASE_JOB, key: releaseKey(caseId), runAt: dueAt, payload: { caseId } });
  await fundEvent(tx, caseId, null, 'release.arrived', {
    actorId: null,
    at,
    data: { dueAt: dueAt.toISOString() },
  });
  return row!;
}

/** The plan's money left the case account: the countdown stops. */
export async function markReleased(tx: Tx, caseId: string, at: Date, actorId: string) {
  const [r] = await tx
    .update(fundReleases)
    .set({ releasedAt: at })
    .where(and(eq(fundReleases.caseId, caseId), isNull(fundReleases.releasedAt)))
    .returning();
  if (!r) return;
  await cancelJob(tx, releaseKey(caseId));
  await fundEvent(tx, caseId, null, 'release.released', { actorId, at });
}

/** The `funds.release-due` job: not released, no approved deferral, at the deadline → overdue, once. */
async function releaseDue(tx: Tx, caseId: string, now: Date) {
  const [r] = await tx.select().from(fundReleases).where(eq(fundReleases.caseId, caseId)).for('update');
  if (!r || r.releasedAt || r.overdueAt || r.deferralApprovedAt) return;
  if (r.dueAt > now) {
    await scheduleJob(tx, {
      kind: RELEASE_JOB,
      key: releaseKey(caseId),
      runAt: r.dueAt,
      payload: { caseId },
    });
    return;
  }
  await tx.update(fundReleases).set({ overdueAt: now }).where(eq(fundReleases.caseId, caseId));
  await fundEvent(tx, caseId, null, 'release.overdue', { actorId: null, at: now });
  await recordAudit(tx, {
    actorId: null,
    action: 'fund_release.overdue',
    entityType: 'case',
    entityId: caseId,
    data: { dueAt: r.dueAt.toISOString() },
  });
}

async function lockRelease(tx: Tx, actor: Actor, caseId: string) {
  const courtId = courtOf(actor);
  if (!isUuid(caseId)) throw notFound();
  const [r] = await tx.select().from(fundReleases).where(eq(fundReleases.caseId, caseId)).for('update');
  if (!r || r.courtId !== courtId) throw notFound();
  if (r.releasedAt) throw new DomainError('conflict', 'funds.errors.released');
  return r;
}

/** The clerk asks to defer the release, with one of the allowed reasons. */
export async function requestDeferral(deps: FundDeps, actor: Actor | null, caseId: string, input: unknown) {
  const me = requirePermission(actor, 'manage:funds');
  const { reason, note } = parseInput(DeferralSchema, input);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const r = await lockRelease(tx, me, caseId);
    if (r.deferralReason) throw new DomainError('conflict', 'funds.errors.deferralPending');
    const [row] = await tx
      .update(fundReleases)
      .set({ deferralReason: reason, deferralNote: note, deferralRequestedBy: me.userId })
      .where(eq(fundReleases.caseId, r.caseId))
      .returning();
    await fundEvent(tx, r.caseId, null, 'release.deferral_requested', {
      actorId: me.userId,
      at: now,
      data: { reason },
    });
    return row!;
  });
}

/** The president approves the deferral: the countdown stops (and the case leaves the overdue queue). */
export async function approveDeferral(deps: FundDeps, actor: Actor | null, caseId: string) {
  const me = requirePermission(actor, 'approve:funds-deferral');
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const r = await lockRelease(tx, me, caseId);
    if (!r.deferralReason || r.deferralApprovedAt)
      throw new DomainError('conflict', 'funds.errors.noDeferral');
    if (r.deferralRequestedBy === me.userId) throw new DomainError('forbidden', 'funds.errors.selfApproval');
    const [row] = await tx
      .update(fundReleases)
      .set({ deferralApprovedBy: me.userId, deferralApprovedAt: now, overdueAt: null })
      .where(eq(fundReleases.caseId, r.caseId))
      .returning();
    await cancelJob(tx, releaseKey(r.caseId));
    await fundEvent(tx, r.caseId, null, 'release.deferred', {
      actorId: me.userId,
      at: now,
      data: { reason: r.deferralReason },
    });
    await recordAudit(tx, {
      actorId: me.userId,
      action: 'fund_release.deferred',
      entityType: 'case',
      entityId: r.caseId,
      data: { reason: r.deferralReason },
    });
    return row!;
  });
}

/** The reason of the deferral ended: payment within 10 days. */
export async function endDeferral(deps: FundDeps, actor: Actor | null, caseId: string) {
  const me = requirePermission(actor, 'manage:funds');
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const r = await lockRelease(tx, me, caseId);
    if (!r.deferralApprovedAt) throw new DomainError('conflict', 'funds.errors.noDeferral');
    const dueAt = new Date(now.getTime() + AFTER_DEFERRAL_DAYS * deps.profile.durations.day);
    const [row] = await tx
      .update(fundReleases)
      .set({
        dueAt,
        deferralReason: null,
        deferralNote: null,
        deferralRequestedBy: null,
        deferralApprovedBy: null,
        deferralApprovedAt: null,
      })
      .where(eq(fundReleases.caseId, r.caseId))
      .returning();
    await scheduleJob(tx, {
      kind: RELEASE_JOB,
      key: releaseKey(r.caseId),
      runAt: dueAt,
      payload: { caseId: r.caseId },
    });
    await fundEvent(tx, r.caseId, null, 'release.deferral_ended', {
      actorId: me.userId,
      at: now,
      data: { dueAt: dueAt.toISOString() },
    });
    return row!;
  });
}

/** The bureau's overdue queue: the court's cases whose money is past its 30 (or 10) days. */
export async function overdueReleases(deps: FundDeps, actor: Actor | null) {
  const me = requirePermission(actor, 'read:funds-payment');
  const courtId = courtOf(me);
  return deps.db
    .select({ release: fundReleases, caseNumber: cases.caseNumber })
    .from(fundReleases)
    .innerJoin(cases, eq(cases.id, fundReleases.caseId))
    .where(
      and(
        eq(fundReleases.courtId, courtId),
        isNotNull(fundReleases.overdueAt),
        isNull(fundReleases.releasedAt),
      ),
    )
    .orderBy(asc(fundReleases.dueAt));
}

type Job = { payload: Record<string, unknown> };
type Ctx = { tx: Tx; now: Date };

export const releaseJobHandlers = {
  [RELEASE_JOB]: (job: Job, ctx: Ctx) => releaseDue(ctx.tx, String(job.payload.caseId), ctx.now),
};
