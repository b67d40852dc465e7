/**
 * Posts the outbox's deliveries (ADR 019): per endpoint, strictly in the events' order, each
 * signed (signing.ts), retried with exponential backoff until the receiver answers 2xx, every
 * attempt logged (`outbox_attempts`).
 *
 * In order: only an endpoint's earliest pending delivery is ever sent; a failure blocks the ones
 * behind it until it succeeds (or is given up as dead after `maxAttempts`). One dispatcher at a
 * time per endpoint: it takes a lease on the endpoint row (a short transaction with FOR UPDATE
 * SKIP LOCKED), so no row lock or pooled connection is held over the HTTP call, and a crashed
 * dispatcher's lease lapses. Exactly once is the receiver's part: a delivery whose 2xx answer was
 * lost is sent again with the same event id, which the receiver de-duplicates on.
 */

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import {
  type OutboxEvent,
  outboxAttempts,
  outboxDeliveries,
  outboxEndpoints,
  outboxEvents,
} from '../../db/schema/outbox.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import { decrypt } from '../identity/crypto.js';
import type { Listen } from '../jobs/schedule.js';
import type { Logger } from '../logger.js';
import { OUTBOX_CHANNEL } from './outbox.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signBody, TOPIC_HEADER } from './signing.js';

export interface DispatcherOptions {
  db: Database;
  clock: Clock;
  logger: Logger;
  piiKey: Buffer;
  /** The body's `data` for an event (e.g. the credit module reveals the ID numbers to partners). */
  prepare?: (event: OutboxEvent) => Record<string, unknown>;
  listen?: Listen;
  /** First retry delay; doubles per failed attempt, up to `maxBackoffMs`. */
  retryBaseMs?: number;
  maxBackoffMs?: number;
  /** After this many failed attempts a delivery is dead and the next one goes. */
  maxAttempts?: number;
  timeoutMs?: number;
  leaseMs?: number;
  pollMs?: number;
  fetch?: typeof fetch;
  /**
   * Checked before every attempt (ADR 028): throws when the endpoint's URL now resolves to an
   * address it must not reach; the attempt then fails with that reason and is retried as any.
   */
  guardUrl?: (url: string) => Promise<void>;
}

export interface Dispatcher {
  start(): void;
  stop(): Promise<void>;
  /** Sends every delivery due by the clock's now, endpoint by endpoint; returns how many attempts it made. */
  drain(): Promise<number>;
}

