import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { Config } from '../../config.js';
import { httpStatusOf, isDomainError } from '../../errors.js';
import type { Services } from '../../services.js';
import { problemBody } from '../problem.js';
import { createRateLimiter } from '../rate-limit.js';

/** How long an aggregator (or a cache in front of us) may reuse an answer. */
export const PUBLIC_MAX_AGE_S = 60;

const toJson = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

/**
 * The public, read-only JSON API (ADR 026): announcements, results and the calendar, for
 * aggregators and the SPC's disclosure site. No token; only what the public pages show; keyset
 * pages (`next` → `after`); `Cache-Control` with an ETag (a repeat with If-None-Match gets 304);
 * limited per client address (429 with Retry-After).
 */
export function createPublicApiRouter(services: Services, config: Pick<Config, 'PUBLIC_API_PER_MINUTE'>) {
  const router = express.Router();
  const hit = createRateLimiter({ limit: config.PUBLIC_API_PER_MINUTE, windowMs: 60_000 });
  const send = (res: Response, status: number, type: string, body: string) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.status(status).type(type).send(body);
  };
  const problem = (req: Request, res: Response, code: Parameters<typeof problemBody>[0]) => {
    const body = problemBody(code, String(req.id));
    res.setHeader('Cache-Control', 'no-store');
    send(res, body.status, 'application/problem+json', toJson(body));
  };

  router.use((req, res, next) => {
    const over = hit(req.ip ?? 'unknown');
    if (!over) return next();
    res.setHeader('Retry-After', String(over.retryAfterS));
    problem(req, res, { code: 'rate_limited', messageKey: 'errors.publicRateLimited' });
  });

  const feed =
    (read: (q: Record<string, unknown>) => Promise<unknown>) => async (req: Request, res: Response) => {
      try {
        const body = toJson(await read(req.query as Record<string, unknown>));
        const etag = `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
        res.setHeader('Cache-Control', `public, max-age=${PUBLIC_MAX_AGE_S}`);
        res.setHeader('ETag', etag);
        res.setHeader('Vary', 'Accept-Encoding');
        const seen = req.get('If-None-Match');
        if (seen?.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
          res.status(304).end();
          return;
        }
        send(res, 200, 'application/json', body);
      } catch (error) {
        if (isDomainError(error) && httpStatusOf(error) < 500)
          return problem(req, res, { code: error.code, messageKey: error.messageKey });
        req.log.error({ err: error }, 'public api error');
        problem(req, res, { code: 'internal', messageKey: 'errors.internal' });
      }
    };

  const l = services.listings;
  router.get(
    '/announcements',
    feed((q) => l.feedAnnouncements(q)),
  );
  router.get(
    '/results',
    feed((q) => l.feedResults(q)),
  );
  router.get(
    '/calendar',
    feed((q) => l.feedCalendar(q)),
  );
  router.get('/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', `public, max-age=${PUBLIC_MAX_AGE_S}`);
    res.type('application/json').send(JSON.stringify(publicOpenApiDocument()));
  });
  router.use((req, res) => problem(req, res, { code: 'not_found', messageKey: 'errors.notFound' }));
  return router;
}

/** The public feed's own OpenAPI 3.1 document. */
export function publicOpenApiDocument() {
  const page = (description: string) => ({
    description,
    headers: {
      'Cache-Control': { schema: { type: 'string' }, description: `public, max-age=${PUBLIC_MAX_AGE_S}` },
      ETag: { schema: { type: 'string' } },
    },
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['rows', 'next'],
          properties: {
            rows: { type: 'array', items: { type: 'object' } },
            next: {
              type: ['string', 'null'],
              description: 'Pass as `after` for the next page; null at the end',
            },
          },
        },
      },
    },
  });
  const common = [
    { name: 'after', in: 'query', schema: { type: 'string' }, description: 'The previous page’s `next`' },
    { name: 'type', in: 'query', schema: { type: 'string' } },
    { name: 'province', in: 'query', schema: { type: 'string' } },
    { name: 'city', in: 'query', schema: { type: 'string' } },
    { name: 'court', in: 'query', schema: { type: 'string' }, description: 'A court code' },
  ];
  const responses = (d: string) => ({
    200: page(d),
    304: { description: 'Not modified (If-None-Match)' },
    400: { description: 'A bad filter or cursor' },
    429: {
      description: 'Too many requests from this address',
      headers: { 'Retry-After': { schema: { type: 'integer' } } },
    },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'LastMile public auction feed',
      version: '1',
      description: `Read-only, no token. What the public pages show, never a bidder's identity. Amounts in integer fen as strings. Pages of 50; answers may be cached ${PUBLIC_MAX_AGE_S} s; ${'`'}If-None-Match${'`'} is honoured; requests are limited per client address.`,
    },
    servers: [{ url: '/api/public/v1' }],
    paths: {
      '/announcements': {
        get: {
          summary: 'Published announcements not yet ended, soonest first',
          parameters: [
            ...common,
            { name: 'status', in: 'query', schema: { type: 'string', enum: ['upcoming', 'live'] } },
          ],
          responses: responses('A page of announcements'),
        },
      },
      '/results': {
        get: {
          summary: 'Ended auctions, latest first: outcome, and the price when sold',
          parameters: [
            ...common,
            { name: 'outcome', in: 'query', schema: { type: 'string', enum: ['sold', 'failed'] } },
          ],
          responses: responses('A page of results'),
        },
      },
      '/calendar': {
        get: {
          summary: 'Upcoming starts in date order (Beijing days)',
          parameters: [
            ...common,
            {
              name: 'from',
              in: 'query',
              schema: { type: 'string', format: 'date' },
              description: 'Default: today',
            },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'date' } },
          ],
          responses: responses('A page of the calendar, each row with its `date`'),
        },
      },
      '/openapi.json': {
        get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } },
      },
    },
  };
}
