import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './identity.js';

/**
 * The court API's idempotency keys (ADR 026): one row per (token, `Idempotency-Key`), reserved
 * before the work runs and completed with the response it gave. A repeat with the same request
 * replays `status` and `body`; with another request it is refused (422). Rows expire after 24 h.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    /** Who the key belongs to: the API token (`api:<token id>`); keys of two tokens never meet. */
    scope: text().notNull(),
    key: text().notNull(),
    organisationId: uuid()
      .notNull()
      .references(() => organisations.id),
    /** SHA-256 of the method, the path and the JSON body: the request the key stands for. */
    requestHash: text().notNull(),
    /** Null while the first request runs (or if it never finished: see ADR 026). */
    status: integer(),
    body: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index().on(t.expiresAt)],
);
