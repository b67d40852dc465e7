/** The claim queue and the claim page, scoped to the viewer (common.ts `claimScope`). */
import { and, asc, eq, ilike, inArray, lte, or, sql } from 'drizzle-orm';
import {
  aidClaimDocuments,
  aidClaimEvents,
  aidClaims,
  aidPolicies,
  aidRecoveries,
} from '../../db/schema/aid.js';
import { cases } from '../../db/schema/cases.js';
import { organisations, users } from '../../db/schema/identity.js';
import { affordancesOf, type Decisions } from '../affordances.js';
import { IN_FLIGHT } from '../disbursements/rules.js';
import { notFound } from '../errors.js';
import { type Actor, permissionRefusal, requirePermission } from '../identity/permissions.js';
import { containing, keysetPage } from '../keyset.js';
import { isUuid, parseInput } from '../validation.js';
import { decideClaimActions, decideRecoveryActions } from './claim-actions.js';
import { claimScope, remainingLimits, viewerOf } from './common.js';
import type { AidDeps } from './deps.js';
import { asAidPayment } from './payouts.js';
import { committeeThreshold } from './policies.js';
import {
  AID_PURPOSE,
  AWAITING_DECISION,
  CLAIM_STATUSES,
  formulaFromJson,
  isOverdue,
  missingDocuments,
  unscheduledFen,
} from './rules.js';
import { ClaimFilterSchema } from './schemas.js';

const PAGE_SIZE = 25;

/** The queue: the actor's claims with filters, counts per status and the overdue ones. */
export type QueueAction = 'file' | 'pay' | 'policies' | 'reports';

/**
 * What the queue offers this viewer besides the claims: filing a new one, and the payment desk,
 * policies and reports, each by the permission its own page checks first.
 */
export function decideQueueActions(actor: Actor): Decisions<QueueAction> {
  return {
    file: permissionRefusal(actor, 'create:aid-claim'),
    pay: permissionRefusal(actor, 'read:aid-payment'),
    policies: permissionRefusal(actor, 'read:aid-policy'),
    reports: permissionRefusal(actor, 'read:aid-report'),
  };
}

/**
 * The queue's order, as a keyset (issue 22): claims awaiting a decision first, then the nearest
 * deadline (none last), then the id. All three ascend, so a page starts after the previous
 * page's last row by one row comparison.
 */
const QUEUE_RANK = sql<number>`(case when ${aidClaims.status} in ('submitted','court_review','committee_review','court_approved','insurer_review') then 0 else 1 end)`;
const QUEUE_DUE = sql`coalesce(${aidClaims.decisionDueAt}, 'infinity'::timestamptz)`;
const queueCursor = (r: { rank: number; decisionDueAt: Date | null; id: string }) =>
  `${r.rank}_${r.decisionDueAt ? r.decisionDueAt.toISOString() : 'infinity'}_${r.id}`;
function afterQueueCursor(c: string | undefined) {
  const [rank, due, id] = (c ?? '').split('_');
  if ((rank !== '0' && rank !== '1') || !due || !id || !isUuid(id)) return undefined;
  if (due !== 'infinity' && Number.isNaN(new Date(due).getTime())) return undefined;
  return sql`(${QUEUE_RANK}, ${QUEUE_DUE}, ${aidClaims.id}) > (${Number(rank)}, ${due}::timestamptz, ${id}::uuid)`;
}

/**
 * The review queue of a court or an insurer, or a creditor's own claims: a search (claim number,
 * applicant, case number), a status, the overdue ones; a page at a time by keyset with the count
 * of the whole filtered set and the counts per status; `limit: null` is every row (the CSV).
 */
