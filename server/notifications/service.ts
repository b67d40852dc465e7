import { and, desc, eq, isNull, or } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.js';
import { notifications } from '../../db/schema/notifications.js';
import type { Clock } from '../clock.js';
import { type Actor, requireActor } from '../identity/permissions.js';

export interface NoticeInput {
  userId?: string;
  organisationId?: string;
  /** Catalog key under `notifications.*`. */
  kind: string;
  params?: Record<string, string>;
  link?: string;
  /** A retried job or event with the same key notifies once. */
  dedupeKey: string;
  at: Date;
}

/** Written in the caller's transaction: the notice exists exactly when the change that caused it does. */
export async function notify(db: Db, n: NoticeInput): Promise<void> {
  await db
    .insert(notifications)
    .values({
      userId: n.userId ?? null,
      organisationId: n.organisationId ?? null,
      kind: n.kind,
      params: n.params ?? {},
      link: n.link ?? null,
      dedupeKey: n.dedupeKey,
      createdAt: n.at,
    })
    .onConflictDoNothing({ target: notifications.dedupeKey });
}

export function createNotificationService(deps: { db: Database; clock: Clock }) {
  const { db } = deps;
  const mine = (actor: Actor) =>
    or(
      eq(notifications.userId, actor.userId),
      actor.organisationId ? eq(notifications.organisationId, actor.organisationId) : undefined,
    );
  return {
    /** The caller's own notices and his organisation's, newest first. */
    async list(actorIn: Actor | null, limit = 20) {
      const actor = requireActor(actorIn);
      return db
        .select()
        .from(notifications)
        .where(mine(actor))
        .orderBy(desc(notifications.createdAt))
        .limit(limit);
    },
    async markAllRead(actorIn: Actor | null) {
      const actor = requireActor(actorIn);
      await db
        .update(notifications)
        .set({ readAt: deps.clock() })
        .where(and(mine(actor), isNull(notifications.readAt)));
    },
  };
}
