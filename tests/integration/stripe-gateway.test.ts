/**
 * The Stripe gateway through the real `stripe` SDK against the local fake
 * (`tests/support/stripe-fake.ts`): holds, captures, releases, declines, refunds, retries and
 * webhooks. No database.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../server/errors.js';
import { type CreatePaymentInput, netHeldFen } from '../../server/payments/gateway.js';
import { createStripeGateway, type StripeGateway } from '../../server/payments/stripe.js';
import { type FakeEvent, type StripeFake, startStripeFake } from '../support/stripe-fake.js';

const SECRET = 'whsec_gateway_test_secret';
let fake: StripeFake;
let gateway: StripeGateway;
let seq = 0;

beforeAll(async () => {
  fake = await startStripeFake({ webhookSecret: SECRET });
  gateway = createStripeGateway({ secretKey: 'sk_test_gateway', webhookSecret: SECRET, apiBase: fake.url });
});
afterAll(() => fake.close());

const input = (over: Partial<CreatePaymentInput> = {}): CreatePaymentInput => ({
  paymentId: `pay-${++seq}`,
  amountFen: 50_000n,
  currency: 'CNY',
  capture: 'manual',
  description: 'Deposit, lot 7',
  ...over,
});

/** A deposit hold the customer has authorised. */
async function hold(amountFen = 50_000n) {
  const created = await gateway.create(input({ amountFen }));
  fake.pay(created.ref);
  return created.ref;
}

const eventOf = (ref: string, type: string): FakeEvent => {
  const event = fake.events.findLast(
    (e) => e.type === type && (e.data.object.id === ref || e.data.object.payment_intent === ref),
  );
  if (!event) throw new Error(`no ${type} for ${ref}`);
  return event;
};

/** Throws or rejects with a validation DomainError of this message key; returns it. */
async function expectDomainError(run: () => unknown, messageKey: string) {
  const error = await (async () => run())().then(
    () => null,
    (e: unknown) => e,
  );
  expect(isDomainError(error), String(error)).toBe(true);
  expect(error).toMatchObject({ code: 'validation', messageKey });
  return error;
}

