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
  /**
   * The organisations whose webhooks receive it (ADR 023). Without one, only the platform's own
   * endpoints (no organisation: the credit partners) do; with one, only those organisations'.
   */
  audience?: readonly string[];
}

/**
 * Which endpoints an event is owed to: active, subscribed to its topic by prefix, and either the
 * platform's (no organisation) for an event without audience, or of an organisation in the
 * audience that is not suspended. One condition, used by both ways of enqueuing.
 */
export const RECIPIENTS = `e.active
  and exists (select 1 from unnest(e.topics) p where ev.topic like p || '%')
  and (case when ev.audience is null then e.organisation_id is null
       else e.organisation_id = any(ev.audience)
         and not exists (select 1 from organisations o where o.id = e.organisation_id and o.suspended_at is not null)
       end)`;

/** Writes the event and its deliveries in the caller's transaction; returns the event id. */
export async function enqueue(tx: Db, event: OutboxEventInput): Promise<string> {
  const [id] = await enqueueAll(tx, [event]);
  return id!;
}

/**
 * Writes many events and their deliveries in three statements whatever their number (a thousand
 * auctions closing in the same second each announce theirs); their seqs follow the list's order.
 */
export async function enqueueAll(tx: Db, events: readonly OutboxEventInput[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = await tx
    .insert(outboxEvents)
    .values(
      events.map((event) => ({
        topic: event.topic,
        payload: event.payload,
        occurredAt: event.occurredAt,
        audience: event.audience ? [...event.audience] : null,
      })),
    )
    .returning({ id: outboxEvents.id, seq: outboxEvents.seq });
  const ids = rows.map((r) => r.id);
  // One delivery per recipient, due at once; its order is the event's seq.
  await tx.execute(sql`insert into ${outboxDeliveries} (endpoint_id, event_id, seq, next_attempt_at)
    select e.id, ev.id, ev.seq, ev.occurred_at
    from ${outboxEndpoints} e, ${outboxEvents} ev
    where ev.id = any(${`{${ids.join(',')}}`}::uuid[]) and ${sql.raw(RECIPIENTS)}`);
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
  return ids;
}

export interface EndpointInput {
  owner: string;
  name: string;
  url: string;
  secret: string;
  topics: string[];
  /** A court's or insurer's webhook receives only its organisation's events (ADR 023). */
  organisationId?: string | null;
  createdBy?: string | null;
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
      organisationId: input.organisationId ?? null,
      createdBy: input.createdBy ?? null,
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
