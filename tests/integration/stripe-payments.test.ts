/**
 * The deposit flow with Stripe as the gateway, end to end: the real server (started with
 * STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_API_BASE pointing at the local Stripe fake),
 * the real `stripe` SDK talking to the fake, and the fake's events, signed with the SDK's own
 * test signer, POSTed to the server's `/webhooks/stripe`. Assertions are on our database:
 * deposits, payments, ledger balances and `gateway_events`.
 *
 * The server runs on the system clock and its own job runner (woken by NOTIFY), so a settlement
 * is carried out by whichever runner claims the job first: the tests run theirs too, then wait
 * for the state.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listings, registrations } from '../../db/schema/auctions';
import { ledgerTransactions } from '../../db/schema/ledger';
import { notifications } from '../../db/schema/notifications';
import { balances, deposits, gatewayEvents, payments } from '../../db/schema/payments';
import { systemClock } from '../../server/clock';
import { createJobRunner } from '../../server/jobs/runner';
import { balanceOf } from '../../server/ledger/ledger';
import { createLogger } from '../../server/logger';
import type { Services } from '../../server/services';
import { actorFor, assetInput, caseInput, listingInput } from '../support/court';
import { caught, meta, signupInput, testConfig } from '../support/fixtures';
import { startTestServer } from '../support/server';
import { type FakeEvent, type StripeFake, startStripeFake } from '../support/stripe-fake';

const SECRET = 'whsec_stripe_payments_test';
const DEPOSIT_FEN = 7_000_000n; // ¥70,000 of listingInput()

let fake: StripeFake;
let server: Awaited<ReturnType<typeof startTestServer>>;
let services: Services;
let runner: ReturnType<typeof createJobRunner>;
let clerk: Awaited<ReturnType<typeof actorFor>>;
let panel: Awaited<ReturnType<typeof actorFor>>;

/** A port free now, so that the fake knows where to deliver before the server listens on it. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  const port = await freePort();
  fake = await startStripeFake({
    webhookUrl: `http://127.0.0.1:${port}/webhooks/stripe`,
    webhookSecret: SECRET,
  });
  server = await startTestServer({
    PORT: String(port),
    STRIPE_SECRET_KEY: 'sk_test_lastmile_payments',
    STRIPE_WEBHOOK_SECRET: SECRET,
    STRIPE_API_BASE: fake.url,
  });
  services = server.services;
  expect(services.stripeWebhook).not.toBeNull();
  expect(services.localGateway).toBeNull();
  runner = createJobRunner({
    db: server.db.db,
    clock: systemClock,
    logger: createLogger(testConfig()),
    ...services.jobRunner,
  });
  clerk = await actorFor(services, 'clerk@demo.lastmile.test');
  panel = await actorFor(services, 'panel@demo.lastmile.test');
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

// ---------------------------------------------------------------- the world

/** An announced first auction of a fresh case and asset (bidding starts in 30 days). */
async function announcedListing(overrides: Record<string, unknown> = {}) {
  const c = await services.cases.createCase(clerk, caseInput());
  const asset = await services.cases.createAsset(clerk, c.id, assetInput());
  // Announced a minute ahead: the real clock moves between the draft and its approval, and
  // the lead time to the start counts from the publication.
  const draft = await services.listings.createDraft(clerk, asset.id, {
    ...listingInput(new Date(Date.now() + 60_000), { purchaseRestricted: false, priorityPurchasers: [] }),
    ...overrides,
  });
  await services.listings.submit(clerk, draft.id);
  return { listing: await services.listings.approve(panel, draft.id), caseId: c.id };
}

async function newBidder() {
  const r = await services.identity.signup(signupInput(), meta);
  return (await services.identity.resolveSession(r.token))!.actor;
}
type Bidder = Awaited<ReturnType<typeof newBidder>>;

/** Registers a new bidder and starts paying the deposit by card: a PaymentIntent at the fake. */
async function startedDeposit(listingId: string) {
  const bidder = await newBidder();
  const reg = await services.registrations.register(bidder, listingId, { acceptNotices: true });
  const started = await startCard(bidder, reg.deposit.id);
  return { bidder, registration: reg.registration, deposit: reg.deposit, ...started };
}

