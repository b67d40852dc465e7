/**
 * The Stripe card gateway: PaymentIntents confirmed in the browser by Stripe's Payment Element.
 * Deposits are authorisation holds (`capture_method: 'manual'`), captured or released later;
 * ordinary payments capture at once. Every write carries an idempotency key, so a call retried
 * after a crash or a lost answer returns Stripe's first answer instead of acting twice.
 *
 * Reading Stripe's amounts (the traps this module exists to hide):
 * - A partial capture releases the rest of the hold, and Stripe books that release as a refund
 *   on the charge; cancelling a hold books the whole hold the same way. So a charge's
 *   `amount_refunded` counts money that was never taken: only what exceeds the released part
 *   is a real refund (`refundedOf`).
 * - Event payloads do not expand `latest_charge`, so a `payment_intent.*` event knows nothing of
 *   refunds (refundedFen 0) nor of the hold's exact expiry (estimated, see `stateOfIntent`);
 *   `charge.refunded` carries refunds, and `retrieve` carries both.
 */
import Stripe from 'stripe';
import { DomainError } from '../errors.js';
import type {
  CreatedPayment,
  CreatePaymentInput,
  GatewayEvent,
  GatewayPaymentState,
  GatewayStatus,
  PaymentGateway,
} from './gateway.js';

/** Stripe refuses amounts of more than 8 digits in the smallest unit (999,999.99 yuan). */
export const STRIPE_MAX_AMOUNT_FEN = 99_999_999n;

export interface StripeGatewayOptions {
  secretKey: string;
  webhookSecret: string;
  /** Another API host, e.g. `http://127.0.0.1:12345` for the test fake (STRIPE_API_BASE). */
  apiBase?: string;
  maxAmountFen?: bigint;
}

export type StripeGateway = PaymentGateway & {
  /**
   * Verifies a webhook's signature and reduces the event to a payment snapshot; null for events
   * that carry none. A bad, missing or stale (over 5 minutes) signature throws
   * `DomainError('validation', 'payments.badSignature')`.
   * `rawBody` must be the bytes as received: a re-serialised JSON body no longer matches.
   */
  parseWebhook(rawBody: string | Buffer, signatureHeader: string | undefined): GatewayEvent | null;
};

/** Always asked for, so the charge's refunds and the hold's expiry come with the PaymentIntent. */
const EXPAND = ['latest_charge'];

export function createStripeGateway(opts: StripeGatewayOptions): StripeGateway {
  const stripe = new Stripe(opts.secretKey, {
    ...apiAddress(opts.apiBase),
    // Retries reuse the request's idempotency key, so a retried write cannot act twice.
    maxNetworkRetries: 2,
    telemetry: false,
  });
  const maxAmountFen = opts.maxAmountFen ?? STRIPE_MAX_AMOUNT_FEN;

  const retrieve = async (ref: string) =>
    stateOfIntent(await stripe.paymentIntents.retrieve(ref, { expand: EXPAND }));

  /**
   * A retried capture/cancel/refund may find the work already done, which Stripe answers with
   * an error: answer with the state instead when it is the one asked for, so the retry finishes.
   */
  const answerIfDone = async (
    error: unknown,
    ref: string,
    codes: string[],
    done: (s: GatewayPaymentState) => boolean,
  ): Promise<GatewayPaymentState> => {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !codes.includes(code)) throw error;
    const state = await retrieve(ref);
    if (!done(state)) throw error;
    return state;
  };

  return {
    name: 'stripe',
    maxAmountFen,

    async create(input: CreatePaymentInput): Promise<CreatedPayment> {
      if (input.amountFen > maxAmountFen)
        throw new DomainError('validation', 'payments.cardLimitUseBankTransfer', {
          params: { maxFen: String(maxAmountFen) },
        });
      const pi = await stripe.paymentIntents.create(
        {
          amount: Number(input.amountFen),
          currency: 'cny',
          capture_method: input.capture,
          description: input.description,
          metadata: { paymentId: input.paymentId },
          expand: EXPAND,
        },
        // Within Stripe's 24 h key window a retried creation gets the same PaymentIntent back.
        { idempotencyKey: `create:${input.paymentId}` },
      );
      return { ref: pi.id, clientSecret: pi.client_secret, redirectUrl: null, state: stateOfIntent(pi) };
    },

    retrieve,

    async capture(ref, amountFen, idempotencyKey) {
      try {
        const pi = await stripe.paymentIntents.capture(
          ref,
          { amount_to_capture: Number(amountFen), expand: EXPAND },
          { idempotencyKey },
        );
        return stateOfIntent(pi);
      } catch (error) {
        return answerIfDone(error, ref, ['payment_intent_unexpected_state'], (s) => s.status === 'captured');
      }
    },

    async cancel(ref, idempotencyKey) {
      try {
        return stateOfIntent(await stripe.paymentIntents.cancel(ref, { expand: EXPAND }, { idempotencyKey }));
      } catch (error) {
        return answerIfDone(error, ref, ['payment_intent_unexpected_state'], (s) => s.status === 'canceled');
      }
    },

    async refund(ref, amountFen, idempotencyKey) {
      try {
        await stripe.refunds.create({ payment_intent: ref, amount: Number(amountFen) }, { idempotencyKey });
      } catch (error) {
        // Under another key, a refund already made is only recognisable by the charge having
        // no money left to give back; then the refund asked for has been made if the total
        // refunded covers it.
        return answerIfDone(error, ref, ['charge_already_refunded'], (s) => s.refundedFen >= amountFen);
      }
      // A Refund says nothing of the payment as a whole: read the PaymentIntent afresh.
      return retrieve(ref);
    },

    parseWebhook(rawBody, signatureHeader) {
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signatureHeader ?? '', opts.webhookSecret);
      } catch {
        // Forged, altered, replayed after the tolerance, or signed with another secret: all
        // the same to the sender, who gets a 400 and nothing else.
        throw new DomainError('validation', 'payments.badSignature');
      }
      const base = { id: event.id, type: event.type, occurredAt: new Date(event.created * 1000) };
      switch (event.type) {
        case 'payment_intent.created':
        case 'payment_intent.processing':
        case 'payment_intent.requires_action':
        case 'payment_intent.amount_capturable_updated':
        case 'payment_intent.partially_funded':
        case 'payment_intent.succeeded':
        case 'payment_intent.payment_failed':
        case 'payment_intent.canceled':
          return { ...base, state: stateOfIntent(event.data.object) };
        case 'charge.captured':
        case 'charge.refunded': {
          const state = stateOfCharge(event.data.object);
          return state ? { ...base, state } : null;
        }
        default:
          return null;
      }
    },
  };
}

