/**
 * The product's outbound events for courts' and insurers' webhooks (ADR 023), public to every
 * module: one call in the transaction of the change, so an event exists exactly when the change
 * it announces commits (ADR 019). A body carries the subject (type and id: the object whose
 * events a receiver orders by) and a few plain facts, never a person's identity; amounts are fen
 * in strings.
 */
import type postgres from 'postgres';
import type { Db } from '../../db/client.js';
import { enqueueAll, OUTBOX_CHANNEL, RECIPIENTS } from './outbox.js';

export { OUTBOX_CHANNEL };

/** Every event type a webhook may subscribe to; a new one is added here and in the catalogs. */
export const WEBHOOK_TOPICS = [
  'listing.published',
  'listing.started',
  'listing.extended',
  'listing.suspended',
  'listing.resumed',
  'listing.withdrawn',
  'listing.sold',
  'listing.failed',
  'balance.paid',
  'balance.defaulted',
  'aid.claim.decided',
  'payout.confirmed',
] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

export interface EmitInput {
  /** The organisations whose webhooks receive it (nulls are dropped: e.g. a claim without insurer yet). */
  audience: ReadonlyArray<string | null | undefined>;
  subject: { type: string; id: string };
  data?: Record<string, unknown>;
  at: Date;
}

const jsonSafe = (data: Record<string, unknown>) =>
  JSON.parse(JSON.stringify(data, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));

/** Writes a webhook event in the caller's transaction (the one line a use case adds). */
export async function emitEvent(tx: Db, topic: WebhookTopic, e: EmitInput): Promise<void> {
  await emitEvents(tx, [{ topic, ...e }]);
}

/** Many events in one go (three statements, whatever their number): the batch close's. */
export async function emitEvents(
  tx: Db,
  list: ReadonlyArray<EmitInput & { topic: WebhookTopic }>,
  opts: { notify?: boolean } = {},
) {
  await enqueueAll(
    tx,
    list.flatMap((e) => {
      const audience = [...new Set(e.audience.filter((o): o is string => !!o))];
      if (audience.length === 0) return [];
      const payload = { subject: e.subject, ...jsonSafe(e.data ?? {}) };
      return [{ topic: e.topic, occurredAt: e.at, audience, payload }];
    }),
    opts,
  );
}

/**
 * The same write as one postgres.js statement, for the bidding engine's pipelined transaction
 * (it sends its writes with the COMMIT, ADR 008): `listing.extended` to the listing's court.
 * Without a NOTIFY, so the bid's commit never queues behind other notifying commits in a rush
 * (schedule.ts, `Notify`): the engine wakes the dispatchers after it (`wakeDispatchers`).
 */
export function extendedStatement(
  q: postgres.Sql<Record<string, unknown>>,
  listingId: string,
  currentEndAt: Date,
  at: Date,
) {
  const payload = JSON.stringify({
    subject: { type: 'listing', id: listingId },
    currentEndAt: currentEndAt.toISOString(),
  });
  return q`
    with ev as (
      insert into outbox_events (topic, payload, occurred_at, audience)
      select 'listing.extended', ${payload}::jsonb, ${at.toISOString()}::timestamptz, array[l.court_id]
      from listings l where l.id = ${listingId}
      returning id, seq, topic, audience, occurred_at
    ), d as (
      insert into outbox_deliveries (endpoint_id, event_id, seq, next_attempt_at)
      select e.id, ev.id, ev.seq, ev.occurred_at from outbox_endpoints e, ev where ${q.unsafe(RECIPIENTS)}
    )
    select 1`;
}

/** Wakes every process's dispatcher, outside any transaction: after a commit that wrote events without NOTIFY. */
export async function wakeDispatchers(q: postgres.Sql<Record<string, unknown>>) {
  await q`select pg_notify(${OUTBOX_CHANNEL}, '')`;
}
