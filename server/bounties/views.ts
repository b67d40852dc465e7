/**
 * What the bounty pages read (ADR 022): the case's notices and its tips (never their content:
 * that is `tips.ts` `readTip`, logged), the court's desk, and the public notices with only the
 * fields the notice publishes (art. 22).
 */
import { and, asc, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { bountyNotices, bountyTipAccess, bountyTips } from '../../db/schema/bounties.js';
import { cases } from '../../db/schema/cases.js';
import { organisations, users } from '../../db/schema/identity.js';
import { affordancesOf } from '../affordances.js';
import { beijingDateOf } from '../cases/time-limit.js';
import { notFound } from '../errors.js';
import { type Actor, can, courtOf, requirePermission } from '../identity/permissions.js';
import { isUuid } from '../validation.js';
import { decideNoticeActions, decideTipActions } from './affordances.js';
import type { BountyDeps } from './deps.js';
import { isActive } from './rules.js';

/** The case's bounty page: its notices, their tips in arrival order, who read which tip. */
export async function caseBounty(deps: BountyDeps, actor: Actor, caseId: string) {
  requirePermission(actor, 'read:case');
  const c = await deps.cases.getCase(actor, caseId);
  const today = beijingDateOf(deps.clock());
  const notices = await deps.db
    .select()
    .from(bountyNotices)
    .where(eq(bountyNotices.caseId, c.id))
    .orderBy(asc(bountyNotices.createdAt));
  // Art. 23: even the list of tips is the case's court's (a higher court reading the case sees none).
  const ownCourt = !c.readOnly && can(actor, 'manage:bounty');
  const ids = notices.map((n) => n.id);
  const [tips, access] =
    ownCourt && ids.length
      ? await Promise.all([
          deps.db
            .select({
              id: bountyTips.id,
              seq: bountyTips.seq,
              noticeId: bountyTips.noticeId,
              courtId: bountyTips.courtId,
              receivedAt: bountyTips.receivedAt,
              leadKind: bountyTips.leadKind,
              status: bountyTips.status,
              outcome: bountyTips.outcome,
              rewardFen: bountyTips.rewardFen,
            })
            .from(bountyTips)
            .where(inArray(bountyTips.noticeId, ids))
            .orderBy(asc(bountyTips.seq)),
          deps.db
            .select({
              seq: bountyTips.seq,
              at: bountyTipAccess.at,
              purpose: bountyTipAccess.purpose,
              name: users.realName,
            })
            .from(bountyTipAccess)
            .innerJoin(bountyTips, eq(bountyTips.id, bountyTipAccess.tipId))
            .innerJoin(users, eq(users.id, bountyTipAccess.userId))
            .where(inArray(bountyTips.noticeId, ids))
            .orderBy(desc(bountyTipAccess.at))
            .limit(100),
        ])
      : [[], []];
  const debtor = c.parties.find((p) => p.role === 'respondent') ?? null;
  const applicant = c.parties.find((p) => p.role === 'applicant') ?? null;
  return {
    case: {
      id: c.id,
      caseNumber: c.caseNumber,
      status: c.status,
      amountOwedFen: c.amountOwedFen,
      readOnly: c.readOnly,
      debtor: debtor && { name: debtor.name, kind: debtor.kind },
      applicant: applicant && { name: applicant.name },
    },
    today,
    canApply: ownCourt && c.status !== 'concluded',
    notices: notices.map((n) => ({
      ...n,
      active: isActive(n, today),
      tips: tips
        .filter((t) => t.noticeId === n.id)
        .map(({ courtId, ...t }) => ({
          ...t,
          can: affordancesOf(decideTipActions(actor, { courtId, status: t.status })),
        })),
      can: affordancesOf(decideNoticeActions(actor, n)),
    })),
    accessLog: access,
  };
}

/** The court's bounty desk: its notices with their tips waiting for review, nearest decision first. */
export async function courtBounties(deps: BountyDeps, actor: Actor) {
  requirePermission(actor, 'manage:bounty');
  const courtId = courtOf(actor);
  const today = beijingDateOf(deps.clock());
  const rows = await deps.db
    .select({
      id: bountyNotices.id,
      caseId: bountyNotices.caseId,
      caseNumber: cases.caseNumber,
      status: bountyNotices.status,
      debtorName: bountyNotices.debtorName,
      decisionDueOn: bountyNotices.decisionDueOn,
      publishFrom: bountyNotices.publishFrom,
      publishUntil: bountyNotices.publishUntil,
      received: sql<number>`(select count(*)::int from bounty_tips t where t.notice_id = ${bountyNotices.id} and t.status = 'received')`,
      tips: sql<number>`(select count(*)::int from bounty_tips t where t.notice_id = ${bountyNotices.id})`,
    })
    .from(bountyNotices)
    .innerJoin(cases, eq(cases.id, bountyNotices.caseId))
    .where(eq(bountyNotices.courtId, courtId))
    .orderBy(asc(bountyNotices.decisionDueOn));
  return rows.map((r) => ({ ...r, active: isActive(r, today) }));
}

const PUBLIC_FIELDS = {
  id: bountyNotices.id,
  debtorName: bountyNotices.debtorName,
  debtorIdPublished: bountyNotices.debtorIdPublished,
  lastKnownAddress: bountyNotices.lastKnownAddress,
  unpaidFen: bountyNotices.unpaidFen,
  rewardKind: bountyNotices.rewardKind,
  rewardFen: bountyNotices.rewardFen,
  rewardBasisPoints: bountyNotices.rewardBasisPoints,
  capFen: bountyNotices.capFen,
  scope: bountyNotices.scope,
  terms: bountyNotices.terms,
  publishFrom: bountyNotices.publishFrom,
  publishUntil: bountyNotices.publishUntil,
  caseNumber: cases.caseNumber,
  courtZh: organisations.nameZh,
  courtEn: organisations.nameEn,
};

/** The public bounty page: the notices published and inside their period, newest first. */
export async function publicNotices(deps: BountyDeps) {
  const today = beijingDateOf(deps.clock());
  return deps.db
    .select(PUBLIC_FIELDS)
    .from(bountyNotices)
    .innerJoin(cases, eq(cases.id, bountyNotices.caseId))
    .innerJoin(organisations, eq(organisations.id, bountyNotices.courtId))
    .where(
      and(
        eq(bountyNotices.status, 'published'),
        lte(bountyNotices.publishFrom, today),
        gte(bountyNotices.publishUntil, today),
      ),
    )
    .orderBy(desc(bountyNotices.publishFrom), asc(bountyNotices.debtorName))
    .limit(200);
}

/** One public notice, while active; otherwise not found. A fresh key for its tip form. */
export async function publicNotice(deps: BountyDeps, noticeId: string) {
  if (!isUuid(noticeId)) throw notFound();
  const today = beijingDateOf(deps.clock());
  const [row] = await deps.db
    .select({ ...PUBLIC_FIELDS, status: bountyNotices.status })
    .from(bountyNotices)
    .innerJoin(cases, eq(cases.id, bountyNotices.caseId))
    .innerJoin(organisations, eq(organisations.id, bountyNotices.courtId))
    .where(eq(bountyNotices.id, noticeId));
  if (!row || !isActive(row, today)) throw notFound();
  const { status: _s, ...notice } = row;
  return { notice, submissionKey: crypto.randomUUID() };
}
