import type { Db } from '../../db/client.js';
import { notifications } from '../../db/schema/notifications.js';
import { scheduleDeliveries } from './deliveries.js';

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

/**
 * Written in the caller's transaction: the notice exists exactly when the change that caused it
 * does, and so do its messages by e-mail and SMS (the person's channels for the kind, ADR 025),
 * scheduled with it. A notice already written (same dedupeKey) schedules nothing again.
 */
export async function notify(db: Db, n: NoticeInput): Promise<void> {
  const [created] = await db
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
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  if (!created) return;
  await scheduleDeliveries(db, {
    id: created.id,
    userId: n.userId ?? null,
    organisationId: n.organisationId ?? null,
    kind: n.kind,
    at: n.at,
  });
}
