/**
 * Service of the plan and the objection procedure (民诉法解释 arts. 509-510): each recipient has
 * 15 days from his own service to object in writing; the others are told and have 15 days to
 * oppose; unopposed, the plan is revised as the objection asks (the clerk drafts it again);
 * opposed, the objector has 15 days to sue; no suit, the plan stands; in suit, the disputed
 * amount is set aside (提存) while the rest is paid. Every clock is a durable job; the plan is
 * final once every recipient's period has run out and no objection is still open.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { caseParties } from '../../db/schema/cases.js';
import {
  type FundObjection,
  type FundObjectionStatus,
  type FundPlan,
  fundClaims,
  fundObjections,
  fundPlanLines,
  fundPlanRecipients,
  fundPlans,
} from '../../db/schema/funds.js';
import { requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, can, courtIdOf, requireActor, requirePermission } from '../identity/permissions.js';
import { cancelJob, scheduleJob } from '../jobs/schedule.js';
import { ensureAccount, post } from '../ledger/ledger.js';
import { notify } from '../notifications/service.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import type { FundDeps } from './deps.js';
import { settleIfPaid } from './paid.js';
import {
  beijingDay,
  beijingMidnight,
  decideObjectionActions,
  decidePlanActions,
  fundAccounts,
  OBJECTION_DAYS,
  OPPOSITION_DAYS,
  objectionInTime,
  periodEnd,
  SUIT_DAYS,
} from './rules.js';
import { ObjectionSchema, ServeSchema, SuitDecisionSchema } from './schemas.js';
import { fundEvent, lockPlan, lockPlanById, movePlan, type Step } from './transitions.js';

export const FUND_JOBS = {
  objectionPeriod: 'funds.objection-period',
  oppositionDue: 'funds.opposition-due',
  suitDue: 'funds.suit-due',
} as const;

const recipientKey = (id: string) => `fund-recipient:${id}:objections`;
const oppositionKey = (id: string) => `fund-objection:${id}:opposition`;
const suitKey = (id: string) => `fund-objection:${id}:suit`;

async function unservedCount(tx: Tx, planId: string) {
  const rows = await tx.select().from(fundPlanRecipients).where(eq(fundPlanRecipients.planId, planId));
  return rows.filter((r) => r.servedOn === null).length;
}

/** The clerk records the day the plan reached its recipients (all not yet served, or those named). */
export async function servePlan(deps: FundDeps, actor: Actor | null, planId: string, input: unknown) {
  const me = requirePermission(actor, 'manage:funds');
  const { servedOn, partyIds } = parseInput(ServeSchema, input);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const p = await lockPlan(tx, me, planId);
    requireAllowed(decidePlanActions(me, p, { unserved: await unservedCount(tx, p.id) }), 'serve');
    if (servedOn > beijingDay(now)) throw validationError({ servedOn: ['funds.validation.inFuture'] });
    if (servedOn < beijingDay(p.draftedAt))
      throw validationError({ servedOn: ['funds.validation.beforeDraft'] });
    const recipients = await tx
      .select()
      .from(fundPlanRecipients)
      .where(eq(fundPlanRecipients.planId, p.id))
      .for('update');
    const chosen = recipients.filter(
      (r) => r.servedOn === null && (!partyIds || partyIds.includes(r.partyId)),
    );
    if (chosen.length === 0) throw validationError({ partyIds: ['funds.validation.nobodyToServe'] });
    for (const r of chosen) {
      // Art. 509: 15 days from his own service; the 15th day counts whole.
      const dueAt = periodEnd(servedOn, now, OBJECTION_DAYS, deps.profile.durations.day);
      await tx
        .update(fundPlanRecipients)
        .set({ servedOn, objectionDueAt: dueAt })
        .where(eq(fundPlanRecipients.id, r.id));
      await scheduleJob(tx, {
        kind: FUND_JOBS.objectionPeriod,
        key: recipientKey(r.id),
        runAt: dueAt,
        payload: { planId: p.id },
      });
      // The party who follows his case online hears of it, with his deadline.
      const [party] = await tx
        .select({ userId: caseParties.userId })
        .from(caseParties)
        .where(eq(caseParties.id, r.partyId));
      if (party?.userId)
        await notify(tx, {
          userId: party.userId,
          kind: 'fundPlanServed',
          params: { number: p.number, day: beijingDay(new Date(dueAt.getTime() - 1)) },
          link: '/me/funds',
          dedupeKey: `fund-recipient:${r.id}:served`,
          at: now,
        });
      await fundEvent(tx, p.caseId, p.id, 'recipient.served', {
        actorId: me.userId,
        at: now,
        data: { name: r.name, servedOn, dueAt: dueAt.toISOString() },
      });
    }
    const step = { actorId: me.userId, at: now, data: { servedOn } };
    return p.status === 'draft' ? movePlan(tx, p, 'served', {}, step) : p;
  });
}

