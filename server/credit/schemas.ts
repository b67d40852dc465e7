/**
 * The credit module's inputs (ADR 019), validated at every boundary: the court's forms, the
 * court API, the public query and the partners' check. Pure; shared with the routes.
 */
import { z } from 'zod';
import { YuanSchema } from '../cases/schemas.js';
import { CreditCodeSchema, NationalIdSchema } from '../identity/schemas.js';
import { MANUAL_DELETION_GROUNDS, RESTRICTED_ITEMS } from './rules.js';

const isValidNationalId = (v: string) => NationalIdSchema.safeParse(v).success;
const isValidCreditCode = (v: string) => CreditCodeSchema.safeParse(v).success;

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
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'validation.date' });
const int = (min: number, max: number) =>
  z.coerce.number({ error: 'validation.required' }).int().min(min).max(max);
/** A form's checkbox ('on'), a JSON boolean, or absent. */
const flag = z
  .union([z.boolean(), z.literal('on'), z.literal('true'), z.literal('')])
  .optional()
  .transform((v) => v === true || v === 'on' || v === 'true');

/** A person's ID number or a company's credit code, by the subject's kind. */
const subject = z
  .object({
    subjectKind: z.enum(['person', 'company'], { error: 'validation.required' }),
    name: text(100),
    idNumber: z.string({ error: 'validation.required' }).trim().toUpperCase(),
    legalRepresentative: optionalText(100),
  })
  .superRefine((s, ctx) => {
    const ok = s.subjectKind === 'person' ? isValidNationalId(s.idNumber) : isValidCreditCode(s.idNumber);
    if (!ok)
      ctx.addIssue({
        code: 'custom',
        path: ['idNumber'],
        message: s.subjectKind === 'person' ? 'validation.nationalId' : 'validation.creditCode',
      });
    if (s.subjectKind === 'company' && !s.legalRepresentative)
      ctx.addIssue({ code: 'custom', path: ['legalRepresentative'], message: 'validation.required' });
  });

const roles = [
  'legal_representative',
  'person_in_charge',
  'directly_responsible',
  'actual_controller',
] as const;

export const RestrictedPersonSchema = z.object({
  role: z.enum(roles, { error: 'validation.required' }),
  name: text(100),
  idNumber: z
    .string({ error: 'validation.required' })
    .trim()
    .toUpperCase()
    .refine(isValidNationalId, { error: 'validation.nationalId' }),
});

export const PrepareListingSchema = z
  .object({
    ground: int(1, 6),
    conduct: text(1000),
    evidence: text(2000),
    extensionYears: int(0, 3).default(0),
    graceMonths: int(0, 3).default(0),
    securityGiven: flag,
    laterInOrder: flag,
    obligation: text(1000),
    titleNumber: text(100),
    titleIssuer: text(100),
    performed: YuanSchema.default(0n),
    decisionNumber: text(100),
    /** The restriction order issued with the listing (限消规定 art. 1): its number, and a company's persons. */
    orderNumber: optionalText(100),
    persons: z.array(RestrictedPersonSchema).max(10).default([]),
  })
  .and(subject);
export type PrepareListingInput = z.input<typeof PrepareListingSchema>;

export const ServiceSchema = z.object({
  servedOn: day,
  method: z.enum(['direct', 'mail', 'electronic', 'public_notice'], { error: 'validation.required' }),
});

export const DeleteListingSchema = z.object({
  ground: z.enum(MANUAL_DELETION_GROUNDS, { error: 'validation.required' }),
  reason: text(500),
});

export const RevokeListingSchema = z.object({ reason: text(500) });

/** 失信规定 art. 9: wrong data corrected (the published fields only). */
export const CorrectListingSchema = z.object({
  name: optionalText(100),
  conduct: optionalText(1000),
  obligation: optionalText(1000),
  performed: YuanSchema.optional(),
  legalRepresentative: optionalText(100),
  reason: text(500),
});

export const PrepareRestrictionSchema = z
  .object({
    orderNumber: text(100),
    items: z
      .array(z.enum(RESTRICTED_ITEMS))
      .min(1, { error: 'validation.required' })
      .default([...RESTRICTED_ITEMS]),
    persons: z.array(RestrictedPersonSchema).max(10).default([]),
  })
  .and(subject);
export type PrepareRestrictionInput = z.input<typeof PrepareRestrictionSchema>;

export const ExceptionSchema = z
  .object({
    personId: z.uuid().optional(),
    item: z.enum(RESTRICTED_ITEMS, { error: 'validation.required' }),
    reason: text(500),
    fromOn: day,
    untilOn: day,
  })
  .refine((e) => e.untilOn >= e.fromOn, { path: ['untilOn'], message: 'validation.dateOrder' });

export const LiftRestrictionSchema = z.object({
  ground: z.enum(['security', 'consent', 'full_performance'], { error: 'validation.required' }),
});

export const CorrectionRequestSchema = z.object({
  applicant: text(100),
  reason: text(2000),
  receivedOn: day,
});

export const CorrectionDecisionSchema = z.object({
  outcome: z.enum(['uphold', 'reject'], { error: 'validation.required' }),
  decision: text(2000),
});

export const AppealSchema = z.object({ appealedOn: day });

/** The public query (中国执行信息公开网's form): the name is required, the rest narrows. */
export const PublicQuerySchema = z.object({
  name: text(100),
  idNumber: optionalText(18),
  province: optionalText(20),
  court: optionalText(100),
  page: z.coerce.number().int().min(1).max(50).default(1),
});
export type PublicQuery = z.infer<typeof PublicQuerySchema>;

export const ChallengeAnswerSchema = z.object({
  challenge: z.string().max(500),
  answer: z.string().trim().max(10),
});

/** The partners' check: an 18-character ID number or credit code. */
export const CheckQuerySchema = z.object({
  id: z
    .string({ error: 'validation.required' })
    .trim()
    .toUpperCase()
    .refine((v) => isValidNationalId(v) || isValidCreditCode(v), { error: 'validation.nationalId' }),
});

export const PartnerSchema = z.object({
  name: text(100),
  kind: z.enum(['airline', 'railway', 'credit_bureau', 'other'], { error: 'validation.required' }),
  url: z.url({ error: 'validation.url' }).optional(),
});
