/**
 * The quality indicators courts are judged by (domain note `cases-and-indicators.md`, ADR 018), as
 * pure metadata: what each counts (numerator and denominator), its target, which way is better, and
 * the traffic light of a value against its target. The SQL that counts is queries.ts; the arithmetic
 * of months, rolling windows and stocks is compute.ts. Public: the pages render these definitions.
 *
 * No official formula is published for the 3+1 rates (the SPC's 2018 targets "三个90%、一个80%"):
 * every choice the law leaves open is a setting below, with its default recorded in ADR 018.
 */
import { z } from 'zod';

export const CASE_TYPES = ['first', 'resumed', 'preservation', 'objection', 'review', 'supervision'] as const;
export const CLOSURE_MODES = [
  'fully_performed',
  'settlement_performed',
  'terminated',
  'terminated_for_now',
  'not_enforced',
  'rejected',
  'withdrawn',
] as const;

/** What a value is: a share (num ÷ den), a count (num, den its base), a mean (num ÷ den), or money (fen). */
export type IndicatorKind = 'ratio' | 'count' | 'mean' | 'money';

export const INDICATOR_KEYS = [
  // The 3+1 core indicators (2018 evaluation targets)
  'within_limit',
  'zhongben_qualified',
  'complaints_settled',
  'overall_closure',
  // The others in common use
  'accepted',
  'closed',
  'closure_rate',
  'recovery_rate',
  'avg_net_days',
  'overdue',
  'funds_held',
  'auctions_listed',
  'auctions_failed',
  'auctions_defaulted',
] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];

export interface IndicatorDefinition {
  key: IndicatorKey;
  core: boolean;
  kind: IndicatorKind;
  /** true: higher is better; false: lower is better; null: neither (a volume). */
  higherIsBetter: boolean | null;
  /**
   * How the period's figure relates to the months': `flow` sums the months; `stock` is the state at
   * the period's end (overdue cases, funds held); `span` is computed over the period as a whole
   * (the closure rate's carried-over cases, the rolling window).
   */
  aggregate: 'flow' | 'stock' | 'span';
  /** The drill-down lists cases behind the numerator/denominator (listings for auctions). */
  subject: 'case' | 'complaint' | 'listing';
}

export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    key: 'within_limit',
    core: true,
    kind: 'ratio',
    higherIsBetter: true,
    aggregate: 'flow',
    subject: 'case',
  },
  {
    key: 'zhongben_qualified',
    core: true,
    kind: 'ratio',
    higherIsBetter: true,
    aggregate: 'flow',
    subject: 'case',
  },
  {
    key: 'complaints_settled',
    core: true,
    kind: 'ratio',
    higherIsBetter: true,
    aggregate: 'flow',
    subject: 'complaint',
  },
  {
    key: 'overall_closure',
    core: true,
    kind: 'ratio',
    higherIsBetter: true,
    aggregate: 'span',
    subject: 'case',
  },
  { key: 'accepted', core: false, kind: 'count', higherIsBetter: null, aggregate: 'flow', subject: 'case' },
  { key: 'closed', core: false, kind: 'count', higherIsBetter: null, aggregate: 'flow', subject: 'case' },
  {
    key: 'closure_rate',
    core: false,
    kind: 'ratio',
    higherIsBetter: true,
    aggregate: 'span',
    subject: 'case',
  },
  {
    key: 'recovery_rate',
    core: false,
    kind: 'ratio',
    higherIsBetter: true,
    aggregate: 'flow',
    subject: 'case',
  },
  {
    key: 'avg_net_days',
    core: false,
    kind: 'mean',
    higherIsBetter: false,
    aggregate: 'flow',
    subject: 'case',
  },
  { key: 'overdue', core: false, kind: 'count', higherIsBetter: false, aggregate: 'stock', subject: 'case' },
  {
    key: 'funds_held',
    core: false,
    kind: 'money',
    higherIsBetter: false,
    aggregate: 'stock',
    subject: 'case',
  },
  {
    key: 'auctions_listed',
    core: false,
    kind: 'count',
    higherIsBetter: null,
    aggregate: 'flow',
    subject: 'listing',
  },
  {
    key: 'auctions_failed',
    core: false,
    kind: 'ratio',
    higherIsBetter: false,
    aggregate: 'flow',
    subject: 'listing',
  },
  {
    key: 'auctions_defaulted',
    core: false,
    kind: 'ratio',
    higherIsBetter: false,
    aggregate: 'flow',
    subject: 'listing',
  },
];

export const definitionOf = (key: IndicatorKey) => INDICATORS.find((d) => d.key === key)!;

const CaseTypes = z.array(z.enum(CASE_TYPES)).min(1);
const Modes = z.array(z.enum(CLOSURE_MODES)).min(1);
const Share = z.number().min(0).max(1);