export async function listClaims(
  deps: AidDeps,
  actor: Actor,
  input: unknown = {},
  limit: number | null = PAGE_SIZE,
) {
  const { db } = deps;
  const v = viewerOf(actor);
  requirePermission(actor, v.kind === 'creditor' ? 'read:aid-claim:own' : 'read:aid-claim');
  const f = parseInput(ClaimFilterSchema, input);
  const now = deps.clock();
  const scope = claimScope(v);
  const awaiting = inArray(aidClaims.status, [...AWAITING_DECISION]);
  const overdue = and(awaiting, lte(aidClaims.decisionDueAt, now));
  const where = and(
    scope,
    f.status ? eq(aidClaims.status, f.status) : undefined,
    f.overdue ? overdue : undefined,
    f.q
      ? or(
          ilike(aidClaims.number, containing(f.q)),
          ilike(aidClaims.applicantName, containing(f.q)),
          ilike(cases.caseNumber, containing(f.q)),
        )
      : undefined,
  );
  const page = db
    .select({
      id: aidClaims.id,
      number: aidClaims.number,
      status: aidClaims.status,
      applicantName: aidClaims.applicantName,
      caseNumber: cases.caseNumber,
      caseType: aidClaims.caseType,
      requestedFen: aidClaims.requestedFen,
      computedFen: aidClaims.computedFen,
      approvedFen: aidClaims.approvedFen,
      paidFen: aidClaims.paidFen,
      submittedAt: aidClaims.submittedAt,
      decisionDueAt: aidClaims.decisionDueAt,
      updatedAt: aidClaims.updatedAt,
      rank: QUEUE_RANK,
    })
    .from(aidClaims)
    .innerJoin(cases, eq(cases.id, aidClaims.caseId))
    .where(and(where, afterQueueCursor(f.before)))
    // Overdue first (the nearest deadline is the oldest), then the rest by deadline.
    .orderBy(asc(QUEUE_RANK), asc(QUEUE_DUE), asc(aidClaims.id));
  const [rows, [total], counts, [late]] = await Promise.all([
    limit === null ? page : page.limit(limit + 1),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(aidClaims)
      .innerJoin(cases, eq(cases.id, aidClaims.caseId))
      .where(where),
    db
      .select({ status: aidClaims.status, n: sql<number>`count(*)::int` })
      .from(aidClaims)
      .where(scope)
      .groupBy(aidClaims.status),
    db.select({ n: sql<number>`count(*)::int` }).from(aidClaims).where(and(scope, overdue)),
  ]);
  const shown = keysetPage(rows, limit, queueCursor);
  const byStatus = Object.fromEntries(CLAIM_STATUSES.map((s) => [s, 0])) as Record<
    (typeof CLAIM_STATUSES)[number],
    number
  >;
  for (const c of counts) byStatus[c.status] = c.n;
  return {
    filters: f,
    rows: shown.rows.map(({ rank: _, ...r }) => ({ ...r, overdue: isOverdue(r, now) })),
    total: total?.n ?? 0,
    /** The cursor of the next page, when there is one. */
    next: shown.next,
    counts: byStatus,
    overdueCount: late?.n ?? 0,
    serverTime: now,
    can: affordancesOf(decideQueueActions(actor)),
  };
}

/**
 * The claim page: facts, documents, timeline, payments, recoveries, the policy's remaining limit,
 * and what this viewer may do with the claim now (`can`, each recovery's `can`).
 */