/** `http://127.0.0.1:12345` → the SDK's host/port/protocol; nothing → Stripe's own API. */
function apiAddress(apiBase: string | undefined): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  if (!apiBase) return {};
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol };
}

const STATUS: Record<string, GatewayStatus> = {
  requires_payment_method: 'requires_payment',
  requires_confirmation: 'requires_payment',
  requires_action: 'requires_payment',
  processing: 'processing',
  requires_capture: 'authorized',
  succeeded: 'captured',
  canceled: 'canceled',
};

const HOLD_DAYS_S = 7 * 24 * 3600;

/** A PaymentIntent as our snapshot; `latest_charge` adds refunds and the hold's expiry when expanded. */
export function stateOfIntent(pi: Stripe.PaymentIntent): GatewayPaymentState {
  const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
  const error = pi.last_payment_error;
  // A declined attempt sends the PaymentIntent back to requires_payment_method with the
  // decline attached: not final, since the payer may try another card on the same
  // PaymentIntent (Payment Element), so it stays requires_payment and carries the decline code.
  // A status Stripe adds later maps to rank 0, which never moves a payment.
  const status: GatewayStatus = STATUS[pi.status] ?? 'requires_payment';
  // Without the expanded charge (event payloads), Stripe's documented default stands in: an
  // uncaptured PaymentIntent is cancelled 7 days after its creation. The authorisation comes
  // after the creation, so the estimate errs early, on the safe side.
  const captureBefore = charge?.payment_method_details?.card?.capture_before ?? pi.created + HOLD_DAYS_S;
  return {
    ref: pi.id,
    paymentId: pi.metadata?.paymentId ?? null,
    status,
    amountFen: BigInt(pi.amount),
    authorizedFen: status === 'authorized' ? BigInt(pi.amount_capturable) : 0n,
    capturedFen: status === 'captured' ? BigInt(pi.amount_received) : 0n,
    refundedFen: charge ? refundedOf(charge) : 0n,
    // Only a live hold can lapse; after capture or release the date means nothing.
    authorizationExpiresAt: status === 'authorized' ? new Date(captureBefore * 1000) : null,
    failureCode: status === 'requires_payment' && error ? (error.decline_code ?? error.code ?? null) : null,
  };
}

/**
 * A captured charge as the snapshot of its PaymentIntent (the charge events' `data.object`).
 * An uncaptured charge yields null: its hold is reported by the `payment_intent.*` events, and
 * its "refunds" are releases.
 */
export function stateOfCharge(charge: Stripe.Charge): GatewayPaymentState | null {
  const ref = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
  if (!ref || !charge.captured) return null;
  return {
    ref,
    // Stripe copies the PaymentIntent's metadata onto its charge; match on `ref` when absent.
    paymentId: charge.metadata?.paymentId ?? null,
    status: 'captured',
    amountFen: BigInt(charge.amount),
    authorizedFen: 0n,
    capturedFen: BigInt(charge.amount_captured),
    refundedFen: refundedOf(charge),
    authorizationExpiresAt: null,
    failureCode: null,
  };
}

/**
 * Money given back after capture: the charge's refunds less the uncaptured part of the hold
 * (all of it while uncaptured, so a released hold has refunded nothing).
 */
function refundedOf(charge: Stripe.Charge): bigint {
  const released = charge.amount - charge.amount_captured;
  return BigInt(Math.max(0, charge.amount_refunded - released));
}
