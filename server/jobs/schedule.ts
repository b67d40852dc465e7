/**
 * Scheduling durable jobs (the jobs module's public surface for every other module): a job is
 * written in the caller's transaction, so it exists exactly when the caller's change commits,
 * and the runners of every process are woken on commit (runner.ts runs them).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { jobs } from '../../db/schema/jobs.js';

/** LISTEN/NOTIFY channel on which scheduleJob wakes the runners of every process. */
export const JOBS_CHANNEL = 'jobs_scheduled';

/** Subscribes to a NOTIFY channel; with postgres.js: `(channel, fn) => handle.sql.listen(channel, fn)`. */
export type Listen = (channel: string, onNotify: () => void) => Promise<{ unlisten(): Promise<void> }>;

export interface ScheduleJobInput {
  kind: string;
  /** One pending job per key, e.g. `listing:<id>:end`; scheduling the same key again moves it. */
  key: string;
  runAt: Date;
  payload?: Record<string, unknown>;
  maxAttempts?: number;
}

/**
 * A literal, not a bound parameter: the planner can then match the partial indexes on pending
 * jobs (jobs_due_idx, jobs_pending_key) also in a prepared statement's generic plan.
 */
export const isPending = sql`${jobs.status} = 'pending'`;

/**
 * Creates the job, or moves the pending job with the same key (new run_at, kind and payload;
 * maxAttempts only when given). Pass the caller's transaction so the job exists exactly when
 * the caller's change commits.
 */
export async function scheduleJob(db: Db, job: ScheduleJobInput): Promise<void> {
  const payload = job.payload ?? {};
  await db
    .insert(jobs)
    .values({ kind: job.kind, key: job.key, runAt: job.runAt, payload, maxAttempts: job.maxAttempts })
    .onConflictDoUpdate({
      target: jobs.key,
      // Names the partial unique index jobs_pending_key: done, failed and cancelled jobs keep
      // their key, and a new job under that key is a new row.
      targetWhere: sql`status in ('pending', 'running')`,
      set: {
        kind: job.kind,
        runAt: job.runAt,
        payload,
        ...(job.maxAttempts !== undefined && { maxAttempts: job.maxAttempts }),
      },
    });
  // Delivered when the caller's transaction commits (never if it rolls back), and collapsed to
  // one notification per transaction however many jobs it schedules.
  await db.execute(sql`select pg_notify(${JOBS_CHANNEL}, '')`);
}

/**
 * Creates the job unless one is pending under its key (which keeps its run_at): a nudge that
 * many writers may give at once, where moving the job each time would put it off forever.
 */
export async function scheduleJobIfAbsent(db: Db, job: ScheduleJobInput): Promise<void> {
  const created = await db
    .insert(jobs)
    .values({ kind: job.kind, key: job.key, runAt: job.runAt, payload: job.payload ?? {} })
    .onConflictDoNothing({ target: jobs.key, where: sql`status in ('pending', 'running')` })
    .returning({ id: jobs.id });
  if (created.length) await db.execute(sql`select pg_notify(${JOBS_CHANNEL}, '')`);
}

/** scheduleJob for many jobs in one statement (and one notification). */
export async function scheduleJobs(db: Db, list: ScheduleJobInput[]): Promise<void> {
  if (list.length === 0) return;
  await db
    .insert(jobs)
    .values(list.map((j) => ({ kind: j.kind, key: j.key, runAt: j.runAt, payload: j.payload ?? {} })))
    .onConflictDoUpdate({
      target: jobs.key,
      targetWhere: sql`status in ('pending', 'running')`,
      set: { kind: sql`excluded.kind`, runAt: sql`excluded.run_at`, payload: sql`excluded.payload` },
    });
  await db.execute(sql`select pg_notify(${JOBS_CHANNEL}, '')`);
}

/** Cancels the pending job with this key; false when there is none (already ran, or never was). */
export async function cancelJob(db: Db, key: string): Promise<boolean> {
  // A job being run right now holds its row lock: this waits for it, then finds it done.
  const rows = await db
    .update(jobs)
    .set({ status: 'cancelled', finishedAt: sql`now()` })
    .where(and(eq(jobs.key, key), isPending))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/**
 * Cancels every pending job of this kind that no worker is running now (those are skipped): for
 * a job whose run makes the others of its kind redundant. Returns how many it cancelled.
 */
export async function cancelPendingJobs(db: Db, kind: string): Promise<number> {
  const idle = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(isPending, eq(jobs.kind, kind)))
    .for('update', { skipLocked: true });
  const rows = await db
    .update(jobs)
    .set({ status: 'cancelled', finishedAt: sql`now()` })
    .where(inArray(jobs.id, idle))
    .returning({ id: jobs.id });
  return rows.length;
}