async function startCard(bidder: Bidder, depositId: string) {
  const started = await services.payments.startPayment(bidder, {
    target: 'deposit',
    id: depositId,
    method: 'card',
  });
  const ref = (await paymentRow(started.paymentId)).gatewayRef!;
  return { paymentId: started.paymentId, clientSecret: started.clientSecret, ref };
}

/** A deposit held the way it happens in production: the payer confirms, Stripe's webhook arrives. */
async function heldDeposit(listingId: string) {
  const s = await startedDeposit(listingId);
  fake.pay(s.ref);
  expect(await fake.deliver(eventOf(s.ref, 'payment_intent.amount_capturable_updated'))).toBe(200);
  expect((await depositRow(s.deposit.id)).status).toBe('held');
  return s;
}

/** Ends the listing with this result as the closing job does: status, outcome, then the money. */
const settle = (listingId: string, result: { winnerRegistrationId: string; priceFen: bigint } | null) =>
  server.db.db.transaction(async (tx) => {
    const now = new Date();
    await tx
      .update(listings)
      .set({ status: 'ended', outcome: result ? 'sold' : 'failed', endedAt: now })
      .where(eq(listings.id, listingId));
    await services.payments.settleListing(tx, listingId, result, now);
  });

// ---------------------------------------------------------------- reading the state

const depositRow = async (id: string) =>
  (await server.db.db.select().from(deposits).where(eq(deposits.id, id)))[0]!;
const paymentRow = async (id: string) =>
  (await server.db.db.select().from(payments).where(eq(payments.id, id)))[0]!;
const registrationRow = async (id: string) =>
  (await server.db.db.select().from(registrations).where(eq(registrations.id, id)))[0]!;
const eventRows = (paymentId: string) =>
  server.db.db.select().from(gatewayEvents).where(eq(gatewayEvents.paymentId, paymentId));
const eventRow = async (eventId: string) =>
  (
    await server.db.db
      .select()
      .from(gatewayEvents)
      .where(eq(gatewayEvents.id, `stripe:${eventId}`))
  )[0];
/** The ledger transactions booked for one payment (`payment:<id>:<n>`). */
const bookingsOf = (paymentId: string) =>
  server.db.db
    .select()
    .from(ledgerTransactions)
    .where(like(ledgerTransactions.idempotencyKey, `payment:${paymentId}:%`));

const balance = async (code: string) => {
  try {
    return await balanceOf(server.db.db, code);
  } catch {
    return 0n; // the account does not exist yet
  }
};
const bidderAccount = (registrationId: string) => `bidder_deposit:${registrationId}`;

/** The fake's latest event of this type about this PaymentIntent (or its charge). */
function eventOf(ref: string, type: string): FakeEvent {
  const event = fake.events.findLast(
    (e) => e.type === type && (e.data.object.id === ref || e.data.object.payment_intent === ref),
  );
  if (!event) throw new Error(`no ${type} for ${ref}`);
  return event;
}

