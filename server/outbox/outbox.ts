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
 * Writes many events and their deliveries in one statement whatever their number (a thousand
 * auctions closing in the same second each announce theirs: a round trip per step counts on a
 * busy server); their seqs follow the list's order. Returns the ids in that order.
 */
export async function enqueueAll(
  tx: Db,
  events: readonly OutboxEventInput[],
  opts: { notify?: boolean } = {},
): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = JSON.stringify(
    events.map((e) => ({
      topic: e.topic,
      payload: e.payload,
      occurred_at: e.occurredAt.toISOString(),
      audience: e.audience ? [...e.audience] : null,
    })),
  );
  // One delivery per recipient, due at once; its order is the event's seq. Without the NOTIFY
  // (`notify: false`) the caller wakes the dispatchers after its commit (wakeAfterCommit).
  const written = (await tx.execute(sql`
    with ev as (
      insert into ${outboxEvents} (topic, payload, occurred_at, audience)
      select x.topic, x.payload, x.occurred_at, x.audience
      from rows from (jsonb_to_recordset(${rows}::jsonb)
        as (topic text, payload jsonb, occurred_at timestamptz, audience uuid[])) with ordinality
        as x(topic, payload, occurred_at, audience, n)
      order by x.n
      returning id, seq, topic, audience, occurred_at
    ), d as (
      insert into ${outboxDeliveries} (endpoint_id, event_id, seq, next_attempt_at)
      select e.id, ev.id, ev.seq, ev.occurred_at from ${outboxEndpoints} e, ev where ${sql.raw(RECIPIENTS)}
    )
    select ev.id${opts.notify === false ? sql`` : sql`, (select pg_notify(${OUTBOX_CHANNEL}, '')) as notified`}
    from ev order by ev.seq`)) as unknown as Array<{
    id: string;
  }>;
  return written.map((r) => r.id);
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
