/**
 * What the court's pages read: the case list (filtered by status and type), one case with its
 * lifecycle, measures, 终本 checklist and complaints, and the overdue list. Every read is scoped
 * in scope.ts (a court and the courts below it) and returns what the viewer may do now.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { assets, caseIntervals, caseParties, cases } from '../../db/schema/cases.js';
import { organisations, users } from '../../db/schema/identity.js';
import { affordancesOf } from '../affordances.js';
import type { Actor } from '../identity/permissions.js';
import { can, courtOf, requirePermission } from '../identity/permissions.js';
import { containing, keysetCursor, keysetPage, olderThan } from '../keyset.js';
import { complaintsOf, openComplaints } from './complaints.js';
import type { CaseDeps } from './deps.js';
import { type ClockFacts, clockFactsOf, limitOf } from './lifecycle.js';
import { measuresOf } from './measures.js';
import { decideCaseActions, decideCaseListActions } from './rules.js';
import { CaseListQuerySchema } from './schemas.js';
import { caseToRead, readableCases } from './scope.js';
import { beijingDateOf } from './time-limit.js';
import { type Checklist, zhongbenChecklist } from './zhongben.js';

/** A suspension or postponement is running: the case is 中止 or 暂缓 now. */
const runningStop = sql<boolean>`exists (select 1 from ${caseIntervals} i where i.case_id = cases.id
  and i.kind in ('suspension', 'postponement') and i.ends_on is null)`;

const listColumns = {
  id: cases.id,
  courtId: cases.courtId,
  caseNumber: cases.caseNumber,
  caseType: cases.caseType,
  titleKind: cases.titleKind,
  basis: cases.basis,
  amountOwedFen: cases.amountOwedFen,
  status: cases.status,
  closureMode: cases.closureMode,
  filedOn: cases.filedOn,
  closedOn: cases.closedOn,
  dueOn: cases.dueOn,
  createdAt: cases.createdAt,
  stopped: runningStop,
  assetCount: sql<number>`(select count(*)::int from assets a where a.case_id = cases.id)`,
};

/** A case whose number or one of whose parties' names contains the words searched for. */
function matching(q: string) {
  const like = containing(q);
  return sql`(cases.case_number ilike ${like} or exists (
    select 1 from case_parties p where p.case_id = cases.id and p.name ilike ${like}))`;
}

/** The open cases past their stored due date (never later than the true one), recomputed exactly. */
async function overdueCases(deps: CaseDeps, actor: Actor, today: string) {
  const candidates = await deps.db
    .select()
    .from(cases)
    .where(and(readableCases(actor), isNull(cases.closureMode), lt(cases.dueOn, today)))
    .orderBy(asc(cases.dueOn))
    .limit(2_000);
  const facts = await clockFactsOf(
    deps.db,
    candidates.map((c) => c.id),
  );
  const now = deps.clock();
  return candidates
    .map((c) => ({ c, limit: limitOf(c, facts.get(c.id)!, now) }))
    .filter((x) => x.limit?.overdue)
    .map(({ c, limit }) => ({ ...c, limit: limit! }))
    .sort((a, b) => (a.limit.dueOn < b.limit.dueOn ? -1 : 1));
}

/** Cases on a page of the court's list. */
export const CASE_PAGE = 20;

/**
 * The court's cases, newest first, found by number, party, status and type; keyset pages (ADR 030)
 * with the total of the filtered set; `limit: null` is the whole filtered set (the CSV).
 */
