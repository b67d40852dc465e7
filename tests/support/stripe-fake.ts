/**
 * A small local Stripe: the PaymentIntent and Refund endpoints the Stripe gateway uses, served
 * over HTTP so that the real `stripe` SDK talks to it (point the SDK at `fake.url`). The only
 * simulator on npm (stripe-stateful-mock) has no PaymentIntents (TOOLCHAIN, "Stripe without
 * the network").
 *
 * What it imitates, because the gateway depends on it: form-encoded bodies with nested keys;
 * Stripe's error JSON (`{ error: { type, code, message } }`, from which the SDK picks its error
 * classes); Idempotency-Key replay and conflicts; `payment_intent_unexpected_state` on a wrong
 * transition; `expand[]=latest_charge`; a partial capture or a cancelled hold booking the
 * released amount as refunded on the charge; and one event per state change, signed with the
 * SDK's own test signer.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

type Obj = Record<string, unknown>;

export interface FakeCharge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  /** Includes the released (never captured) part of a hold, as on Stripe. */
  amount_refunded: number;
  captured: boolean;
  refunded: boolean;
  paid: boolean;
  status: 'succeeded';
  currency: string;
  payment_intent: string;
  payment_method: string;
  payment_method_details: { type: 'card'; card: { brand: 'visa'; last4: string; capture_before?: number } };
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

export interface FakeIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  status: string;
  capture_method: 'automatic' | 'manual';
  client_secret: string;
  description: string | null;
  metadata: Record<string, string>;
  payment_method: string | null;
  latest_charge: string | null;
  last_payment_error: { type: 'card_error'; code: string; decline_code: string; message: string } | null;
  cancellation_reason: string | null;
  canceled_at: number | null;
  created: number;
  livemode: false;
}

export interface FakeRefund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  payment_intent: string;
  currency: string;
  status: 'succeeded';
  metadata: Record<string, string>;
  created: number;
}

export interface FakeEvent {
  id: string;
  object: 'event';
  api_version: string;
  type: string;
  created: number;
  data: { object: Obj };
  livemode: false;
  pending_webhooks: number;
  request: { id: null; idempotency_key: null };
}

export interface StripeFake {
  /** e.g. `http://127.0.0.1:41234`: the gateway's `apiBase`. */
  url: string;
  webhookSecret: string;
  close(): Promise<void>;
  intents: Map<string, FakeIntent>;
  charges: Map<string, FakeCharge>;
  refunds: Map<string, FakeRefund>;
  /** Every event, oldest first; `data.object` is the object as it was at that moment. */
  events: FakeEvent[];
  /** Every HTTP request received, in order (injected failures included). */
  requests: { method: string; path: string; idempotencyKey: string | null }[];
  /** The customer confirming in the browser: `pm_card_visa` pays, `pm_card_chargeDeclined` is declined. */
  pay(piId: string, paymentMethod?: string): FakeIntent;
  /** The card network letting an uncaptured hold lapse: cancelled with reason 'automatic'. */
  expireAuthorization(piId: string): FakeIntent;
  /** The event as Stripe would POST it: body and `stripe-signature` header (secret: `webhookSecret`). */
  signed(
    event: FakeEvent | Obj,
    opts?: { secret?: string; timestamp?: number },
  ): { payload: string; header: string };
  /** POSTs the signed event to `webhookUrl`; resolves to the response status. */
  deliver(event: FakeEvent | Obj): Promise<number>;
  /** The next request to `path` (exact pathname or pattern) answers `status` without being processed. */
  failNext(path: string | RegExp, status: number): void;
}

/** An error answered in Stripe's shape; the SDK maps 400/404 → InvalidRequest, 402 → Card, … */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Obj,
  ) {
    super(String(body.message));
  }
}
const invalid = (message: string, code?: string, extra: Obj = {}) =>
  new ApiError(400, { type: 'invalid_request_error', message, code, ...extra });

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const SEVEN_DAYS = 7 * 24 * 3600;
const CANCELABLE = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'requires_capture',
];

