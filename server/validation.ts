import type { z } from 'zod';
import { DomainError } from './errors.js';

/** zod issues → `{ field: [i18n keys] }`, the shape every form shows next to its fields. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_form';
    out[key] = [...(out[key] ?? []), issue.message];
  }
  return out;
}

/** Validates service input at the boundary: a bad input is a `validation` error and changes nothing. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new DomainError('validation', 'errors.validation', { fieldErrors: fieldErrorsOf(result.error) });
  }
  return result.data;
}

export function validationError(fieldErrors: Record<string, string[]>): DomainError {
  return new DomainError('validation', 'errors.validation', { fieldErrors });
}

/** A well-formed UUID: anything else is answered as not found before a query could fail on it. */
export const isUuid = (s: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
