import { z } from 'zod';
import type { CaseType, ClosureMode, IntervalKind, MeasureKind, TitleKind } from '../../db/schema/cases.js';
import { canonicalCity, canonicalProvince, cityFitsProvince } from '../divisions/divisions.js';

/** A tuple that names every member of the union `T`, no more and no less (mirrors a db enum). */
const every =
  <T extends string>() =>
  <A extends readonly T[]>(a: A & ([T] extends [A[number]] ? unknown : never)) =>
    a;

/**
 * Case numbers in the court format, e.g. `(2024)青0104执123号`: the year, the court's code,
 * the case-type character(s) (执, 执恢, 执保, 执异 ...), the serial. Full-width parentheses are
 * accepted and normalised to ASCII ones.
 */
export const CASE_NUMBER = /^\((\d{4})\)([\u4e00-\u9fa5]\d{0,4})(执[恢保异复监]?)(\d{1,6})号$/;

export function normaliseCaseNumber(raw: string): string {
  return raw.trim().replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '');
}

export function parseCaseNumber(raw: string) {
  const m = normaliseCaseNumber(raw).match(CASE_NUMBER);
  if (!m) return null;
  return { year: Number(m[1]), courtCode: m[2]!, type: m[3]!, serial: Number(m[4]) };
}

/** Amounts typed in yuan ("1,234.56") → integer fen; refuses more than two decimals. */
export const YuanSchema = z
  .union([z.string(), z.number()], { error: 'validation.required' })
  .transform((v, ctx) => {
    const s = String(v).trim().replace(/,/g, '');
    const m = s.match(/^(\d{1,13})(?:\.(\d{1,2}))?$/);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: 'validation.amount' });
      return z.NEVER;
    }
    return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  });

const text = (max: number) =>
  z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, { error: 'validation.required' })
    .max(max, { error: 'validation.tooLong' });
const optionalText = (max: number) => z.string().trim().max(max, { error: 'validation.tooLong' }).optional();

export const PartySchema = z.object({
  role: z.enum(['applicant', 'respondent'], { error: 'validation.required' }),
  kind: z.enum(['person', 'company'], { error: 'validation.required' }),
  name: text(100),
  idNumberMasked: optionalText(30),
  claim: YuanSchema.optional(),
});

export const CASE_TYPES = every<CaseType>()([
  'first',
  'resumed',
  'preservation',
  'objection',
  'review',
  'supervision',
] as const);
export const TITLE_KINDS = every<TitleKind>()(['litigation', 'non_litigation'] as const);
export const CLOSURE_MODES = every<ClosureMode>()([
  'fully_performed',
  'settlement_performed',
  'terminated',
  'terminated_for_now',
  'not_enforced',
  'rejected',
  'withdrawn',
] as const);
export const INTERVAL_KINDS = every<IntervalKind>()([
  'appraisal',
  'audit',
  'asset_clearing',
  'suspension',
  'postponement',
  'notice',
] as const);
export const MEASURE_KINDS = every<MeasureKind>()([
  'enforcement_notice',
  'property_report_order',
  'property_report',
  'online_search',
  'onsite_check',
  'premises_search',
  'seizure',
  'consumption_restriction',
  'dishonest_listing',
  'applicant_interview',
  'bounty',
  'audit',
  'whereabouts_search',
  'fine',
  'detention',
  'criminal_referral',
] as const);
/** Every measure but the online search, which only the search itself records (searches.ts). */
export const RECORDABLE_MEASURES = MEASURE_KINDS.filter(
  (k): k is Exclude<MeasureKind, 'online_search'> => k !== 'online_search',
);

/** What an online property search may cover. */
export const PROPERTY_CATEGORIES = [
  'deposits', // 存款
  'vehicles', // 车辆及其他交通运输工具
  'real_estate', // 不动产
  'securities', // 有价证券
  'online_funds', // 网络资金（第三方支付）
  'equity', // 股权
  'insurance', // 保险
] as const;
export type PropertyCategory = (typeof PROPERTY_CATEGORIES)[number];
/** 终本规定 art. 3(2): at least deposits, vehicles, real estate and securities are searched. */
export const REQUIRED_CATEGORIES: readonly PropertyCategory[] = [
  'deposits',
  'vehicles',
  'real_estate',
  'securities',
];

const day = z.iso.date({ error: 'validation.date' });
/** A checkbox: present ('on') or absent; JSON clients send a boolean. */
const flag = z.preprocess((v) => v === true || v === 'on' || v === 'true', z.boolean());
/** Repeated checkboxes: absent, one value, or several; JSON clients send an array. */
const list = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(values, { error: 'validation.required' })),
  );
