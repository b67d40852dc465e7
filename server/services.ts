import path from 'node:path';
import type { DbHandle } from '../db/client.js';
import { projectRoot } from '../db/paths.js';
import { createAidService } from './aid/service.js';
import { createBiddingService } from './auctions/bidding.js';
import { createListingService } from './auctions/listings.js';
import { rulesProfile } from './auctions/profile.js';
import { createRegistrationService } from './auctions/registrations.js';
import { createBountyService } from './bounties/service.js';
import type { PropertySearchProvider } from './cases/property-search.js';
import { createCaseService } from './cases/service.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { createCreditService } from './credit/service.js';
import { createDashboardService } from './dashboard/service.js';
import { EventBus } from './events.js';
import { createFundService } from './funds/service.js';
import { createIdempotencyService } from './idempotency/service.js';
import { createApiTokenService } from './identity/api-tokens.js';
import { createOrganisationService } from './identity/organisations.js';
import { createIdentityService } from './identity/service.js';
import { verifierOf } from './identity/verification.js';
import { parseSettings } from './indicators/rules.js';
import { createIndicatorService } from './indicators/service.js';
import type { Logger } from './logger.js';
import { readDatabaseGauges } from './metrics/database-gauges.js';
import { createNotificationService } from './notifications/service.js';
import type { Mailer, SmsProvider } from './notifications/transports.js';
import { createOutboxService } from './outbox/service.js';
import { urlPolicyOf } from './outbox/url-guard.js';
import { createWebhookService } from './outbox/webhooks.js';
import type { GatewayEvent, PaymentGateway } from './payments/gateway.js';
import { createLocalGateway, type LocalGateway } from './payments/local.js';
import { createPaymentService, type PaymentDeps } from './payments/service.js';
import { createStripeGateway, type StripeGateway } from './payments/stripe.js';
import { practiceClock } from './practice/rules.js';
import { createPracticeService } from './practice/service.js';
import { createSaleService } from './sales/service.js';
import { diskStorage } from './storage/storage.js';
import { loadSigningKey } from './transparency/keys.js';
import { createTransparencyService } from './transparency/service.js';

export interface ServiceDeps {
  db: DbHandle;
  config: Config;
  clock: Clock;
  logger: Logger;
  /** Tests inject faults into the payments service (a crash between a gateway call and a write). */
  paymentFaults?: PaymentDeps['faults'];
  /** The online property search; the simulated responder by default (tests register holdings on it). */
  propertySearch?: PropertySearchProvider;
  /** Tests send through their own SMTP server and fake SMS provider (or a failing one). */
  notificationTransports?: { mailer?: Mailer; sms?: SmsProvider };
}

