/**
 * The SQL behind the dashboard (ADR 018): grouped counts over the case rows, their complaints, the
 * listings and the case accounts of the ledger, by court and Beijing calendar month. No total is
 * stored anywhere: every figure is counted from the rows on every read. The months' stocks (open
 * and overdue cases) and the rolling window are summed from these groups by compute.ts.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { IndicatorSettings } from './rules.js';

export interface Span {
  courts: readonly string[];
  /** First and last Beijing day of the period. */
  fromDay: string;
  toDay: string;
  /** Today (Beijing): a case due before today and still open is overdue. */
  today: string;
}

const ids = (courts: readonly string[]) => sql`${`{${courts.join(',')}}`}::uuid[]`;
const texts = (xs: readonly string[]) => sql`${`{${xs.join(',')}}`}::text[]`;
/** A Beijing month, as the first day of it: cheap per row; the groups are formatted `YYYY-MM` after grouping. */
const month = (column: SQL) => sql`date_trunc('month', (${column})::timestamp)`;
/** Groups by month as `YYYY-MM`: `select … from (grouped) g` with the month columns formatted. */
const ym = (column: string) => sql.raw(`to_char(${column}, 'YYYY-MM')`);

/** The counted case types, as a condition on `cases` (aliased c). */
export const countedCase = (s: IndicatorSettings) =>
  sql`c.case_type = any(${texts(s.countedTypes)}::case_type[])`;

/** Within-limit's population among closed cases: first cases with property, actually closed (ADR 018). */
export const withinLimitClosed = (
  s: IndicatorSettings,
) => sql`(c.case_type = any(${texts(s.withinLimitTypes)}::case_type[])
  and c.property_found and c.closure_mode = any(${texts(s.withinLimitModes)}::closure_mode[])
  and (${!s.terminatedNeedsMoney} or c.closure_mode <> 'terminated' or coalesce(c.recovered_fen, 0) > 0))`;

/** Within-limit's open cases that fell due: with property, still open, due before today. */
export const withinLimitOpenDue = (
  s: IndicatorSettings,
) => sql`(c.case_type = any(${texts(s.withinLimitTypes)}::case_type[])
  and c.property_found and c.closure_mode is null)`;

export type CaseCube = { court: string; fm: string; cm: string | null; actual: boolean; n: number }[];

/** Every counted case of the courts, ever, by filing month, closing month and whether actually closed. */
export function caseCube(db: Db, span: Span, s: IndicatorSettings) {
  return db.execute<CaseCube[number]>(sql`
    select court, ${ym('fm')} as fm, ${ym('cm')} as cm, actual, n from (
      select c.court_id as court, ${month(sql`c.filed_on`)} as fm, ${month(sql`c.closed_on`)} as cm,
        coalesce(c.closure_mode = any(${texts(s.actualClosureModes)}::closure_mode[]), false) as actual, count(*)::int as n
      from cases c
      where c.court_id = any(${ids(span.courts)}) and ${countedCase(s)} and c.filed_on <= ${span.toDay}::date
      group by 1, 2, 3, 4) g`);
}

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

/** The cases closed in the period, by court and closing month: within-limit, 终本, money, net days. */
export function closedCube(db: Db, span: Span, s: IndicatorSettings) {
  // Each row's facts computed once in the inner query, then counted.
  return db.execute<ClosedRow>(sql`
    select court, ${ym('month')} as m,
      count(*) filter (where wl and within_limit)::int as wl_num, count(*) filter (where wl)::int as wl_den,
      count(*) filter (where zb and zhongben_qualified)::int as zb_num, count(*) filter (where zb)::int as zb_den,
      coalesce(sum(recovered_fen), 0)::float8 as recovered, coalesce(sum(amount_owed_fen), 0)::float8 as owed,
      coalesce(sum(net_days), 0)::float8 as net_days, count(net_days)::int as net_n
    from (
      select c.court_id as court, ${month(sql`c.closed_on`)} as month, ${withinLimitClosed(s)} as wl,
        c.closure_mode = 'terminated_for_now' as zb, c.within_limit, c.zhongben_qualified, c.recovered_fen,
        c.amount_owed_fen, c.net_days
      from cases c
      where c.court_id = any(${ids(span.courts)}) and ${countedCase(s)}
        and c.closed_on between ${span.fromDay}::date and ${span.toDay}::date
    ) x
    group by court, month`);
}

/** Open cases with property that fell due in the period (before today): not closed within the limit. */
export function openDueCube(db: Db, span: Span, s: IndicatorSettings) {
  return db.execute<{ court: string; m: string; n: number }>(sql`
    select court, ${ym('m')} as m, n from (
      select c.court_id as court, ${month(sql`c.due_on`)} as m, count(*)::int as n
      from cases c
      where c.court_id = any(${ids(span.courts)}) and ${withinLimitOpenDue(s)}
        and c.due_on between ${span.fromDay}::date and least(${span.toDay}::date, ${span.today}::date - 1)
      group by 1, 2) g`);
}

/**
 * Overdue as events: a case becomes overdue the day after its due date (if that is before today)
 * and stops being overdue when it closes late. The stock at a month's end is the running sum.
 */
export function overdueEvents(db: Db, span: Span, s: IndicatorSettings) {
  return db.execute<{ court: string; m: string; starts: number; ends: number }>(sql`
    with ev as (
      select c.court_id as court, ${month(sql`c.due_on + 1`)} as m, 1 as starts, 0 as ends
      from cases c
      where c.court_id = any(${ids(span.courts)}) and ${countedCase(s)} and c.due_on < ${span.today}::date
        and c.due_on < ${span.toDay}::date and (c.closed_on is null or c.closed_on > c.due_on)
      union all
      select c.court_id, ${month(sql`c.closed_on`)}, 0, 1
      from cases c
      where c.court_id = any(${ids(span.courts)}) and ${countedCase(s)} and c.closed_on > c.due_on
        and c.closed_on <= ${span.toDay}::date
    )
    select court, ${ym('m')} as m, sum(starts)::int as starts, sum(ends)::int as ends from ev group by court, ev.m`);
}

/** Complaints that fell to be judged in the period: settled ones by their settlement, open ones once past due. */
export function complaintCube(db: Db, span: Span, s: IndicatorSettings) {
  return db.execute<{ court: string; m: string; num: number; den: number }>(sql`
    select court, ${ym('month')} as m, num, den from (
    select k.court_id as court, ${month(sql`coalesce(k.settled_on, k.due_on)`)} as month,
      count(*) filter (where k.settled_on is not null and (${!s.complaintsOnTimeOnly} or k.settled_on <= k.due_on))::int as num,
      count(*)::int as den
    from case_complaints k
    where k.court_id = any(${ids(span.courts)})
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
      where l.court_id = any(${ids(span.courts)}) and l.kind = 'auction' and l.status not in ('draft', 'pending_approval')
        and ${beijing(sql`l.announce_at`)}::date between ${span.fromDay}::date and ${span.toDay}::date
      union all
      select l.court_id, ${month(beijing(sql`l.ended_at`))}, 0, 1, (l.outcome = 'failed')::int, (l.outcome = 'defaulted')::int
      from listings l
      where l.court_id = any(${ids(span.courts)}) and l.kind = 'auction' and l.outcome is not null
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
      from ledger_accounts a join cases c on a.code = 'case:' || c.id::text
      where a.kind = 'case' and c.court_id = any(${ids(span.courts)})
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
