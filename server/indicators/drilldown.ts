/**
 * The rows behind every figure (ADR 018): for an indicator, a month or the period, and a part (the
 * numerator, the denominator, or the gap between them), the cases (complaints, listings) it
 * counted, with the same conditions as queries.ts; for 终本, those missing one condition of the
 * checklist. Scoped as the dashboard (scope.ts); paged for the page, whole (to a cap) for the CSV.
 */
import { type SQL, sql } from 'drizzle-orm';
import { beijingDateOf } from '../cases/time-limit.js';
import type { Actor } from '../identity/permissions.js';
import { uuidArray } from '../sql-arrays.js';
import { parseInput } from '../validation.js';
import { periodOf } from './dashboard.js';
import type { IndicatorDeps } from './deps.js';
import { countedCase, withinLimitClosed, withinLimitOpenDue } from './queries.js';
import { addMonthsTo, type DrillQuery, DrillQuerySchema, definitionOf, firstDayOf } from './rules.js';
import { viewOf } from './scope.js';

export const PAGE_SIZE = 50;
/** The most rows one CSV carries. */
export const CSV_LIMIT = 100_000;

type Cell = string | number | boolean | null;
export interface DrillRow {
  id: string;
  caseId: string;
  caseNumber: string;
  courtId: string;
  inNum: boolean;
  cells: Record<string, Cell>;
}

const CASE_COLUMNS = [
  'filedOn',
  'closedOn',
  'closureMode',
  'dueOn',
  'netDays',
  'withinLimit',
  'zhongbenQualified',
  'amountOwedFen',
  'recoveredFen',
] as const;

/** The membership of a case in the figure's denominator (den) and numerator (num), for the range. */
function caseMembership(
  q: DrillQuery,
  d: { fromDay: string; toDay: string; today: string; toMonth: string },
  deps: IndicatorDeps,
) {
  const s = deps.settings;
  const closedIn = sql`c.closed_on between ${d.fromDay}::date and ${d.toDay}::date`;
  const counted = countedCase(s);
  let den: SQL;
  let num: SQL;
  switch (q.indicator) {
    case 'accepted':
      den = sql`${counted} and c.filed_on between ${d.fromDay}::date and ${d.toDay}::date`;
      num = sql`true`;
      break;
    case 'closed':
      den = sql`${counted} and ${closedIn}`;
      num = sql`true`;
      break;
    case 'closure_rate':
      // Carried over into the range, or filed in it; closed in it.
      den = sql`${counted} and c.filed_on <= ${d.toDay}::date and (c.closed_on is null or c.closed_on >= ${d.fromDay}::date)`;
      num = closedIn;
      break;
    case 'overdue':
      den = sql`${counted} and c.filed_on <= ${d.toDay}::date and (c.closed_on is null or c.closed_on > ${d.toDay}::date)`;
      num = sql`c.due_on < ${d.toDay}::date and c.due_on < ${d.today}::date`;
      break;
    case 'within_limit':
      den = sql`((${withinLimitClosed(s)} and ${closedIn}) or (${withinLimitOpenDue(s)}
        and c.due_on between ${d.fromDay}::date and least(${d.toDay}::date, ${d.today}::date - 1)))`;
      num = sql`${withinLimitClosed(s)} and c.within_limit`;
      break;
    case 'zhongben_qualified':
      den = sql`${counted} and c.closure_mode = 'terminated_for_now' and ${closedIn}`;
      num = sql`c.zhongben_qualified is true`;
      if (q.condition)
        den = sql`${den} and c.zhongben_qualified is not true and (c.closure_checklist is null or exists (
          select 1 from jsonb_array_elements(c.closure_checklist->'conditions') cond
          where cond->>'key' = ${q.condition} and (cond->>'met')::boolean is not true))`;
      break;
    case 'recovery_rate':
      den = sql`${counted} and ${closedIn}`;
      num = sql`coalesce(c.recovered_fen, 0) > 0`;
      break;
    case 'avg_net_days':
      den = sql`${counted} and ${closedIn} and c.net_days is not null`;
      num = sql`true`;
      break;
    case 'overall_closure': {
      const window = q.window ?? s.overallWindowMonths;
      const start = firstDayOf(addMonthsTo(d.toMonth, 1 - window));
      den = sql`${counted} and c.filed_on between ${start}::date and ${d.toDay}::date`;
      num = sql`c.closure_mode::text = any(${`{${s.actualClosureModes.join(',')}}`}::text[]) and c.closed_on <= ${d.toDay}::date`;
      break;
    }
    case 'funds_held': {
      // Held in the case's account at the range's end; for longer than the limit (first in, first out).
      const held = sql`(select coalesce(sum(e.amount_fen) filter (where (t.occurred_at at time zone 'Asia/Shanghai')::date <= ${d.toDay}::date), 0)
        from ledger_accounts a join ledger_entries e on e.account_id = a.id join ledger_transactions t on t.id = e.transaction_id
        where a.code = 'case:' || c.id::text)`;
      const old = sql`(select coalesce(sum(e.amount_fen) filter (where (t.occurred_at at time zone 'Asia/Shanghai')::date <= ${d.toDay}::date - ${s.fundsHeldDays}::int), 0)
          + coalesce(sum(e.amount_fen) filter (where e.amount_fen < 0 and (t.occurred_at at time zone 'Asia/Shanghai')::date > ${d.toDay}::date - ${s.fundsHeldDays}::int
            and (t.occurred_at at time zone 'Asia/Shanghai')::date <= ${d.toDay}::date), 0)
        from ledger_accounts a join ledger_entries e on e.account_id = a.id join ledger_transactions t on t.id = e.transaction_id
        where a.code = 'case:' || c.id::text)`;
      den = sql`${held} > 0`;
      num = sql`${old} > 0`;
      break;
    }
    default:
      throw new Error(`not a case indicator: ${q.indicator}`);
  }
  return { den, num };
}