/** Delivers a signed body as Stripe does and reads our answer. */
async function post(payload: string, header: string) {
  const res = await fetch(`${server.url}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    body: payload,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const postEvent = (event: FakeEvent) => {
  const { payload, header } = fake.signed(event);
  return post(payload, header);
};

/** Runs due jobs here (the server's runner may have claimed them first), then waits for the state. */
async function runJobsUntil(done: () => Promise<boolean>, timeoutMs = 5_000) {
  await runner.runDue();
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('the jobs did not reach the expected state in time');
    await new Promise((r) => setTimeout(r, 25));
    await runner.runDue();
  }
}

// ---------------------------------------------------------------- the tests

describe('deposit by card with Stripe', () => {
  it('a hold: a manual-capture PaymentIntent, paid by the bidder, held on the webhook; the bidder gets a code', async () => {
    const { listing } = await announcedListing();
    const s = await startedDeposit(listing.id);
    expect(s.ref).toMatch(/^pi_/);
    expect(s.clientSecret).toMatch(new RegExp(`^${s.ref}_secret_`));
    expect(fake.intents.get(s.ref)).toMatchObject({
      amount: Number(DEPOSIT_FEN),
      currency: 'cny',
      capture_method: 'manual',
      status: 'requires_payment_method',
      metadata: { paymentId: s.paymentId },
    });
    expect(await paymentRow(s.paymentId)).toMatchObject({
      method: 'stripe',
      purpose: 'deposit',
      status: 'requires_payment',
      bookedFen: 0n,
    });
    expect((await depositRow(s.deposit.id)).status).toBe('pending');
    // A second click reuses the PaymentIntent for the Payment Element.
    const again = await startCard(s.bidder, s.deposit.id);
    expect(again).toEqual({ paymentId: s.paymentId, clientSecret: s.clientSecret, ref: s.ref });

    fake.pay(s.ref);
    const event = eventOf(s.ref, 'payment_intent.amount_capturable_updated');
    expect(await fake.deliver(event)).toBe(200);

    const d = await depositRow(s.deposit.id);
    expect(d).toMatchObject({ status: 'held', paymentId: s.paymentId, settlement: null });
    const reg = await registrationRow(s.registration.id);
    expect(reg.status).toBe('active');
    expect(reg.code).toMatch(/^[2-9A-Z]{4}$/);
    expect(await paymentRow(s.paymentId)).toMatchObject({
      status: 'authorized',
      authorizedFen: DEPOSIT_FEN,
      capturedFen: 0n,
      bookedFen: DEPOSIT_FEN,
      bookings: 1,
    });
    expect(await balance(bidderAccount(s.registration.id))).toBe(DEPOSIT_FEN);
    expect(await eventRow(event.id)).toMatchObject({
      gateway: 'stripe',
      type: 'payment_intent.amount_capturable_updated',
      paymentId: s.paymentId,
    });
  });

  it('its capture: the winner’s hold is captured at Stripe for the deposit, applied to the price, in the case account', async () => {
    const { listing, caseId } = await announcedListing();
    const winner = await heldDeposit(listing.id);
    const caseBefore = await balance(`case:${caseId}`);
    const captureCalls = () =>
      fake.requests.filter((r) => r.path === `/v1/payment_intents/${winner.ref}/capture`);
    expect(captureCalls()).toEqual([]);

    await settle(listing.id, { winnerRegistrationId: winner.registration.id, priceFen: 77_000_000n });
    await runJobsUntil(async () => (await depositRow(winner.deposit.id)).status === 'applied');

    expect(fake.intents.get(winner.ref)).toMatchObject({
      status: 'succeeded',
      amount_received: Number(DEPOSIT_FEN),
      amount_capturable: 0,
    });
    expect(captureCalls()).toHaveLength(1);
    expect(captureCalls()[0]!.idempotencyKey).toBe(`deposit:${winner.deposit.id}:apply`);
    expect(await depositRow(winner.deposit.id)).toMatchObject({ status: 'applied', settlement: 'apply' });
    expect(await paymentRow(winner.paymentId)).toMatchObject({
      status: 'captured',
      capturedFen: DEPOSIT_FEN,
      authorizedFen: 0n,
      bookedFen: DEPOSIT_FEN,
      bookings: 1, // the hold was booked once; capturing it moves no money between us and Stripe
    });
    expect(await balance(bidderAccount(winner.registration.id))).toBe(0n);
    expect(await balance(`case:${caseId}`)).toBe(caseBefore + DEPOSIT_FEN);

    // Stripe's webhooks about the capture our job made arrive afterwards: nothing moves again.
    for (const type of ['payment_intent.succeeded', 'charge.captured']) {
      expect(await postEvent(eventOf(winner.ref, type))).toEqual({
        status: 200,
        body: { received: true, outcome: 'processed' },
      });
    }
    expect(await bookingsOf(winner.paymentId)).toHaveLength(1);
    expect(await balance(`case:${caseId}`)).toBe(caseBefore + DEPOSIT_FEN);
    expect((await depositRow(winner.deposit.id)).status).toBe('applied');
  });

  it('its release: a loser’s hold is cancelled at Stripe, the deposit released, the ledger back to 0', async () => {
    const { listing } = await announcedListing();
    const winner = await heldDeposit(listing.id);
    const loser = await heldDeposit(listing.id);
    expect(await balance(bidderAccount(loser.registration.id))).toBe(DEPOSIT_FEN);

    await settle(listing.id, { winnerRegistrationId: winner.registration.id, priceFen: 70_000_000n });
    await runJobsUntil(async () => (await depositRow(loser.deposit.id)).status === 'released');
    await runJobsUntil(async () => (await depositRow(winner.deposit.id)).status === 'applied');

    expect(fake.intents.get(loser.ref)).toMatchObject({
      status: 'canceled',
      amount_capturable: 0,
      amount_received: 0,
    });
    expect(
      fake.requests
        .filter((r) => r.path === `/v1/payment_intents/${loser.ref}/cancel`)
        .map((r) => r.idempotencyKey),
    ).toEqual([`deposit:${loser.deposit.id}:release`]);
    expect(await depositRow(loser.deposit.id)).toMatchObject({ status: 'released', settlement: 'release' });
    expect(await paymentRow(loser.paymentId)).toMatchObject({
      status: 'canceled',
      bookedFen: 0n,
      bookings: 2,
    });
    expect(await balance(bidderAccount(loser.registration.id))).toBe(0n);

    // Stripe then reports the release: payment_intent.canceled changes nothing, and the
    // "refund" it books on the uncaptured charge is no refund at all (ignored).
    expect(await postEvent(eventOf(loser.ref, 'payment_intent.canceled'))).toMatchObject({
      status: 200,
      body: { outcome: 'processed' },
    });
    const refunded = eventOf(loser.ref, 'charge.refunded');
    expect(refunded.data.object).toMatchObject({ captured: false, amount_refunded: Number(DEPOSIT_FEN) });
    expect(await postEvent(refunded)).toMatchObject({ status: 200, body: { outcome: 'ignored' } });
    expect(await bookingsOf(loser.paymentId)).toHaveLength(2);
    expect(await balance(bidderAccount(loser.registration.id))).toBe(0n);
    expect((await depositRow(loser.deposit.id)).status).toBe('released');
  });

  it('a decline: the deposit stays owed with the decline code, nothing booked; another card on the same PaymentIntent holds it', async () => {
    const { listing } = await announcedListing();
    const s = await startedDeposit(listing.id);
    fake.pay(s.ref, 'pm_card_chargeDeclined');
    const failed = eventOf(s.ref, 'payment_intent.payment_failed');
    expect(await postEvent(failed)).toEqual({ status: 200, body: { received: true, outcome: 'processed' } });

    expect((await depositRow(s.deposit.id)).status).toBe('pending');
    expect((await registrationRow(s.registration.id)).status).toBe('awaiting_deposit');
    expect(await paymentRow(s.paymentId)).toMatchObject({
      status: 'requires_payment',
      failureCode: 'generic_decline',
      bookedFen: 0n,
      bookings: 0,
    });
    expect(await bookingsOf(s.paymentId)).toEqual([]);
    expect(await balance(bidderAccount(s.registration.id))).toBe(0n);

    // The payer tries again: the same attempt and PaymentIntent come back for the Payment Element.
    const retry = await startCard(s.bidder, s.deposit.id);
    expect(retry).toEqual({ paymentId: s.paymentId, clientSecret: s.clientSecret, ref: s.ref });
    fake.pay(s.ref, 'pm_card_visa');
    expect(await fake.deliver(eventOf(s.ref, 'payment_intent.amount_capturable_updated'))).toBe(200);
    expect(await depositRow(s.deposit.id)).toMatchObject({ status: 'held', paymentId: s.paymentId });
    expect(await paymentRow(s.paymentId)).toMatchObject({ status: 'authorized', bookedFen: DEPOSIT_FEN });
    expect(await balance(bidderAccount(s.registration.id))).toBe(DEPOSIT_FEN);
    expect((await registrationRow(s.registration.id)).status).toBe('active');
  });
});

describe('the balance by card with Stripe', () => {
  it('the winner pays the balance: an automatic-capture PaymentIntent, paid on payment_intent.succeeded', async () => {
    const { listing, caseId } = await announcedListing();
    const winner = await heldDeposit(listing.id);
    await settle(listing.id, { winnerRegistrationId: winner.registration.id, priceFen: 77_000_000n });
    await runJobsUntil(async () => (await depositRow(winner.deposit.id)).status === 'applied');
    const [b] = await server.db.db.select().from(balances).where(eq(balances.listingId, listing.id));
    expect(b).toMatchObject({ status: 'open', amountFen: 70_000_000n });
    const caseBefore = await balance(`case:${caseId}`);

    const started = await services.payments.startPayment(winner.bidder, {
      target: 'balance',
      id: b!.id,
      method: 'card',
    });
    const ref = (await paymentRow(started.paymentId)).gatewayRef!;
    expect(fake.intents.get(ref)).toMatchObject({ amount: 70_000_000, capture_method: 'automatic' });
    fake.pay(ref);
    expect(await fake.deliver(eventOf(ref, 'payment_intent.succeeded'))).toBe(200);

    const [paid] = await server.db.db.select().from(balances).where(eq(balances.id, b!.id));
    expect(paid).toMatchObject({ status: 'paid', paymentId: started.paymentId });
    expect(await paymentRow(started.paymentId)).toMatchObject({
      status: 'captured',
      capturedFen: 70_000_000n,
      bookedFen: 70_000_000n,
    });
    expect(await balance(`case:${caseId}`)).toBe(caseBefore + 70_000_000n);
  });
});

describe('webhook delivery', () => {
  it('an event for one of our payments not stored yet is answered 500, so that Stripe retries; a stranger’s is acknowledged', async () => {
    const { listing } = await announcedListing();
    const s = await startedDeposit(listing.id);
    const template = eventOf(s.ref, 'payment_intent.created');
    const forged = (metadata: Record<string, string>): FakeEvent => ({
      ...structuredClone(template),
      id: `evt_test_${randomUUID().replaceAll('-', '')}`,
      data: { object: { ...structuredClone(template.data.object), id: `pi_test_${randomUUID()}`, metadata } },
    });
    const early = forged({ paymentId: randomUUID() });
    expect((await postEvent(early)).status).toBe(500);
    expect(await eventRow(early.id)).toBeUndefined(); // rolled back: the retry is processed
    const stranger = forged({});
    expect(await postEvent(stranger)).toEqual({ status: 200, body: { received: true, outcome: 'unknown' } });
  });

  it('the same event delivered twice is processed once', async () => {
    const { listing } = await announcedListing();
    const s = await startedDeposit(listing.id);
    fake.pay(s.ref);
    const event = eventOf(s.ref, 'payment_intent.amount_capturable_updated');

    expect(await postEvent(event)).toEqual({ status: 200, body: { received: true, outcome: 'processed' } });
    // Stripe resends (our 200 was lost): acknowledged, so it stops, and nothing happens twice.
    expect(await postEvent(event)).toEqual({ status: 200, body: { received: true, outcome: 'duplicate' } });

    const rows = await server.db.db
      .select()
      .from(gatewayEvents)
      .where(eq(gatewayEvents.id, `stripe:${event.id}`));
    expect(rows).toHaveLength(1);
    expect(await eventRows(s.paymentId)).toHaveLength(1);
    expect(await bookingsOf(s.paymentId)).toHaveLength(1);
    expect(await paymentRow(s.paymentId)).toMatchObject({ bookedFen: DEPOSIT_FEN, bookings: 1 });
    expect(await balance(bidderAccount(s.registration.id))).toBe(DEPOSIT_FEN);
    expect((await depositRow(s.deposit.id)).status).toBe('held');
  });

  it('out of order: a hold’s cancellation before its authorisation leaves the deposit owed, nothing booked', async () => {
    const { listing } = await announcedListing();
    const s = await startedDeposit(listing.id);
    fake.pay(s.ref);
    fake.expireAuthorization(s.ref);
    const authorised = eventOf(s.ref, 'payment_intent.amount_capturable_updated');
    const canceled = eventOf(s.ref, 'payment_intent.canceled');

    expect(await postEvent(canceled)).toMatchObject({ status: 200, body: { outcome: 'processed' } });
    expect(await postEvent(authorised)).toMatchObject({ status: 200, body: { outcome: 'processed' } });

    expect(await paymentRow(s.paymentId)).toMatchObject({ status: 'canceled', bookedFen: 0n, bookings: 0 });
    expect(await bookingsOf(s.paymentId)).toEqual([]);
    expect(await depositRow(s.deposit.id)).toMatchObject({ status: 'pending' });
    expect((await registrationRow(s.registration.id)).status).toBe('awaiting_deposit');
    expect(await balance(bidderAccount(s.registration.id))).toBe(0n);
    expect(await eventRows(s.paymentId)).toHaveLength(2);

    // The bidder pays again: a new attempt and a new PaymentIntent.
    const again = await startCard(s.bidder, s.deposit.id);
    expect(again.paymentId).not.toBe(s.paymentId);
    expect(again.ref).not.toBe(s.ref);
    fake.pay(again.ref);
    expect(await fake.deliver(eventOf(again.ref, 'payment_intent.amount_capturable_updated'))).toBe(200);
    expect(await depositRow(s.deposit.id)).toMatchObject({ status: 'held', paymentId: again.paymentId });
    expect(await balance(bidderAccount(s.registration.id))).toBe(DEPOSIT_FEN);
  });

  it('out of order: the capture’s events before the late authorisation event book nothing twice', async () => {
    const { listing, caseId } = await announcedListing();
    const s = await startedDeposit(listing.id);
    fake.pay(s.ref);
    // The authorisation webhook is late: reconciliation learns of the hold from Stripe.
    await services.payments.reconcile();
    expect((await depositRow(s.deposit.id)).status).toBe('held');
    expect(await balance(bidderAccount(s.registration.id))).toBe(DEPOSIT_FEN);

    const caseBefore = await balance(`case:${caseId}`);
    await settle(listing.id, { winnerRegistrationId: s.registration.id, priceFen: 70_000_000n });
    await runJobsUntil(async () => (await depositRow(s.deposit.id)).status === 'applied');

    // Now the backlog, newest first: succeeded, charge.captured, then amount_capturable_updated.
    for (const type of [
      'payment_intent.succeeded',
      'charge.captured',
      'payment_intent.amount_capturable_updated',
    ])
      expect(await postEvent(eventOf(s.ref, type))).toMatchObject({
        status: 200,
        body: { outcome: 'processed' },
      });

    expect(await paymentRow(s.paymentId)).toMatchObject({
      status: 'captured',
      capturedFen: DEPOSIT_FEN,
      bookedFen: DEPOSIT_FEN,
      bookings: 1,
    });
    expect(await bookingsOf(s.paymentId)).toHaveLength(1);
    expect(await depositRow(s.deposit.id)).toMatchObject({ status: 'applied' });
    expect(await balance(bidderAccount(s.registration.id))).toBe(0n);
    expect(await balance(`case:${caseId}`)).toBe(caseBefore + DEPOSIT_FEN);
  });

  it('out of order: a hold captured outside the flow, its succeeded event before its authorisation, is booked once', async () => {
    // A hold captured at Stripe whose every earlier webhook is late (e.g. captured from the
    // dashboard): the succeeded snapshot alone holds the deposit; the stale ones change nothing.
    const { listing } = await announcedListing();
    const s = await startedDeposit(listing.id);
    fake.pay(s.ref);
    const capture = await fetch(`${fake.url}/v1/payment_intents/${s.ref}/capture`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sk_test_dashboard',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: '',
    });
    expect(capture.status).toBe(200);

    expect(await postEvent(eventOf(s.ref, 'payment_intent.succeeded'))).toMatchObject({ status: 200 });
    expect(await postEvent(eventOf(s.ref, 'payment_intent.amount_capturable_updated'))).toMatchObject({
      status: 200,
    });
    expect(await paymentRow(s.paymentId)).toMatchObject({
      status: 'captured',
      bookedFen: DEPOSIT_FEN,
      bookings: 1,
    });
    expect(await bookingsOf(s.paymentId)).toHaveLength(1);
    expect((await depositRow(s.deposit.id)).status).toBe('held');
    expect(await balance(bidderAccount(s.registration.id))).toBe(DEPOSIT_FEN);
  });

  it('a tampered payload or a foreign secret is refused with 400 and changes nothing', async () => {
    const { listing } = await announcedListing();
    const s = await startedDeposit(listing.id);
    fake.pay(s.ref);
    const event = eventOf(s.ref, 'payment_intent.amount_capturable_updated');
    const good = fake.signed(event);

    const tampered = good.payload.replace(`"amount":${DEPOSIT_FEN}`, '"amount":1');
    expect(tampered).not.toBe(good.payload);
    expect((await post(tampered, good.header)).status).toBe(400);
    const foreign = fake.signed(event, { secret: 'whsec_not_ours' });
    expect((await post(foreign.payload, foreign.header)).status).toBe(400);
    const unsigned = await fetch(`${server.url}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: good.payload,
    });
    expect(unsigned.status).toBe(400);

    expect(await eventRow(event.id)).toBeUndefined();
    expect(await eventRows(s.paymentId)).toEqual([]);
    expect((await depositRow(s.deposit.id)).status).toBe('pending');
    expect(await paymentRow(s.paymentId)).toMatchObject({ status: 'requires_payment', bookedFen: 0n });
    expect(await balance(bidderAccount(s.registration.id))).toBe(0n);

    // The refusals were about the signature: the genuine delivery of the same event is processed.
    expect(await post(good.payload, good.header)).toMatchObject({
      status: 200,
      body: { outcome: 'processed' },
    });
    expect((await depositRow(s.deposit.id)).status).toBe('held');
  });
});