describe('Stripe gateway: card payments', () => {
  it('creates a manual-capture PaymentIntent in CNY fen with our payment id, for the Payment Element', async () => {
    const created = await gateway.create(input({ paymentId: 'pay-create', amountFen: 123_456n }));
    expect(created.ref).toMatch(/^pi_/);
    expect(created.clientSecret).toMatch(new RegExp(`^${created.ref}_secret_`));
    expect(created.redirectUrl).toBeNull();
    expect(created.state).toMatchObject({
      ref: created.ref,
      paymentId: 'pay-create',
      status: 'requires_payment',
      amountFen: 123_456n,
      authorizedFen: 0n,
    });
    expect(fake.intents.get(created.ref)).toMatchObject({
      amount: 123_456,
      currency: 'cny',
      capture_method: 'manual',
      description: 'Deposit, lot 7',
      metadata: { paymentId: 'pay-create' },
    });
    expect(fake.requests.at(-1)).toMatchObject({ idempotencyKey: 'create:pay-create' });
  });

  it('a paid deposit is an authorisation hold with its expiry', async () => {
    const ref = await hold(50_000n);
    const state = await gateway.retrieve(ref);
    expect(state).toMatchObject({
      status: 'authorized',
      authorizedFen: 50_000n,
      capturedFen: 0n,
      refundedFen: 0n,
    });
    const sevenDays = Date.now() + 7 * 24 * 3600_000;
    expect(Math.abs(state.authorizationExpiresAt!.getTime() - sevenDays)).toBeLessThan(60_000);
    expect(netHeldFen(state)).toBe(50_000n);
  });

  it('captures a hold in full', async () => {
    const ref = await hold(50_000n);
    const state = await gateway.capture(ref, 50_000n, `capture:${ref}`);
    expect(state).toMatchObject({
      status: 'captured',
      capturedFen: 50_000n,
      authorizedFen: 0n,
      refundedFen: 0n,
    });
    expect(state.authorizationExpiresAt).toBeNull();
  });

  it('captures part of a hold; the released rest is not counted as refunded', async () => {
    const ref = await hold(50_000n);
    const state = await gateway.capture(ref, 30_000n, `capture:${ref}`);
    // Stripe books the released 20,000 as refunded on the charge: the gateway must not.
    expect(fake.charges.get(fake.intents.get(ref)!.latest_charge!)!.amount_refunded).toBe(20_000);
    expect(state).toMatchObject({ status: 'captured', capturedFen: 30_000n, refundedFen: 0n });
    expect(netHeldFen(state)).toBe(30_000n);

    const refunded = await gateway.refund(ref, 10_000n, `refund:${ref}`);
    expect(refunded).toMatchObject({ capturedFen: 30_000n, refundedFen: 10_000n });
    expect(netHeldFen(refunded)).toBe(20_000n);
  });

  it('releases a hold', async () => {
    const ref = await hold(50_000n);
    const state = await gateway.cancel(ref, `release:${ref}`);
    expect(state).toMatchObject({ status: 'canceled', authorizedFen: 0n, capturedFen: 0n, refundedFen: 0n });
    expect(netHeldFen(state)).toBe(0n);
    expect(fake.intents.get(ref)!.status).toBe('canceled');
  });

  it('an ordinary payment is captured as soon as it is paid', async () => {
    const created = await gateway.create(input({ capture: 'automatic', amountFen: 8_800n }));
    expect(fake.intents.get(created.ref)!.capture_method).toBe('automatic');
    fake.pay(created.ref);
    expect(await gateway.retrieve(created.ref)).toMatchObject({
      status: 'captured',
      capturedFen: 8_800n,
      authorizedFen: 0n,
      authorizationExpiresAt: null,
    });
  });

  it('a declined card carries the decline code and stays payable (another card may follow)', async () => {
    const created = await gateway.create(input());
    fake.pay(created.ref, 'pm_card_chargeDeclined');
    expect(await gateway.retrieve(created.ref)).toMatchObject({
      status: 'requires_payment',
      failureCode: 'generic_decline',
      authorizedFen: 0n,
      capturedFen: 0n,
    });
  });

  it('refunds in parts, a retried refund refunds once, and a refund already made is answered', async () => {
    const created = await gateway.create(input({ capture: 'automatic', amountFen: 20_000n }));
    fake.pay(created.ref);
    const first = await gateway.refund(created.ref, 5_000n, 'refund-1');
    expect(first).toMatchObject({ status: 'captured', capturedFen: 20_000n, refundedFen: 5_000n });
    expect(await gateway.refund(created.ref, 5_000n, 'refund-1')).toMatchObject({ refundedFen: 5_000n });
    const all = await gateway.refund(created.ref, 15_000n, 'refund-2');
    expect(all.refundedFen).toBe(20_000n);
    expect(netHeldFen(all)).toBe(0n);
    // A job that lost its key re-asks for the last refund: nothing is left, and it was made.
    expect(await gateway.refund(created.ref, 15_000n, 'refund-2-again')).toMatchObject({
      refundedFen: 20_000n,
    });
    // More than was ever refunded cannot have been made: the error stands.
    await expect(gateway.refund(created.ref, 25_000n, 'refund-too-much')).rejects.toMatchObject({
      code: 'charge_already_refunded',
    });
    const refunds = [...fake.refunds.values()].filter((r) => r.payment_intent === created.ref);
    expect(refunds.map((r) => r.amount)).toEqual([5_000, 15_000]);
  });

  it('a refund beyond what is left is refused, not answered', async () => {
    const created = await gateway.create(input({ capture: 'automatic', amountFen: 20_000n }));
    fake.pay(created.ref);
    await gateway.refund(created.ref, 15_000n, 'refund-a');
    await expect(gateway.refund(created.ref, 10_000n, 'refund-b')).rejects.toMatchObject({
      code: 'amount_too_large',
    });
  });

  it('creation is idempotent on the payment id', async () => {
    const before = fake.intents.size;
    const a = await gateway.create(input({ paymentId: 'pay-twice' }));
    const b = await gateway.create(input({ paymentId: 'pay-twice' }));
    expect(b.ref).toBe(a.ref);
    expect(b.clientSecret).toBe(a.clientSecret);
    expect(fake.intents.size).toBe(before + 1);
    // The same payment id with another amount is a bug upstream: Stripe refuses it.
    await expect(gateway.create(input({ paymentId: 'pay-twice', amountFen: 1n }))).rejects.toMatchObject({
      type: 'StripeIdempotencyError',
    });
  });

  it('a capture or a release retried after it succeeded answers the state', async () => {
    const captured = await hold(40_000n);
    await gateway.capture(captured, 40_000n, 'cap-1');
    // The same key replays Stripe's answer; a new key meets payment_intent_unexpected_state.
    expect(await gateway.capture(captured, 40_000n, 'cap-1')).toMatchObject({
      status: 'captured',
      capturedFen: 40_000n,
    });
    expect(await gateway.capture(captured, 40_000n, 'cap-2')).toMatchObject({
      status: 'captured',
      capturedFen: 40_000n,
    });
    // Not the state asked for: the error stands.
    await expect(gateway.cancel(captured, 'rel-1')).rejects.toMatchObject({
      code: 'payment_intent_unexpected_state',
    });

    const released = await hold(40_000n);
    await gateway.cancel(released, 'rel-2');
    expect(await gateway.cancel(released, 'rel-3')).toMatchObject({ status: 'canceled', authorizedFen: 0n });
    await expect(gateway.capture(released, 40_000n, 'cap-3')).rejects.toMatchObject({
      code: 'payment_intent_unexpected_state',
    });
  });

  it('a transient Stripe failure is retried under the same idempotency key', async () => {
    const ref = await hold(10_000n);
    const path = `/v1/payment_intents/${ref}/capture`;
    fake.failNext(path, 500);
    expect(await gateway.capture(ref, 10_000n, 'cap-retry')).toMatchObject({ status: 'captured' });
    const attempts = fake.requests.filter((r) => r.path === path);
    expect(attempts.map((r) => r.idempotencyKey)).toEqual(['cap-retry', 'cap-retry']);
  });

  it('an amount over the card limit is refused before any call to Stripe', async () => {
    expect(gateway.maxAmountFen).toBe(99_999_999n);
    const calls = fake.requests.length;
    const error = await expectDomainError(
      () => gateway.create(input({ amountFen: 100_000_000n })),
      'payments.cardLimitUseBankTransfer',
    );
    expect(error).toMatchObject({ details: { params: { maxFen: '99999999' } } });
    // One fen less is Stripe's own limit, and goes through.
    expect((await gateway.create(input({ amountFen: 99_999_999n }))).state.amountFen).toBe(99_999_999n);
    expect(fake.requests.length).toBe(calls + 1);

    const small = createStripeGateway({
      secretKey: 'sk_test_x',
      webhookSecret: SECRET,
      apiBase: fake.url,
      maxAmountFen: 1_000n,
    });
    await expectDomainError(
      () => small.create(input({ amountFen: 1_001n })),
      'payments.cardLimitUseBankTransfer',
    );
    expect(fake.requests.length).toBe(calls + 1);
    expect((await small.create(input({ amountFen: 1_000n }))).state.amountFen).toBe(1_000n);
  });

  it('a lapsed hold reads as canceled', async () => {
    const ref = await hold(10_000n);
    fake.expireAuthorization(ref);
    expect(await gateway.retrieve(ref)).toMatchObject({ status: 'canceled', authorizedFen: 0n });
  });
});

