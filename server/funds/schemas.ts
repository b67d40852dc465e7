/** The court's and the creditor's forms on a case's funds (the services parse with these; the API documents them). */
import { z } from 'zod';
import { YuanSchema } from '../cases/schemas.js';
import { CLAIM_CLASSES, DEFERRAL_REASONS } from './rules.js';

const text = (max: number) =>
  z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .max(max, 'validation.tooLong');

export const DaySchema = z
  .string({ error: 'validation.required' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.date')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'validation.date');

const optionalDay = z.preprocess((v) => (v === '' ? undefined : v), DaySchema.optional());
const positiveYuan = YuanSchema.refine((v) => v > 0n, 'validation.amount');
const optionalYuan = z.preprocess((v) => (v === '' || v === undefined ? '0' : v), YuanSchema);

export const CostSchema = z.object({
  kind: z.enum(['appraisal', 'auction', 'notice', 'storage', 'other'], {
    error: 'funds.validation.costKind',
  }),
  amount: positiveYuan,
  note: z.string().trim().max(200, 'validation.tooLong').default(''),
});

/**
 * A creditor's claim: the case's own applicant (his party), or a creditor joining the
 * distribution (参与分配, arts. 506-507) with his enforcement title, added as a party.
 */
export const ClaimSchema = z
  .object({
    partyId: z.string().uuid('validation.required').optional(),
    joiningName: z.string().trim().max(100, 'validation.tooLong').optional(),
    joiningKind: z.enum(['person', 'company']).optional(),
    class: z.enum(CLAIM_CLASSES, { error: 'funds.validation.class' }),
    titleNumber: text(100),
    principal: positiveYuan,
    interest: optionalYuan,
    delayFrom: optionalDay,
    registeredOn: optionalDay,
    seizureRank: z.coerce.number().int().min(1).max(999).optional(),
    /** The creditor's own platform account, so he follows his share and may object online. */
    creditorEmail: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.string().trim().toLowerCase().email('funds.validation.email').optional(),
    ),
    payeeName: text(100),
    bankName: text(100),
    accountNumber: z
      .string({ error: 'validation.required' })
      .trim()
      .regex(/^[0-9 ]{8,34}$/, 'funds.validation.accountNumber'),
  })
  .refine((v) => v.partyId || v.joiningName, { path: ['joiningName'], error: 'validation.required' })
  .refine((v) => v.class !== 'secured' || v.registeredOn, {
    path: ['registeredOn'],
    error: 'funds.validation.registeredOn',
  });

/** The court's order of the ranked classes (labour included where its province ranks it). */
export const CourtOrderSchema = z.object({
  order: z
    .array(z.enum(['construction', 'tax_before_mortgage', 'secured', 'tax_after_mortgage', 'labour']))
    .min(1)
    .refine((a) => new Set(a).size === a.length, 'funds.validation.order'),
});

export const DraftSchema = z.object({ cutoffOn: DaySchema });

export const ServeSchema = z.object({
  servedOn: DaySchema,
  /** The recipients served that day; every one not yet served when omitted. */
  partyIds: z.array(z.string().uuid()).optional(),
});

export const ObjectionSchema = z.object({
  lineId: z.string().uuid('validation.required'),
  disputed: positiveYuan,
  reason: text(1000),
  /** Written objection received by the court (the clerk records it for the party). */
  partyId: z.string().uuid().optional(),
  receivedOn: optionalDay,
});

export const SuitDecisionSchema = z.object({ awarded: optionalYuan });

export const DeferralSchema = z.object({
  reason: z.enum(DEFERRAL_REASONS, { error: 'funds.validation.reason' }),
  note: z.string().trim().max(500, 'validation.tooLong').default(''),
});

export const CreatePayoutBatchSchema = z.object({
  lineIds: z.array(z.string().uuid()).min(1, 'funds.validation.nothingChosen'),
});

export const ReissueSchema = z.object({
  payeeName: text(100).optional(),
  bankName: text(100).optional(),
  accountNumber: z
    .string()
    .trim()
    .regex(/^[0-9 ]{8,34}$/, 'funds.validation.accountNumber')
    .optional(),
});
