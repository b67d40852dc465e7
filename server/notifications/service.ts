import { and, desc, eq, isNull, or } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.js';

type JobContext = { tx: Tx; now: Date };

import type { Job } from '../../db/schema/jobs.js';
import { notificationSettings, notifications } from '../../db/schema/notifications.js';
import type { Clock } from '../clock.js';
import { type Actor, requireActor } from '../identity/permissions.js';
import { scheduleJobs } from '../jobs/schedule.js';
import type { Logger } from '../logger.js';
import { DELIVER_JOB, deliver } from './deliveries.js';
import { myPreferences, savePreferences } from './preferences.js';
import {
  closedBidsKey,
  nudgeBids,
  REMINDER_JOBS,
  readBids,
  remindEndingSoon,
  remindStarting,
} from './reminders.js';
import { renderPasswordReset } from './render.js';
import { beijingTime } from './rules.js';
import { httpSmsProvider, logTransports, type Mailer, type SmsProvider, smtpMailer } from './transports.js';

export { type NoticeInput, notify } from './notify.js';
export {
  scheduleRegistrationReminders,
  scheduleWatchReminders,
  unwatchReminders,
  type Watch,
} from './reminders.js';
export { ENDING_SOON_CHOICES } from './rules.js';

export interface NotificationConfig {
  SMTP_URL?: string;
  SMTP_FROM: string;
  SMS_PROVIDER_URL?: string;
  SMS_PROVIDER_TOKEN?: string;
  PUBLIC_ORIGIN?: string;
  PORT: number;
}

export function createNotificationService(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  config: NotificationConfig;
  /** Tests pass their own transports; else from the config, the log where nothing is configured. */
  mailer?: Mailer;
  sms?: SmsProvider;
}) {
  const { db, config } = deps;
  const logged = logTransports(deps.logger);
  const smtp = config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.SMTP_FROM) : null;
  const mailer = deps.mailer ?? smtp ?? logged.mailer;
  const sms =
    deps.sms ??
    (config.SMS_PROVIDER_URL
      ? httpSmsProvider(config.SMS_PROVIDER_URL, config.SMS_PROVIDER_TOKEN)
      : logged.sms);
  const origin = config.PUBLIC_ORIGIN ?? `http://localhost:${config.PORT}`;
  const delivery = { mailer, sms, origin, messageIdHost: new URL(origin).hostname || 'lastmile.local' };
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
    /** The preferences page: channels per kind, language, the reminder's N, the latest messages. */
    preferences: (actor: Actor | null) => myPreferences(deps, actor),
    savePreferences: (actor: Actor | null, input: unknown) => savePreferences(deps, actor, input),
    /** Bids were committed on this auction: its outbid/extended notices are read soon (durably). */
    bidsAccepted: (listingId: string) => nudgeBids(db, listingId, deps.clock()),
    /** In the closing transaction: the last bids' notices are read even if no nudge came after them. */
    listingsClosed: (tx: Tx, listingIds: string[], now: Date) =>
      scheduleJobs(
        tx,
        listingIds.map((listingId) => ({
          kind: REMINDER_JOBS.bids,
          key: closedBidsKey(listingId),
          runAt: now,
          payload: { listingId },
        })),
      ),
    /**
     * A password-reset link, sent at once through the same transports as every message (ADR 028)
     * and never written to a table (it carries a live link). By SMS when the person named his
     * phone number, else by e-mail; in his chosen language, else the page's. Resolves to the
     * channel used; a transport's refusal rejects (the caller logs it: the answer to the request
     * must not tell).
     */
    async sendPasswordReset(m: {
      userId: string;
      channel: 'email' | 'sms';
      address: string;
      name: string;
      token: string;
      expiresAt: Date;
      locale: string;
      reference: string;
    }) {
      const [chosen] = await db
        .select({ locale: notificationSettings.locale })
        .from(notificationSettings)
        .where(eq(notificationSettings.userId, m.userId));
      const text = renderPasswordReset(chosen?.locale ?? m.locale, {
        name: m.name,
        url: `${origin}/reset-password/${m.token}`,
        expires: beijingTime(m.expiresAt),
      });
      if (m.channel === 'sms') await sms.send({ to: m.address, text: text.sms, reference: m.reference });
      else
        await mailer.send({
          to: m.address,
          subject: text.subject,
          text: text.text,
          messageId: `<${m.reference}@${delivery.messageIdHost}>`,
        });
      return m.channel;
    },
    close: () => smtp?.close(),
    jobHandlers: {
      [DELIVER_JOB]: (job: Job, ctx: JobContext) => deliver(delivery, ctx.tx, job, ctx.now),
      [REMINDER_JOBS.starting]: (job: Job, ctx: JobContext) => remindStarting(ctx.tx, job.payload, ctx.now),
      [REMINDER_JOBS.endingSoon]: (job: Job, ctx: JobContext) =>
        remindEndingSoon(ctx.tx, job.payload, ctx.now),
      [REMINDER_JOBS.bids]: (job: Job, ctx: JobContext) =>
        readBids(ctx.tx, String(job.payload.listingId), ctx.now),
    },
  };
}
