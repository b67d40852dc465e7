/**
 * The SQL behind the dashboard (ADR 018): grouped counts over the case rows, their complaints, the
 * listings and the case accounts of the ledger, by court and Beijing calendar month. No total is
 * stored anywhere: every figure is counted from the rows on every read. The months' stocks (open
 * and overdue cases) and the rolling window are summed from these groups by compute.ts.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { uuidArray } from '../sql-arrays.js';
import type { IndicatorSettings } from './rules.js';

export interface Span {
  courts: readonly string[];
  /** First and last Beijing day of the period. */
  fromDay: string;
  toDay: string;
  /** Today (Beijing): a case due before today and still open is overdue. */
  today: string;
}

const texts = (xs: readonly string[]) => sql`${`{${xs.join(',')}}`}::text[]`;
/**
 * An array parameter of an enum type. Cast straight from the parameter: `text[]::case_type[]`
 * is not folded to a constant (the enum's input function is only stable), so PostgreSQL converted
 * the array again on every one of the 86,000 rows the dashboard reads.
 */
const caseTypes = (xs: readonly string[]) => sql`${`{${xs.join(',')}}`}::case_type[]`;
const closureModes = (xs: readonly string[]) => sql`${`{${xs.join(',')}}`}::closure_mode[]`;
/** A Beijing month, as the first day of it: cheap per row; the groups are formatted `YYYY-MM` after grouping. */
const month = (column: SQL) => sql`date_trunc('month', (${column})::timestamp)`;
/** Groups by month as `YYYY-MM`: `select … from (grouped) g` with the month columns formatted. */
const ym = (column: string) => sql.raw(`to_char(${column}, 'YYYY-MM')`);

/** The counted case types, as a condition on `cases` (aliased c). */
export const countedCase = (s: IndicatorSettings) => sql`c.case_type = any(${caseTypes(s.countedTypes)})`;

/** Within-limit's population among closed cases: first cases with property, actually closed (ADR 018). */
export const withinLimitClosed = (
  s: IndicatorSettings,
) => sql`(c.case_type = any(${caseTypes(s.withinLimitTypes)})
  and c.property_found and c.closure_mode = any(${closureModes(s.withinLimitModes)})
  and (${!s.terminatedNeedsMoney} or c.closure_mode <> 'terminated' or coalesce(c.recovered_fen, 0) > 0))`;

/** Within-limit's open cases that fell due: with property, still open, due before today. */
export const withinLimitOpenDue = (
  s: IndicatorSettings,
) => sql`(c.case_type = any(${caseTypes(s.withinLimitTypes)})
  and c.property_found and c.closure_mode is null)`;

export type CaseCube = { court: string; fm: string; cm: string | null; actual: boolean; n: number }[];

export type ClosedRow = {
  court: string;
  m: string;
  wl_num: number;
  wl_den: number;
  zb_num: number;
  zb_den: number;
  recovered: number;
  owed: number;
  net_days: number;
  net_n: number;
};

/**
 * One group of `caseFacts`: the cases of a court by filing month, closing month and whether actually
 * closed, and, for those that became overdue (`dm`, the month after their due day) or that fell
 * due open with property (`dd`, their due month), that month; null for the others.
 */
export type FactRow = {
  court: string;
  fm: string;
  cm: string | null;
  actual: boolean;
  dm: string | null;
  dd: string | null;
  n: number;
  wl_num: number;
  wl_den: number;
  zb_num: number;
  zb_den: number;
  recovered: number;
  owed: number;
  net_days: number;
  net_n: number;
  ends: number;
};

/**
 * Every fact the dashboard counts from the cases, in one index-only pass (ADR 018): each counted
 * case of the courts ever filed (to the period's end), its facts computed once, grouped by filing
 * month, closing month and whether actually closed (accepted, closed, carried over, the window;
 * within-limit, 终本, money and days of those closed in the period; late closures ending an overdue
 * spell), by the month it became overdue (only for the cases that did), and by its due month (only
 * for the open cases with property that fell due in the period). One grouping, not three grouping
 * sets: the two months are null for nearly every case, so they add few groups, where each grouping
 * set hashed every row again (a quarter of the query's time).
 */