/** The composition of every module's services; built once per process in main.ts. */
export function createServices({
  db,
  config,
  clock,
  logger,
  paymentFaults,
  propertySearch,
  notificationTransports,
}: ServiceDeps) {
  const events = new EventBus();
  const profile = rulesProfile(config.RULES_PROFILE, config.RULES_ACCELERATION_FACTOR);
  const storage = diskStorage(path.resolve(projectRoot(), config.UPLOAD_DIR));
  const piiKey = Buffer.from(config.PII_ENCRYPTION_KEY, 'base64');
  const identity = createIdentityService({
    db: db.db,
    clock,
    piiKey,
    sessionTtlMs: config.SESSION_TTL_HOURS * 3_600_000,
    loginPolicy: {
      maxFailures: config.LOGIN_MAX_FAILURES,
      lockMs: config.LOGIN_LOCK_MINUTES * 60_000,
      ipMaxFailures: config.LOGIN_IP_MAX_FAILURES,
      ipWindowMs: 15 * 60_000,
    },
    onSessionRevoked: (sessionIds) => events.emit('session.revoked', { sessionIds }),
    verifier: verifierOf(config.IDENTITY_VERIFIER),
    // Reset links leave through the notification channel's transports (ADR 028).
    sendResetLink: (m) => notifications.sendPasswordReset(m),
    onSendFailed: (err) => logger.warn({ err }, 'password reset: the message was not sent'),
  });
  // The card gateway: Stripe when configured; else the local simulator, refused in production
  // (there, without Stripe, bidders pay by bank transfer only).
  let deliver: (event: GatewayEvent) => Promise<void> = async () => {};
  let stripe: StripeGateway | null = null;
  let local: LocalGateway | null = null;
  if (config.STRIPE_SECRET_KEY) {
    stripe = createStripeGateway({
      secretKey: config.STRIPE_SECRET_KEY,
      webhookSecret: config.STRIPE_WEBHOOK_SECRET ?? '',
      apiBase: config.STRIPE_API_BASE,
    });
  } else if (config.NODE_ENV !== 'production') {
    local = createLocalGateway({
      db: db.db,
      clock,
      nodeEnv: config.NODE_ENV,
      onEvent: (e) => deliver(e),
      onDeliveryError: (err) =>
        logger.warn({ err }, 'local gateway event failed; reconciliation will repair'),
    });
  }
  const gateway: PaymentGateway | null = stripe ?? local;
  const sales = createSaleService({ db: db.db, clock, profile, storage });
  // Composed once cases and aid exist (below); full payment reaches it through this late binding.
  let funds: ReturnType<typeof createFundService> | null = null;
  const payments = createPaymentService({
    db: db.db,
    clock,
    profile,
    logger,
    gateway,
    faults: paymentFaults,
    // Full payment opens the sale in the same transaction: the ruling's 10 days start (art. 20),
    // and the money's 30 days in the case account (执行款物管理规定).
    onBalancePaid: async (tx, b, now) => {
      const sale = await sales.openSale(tx, b, now);
      await funds?.moneyArrived(tx, b, now);
      return sale;
    },
  });
  deliver = async (e) => {
    if (paymentFaults?.dropEvent?.(e)) return;
    await payments.processEvent(e, 'local');
  };
  // The credit module follows a case's closure in its transaction (失信规定 art. 10); it reads the
  // case through the cases service, so it is bound after it and reached late.
  let credit: ReturnType<typeof createCreditService> | undefined;
  let bounties: ReturnType<typeof createBountyService> | undefined;
  const cases = createCaseService({
    db: db.db,
    clock,
    storage,
    profile,
    propertySearch,
    onClosed: (tx, closed, now) => credit!.onCaseClosed(tx, closed, now),
    // 失信规定 art. 10(4): two empty re-searches after 终本 and no lead (no bounty tip open) delete.
    onResearched: async (tx, c, search, now) =>
      credit!.onCaseResearched(tx, c, search, now, await bounties!.openLeads(tx, c.id)),
  });
  credit = createCreditService({ db: db.db, clock, piiKey, cases });
  const notifications = createNotificationService({
    db: db.db,
    clock,
    logger,
    config,
    ...notificationTransports,
  });
  const transparency = createTransparencyService({ db: db.db, clock, logger, key: loadSigningKey(config) });
  const bidding = createBiddingService({
    db: db.db,
    sql: db.sql,
    clock,
    profile,
    onEvents: (logged) => {
      events.emit('auction.events', { listingId: logged[0]!.listingId, events: logged });
      // After the commit; a nudge lost here is caught by the next one or at the close (ADR 025).
      if (logged.some((e) => e.type === 'bid'))
        notifications
          .bidsAccepted(logged[0]!.listingId)
          .catch((err) => logger.warn({ err }, 'notifications: cannot schedule the bids scan'));
    },
  });
  const listings = createListingService({
    db: db.db,
    clock,
    profile,
    piiKey,
    taxRates: {
      deedBp: config.TAX_DEED_BP,
      vatBp: config.TAX_VAT_BP,
      vatSurchargeBp: config.TAX_VAT_SURCHARGE_BP,
      incomeBp: config.TAX_INCOME_BP,
      stampBp: config.TAX_STAMP_BP,
    },
    assets: cases,
    logger,
    onStatusChanged: (e) => events.emit('listing.status', e),
    // In the `listing.closed` job committed with a close (a withdrawal's own transaction): the
    // money (art. 23), the last bids' notices, and a signed checkpoint of the log soon after,
    // covering the closing entry (art. 8).
    onClosed: async (tx, closings, now) => {
      await payments.settleListings(tx, closings, now);
      await notifications.listingsClosed(
        tx,
        closings.map((c) => c.listingId),
        now,
      );
      await transparency.checkpointSoon(tx, now);
    },
    // Art. 20: bids that reached a server before the end are decided before the close (ADR 008).
    bidsSettledBefore: async (listingIds, cutoff) => {
      const { complete } = await bidding.settledBefore(listingIds, cutoff);
      if (!complete) logger.warn({ listingIds, cutoff }, 'closing without bids still undecided elsewhere');
    },
    bidsUnsettledBefore: (ends) => bidding.unsettledBefore(ends),
  });
  const aid = createAidService({ db: db.db, clock, storage, cases });
  funds = createFundService({
    db: db.db,
    clock,
    profile,
    storage,
    recoverAid: aid.recoverFromDistribution,
    closeCase: (tx, by, caseId, input) => cases.closeCaseIn(tx, by, caseId, input),
  });
  bounties = createBountyService({ db: db.db, clock, piiKey, cases, funds });
  // 模拟拍卖 (ADR 033): its own tables and its own fast clock; its entries go to its owner's room only.
  const practice = createPracticeService({
    db: db.db,
    clock,
    practiceClock: practiceClock(
      config.PRACTICE_WINDOW_SECONDS * 1000,
      rulesProfile('accelerated', config.PRACTICE_CLOCK_FACTOR).durations.extension,
    ),
    onEvents: (sessionId, logged) => events.emit('practice.events', { sessionId, events: logged }),
  });
  const indicators = createIndicatorService({
    db: db.db,
    clock,
    settings: parseSettings(config.INDICATOR_SETTINGS),
  });
  const jobHandlers = {
    ...listings.jobHandlers,
    ...identity.jobHandlers,
    ...payments.jobHandlers,
    ...sales.jobHandlers,
    ...funds.jobHandlers,
    ...aid.jobHandlers,
    ...cases.jobHandlers,
    ...credit.jobHandlers,
    ...transparency.jobHandlers,
    ...notifications.jobHandlers,
    ...practice.jobHandlers,
  };
  return {
    events,
    profile,
    identity,
    dashboard: createDashboardService({ db: db.db, clock }),
    cases,
    /** The dishonest-debtor list, consumption restrictions, the public query and the partners (ADR 019). */
    credit,
    /** Bounty notices, tips and rewards (悬赏执行, ADR 022). */
    bounties,
    /** The transactional outbox's delivery log (its dispatcher is started by main.ts). */
    outbox: createOutboxService({ db: db.db }),
    /** Seals and reveals what the outbox's endpoints are sent. */
    piiKey,
    indicators,
    apiTokens: createApiTokenService({ db: db.db, clock }),
    /** The court API's idempotency keys (ADR 026). */
    idempotency: createIdempotencyService({ db: db.db, clock }),
    /** Onboarding courts and insurers, their first administrator, suspension (ADR 023). */
    organisations: createOrganisationService({
      db: db.db,
      clock,
      createStaffUser: identity.createStaffUser,
      onSessionRevoked: (sessionIds) => events.emit('session.revoked', { sessionIds }),
    }),
    /** A court's or insurer's webhook endpoints, their delivery log and re-sends (ADR 023). */
    webhooks: createWebhookService({ db: db.db, clock, piiKey, urlPolicy: urlPolicyOf(config) }),
    listings,
    registrations: createRegistrationService({ db: db.db, clock, payments }),
    bidding,
    /** The practice auction (模拟拍卖, ADR 033): a bidder's own session against scripted bidders. */
    practice,
    payments,
    /** After full payment: the ruling confirming the sale and the handover (ADR 014). */
    sales,
    /** Case funds: costs, claims, the distribution plan, its objections and payouts (ADR 015). */
    funds,
    /** The local simulated gateway's payer page; null with Stripe or in production. */
    localGateway: local,
    /** Verifies and processes a Stripe webhook; null when Stripe is not configured. */
    stripeWebhook: stripe
      ? async (rawBody: Buffer, signature: string | undefined) => {
          const event = stripe.parseWebhook(rawBody, signature);
          return event ? payments.processEvent(event, 'stripe') : 'ignored';
        }
      : null,
    /** Notices in-site, by e-mail and SMS, and each person's choices (ADR 025). */
    notifications,
    /** Signed checkpoints of every auction's chain head, with CT-style proofs (docs/transparency.md). */
    transparency,
    aid,
    /**
     * What every job runner takes from the services (main.ts, a second runner in the closing
     * bench, the tests' runners driven by hand): each durable job kind's handler, and how the
     * crowds of short jobs run.
     */
    jobRunner: {
      handlers: jobHandlers,
      /** Short jobs that come in crowds (auctions starting or ending in the same second) run in batches. */
      batchSizes: { 'listing.start': 100, 'listing.end': 100 } as Record<string, number>,
      /** Set-based handlers for those crowds: a few statements per batch instead of per job. */
      batchHandlers: listings.batchJobHandlers,
      /** Auctions start and close on time even while settlements queue. */
      urgentKinds: ['listing.end', 'listing.start'] as const,
    },
    /** Every durable job kind and its handler. */
    jobHandlers,
    /** The database's own gauges for `/metrics` (jobs waiting, outbox backlog). */
    readDatabaseGauges: () => readDatabaseGauges(db.db, clock()),
    async ping(): Promise<void> {
      await db.sql`select 1`;
    },
  };
}

export type Services = ReturnType<typeof createServices>;