export async function listCases(
  deps: CaseDeps,
  actor: Actor,
  filter: { before?: string; status?: string; type?: string; q?: string } = {},
  limit: number | null = CASE_PAGE,
) {
  requirePermission(actor, 'read:case');
  const query = CaseListQuerySchema.parse(filter);
  const now = deps.clock();
  const today = beijingDateOf(now);
  const ownCourt = courtOf(actor);
  const filters: (SQL | undefined)[] = [
    readableCases(actor),
    query.type ? eq(cases.caseType, query.type) : undefined,
    query.q ? matching(query.q) : undefined,
  ];
  if (query.status === 'open') filters.push(isNull(cases.closureMode));
  if (query.status === 'suspended') filters.push(isNull(cases.closureMode), runningStop);
  if (query.status === 'zhongben') filters.push(eq(cases.closureMode, 'terminated_for_now'));
  if (query.status === 'closed') filters.push(isNotNull(cases.closureMode));
  if (query.status === 'overdue') {
    const overdue = await overdueCases(deps, actor, today);
    filters.push(
      overdue.length
        ? inArray(
            cases.id,
            overdue.map((c) => c.id),
          )
        : sql`false`,
    );
  }
  const where = and(...filters);
  // Keyed on created_at, which never moves: a case filed between two loads is above the cursor
  // and can neither repeat nor push one off the next page.
  const read = deps.db
    .select(listColumns)
    .from(cases)
    .where(and(where, olderThan(cases.createdAt, cases.id, query.before)))
    .orderBy(desc(cases.createdAt), desc(cases.id));
  const [found, [total]] = await Promise.all([
    limit === null ? read : read.limit(limit + 1),
    deps.db.select({ n: sql<number>`count(*)::int` }).from(cases).where(where),
  ]);
  const page = keysetPage(found, limit, (r) => keysetCursor(r.createdAt, r.id));
  const facts = await clockFactsInChunks(
    deps,
    page.rows.map((r) => r.id),
  );
  const courts = await courtNames(deps, [...new Set(page.rows.map((r) => r.courtId))]);
  return {
    rows: page.rows.map((r) => ({
      ...r,
      court: r.courtId === ownCourt ? null : (courts.get(r.courtId) ?? null),
      limit: r.closureMode === null ? limitOf(r, facts.get(r.id)!, now) : null,
    })),
    total: total?.n ?? 0,
    next: page.next,
    filters: { status: query.status ?? null, type: query.type ?? null, q: query.q ?? null },
    can: affordancesOf(decideCaseListActions(actor)),
  };
}

/** The clock facts of every case of an export, a few thousand ids a query (a query binds at most 65,535). */
async function clockFactsInChunks(deps: CaseDeps, ids: string[]) {
  const out = new Map<string, ClockFacts>();
  for (let i = 0; i < ids.length; i += 5_000)
    for (const [id, f] of await clockFactsOf(deps.db, ids.slice(i, i + 5_000))) out.set(id, f);
  return out;
}

async function courtNames(deps: CaseDeps, ids: string[]) {
  if (ids.length === 0) return new Map<string, { code: string; nameZh: string; nameEn: string }>();
  const rows = await deps.db
    .select({
      id: organisations.id,
      code: organisations.code,
      nameZh: organisations.nameZh,
      nameEn: organisations.nameEn,
    })
    .from(organisations)
    .where(inArray(organisations.id, ids));
  return new Map(rows.map(({ id, ...o }) => [id, o]));
}

