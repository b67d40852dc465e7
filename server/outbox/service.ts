/**
 * The outbox (ADR 019): events written in the transaction of the change they announce
 * (`outbox.ts` `enqueue`, public to every module), posted in order per endpoint, signed and
 * retried by the dispatcher (`dispatcher.ts`, started by main.ts), every attempt logged.
 */
import { desc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { outboxAttempts, outboxDeliveries, outboxEvents } from '../../db/schema/outbox.js';

export { createDispatcher, type Dispatcher, type DispatcherOptions } from './dispatcher.js';

export function createOutboxService({ db }: { db: Database }) {
  return {
    /** An endpoint's deliveries, newest first, with their attempts: the owner's delivery log page. */
    async deliveryLog(endpointId: string, limit = 50) {
      const rows = await db
        .select({
          id: outboxDeliveries.id,
          eventId: outboxDeliveries.eventId,
          topic: outboxEvents.topic,
          seq: outboxDeliveries.seq,
          status: outboxDeliveries.status,
          attempts: outboxDeliveries.attempts,
          deliveredAt: outboxDeliveries.deliveredAt,
          nextAttemptAt: outboxDeliveries.nextAttemptAt,
          lastError: outboxDeliveries.lastError,
        })
        .from(outboxDeliveries)
        .innerJoin(outboxEvents, eq(outboxEvents.id, outboxDeliveries.eventId))
        .where(eq(outboxDeliveries.endpointId, endpointId))
        .orderBy(desc(outboxDeliveries.seq))
        .limit(limit);
      return rows;
    },
    async attemptsOf(deliveryId: string) {
      return db
        .select()
        .from(outboxAttempts)
        .where(eq(outboxAttempts.deliveryId, deliveryId))
        .orderBy(outboxAttempts.attempt);
    },
  };
}

export type OutboxService = ReturnType<typeof createOutboxService>;