export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { db, clock, piiKey } = options;
  const logger = options.logger.child({ component: 'outbox' });
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const retryBaseMs = options.retryBaseMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 3_600_000;
  const maxAttempts = options.maxAttempts ?? 25;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1_000;
  const post = options.fetch ?? fetch;
  const prepare = options.prepare ?? ((e: OutboxEvent) => e.payload);

  /** Leases an endpoint whose earliest pending delivery is due, or null. */
  async function claimEndpoint(now: Date) {
    const rows = await db.execute<{ id: string; url: string; secret_sealed: string }>(sql`
      update ${outboxEndpoints} set lease_until = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz,
        lease_owner = ${owner}
      where id = (
        select e.id from ${outboxEndpoints} e
        where e.active and (e.lease_until is null or e.lease_until < ${now.toISOString()}::timestamptz)
          and (select d.next_attempt_at from ${outboxDeliveries} d
               where d.endpoint_id = e.id and d.status = 'pending' order by d.seq limit 1)
              <= ${now.toISOString()}::timestamptz
        order by e.lease_until nulls first
        limit 1
        for update skip locked)
      returning id, url, secret_sealed`);
    return rows[0] ?? null;
  }

  async function release(endpointId: string) {
    await db
      .update(outboxEndpoints)
      .set({ leaseUntil: null, leaseOwner: null })
      .where(and(eq(outboxEndpoints.id, endpointId), eq(outboxEndpoints.leaseOwner, owner)));
  }

  /** Sends the endpoint's due deliveries in order until one fails or none is due; returns the attempts made. */
  async function serve(endpoint: { id: string; url: string; secret_sealed: string }): Promise<number> {
    const secret = decrypt(piiKey, endpoint.secret_sealed);
    let attempts = 0;
    for (;;) {
      const now = clock();
      const [head] = await db
        .select({ delivery: outboxDeliveries, event: outboxEvents })
        .from(outboxDeliveries)
        .innerJoin(outboxEvents, eq(outboxEvents.id, outboxDeliveries.eventId))
        .where(and(eq(outboxDeliveries.endpointId, endpoint.id), eq(outboxDeliveries.status, 'pending')))
        .orderBy(asc(outboxDeliveries.seq))
        .limit(1);
      if (!head || head.delivery.nextAttemptAt > now) return attempts;
      const { delivery, event } = head;
      const body = JSON.stringify({
        id: event.id,
        seq: event.seq,
        topic: event.topic,
        occurredAt: event.occurredAt.toISOString(),
        data: prepare(event),
      });
      const started = Date.now();
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        await options.guardUrl?.(endpoint.url);
        const res = await post(endpoint.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signBody(secret, body, clock()),
            [EVENT_ID_HEADER]: event.id,
            [TOPIC_HEADER]: event.topic,
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        statusCode = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) error = `HTTP ${res.status}`;
      } catch (err) {
        error =
          err instanceof DomainError
            ? `refused: ${err.messageKey}` // the SSRF guard: not sent at all
            : err instanceof Error
              ? err.message.slice(0, 500)
              : 'request failed';
      }
      attempts += 1;
      const at = clock();
      const attempt = delivery.attempts + 1;
      const dead = error !== null && attempt >= maxAttempts;
      const kept = await db.transaction(async (tx) => {
        const [still] = await tx
          .update(outboxDeliveries)
          .set(
            error === null
              ? { status: 'delivered', attempts: attempt, deliveredAt: at, lastError: null }
              : {
                  status: dead ? 'dead' : 'pending',
                  attempts: attempt,
                  lastError: error,
                  nextAttemptAt: new Date(at.getTime() + backoffMs(attempt, retryBaseMs, maxBackoffMs)),
                },
          )
          .where(and(eq(outboxDeliveries.id, delivery.id), eq(outboxDeliveries.status, 'pending')))
          .returning({ id: outboxDeliveries.id });
        await tx.insert(outboxAttempts).values({
          deliveryId: delivery.id,
          attempt,
          at,
          statusCode,
          error,
          durationMs: Date.now() - started,
        });
        return !!still;
      });
      if (error !== null) {
        (dead ? logger.error : logger.warn).call(
          logger,
          { endpointId: endpoint.id, eventId: event.id, attempt, error },
          dead ? 'outbox delivery given up' : 'outbox delivery failed; retrying later',
        );
        if (!dead) return attempts;
      }
      if (!kept) return attempts;
    }
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const endpoint = await claimEndpoint(clock());
      if (!endpoint) return total;
      try {
        total += await serve(endpoint);
      } finally {
        await release(endpoint.id);
      }
    }
  }

  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let listening: Promise<{ unlisten(): Promise<void> } | undefined> | undefined;

  return {
    drain,
    start() {
      if (running) return;
      running = true;
      listening = options
        .listen?.(OUTBOX_CHANNEL, () => wake?.())
        .catch((err) => {
          logger.warn({ err }, 'outbox LISTEN failed; polling only');
          return undefined;
        });
      loop = (async () => {
        while (running) {
          try {
            await drain();
          } catch (err) {
            logger.warn({ err }, 'outbox pass failed');
          }
          if (!running) break;
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, pollMs);
            wake = () => {
              clearTimeout(t);
              resolve();
            };
          });
          wake = undefined;
        }
      })();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      const l = await listening;
      await l?.unlisten();
    },
  };
}
