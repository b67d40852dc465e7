import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { messages as english } from '../../app/i18n/messages.en.js';
import { ListingTermsSchema } from '../auctions/schemas.js';
import {
  AssignComplaintSchema,
  CASE_TYPES,
  CloseCaseSchema,
  CreateAssetSchema,
  CreateCaseSchema,
  EndIntervalSchema,
  ExtensionSchema,
  MEASURE_DETAILS,
  PropertySearchSchema,
  ReceiveComplaintSchema,
  RecordMeasureSchema,
  ResumeCaseSchema,
  SettleComplaintSchema,
  StartIntervalSchema,
} from '../cases/schemas.js';
import type { Config } from '../config.js';
import { DomainError, httpStatusOf, isDomainError, notFound, unauthenticated } from '../errors.js';
import {
  ClaimSchema,
  CostSchema,
  CourtOrderSchema,
  CreatePayoutBatchSchema,
  DeferralSchema,
  DraftSchema,
  ObjectionSchema,
  ServeSchema,
  SuitDecisionSchema,
} from '../funds/schemas.js';
import { IDEMPOTENCY_KEY, requestHash } from '../idempotency/service.js';
import type { Actor } from '../identity/permissions.js';
import type { Services } from '../services.js';
import { bountyRoutes } from './api/bounties.js';
import { creditRoutes } from './api/credit.js';
import { listingRoutes } from './api/listings.js';
import { moneyRoutes } from './api/money.js';
import type { ApiRoute } from './api/route.js';
import { bodyParserProblem } from './body-limit.js';
import { holdsNul } from './malformed.js';
import { problemBody, statusOfProblem } from './problem.js';

/**
 * The court API (/api/v1): a court's case-management system creates cases, assets and
 * listings, approves and runs them, reads results and money, bounties and the debtor list, with a
 * bearer token issued per court acting as one staff member. Same schemas, services and
 * permissions as the forms; idempotency keys on every POST (ADR 026); errors are RFC 9457 problem details. Money is integer fen, serialised as a string.
 */
type Handler = (req: Request, actor: Actor) => Promise<{ status?: number; body: unknown }>;

/** The API's problem titles are the English messages (app/i18n/messages.en.ts: every area's catalog). */

const englishOf = (key: string): string =>
  (key
    .split('.')
    .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], english) as string) ?? key;

export const toJson = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

/** A domain error (or null: an unexpected one) as problem details: its status and JSON text. */
function problemOf(error: DomainError | null, requestId: string) {
  const status = error ? httpStatusOf(error) : 500;
  const code = error?.code ?? 'internal';
  const body = {
    type: `https://lastmile.invalid/problems/${code}`,
    title: englishOf(error?.messageKey ?? 'errors.internal'),
    status,
    code,
    requestId,
    // E.g. the 终本 conditions still missing (`missing`), the money still held (`amountFen`).
    ...(error?.details.params && { params: error.details.params }),
    ...(error?.details.fieldErrors && {
      errors: Object.fromEntries(
        Object.entries(error.details.fieldErrors).map(([field, keys]) => [
          field,
          keys.map((k) => ({ key: k, message: englishOf(k) })),
        ]),
      ),
    }),
  };
  return { status, body: toJson(body) };
}

function problem(res: Response, error: DomainError | null, requestId: string) {
  const p = problemOf(error, requestId);
  res.status(p.status).type('application/problem+json').send(p.body);
}

/**
 * The partners' check (ADR 019): is this ID listed or restricted now? A partner's token, not a
 * court's. Mounted by app.ts ahead of the page middleware (CSP nonce, helmet, compression, static
 * files): it is the hot path airlines and railways call at booking, and a JSON answer needs none
 * of them.
 */
export function creditCheckHandler(services: Services) {
  return async (req: Request, res: Response) => {
    const requestId = String(req.id);
    try {
      const auth = req.headers.authorization;
      const partner = await services.credit.authenticatePartner(
        auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined,
      );
      if (!partner) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return problem(res, unauthenticated(), requestId);
      }
      const body = await services.credit.checkId(partner, { id: req.query.id });
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.status(200).type('application/json').send(toJson(body));
    } catch (error) {
      if (isDomainError(error)) return problem(res, error, requestId);
      req.log.error({ err: error }, 'api error');
      problem(res, null, requestId);
    }
  };
}