/** The definitions the law leaves open (ADR 018); every field has its default. */
export const IndicatorSettingsSchema = z
  .object({
    /** The cases the indicators count: first and resumed enforcement (domain note "Case types"). */
    countedTypes: CaseTypes.default(['first', 'resumed']),
    /** Within-limit: the population's types (first enforcement only, the note's suggested default). */
    withinLimitTypes: CaseTypes.default(['first']),
    /** Within-limit: the closure modes that count as actually closed with property. */
    withinLimitModes: Modes.default(['fully_performed', 'settlement_performed', 'terminated']),
    /** Within-limit: a 终结 (terminated) case counts only when money was recovered. */
    terminatedNeedsMoney: z.boolean().default(true),
    /** The overall closure rate's numerator: actually closed plus 终本. */
    actualClosureModes: Modes.default([
      'fully_performed',
      'settlement_performed',
      'terminated',
      'terminated_for_now',
    ]),
    /** The overall closure rate's rolling window, in calendar months ("the last three years"). */
    overallWindowMonths: z.number().int().min(1).max(120).default(36),
    /** Complaints count as settled only when settled within their time limit. */
    complaintsOnTimeOnly: z.boolean().default(true),
    /** Funds held in a case account longer than this many days (domain note: released within 30 days). */
    fundsHeldDays: z.number().int().min(1).max(365).default(30),
    /** The targets of the 3+1 (2018): three 90% and one 80%. */
    targets: z
      .object({
        within_limit: Share.default(0.9),
        zhongben_qualified: Share.default(0.9),
        complaints_settled: Share.default(0.9),
        overall_closure: Share.default(0.8),
      })
      .default({ within_limit: 0.9, zhongben_qualified: 0.9, complaints_settled: 0.9, overall_closure: 0.8 }),
    /** Amber: below target by less than this (in points of the share); red below that. */
    amberBand: Share.default(0.05),
    /** The share of courts that must reach the overall closure target (2018: 90% of courts). */
    courtsReachingShare: Share.default(0.9),
  })
  // The dashboard reads the counted cases once (queries.ts caseFacts): within-limit's are among them.
  .refine((s) => s.withinLimitTypes.every((t) => s.countedTypes.includes(t)), {
    path: ['withinLimitTypes'],
    message: 'must be among countedTypes',
  });
export type IndicatorSettings = z.infer<typeof IndicatorSettingsSchema>;

export const DEFAULT_SETTINGS: IndicatorSettings = IndicatorSettingsSchema.parse({});

/** Settings from the configuration's JSON (INDICATOR_SETTINGS), over the defaults. */
export function parseSettings(json: string | undefined): IndicatorSettings {
  return IndicatorSettingsSchema.parse(json ? JSON.parse(json) : {});
}

export type Light = 'green' | 'amber' | 'red' | 'none';

/** The traffic light of a value against its target: green at or above, amber within the band, red below. */
export function lightOf(value: number | null, target: number | null, amberBand: number): Light {
  if (value === null || target === null) return 'none';
  if (value >= target - 1e-12) return 'green';
  if (value >= target - amberBand - 1e-12) return 'amber';
  return 'red';
}

export const targetOf = (key: IndicatorKey, s: IndicatorSettings): number | null =>
  key in s.targets ? s.targets[key as keyof IndicatorSettings['targets']] : null;

/** The value shown from a numerator and denominator. */
export function figureValue(kind: IndicatorKind, num: number, den: number): number | null {
  if (kind === 'count' || kind === 'money') return num;
  return den === 0 ? null : num / den;
}

// ---- months (Beijing calendar months, `YYYY-MM`)

export type Month = string;
export const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

export function monthsBetween(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m === 13) {
      y += 1;
      m = 1;
    }
  }
  return out;
}

export function addMonthsTo(month: Month, n: number): Month {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

export const firstDayOf = (month: Month) => `${month}-01`;
export function lastDayOf(month: Month): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** The most months a dashboard shows at once (five years). */
export const MAX_MONTHS = 60;

/** What the dashboard is asked: the view's court (none: the actor's own, or the platform), the months, the window. */
export const DashboardQuerySchema = z
  .object({
    court: z.uuid().optional(),
    from: MonthSchema.optional(),
    to: MonthSchema.optional(),
    window: z.coerce.number().int().min(1).max(120).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'validation.monthOrder' })
  .refine((q) => !q.from || !q.to || monthsBetween(q.from, q.to).length <= MAX_MONTHS, {
    path: ['from'],
    message: 'validation.tooManyMonths',
  });
export type DashboardQuery = z.infer<typeof DashboardQuerySchema>;

/** Which part of a figure the drill-down lists: the numerator, the denominator, or the gap (in the denominator, not the numerator). */
export const DRILL_PARTS = ['num', 'den', 'gap'] as const;
export type DrillPart = (typeof DRILL_PARTS)[number];

export const DrillQuerySchema = z.object({
  indicator: z.enum(INDICATOR_KEYS),
  part: z.enum(DRILL_PARTS).default('den'),
  court: z.uuid().optional(),
  /** The month, or the whole period from…to. */
  from: MonthSchema,
  to: MonthSchema,
  window: z.coerce.number().int().min(1).max(120).optional(),
  /** 终本 only: the cases missing this condition of the checklist. */
  condition: z
    .enum([
      'notice_and_report',
      'restriction_and_listing',
      'property_search',
      'three_months',
      'debtor_whereabouts',
      'applicant_heard',
    ])
    .optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export type DrillQuery = z.infer<typeof DrillQuerySchema>;
