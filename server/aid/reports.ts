import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { aidClaims, aidPolicies } from '../../db/schema/aid.js';
import { organisations } from '../../db/schema/identity.js';
import { fenToYuan, toCsv } from '../csv.js';
import { forbidden } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { parseInput } from '../validation.js';
import { claimScope, remainingLimits, viewerOf } from './common.js';
import type { AidDeps } from './deps.js';
import { policyScope } from './policies.js';
import { AID_PURPOSE, beijingDate, monthStart, monthsBetween, nextMonth } from './rules.js';
import { ReportQuerySchema } from './schemas.js';

export interface MonthRow {
  month: string;
  paidFen: bigint;
  payments: number;
  cases: number;
  people: number;
  decided: number;
  approved: number;
  refused: number;
  approvedFen: bigint;
}

/** A person is his platform account when he has one, otherwise his name and masked ID number. */
const PERSON = sql`coalesce(${aidClaims.applicantUserId}::text, ${aidClaims.applicantName} || '|' || coalesce(${aidClaims.applicantIdMasked}, ''))`;
/** Aid payments: the disbursements whose subject is a claim. */
const PAID = sql`disbursements join aid_claims on aid_claims.id = disbursements.subject_id and disbursements.purpose = ${AID_PURPOSE}`;
const MONTH_OF = (col: SQL) => sql`to_char(${col} at time zone 'Asia/Shanghai', 'YYYY-MM')`;

/** Twelve Beijing months ending with `last` (`YYYY-MM`), that one included. */
function twelveMonthsTo(last: string) {
  const [y, m] = last.split('-').map(Number) as [number, number];
  return { from: nextMonth(`${y - 1}-${String(m).padStart(2, '0')}`), to: last };
}

/** The last twelve Beijing months, this one included. */
export function defaultPeriod(deps: AidDeps) {
  return twelveMonthsTo(beijingDate(deps.clock()).slice(0, 7));
}

/**
 * The period a report opens on (issue 22: it opened on months nearly empty while the history
 * lay before them): the twelve months up to the latest month in which aid was paid in the
 * viewer's scope, never past this month; the last twelve months when nothing was ever paid.
 */
async function openingPeriod(deps: AidDeps, scope: SQL | undefined) {
  const thisMonth = beijingDate(deps.clock()).slice(0, 7);
  const [row] = await deps.db.execute<{ last: string | null }>(
    sql`select ${MONTH_OF(sql`max(disbursements.settled_at)`)} as last from ${PAID}
      where disbursements.status = 'confirmed'${scope ? sql` and ${scope}` : sql``}`,
  );
  const last = row?.last && row.last < thisMonth ? row.last : thisMonth;
  return twelveMonthsTo(last);
}

/**
 * Aid reports (issue 5 §6) for a court, an insurer or the platform, over whole Beijing months:
 * aid paid (confirmed payments, by their confirmation date), cases and people paid, average
 * award, approval and rejection rates and time to decision (claims decided in the period),
 * limit used per policy (now), recoveries returned. Each figure is one aggregate query over
 * indexed columns; no row-by-row work in JavaScript.
 */