/** Every endpoint declared in server/http/api/ (the older ones are written out below). */
export const areaRoutes = (services: Services): ApiRoute[] => [
  ...listingRoutes(services),
  ...moneyRoutes(services),
  ...bountyRoutes(services),
  ...creditRoutes(services),
];

export function createApiRouter(services: Services, config: Pick<Config, 'BODY_LIMIT_JSON'>) {
  const router = express.Router();
  router.use(express.json({ limit: config.BODY_LIMIT_JSON }));
  // PostgreSQL text cannot hold a NUL: refused here rather than failing deep inside (a 500).
  router.use((req, res, next) => {
    if (!holdsNul(req.body)) return next();
    res
      .status(400)
      .type('application/problem+json')
      .send(toJson(problemBody({ code: 'bad_request', messageKey: 'errors.badRequest' }, String(req.id))));
  });

  /**
   * Answers a request with its handler's result. A POST with `Idempotency-Key` (ADR 026) is
   * reserved under its token first: a repeat replays the stored answer without running again,
   * the same key with another request is refused (422), one still running answers 409.
   */
  const route =
    (handler: Handler) =>
    async (req: Request, res: Response, _next: NextFunction): Promise<void> => {
      const requestId = String(req.id);
      const send = (status: number, body: string) =>
        res
          .status(status)
          .type(status >= 400 ? 'application/problem+json' : 'application/json')
          .send(body);
      let reserved: { scope: string; key: string } | null = null;
      try {
        const auth = req.headers.authorization;
        // The token's scope (ADR 023): a GET reads, anything else writes.
        const actor = await services.apiTokens.authenticate(
          auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined,
          req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write',
        );
        if (!actor) {
          res.setHeader('WWW-Authenticate', 'Bearer');
          return problem(res, unauthenticated(), requestId);
        }
        const key = req.method === 'POST' ? req.get('Idempotency-Key') : undefined;
        if (key !== undefined) {
          if (!IDEMPOTENCY_KEY.test(key))
            return problem(res, new DomainError('validation', 'errors.idempotencyKeyInvalid'), requestId);
          const scope = actor.sessionId;
          const found = await services.idempotency.reserve({
            scope,
            key,
            organisationId: actor.organisationId ?? '',
            requestHash: requestHash(req.method, req.originalUrl, req.body),
          });
          if (found.kind === 'mismatch')
            return void send(
              422,
              toJson(
                problemBody({ code: 'unprocessable', messageKey: 'errors.idempotencyMismatch' }, requestId),
              ),
            );
          if (found.kind === 'in_progress')
            return problem(res, new DomainError('conflict', 'errors.idempotencyInProgress'), requestId);
          if (found.kind === 'replay') {
            res.setHeader('Idempotent-Replayed', 'true');
            return void send(found.status, found.body);
          }
          reserved = { scope, key };
        }
        const { status = 200, body } = await handler(req, actor);
        const text = toJson(body);
        if (reserved) await services.idempotency.complete(reserved.scope, reserved.key, status, text);
        send(status, text);
      } catch (error) {
        if (isDomainError(error)) {
          // A refusal is an answer: its repeat gets the same refusal.
          const p = problemOf(error, requestId);
          if (reserved) await services.idempotency.complete(reserved.scope, reserved.key, p.status, p.body);
          return void send(p.status, p.body);
        }
        req.log.error({ err: error }, 'api error');
        // Nothing was written (the use case's transaction rolled back): the key may be retried.
        if (reserved) await services.idempotency.release(reserved.scope, reserved.key).catch(() => {});
        problem(res, null, requestId);
      }
    };

  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(JSON.stringify(openApiDocument()));
  });
  router.get(
    '/cases',
    route(async (req, actor) => ({
      body: await services.cases.listCases(actor, {
        before: typeof req.query.before === 'string' ? req.query.before : undefined,
        q: typeof req.query.q === 'string' ? req.query.q : undefined,
        status: typeof req.query.status === 'string' ? req.query.status : undefined,
        type: typeof req.query.type === 'string' ? req.query.type : undefined,
      }),
    })),
  );
  router.get(
    '/overdue',
    route(async (_req, actor) => ({ body: await services.cases.overdue(actor) })),
  );
  router.post(
    '/cases',
    route(async (req, actor) => ({
      status: 201,
      body: await services.cases.createCase(actor, req.body, String(req.id)),
    })),
  );
  router.get(
    '/cases/:id',
    route(async (req, actor) => ({ body: await services.cases.getCase(actor, req.params.id!) })),
  );
  router.post(
    '/cases/:id/assets',
    route(async (req, actor) => ({
      status: 201,
      body: await services.cases.createAsset(actor, req.params.id!, req.body, String(req.id)),
    })),
  );
  // The case lifecycle (ADR 016): the same use cases as the case page.
  const post = (path: string, run: (req: Request, actor: Actor) => Promise<unknown>, status = 201) =>
    router.post(
      path,
      route(async (req, actor) => ({ status, body: await run(req, actor) })),
    );
  const cases = services.cases;
  post('/cases/:id/measures', (req, a) =>
    cases.recordMeasure(a, req.params.id!, req.body, null, String(req.id)),
  );
  post('/cases/:id/searches', (req, a) =>
    cases.runPropertySearch(a, req.params.id!, req.body, String(req.id)),
  );
  post('/cases/:id/intervals', (req, a) => cases.startInterval(a, req.params.id!, req.body, String(req.id)));
  post('/intervals/:id/end', (req, a) => cases.endInterval(a, req.params.id!, req.body, String(req.id)), 200);
  post('/cases/:id/extensions', (req, a) => cases.extendLimit(a, req.params.id!, req.body, String(req.id)));
  post('/cases/:id/closure', (req, a) => cases.closeCase(a, req.params.id!, req.body, String(req.id)), 200);
  post('/cases/:id/resumption', (req, a) => cases.resumeCase(a, req.params.id!, req.body, String(req.id)));
  post('/cases/:id/complaints', (req, a) =>
    cases.receiveComplaint(a, req.params.id!, req.body, String(req.id)),
  );
  post(
    '/complaints/:id/assign',
    (req, a) => cases.assignComplaint(a, req.params.id!, req.body, String(req.id)),
    200,
  );
  post(
    '/complaints/:id/settle',
    (req, a) => cases.settleComplaint(a, req.params.id!, req.body, String(req.id)),
    200,
  );
  router.post(
    '/assets/:id/listings',
    route(async (req, actor) => ({
      status: 201,
      body: await services.listings.createDraft(actor, req.params.id!, req.body, String(req.id)),
    })),
  );
  router.get(
    '/listings/:id',
    route(async (req, actor) => ({ body: await services.listings.getForCourt(actor, req.params.id!) })),
  );
  router.post(
    '/listings/:id/submit',
    route(async (req, actor) => ({ body: await services.listings.submit(actor, req.params.id!) })),
  );
  // After full payment (ADR 014): the post-sale desk and one sale, as the court's pages read them.
  router.get(
    '/sales',
    route(async (_req, actor) => ({ body: await services.sales.courtDesk(actor) })),
  );
  router.get(
    '/sales/:id',
    route(async (req, actor) => ({ body: await services.sales.saleForCourt(actor, req.params.id!) })),
  );
  // Case funds (ADR 015): costs, claims, the plan and its objections, payouts; the same use
  // cases and rules as the funds page and the payout desk.
  const funds = services.funds;
  router.get(
    '/cases/:id/funds',
    route(async (req, actor) => ({ body: await funds.caseFunds(actor, req.params.id!) })),
  );
  post('/funds/order', (req, a) => funds.setCourtOrder(a, req.body), 200);
  post('/cases/:id/costs', (req, a) => funds.recordCost(a, req.params.id!, req.body));
  post('/cases/:id/claims', (req, a) => funds.recordClaim(a, req.params.id!, req.body));
  post('/cases/:id/plans', (req, a) => funds.draftPlan(a, req.params.id!, req.body));
  post('/cases/:id/deferral', (req, a) => funds.requestDeferral(a, req.params.id!, req.body));
  post('/cases/:id/deferral/approval', (req, a) => funds.approveDeferral(a, req.params.id!), 200);
  post('/plans/:id/service', (req, a) => funds.servePlan(a, req.params.id!, req.body), 200);
  post('/plans/:id/objections', (req, a) => funds.fileObjection(a, req.params.id!, req.body));
  post('/plans/:id/approval', (req, a) => funds.approvePlan(a, req.params.id!), 200);
  post('/objections/:id/opposition', (req, a) => funds.recordOpposition(a, req.params.id!), 200);
  post('/objections/:id/suit', (req, a) => funds.recordSuit(a, req.params.id!), 200);
  post('/objections/:id/judgment', (req, a) => funds.decideSuit(a, req.params.id!, req.body), 200);
  router.get(
    '/payouts',
    route(async (_req, actor) => ({ body: await funds.payouts.desk(actor) })),
  );
  router.get(
    '/payouts/overdue',
    route(async (_req, actor) => ({ body: await funds.overdueReleases(actor) })),
  );
  post('/payouts/batches', (req, a) => funds.payouts.createBatch(a, req.body, String(req.id)));
  router.get(
    '/payouts/batches/:id',
    route(async (req, actor) => ({ body: await funds.payouts.getBatch(actor, req.params.id!) })),
  );
  post(
    '/payouts/batches/:id/approval',
    (req, a) => funds.payouts.approveBatch(a, req.params.id!, String(req.id)),
    200,
  );
  post(
    '/payouts/batches/:id/export',
    (req, a) => funds.payouts.exportBatch(a, req.params.id!, String(req.id)),
    200,
  );
  post(
    '/payouts/confirmations',
    (req, a) => funds.payouts.importConfirmations(a, String(req.body?.csv ?? ''), String(req.id)),
    200,
  );
  post('/payouts/:id/reissue', (req, a) =>
    funds.payouts.reissuePayment(a, req.params.id!, req.body ?? {}, String(req.id)),
  );
  post(
    '/payouts/:id/set-aside',
    (req, a) => funds.payouts.setAsidePayment(a, req.params.id!, String(req.id)),
    200,
  );
  // The rest of the court API, one file per area (server/http/api/): declared once for the
  // router and the OpenAPI document.
  for (const r of areaRoutes(services))
    router[r.method](
      r.path,
      route(async (req, a) => ({ status: r.status, body: await r.run(req, a) })),
    );
  router.use((_req, res) => {
    problem(res, notFound(), String(_req.id));
  });
  // A body over the limit or malformed JSON: problem details, before any handler ran.
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    const refused = bodyParserProblem(error, config.BODY_LIMIT_JSON);
    if (!refused || res.headersSent) return next(error);
    req.log.warn({ err: (error as Error).message }, 'api request refused');
    res
      .status(statusOfProblem(refused.code))
      .type('application/problem+json')
      .send(toJson(problemBody(refused, String(req.id))));
  });
  return router;
}

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