const count = (min: number, max: number) =>
  z.coerce
    .number({ error: 'validation.required' })
    .int({ error: 'validation.number' })
    .min(min, { error: 'validation.number' })
    .max(max, { error: 'validation.number' });
/** An amount kept in a measure's JSON details: fen as a decimal string. */
const fenText = z.lazy(() => YuanSchema.transform((v) => v.toString()));

export const CreateCaseSchema = z.object({
  caseNumber: z
    .string({ error: 'validation.required' })
    .transform(normaliseCaseNumber)
    .refine((s) => CASE_NUMBER.test(s), { error: 'validation.caseNumber' }),
  basis: text(500),
  titleKind: z.enum(TITLE_KINDS, { error: 'validation.required' }).default('litigation'),
  /** 立案日期: today when not given; never in the future (filing.ts). */
  filedOn: day.optional(),
  amountOwed: YuanSchema,
  parties: z
    .array(PartySchema, { error: 'validation.needApplicant' })
    .refine((ps) => ps.some((p) => p.role === 'applicant'), { error: 'validation.needApplicant' })
    .refine((ps) => ps.some((p) => p.role === 'respondent'), { error: 'validation.needRespondent' }),
});
export type CreateCaseInput = z.input<typeof CreateCaseSchema>;

export const EncumbranceSchema = z.object({
  kind: z.enum(['mortgage', 'lease', 'occupancy', 'seizure', 'other'], { error: 'validation.required' }),
  description: text(500),
});

export const CreateAssetSchema = z
  .object({
    type: z.enum(
      ['residential', 'commercial', 'land_use_right', 'vehicle', 'equity', 'machinery', 'other_movable'],
      {
        error: 'validation.required',
      },
    ),
    title: text(200),
    // Stored by the divisions list's names, so a search finds them (青海 → 青海省); others as typed.
    province: text(20).transform((v) => canonicalProvince(v) ?? v),
    city: text(30).transform((v) => canonicalCity(v) ?? v),
    district: optionalText(30),
    address: text(200),
    description: text(5000),
    knownDefects: optionalText(2000),
    encumbrances: z.array(EncumbranceSchema).max(20).default([]),
    appraisal: YuanSchema,
    appraisalBasis: z.enum(['appraisal_report', 'price_inquiry', 'agreement'], {
      error: 'validation.required',
    }),
    appraisalDate: z.iso.date({ error: 'validation.date' }),
  })
  .refine((a) => cityFitsProvince(a.city, a.province), {
    // The pickers offer every city when no province is chosen (without JavaScript): a slip between them.
    error: 'validation.cityNotInProvince',
    path: ['city'],
  });
export type CreateAssetInput = z.input<typeof CreateAssetSchema>;

// ---- the case lifecycle (ADR 016) ----------------------------------------------------------

/** The filters of the case list and of its CSV (issue 22); an unknown value is no filter, not an error. */
export const CaseListQuerySchema = z.object({
  /** The keyset cursor (server/keyset.ts): the previous page's last case. */
  before: z.string().max(100).optional().catch(undefined),
  status: z.enum(['open', 'suspended', 'overdue', 'zhongben', 'closed']).optional().catch(undefined),
  type: z.enum(CASE_TYPES).optional().catch(undefined),
  /** A case number or a party's name, or part of either. */
  q: z
    .string()
    .trim()
    .max(50)
    .optional()
    .catch(undefined)
    .transform((v) => v || undefined),
});

export const StartIntervalSchema = z
  .object({
    kind: z.enum(INTERVAL_KINDS, { error: 'validation.required' }),
    startsOn: day,
    /** Known already (an appraisal that took 20 days); otherwise it lasts until ended. */
    endsOn: day.optional(),
    reason: text(500),
  })
  .refine((i) => !i.endsOn || i.endsOn >= i.startsOn, { error: 'validation.dateOrder', path: ['endsOn'] });

export const EndIntervalSchema = z.object({ endsOn: day });

export const ExtensionSchema = z
  .object({
    months: count(1, 12),
    reason: text(500),
    authority: z.enum(['president', 'high_court'], { error: 'validation.required' }).default('president'),
    /** The high court's approval document, for an extension beyond the president's 3 months. */
    reference: optionalText(100),
  })
  .refine((e) => e.authority === 'president' || !!e.reference, {
    error: 'validation.required',
    path: ['reference'],
  });