/**
 * An objection to a line of the plan: by the recipient himself (a signed-in party), in time by
 * the server clock; or recorded by the clerk for a written objection received on a day, which
 * counts when that day is within the party's 15 days.
 */
export async function fileObjection(deps: FundDeps, actor: Actor | null, planId: string, input: unknown) {
  const me = requireActor(actor);
  const data = parseInput(ObjectionSchema, input);
  const now = deps.clock();
  if (!isUuid(planId)) throw notFound();
  return deps.db.transaction(async (tx) => {
    const [p] = await tx.select().from(fundPlans).where(eq(fundPlans.id, planId)).for('update');
    if (!p) throw notFound();
    const staff = courtIdOf(me) === p.courtId && can(me, 'manage:funds');
    const recipients = await tx.select().from(fundPlanRecipients).where(eq(fundPlanRecipients.planId, p.id));
    let recipient: (typeof recipients)[number] | undefined;
    let receivedAt = now;
    if (staff) {
      recipient = recipients.find((r) => r.partyId === data.partyId);
      if (!recipient) throw validationError({ partyId: ['funds.validation.party'] });
      if (data.receivedOn) {
        if (data.receivedOn > beijingDay(now))
          throw validationError({ receivedOn: ['funds.validation.inFuture'] });
        receivedAt = beijingMidnight(data.receivedOn);
        if (receivedAt > now) receivedAt = now;
      }
    } else {
      const mine = await tx
        .select({ id: caseParties.id })
        .from(caseParties)
        .where(and(eq(caseParties.caseId, p.caseId), eq(caseParties.userId, me.userId)));
      recipient = recipients.find((r) => mine.some((m) => m.id === r.partyId));
      if (!recipient) throw notFound();
    }
    if (p.status !== 'served' || !objectionInTime(receivedAt, recipient.objectionDueAt))
      throw new DomainError('conflict', 'funds.errors.objectionLate');
    const [line] = await tx
      .select()
      .from(fundPlanLines)
      .where(and(eq(fundPlanLines.id, data.lineId), eq(fundPlanLines.planId, p.id)));
    if (!line) throw validationError({ lineId: ['funds.validation.line'] });
    if (data.disputed > line.allocatedFen - line.setAsideFen)
      throw validationError({ disputed: ['funds.validation.aboveLine'] });
    const oppositionDueAt = periodEnd(beijingDay(now), now, OPPOSITION_DAYS, deps.profile.durations.day);
    const [o] = await tx
      .insert(fundObjections)
      .values({
        planId: p.id,
        recipientId: recipient.id,
        lineId: line.id,
        disputedFen: data.disputed,
        reason: data.reason,
        status: 'filed',
        filedAt: receivedAt,
        filedBy: me.userId,
        oppositionDueAt,
      })
      .returning();
    await scheduleJob(tx, {
      kind: FUND_JOBS.oppositionDue,
      key: oppositionKey(o!.id),
      runAt: oppositionDueAt,
      payload: { objectionId: o!.id },
    });
    await objectionStep(tx, p, o!, 'filed', {
      actorId: me.userId,
      at: now,
      amountFen: data.disputed,
      data: { name: recipient.name, receivedOn: beijingDay(receivedAt) },
    });
    return o!;
  });
}

async function objectionStep(tx: Tx, p: FundPlan, o: FundObjection, status: FundObjectionStatus, step: Step) {
  await fundEvent(tx, p.caseId, p.id, `objection.${status}`, {
    ...step,
    data: { objectionId: o.id, ...step.data },
  });
  await recordAudit(tx, {
    actorId: step.actorId,
    action: `fund_objection.${status}`,
    entityType: 'fund_objection',
    entityId: o.id,
    data: { planId: p.id, from: o.status, ...step.data },
  });
}

