/**
 * From the grouped counts of queries.ts to each indicator's numerator and denominator, per court,
 * per month and for the period (ADR 018). Pure: flows sum their months; stocks (open and overdue
 * cases, funds held) are running sums of events up to a month's end; the closure rate counts the
 * cases carried over into a month or period; the overall closure rate looks back over its window.
 * Every figure is additive over courts, so a higher court's is the sum of its courts'.
 */
import type { CaseCube } from './queries.js';
import { INDICATOR_KEYS, type IndicatorKey, type Month } from './rules.js';

export interface Part {
  num: number;
  den: number;
}
export interface Figures {
  months: Part[];
  total: Part;
}
export type CourtFigures = Record<IndicatorKey, Figures>;

export interface Cubes {
  cases: CaseCube;
  closed: {
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
  }[];
  openDue: { court: string; m: string; n: number }[];
  overdue: { court: string; m: string; starts: number; ends: number }[];
  complaints: { court: string; m: string; num: number; den: number }[];
  auctions: { court: string; m: string; listed: number; ended: number; failed: number; defaulted: number }[];
  /** At each month's end (`at`, in the order of the months). */
  funds: { court: string; at: string; held: number; old: number; cases: number }[];
}

const zero = (): Part => ({ num: 0, den: 0 });
const emptyFigures = (n: number): Figures => ({ months: Array.from({ length: n }, zero), total: zero() });

export function emptyCourtFigures(n: number): CourtFigures {
  return Object.fromEntries(INDICATOR_KEYS.map((k) => [k, emptyFigures(n)])) as CourtFigures;
}

/** Each court's figures over `months` (ascending), with the window of the overall closure rate. */
export function computeFigures(
  courts: readonly string[],
  months: readonly Month[],
  window: number,
  cubes: Cubes,
  monthEnds: readonly string[],
): Map<string, CourtFigures> {
  const out = new Map<string, CourtFigures>(courts.map((c) => [c, emptyCourtFigures(months.length)]));
  const idx = new Map(months.map((m, i) => [m, i]));
  const flow = (court: string, key: IndicatorKey, m: string, num: number, den: number) => {
    const f = out.get(court)?.[key];
    const i = idx.get(m);
    if (!f || i === undefined) return;
    f.months[i]!.num += num;
    f.months[i]!.den += den;
    f.total.num += num;
    f.total.den += den;
  };

  // Filing and closing: accepted, closed, the closure rate with the carried over, the stocks of open
  // cases, the window. Months as ordinals (year × 12 + month), so the loop compares integers.
  const ord = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  const mo = months.map(ord);
  const firstO = mo[0]!;
  const lastO = mo[mo.length - 1]!;
  const NEVER = Number.MAX_SAFE_INTEGER;
  for (const r of cubes.cases) {
    const f = out.get(r.court);
    if (!f) continue;
    flow(r.court, 'accepted', r.fm, r.n, 0);
    if (r.cm) flow(r.court, 'closed', r.cm, r.n, 0);
    const fo = ord(r.fm);
    const co = r.cm === null ? NEVER : ord(r.cm);
    const cr = f.closure_rate.months;
    const od = f.overdue.months;
    const oc = f.overall_closure.months;
    for (let i = 0; i < mo.length; i++) {
      const m = mo[i]!;
      // 执结率 = closed ÷ (carried over + newly filed)
      if (fo <= m && co >= m) cr[i]!.den += r.n;
      if (co === m) cr[i]!.num += r.n;
      // Open at the month's end: the overdue stock's base.
      if (fo <= m && co > m) od[i]!.den += r.n;
      // The cohort of the window ending this month, closed (actually, or 终本) by its end.
      if (fo > m - window && fo <= m) {
        oc[i]!.den += r.n;
        if (r.actual && co <= m) oc[i]!.num += r.n;
      }
    }
    // The period as a whole.
    if (fo <= lastO && co >= firstO) f.closure_rate.total.den += r.n;
    if (co >= firstO && co <= lastO) f.closure_rate.total.num += r.n;
  }
  for (const f of out.values()) {
    const lastIdx = months.length - 1;
    f.overall_closure.total = { ...f.overall_closure.months[lastIdx]! };
    f.overdue.total.den = f.overdue.months[lastIdx]!.den;
  }

  for (const r of cubes.closed) {
    flow(r.court, 'within_limit', r.m, r.wl_num, r.wl_den);
    flow(r.court, 'zhongben_qualified', r.m, r.zb_num, r.zb_den);
    flow(r.court, 'recovery_rate', r.m, r.recovered, r.owed);
    flow(r.court, 'avg_net_days', r.m, r.net_days, r.net_n);
  }
  for (const r of cubes.openDue) flow(r.court, 'within_limit', r.m, 0, r.n);
  for (const r of cubes.complaints) flow(r.court, 'complaints_settled', r.m, r.num, r.den);
  for (const r of cubes.auctions) {
    flow(r.court, 'auctions_listed', r.m, r.listed, 0);
    flow(r.court, 'auctions_failed', r.m, r.failed, r.ended);
    flow(r.court, 'auctions_defaulted', r.m, r.defaulted, r.ended);
  }

  // Overdue at each month's end: the cases become overdue up to it, less those closed late by it.
  for (const r of cubes.overdue) {
    const f = out.get(r.court);
    if (!f) continue;
    const eo = ord(r.m);
    for (let i = 0; i < mo.length; i++) if (eo <= mo[i]!) f.overdue.months[i]!.num += r.starts - r.ends;
  }
  for (const f of out.values()) f.overdue.total.num = f.overdue.months[months.length - 1]!.num;

  // Funds held past the limit at each month's end; the period's figure is its last month's.
  const endIdx = new Map(monthEnds.map((d, i) => [d, i]));
  for (const r of cubes.funds) {
    const f = out.get(r.court);
    const i = endIdx.get(r.at);
    if (!f || i === undefined) continue;
    f.funds_held.months[i]!.num += r.old;
    f.funds_held.months[i]!.den += r.held;
    if (i === months.length - 1)
      f.funds_held.total = { num: f.funds_held.total.num + r.old, den: f.funds_held.total.den + r.held };
  }
  return out;
}

/** The sum of courts' figures: a higher court's, or the platform's. */
export function sumFigures(list: readonly CourtFigures[], n: number): CourtFigures {
  const out = emptyCourtFigures(n);
  for (const f of list)
    for (const k of INDICATOR_KEYS) {
      f[k].months.forEach((p, i) => {
        out[k].months[i]!.num += p.num;
        out[k].months[i]!.den += p.den;
      });
      out[k].total.num += f[k].total.num;
      out[k].total.den += f[k].total.den;
    }
  return out;
}