/** The rows of one figure's part; `limit` null: all of them (to the CSV's cap). */
export async function drillDown(
  deps: IndicatorDeps,
  actor: Actor,
  input: unknown,
  opts: { all?: boolean } = {},
) {
  const q = parseInput(DrillQuerySchema, input);
  const { view, courts } = await viewOf(deps, actor, q.court);
  const today = beijingDateOf(deps.clock());
  const period = periodOf({ from: q.from, to: q.to }, today);
  const d = { fromDay: period.fromDay, toDay: period.toDay, today, toMonth: period.to };
  const ids = uuidArray(courts.map((c) => c.id));
  const limit = opts.all ? CSV_LIMIT : PAGE_SIZE;
  const offset = opts.all ? 0 : (q.page - 1) * PAGE_SIZE;
  const def = definitionOf(q.indicator);
  // A condition that is null (an unknown column) is not met: the gap is what is not surely in the numerator.
  const partOf = (num: SQL) =>
    q.part === 'num'
      ? sql`coalesce((${num}), false)`
      : q.part === 'gap'
        ? sql`not coalesce((${num}), false)`
        : sql`true`;

  let columns: readonly string[];
  let rows: DrillRow[];
  let total: number;
  if (def.subject === 'case') {
    const m = caseMembership(q, d, deps);
    const where = sql`c.court_id = any(${ids}) and (${m.den}) and ${partOf(m.num)}`;
    // A page holds the latest filed: the filing day of its last row comes from the covering index
    // alone (the conditions are on its columns), so only the rows filed since are read from the
    // table, not all of them (a province's 终本 closures over four years: 30,000). The rows from that
    // day on are a prefix of the order, ties included, so the page is the same.
    const recent = opts.all
      ? sql`true`
      : sql`c.filed_on >= coalesce((select c.filed_on from cases c where ${where}
          order by c.filed_on desc offset ${offset + limit - 1} limit 1), '-infinity'::date)`;
    const [found, [count]] = await Promise.all([
      deps.db.execute<{
        id: string;
        case_number: string;
        court_id: string;
        in_num: boolean;
        filed_on: string;
        closed_on: string | null;
        closure_mode: string | null;
        due_on: string | null;
        net_days: number | null;
        within_limit: boolean | null;
        zhongben_qualified: boolean | null;
        amount_owed_fen: bigint;
        recovered_fen: bigint | null;
      }>(sql`
        select c.id, c.case_number, c.court_id, coalesce((${m.num}), false) as in_num, to_char(c.filed_on, 'YYYY-MM-DD') as filed_on,
          to_char(c.closed_on, 'YYYY-MM-DD') as closed_on, c.closure_mode, to_char(c.due_on, 'YYYY-MM-DD') as due_on,
          c.net_days, c.within_limit, c.zhongben_qualified, c.amount_owed_fen, c.recovered_fen
        from cases c where ${where} and ${recent}
        order by c.filed_on desc, c.case_number limit ${limit} offset ${offset}`),
      deps.db.execute<{ n: number }>(sql`select count(*)::int as n from cases c where ${where}`),
    ]);
    columns = CASE_COLUMNS;
    total = count?.n ?? 0;
    rows = found.map((r) => ({
      id: r.id,
      caseId: r.id,
      caseNumber: r.case_number,
      courtId: r.court_id,
      inNum: r.in_num,
      cells: {
        filedOn: r.filed_on,
        closedOn: r.closed_on,
        closureMode: r.closure_mode,
        dueOn: r.due_on,
        netDays: r.net_days,
        withinLimit: r.within_limit,
        zhongbenQualified: r.zhongben_qualified,
        amountOwedFen: r.amount_owed_fen.toString(),
        recoveredFen: r.recovered_fen?.toString() ?? null,
      },
    }));
  } else if (def.subject === 'complaint') {
    const s = deps.settings;
    const den = sql`k.court_id = any(${ids}) and (k.settled_on between ${d.fromDay}::date and ${d.toDay}::date
      or (k.settled_on is null and k.due_on between ${d.fromDay}::date and least(${d.toDay}::date, ${today}::date - 1)))`;
    const num = sql`(k.settled_on is not null and (${!s.complaintsOnTimeOnly} or k.settled_on <= k.due_on))`;
    const where = sql`${den} and ${partOf(num)}`;
    const [found, [count]] = await Promise.all([
      deps.db.execute<{
        id: string;
        case_id: string;
        case_number: string;
        court_id: string;
        in_num: boolean;
        received_on: string;
        due_on: string;
        settled_on: string | null;
        status: string;
        complainant: string;
      }>(sql`
        select k.id, k.case_id, c.case_number, k.court_id, coalesce(${num}, false) as in_num, to_char(k.received_on, 'YYYY-MM-DD') as received_on,
          to_char(k.due_on, 'YYYY-MM-DD') as due_on, to_char(k.settled_on, 'YYYY-MM-DD') as settled_on, k.status, k.complainant
        from case_complaints k join cases c on c.id = k.case_id where ${where}
        order by k.due_on desc, c.case_number limit ${limit} offset ${offset}`),
      deps.db.execute<{ n: number }>(sql`select count(*)::int as n from case_complaints k where ${where}`),
    ]);
    columns = ['receivedOn', 'complaintDueOn', 'settledOn', 'complaintStatus', 'complainant'];
    total = count?.n ?? 0;
    rows = found.map((r) => ({
      id: r.id,
      caseId: r.case_id,
      caseNumber: r.case_number,
      courtId: r.court_id,
      inNum: r.in_num,
      cells: {
        receivedOn: r.received_on,
        complaintDueOn: r.due_on,
        settledOn: r.settled_on,
        complaintStatus: r.status,
        complainant: r.complainant,
      },
    }));
  } else {
    const announced = sql`(l.announce_at at time zone 'Asia/Shanghai')::date`;
    const ended = sql`(l.ended_at at time zone 'Asia/Shanghai')::date`;
    const den =
      q.indicator === 'auctions_listed'
        ? sql`l.status not in ('draft', 'pending_approval') and ${announced} between ${d.fromDay}::date and ${d.toDay}::date`
        : sql`l.outcome is not null and ${ended} between ${d.fromDay}::date and ${d.toDay}::date`;
    const num =
      q.indicator === 'auctions_failed'
        ? sql`l.outcome = 'failed'`
        : q.indicator === 'auctions_defaulted'
          ? sql`l.outcome = 'defaulted'`
          : sql`true`;
    const where = sql`l.court_id = any(${ids}) and l.kind = 'auction' and ${den} and ${partOf(num)}`;
    const [found, [count]] = await Promise.all([
      deps.db.execute<{
        id: string;
        case_id: string;
        case_number: string;
        court_id: string;
        in_num: boolean;
        title: string;
        announced: string;
        ended: string | null;
        status: string;
        outcome: string | null;
      }>(sql`
        select l.id, l.case_id, c.case_number, l.court_id, coalesce(${num}, false) as in_num, l.title,
          to_char(${announced}, 'YYYY-MM-DD') as announced, to_char(${ended}, 'YYYY-MM-DD') as ended, l.status, l.outcome
        from listings l join cases c on c.id = l.case_id where ${where}
        order by l.announce_at desc limit ${limit} offset ${offset}`),
      deps.db.execute<{ n: number }>(sql`select count(*)::int as n from listings l where ${where}`),
    ]);
    columns = ['listingTitle', 'announcedOn', 'endedOn', 'listingStatus', 'listingOutcome'];
    total = count?.n ?? 0;
    rows = found.map((r) => ({
      id: r.id,
      caseId: r.case_id,
      caseNumber: r.case_number,
      courtId: r.court_id,
      inNum: r.in_num,
      cells: {
        listingTitle: r.title,
        announcedOn: r.announced,
        endedOn: r.ended,
        listingStatus: r.status,
        listingOutcome: r.outcome,
      },
    }));
  }
  const courtById = new Map(courts.map((c) => [c.id, c]));
  return {
    query: { ...q, from: period.from, to: period.to },
    indicator: def,
    view,
    columns,
    rows: rows.map((r) => ({ ...r, court: courtById.get(r.courtId) ?? null })),
    total,
    page: q.page,
    pageSize: PAGE_SIZE,
    today,
  };
}