/** Generated from the same zod schemas the services parse with. */
export function openApiDocument() {
  const problemRef = { $ref: '#/components/schemas/Problem' };
  const errors = {
    400: {
      description: 'Invalid input (field errors)',
      content: { 'application/problem+json': { schema: problemRef } },
    },
    401: {
      description: 'Missing or revoked token',
      content: { 'application/problem+json': { schema: problemRef } },
    },
    403: {
      description: 'Not allowed for this token’s staff member',
      content: { 'application/problem+json': { schema: problemRef } },
    },
    404: {
      description: 'Not found in this court',
      content: { 'application/problem+json': { schema: problemRef } },
    },
  };
  const json = (ref: string) => ({
    required: true,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
  });
  const ok = (description: string) => ({
    description,
    content: { 'application/json': { schema: { type: 'object' } } },
  });
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  // The declared areas: only their shape is read here, never their services.
  const declared = areaRoutes({} as Services);
  const declaredPaths: Record<string, Record<string, unknown>> = {};
  for (const r of declared) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const status = r.status ?? 200;
    declaredPaths[path] = {
      ...declaredPaths[path],
      [r.method]: {
        summary: r.summary,
        ...(r.description && { description: r.description }),
        parameters: [
          ...(path.includes('{id}') ? [id] : []),
          ...(r.query ?? []).map((q) => ({ in: 'query', ...q })),
        ],
        ...(r.body && { requestBody: json(r.body.name) }),
        responses: {
          [status]: ok(r.summary),
          ...(r.method === 'post' && {
            409: {
              description:
                'Not allowed in the object’s state, or a request with this Idempotency-Key still running',
              content: { 'application/problem+json': { schema: problemRef } },
            },
            422: {
              description: 'The Idempotency-Key was used for another request',
              content: { 'application/problem+json': { schema: problemRef } },
            },
          }),
          ...errors,
        },
      },
    };
  }
  const bodySchemas = Object.fromEntries(
    declared.flatMap((r) => (r.body ? [[r.body.name, schema(r.body.schema)]] : [])),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'LastMile court API',
      version: '1',
      description:
        'Cases (filing, time limit, measures, closure, complaints), seized assets, auction listings and what follows a sale (the ruling and the handover) for a court’s case-management system. Authenticate with `Authorization: Bearer lm_…` (a token issued by your court’s administrator). Amounts are entered in yuan ("1234.56") and returned as integer fen in strings. Every POST accepts an `Idempotency-Key` header (1-255 printable ASCII characters, e.g. a UUID): a repeat with the same key and body within 24 hours returns the first answer (`Idempotent-Replayed: true`) and changes nothing; the same key with another request is refused with 422.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths: {
      ...declaredPaths,
      '/cases': {
        get: {
          summary: 'List the cases of the court (and, for a higher court, of the courts below it)',
          parameters: [
            {
              name: 'before',
              in: 'query',
              description: 'The `next` of the previous page (keyset paging, newest first)',
              schema: { type: 'string' },
            },
            {
              name: 'q',
              in: 'query',
              description: 'Part of a case number or of a party’s name',
              schema: { type: 'string', maxLength: 50 },
            },
            {
              name: 'status',
              in: 'query',
              schema: { type: 'string', enum: ['open', 'suspended', 'overdue', 'zhongben', 'closed'] },
            },
            { name: 'type', in: 'query', schema: { type: 'string', enum: [...CASE_TYPES] } },
          ],
          responses: {
            200: ok(
              'A page of cases, each with its time limit; `total` counts the filtered set, `next` is the cursor of the next page or null',
            ),
            ...errors,
          },
        },
        post: {
          summary: 'Create an enforcement case',
          requestBody: json('CreateCase'),
          responses: { 201: ok('The case'), ...errors },
        },
      },
      '/cases/{id}': {
        get: {
          summary: 'A case with its parties, assets, time limit, measures, 终本 checklist and complaints',
          description:
            'A higher court reads the cases of the courts below it (`readOnly: true`); `can` says what this token may do with the case now.',
          parameters: [id],
          responses: { 200: ok('The case'), ...errors },
        },
      },
      '/overdue': {
        get: {
          summary: 'Cases past their time limit, 终本 cases whose re-search found property, open complaints',
          responses: { 200: ok('The lists'), ...errors },
        },
      },
      '/cases/{id}/measures': {
        post: {
          summary: 'Record an enforcement measure',
          description:
            '`details` is validated per `kind`: see the MeasureDetails_<kind> schemas. Online searches are recorded by `/cases/{id}/searches`, never here.',
          parameters: [id],
          requestBody: json('RecordMeasure'),
          responses: { 201: ok('The measure'), ...errors },
        },
      },
      '/cases/{id}/searches': {
        post: {
          summary: 'Run an online property search (网络执行查控) of the case’s debtors',
          parameters: [id],
          requestBody: json('PropertySearch'),
          responses: { 201: ok('The search, recorded as a measure'), ...errors },
        },
      },
      '/cases/{id}/intervals': {
        post: {
          summary: 'Record a period not counted toward the time limit',
          parameters: [id],
          requestBody: json('StartInterval'),
          responses: { 201: ok('The interval'), ...errors },
        },
      },
      '/intervals/{id}/end': {
        post: {
          summary: 'End a running period (resumption after a suspension …)',
          parameters: [id],
          requestBody: json('EndInterval'),
          responses: { 200: ok('The interval'), ...errors },
        },
      },
      '/cases/{id}/extensions': {
        post: {
          summary: 'Extend the time limit (the president’s token only)',
          parameters: [id],
          requestBody: json('Extension'),
          responses: { 201: ok('The extension'), ...errors },
        },
      },
      '/cases/{id}/closure': {
        post: {
          summary: 'Close the case',
          description:
            '终本 (`terminated_for_now`) is refused with 409 while a condition is missing: `params.missing` lists them and `errors.conditions` names each. `fully_performed` is refused while the case account holds money.',
          parameters: [id],
          requestBody: json('CloseCase'),
          responses: {
            200: ok('The closed case'),
            409: {
              description: 'Closed already, a 终本 condition missing, or money still held',
              content: { 'application/problem+json': { schema: problemRef } },
            },
            ...errors,
          },
        },
      },
      '/cases/{id}/resumption': {
        post: {
          summary: 'Resume a case closed as 终本 or terminated, as a new 执恢 case',
          parameters: [id],
          requestBody: json('ResumeCase'),
          responses: { 201: ok('The new case'), ...errors },
        },
      },
      '/cases/{id}/complaints': {
        post: {
          summary: 'Record a complaint (信访) about the case',
          parameters: [id],
          requestBody: json('ReceiveComplaint'),
          responses: { 201: ok('The complaint'), ...errors },
        },
      },
      '/complaints/{id}/assign': {
        post: {
          summary: 'Assign a complaint to a staff member of the court',
          parameters: [id],
          requestBody: json('AssignComplaint'),
          responses: { 200: ok('The complaint'), ...errors },
        },
      },
      '/complaints/{id}/settle': {
        post: {
          summary: 'Settle a complaint',
          parameters: [id],
          requestBody: json('SettleComplaint'),
          responses: { 200: ok('The complaint'), ...errors },
        },
      },
      '/cases/{id}/assets': {
        post: {
          summary: 'Add a seized asset',
          parameters: [id],
          requestBody: json('CreateAsset'),
          responses: { 201: ok('The asset'), ...errors },
        },
      },
      '/assets/{id}/listings': {
        post: {
          summary: 'Prepare the next auction round (draft)',
          description:
            'Priority purchasers (art. 19, 21) are designated by real-name identity: a person by resident ID number, an organisation by unified social credit code. The bidder whose verified ID matches registers as that purchaser and bids under a code with his rank; organisations cannot register online yet. Numbers are stored encrypted and returned masked; the public sees ranks and kinds of right only.',
          parameters: [id],
          requestBody: json('ListingTerms'),
          responses: { 201: ok('The draft listing'), ...errors },
        },
      },
      '/listings/{id}': {
        get: {
          summary: 'A listing with its timeline',
          description:
            'Priority purchasers come with their masked identity and, once one has registered, his registration (status and bidder code).',
          parameters: [id],
          responses: { 200: ok('The listing'), ...errors },
        },
      },
      '/sales': {
        get: {
          summary: 'The post-sale desk: rulings and handovers due',
          description:
            'Sales whose balance is paid in full (ADR 014): `rulings` (the ruling confirming the sale is due within 10 days of full payment, art. 20 of the Provisions on Auction and Sale; overdue first), `handovers` (due within 15 days of the ruling, art. 27; overdue first), `done` (the 20 most recently handed over). An overdue item carries `rulingOverdueAt` / `handoverOverdueAt`, set when its deadline passed.',
          responses: { 200: ok('The desk'), ...errors },
        },
      },
      '/sales/{id}': {
        get: {
          summary: 'One sale, by its listing id',
          description:
            'The sale with its steps (hammer, confirmation, balance paid, eligibility re-check where purchase-restricted, ruling, service, handover) and their dates and deadlines, the record of who did what, the encumbrances the ruling extinguishes and those it leaves, and `can`: what the token’s staff member may do now. A sold listing whose balance is not yet paid answers `sale: null` with the balance’s deadline.',
          parameters: [id],
          responses: { 200: ok('The sale'), ...errors },
        },
      },
      '/cases/{id}/funds': {
        get: {
          summary: "A case's funds: costs, claims, the live plan, the 30-day release clock, the timeline",
          description:
            'Costs (执行费用), claims with their class, principal, interest and delay interest to today; the live distribution plan with each line (allocated, set aside, aid deducted, paid, still owed) and the rule it applied, its recipients with their objection periods, its objections with their clocks, and `can` for the plan and each objection (ADR 015).',
          parameters: [id],
          responses: { 200: ok('The funds'), ...errors },
        },
      },
      '/funds/order': {
        post: {
          summary: "The court's order of the ranked classes (a judge); the statutory order without one",
          description:
            'E.g. `["construction","tax_before_mortgage","secured","tax_after_mortgage","labour"]` ranks labour claims ahead of the ordinary ones, as some provinces do. Plans drafted afterwards apply it and say so (`orderSource: court`).',
          requestBody: json('CourtOrder'),
          responses: { 200: ok('The order'), ...errors },
        },
      },
      '/cases/{id}/costs': {
        post: {
          summary: 'Record an execution cost',
          parameters: [id],
          requestBody: json('Cost'),
          responses: { 201: ok('The cost'), ...errors },
        },
      },
      '/cases/{id}/claims': {
        post: {
          summary: 'Record a claim, or a creditor joining the distribution (参与分配)',
          description:
            'Without `partyId`, a creditor joins (民诉法解释 arts. 506-507) with `joiningName` and his title: refused against a company debtor for ordinary claims and once a plan is approved.',
          parameters: [id],
          requestBody: json('Claim'),
          responses: { 201: ok('The claim'), ...errors },
        },
      },
      '/cases/{id}/plans': {
        post: {
          summary: 'Draft the distribution plan from the case account',
          description:
            'Costs first (the application fee by the statutory scale), then the ranked classes in the court’s or the statutory order, then ordinary claims pro rata by the largest remainder (in order of seizure for a company debtor), the surplus to the debtor. Supersedes a plan not yet approved.',
          parameters: [id],
          requestBody: json('Draft'),
          responses: { 201: ok('The plan'), ...errors },
        },
      },
      '/plans/{id}/service': {
        post: {
          summary: 'Record service of the plan (15 days to object from each service)',
          parameters: [id],
          requestBody: json('Serve'),
          responses: { 200: ok('The plan'), ...errors },
        },
      },
      '/plans/{id}/objections': {
        post: {
          summary: 'Record a written objection (in time when received within the party’s 15 days)',
          parameters: [id],
          requestBody: json('Objection'),
          responses: { 201: ok('The objection'), ...errors },
        },
      },
      '/plans/{id}/approval': {
        post: {
          summary: 'Approve the final plan (not by its maker); the money is allotted',
          parameters: [id],
          responses: { 200: ok('The plan'), ...errors },
        },
      },
      '/objections/{id}/opposition': {
        post: {
          summary: 'Record an opposition (15 days to sue)',
          parameters: [id],
          responses: { 200: ok('The objection'), ...errors },
        },
      },
      '/objections/{id}/suit': {
        post: {
          summary: 'Record the suit: the disputed amount is set aside',
          parameters: [id],
          responses: { 200: ok('The objection'), ...errors },
        },
      },
      '/objections/{id}/judgment': {
        post: {
          summary: 'Record the judgment',
          parameters: [id],
          requestBody: json('SuitDecision'),
          responses: { 200: ok('The objection'), ...errors },
        },
      },
      '/cases/{id}/deferral': {
        post: {
          summary: 'Ask to defer the 30-day release, with an allowed reason',
          parameters: [id],
          requestBody: json('Deferral'),
          responses: { 201: ok('The release'), ...errors },
        },
      },
      '/payouts': {
        get: {
          summary: 'The payout desk: shares ready, batches, failures',
          responses: { 200: ok('The desk'), ...errors },
        },
      },
      '/payouts/overdue': {
        get: {
          summary: 'Money past its 30 days (the bureau’s overdue queue)',
          responses: { 200: ok('The queue'), ...errors },
        },
      },
      '/payouts/batches': {
        post: {
          summary: 'Prepare a batch of shares (aid paid to a creditor on the case is deducted first, once)',
          requestBody: json('CreatePayoutBatch'),
          responses: { 201: ok('The batch'), ...errors },
        },
      },
      '/cases/{id}/deferral/approval': {
        post: {
          summary: 'Approve the deferral of the 30-day release (the president)',
          parameters: [id],
          responses: { 200: ok('The release'), ...errors },
        },
      },
      '/payouts/batches/{id}': {
        get: {
          summary: 'A batch with its payments and what this token may do',
          parameters: [id],
          responses: { 200: ok('The batch'), ...errors },
        },
      },
      '/payouts/{id}/reissue': {
        post: {
          summary: 'Reissue a failed payment (corrected account details in the body, optional)',
          parameters: [id],
          responses: { 201: ok('The new payment'), ...errors },
        },
      },
      '/payouts/{id}/set-aside': {
        post: {
          summary: 'Set a failed payment’s money aside (提存) instead of reissuing it',
          parameters: [id],
          responses: { 200: ok('The payment'), ...errors },
        },
      },
      '/payouts/batches/{id}/approval': {
        post: {
          summary: 'Approve a batch (not by its maker)',
          parameters: [id],
          responses: { 200: ok('The batch'), ...errors },
        },
      },
      '/payouts/batches/{id}/export': {
        post: {
          summary: 'The bank file (`csv`); the first export sends the batch',
          parameters: [id],
          responses: { 200: ok('The file'), ...errors },
        },
      },
      '/payouts/confirmations': {
        post: {
          summary: 'The bank’s confirmation file, as `{ "csv": "…" }`',
          responses: { 200: ok('What was confirmed and failed'), ...errors },
        },
      },
      '/listings/{id}/submit': {
        post: {
          summary: 'Submit a draft for the panel’s approval',
          parameters: [id],
          responses: { 200: ok('The listing'), ...errors },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        CreateCase: schema(CreateCaseSchema),
        CreateAsset: schema(CreateAssetSchema),
        RecordMeasure: schema(RecordMeasureSchema),
        ...Object.fromEntries(
          Object.entries(MEASURE_DETAILS)
            .filter(([kind]) => kind !== 'online_search')
            .map(([kind, s]) => [`MeasureDetails_${kind}`, schema(s)]),
        ),
        PropertySearch: schema(PropertySearchSchema),
        StartInterval: schema(StartIntervalSchema),
        EndInterval: schema(EndIntervalSchema),
        Extension: schema(ExtensionSchema),
        CloseCase: schema(CloseCaseSchema),
        ResumeCase: schema(ResumeCaseSchema),
        ReceiveComplaint: schema(ReceiveComplaintSchema),
        AssignComplaint: schema(AssignComplaintSchema),
        SettleComplaint: schema(SettleComplaintSchema),
        ListingTerms: schema(ListingTermsSchema),
        Cost: schema(CostSchema),
        CourtOrder: schema(CourtOrderSchema),
        Claim: schema(ClaimSchema),
        Draft: schema(DraftSchema),
        Serve: schema(ServeSchema),
        Objection: schema(ObjectionSchema),
        SuitDecision: schema(SuitDecisionSchema),
        Deferral: schema(DeferralSchema),
        CreatePayoutBatch: schema(CreatePayoutBatchSchema),
        ...bodySchemas,
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string' },
            requestId: { type: 'string' },
            errors: {
              type: 'object',
              additionalProperties: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { key: { type: 'string' }, message: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
  };
}
