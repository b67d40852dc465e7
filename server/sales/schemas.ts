/** The court's forms on a sale (the services parse with these; the API documents them). */
import { z } from 'zod';
import { MomentSchema } from '../auctions/schemas.js';

const text = (max: number) =>
  z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .max(max, 'validation.tooLong');

const Day = z
  .string({ error: 'validation.required' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.date')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'validation.date');

/** 限购: the re-check's outcome; a failure says why (the buyer is told). */
export const EligibilitySchema = z
  .object({
    outcome: z.enum(['passed', 'failed'], { error: 'sales.validation.outcome' }),
    reason: z.string().trim().max(500, 'validation.tooLong').optional(),
  })
  .refine((v) => v.outcome === 'passed' || (v.reason?.length ?? 0) > 0, {
    path: ['reason'],
    error: 'sales.validation.reasonRequired',
  });

/** Art. 26: the day the ruling was served on the buyer. */
export const ServiceSchema = z.object({ servedOn: Day });

/** Art. 27: when and where the asset is handed over (Beijing time). */
export const ScheduleHandoverSchema = z.object({ scheduledFor: MomentSchema, place: text(200) });

export const HandoverDoneSchema = z.object({
  handedOverOn: Day,
  note: z.string().trim().max(500, 'validation.tooLong').optional(),
});

export const ObstructionSchema = z.object({ reason: text(500) });
