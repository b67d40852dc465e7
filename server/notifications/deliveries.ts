/**
 * Delivery of a notice beyond the site (ADR 025): written in the notice's transaction as one
 * row per (notice, person, channel) with its durable job, then sent by the job.
 *
 * Once per channel: the row is unique per (notice, user, channel) and the job sends only while
 * the row is pending, marking it sent in the same transaction as the job's completion. A retried
 * job (the provider failed, the process died before the send) finds the row pending and sends;
 * one that runs again after a success finds it sent and sends nothing. The one window left (the
 * provider accepted, then the commit failed) is closed on the receiver's side: the e-mail's
 * Message-ID and the SMS's idempotency key are the delivery's id.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { users } from '../../db/schema/identity.js';
import type { Job } from '../../db/schema/jobs.js';
import {
  notificationDeliveries,
  notificationSettings,
  notifications,
} from '../../db/schema/notifications.js';
import { scheduleJobs } from '../jobs/schedule.js';
import { renderEmail, renderSms } from './render.js';
import { type Channel, channelsFor, isDeliverable, KINDS, type KindRule } from './rules.js';
import type { Mailer, SmsProvider } from './transports.js';

export const DELIVER_JOB = 'notification.deliver';
export const deliverJobKey = (deliveryId: string) => `notification:delivery:${deliveryId}`;

interface Notice {
  id: string;
  userId: string | null;
  organisationId: string | null;
  kind: string;
  at: Date;
}

/** Schedules a new notice's messages: to its user, or to its organisation's staff of the kind's roles. */
export async function scheduleDeliveries(tx: Db, n: Notice): Promise<void> {
  if (!isDeliverable(n.kind)) return;
  const rule: KindRule = KINDS[n.kind];
  const who =
    rule.audience === 'bidder'
      ? n.userId
        ? eq(users.id, n.userId)
        : undefined
      : n.organisationId && rule.roles?.length
        ? and(
            eq(users.organisationId, n.organisationId),
            sql`${users.roles} && array[${sql.join(
              rule.roles.map((r) => sql`${r}`),
              sql`, `,
            )}]::role[]`,
          )
        : undefined;
  if (!who) return;
  const people = await tx
    .select({ id: users.id, email: users.email, phone: users.phone, channels: notificationSettings.channels })
    .from(users)
    .leftJoin(notificationSettings, eq(notificationSettings.userId, users.id))
    .where(and(who, eq(users.disabled, false)));
  const rows: {
    notificationId: string;
    userId: string;
    channel: Channel;
    address: string;
    createdAt: Date;
  }[] = [];
  for (const p of people) {
    for (const channel of channelsFor(n.kind, p.channels ?? undefined)) {
      const address = channel === 'email' ? p.email : p.phone;
      if (address) rows.push({ notificationId: n.id, userId: p.id, channel, address, createdAt: n.at });
    }
  }
  if (!rows.length) return;
  const created = await tx
    .insert(notificationDeliveries)
    .values(rows)
    .onConflictDoNothing()
    .returning({ id: notificationDeliveries.id });
  await scheduleJobs(
    tx,
    created.map((d) => ({
      kind: DELIVER_JOB,
      key: deliverJobKey(d.id),
      runAt: n.at,
      payload: { deliveryId: d.id },
    })),
  );
}

export interface DeliveryDeps {
  mailer: Mailer;
  sms: SmsProvider;
  /** The site's origin for links in messages. */
  origin: string;
  /** The host part of Message-IDs. */
  messageIdHost: string;
}

/**
 * The `notification.deliver` job. Throws when the provider refused, so the runner retries with
 * backoff; on the job's last attempt it records the failure instead, and gives up.
 */
export async function deliver(deps: DeliveryDeps, tx: Tx, job: Job, now: Date): Promise<void> {
  const deliveryId = String(job.payload.deliveryId);
  const [d] = await tx
    .select()
    .from(notificationDeliveries)
    .where(and(eq(notificationDeliveries.id, deliveryId), eq(notificationDeliveries.status, 'pending')))
    .for('update');
  if (!d) return; // sent already (or gone): never twice
  const [row] = await tx
    .select({ n: notifications, locale: notificationSettings.locale })
    .from(notifications)
    .leftJoin(notificationSettings, eq(notificationSettings.userId, d.userId))
    .where(eq(notifications.id, d.notificationId));
  const n = row!.n;
  const locale = row!.locale ?? 'zh-CN';
  try {
    const sent =
      d.channel === 'email'
        ? await deps.mailer.send({
            to: d.address,
            ...renderEmail(n, locale, deps.origin),
            messageId: `<${d.id}@${deps.messageIdHost}>`,
          })
        : await deps.sms.send({ to: d.address, text: renderSms(n, locale, deps.origin), reference: d.id });
    await tx
      .update(notificationDeliveries)
      .set({
        status: 'sent',
        attempts: d.attempts + 1,
        transport: sent.transport,
        providerId: sent.providerId,
        sentAt: now,
        lastError: null,
      })
      .where(eq(notificationDeliveries.id, d.id));
  } catch (err) {
    if (job.attempts + 1 < job.maxAttempts) throw err;
    await tx
      .update(notificationDeliveries)
      .set({
        status: 'failed',
        attempts: d.attempts + 1,
        lastError: (err instanceof Error ? err.message : String(err)).slice(0, 500),
      })
      .where(eq(notificationDeliveries.id, d.id));
  }
}

/** A person's own messages (the preferences page shows the latest, with their state). */
export async function recentDeliveries(db: Db, userId: string, limit = 10) {
  return db
    .select({
      id: notificationDeliveries.id,
      kind: notifications.kind,
      channel: notificationDeliveries.channel,
      status: notificationDeliveries.status,
      createdAt: notificationDeliveries.createdAt,
      sentAt: notificationDeliveries.sentAt,
    })
    .from(notificationDeliveries)
    .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
    .where(eq(notificationDeliveries.userId, userId))
    .orderBy(sql`${notificationDeliveries.createdAt} desc`)
    .limit(limit);
}
