/**
 * A court's or insurer's webhook endpoints (ADR 023), on top of the outbox (ADR 019): its
 * administrator registers a URL with the event types it wants, gets the signing secret once,
 * reads the delivery log, re-sends a delivery and removes an endpoint. An endpoint receives only
 * events whose audience names its organisation (outbox.ts `RECIPIENTS`); everything here is
 * scoped to the actor's organisation, so another organisation's endpoint is "not found".
 */
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { outboxAttempts, outboxDeliveries, outboxEndpoints, outboxEvents } from '../../db/schema/outbox.js';
import { recordAudit } from '../audit/audit.js';
import type { Clock } from '../clock.js';
import { DomainError, notFound } from '../errors.js';
import { newToken } from '../identity/crypto.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { isUuid, parseInput } from '../validation.js';
import { WEBHOOK_TOPICS } from './events.js';
import { createEndpoint, deactivateEndpoint, OUTBOX_CHANNEL } from './outbox.js';
import { assertPublicUrl, type Lookup, type UrlPolicy } from './url-guard.js';

export const WEBHOOK_OWNER = 'webhook';
/** An organisation's live endpoints; a receiver is cheap to add, a runaway list is not. */
export const MAX_ENDPOINTS = 10;

const urlField = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, { error: 'validation.required' })
  .max(2000, { error: 'webhooks.badUrl' })
  .refine(
    (u) => {
      try {
        const url = new URL(u);
        // No credentials in the URL: they would sit in the table and the logs in clear.
        return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
      } catch {
        return false;
      }
    },
    { error: 'webhooks.badUrl' },
  );

export const RegisterWebhookSchema = z.object({
  name: z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).max(100),
  url: urlField,
  topics: z
    .array(z.enum(WEBHOOK_TOPICS, { error: 'webhooks.badTopic' }), { error: 'webhooks.noTopic' })
    .min(1, { error: 'webhooks.noTopic' })
    .max(WEBHOOK_TOPICS.length),
});

export interface WebhookDeps {
  db: Database;
  clock: Clock;
  piiKey: Buffer;
  /** Which receiver addresses are allowed (ADR 028): public ones only unless configured. */
  urlPolicy: UrlPolicy;
  /** DNS, replaceable in tests. */
  lookup?: Lookup;
}

function orgOf(actor: Actor): string {
  requirePermission(actor, 'manage:webhook');
  if (!actor.organisationId || (actor.orgKind !== 'court' && actor.orgKind !== 'insurer')) throw notFound();
  return actor.organisationId;
}