export async function report(deps: AidDeps, actor: Actor, input: unknown = {}) {
  const { db } = deps;
  requirePermission(actor, 'read:aid-report');
  const v = viewerOf(actor);
  if (v.kind === 'creditor') throw forbidden();
  const raw = Object.fromEntries(
    Object.entries((input ?? {}) as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== ''),
  );
  // A period the reader chose is his; without one, the latest twelve months with aid paid.
  const opening = raw.from || raw.to ? defaultPeriod(deps) : await openingPeriod(deps, claimScope(v));
  const q = parseInput(ReportQuerySchema, { ...opening, ...raw });
  const from = monthStart(q.from);
  const to = monthStart(nextMonth(q.to));
  const scope = and(
    claimScope(v),
    q.courtId && v.kind !== 'court' ? eq(aidClaims.courtId, q.courtId) : undefined,
    q.insurerId && v.kind !== 'insurer' ? eq(aidClaims.insurerId, q.insurerId) : undefined,
  );
  const settled = sql`disbursements.settled_at`;
  const paidWhere = sql`disbursements.status = 'confirmed' and ${settled} >= ${from.toISOString()}::timestamptz and ${settled} < ${to.toISOString()}::timestamptz${scope ? sql` and ${scope}` : sql``}`;
  const decidedWhere = and(
    scope,
    sql`${aidClaims.decidedAt} >= ${from.toISOString()}::timestamptz and ${aidClaims.decidedAt} < ${to.toISOString()}::timestamptz`,
  );
  const paidCols = sql`coalesce(sum(disbursements.amount_fen), 0)::text as paid_fen, count(*)::int as payments,
      count(distinct ${aidClaims.caseId})::int as cases, count(distinct ${PERSON})::int as people`;
  const decidedCols = sql`count(*)::int as decided,
      (count(*) filter (where ${aidClaims.approvedFen} is not null))::int as approved,
      (count(*) filter (where ${aidClaims.status} in ('rejected', 'declined')))::int as refused,
      coalesce(sum(${aidClaims.approvedFen}), 0)::text as approved_fen,
      avg(extract(epoch from ${aidClaims.decidedAt} - ${aidClaims.firstSubmittedAt}) / 86400)::float8 as avg_days,
      (percentile_cont(0.5) within group (order by extract(epoch from ${aidClaims.decidedAt} - ${aidClaims.firstSubmittedAt}) / 86400))::float8 as median_days,
      (count(*) filter (where ${aidClaims.decidedAt} <= ${aidClaims.decisionDueAt}))::int as on_time`;
  type PaidRow = { month?: string; paid_fen: string; payments: number; cases: number; people: number };
  type DecidedRow = {
    month?: string;
    decided: number;
    approved: number;
    refused: number;
    approved_fen: string;
    avg_days: number | null;
    median_days: number | null;
    on_time: number;
  };
  const [paidByMonth, [paidTotal], decidedByMonth, [decidedTotal], [recovered], policyRows, names] =
    await Promise.all([
      db.execute<PaidRow>(sql`select ${MONTH_OF(settled)} as month, ${paidCols}
        from ${PAID}
        where ${paidWhere} group by 1 order by 1`),
      db.execute<PaidRow>(sql`select ${paidCols} from ${PAID} where ${paidWhere}`),
      db.execute<DecidedRow>(sql`select ${MONTH_OF(sql`${aidClaims.decidedAt}`)} as month, ${decidedCols}
        from aid_claims where ${decidedWhere} group by 1 order by 1`),
      db.execute<DecidedRow>(sql`select ${decidedCols} from aid_claims where ${decidedWhere}`),
      db.execute<{
        fen: string;
        n: number;
      }>(sql`select coalesce(sum(aid_recoveries.amount_fen), 0)::text as fen, count(*)::int as n
        from aid_recoveries join aid_claims on aid_claims.id = aid_recoveries.claim_id
        where aid_recoveries.status = 'returned' and aid_recoveries.returned_at >= ${from.toISOString()}::timestamptz
          and aid_recoveries.returned_at < ${to.toISOString()}::timestamptz${scope ? sql` and ${scope}` : sql``}`),
      db
        .select({
          id: aidPolicies.id,
          number: aidPolicies.number,
          courtId: aidPolicies.courtId,
          insurerId: aidPolicies.insurerId,
          startsOn: aidPolicies.startsOn,
          endsOn: aidPolicies.endsOn,
          limitFen: aidPolicies.limitFen,
          premiumFen: aidPolicies.premiumFen,
          awardedInPeriodFen: sql<string>`(select coalesce(sum(c.approved_fen), 0)::text from aid_claims c where c.policy_id = aid_policies.id
            and c.decided_at >= ${from.toISOString()}::timestamptz and c.decided_at < ${to.toISOString()}::timestamptz)`,
        })
        .from(aidPolicies)
        .where(
          and(
            policyScope(v),
            q.courtId && v.kind !== 'court' ? eq(aidPolicies.courtId, q.courtId) : undefined,
            q.insurerId && v.kind !== 'insurer' ? eq(aidPolicies.insurerId, q.insurerId) : undefined,
            // Policies whose term overlaps the period.
            sql`${aidPolicies.startsOn} < ${beijingDate(to)}::date and ${aidPolicies.endsOn} >= ${beijingDate(from)}::date`,
          ),
        )
        .orderBy(aidPolicies.startsOn),
      db
        .select({
          id: organisations.id,
          kind: organisations.kind,
          nameZh: organisations.nameZh,
          nameEn: organisations.nameEn,
        })
        .from(organisations)
        .where(inArray(organisations.kind, ['court', 'insurer'])),
    ]);
  const remaining = await remainingLimits(
    db,
    policyRows.map((p) => p.id),
  );
  const paidMap = new Map(paidByMonth.map((r) => [r.month!, r]));
  const decidedMap = new Map(decidedByMonth.map((r) => [r.month!, r]));
  const months: MonthRow[] = monthsBetween(q.from, q.to).map((month) => {
    const p = paidMap.get(month);
    const d = decidedMap.get(month);
    return {
      month,
      paidFen: BigInt(p?.paid_fen ?? '0'),
      payments: p?.payments ?? 0,
      cases: p?.cases ?? 0,
      people: p?.people ?? 0,
      decided: d?.decided ?? 0,
      approved: d?.approved ?? 0,
      refused: d?.refused ?? 0,
      approvedFen: BigInt(d?.approved_fen ?? '0'),
    };
  });
  const approved = decidedTotal?.approved ?? 0;
  const approvedFen = BigInt(decidedTotal?.approved_fen ?? '0');
  const name = new Map(names.map((n) => [n.id, n]));
  return {
    query: q,
    scope: v.kind,
    totals: {
      paidFen: BigInt(paidTotal?.paid_fen ?? '0'),
      payments: paidTotal?.payments ?? 0,
      cases: paidTotal?.cases ?? 0,
      people: paidTotal?.people ?? 0,
      decided: decidedTotal?.decided ?? 0,
      approved,
      refused: decidedTotal?.refused ?? 0,
      approvedFen,
      /** Integer fen, rounded down. */
      averageAwardFen: approved > 0 ? approvedFen / BigInt(approved) : 0n,
      avgDaysToDecision: decidedTotal?.avg_days ?? null,
      medianDaysToDecision: decidedTotal?.median_days ?? null,
      decidedOnTime: decidedTotal?.on_time ?? 0,
      recoveredFen: BigInt(recovered?.fen ?? '0'),
      recoveries: recovered?.n ?? 0,
    },
    months,
    policies: policyRows.map((p) => {
      const left = remaining.get(p.id) ?? 0n;
      return {
        ...p,
        awardedInPeriodFen: BigInt(p.awardedInPeriodFen),
        remainingFen: left,
        usedFen: p.limitFen - left,
        court: name.get(p.courtId) ?? null,
        insurer: name.get(p.insurerId) ?? null,
      };
    }),
    /** Filters the viewer may use: a court by insurer, an insurer by court, the platform both. */
    courts: v.kind === 'court' ? [] : names.filter((n) => n.kind === 'court'),
    insurers: v.kind === 'insurer' ? [] : names.filter((n) => n.kind === 'insurer'),
  };
}

