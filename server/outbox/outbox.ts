/**
 * Writing to the outbox (ADR 019), the module's public surface for other modules: an event is
 * written in the caller's transaction, with one delivery per active endpoint subscribed to its
 * topic, so it exists exactly when the change it announces commits. The dispatcher
 * (dispatcher.ts) posts them.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { outboxDeliveries, outboxEndpoints, outboxEvents } from '../../db/schema/outbox.js';
import { encrypt } from '../identity/crypto.js';

/** LISTEN/NOTIFY channel on which `enqueue` wakes the dispatchers of every process. */
export const OUTBOX_CHANNEL = 'outbox_enqueued';

export interface OutboxEventInput {
  /** Dotted, e.g. `credit.listing.published`; endpoints subscribe by prefix (`credit.`). */
  topic: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

/** Writes the event and its deliveries in the caller's transaction; returns the event id. */
export async function enqueue(tx: Db, event: OutboxEventInput): Promise<string> {
  const [row] = await tx
    .insert(outboxEvents)
    .values({ topic: event.topic, payload: event.payload, occurredAt: event.occurredAt })
    .returning({ id: outboxEvents.id, seq: outboxEvents.seq });
  // One delivery per subscribed endpoint, due at once; its order is the event's seq.
  await tx.execute(sql`insert into ${outboxDeliveries} (endpoint_id, event_id, seq, next_attempt_at)
    select e.id, ${row!.id}, ${row!.seq}, ${event.occurredAt.toISOString()}::timestamptz
    from ${outboxEndpoints} e
    where e.active and exists (select 1 from unnest(e.topics) p where ${event.topic} like p || '%')`);
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
  return row!.id;
}

export interface EndpointInput {
  owner: string;
  name: string;
  url: string;
  secret: string;
  topics: string[];
}

/** Registers an endpoint (its secret sealed with the PII key); it receives events enqueued from now on. */
export async function createEndpoint(tx: Db, piiKey: Buffer, input: EndpointInput): Promise<string> {
  const [row] = await tx
    .insert(outboxEndpoints)
    .values({
      owner: input.owner,
      name: input.name,
      url: input.url,
      secretSealed: encrypt(piiKey, input.secret),
      topics: input.topics,
    })
    .returning({ id: outboxEndpoints.id });
  return row!.id;
}

/** Stops an endpoint: nothing more is enqueued for it, and what is pending is not sent. */
export async function deactivateEndpoint(tx: Db, endpointId: string): Promise<void> {
  await tx
    .update(outboxEndpoints)
    .set({ active: false })
    .where(and(eq(outboxEndpoints.id, endpointId), eq(outboxEndpoints.active, true)));
}