async function lockObjection(tx: Tx, actor: Actor, objectionId: string) {
  if (!isUuid(objectionId)) throw notFound();
  const [o] = await tx.select().from(fundObjections).where(eq(fundObjections.id, objectionId)).for('update');
  if (!o) throw notFound();
  const p = await lockPlan(tx, actor, o.planId);
  return { o, p };
}

async function moveObjection(
  tx: Tx,
  p: FundPlan,
  o: FundObjection,
  to: FundObjectionStatus,
  patch: Partial<FundObjection>,
  step: Step,
) {
  const [updated] = await tx
    .update(fundObjections)
    .set({ ...patch, status: to })
    .where(and(eq(fundObjections.id, o.id), eq(fundObjections.status, o.status)))
    .returning();
  if (!updated) throw new DomainError('conflict', 'errors.concurrentChange');
  await objectionStep(tx, p, o, to, step);
  return updated;
}

/** Another party opposed in time (art. 510): the objector has 15 days to sue. */
export async function recordOpposition(deps: FundDeps, actor: Actor | null, objectionId: string) {
  const me = requirePermission(actor, 'manage:funds');
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { o, p } = await lockObjection(tx, me, objectionId);
    requireAllowed(decideObjectionActions(me, p.courtId, o, now), 'recordOpposition');
    const suitDueAt = periodEnd(beijingDay(now), now, SUIT_DAYS, deps.profile.durations.day);
    await cancelJob(tx, oppositionKey(o.id));
    await scheduleJob(tx, {
      kind: FUND_JOBS.suitDue,
      key: suitKey(o.id),
      runAt: suitDueAt,
      payload: { objectionId: o.id },
    });
    return moveObjection(tx, p, o, 'opposed', { suitDueAt }, { actorId: me.userId, at: now });
  });
}

/** The objector sued in time: the disputed amount is set aside (提存) until the suit ends; the rest goes on. */
export async function recordSuit(deps: FundDeps, actor: Actor | null, objectionId: string) {
  const me = requirePermission(actor, 'manage:funds');
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { o, p } = await lockObjection(tx, me, objectionId);
    requireAllowed(decideObjectionActions(me, p.courtId, o, now), 'recordSuit');
    await cancelJob(tx, suitKey(o.id));
    const [line] = await tx.select().from(fundPlanLines).where(eq(fundPlanLines.id, o.lineId)).for('update');
    await tx
      .update(fundPlanLines)
      .set({ setAsideFen: line!.setAsideFen + o.disputedFen })
      .where(eq(fundPlanLines.id, line!.id));
    const moved = await moveObjection(
      tx,
      p,
      o,
      'in_suit',
      {},
      {
        actorId: me.userId,
        at: now,
        amountFen: o.disputedFen,
      },
    );
    await finaliseIfDue(tx, p.id, now);
    return moved;
  });
}

/**
 * The suit's judgment: of the disputed amount, `awarded` goes to the objector's own line, the rest
 * back to the line disputed. After approval the money moves out of the set-aside account too.
 */
