import type { NextFunction, Request, Response } from 'express';
import { sendProblem } from './problem.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * URLs no route can serve, answered before any route reads them: a broken percent-escape (400),
 * a control character such as `%00` in the path (404: no page has such a name), a NUL in the
 * query string (400: PostgreSQL text cannot hold it, and a query with it failed deep inside with
 * a 500).
 */
export function refuseMalformedUrls(req: Request, res: Response, next: NextFunction) {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return sendProblem(req, res, { code: 'bad_request', messageKey: 'errors.badRequest' });
  }
  if (CONTROL.test(path)) return sendProblem(req, res, { code: 'not_found', messageKey: 'errors.notFound' });
  const q = req.originalUrl.indexOf('?');
  if (q >= 0) {
    const query = req.originalUrl.slice(q + 1);
    if (/%00/.test(query) || [...new URLSearchParams(query).values()].some((v) => v.includes('\u0000')))
      return sendProblem(req, res, { code: 'bad_request', messageKey: 'errors.badRequest' });
  }
  next();
}

/** Does this parsed body hold a NUL anywhere (a string value or a key)? */
export function holdsNul(value: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some((v) => holdsNul(v, depth + 1));
  if (value && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v, depth + 1));
  return false;
}

/** An error Express or a library raised with a client status (a bad path escape is 400). */
export function clientStatusOf(error: unknown): number | null {
  const e = error as { status?: unknown; statusCode?: unknown } | null;
  const status = Number(e?.status ?? e?.statusCode);
  return Number.isInteger(status) && status >= 400 && status < 500 ? status : null;
}