export async function getClaim(deps: AidDeps, actor: Actor, id: string) {
  const { db } = deps;
  const v = viewerOf(actor);
  requirePermission(actor, v.kind === 'creditor' ? 'read:aid-claim:own' : 'read:aid-claim');
  if (!isUuid(id)) throw notFound();
  const [row] = await db
    .select({ claim: aidClaims, c: cases, policy: aidPolicies })
    .from(aidClaims)
    .innerJoin(cases, eq(cases.id, aidClaims.caseId))
    .innerJoin(aidPolicies, eq(aidPolicies.id, aidClaims.policyId))
    .where(and(eq(aidClaims.id, id), claimScope(v)));
  if (!row) throw notFound();
  const { claim } = row;
  const [documents, events, disbursed, recoveries, remaining, orgs, threshold] = await Promise.all([
    db
      .select()
      .from(aidClaimDocuments)
      .where(eq(aidClaimDocuments.claimId, claim.id))
      .orderBy(asc(aidClaimDocuments.createdAt)),
    db
      .select()
      .from(aidClaimEvents)
      .where(eq(aidClaimEvents.claimId, claim.id))
      .orderBy(asc(aidClaimEvents.id)),
    deps.disbursements.disbursementsOf(db, AID_PURPOSE, [claim.id]),
    db
      .select()
      .from(aidRecoveries)
      .where(eq(aidRecoveries.claimId, claim.id))
      .orderBy(asc(aidRecoveries.recordedAt)),
    remainingLimits(db, [claim.policyId]),
    db
      .select({ id: organisations.id, nameZh: organisations.nameZh, nameEn: organisations.nameEn })
      .from(organisations)
      .where(inArray(organisations.id, [claim.courtId, claim.insurerId])),
    committeeThreshold(db, claim.courtId),
  ]);
  const payments = disbursed.map(asAidPayment);
  const actorIds = [
    ...new Set(
      [...events.map((e) => e.actorId), ...payments.flatMap((p) => [p.preparedBy, p.approvedBy])].filter(
        (x): x is string => !!x,
      ),
    ),
  ];
  // Names of the staff who acted; a creditor sees roles only (the timeline's action says who decided).
  const staff =
    actorIds.length && v.kind !== 'creditor'
      ? await db
          .select({ id: users.id, realName: users.realName })
          .from(users)
          .where(inArray(users.id, actorIds))
      : [];
  const inFlightFen = payments
    .filter((p) => IN_FLIGHT.includes(p.status))
    .reduce((s, p) => s + p.amountFen, 0n);
  const recoverableFen = claim.paidFen - recoveries.reduce((s, r) => s + r.amountFen, 0n);
  const now = deps.clock();
  const org = (oid: string) => orgs.find((o) => o.id === oid);
  return {
    claim: {
      ...claim,
      accountNumber:
        v.kind === 'creditor' || v.kind === 'court' || v.kind === 'insurer' ? claim.accountNumber : '',
    },
    caseNumber: row.c.caseNumber,
    caseStatus: row.c.status,
    /** The case's 终本 closure, the ground of a `terminated_without_property` claim. */
    zhongben: row.c.closureMode === 'terminated_for_now' ? { closedOn: row.c.closedOn! } : null,
    policy: {
      id: row.policy.id,
      number: row.policy.number,
      formula: formulaFromJson(row.policy.formula),
      remainingFen: remaining.get(claim.policyId) ?? 0n,
      limitFen: row.policy.limitFen,
    },
    court: org(claim.courtId)!,
    insurer: org(claim.insurerId)!,
    committeeThresholdFen: threshold,
    documents: documents.map(({ storageKey: _k, ...d }) => d),
    missingDocuments: missingDocuments(
      claim.caseType,
      claim.eligibility,
      documents.map((d) => d.kind),
    ),
    events,
    payments,
    recoveries: recoveries.map((r) => ({ ...r, can: affordancesOf(decideRecoveryActions(actor, r)) })),
    money: {
      approvedFen: claim.approvedFen,
      paidFen: claim.paidFen,
      inFlightFen,
      releasedFen: claim.releasedFen,
      remainingFen: claim.approvedFen === null ? null : claim.approvedFen - claim.paidFen - claim.releasedFen,
      unscheduledFen: unscheduledFen({ ...claim, inFlightFen }),
      recoverableFen,
    },
    can: affordancesOf(decideClaimActions(actor, claim, { inFlightFen, recoverableFen })),
    overdue: isOverdue(claim, now),
    staffNames: Object.fromEntries(staff.map((s) => [s.id, s.realName])),
    serverTime: now,
    viewer: v.kind,
  };
}
