/**
 * The quality dashboard (issue 17 part 5, ADR 018): for a court, a higher court over its courts, or
 * the platform, every indicator month by month and for the period, with its numerator and
 * denominator, its target and traffic light; the ranking of the courts; the 终本 closures that fell
 * short, by the condition they missed. Counted from the rows on every read (queries.ts).
 */
import { sql } from 'drizzle-orm';
import { beijingDateOf } from '../cases/time-limit.js';
import type { Actor } from '../identity/permissions.js';
import { uuidArray } from '../sql-arrays.js';
import { parseInput } from '../validation.js';
import { type CourtFigures, computeFigures, type Part, sumFigures } from './compute.js';
import type { IndicatorDeps } from './deps.js';
import {
  auctionCube,
  caseFacts,
  complaintCube,
  countedCase,
  fundsCube,
  type Span,
  splitFacts,
} from './queries.js';
import {
  addMonthsTo,
  DashboardQuerySchema,
  figureValue,
  firstDayOf,
  INDICATORS,
  type IndicatorKey,
  type IndicatorSettings,
  type Light,
  lastDayOf,
  lightOf,
  type Month,
  monthsBetween,
  targetOf,
} from './rules.js';
import { type CourtRef, viewOf } from './scope.js';

/** The period asked for, within the months that have begun, 12 months up to this one by default. */
export function periodOf(query: { from?: Month; to?: Month }, today: string) {
  const current = today.slice(0, 7);
  const to = query.to && query.to < current ? query.to : current;
  const from = query.from && query.from <= to ? query.from : addMonthsTo(to, -11);
  const months = monthsBetween(from, to);
  // Each month's figures are as at its last day, or today for the month under way.
  const monthEnds = months.map((m) => (m === current ? today : lastDayOf(m)));
  return { from, to, months, monthEnds, fromDay: firstDayOf(from), toDay: monthEnds[monthEnds.length - 1]! };
}

/** Every figure of every court in `courts`, counted over the period. */
export async function figuresOf(
  deps: IndicatorDeps,
  courts: readonly string[],
  period: ReturnType<typeof periodOf>,
  window: number,
  today: string,
) {
  const span: Span = { courts, fromDay: period.fromDay, toDay: period.toDay, today };
  const s = deps.settings;
  const [facts, complaints, auctions, funds] = await Promise.all([
    caseFacts(deps.db, span, s),
    complaintCube(deps.db, span, s),
    auctionCube(deps.db, span),
    fundsCube(deps.db, span, s, period.monthEnds),
  ]);
  const { cases, closed, openDue, overdue } = splitFacts(facts, period.from, period.to);
  return computeFigures(
    courts,
    period.months,
    window,
    { cases, closed, openDue, overdue, complaints, auctions, funds },
    period.monthEnds,
  );
}

export interface Figure extends Part {
  value: number | null;
  light: Light;
}

function figure(key: IndicatorKey, p: Part, s: IndicatorSettings): Figure {
  const def = INDICATORS.find((d) => d.key === key)!;
  const value = figureValue(def.kind, p.num, p.den);
  return { ...p, value, light: lightOf(value, targetOf(key, s), s.amberBand) };
}

/** The 终本 closures of the period that were not qualified, counted by each condition they missed. */
async function zhongbenGaps(deps: IndicatorDeps, courts: readonly string[], fromDay: string, toDay: string) {
  const rows = await deps.db.execute<{ condition: string; n: number }>(sql`
    select coalesce(cond->>'key', 'no_checklist') as condition, count(*)::int as n
    from cases c
    left join lateral jsonb_array_elements(c.closure_checklist->'conditions') cond on true
    where c.court_id = any(${uuidArray(courts)}) and c.closure_mode = 'terminated_for_now'
      and ${countedCase(deps.settings)}
      and c.closed_on between ${fromDay}::date and ${toDay}::date and c.zhongben_qualified is not true
      and (cond is null or (cond->>'met')::boolean is not true)
    group by 1 order by 2 desc`);
  return [...rows];
}

export async function dashboard(deps: IndicatorDeps, actor: Actor, input: unknown) {
  const query = parseInput(DashboardQuerySchema, input);
  const { view, courts, reachable } = await viewOf(deps, actor, query.court);
  const today = beijingDateOf(deps.clock());
  const period = periodOf(query, today);
  const window = query.window ?? deps.settings.overallWindowMonths;
  const s = deps.settings;
  const ids = courts.map((c) => c.id);
  const perCourt = await figuresOf(deps, ids, period, window, today);
  // The shortfalls are read only where the figures count a 终本 closure of the period that was not
  // qualified (denominator above numerator): the read goes through the case rows' checklists, and
  // for a province whose closures all qualified it would scan every case for nothing.
  const short = ids.filter((id) => {
    const zb = perCourt.get(id)!.zhongben_qualified.total;
    return zb.den > zb.num;
  });
  const gaps = short.length ? await zhongbenGaps(deps, short, period.fromDay, period.toDay) : [];
  const all = sumFigures([...perCourt.values()], period.months.length);

  const indicators = INDICATORS.map((def) => ({
    ...def,
    target: targetOf(def.key, s),
    total: figure(def.key, all[def.key].total, s),
    months: all[def.key].months.map((p, i) => ({ month: period.months[i]!, ...figure(def.key, p, s) })),
  }));

  // The ranking: each court on its own cases, by the core targets met, then the mean of the core rates.
  const ranking = rankCourts(courts, perCourt, s);
  const withCases = ranking.filter((r) => r.hasCases);
  const reaching = withCases.filter((r) => r.figures.overall_closure.light === 'green').length;
  return {
    today,
    view: view ?? null,
    courts: reachable,
    period: { from: period.from, to: period.to, months: period.months },
    window,
    settings: s,
    indicators,
    ranking,
    courtsReaching: {
      reached: reaching,
      total: withCases.length,
      share: withCases.length ? reaching / withCases.length : null,
      target: s.courtsReachingShare,
    },
    zhongbenGaps: gaps,
  };
}

const CORE: IndicatorKey[] = ['within_limit', 'zhongben_qualified', 'complaints_settled', 'overall_closure'];
const RANKED: IndicatorKey[] = [
  ...CORE,
  'closure_rate',
  'recovery_rate',
  'avg_net_days',
  'overdue',
  'accepted',
];

export function rankCourts(
  courts: readonly CourtRef[],
  perCourt: Map<string, CourtFigures>,
  s: IndicatorSettings,
) {
  const rows = courts.map((court) => {
    const f = perCourt.get(court.id)!;
    const figures = Object.fromEntries(RANKED.map((k) => [k, figure(k, f[k].total, s)])) as Record<
      IndicatorKey,
      Figure
    >;
    const core = CORE.map((k) => figures[k]);
    const met = core.filter((x) => x.light === 'green').length;
    const rated = core.filter((x) => x.value !== null);
    const score = rated.length ? rated.reduce((a, x) => a + x.value!, 0) / rated.length : null;
    return {
      court,
      figures,
      met,
      score,
      hasCases: f.accepted.total.num + f.closed.total.num + f.overdue.total.den > 0,
    };
  });
  rows.sort(
    (a, b) =>
      Number(b.hasCases) - Number(a.hasCases) ||
      b.met - a.met ||
      (b.score ?? -1) - (a.score ?? -1) ||
      a.court.code.localeCompare(b.court.code),
  );
  return rows.map((r, i) => ({ ...r, rank: r.hasCases ? i + 1 : null }));
}
