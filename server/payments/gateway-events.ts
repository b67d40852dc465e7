/**
 * Verified gateway events (Stripe webhooks, local simulator callbacks): each processed once, by
 * event id (`gateway_events`), in the transaction that applies the snapshot it carries.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { gatewayEvents, type Payment, payments } from '../../db/schema/payments.js';
import { isUuid } from '../validation.js';
import { applyState } from './apply-state.js';
import type { PaymentDeps } from './deps.js';
import type { GatewayEvent, GatewayPaymentState } from './gateway.js';

/** Processes a verified gateway event exactly once (by event id), in one transaction. */
export async function processEvent(
  deps: PaymentDeps,
  event: GatewayEvent,
  gatewayName: string,
): Promise<'processed' | 'duplicate' | 'unknown'> {
  return deps.db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(gatewayEvents)
      .values({ id: `${gatewayName}:${event.id}`, gateway: gatewayName, type: event.type, paymentId: null })
      .onConflictDoNothing()
      .returning({ id: gatewayEvents.id });
    if (!fresh) return 'duplicate';
    const payment = await findPayment(tx, gatewayName, event.state);
    if (!payment) {
      // Ours (it carries our id) but not visible yet: fail, roll back the event id, and let
      // the gateway deliver it again. Not ours at all: acknowledge and forget it.
      if (event.state.paymentId && isUuid(event.state.paymentId)) {
        throw new Error(`gateway event ${event.id} for payment ${event.state.paymentId}, not found yet`);
      }
      deps.logger.warn({ ref: event.state.ref, type: event.type }, 'gateway event for an unknown payment');
      return 'unknown';
    }
    await tx.update(gatewayEvents).set({ paymentId: payment.id }).where(eq(gatewayEvents.id, fresh.id));
    await applyState(deps, tx, payment.id, event.state, deps.clock());
    return 'processed';
  });
}

async function findPayment(tx: Tx, method: string, state: GatewayPaymentState) {
  const [byRef] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.method, method as Payment['method']), eq(payments.gatewayRef, state.ref)));
  if (byRef) return byRef;
  // The event can arrive before we stored the ref (or the creation's answer was lost): the
  // gateway carries our id in its metadata.
  if (state.paymentId && isUuid(state.paymentId)) {
    const [byId] = await tx.select().from(payments).where(eq(payments.id, state.paymentId));
    if (byId && byId.method === method) return byId;
  }
  return undefined;
}
