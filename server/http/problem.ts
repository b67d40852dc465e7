import type { Request, Response } from 'express';
import casesEn from '../../app/i18n/cases.en.json' with { type: 'json' };
import en from '../../app/i18n/en.json' with { type: 'json' };
import salesEn from '../../app/i18n/sales.en.json' with { type: 'json' };
import zh from '../../app/i18n/zh-CN.json' with { type: 'json' };
import { DomainError, type ErrorCode, httpStatusOf } from '../errors.js';
import { localeFrom } from './cookies.js';

/** The English catalogs the API's problem titles come from (the area catalogs' keys never overlap). */
const english = { ...en, ...salesEn, ...casesEn };

const lookup = (catalog: object, key: string): string | undefined =>
  key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], catalog) as
    | string
    | undefined;

export const englishOf = (key: string): string => lookup(english, key) ?? key;

const interpolate = (text: string, params: Record<string, string | number> = {}) =>
  text.replace(/\{\{(\w+)\}\}/g, (m, name: string) => (name in params ? String(params[name]) : m));

/** Answers the HTTP layer gives before a route runs (the body's size, its syntax). */
export type HttpProblemCode =
  | ErrorCode
  | 'payload_too_large'
  | 'length_required'
  | 'bad_request'
  /** An Idempotency-Key reused for another request (ADR 026). */
  | 'unprocessable';

const EXTRA: Record<Exclude<HttpProblemCode, ErrorCode>, number> = {
  payload_too_large: 413,
  length_required: 411,
  bad_request: 400,
  unprocessable: 422,
};

export interface HttpProblem {
  code: HttpProblemCode;
  messageKey: string;
  params?: Record<string, string | number>;
}

export const statusOfProblem = (code: HttpProblemCode): number =>
  code in EXTRA
    ? EXTRA[code as keyof typeof EXTRA]
    : httpStatusOf(new DomainError(code as ErrorCode, 'errors.internal'));

/** RFC 9457 problem details, the shape every JSON error of the site takes. */
export function problemBody(problem: HttpProblem, requestId: string) {
  const status = statusOfProblem(problem.code);
  return {
    type: `https://lastmile.invalid/problems/${problem.code}`,
    title: interpolate(englishOf(problem.messageKey), problem.params),
    status,
    code: problem.code,
    requestId,
    ...(problem.params && { params: problem.params }),
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Answers an error before Remix runs: problem details to an API client, a small page in the
 * visitor's language to a browser (a form post refused for its size is seen by a person).
 */
export function sendProblem(req: Request, res: Response, problem: HttpProblem): void {
  const requestId = String(req.id ?? '');
  const status = statusOfProblem(problem.code);
  const wantsHtml =
    !req.path.startsWith('/api/') &&
    !req.path.startsWith('/webhooks/') &&
    req.accepts(['application/problem+json', 'application/json', 'text/html']) === 'text/html';
  if (!wantsHtml) {
    res
      .status(status)
      .type('application/problem+json')
      .send(JSON.stringify(problemBody(problem, requestId)));
    return;
  }
  const locale = localeFrom(req.headers.cookie);
  const catalog = locale === 'en' ? en : zh;
  const text = (key: string) => interpolate(lookup(catalog, key) ?? englishOf(key), problem.params);
  const title = text('errors.title');
  res
    .status(status)
    .type('text/html')
    .send(
      `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">` +
        '<meta name="viewport" content="width=device-width, initial-scale=1">' +
        `<title>${escapeHtml(title)}</title></head><body>` +
        `<main><h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(text(problem.messageKey))}</p>` +
        `<p>${escapeHtml(interpolate(text('errors.status'), { status }))}</p>` +
        `<p><a href="/">${escapeHtml(text('common.backHome'))}</a></p></main></body></html>`,
    );
}