export async function getCase(deps: CaseDeps, actor: Actor, caseId: string) {
  requirePermission(actor, 'read:case');
  const row = await caseToRead(deps.db, actor, caseId);
  const now = deps.clock();
  const today = beijingDateOf(now);
  const [parties, assetRows, facts, measures, complaints, links] = await Promise.all([
    deps.db.select().from(caseParties).where(eq(caseParties.caseId, row.id)),
    deps.db.select().from(assets).where(eq(assets.caseId, row.id)).orderBy(assets.createdAt),
    clockFactsOf(deps.db, [row.id]).then((m) => m.get(row.id)!),
    measuresOf(deps.db, row.id),
    complaintsOf(deps, actor, row.id),
    deps.db
      .select({ id: cases.id, caseNumber: cases.caseNumber, resumedFromId: cases.resumedFromId })
      .from(cases)
      .where(
        or(eq(cases.resumedFromId, row.id), row.resumedFromId ? eq(cases.id, row.resumedFromId) : sql`false`),
      ),
  ]);
  const resumedBy = links.find((l) => l.resumedFromId === row.id) ?? null;
  const resumedFrom = links.find((l) => l.id === row.resumedFromId) ?? null;
  const limit = limitOf(row, facts, now);
  // Open: the checklist as of today; closed as 终本: the one it was closed on.
  const checklist: Checklist | null =
    row.closureMode === null
      ? zhongbenChecklist({ filedOn: row.filedOn, on: today, measures })
      : ((row.closureChecklist as Checklist | null) ?? null);
  const decisions = decideCaseActions(actor, row, { resumed: !!resumedBy });
  const staffIds = [
    ...new Set(
      [
        ...measures.map((m) => m.takenBy),
        ...facts.extensions.map((e) => e.approvedBy),
        ...complaints.flatMap((c) => [c.assignedTo, c.receivedBy, c.settledBy]),
        row.closedBy,
      ].filter((x): x is string => !!x),
    ),
  ];
  const [staff, colleagues, court] = await Promise.all([
    staffIds.length
      ? deps.db
          .select({ id: users.id, realName: users.realName })
          .from(users)
          .where(inArray(users.id, staffIds))
      : Promise.resolve([]),
    // Whom a complaint may be assigned to: the court's staff, for those who manage complaints.
    can(actor, 'manage:complaint') && row.courtId === courtOf(actor)
      ? deps.db
          .select({ id: users.id, realName: users.realName })
          .from(users)
          .where(and(eq(users.organisationId, row.courtId), eq(users.disabled, false)))
          .orderBy(asc(users.realName))
      : Promise.resolve([]),
    courtNames(deps, [row.courtId]).then((m) => m.get(row.courtId)!),
  ]);
  return {
    ...row,
    court,
    readOnly: row.courtId !== courtOf(actor),
    parties,
    assets: assetRows,
    limit,
    intervals: facts.intervals.map((i) => ({
      ...i,
      running: i.end === null || i.end > today,
      canEnd: decisions.manageIntervals === null && i.id !== null && i.end === null,
    })),
    extensions: facts.extensions,
    measures,
    checklist,
    complaints,
    colleagues,
    resumedFrom,
    resumedBy,
    resumptionMeasure: row.resumptionMeasureId
      ? (measures.find((m) => m.id === row.resumptionMeasureId) ?? null)
      : null,
    staffNames: Object.fromEntries(staff.map((s) => [s.id, s.realName])),
    today,
    can: affordancesOf(decisions),
  };
}

/** The court's to-do list: overdue cases, 终本 cases whose re-search found property, open complaints. */
export async function overdueView(deps: CaseDeps, actor: Actor) {
  requirePermission(actor, 'read:case');
  const today = beijingDateOf(deps.clock());
  const [overdue, resumptions, complaints] = await Promise.all([
    overdueCases(deps, actor, today),
    deps.db
      .select({
        id: cases.id,
        caseNumber: cases.caseNumber,
        courtId: cases.courtId,
        closedOn: cases.closedOn,
        resumptionDueOn: cases.resumptionDueOn,
      })
      .from(cases)
      .where(and(readableCases(actor), isNotNull(cases.resumptionDueOn)))
      .orderBy(asc(cases.resumptionDueOn))
      .limit(200),
    openComplaints(deps, actor),
  ]);
  const ownCourt = courtOf(actor);
  const courts = await courtNames(deps, [
    ...new Set([...overdue.map((c) => c.courtId), ...resumptions.map((c) => c.courtId)]),
  ]);
  const courtOfRow = (id: string) => (id === ownCourt ? null : (courts.get(id) ?? null));
  return {
    today,
    cases: overdue.map((c) => ({
      id: c.id,
      caseNumber: c.caseNumber,
      caseType: c.caseType,
      court: courtOfRow(c.courtId),
      filedOn: c.filedOn,
      dueOn: c.limit.dueOn,
      daysOverdue: -(c.limit.daysLeft ?? 0),
      excludedDays: c.limit.excludedDays,
    })),
    resumptions: resumptions.map((r) => ({
      ...r,
      court: courtOfRow(r.courtId),
      overdue: r.resumptionDueOn! < today,
    })),
    complaints,
  };
}
