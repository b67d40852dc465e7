import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { AppLoadContext } from '@remix-run/node';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config.js';
import type { PublicConfig } from '../context.js';
import { httpStatusOf } from '../errors.js';
import { CHANGE_PASSWORD_PATH, openWhileChangeDue } from '../identity/forced-change.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import { isUuid } from '../validation.js';
import { createPublicApiRouter } from './api/public.js';
import { createApiRouter, creditCheckHandler } from './api.js';
import { bodyLimitOf, bodyParserProblem, limitBodies } from './body-limit.js';
import { CSRF_COOKIE, csrfCookie, localeFrom, parseCookies, SESSION_COOKIE } from './cookies.js';
import { clientStatusOf, refuseMalformedUrls } from './malformed.js';
import { measureRequests, metricsHandler } from './metrics.js';
import { sendProblem } from './problem.js';
import { createTransparencyRouter } from './transparency.js';

export interface HttpAppOptions {
  services: Services;
  config: Config;
  logger: Logger;
  publicConfig: PublicConfig;
  /** Serves the Remix app; receives the per-request context. */
  remix: (getContext: (req: Request, res: Response) => AppLoadContext) => express.RequestHandler;
  /** Extra middleware mounted before Remix (Vite dev middleware, static build assets). */
  assets?: express.RequestHandler[];
  /** The build's hashed files (buildAssets), served before any page middleware (ADR 034). */
  hashedAssets?: express.RequestHandler;
  /** Vite dev server in front: its injected scripts are inline and carry no nonce. */
  dev: boolean;
  root: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createHttpApp(opts: HttpAppOptions) {
  const { services, config, logger } = opts;
  const app = express();
  app.disable('x-powered-by');
  // A number of hops, never `true`: the client's address is what the outermost trusted proxy saw,
  // not the left-most X-Forwarded-For, which the client writes himself (ADR 017).
  app.set('trust proxy', config.TRUST_PROXY);
  // Scripts and stylesheets first: none of a page's headers, logging or checks apply to them.
  if (opts.hashedAssets) app.use(opts.hashedAssets);

  // A request id on every log line (pino-http binds it to req.log).
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customAttributeKeys: { reqId: 'requestId' },
      quietReqLogger: true,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url?.startsWith('/assets/') === true },
      serializers: {
        req: (req) => ({ method: req.method, url: req.url }),
        res: (res) => ({ status: res.statusCode }),
      },
    }),
  );

  app.use(measureRequests);
  // Before anything reads a body: its declared size (ADR 017).
  app.use(limitBodies(config));
  // URLs no route can serve (a broken escape, %00): 400/404 before any route reads them.
  app.use(refuseMalformedUrls);

  // Art. 20: a bid (or proxy order) posted by the page's form is timed when its request reaches
  // the server, before the body is read or the session checked (ADR 008, "Arrival time").
  app.post('/auctions/:listingId', (req, res, next) => {
    const { listingId } = req.params;
    if (isUuid(listingId)) {
      const arrival = services.bidding.arrive(listingId);
      res.locals.arrival = arrival;
      res.on('close', arrival.settle);
    }
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', metricsHandler(services, config));
  app.get('/readyz', async (req, res) => {
    try {
      await services.ping();
      res.json({ status: 'ready' });
    } catch (error) {
      req.log.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', reason: 'database' });
    }
  });

  // The partners' check (ADR 019): a hot JSON path, ahead of the page middleware below.
  app.get('/api/v1/credit/check', creditCheckHandler(services));

  // CSP with a per-request nonce for Remix's inline hydration scripts.
  app.use((_req, res, next) => {
    res.locals.nonce = randomBytes(16).toString('base64');
    next();
  });
  const { dev } = opts;
  const stripe = Boolean(config.STRIPE_SECRET_KEY);
  const stripeSrc = stripe ? ['https://js.stripe.com'] : [];
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: [
            "'self'",
            (_req, res) => `'nonce-${(res as Response).locals.nonce}'`,
            ...(dev ? ["'unsafe-inline'"] : []),
            ...stripeSrc,
          ],
          // Stripe's Payment Element runs in its own frames and talks to its API.
          frameSrc: stripe ? ['https://js.stripe.com', 'https://hooks.stripe.com'] : ["'none'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'", 'ws:', 'wss:', ...(stripe ? ['https://api.stripe.com'] : [])],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: config.COOKIE_SECURE ? [] : null,
        },
      },
      crossOriginEmbedderPolicy: false,
      // With no-referrer (helmet's default) Chrome sends `Origin: null` on a form post, which
      // Remix refuses as cross-site: every no-JavaScript form would fail. Same-origin only.
      referrerPolicy: { policy: 'same-origin' },
      strictTransportSecurity: config.COOKIE_SECURE,
    }),
  );
  app.use(compression());
  for (const m of opts.assets ?? []) app.use(m);
  app.use(express.static(path.join(opts.root, 'public'), { maxAge: '1h' }));

  // Cross-site request forgery, first layer: browsers say where an unsafe request comes from
  // (Fetch Metadata, then Origin). Cross-site form posts are refused before any handler runs.
  // The second layer is the per-form token checked by the Remix actions (app/utils/form.server.ts).
  app.use((req, res, next) => {
    if (SAFE_METHODS.has(req.method) || req.path.startsWith('/webhooks/')) return next();
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    const sameOrigin = origin === undefined || origin === `${req.protocol}://${req.headers.host}`;
    if (
      (site !== undefined && site !== 'same-origin' && site !== 'none') ||
      (site === undefined && !sameOrigin)
    ) {
      req.log.warn({ site, origin }, 'cross-site request refused');
      res.status(403).type('text/plain').send('Cross-site request refused');
      return;
    }
    next();
  });

  // Stripe's webhooks: the raw body is what the signature covers. A bad signature is 400 and
  // changes nothing; a duplicate is acknowledged (200) so Stripe stops resending it.
  app.post(
    '/webhooks/stripe',
    express.raw({ type: '*/*', limit: config.BODY_LIMIT_WEBHOOK }),
    async (req, res) => {
      if (!services.stripeWebhook) {
        res.status(404).json({ error: 'stripe is not configured' });
        return;
      }
      try {
        const outcome = await services.stripeWebhook(req.body as Buffer, req.header('stripe-signature'));
        res.json({ received: true, outcome });
      } catch (error) {
        const status = httpStatusOf(error);
        if (status >= 500) req.log.error({ err: error }, 'stripe webhook failed');
        else req.log.warn({ err: (error as Error).message }, 'stripe webhook refused');
        // 5xx makes Stripe retry later; 4xx (bad signature) is final.
        res.status(status).json({ error: status >= 500 ? 'internal' : (error as Error).message });
      }
    },
  );

  // The JSON API authenticates by bearer token, not by cookie.
  app.use('/api/v1', createApiRouter(services, config));
  // The public feed for aggregators: no token, cached, limited per address (ADR 026).
  app.use('/api/public/v1', createPublicApiRouter(services, config));
  // The transparency log: public, no session (art. 8; docs/transparency.md).
  app.use(createTransparencyRouter(services));

  // Session and CSRF cookie for every page request.
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      const cookies = parseCookies(req.headers.cookie);
      let csrf = cookies[CSRF_COOKIE];
      if (!csrf || !/^[\w-]{43}$/.test(csrf)) {
        csrf = randomBytes(32).toString('base64url');
        res.append('Set-Cookie', csrfCookie(csrf, config.COOKIE_SECURE));
      }
      res.locals.csrf = csrf;
      res.locals.auth = await services.identity.resolveSession(cookies[SESSION_COOKIE]);
      // An admin-set initial password (ADR 028): nothing but changing it (or leaving) until it is.
      // Pages and resource routes go to the change page here; a client navigation's data request
      // (`.data`) is sent there by the root loader, in the form Remix reads.
      if (res.locals.auth?.user.mustChangePassword && !openWhileChangeDue(req.path)) {
        if (!req.path.endsWith('.data')) return res.redirect(303, CHANGE_PASSWORD_PATH);
        if (req.method !== 'GET' && req.method !== 'HEAD')
          return sendProblem(req, res, { code: 'forbidden', messageKey: 'accounts.password.mustChange' });
      }
      next();
    } catch (error) {
      next(error);
    }
  });

  const getContext = (req: Request, res: Response): AppLoadContext => ({
    services,
    auth: res.locals.auth ? { user: res.locals.auth.user, actor: res.locals.auth.actor } : null,
    csrfToken: res.locals.csrf,
    nonce: res.locals.nonce,
    locale: localeFrom(req.headers.cookie),
    meta: { ip: req.ip ?? 'unknown', userAgent: req.headers['user-agent'], requestId: String(req.id) },
    arrival: res.locals.arrival ?? null,
    log: req.log,
    cookieSecure: config.COOKIE_SECURE,
    publicConfig: opts.publicConfig,
  });

  app.all('*', opts.remix(getContext));

  // Last resort: log with the request id, answer without internals.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const refused = bodyParserProblem(error, bodyLimitOf(req, config));
    if (refused && !res.headersSent) {
      req.log.warn({ err: (error as Error).message }, 'request body refused');
      return sendProblem(req, res, refused);
    }
    const status = clientStatusOf(error);
    if (status && !res.headersSent) {
      req.log.warn({ err: (error as Error).message, status }, 'request refused');
      return sendProblem(req, res, {
        code: status === 404 ? 'not_found' : 'bad_request',
        messageKey: status === 404 ? 'errors.notFound' : 'errors.badRequest',
      });
    }
    req.log.error({ err: error }, 'unhandled error');
    if (!res.headersSent) res.status(500).type('text/plain').send('Internal Server Error');
  });

  return app;
}
