/**
 * The bounties module's inputs (ADR 022), validated at every boundary: the court's forms, the
 * public tip form and the receipt check. Pure; shared with the routes.
 */
import { z } from 'zod';
import { YuanSchema } from '../cases/schemas.js';
import { CreditCodeSchema, NationalIdSchema } from '../identity/schemas.js';
import { CHANNELS, LEAD_KINDS } from './rules.js';

const text = (max: number) =>
  z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, { error: 'validation.required' })
    .max(max, { error: 'validation.tooLong' });
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: 'validation.tooLong' })
    .optional()
    .transform((v) => (v ? v : undefined));
const day = z
  .string({ error: 'validation.required' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'validation.date' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), { error: 'validation.date' });
const flag = z
  .union([z.boolean(), z.literal('on'), z.literal('true'), z.literal('')])
  .optional()
  .transform((v) => v === true || v === 'on' || v === 'true');
const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const positiveYuan = YuanSchema.refine((v) => v > 0n, { error: 'validation.amount' });

/** Art. 21: the applicant's written application, recorded by the clerk. */
export const ApplicationSchema = z
  .object({
    applicantName: text(100),
    appliedOn: day,
    rewardKind: z.enum(['fixed', 'percent'], { error: 'validation.required' }),
    /** A fixed sum (yuan). */
    reward: z.preprocess(blankToUndefined, positiveYuan.optional()),
    /** A percentage of the money recovered, up to two decimals (10 = 10%). */
    percent: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ error: 'bounties.validation.percent' })
        .min(0.01, { error: 'bounties.validation.percent' })
        .max(100, { error: 'bounties.validation.percent' })
        .optional(),
    ),
    cap: z.preprocess(blankToUndefined, positiveYuan.optional()),
    scope: z.enum(['property', 'whereabouts', 'both'], { error: 'validation.required' }),
    channels: z.preprocess(
      (v) => (typeof v === 'string' ? [v] : (v ?? [])),
      z.array(z.enum(CHANNELS)).min(1, { error: 'bounties.validation.channels' }),
    ),
    terms: text(2000),
    /** Art. 21: the promise to pay for a lead the court did not hold that leads to realisation. */
    promise: flag.refine((v) => v, { error: 'bounties.validation.promise' }),
    debtorName: text(100),
    debtorKind: z.enum(['person', 'company'], { error: 'validation.required' }),
    debtorId: z.string().trim().toUpperCase(),
    lastKnownAddress: text(300),
    unpaid: positiveYuan,
    publishFrom: day,
    publishUntil: day,
  })
  .superRefine((v, ctx) => {
    if (v.rewardKind === 'fixed' && v.reward === undefined)
      ctx.addIssue({ code: 'custom', path: ['reward'], message: 'validation.required' });
    if (v.rewardKind === 'percent' && v.percent === undefined)
      ctx.addIssue({ code: 'custom', path: ['percent'], message: 'validation.required' });
    if (
      v.rewardKind === 'percent' &&
      v.percent !== undefined &&
      Math.round(v.percent * 100) !== v.percent * 100
    )
      ctx.addIssue({ code: 'custom', path: ['percent'], message: 'bounties.validation.percent' });
    const ok =
      v.debtorKind === 'person'
        ? NationalIdSchema.safeParse(v.debtorId).success
        : CreditCodeSchema.safeParse(v.debtorId).success;
    if (!ok) ctx.addIssue({ code: 'custom', path: ['debtorId'], message: 'bounties.validation.debtorId' });
  });

export const DecisionSchema = z
  .object({
    decision: z.enum(['approve', 'reject'], { error: 'validation.required' }),
    reason: optionalText(500),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'reject' && !v.reason)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'validation.required' });
  });

export const CloseSchema = z.object({ reason: text(500) });

/** Art. 23: anyone's tip; the informant's identity is registered, confidential to the court. */
export const TipSchema = z.object({
  submissionKey: z.uuid({ error: 'errors.validation' }),
  leadKind: z.enum(LEAD_KINDS, { error: 'validation.required' }),
  lead: text(4000),
  informantName: text(100),
  contact: text(100),
  /** Art. 24: no reward for the applicant's agent or a person obliged to report. */
  eligible: flag.refine((v) => v, { error: 'bounties.validation.eligible' }),
});

export const ReceiptSchema = z.object({ receipt: text(40) });

export const AssessSchema = z
  .object({
    verdict: z.enum(['valid', 'invalid'], { error: 'validation.required' }),
    outcome: z.preprocess(
      blankToUndefined,
      z.enum(['not_useful', 'already_known', 'duplicate', 'ineligible']).optional(),
    ),
    /** The earlier tip's number, for a duplicate. */
    duplicateOf: z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional()),
    note: optionalText(1000),
  })
  .superRefine((v, ctx) => {
    if (v.verdict === 'invalid' && !v.outcome)
      ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'validation.required' });
    if (v.outcome === 'duplicate' && v.duplicateOf === undefined)
      ctx.addIssue({ code: 'custom', path: ['duplicateOf'], message: 'validation.required' });
  });

/** The money the lead actually recovered (the 2011 opinion), as the court's result notice states it. */
export const AwardSchema = z.object({ recovered: positiveYuan });
