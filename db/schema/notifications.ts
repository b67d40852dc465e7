import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { listings } from './auctions.js';
import { organisations, users } from './identity.js';

/**
 * Notices to a user (outbid, renew your deposit, balance due) or to an organisation's staff
 * (a winner defaulted). `kind` is a catalog key under `notifications.*`; `params` fill it.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().references(() => users.id),
    organisationId: uuid().references(() => organisations.id),
    kind: text().notNull(),
    params: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** Where the notice leads, e.g. `/me/payments`. */
    link: text(),
    /** Makes a notice idempotent: a retried job does not notify twice. */
    dedupeKey: text().unique(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    readAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_org_idx').on(t.organisationId, t.createdAt),
  ],
);

export type Notification = typeof notifications.$inferSelect;

/**
 * A user's choices (ADR 025): the channels per notice kind beyond the in-site list (which is
 * always on), the language his messages are written in, and how long before an auction he
 * registered for ends he wants the reminder. No row: the defaults of server/notifications/kinds.ts.
 */
export const notificationSettings = pgTable('notification_settings', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id),
  locale: text().notNull().default('zh-CN'),
  /** Kind -> the outside channels chosen ('email', 'sms'); a kind absent keeps its defaults. */
  channels: jsonb().$type<Record<string, string[]>>().notNull().default({}),
  /** Minutes before the end for the ending-soon reminder; 0 = no reminder. */
  endingSoonMinutes: integer().notNull().default(15),
  updatedAt: timestamp({ withTimezone: true }).notNull(),
});

export type NotificationSettings = typeof notificationSettings.$inferSelect;

/**
 * One message of one notice to one person on one channel, scheduled in the notice's own
 * transaction and sent by the `notification.deliver` job. Unique per (notice, user, channel):
 * a notice reaches each person once per channel, whatever retries happen.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    notificationId: uuid()
      .notNull()
      .references(() => notifications.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    /** 'email' | 'sms' */
    channel: text().notNull(),
    /** The e-mail address or phone number at scheduling time (from the user record). */
    address: text().notNull(),
    /** 'pending' | 'sent' | 'failed' */
    status: text().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    /** Which transport carried it: 'smtp', 'http' (SMS provider) or 'log' (nothing configured). */
    transport: text(),
    /** The provider's id of the message (SMTP Message-ID, the SMS provider's id). */
    providerId: text(),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notification_deliveries_once').on(t.notificationId, t.userId, t.channel),
    index('notification_deliveries_user_idx').on(t.userId, t.createdAt),
    index('notification_deliveries_pending_idx').on(t.createdAt).where(sql`${t.status} = 'pending'`),
  ],
);

export type NotificationDelivery = typeof notificationDeliveries.$inferSelect;

/** How far the outbid/extended notices of an auction have read its accepted bids (by seq). */
export const notificationCursors = pgTable('notification_cursors', {
  listingId: uuid()
    .primaryKey()
    .references(() => listings.id),
  lastSeq: integer().notNull().default(0),
});