describe('Stripe gateway: webhooks', () => {
  it('turns a signed payment_intent event into its snapshot', async () => {
    const ref = await hold(50_000n);
    const event = eventOf(ref, 'payment_intent.amount_capturable_updated');
    const { payload, header } = fake.signed(event);
    const parsed = gateway.parseWebhook(Buffer.from(payload), header);
    expect(parsed).toEqual({
      id: event.id,
      type: 'payment_intent.amount_capturable_updated',
      occurredAt: new Date(event.created * 1000),
      state: expect.objectContaining({
        ref,
        paymentId: `pay-${seq}`,
        status: 'authorized',
        authorizedFen: 50_000n,
      }),
    });
    expect(parsed!.id).toMatch(/^evt_/);
    // The event does not carry the charge's capture_before: Stripe's 7 days from creation stand
    // in, never later than the real deadline.
    const estimate = parsed!.state.authorizationExpiresAt!;
    expect(estimate.getTime()).toBe((fake.intents.get(ref)!.created + 7 * 24 * 3600) * 1000);
    const exact = (await gateway.retrieve(ref)).authorizationExpiresAt!;
    expect(exact.getTime()).toBe(
      fake.charges.get(fake.intents.get(ref)!.latest_charge!)!.payment_method_details.card.capture_before! *
        1000,
    );
    expect(estimate.getTime()).toBeLessThanOrEqual(exact.getTime());
  });

  it('reports declines, lapsed holds and captures from their events', async () => {
    const declined = await gateway.create(input());
    fake.pay(declined.ref, 'pm_card_chargeDeclined');
    const failed = fake.signed(eventOf(declined.ref, 'payment_intent.payment_failed'));
    expect(gateway.parseWebhook(failed.payload, failed.header)?.state).toMatchObject({
      status: 'requires_payment',
      failureCode: 'generic_decline',
    });

    const lapsed = await hold(10_000n);
    fake.expireAuthorization(lapsed);
    const canceled = eventOf(lapsed, 'payment_intent.canceled');
    expect(canceled.data.object.cancellation_reason).toBe('automatic');
    const c = fake.signed(canceled);
    expect(gateway.parseWebhook(c.payload, c.header)?.state).toMatchObject({
      status: 'canceled',
      authorizedFen: 0n,
    });

    const partial = await hold(10_000n);
    await gateway.capture(partial, 6_000n, `cap:${partial}`);
    const s = fake.signed(eventOf(partial, 'payment_intent.succeeded'));
    expect(gateway.parseWebhook(s.payload, s.header)?.state).toMatchObject({
      status: 'captured',
      capturedFen: 6_000n,
    });
    const ch = fake.signed(eventOf(partial, 'charge.captured'));
    expect(gateway.parseWebhook(ch.payload, ch.header)?.state).toMatchObject({
      ref: partial,
      status: 'captured',
      capturedFen: 6_000n,
      refundedFen: 0n,
    });
  });

  it('turns charge.refunded into the PaymentIntent snapshot with the refund', async () => {
    const ref = await hold(50_000n);
    await gateway.capture(ref, 40_000n, `cap:${ref}`);
    await gateway.refund(ref, 15_000n, `ref:${ref}`);
    const { payload, header } = fake.signed(eventOf(ref, 'charge.refunded'));
    expect(gateway.parseWebhook(payload, header)?.state).toMatchObject({
      ref,
      paymentId: `pay-${seq}`,
      status: 'captured',
      amountFen: 50_000n,
      capturedFen: 40_000n,
      refundedFen: 15_000n,
    });
  });

  it('refuses a tampered payload, a wrong secret, an old timestamp and a missing signature', async () => {
    const ref = await hold(10_000n);
    const event = eventOf(ref, 'payment_intent.amount_capturable_updated');
    const good = fake.signed(event);
    const tampered = good.payload.replace('"amount_capturable":10000', '"amount_capturable":99999');
    expect(tampered).not.toBe(good.payload);
    await expectDomainError(() => gateway.parseWebhook(tampered, good.header), 'payments.badSignature');

    const other = fake.signed(event, { secret: 'whsec_someone_else' });
    await expectDomainError(() => gateway.parseWebhook(other.payload, other.header), 'payments.badSignature');

    const old = fake.signed(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    await expectDomainError(() => gateway.parseWebhook(old.payload, old.header), 'payments.badSignature');

    await expectDomainError(() => gateway.parseWebhook(good.payload, undefined), 'payments.badSignature');
    // The same, correctly signed, is accepted: the refusals above are about the signature.
    expect(gateway.parseWebhook(good.payload, good.header)?.state.authorizedFen).toBe(10_000n);
  });

  it('answers null for a released hold booked as a refund: payment_intent.canceled reports it', async () => {
    const ref = await hold(10_000n);
    await gateway.cancel(ref, `rel:${ref}`);
    const released = eventOf(ref, 'charge.refunded');
    expect(released.data.object).toMatchObject({ captured: false, amount_refunded: 10_000 });
    const { payload, header } = fake.signed(released);
    expect(gateway.parseWebhook(payload, header)).toBeNull();
  });

  it('answers null for events that carry no payment state', () => {
    const event = {
      id: 'evt_customer',
      object: 'event',
      type: 'customer.created',
      created: 1,
      data: { object: { id: 'cus_1', object: 'customer' } },
    };
    const { payload, header } = fake.signed(event);
    expect(gateway.parseWebhook(payload, header)).toBeNull();
  });

  it('delivers signed events to a webhook endpoint', async () => {
    const received: string[] = [];
    const endpoint = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          const event = gateway.parseWebhook(
            Buffer.concat(chunks),
            req.headers['stripe-signature'] as string,
          );
          if (event) received.push(`${event.type}:${event.state.status}`);
          res.writeHead(200).end();
        } catch (error) {
          res.writeHead(isDomainError(error) ? 400 : 500).end();
        }
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const webhookUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
    const sender = await startStripeFake({ webhookUrl, webhookSecret: SECRET });
    const wrongSender = await startStripeFake({ webhookUrl, webhookSecret: 'whsec_not_ours' });
    try {
      const ref = await hold(10_000n);
      expect(await sender.deliver(eventOf(ref, 'payment_intent.amount_capturable_updated'))).toBe(200);
      expect(await wrongSender.deliver(eventOf(ref, 'payment_intent.created'))).toBe(400);
      expect(received).toEqual(['payment_intent.amount_capturable_updated:authorized']);
    } finally {
      await Promise.all([sender.close(), wrongSender.close()]);
      endpoint.closeAllConnections();
      await new Promise<void>((resolve) => endpoint.close(() => resolve()));
    }
  });
});