export async function decideSuit(deps: FundDeps, actor: Actor | null, objectionId: string, input: unknown) {
  const me = requirePermission(actor, 'manage:funds');
  const { awarded } = parseInput(SuitDecisionSchema, input);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { o, p } = await lockObjection(tx, me, objectionId);
    requireAllowed(decideObjectionActions(me, p.courtId, o, now), 'decideSuit');
    if (awarded > o.disputedFen) throw validationError({ awarded: ['funds.validation.aboveDisputed'] });
    const lines = await tx.select().from(fundPlanLines).where(eq(fundPlanLines.planId, p.id)).for('update');
    const disputed = lines.find((l) => l.id === o.lineId)!;
    const [recipient] = await tx
      .select()
      .from(fundPlanRecipients)
      .where(eq(fundPlanRecipients.id, o.recipientId));
    const objectorClaims = await tx
      .select({ id: fundClaims.id })
      .from(fundClaims)
      .where(eq(fundClaims.partyId, recipient!.partyId));
    const own = lines.find(
      (l) =>
        l.kind === 'claim' && objectorClaims.some((k) => k.id === l.claimId) && l.allocatedFen < l.demandFen,
    );
    if (awarded > 0n && (!own || own.allocatedFen + awarded > own.demandFen))
      throw validationError({ awarded: ['funds.validation.aboveOwn'] });
    await tx
      .update(fundPlanLines)
      .set({
        setAsideFen: disputed.setAsideFen - o.disputedFen,
        allocatedFen: disputed.allocatedFen - awarded,
      })
      .where(eq(fundPlanLines.id, disputed.id));
    if (awarded > 0n)
      await tx
        .update(fundPlanLines)
        .set({ allocatedFen: own!.allocatedFen + awarded })
        .where(eq(fundPlanLines.id, own!.id));
    if (p.status === 'approved') {
      const entries = [{ account: fundAccounts.setAside(p.caseId), amountFen: -o.disputedFen }];
      const back = o.disputedFen - awarded;
      if (back > 0n && disputed.claimId)
        entries.push({ account: fundAccounts.payable(p.caseId, disputed.claimId), amountFen: back });
      if (awarded > 0n)
        entries.push({ account: fundAccounts.payable(p.caseId, own!.claimId!), amountFen: awarded });
      for (const e of entries) await ensureAccount(tx, { code: e.account, kind: 'case_fund' });
      if (entries.length > 1)
        await post(tx, {
          idempotencyKey: `funds:suit:${o.id}`,
          kind: 'funds.suit_decided',
          occurredAt: now,
          entries,
        });
    }
    const moved = await moveObjection(
      tx,
      p,
      o,
      'decided',
      { awardedFen: awarded, decidedAt: now },
      { actorId: me.userId, at: now, amountFen: awarded },
    );
    if (p.status === 'approved') await settleIfPaid(deps, tx, p.id, now, me.userId);
    return moved;
  });
}

/** Every recipient served and past his 15 days, and no objection waiting on the others or on a suit: the plan is final. */
export async function finaliseIfDue(tx: Tx, planId: string, now: Date) {
  const p = await lockPlanById(tx, planId);
  if (p?.status !== 'served') return;
  const recipients = await tx.select().from(fundPlanRecipients).where(eq(fundPlanRecipients.planId, p.id));
  if (recipients.some((r) => !r.objectionDueAt || r.objectionDueAt > now)) return;
  const open = await tx
    .select({ id: fundObjections.id })
    .from(fundObjections)
    .where(and(eq(fundObjections.planId, p.id), inArray(fundObjections.status, ['filed', 'opposed'])));
  if (open.length > 0) return;
  await movePlan(tx, p, 'final', { finalAt: now }, { actorId: null, at: now });
}

async function objectionById(tx: Tx, id: string) {
  const [o] = await tx.select().from(fundObjections).where(eq(fundObjections.id, id)).for('update');
  if (!o) return null;
  const p = await lockPlanById(tx, o.planId);
  return p ? { o, p } : null;
}

/** Nobody opposed in 15 days: the plan is revised as the objection asks (superseded; the clerk drafts again). */
async function oppositionDue(tx: Tx, objectionId: string, now: Date) {
  const found = await objectionById(tx, objectionId);
  if (found?.o.status !== 'filed' || found.o.oppositionDueAt > now) return;
  const { o, p } = found;
  await moveObjection(tx, p, o, 'revised', { decidedAt: now }, { actorId: null, at: now });
  if (p.status === 'served' || p.status === 'final')
    await movePlan(tx, p, 'superseded', {}, { actorId: null, at: now, data: { objectionId: o.id } });
}

/** No suit in 15 days: the original plan stands. */
async function suitDue(tx: Tx, objectionId: string, now: Date) {
  const found = await objectionById(tx, objectionId);
  if (found?.o.status !== 'opposed' || !found.o.suitDueAt || found.o.suitDueAt > now) return;
  await moveObjection(tx, found.p, found.o, 'lapsed', { decidedAt: now }, { actorId: null, at: now });
  await finaliseIfDue(tx, found.p.id, now);
}

type Job = { payload: Record<string, unknown> };
type Ctx = { tx: Tx; now: Date };

export const objectionJobHandlers = {
  [FUND_JOBS.objectionPeriod]: (job: Job, ctx: Ctx) =>
    finaliseIfDue(ctx.tx, String(job.payload.planId), ctx.now),
  [FUND_JOBS.oppositionDue]: (job: Job, ctx: Ctx) =>
    oppositionDue(ctx.tx, String(job.payload.objectionId), ctx.now),
  [FUND_JOBS.suitDue]: (job: Job, ctx: Ctx) => suitDue(ctx.tx, String(job.payload.objectionId), ctx.now),
};
