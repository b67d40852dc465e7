/**
 * Bounty notices (财产调查规定 arts. 21-22; ADR 022): the applicant's written application,
 * recorded by the clerk on the case; the court's decision within 10 days (a judge of the panel
 * or the president); published on the platform for its period; closed early when the court ends it.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type BountyNotice, bountyNotices } from '../../db/schema/bounties.js';
import { organisations } from '../../db/schema/identity.js';
import { requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { beijingDateOf } from '../cases/time-limit.js';
import { publishedIdOf } from '../credit/rules.js';
import { DomainError, forbidden, notFound } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { enqueue } from '../outbox/outbox.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import { decideNoticeActions } from './affordances.js';
import type { BountyDeps } from './deps.js';
import { decisionDueOf, MAX_PERIOD_DAYS, periodDays } from './rules.js';
import { ApplicationSchema, CloseSchema, DecisionSchema } from './schemas.js';

/** The later of two `YYYY-MM-DD` dates (they order as strings). */
const laterDate = (a: string, b: string) => [a, b].sort()[1]!;

const conflict = (key: string) => new DomainError('conflict', `bounties.errors.${key}`);

/** Art. 21: the clerk records the applicant's written application on a case of his court. */
export async function recordApplication(
  deps: BountyDeps,
  actor: Actor,
  caseId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:bounty');
  const data = parseInput(ApplicationSchema, input);
  const c = await deps.cases.getCase(actor, caseId);
  if (c.readOnly) throw forbidden();
  // Art. 21: once the debtor fails to perform, on an enforcement case still open (or 终本, watched).
  if (c.status === 'concluded') throw conflict('caseClosed');
  const now = deps.clock();
  const today = beijingDateOf(now);
  if (data.appliedOn > today) throw validationError({ appliedOn: ['validation.date'] });
  if (data.publishFrom < data.appliedOn)
    throw validationError({ publishFrom: ['bounties.validation.period'] });
  const days = periodDays(data.publishFrom, data.publishUntil);
  if (days < 1 || days > MAX_PERIOD_DAYS)
    throw validationError({ publishUntil: ['bounties.validation.period'] });
  if (data.cap !== undefined && data.rewardKind === 'fixed' && data.cap < data.reward!)
    throw validationError({ cap: ['bounties.validation.cap'] });
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(bountyNotices)
      .values({
        caseId: c.id,
        courtId: c.courtId,
        applicantName: data.applicantName,
        appliedOn: data.appliedOn,
        decisionDueOn: decisionDueOf(data.appliedOn),
        rewardKind: data.rewardKind,
        rewardFen: data.rewardKind === 'fixed' ? Number(data.reward) : null,
        rewardBasisPoints: data.rewardKind === 'percent' ? Math.round(data.percent! * 100) : null,
        capFen: data.cap !== undefined ? Number(data.cap) : null,
        scope: data.scope,
        channels: [...new Set(['platform', ...data.channels])],
        terms: data.terms,
        debtorName: data.debtorName,
        // Published as the national list masks an ID (a company's credit code whole).
        debtorIdPublished: publishedIdOf(data.debtorKind, data.debtorId),
        lastKnownAddress: data.lastKnownAddress,
        unpaidFen: Number(data.unpaid),
        publishFrom: data.publishFrom,
        publishUntil: data.publishUntil,
        preparedBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'bounty.application_recorded',
      entityType: 'bounty_notice',
      entityId: row!.id,
      data: { caseId: c.id },
      requestId,
    });
    return row!;
  });
}

async function noticeToWrite(tx: Tx, actor: Actor, id: string) {
  if (!isUuid(id)) throw notFound();
  const [n] = await tx.select().from(bountyNotices).where(eq(bountyNotices.id, id)).for('update');
  if (!n || n.courtId !== courtOf(actor)) throw notFound();
  return n;
}

async function move(
  tx: Tx,
  n: BountyNotice,
  patch: Partial<typeof bountyNotices.$inferInsert>,
  action: string,
  actor: Actor,
  now: Date,
  requestId?: string,
) {
  const [row] = await tx
    .update(bountyNotices)
    .set({ ...patch, updatedAt: now })
    .where(and(eq(bountyNotices.id, n.id), eq(bountyNotices.status, n.status)))
    .returning();
  if (!row) throw conflict('changed');
  await recordAudit(tx, {
    actorId: actor.userId,
    action,
    entityType: 'bounty_notice',
    entityId: n.id,
    data: { from: n.status, to: row.status },
    requestId,
  });
  return row;
}

/** What an outside subscriber learns of a notice: what the public page shows. */
async function noticeEvent(tx: Tx, n: BountyNotice) {
  const [court] = await tx
    .select({ code: organisations.code, name: organisations.nameZh })
    .from(organisations)
    .where(eq(organisations.id, n.courtId));
  return {
    noticeId: n.id,
    court,
    debtor: { name: n.debtorName, idPublished: n.debtorIdPublished },
    reward: { kind: n.rewardKind, fen: n.rewardFen, basisPoints: n.rewardBasisPoints, capFen: n.capFen },
    scope: n.scope,
    publishFrom: n.publishFrom,
    publishUntil: n.publishUntil,
  };
}

/** Art. 21: the court approves (published for its period) or rejects, with its reason. */
export async function decideApplication(
  deps: BountyDeps,
  actor: Actor,
  noticeId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'decide:bounty');
  const data = parseInput(DecisionSchema, input);
  return deps.db.transaction(async (tx) => {
    const n = await noticeToWrite(tx, actor, noticeId);
    requireAllowed(decideNoticeActions(actor, n), 'decide');
    const now = deps.clock();
    if (data.decision === 'reject')
      return move(
        tx,
        n,
        { status: 'rejected', decidedBy: actor.userId, decidedAt: now, rejectionReason: data.reason },
        'bounty.application_rejected',
        actor,
        now,
        requestId,
      );
    // A period already over cannot be published; one that started before the decision runs from today.
    const today = beijingDateOf(now);
    if (n.publishUntil < today) throw validationError({ publishUntil: ['bounties.validation.period'] });
    const row = await move(
      tx,
      n,
      {
        status: 'published',
        decidedBy: actor.userId,
        decidedAt: now,
        publishFrom: laterDate(n.publishFrom, today),
      },
      'bounty.notice_published',
      actor,
      now,
      requestId,
    );
    await enqueue(tx, {
      topic: 'bounty.notice.published',
      payload: await noticeEvent(tx, row),
      occurredAt: now,
    });
    return row;
  });
}

/** The court ends a notice before its period (the debtor performed, the case closed …). */
export async function closeNotice(
  deps: BountyDeps,
  actor: Actor,
  noticeId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'decide:bounty');
  const data = parseInput(CloseSchema, input);
  return deps.db.transaction(async (tx) => {
    const n = await noticeToWrite(tx, actor, noticeId);
    requireAllowed(decideNoticeActions(actor, n), 'close');
    const now = deps.clock();
    return move(
      tx,
      n,
      { status: 'closed', closedAt: now, closedReason: data.reason },
      'bounty.notice_closed',
      actor,
      now,
      requestId,
    );
  });
}
