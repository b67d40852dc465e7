import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config.js';
import { type HttpProblem, sendProblem } from './problem.js';

type Limits = Pick<
  Config,
  'BODY_LIMIT_FORM' | 'BODY_LIMIT_JSON' | 'BODY_LIMIT_WEBHOOK' | 'BODY_LIMIT_UPLOAD'
>;

/** `1048576` → `1 MB`, for the message that names the limit. */
export const formatBytes = (n: number): string =>
  n >= 1024 * 1024 && n % (1024 * 1024) === 0
    ? `${n / (1024 * 1024)} MB`
    : n >= 1024
      ? `${Math.round(n / 1024)} KB`
      : `${n} B`;

/** The largest body this request may carry: by where it goes and, for pages, by its encoding. */
export function bodyLimitOf(req: Pick<Request, 'path' | 'headers'>, limits: Limits): number {
  if (req.path.startsWith('/api/')) return limits.BODY_LIMIT_JSON;
  if (req.path.startsWith('/webhooks/')) return limits.BODY_LIMIT_WEBHOOK;
  const type = req.headers['content-type']?.toLowerCase() ?? '';
  return type.startsWith('multipart/form-data') ? limits.BODY_LIMIT_UPLOAD : limits.BODY_LIMIT_FORM;
}

export const tooLarge = (limit: number): HttpProblem => ({
  code: 'payload_too_large',
  messageKey: 'errors.payloadTooLarge',
  params: { limit: formatBytes(limit) },
});

/** Refuses without reading the body; the connection is closed so the rest is never read either. */
function refuse(req: Request, res: Response, problem: HttpProblem) {
  req.log?.warn({ code: problem.code, length: req.headers['content-length'] }, 'request body refused');
  res.setHeader('Connection', 'close');
  sendProblem(req, res, problem);
}

/**
 * Every request body is limited before a byte of it is read. A declared length beyond the limit
 * is refused at once (413). Pages (Remix actions read their body as a stream, with no limit of
 * their own) must declare their length, as browsers always do: an unannounced (chunked) body is
 * refused (411), and Node's parser never hands over more than the declared length. The JSON API
 * and the webhooks read through body-parser, which counts a chunked body as it arrives and stops
 * at the same limit (see `bodyParserProblem`).
 */
export function limitBodies(limits: Limits) {
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (declared === undefined && !chunked) return next();
    const limit = bodyLimitOf(req, limits);
    if (declared !== undefined) {
      if (Number(declared) > limit) return refuse(req, res, tooLarge(limit));
      return next();
    }
    if (req.path.startsWith('/api/') || req.path.startsWith('/webhooks/')) return next();
    refuse(req, res, { code: 'length_required', messageKey: 'errors.lengthRequired' });
  };
}

/**
 * body-parser's errors (express.json, express.raw) as problems: a body over the limit (413),
 * malformed JSON (400), an unknown encoding or charset (415 as 400 here: the request is unusable).
 * Anything else is not ours to answer (null).
 */
export function bodyParserProblem(error: unknown, limit: number): HttpProblem | null {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return tooLarge(limit);
  if (
    type === 'entity.parse.failed' ||
    type === 'encoding.unsupported' ||
    type === 'charset.unsupported' ||
    type === 'request.aborted' ||
    type === 'request.size.invalid' ||
    type === 'stream.encoding.set'
  )
    return { code: 'bad_request', messageKey: 'errors.badRequest' };
  return null;
}
