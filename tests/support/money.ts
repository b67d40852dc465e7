import { and, eq, sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.js';
import { listings } from '../../db/schema/auctions.js';
import { caseParties } from '../../db/schema/cases.js';
import { users } from '../../db/schema/identity.js';
import { jobs } from '../../db/schema/jobs.js';
import { ledgerAccounts, ledgerEntries, ledgerTransactions } from '../../db/schema/ledger.js';
import type { Config } from '../../server/config.js';
import { seedDemoAccounts } from '../../server/demo/seed-accounts.js';
import { createJobRunner } from '../../server/jobs/runner.js';
import { balanceOf } from '../../server/ledger/ledger.js';
import { createLogger } from '../../server/logger.js';
import type { PaymentDeps } from '../../server/payments/service.js';
import { createServices, type ServiceDeps } from '../../server/services.js';
import { actorFor, assetInput, caseInput, listingInput } from './court.js';
import { fakeClock, meta, signupInput, testConfig } from './fixtures.js';

const DAY = 86_400_000;
let quick = 0;

/**
 * Services on a real database with a settable clock and a job runner driven by hand: the
 * world of the money tests. `faults` lets a test crash the payments service between a gateway
 * call and the database write that follows it.
 */
export async function moneyWorld(
  db: DbHandle,
  opts: {
    config?: Config;
    faults?: PaymentDeps['faults'];
    start?: Date;
    /** A clock shared with servers the test started (`startServer({ clock })`). */
    time?: ReturnType<typeof fakeClock>;
    /** Where e-mails and SMS go (a test's SMTP server and fake provider); else the log. */
    notificationTransports?: ServiceDeps['notificationTransports'];
  } = {},
) {
  const config = opts.config ?? testConfig();
  await seedDemoAccounts(db.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
  const time = opts.time ?? fakeClock(opts.start ?? new Date('2026-03-01T02:00:00Z'));
  const logger = createLogger(config);
  const services = createServices({
    db,
    config,
    clock: time.clock,
    logger,
    paymentFaults: opts.faults,
    notificationTransports: opts.notificationTransports,
  });
  const runner = createJobRunner({
    db: db.db,
    clock: time.clock,
    logger,
    ...services.jobRunner,
  });
  const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
  const panel = await actorFor(services, 'panel@demo.lastmile.test');

  /** An announced first auction of a fresh case and asset; bidding starts in 30 days. */
  async function announcedListing(overrides: Record<string, unknown> = {}) {
    const c = await services.cases.createCase(clerk, caseInput());
    const asset = await services.cases.createAsset(clerk, c.id, assetInput());
    const draft = await services.listings.createDraft(clerk, asset.id, {
      ...listingInput(time.clock(), { purchaseRestricted: false, priorityPurchasers: [] }),
      ...overrides,
    });
    await services.listings.submit(clerk, draft.id);
    const listing = await services.listings.approve(panel, draft.id);
    return { listing, caseId: c.id, assetId: asset.id };
  }

  async function newBidder() {
    const r = await services.identity.signup(signupInput(), meta);
    return (await services.identity.resolveSession(r.token))!.actor;
  }

  /** Makes `bidder` the applicant creditor of the case with this claim (art. 17 note). */
  async function makeCreditor(caseId: string, userId: string, claimFen: bigint) {
    await db.db
      .update(caseParties)
      .set({ userId, claimFen })
      .where(and(eq(caseParties.caseId, caseId), eq(caseParties.role, 'applicant')));
  }

  /** Registers and pays the deposit through the local simulator; returns the registration. */
  async function registeredWithDeposit(
    listingId: string,
    bidder = undefined as Awaited<ReturnType<typeof newBidder>> | undefined,
  ) {
    const who = bidder ?? (await newBidder());
    const reg = await services.registrations.register(who, listingId, { acceptNotices: true });
    const started = await services.payments.startPayment(who, {
      target: 'deposit',
      id: reg.deposit.id,
      method: 'card',
    });
    await services.localGateway!.decide(refOf(started.redirectUrl), 'approve');
    return { bidder: who, ...(await services.registrations.myRegistration(who, listingId))! };
  }

  /** A first auction that is live now: announced, then the clock moved to its start and the start job run. */
  async function liveListing(overrides: Record<string, unknown> = {}) {
    const made = await announcedListing(overrides);
    time.set(made.listing.startsAt);
    await runner.runDue();
    return made;
  }

  /** `n` first auctions with the same start and end (their drafts are made a moment apart), live now. */
  async function liveTogether(n: number) {
    const made = [];
    for (let i = 0; i < n; i++) made.push((await announcedListing()).listing);
    const start = made[0]!.startsAt;
    const end = new Date(start.getTime() + DAY);
    for (const l of made) {
      await db.db
        .update(listings)
        .set({ startsAt: start, endsAt: end, currentEndAt: end })
        .where(eq(listings.id, l.id));
      for (const [job, runAt] of [
        ['start', start],
        ['end', end],
      ] as const)
        await db.db
          .update(jobs)
          .set({ runAt })
          .where(and(eq(jobs.key, `listing:${l.id}:${job}`), eq(jobs.status, 'pending')));
    }
    time.set(start);
    await runner.runDue();
    return { made, end };
  }

  /**
   * A verified bidder written straight into the users table (no password hashing), for tests
   * that need hundreds; he registers and pays his deposit through the real services.
   */
  async function quickBidder(listingId: string) {
    const n = ++quick;
    const [u] = await db.db
      .insert(users)
      .values({
        email: `quick${n}.${process.pid}.${Date.now()}@example.test`,
        passwordHash: 'unused',
        realName: `竞买人${n}`,
        roles: ['bidder'],
        verification: 'verified',
      })
      .returning({ id: users.id });
    const actor = {
      userId: u!.id,
      sessionId: 'test',
      roles: ['bidder'] as const,
      organisationId: null,
      orgKind: null,
    };
    return registeredWithDeposit(listingId, { ...actor, roles: [...actor.roles] });
  }

  const balance = async (code: string) => {
    try {
      return await balanceOf(db.db, code);
    } catch {
      return 0n;
    }
  };

  return {
    config,
    services,
    runner,
    time,
    clerk,
    panel,
    announcedListing,
    newBidder,
    makeCreditor,
    registeredWithDeposit,
    liveListing,
    liveTogether,
    quickBidder,
    balance,
    advanceDays: (n: number) => time.advance(n * DAY),
    /** Ends the listing with this result as the closing job does: status, outcome, then the money. */
    settle: (listingId: string, result: { winnerRegistrationId: string; priceFen: bigint } | null) =>
      db.db.transaction(async (tx) => {
        await tx
          .update(listings)
          .set({ status: 'ended', outcome: result ? 'sold' : 'failed', endedAt: time.clock() })
          .where(eq(listings.id, listingId));
        await services.payments.settleListing(tx, listingId, result, time.clock());
      }),
  };
}

/** The local simulator's ref from its payer page URL `/pay/local/<ref>`. */
export const refOf = (redirectUrl: string | null) => {
  if (!redirectUrl) throw new Error('no redirect URL');
  return redirectUrl.split('/').pop()!;
};

/** Every ledger transaction's entries sum to zero; returns the offending transaction ids. */
export async function unbalancedTransactions(db: DbHandle) {
  const rows = await db.db
    .select({ id: ledgerTransactions.id, total: sql<string>`sum(${ledgerEntries.amountFen})::text` })
    .from(ledgerTransactions)
    .innerJoin(ledgerEntries, eq(ledgerEntries.transactionId, ledgerTransactions.id))
    .groupBy(ledgerTransactions.id)
    .having(sql`sum(${ledgerEntries.amountFen}) <> 0`);
  return rows.map((r) => r.id);
}

/** Accounts that must never be negative but are. */
export async function negativeAccounts(db: DbHandle) {
  const rows = await db.db
    .select({ code: ledgerAccounts.code, balance: sql<string>`sum(${ledgerEntries.amountFen})::text` })
    .from(ledgerAccounts)
    .innerJoin(ledgerEntries, eq(ledgerEntries.accountId, ledgerAccounts.id))
    .where(eq(ledgerAccounts.allowNegative, false))
    .groupBy(ledgerAccounts.code)
    .having(sql`sum(${ledgerEntries.amountFen}) < 0`);
  return rows.map((r) => r.code);
}