export async function startStripeFake(
  opts: { webhookUrl?: string; webhookSecret?: string } = {},
): Promise<StripeFake> {
  const webhookSecret = opts.webhookSecret ?? 'whsec_fake_local_secret';
  const intents = new Map<string, FakeIntent>();
  const charges = new Map<string, FakeCharge>();
  const refunds = new Map<string, FakeRefund>();
  const events: FakeEvent[] = [];
  const requests: StripeFake['requests'] = [];
  // Answers are stored serialised: a replay must not see later changes to the objects.
  const idempotent = new Map<string, { fingerprint: string; status: number; json: string }>();
  const failures: { path: string | RegExp; status: number }[] = [];

  const record = (type: string, object: FakeIntent | FakeCharge) =>
    events.push({
      id: newId('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      type,
      created: now(),
      data: { object: structuredClone(object) as unknown as Obj },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    });

  const intent = (id: string) => {
    const pi = intents.get(id);
    if (!pi)
      throw new ApiError(404, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such payment_intent: '${id}'`,
        param: 'intent',
      });
    return pi;
  };
  const requireStatus = (pi: FakeIntent, allowed: string[], action: string) => {
    if (!allowed.includes(pi.status))
      throw invalid(
        `This PaymentIntent could not be ${action} because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be ${action}: ${allowed.join(', ')}.`,
        'payment_intent_unexpected_state',
        { payment_intent: structuredClone(pi) },
      );
  };
  const chargeOf = (pi: FakeIntent) => (pi.latest_charge ? charges.get(pi.latest_charge) : undefined);
  /** The PaymentIntent as answered, with `latest_charge` expanded when asked. */
  const render = (pi: FakeIntent, expand: unknown): Obj => {
    const wanted = Array.isArray(expand) && expand.includes('latest_charge');
    return { ...structuredClone(pi), latest_charge: (wanted && chargeOf(pi)) || pi.latest_charge };
  };

  function createIntent(p: Obj): FakeIntent {
    const amount = Number(p.amount);
    if (!Number.isInteger(amount) || amount < 1)
      throw invalid('Invalid positive integer', 'parameter_invalid_integer', { param: 'amount' });
    if (amount > 99_999_999)
      throw invalid('Amount must be no more than 99,999,999', 'amount_too_large', { param: 'amount' });
    if (typeof p.currency !== 'string')
      throw invalid('Missing required param: currency.', 'parameter_missing', { param: 'currency' });
    const id = newId('pi');
    const pi: FakeIntent = {
      id,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      currency: p.currency,
      status: 'requires_payment_method',
      capture_method: p.capture_method === 'manual' ? 'manual' : 'automatic',
      client_secret: `${id}_secret_${randomBytes(12).toString('hex')}`,
      description: typeof p.description === 'string' ? p.description : null,
      metadata: { ...((p.metadata as Record<string, string> | undefined) ?? {}) },
      payment_method: null,
      latest_charge: null,
      last_payment_error: null,
      cancellation_reason: null,
      canceled_at: null,
      created: now(),
      livemode: false,
    };
    intents.set(id, pi);
    record('payment_intent.created', pi);
    return pi;
  }

  function confirm(pi: FakeIntent, paymentMethod: unknown): FakeIntent {
    requireStatus(pi, ['requires_payment_method', 'requires_confirmation'], 'confirmed');
    if (paymentMethod === 'pm_card_chargeDeclined') {
      pi.status = 'requires_payment_method';
      pi.last_payment_error = {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
      };
      record('payment_intent.payment_failed', pi);
      return pi;
    }
    if (paymentMethod !== 'pm_card_visa')
      throw invalid(`No such PaymentMethod: '${String(paymentMethod)}'`, 'resource_missing', {
        param: 'payment_method',
      });
    const manual = pi.capture_method === 'manual';
    const charge: FakeCharge = {
      id: newId('ch'),
      object: 'charge',
      amount: pi.amount,
      amount_captured: manual ? 0 : pi.amount,
      amount_refunded: 0,
      captured: !manual,
      refunded: false,
      paid: true,
      status: 'succeeded',
      currency: pi.currency,
      payment_intent: pi.id,
      payment_method: paymentMethod,
      payment_method_details: {
        type: 'card',
        card: { brand: 'visa', last4: '4242', ...(manual ? { capture_before: now() + SEVEN_DAYS } : {}) },
      },
      metadata: { ...pi.metadata },
      created: now(),
      livemode: false,
    };
    charges.set(charge.id, charge);
    Object.assign(pi, { payment_method: paymentMethod, latest_charge: charge.id, last_payment_error: null });
    if (manual) {
      Object.assign(pi, { status: 'requires_capture', amount_capturable: pi.amount });
      record('payment_intent.amount_capturable_updated', pi);
    } else {
      Object.assign(pi, { status: 'succeeded', amount_received: pi.amount });
      record('payment_intent.succeeded', pi);
    }
    return pi;
  }

  function capture(pi: FakeIntent, p: Obj): FakeIntent {
    requireStatus(pi, ['requires_capture'], 'captured');
    const amount = p.amount_to_capture === undefined ? pi.amount_capturable : Number(p.amount_to_capture);
    if (!Number.isInteger(amount) || amount < 1 || amount > pi.amount_capturable)
      throw invalid('amount_to_capture must be at most the amount_capturable.', 'parameter_invalid_integer', {
        param: 'amount_to_capture',
      });
    const charge = chargeOf(pi)!;
    // Stripe books the released rest of the hold as refunded on the charge.
    Object.assign(charge, {
      captured: true,
      amount_captured: amount,
      amount_refunded: charge.amount - amount,
    });
    Object.assign(pi, { status: 'succeeded', amount_capturable: 0, amount_received: amount });
    record('payment_intent.succeeded', pi);
    record('charge.captured', charge);
    return pi;
  }

  function cancel(pi: FakeIntent, reason: string | null): FakeIntent {
    requireStatus(pi, CANCELABLE, 'canceled');
    const charge = chargeOf(pi);
    Object.assign(pi, {
      status: 'canceled',
      amount_capturable: 0,
      cancellation_reason: reason,
      canceled_at: now(),
    });
    record('payment_intent.canceled', pi);
    // Stripe books a released hold as a refund of the uncaptured charge.
    if (charge && !charge.captured) {
      Object.assign(charge, { amount_refunded: charge.amount, refunded: true });
      record('charge.refunded', charge);
    }
    return pi;
  }

  function refund(p: Obj): FakeRefund {
    const pi = intent(String(p.payment_intent));
    const charge = chargeOf(pi);
    if (pi.status !== 'succeeded' || !charge)
      throw invalid(
        `PaymentIntent ${pi.id} does not have a successful charge to refund.`,
        'payment_intent_unexpected_state',
      );
    const left = charge.amount - charge.amount_refunded;
    if (left === 0)
      throw invalid(`Charge ${charge.id} has already been refunded.`, 'charge_already_refunded');
    const amount = p.amount === undefined ? left : Number(p.amount);
    if (!Number.isInteger(amount) || amount < 1 || amount > left)
      throw invalid(
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
        'amount_too_large',
        { param: 'amount' },
      );
    const re: FakeRefund = {
      id: newId('re'),
      object: 'refund',
      amount,
      charge: charge.id,
      payment_intent: pi.id,
      currency: pi.currency,
      status: 'succeeded',
      metadata: {},
      created: now(),
    };
    refunds.set(re.id, re);
    Object.assign(charge, {
      amount_refunded: charge.amount_refunded + amount,
      refunded: charge.amount_refunded + amount === charge.amount,
    });
    record('charge.refunded', charge);
    return re;
  }

  function route(method: string, path: string, p: Obj): unknown {
    const m = path.match(/^\/v1\/(payment_intents|refunds)(?:\/([^/]+))?(?:\/(confirm|capture|cancel))?$/);
    const [, resource, id, action] = m ?? [];
    if (resource === 'payment_intents') {
      if (method === 'POST' && !id) return render(createIntent(p), p.expand);
      if (method === 'GET' && id && !action) return render(intent(id), p.expand);
      if (method === 'POST' && id && action === 'confirm') {
        const pi = confirm(intent(id), p.payment_method);
        const error = pi.last_payment_error;
        // A server-side confirmation that is declined answers 402 with the PaymentIntent.
        if (error) throw new ApiError(402, { ...error, payment_intent: structuredClone(pi) });
        return render(pi, p.expand);
      }
      if (method === 'POST' && id && action === 'capture') return render(capture(intent(id), p), p.expand);
      if (method === 'POST' && id && action === 'cancel')
        return render(
          cancel(intent(id), typeof p.cancellation_reason === 'string' ? p.cancellation_reason : null),
          p.expand,
        );
    }
    if (resource === 'refunds' && !action) {
      if (method === 'POST' && !id) return refund(p);
      const re = method === 'GET' && id ? refunds.get(id) : undefined;
      if (re) return re;
      if (id)
        throw new ApiError(404, {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: `No such refund: '${id}'`,
        });
    }
    throw new ApiError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path}).`,
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    requests.push({ method, path: url.pathname, idempotencyKey: key });
    const send = (status: number, json: string, replayed = false) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'request-id': newId('req'),
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      });
      res.end(json);
    };
    const error = (status: number, body: Obj) => send(status, JSON.stringify({ error: body }));

    const failure = failures.find((f) =>
      typeof f.path === 'string' ? f.path === url.pathname : f.path.test(url.pathname),
    );
    if (failure) {
      failures.splice(failures.indexOf(failure), 1);
      return error(failure.status, { type: 'api_error', message: `Injected failure (${failure.status}).` });
    }
    if (!req.headers.authorization?.startsWith('Bearer sk_'))
      return error(401, { type: 'invalid_request_error', message: 'Invalid API Key provided.' });

    // Same key and same request: the first answer again. Same key, other request: refused.
    const fingerprint = `${method} ${url.pathname} ${raw}`;
    const seen = key && method === 'POST' ? idempotent.get(key) : undefined;
    if (seen && seen.fingerprint !== fingerprint)
      return error(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    if (seen) return send(seen.status, seen.json, true);

    let status = 200;
    let json: string;
    try {
      json = JSON.stringify(
        route(method, url.pathname, parseForm(method === 'GET' ? url.search.slice(1) : raw)),
      );
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      status = e.status;
      json = JSON.stringify({ error: e.body });
    }
    if (key && method === 'POST') idempotent.set(key, { fingerprint, status, json });
    send(status, json);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const signed: StripeFake['signed'] = (event, o = {}) => {
    const payload = JSON.stringify(event);
    const header = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: o.secret ?? webhookSecret,
      timestamp: o.timestamp,
    });
    return { payload, header };
  };

  return {
    url: `http://127.0.0.1:${port}`,
    webhookSecret,
    intents,
    charges,
    refunds,
    events,
    requests,
    pay: (piId, paymentMethod = 'pm_card_visa') => structuredClone(confirm(intent(piId), paymentMethod)),
    expireAuthorization(piId) {
      const pi = intent(piId);
      if (pi.status !== 'requires_capture') throw new Error(`${piId} holds nothing (status ${pi.status})`);
      return structuredClone(cancel(pi, 'automatic'));
    },
    signed,
    async deliver(event) {
      if (!opts.webhookUrl) throw new Error('startStripeFake: no webhookUrl to deliver to');
      const { payload, header } = signed(event);
      const res = await fetch(opts.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body: payload,
      });
      await res.arrayBuffer();
      return res.status;
    },
    failNext(path, status) {
      failures.push({ path, status });
    },
    async close() {
      // The SDK keeps connections alive; without this, close() waits for them to time out.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

/** `metadata[paymentId]=x&expand[0]=latest_charge` → `{ metadata: { paymentId: 'x' }, expand: ['latest_charge'] }`. */
export function parseForm(text: string): Obj {
  const root: Obj = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const keys = name.split('[').map((part) => part.replace(/]$/, ''));
    // Arrays are indexed by string keys too ('0'); `list[]` appends.
    let node = root;
    keys.forEach((key, i) => {
      const slot = key === '' && Array.isArray(node) ? String(node.length) : key;
      if (i === keys.length - 1) node[slot] = value;
      else {
        node[slot] ??= /^\d*$/.test(keys[i + 1] ?? '') ? [] : {};
        node = node[slot] as Obj;
      }
    });
  }
  return root;
}
