import { z } from 'zod';
import { YuanSchema } from '../cases/schemas.js';
import { AID_CASE_TYPES, AID_DOCUMENT_KINDS } from './rules.js';

const text = (max: number) =>
  z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, { error: 'validation.required' })
    .max(max, { error: 'validation.tooLong' });
const optionalText = (max: number) =>
  z
    .string({ error: 'validation.required' })
    .trim()
    .max(max, { error: 'validation.tooLong' })
    .optional()
    .transform((v) => (v === '' ? undefined : v));
const uuid = z.uuid({ error: 'aidValidation.choose' });
const positiveYuan = YuanSchema.refine((v) => v > 0n, { error: 'aidValidation.positive' });
const day = z.iso.date({ error: 'validation.date' });
/** A percentage typed as "10" or "12.5" → basis points. */
const percent = z.union([z.string(), z.number()], { error: 'validation.required' }).transform((v, ctx) => {
  const m = String(v)
    .trim()
    .match(/^(\d{1,3})(?:\.(\d{1,2}))?$/);
  const bp = m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : Number.NaN;
  if (!m || bp > 10_000) {
    ctx.addIssue({ code: 'custom', message: 'aidValidation.percent' });
    return z.NEVER;
  }
  return bp;
});

export const CaseTypeSchema = z.enum(AID_CASE_TYPES, { error: 'aidValidation.caseType' });

/** An insurer issues a policy to a court. Tiers typed as "up to ¥X at Y%", the last one open. */
export const CreatePolicySchema = z
  .object({
    number: text(60),
    courtId: uuid,
    startsOn: day,
    endsOn: day,
    premium: YuanSchema,
    limit: positiveYuan,
    eligibleCaseTypes: z.array(CaseTypeSchema, { error: 'aidValidation.caseTypes' }).min(1, {
      error: 'aidValidation.caseTypes',
    }),
    tiers: z
      .array(z.object({ upTo: positiveYuan.optional(), rate: percent }), {
        error: 'aidValidation.formulaNoTiers',
      })
      .min(1, { error: 'aidValidation.formulaNoTiers' })
      .max(6, { error: 'validation.tooLong' }),
    cap: positiveYuan,
  })
  .refine((p) => p.endsOn >= p.startsOn, { error: 'aidValidation.termOrder', path: ['endsOn'] });
export type CreatePolicyInput = z.input<typeof CreatePolicySchema>;

export const CourtSettingsSchema = z.object({ committeeThreshold: positiveYuan });

export const CreateClaimSchema = z.object({
  caseId: uuid,
  partyId: uuid,
  policyId: uuid,
  caseType: CaseTypeSchema,
  /** The ground for aid when the case is not closed as 终本 (claim-filing.ts asks the case). */
  eligibilityNote: optionalText(1000),
  filedVia: z.enum(['clerk', 'oral', 'creditor'], { error: 'validation.required' }).default('clerk'),
  unpaid: positiveYuan,
  requested: positiveYuan,
  hardship: text(2000),
  payeeName: text(100),
  bankName: text(100),
  accountNumber: z
    .string({ error: 'validation.required' })
    .transform((s) => s.replace(/[\s-]/g, ''))
    .refine((s) => /^\d{8,30}$/.test(s), { error: 'aidValidation.accountNumber' }),
});
export type CreateClaimInput = z.input<typeof CreateClaimSchema>;

export const DocumentKindSchema = z.enum(AID_DOCUMENT_KINDS, { error: 'validation.fileKind' });

export const ReasonSchema = z.object({ reason: text(1000) });
export const OptionalReasonSchema = z.object({ reason: optionalText(1000) });
export const AmountDecisionSchema = z.object({ amount: positiveYuan, reason: optionalText(1000) });

export const CreateBatchSchema = z.object({
  claimIds: z
    .array(uuid, { error: 'aidValidation.chooseClaims' })
    .min(1, { error: 'aidValidation.chooseClaims' }),
});

export const ReissueSchema = z.object({
  payeeName: optionalText(100),
  bankName: optionalText(100),
  accountNumber: z
    .string()
    .optional()
    .transform((s) => (s ? s.replace(/[\s-]/g, '') : undefined))
    .refine((s) => s === undefined || /^\d{8,30}$/.test(s), { error: 'aidValidation.accountNumber' }),
});

export const RecoverySchema = z.object({
  kind: z.enum(['subrogation', 'fraud_clawback'], { error: 'validation.required' }),
  source: z.enum(['case_account', 'external'], { error: 'validation.required' }),
  amount: positiveYuan,
  note: text(1000),
});

export const ClaimFilterSchema = z.object({
  status: z
    .enum(
      [
        'draft',
        'submitted',
        'returned',
        'court_review',
        'committee_review',
        'court_approved',
        'rejected',
        'insurer_review',
        'insurer_approved',
        'declined',
        'payment',
        'paid',
        'closed',
        'withdrawn',
      ],
      { error: 'validation.required' },
    )
    .optional(),
  overdue: z.stringbool({ error: 'validation.required' }).optional(),
  q: optionalText(60),
  /** Keyset cursor of the page (listClaims checks its shape; a bad one is the first page). */
  before: z.string().max(100).optional().catch(undefined),
});
export type ClaimFilter = z.input<typeof ClaimFilterSchema>;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** A report period in whole Beijing months, `YYYY-MM` to `YYYY-MM` inclusive. */
export const ReportQuerySchema = z
  .object({
    from: z.string({ error: 'aidValidation.month' }).regex(MONTH, { error: 'aidValidation.month' }),
    to: z.string({ error: 'aidValidation.month' }).regex(MONTH, { error: 'aidValidation.month' }),
    courtId: uuid.optional(),
    insurerId: uuid.optional(),
  })
  .refine((q) => q.from <= q.to, { error: 'aidValidation.periodOrder', path: ['to'] });
export type ReportQuery = z.input<typeof ReportQuerySchema>;