describe('a hold that lapses before the auction ends', () => {
  it('the deposit is owed again and the bidder is told; paying again holds it anew', async () => {
    const { listing } = await announcedListing();
    const s = await heldDeposit(listing.id);
    fake.expireAuthorization(s.ref);
    const canceled = eventOf(s.ref, 'payment_intent.canceled');
    expect(canceled.data.object.cancellation_reason).toBe('automatic');

    expect(await fake.deliver(canceled)).toBe(200);
    expect(await postEvent(eventOf(s.ref, 'charge.refunded'))).toMatchObject({
      status: 200,
      body: { outcome: 'ignored' },
    });

    const d = await depositRow(s.deposit.id);
    expect(d).toMatchObject({ status: 'pending', settlement: null });
    expect(d.renewalRequestedAt).not.toBeNull();
    expect(await paymentRow(s.paymentId)).toMatchObject({ status: 'canceled', bookedFen: 0n, bookings: 2 });
    expect(await balance(bidderAccount(s.registration.id))).toBe(0n);
    const notices = await server.db.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, s.bidder.userId), eq(notifications.kind, 'depositLapsed')));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.link).toContain(s.deposit.id); // the deposit's pay page

    const again = await startCard(s.bidder, s.deposit.id);
    expect(again.ref).not.toBe(s.ref);
    fake.pay(again.ref);
    expect(await fake.deliver(eventOf(again.ref, 'payment_intent.amount_capturable_updated'))).toBe(200);
    expect(await depositRow(s.deposit.id)).toMatchObject({ status: 'held', paymentId: again.paymentId });
    expect(await balance(bidderAccount(s.registration.id))).toBe(DEPOSIT_FEN);
  });
});

describe('the card limit', () => {
  it('a deposit above 99,999,999 fen is refused with a pointer to bank transfer before any call to Stripe', async () => {
    // ¥1,400,000 deposit = 140,000,000 fen.
    const { listing } = await announcedListing({
      startingPrice: '7000000',
      deposit: '1400000',
      increment: '35000',
    });
    const bidder = await newBidder();
    const reg = await services.registrations.register(bidder, listing.id, { acceptNotices: true });
    expect(reg.deposit.amountFen).toBe(140_000_000n);
    const before = fake.requests.length;
    const e = await caught(
      services.payments.startPayment(bidder, { target: 'deposit', id: reg.deposit.id, method: 'card' }),
    );
    expect(e).toMatchObject({ code: 'validation', messageKey: 'payments.cardLimitUseBankTransfer' });
    expect(e.details.params).toEqual({ maxFen: '99999999' });
    expect(fake.requests.length).toBe(before);
    expect(await server.db.db.select().from(payments).where(eq(payments.depositId, reg.deposit.id))).toEqual(
      [],
    );
  });
});