/** The CSV's column and row names; the page passes them in the reader's language (issue 22). */
export const REPORT_CSV_LABELS = {
  month: 'month',
  paid_yuan: 'paid_yuan',
  payments: 'payments',
  cases: 'cases',
  people: 'people',
  decided: 'decided',
  approved: 'approved',
  refused: 'refused',
  approval_rate_pct: 'approval_rate_pct',
  rejection_rate_pct: 'rejection_rate_pct',
  total: 'total',
  policy: 'policy',
  limit_yuan: 'limit_yuan',
  used_yuan: 'used_yuan',
  remaining_yuan: 'remaining_yuan',
  awarded_in_period_yuan: 'awarded_in_period_yuan',
  starts_on: 'starts_on',
  ends_on: 'ends_on',
};
export type ReportCsvLabels = typeof REPORT_CSV_LABELS;

/** The report as CSV: one row per month, then the totals, then one row per policy. */
export async function reportCsv(
  deps: AidDeps,
  actor: Actor,
  input: unknown = {},
  labels: ReportCsvLabels = REPORT_CSV_LABELS,
) {
  const r = await report(deps, actor, input);
  const l = labels;
  const rate = (n: number, d: number) => (d === 0 ? '' : ((n * 100) / d).toFixed(1));
  const monthRows = r.months.map((m) => [
    m.month,
    fenToYuan(m.paidFen),
    m.payments,
    m.cases,
    m.people,
    m.decided,
    m.approved,
    m.refused,
    rate(m.approved, m.decided),
    rate(m.refused, m.decided),
  ]);
  const t = r.totals;
  const csv = toCsv(
    [
      l.month,
      l.paid_yuan,
      l.payments,
      l.cases,
      l.people,
      l.decided,
      l.approved,
      l.refused,
      l.approval_rate_pct,
      l.rejection_rate_pct,
    ],
    [
      ...monthRows,
      [
        l.total,
        fenToYuan(t.paidFen),
        t.payments,
        t.cases,
        t.people,
        t.decided,
        t.approved,
        t.refused,
        rate(t.approved, t.decided),
        rate(t.refused, t.decided),
      ],
      [],
      [
        l.policy,
        l.limit_yuan,
        l.used_yuan,
        l.remaining_yuan,
        l.awarded_in_period_yuan,
        l.starts_on,
        l.ends_on,
        '',
        '',
        '',
      ],
      ...r.policies.map((p) => [
        p.number,
        fenToYuan(p.limitFen),
        fenToYuan(p.usedFen),
        fenToYuan(p.remainingFen),
        fenToYuan(p.awardedInPeriodFen),
        p.startsOn,
        p.endsOn,
        '',
        '',
        '',
      ]),
    ],
  );
  return { filename: `aid-report-${r.query.from}-${r.query.to}.csv`, csv };
}
