/**
 * The one interface every way of paying by card implements: Stripe (`stripe.ts`, when
 * STRIPE_SECRET_KEY is set) and the local simulated gateway (`local.ts`, the embedded default,
 * refused in production). Bank transfers are not a gateway: a clerk records them and a second
 * staff member confirms them (`transfers.ts`).
 *
 * The gateway, not our database, is the source of truth for what happened to a payment: its
 * events (Stripe webhooks, local callbacks) and `retrieve` both yield a `GatewayPaymentState`,
 * a snapshot that the payments service applies through one function. Snapshots only ever move a
 * payment forward (see `GATEWAY_STATUS_RANK`), so duplicated and out-of-order events are harmless.
 */

export type GatewayName = 'stripe' | 'local';

/**
 * requires_payment: created, the payer has not (successfully) paid yet;
 * processing: the payer submitted, the gateway has not decided;
 * authorized: money held on the card, not captured (a deposit hold);
 * captured: money taken (a captured hold or an ordinary payment);
 * canceled: a hold released, or an unpaid payment abandoned / expired;
 * failed: declined, final for this attempt.
 * Refunds do not change the status: see `refundedFen`.
 */
export type GatewayStatus =
  | 'requires_payment'
  | 'processing'
  | 'authorized'
  | 'captured'
  | 'canceled'
  | 'failed';

/** Terminal states share the top rank: once there, later snapshots of a lower rank are ignored. */
export const GATEWAY_STATUS_RANK: Record<GatewayStatus, number> = {
  requires_payment: 0,
  processing: 1,
  authorized: 2,
  captured: 3,
  canceled: 3,
  failed: 3,
};

export interface GatewayPaymentState {
  /** The gateway's id of the payment (a PaymentIntent id for Stripe). */
  ref: string;
  /** Our `payments.id`, carried in the gateway's metadata. */
  paymentId: string | null;
  status: GatewayStatus;
  /** The amount asked for. */
  amountFen: bigint;
  /** Held and still capturable (a deposit hold). */
  authorizedFen: bigint;
  /** Actually taken. */
  capturedFen: bigint;
  /** Returned after capture. */
  refundedFen: bigint;
  /** When an authorisation lapses if not captured (card holds last days). */
  authorizationExpiresAt: Date | null;
  /** For `failed`: the gateway's decline code, e.g. `card_declined`. */
  failureCode: string | null;
}

/** The money this payment has brought in and not given back, as the gateway sees it. */
export const netHeldFen = (s: GatewayPaymentState): bigint => s.authorizedFen + s.capturedFen - s.refundedFen;

export interface CreatePaymentInput {
  /** Our `payments.id`: metadata on the gateway's side and the idempotency key of the creation. */
  paymentId: string;
  amountFen: bigint;
  currency: 'CNY';
  /** `manual` = an authorisation hold captured later (deposits); `automatic` = an ordinary payment. */
  capture: 'manual' | 'automatic';
  description: string;
}

export interface CreatedPayment {
  ref: string;
  /** Where the payer completes the payment: the local simulator's page. */
  redirectUrl: string | null;
  /** For Stripe's Payment Element in the browser. */
  clientSecret: string | null;
  state: GatewayPaymentState;
}

/** A verified gateway event, reduced to the payment snapshot it carries. */
export interface GatewayEvent {
  /** The gateway's event id: processed at most once (`gateway_events`). */
  id: string;
  type: string;
  occurredAt: Date;
  state: GatewayPaymentState;
}

export interface PaymentGateway {
  readonly name: GatewayName;
  /** The most one card payment may carry; larger amounts are refused with a pointer to bank transfer. */
  readonly maxAmountFen: bigint;
  /** Idempotent on `paymentId`: a retried creation returns the same gateway payment. */
  create(input: CreatePaymentInput): Promise<CreatedPayment>;
  retrieve(ref: string): Promise<GatewayPaymentState>;
  /**
   * Each of these is idempotent on `idempotencyKey`, and a payment already in the target state
   * (captured / canceled / refunded by that amount) is answered with its state, not an error,
   * so a job retried after a crash finishes instead of failing.
   */
  capture(ref: string, amountFen: bigint, idempotencyKey: string): Promise<GatewayPaymentState>;
  cancel(ref: string, idempotencyKey: string): Promise<GatewayPaymentState>;
  refund(ref: string, amountFen: bigint, idempotencyKey: string): Promise<GatewayPaymentState>;
}
