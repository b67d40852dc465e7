/**
 * The local simulated gateway: the embedded default when no STRIPE_SECRET_KEY is set, so the
 * whole flow (deposit hold, capture, release, balance payment) runs on a laptop. The payer
 * approves or declines on a page labelled as simulated (`/pay/local/<ref>`); no money moves.
 * Refused when NODE_ENV=production (`createLocalGateway` throws; the page answers 404).
 *
 * It keeps its own book (`local_gateway_payments`), apart from our payments, and reports each
 * change as an event through `onEvent`, just as Stripe's webhooks do; the payments service
 * processes both through the same function.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { localGatewayPayments } from '../../db/schema/payments.js';
import type { Clock } from '../clock.js';
import { DomainError, notFound } from '../errors.js';
import type { GatewayEvent, GatewayPaymentState, PaymentGateway } from './gateway.js';

type Row = typeof localGatewayPayments.$inferSelect;

export interface LocalGateway extends PaymentGateway {
  /** The payer's decision on the simulator page. */
  decide(ref: string, decision: 'approve' | 'decline'): Promise<GatewayPaymentState>;
  /** The simulator page's view of a payment; not_found for an unknown ref. */
  view(ref: string): Promise<GatewayPaymentState>;
}

/** Local holds last 7 days, like a card authorisation. */
const HOLD_MS = 7 * 24 * 3_600_000;

export function createLocalGateway(deps: {
  db: Database;
  clock: Clock;
  nodeEnv: string;
  onEvent: (event: GatewayEvent) => Promise<void>;
  /** A late event that failed (reconciliation repairs what it would have done). */
  onDeliveryError?: (err: unknown) => void;
}): LocalGateway {
  if (deps.nodeEnv === 'production') throw new Error('the local simulated gateway is refused in production');
  const { db, clock } = deps;

  const stateOf = (r: Row): GatewayPaymentState => ({
    ref: r.id,
    paymentId: r.paymentId,
    status: r.status,
    amountFen: r.amountFen,
    authorizedFen: r.authorizedFen,
    capturedFen: r.capturedFen,
    refundedFen: r.refundedFen,
    authorizationExpiresAt: r.status === 'authorized' ? new Date(r.createdAt.getTime() + HOLD_MS) : null,
    failureCode: r.failureCode,
  });

  async function load(ref: string): Promise<Row> {
    const [row] = await db.select().from(localGatewayPayments).where(eq(localGatewayPayments.id, ref));
    if (!row) throw notFound();
    return row;
  }

  /** Applies a change unless the payment is already where it would lead; emits the event. */
  /**
   * `deliver`: 'await' for the payer's decision (the simulator page shows the result at once);
   * 'later' for captures, cancellations and refunds, which our own jobs ask for and apply from
   * the answer: their event arrives afterwards, as a webhook would, so a job never waits on the
   * processing of an event that waits on the job's own locks.
   */
  async function change(
    ref: string,
    type: string,
    fn: (r: Row) => Partial<Row> | 'already' | 'refuse',
    deliver: 'await' | 'later' = 'later',
  ): Promise<GatewayPaymentState> {
    const row = await db.transaction(async (tx) => {
      const [r] = await tx
        .select()
        .from(localGatewayPayments)
        .where(eq(localGatewayPayments.id, ref))
        .for('update');
      if (!r) throw notFound();
      const patch = fn(r);
      if (patch === 'already') return null;
      if (patch === 'refuse')
        throw new DomainError('conflict', 'payments.gatewayRefused', { params: { status: r.status } });
      const [updated] = await tx
        .update(localGatewayPayments)
        .set(patch)
        .where(eq(localGatewayPayments.id, ref))
        .returning();
      return updated!;
    });
    if (!row) return stateOf(await load(ref));
    const state = stateOf(row);
    const event = { id: `lev_${randomBytes(12).toString('hex')}`, type, occurredAt: clock(), state };
    if (deliver === 'await') await deps.onEvent(event);
    else
      setImmediate(() => {
        deps.onEvent(event).catch((err: unknown) => deps.onDeliveryError?.(err));
      });
    return state;
  }

  return {
    name: 'local',
    // No card limit to simulate beyond Stripe's, so large amounts take the same path in demos.
    maxAmountFen: 99_999_999n,

    async create(input) {
      await db
        .insert(localGatewayPayments)
        .values({
          id: `lp_${randomBytes(12).toString('hex')}`,
          paymentId: input.paymentId,
          amountFen: input.amountFen,
          captureMethod: input.capture,
          createdAt: clock(),
        })
        .onConflictDoNothing({ target: localGatewayPayments.paymentId });
      const [row] = await db
        .select()
        .from(localGatewayPayments)
        .where(eq(localGatewayPayments.paymentId, input.paymentId));
      return { ref: row!.id, redirectUrl: `/pay/local/${row!.id}`, clientSecret: null, state: stateOf(row!) };
    },

    retrieve: async (ref) => stateOf(await load(ref)),
    view: async (ref) => stateOf(await load(ref)),

    decide: (ref, decision) =>
      change(
        ref,
        decision === 'approve' ? 'payment.approved' : 'payment.declined',
        (r) => {
          if (r.status !== 'requires_payment') return 'refuse';
          if (decision === 'decline') return { status: 'failed', failureCode: 'card_declined' };
          return r.captureMethod === 'manual'
            ? { status: 'authorized', authorizedFen: r.amountFen }
            : { status: 'captured', capturedFen: r.amountFen };
        },
        'await',
      ),

    capture: (ref, amountFen) =>
      change(ref, 'payment.captured', (r) => {
        if (r.status === 'captured') return 'already';
        if (r.status !== 'authorized' || amountFen > r.authorizedFen) return 'refuse';
        return { status: 'captured', capturedFen: amountFen, authorizedFen: 0n };
      }),

    cancel: (ref) =>
      change(ref, 'payment.canceled', (r) => {
        if (r.status === 'canceled') return 'already';
        if (r.status === 'captured' || r.status === 'failed') return 'refuse';
        return { status: 'canceled', authorizedFen: 0n };
      }),

    refund: (ref, amountFen) =>
      change(ref, 'payment.refunded', (r) => {
        if (r.status !== 'captured') return 'refuse';
        if (r.refundedFen >= amountFen) return 'already';
        if (amountFen > r.capturedFen) return 'refuse';
        return { refundedFen: amountFen };
      }),
  };
}