export function createWebhookService(deps: WebhookDeps) {
  const { db, clock, piiKey } = deps;

  async function ownEndpoint(orgId: string, endpointId: string) {
    if (!isUuid(endpointId)) throw notFound();
    const [e] = await db
      .select()
      .from(outboxEndpoints)
      .where(
        and(
          eq(outboxEndpoints.id, endpointId),
          eq(outboxEndpoints.organisationId, orgId),
          eq(outboxEndpoints.owner, WEBHOOK_OWNER),
        ),
      );
    if (!e) throw notFound();
    return e;
  }

  return {
    topics: WEBHOOK_TOPICS,

    /** Registers an endpoint; the signing secret is in this answer only (sealed at rest). */
    async register(actor: Actor, input: unknown, requestId?: string) {
      const orgId = orgOf(actor);
      const data = parseInput(RegisterWebhookSchema, input);
      // Refused before anything is written: a receiver on an internal address (SSRF, ADR 028).
      await assertPublicUrl(data.url, deps.urlPolicy, deps.lookup);
      const secret = `whsec_${newToken()}`;
      return db.transaction(async (tx) => {
        // Counted under the organisation's lock, so two concurrent registrations cannot pass the cap together.
        await tx.execute(sql`select 1 from organisations where id = ${orgId} for update`);
        const [n] = await tx
          .select({ n: count() })
          .from(outboxEndpoints)
          .where(
            and(
              eq(outboxEndpoints.organisationId, orgId),
              eq(outboxEndpoints.owner, WEBHOOK_OWNER),
              eq(outboxEndpoints.active, true),
            ),
          );
        if ((n?.n ?? 0) >= MAX_ENDPOINTS)
          throw new DomainError('conflict', 'webhooks.tooMany', { params: { max: MAX_ENDPOINTS } });
        const id = await createEndpoint(tx, piiKey, {
          owner: WEBHOOK_OWNER,
          name: data.name,
          url: data.url,
          secret,
          topics: [...new Set(data.topics)],
          organisationId: orgId,
          createdBy: actor.userId,
        });
        await recordAudit(tx, {
          actorId: actor.userId,
          action: 'webhook.registered',
          entityType: 'webhook',
          entityId: id,
          data: { url: data.url, topics: data.topics },
          requestId,
        });
        return { id, secret };
      });
    },

    /** The organisation's endpoints with their delivery counts, newest first. */
    async list(actor: Actor) {
      const orgId = orgOf(actor);
      const rows = await db
        .select({
          id: outboxEndpoints.id,
          name: outboxEndpoints.name,
          url: outboxEndpoints.url,
          topics: outboxEndpoints.topics,
          active: outboxEndpoints.active,
          createdAt: outboxEndpoints.createdAt,
          delivered: sql<number>`(select count(*)::int from outbox_deliveries d where d.endpoint_id = ${outboxEndpoints.id} and d.status = 'delivered')`,
          pending: sql<number>`(select count(*)::int from outbox_deliveries d where d.endpoint_id = ${outboxEndpoints.id} and d.status = 'pending')`,
          dead: sql<number>`(select count(*)::int from outbox_deliveries d where d.endpoint_id = ${outboxEndpoints.id} and d.status = 'dead')`,
        })
        .from(outboxEndpoints)
        .where(and(eq(outboxEndpoints.organisationId, orgId), eq(outboxEndpoints.owner, WEBHOOK_OWNER)))
        .orderBy(desc(outboxEndpoints.active), desc(outboxEndpoints.createdAt));
      return rows.map((r) => ({ ...r, can: { remove: r.active } }));
    },

    /** Stops an endpoint: nothing more is owed to it; its log is kept. */
    async remove(actor: Actor, endpointId: string, requestId?: string) {
      const orgId = orgOf(actor);
      const e = await ownEndpoint(orgId, endpointId);
      if (!e.active) return;
      await db.transaction(async (tx) => {
        await deactivateEndpoint(tx, e.id);
        await recordAudit(tx, {
          actorId: actor.userId,
          action: 'webhook.removed',
          entityType: 'webhook',
          entityId: e.id,
          requestId,
        });
      });
    },

    /** An endpoint's deliveries (newest first) with the last attempt's answer: the delivery log. */
    async deliveryLog(actor: Actor, endpointId: string, limit = 50) {
      const orgId = orgOf(actor);
      const endpoint = await ownEndpoint(orgId, endpointId);
      const deliveries = await db
        .select({
          id: outboxDeliveries.id,
          eventId: outboxDeliveries.eventId,
          topic: outboxEvents.topic,
          occurredAt: outboxEvents.occurredAt,
          subject: sql<{ type: string; id: string } | null>`${outboxEvents.payload}->'subject'`,
          seq: outboxDeliveries.seq,
          status: outboxDeliveries.status,
          attempts: outboxDeliveries.attempts,
          deliveredAt: outboxDeliveries.deliveredAt,
          nextAttemptAt: outboxDeliveries.nextAttemptAt,
          lastError: outboxDeliveries.lastError,
        })
        .from(outboxDeliveries)
        .innerJoin(outboxEvents, eq(outboxEvents.id, outboxDeliveries.eventId))
        .where(eq(outboxDeliveries.endpointId, endpoint.id))
        .orderBy(desc(outboxDeliveries.seq))
        .limit(Math.min(200, Math.max(1, limit)));
      const ids = deliveries.map((d) => d.id);
      const last = ids.length
        ? await db
            .selectDistinctOn([outboxAttempts.deliveryId], {
              deliveryId: outboxAttempts.deliveryId,
              statusCode: outboxAttempts.statusCode,
              durationMs: outboxAttempts.durationMs,
              at: outboxAttempts.at,
            })
            .from(outboxAttempts)
            .where(inArray(outboxAttempts.deliveryId, ids))
            .orderBy(outboxAttempts.deliveryId, desc(outboxAttempts.attempt))
        : [];
      const byId = new Map(last.map((a) => [a.deliveryId, a]));
      return {
        endpoint: {
          id: endpoint.id,
          name: endpoint.name,
          url: endpoint.url,
          topics: endpoint.topics,
          active: endpoint.active,
        },
        deliveries: deliveries.map((d) => ({
          ...d,
          lastAttempt: byId.get(d.id) ?? null,
          // Re-sending makes sense once it was delivered or given up; a pending one is sent anyway.
          can: { resend: endpoint.active && d.status !== 'pending' },
        })),
      };
    },

    /**
     * Sends a delivery again, now, with the same event id (the receiver de-duplicates on it): it
     * goes back to pending, due at once; as the earliest pending, it is sent before the others.
     */
    async resend(actor: Actor, endpointId: string, deliveryId: string, requestId?: string) {
      const orgId = orgOf(actor);
      const endpoint = await ownEndpoint(orgId, endpointId);
      if (!isUuid(deliveryId)) throw notFound();
      if (!endpoint.active) throw new DomainError('conflict', 'webhooks.isInactive');
      return db.transaction(async (tx) => {
        const [d] = await tx
          .update(outboxDeliveries)
          .set({ status: 'pending', nextAttemptAt: clock(), deliveredAt: null })
          .where(
            and(
              eq(outboxDeliveries.id, deliveryId),
              eq(outboxDeliveries.endpointId, endpoint.id),
              sql`${outboxDeliveries.status} <> 'pending'`,
            ),
          )
          .returning({ id: outboxDeliveries.id, eventId: outboxDeliveries.eventId });
        if (!d) {
          const [exists] = await tx
            .select({ id: outboxDeliveries.id })
            .from(outboxDeliveries)
            .where(and(eq(outboxDeliveries.id, deliveryId), eq(outboxDeliveries.endpointId, endpoint.id)));
          if (!exists) throw notFound();
          return { resent: false }; // already pending: it goes out anyway (a double click changes nothing)
        }
        await recordAudit(tx, {
          actorId: actor.userId,
          action: 'webhook.resent',
          entityType: 'webhook',
          entityId: endpoint.id,
          data: { deliveryId: d.id, eventId: d.eventId },
          requestId,
        });
        await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
        return { resent: true };
      });
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
