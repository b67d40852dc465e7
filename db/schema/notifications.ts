import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
