/**
 * Typed domain errors. Services throw these; the HTTP layer, Remix routes and socket
 * acknowledgements map them once (see `httpStatusOf`). Database details never reach a user:
 * anything that is not a DomainError is logged and answered as "internal".
 */
export type ErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'validation'
  | 'conflict'
  | 'rate_limited'
  | 'locked'
  | 'internal';

// The server bundle and the Remix build each hold a copy of this module (TOOLCHAIN pitfall 3),
// so errors are recognised by a registered symbol, not by `instanceof`.
const BRAND = Symbol.for('lastmile.DomainError');

export class DomainError extends Error {
  override name = 'DomainError';
  readonly [BRAND] = true;
  constructor(
    readonly code: ErrorCode,
    /** i18n key of the user-facing message (catalog `errors.*`). */
    readonly messageKey: string,
    readonly details: {
      fieldErrors?: Record<string, string[]>;
      params?: Record<string, string | number>;
    } = {},
  ) {
    super(messageKey);
  }
}

export const forbidden = (key = 'errors.forbidden') => new DomainError('forbidden', key);
export const notFound = (key = 'errors.notFound') => new DomainError('not_found', key);
export const unauthenticated = () => new DomainError('unauthenticated', 'errors.unauthenticated');

const STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  validation: 400,
  conflict: 409,
  rate_limited: 429,
  locked: 423,
  internal: 500,
};

export function httpStatusOf(error: unknown): number {
  return isDomainError(error) ? STATUS[error.code] : 500;
}

export function isDomainError(error: unknown): error is DomainError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/** A PostgreSQL unique violation (23505), optionally of one named constraint; drizzle wraps the driver error in `cause`. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = ((error as { cause?: unknown })?.cause ?? error) as { code?: string; constraint_name?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint_name === constraint);
}
