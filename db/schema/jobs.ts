import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const jobStatus = pgEnum('job_status', ['pending', 'running', 'done', 'failed', 'cancelled']);

/**
 * Durable timers and deadlines. A job is claimed with FOR UPDATE SKIP LOCKED inside the
 * transaction that runs its handler (the row lock is the lease): any number of processes may
 * run the runner, each job runs once, and a crash rolls back and leaves it pending. Handlers are idempotent.
 */
/** Attempts before a job fails for good, unless its scheduler says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 10;

export const jobs = pgTable(
  'jobs',
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: text().notNull(),
    /** One pending job per key (e.g. `listing:<id>:start`); rescheduling updates run_at. */
    key: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    runAt: timestamp({ withTimezone: true }).notNull(),
    status: jobStatus().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(DEFAULT_MAX_ATTEMPTS),
    lockedBy: text(),
    lockedUntil: timestamp({ withTimezone: true }),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('jobs_pending_key').on(t.key).where(sql`status in ('pending', 'running')`),
    index('jobs_due_idx').on(t.runAt).where(sql`status = 'pending'`),
  ],
);

export type Job = typeof jobs.$inferSelect;