/** Each measure's details, validated per kind (a new kind adds its schema here). */
export const MEASURE_DETAILS = {
  enforcement_notice: z.object({
    serviceMethod: z.enum(['direct', 'post', 'electronic', 'publication'], { error: 'validation.required' }),
    documentNumber: optionalText(100),
  }),
  property_report_order: z.object({
    reportWithinDays: count(1, 60).optional(),
    documentNumber: optionalText(100),
  }),
  /** The debtor's report and its check (终本规定 art. 2): reported, or late, refused or false. */
  property_report: z.object({
    outcome: z.enum(['reported', 'late', 'refused', 'false_report'], { error: 'validation.required' }),
    summary: text(2000),
  }),
  online_search: z.object({}).passthrough(),
  /** Where the network does not reach (art. 3(3)); `covers` names the categories checked on site. */
  onsite_check: z.object({
    place: text(200),
    covers: list(PROPERTY_CATEGORIES),
    propertyHidden: flag,
    summary: text(2000),
  }),
  premises_search: z.object({ place: text(200), summary: text(2000) }),
  seizure: z.object({
    action: z.enum(['seal', 'seize', 'freeze'], { error: 'validation.required' }),
    property: text(500),
    valueFen: fenText.optional(),
  }),
  consumption_restriction: z.object({ persons: text(500), documentNumber: optionalText(100) }),
  /** The listing decision; its ground is art. 1 of the 2017 Provisions (1-6). */
  dishonest_listing: z.object({
    ground: count(1, 6),
    termMonths: count(0, 60).optional(),
    documentNumber: optionalText(100),
  }),
  applicant_interview: z.object({
    subject: z.enum(['progress', 'zhongben'], { error: 'validation.required' }),
    summary: text(2000),
    /** Property leads the applicant gave: checked on site before 终本 (art. 3(1)). */
    leads: optionalText(2000),
    /** An audit or a bounty the applicant asked for (art. 3(5)). */
    requests: list(['bounty', 'audit'] as const),
  }),
  bounty: z.object({ reward: optionalText(200), summary: text(1000) }),
  audit: z.object({ firm: optionalText(200), summary: text(2000) }),
  whereabouts_search: z.object({ summary: text(2000), found: flag }),
  fine: z.object({ person: text(100), amountFen: fenText }),
  /** 民诉法 art. 118: detention up to 15 days. */
  detention: z.object({ person: text(100), days: count(1, 15) }),
  criminal_referral: z.object({ summary: text(2000) }),
} satisfies Record<MeasureKind, z.ZodType>;

export const RecordMeasureSchema = z.object({
  kind: z.enum(RECORDABLE_MEASURES, { error: 'validation.measureKind' }),
  takenOn: day,
  note: optionalText(1000),
  details: z.record(z.string(), z.unknown()).default({}),
});
export type RecordMeasureInput = z.input<typeof RecordMeasureSchema>;

export const PropertySearchSchema = z.object({
  categories: list(PROPERTY_CATEGORIES)
    .transform((c) => (c.length ? c : [...PROPERTY_CATEGORIES]))
    .optional(),
});

const closedOn = day.optional();
const ruling = text(100);
const reason = text(1000);
export const CloseCaseSchema = z.discriminatedUnion(
  'mode',
  [
    z.object({ mode: z.literal('fully_performed'), closedOn, recovered: YuanSchema }),
    z.object({ mode: z.literal('settlement_performed'), closedOn, recovered: YuanSchema }),
    z.object({
      mode: z.literal('terminated'),
      closedOn,
      ruling,
      reason,
      recovered: YuanSchema.optional(),
    }),
    /** 终本: the ruling states the unpaid amount; the applicant signs, or the president approves (art. 517). */
    z.object({
      mode: z.literal('terminated_for_now'),
      closedOn,
      ruling,
      unpaid: YuanSchema,
      confirmation: z.enum(['applicant_signed', 'president_approved'], { error: 'validation.required' }),
      recovered: YuanSchema.optional(),
    }),
    z.object({ mode: z.literal('not_enforced'), closedOn, ruling, reason }),
    z.object({ mode: z.literal('rejected'), closedOn, ruling, reason }),
    z.object({ mode: z.literal('withdrawn'), closedOn, reason }),
  ],
  { error: 'validation.required' },
);
export type CloseCaseInput = z.input<typeof CloseCaseSchema>;

export const ResumeCaseSchema = z.object({
  caseNumber: z
    .string({ error: 'validation.required' })
    .transform(normaliseCaseNumber)
    .refine((s) => parseCaseNumber(s)?.type === '执恢', { error: 'validation.resumedCaseNumber' }),
  filedOn: day.optional(),
  reason: text(1000),
});

export const DismissResumptionSchema = z.object({ reason: text(1000) });

export const ReceiveComplaintSchema = z.object({
  channel: z.enum(['visit', 'letter', 'phone', 'online'], { error: 'validation.required' }),
  complainant: text(100),
  summary: text(2000),
  receivedOn: day.optional(),
});
export const AssignComplaintSchema = z.object({
  assigneeId: z.uuid({ error: 'validation.required' }),
});
export const SettleComplaintSchema = z.object({ outcome: text(2000), settledOn: day.optional() });
