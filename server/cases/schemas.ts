import { z } from 'zod';

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

export const CreateCaseSchema = z.object({
  caseNumber: z
    .string({ error: 'validation.required' })
    .transform(normaliseCaseNumber)
    .refine((s) => CASE_NUMBER.test(s), { error: 'validation.caseNumber' }),
  basis: text(500),
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

export const CreateAssetSchema = z.object({
  type: z.enum(
    ['residential', 'commercial', 'land_use_right', 'vehicle', 'equity', 'machinery', 'other_movable'],
    {
      error: 'validation.required',
    },
  ),
  title: text(200),
  province: text(20),
  city: text(30),
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
});
export type CreateAssetInput = z.input<typeof CreateAssetSchema>;