export function caseFacts(db: Db, span: Span, s: IndicatorSettings) {
  // Memory enough to group by hashing, never sorting on disk (ADR 018, "Speed").
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '32MB'`);
    return tx.execute<FactRow>(sql`
    select court, ${ym('fm')} as fm, ${ym('cm')} as cm, actual, ${ym('dm')} as dm, ${ym('dd')} as dd,
      count(*)::int as n,
      count(*) filter (where in_period and wl and within_limit)::int as wl_num,
      count(*) filter (where in_period and wl)::int as wl_den,
      count(*) filter (where in_period and zb and zhongben_qualified)::int as zb_num,
      count(*) filter (where in_period and zb)::int as zb_den,
      coalesce(sum(recovered_fen) filter (where in_period), 0)::float8 as recovered,
      coalesce(sum(amount_owed_fen) filter (where in_period), 0)::float8 as owed,
      coalesce(sum(net_days) filter (where in_period), 0)::float8 as net_days,
      count(net_days) filter (where in_period)::int as net_n,
      count(*) filter (where od_end)::int as ends
    from (
      select c.court_id as court, ${month(sql`c.filed_on`)} as fm, ${month(sql`c.closed_on`)} as cm,
        coalesce(c.closure_mode = any(${closureModes(s.actualClosureModes)}), false) as actual,
        case when c.due_on < ${span.today}::date and c.due_on < ${span.toDay}::date
          and (c.closed_on is null or c.closed_on > c.due_on) then ${month(sql`c.due_on + 1`)} end as dm,
        case when ${withinLimitOpenDue(s)}
          and c.due_on between ${span.fromDay}::date and least(${span.toDay}::date, ${span.today}::date - 1)
          then ${month(sql`c.due_on`)} end as dd,
        c.closed_on between ${span.fromDay}::date and ${span.toDay}::date as in_period,
        ${withinLimitClosed(s)} as wl, c.closure_mode = 'terminated_for_now' as zb,
        c.within_limit, c.zhongben_qualified, c.recovered_fen, c.amount_owed_fen, c.net_days,
        coalesce(c.closed_on > c.due_on and c.closed_on <= ${span.toDay}::date, false) as od_end
      from cases c
      where c.court_id = any(${uuidArray(span.courts)}) and ${countedCase(s)} and c.filed_on <= ${span.toDay}::date
    ) x
    group by court, fm, cm, actual, dm, dd`);
  });
}

/** The cube shapes compute.ts reads, from the one pass over the cases (every one of them additive). */
export function splitFacts(rows: readonly FactRow[], fromMonth: string, toMonth: string) {
  const cases: CaseCube = [];
  const closed = new Map<string, ClosedRow>();
  const overdue: { court: string; m: string; starts: number; ends: number }[] = [];
  const openDue: { court: string; m: string; n: number }[] = [];
  for (const r of rows) {
    cases.push({ court: r.court, fm: r.fm, cm: r.cm, actual: r.actual, n: r.n });
    // Became overdue in dm; the late closures among all end their spell in their closing month.
    if (r.dm !== null) overdue.push({ court: r.court, m: r.dm, starts: r.n, ends: 0 });
    if (r.cm && r.ends > 0) overdue.push({ court: r.court, m: r.cm, starts: 0, ends: r.ends });
    if (r.dd !== null) openDue.push({ court: r.court, m: r.dd, n: r.n });
    if (r.cm && r.cm >= fromMonth && r.cm <= toMonth) {
      const key = `${r.court}|${r.cm}`;
      const c = closed.get(key) ?? {
        court: r.court,
        m: r.cm,
        wl_num: 0,
        wl_den: 0,
        zb_num: 0,
        zb_den: 0,
        recovered: 0,
        owed: 0,
        net_days: 0,
        net_n: 0,
      };
      c.wl_num += r.wl_num;
      c.wl_den += r.wl_den;
      c.zb_num += r.zb_num;
      c.zb_den += r.zb_den;
      c.recovered += r.recovered;
      c.owed += r.owed;
      c.net_days += r.net_days;
      c.net_n += r.net_n;
      closed.set(key, c);
    }
  }
  return { cases, closed: [...closed.values()], overdue, openDue };
}

/** Complaints that fell to be judged in the period: settled ones by their settlement, open ones once past due. */
export function complaintCube(db: Db, span: Span, s: IndicatorSettings) {
  return db.execute<{ court: string; m: string; num: number; den: number }>(sql`
    select court, ${ym('month')} as m, num, den from (
    select k.court_id as court, ${month(sql`coalesce(k.settled_on, k.due_on)`)} as month,
      count(*) filter (where k.settled_on is not null and (${!s.complaintsOnTimeOnly} or k.settled_on <= k.due_on))::int as num,
      count(*)::int as den
    from case_complaints k
    where k.court_id = any(${uuidArray(span.courts)})
      and (k.settled_on between ${span.fromDay}::date and ${span.toDay}::date
        or (k.settled_on is null and k.due_on between ${span.fromDay}::date and least(${span.toDay}::date, ${span.today}::date - 1)))
    group by 1, 2) g`);
}

const beijing = (column: SQL) => sql`(${column} at time zone 'Asia/Shanghai')`;

/** Auctions announced in the period, and those whose bidding ended in it, by outcome. */
export function auctionCube(db: Db, span: Span) {
  return db.execute<{
    court: string;
    m: string;
    listed: number;
    ended: number;
    failed: number;
    defaulted: number;
  }>(sql`
    with ev as (
      select l.court_id as court, ${month(beijing(sql`l.announce_at`))} as m, 1 as listed, 0 as ended, 0 as failed, 0 as defaulted
      from listings l
      where l.court_id = any(${uuidArray(span.courts)}) and l.kind = 'auction' and l.status not in ('draft', 'pending_approval')
        and ${beijing(sql`l.announce_at`)}::date between ${span.fromDay}::date and ${span.toDay}::date
      union all
      select l.court_id, ${month(beijing(sql`l.ended_at`))}, 0, 1, (l.outcome = 'failed')::int, (l.outcome = 'defaulted')::int
      from listings l
      where l.court_id = any(${uuidArray(span.courts)}) and l.kind = 'auction' and l.outcome is not null
        and ${beijing(sql`l.ended_at`)}::date between ${span.fromDay}::date and ${span.toDay}::date
    )
    select court, ${ym('m')} as m, sum(listed)::int as listed, sum(ended)::int as ended, sum(failed)::int as failed,
      sum(defaulted)::int as defaulted
    from ev group by court, ev.m`);
}

/**
 * Money in the case accounts (一案一账号) at each month's end (today for the running month), and
 * the part held longer than the limit: first in, first out, what the account held `days` before
 * less what has left it since (ADR 018).
 */
export function fundsCube(db: Db, span: Span, s: IndicatorSettings, monthEnds: readonly string[]) {
  return db.execute<{ court: string; at: string; held: number; old: number; cases: number }>(sql`
    with ends(at) as (select unnest(${texts(monthEnds)})::date),
    acct as (
      select a.id, c.court_id, c.id as case_id
      from ledger_accounts a join cases c on c.id = substring(a.code from 6)::uuid
      where a.kind = 'case' and c.court_id = any(${uuidArray(span.courts)})
    ),
    moves as (
      select e.account_id, e.amount_fen, ${beijing(sql`t.occurred_at`)}::date as on_day
      from ledger_entries e join ledger_transactions t on t.id = e.transaction_id
      where e.account_id in (select id from acct)
    ),
    per as (
      select ends.at, acct.court_id, acct.case_id,
        coalesce(sum(m.amount_fen) filter (where m.on_day <= ends.at), 0) as held,
        coalesce(sum(m.amount_fen) filter (where m.on_day <= ends.at - ${s.fundsHeldDays}::int), 0)
          + coalesce(sum(m.amount_fen) filter (where m.amount_fen < 0 and m.on_day > ends.at - ${s.fundsHeldDays}::int
            and m.on_day <= ends.at), 0) as old
      from ends cross join acct left join moves m on m.account_id = acct.id
      group by 1, 2, 3
    )
    select court_id as court, to_char(at, 'YYYY-MM-DD') as at, sum(held)::float8 as held,
      sum(greatest(old, 0))::float8 as old, count(*) filter (where old > 0)::int as cases
    from per group by 1, 2`);
}
