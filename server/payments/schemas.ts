import { z } from 'zod';
import { YuanSchema } from '../cases/schemas.js';

export const StartPaymentSchema = z.object({
  target: z.enum(['deposit', 'balance'], { error: 'validation.required' }),
  id: z.string({ error: 'validation.required' }).min(1, 'validation.required'),
  method: z.enum(['card', 'bank_transfer'], { error: 'payments.chooseMethod' }),
});

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const RecordTransferSchema = z.object({
  reference: z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .max(40, 'validation.tooLong'),
  amount: YuanSchema,
  bankReference: z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .max(60, 'validation.tooLong'),
  receivedOn: z
    .string({ error: 'validation.required' })
    .regex(ISO_DATE, 'validation.date')
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'validation.date'),
});

export const DecideTransferSchema = z
  .object({
    decision: z.enum(['confirm', 'reject'], { error: 'validation.required' }),
    reason: z.string().trim().max(500, 'validation.tooLong').optional(),
  })
  .refine((v) => v.decision === 'confirm' || (v.reason?.length ?? 0) > 0, {
    path: ['reason'],
    error: 'payments.rejectNeedsReason',
  });

export const RegisterSchema = z.object({
  acceptNotices: z.literal(true, { error: 'registration.mustAcceptNotices' }),
  promiseEligibility: z.boolean().default(false),
});
