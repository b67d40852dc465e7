/**
 * Scheduling durable jobs (the jobs module's public surface for every other module): a job is
 * written in the caller's transaction, so it exists exactly when the caller's change commits,
 * and the runners of every process are woken on commit (runner.ts runs them).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { DEFAULT_MAX_ATTEMPTS, jobs } from '../../db/schema/jobs.js';

/** LISTEN/NOTIFY channel on which scheduleJob wakes the runners of every process. */
export const JOBS_CHANNEL = 'jobs_scheduled';

/**
 * The longest a runner sleeps between looks at the table (runner.ts): at each look it arms a
 * timer for the earliest pending job. A job due further ahead than this needs no NOTIFY.
 */
export const POLL_MS = 500;

/**
 * Whether scheduling wakes the runners with a NOTIFY sent on the caller's commit. A transaction
 * that has NOTIFYed takes PostgreSQL's database-wide notify lock at its commit and holds it
 * through the commit's WAL flush, so notifying commits wait for one another: in a last-minute
 * rush every bid nudge and every close would queue there (issue 15). So a job due more than a
 * poll ahead is not announced (the runners find it in time), and a caller may send its own
 * wake-up after its commit instead (`wakeAfterCommit`, a statement outside any transaction).
 */
export type Notify = 'when-due-soon' | 'never';

const dueSoon = (list: readonly ScheduleJobInput[]) =>
  list.some((j) => j.runAt.getTime() < Date.now() + POLL_MS);

/**
 * Wakes every process's listeners on these channels, from outside any transaction: for a
 * caller that wrote with `notify: 'never'`, once its commit is done.
 */
export async function wakeAfterCommit(db: Db, channels: readonly string[]) {
  await db.execute(
    sql`select ${sql.join(
      channels.map((c) => sql`pg_notify(${c}, '')`),
      sql`, `,
    )}`,
  );
}

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
 * Creates the job, or moves the pending job with the same key (new run_at, kind and payload).
 * Pass the caller's transaction so the job exists exactly when the caller's change commits.
 */
export async function scheduleJob(db: Db, job: ScheduleJobInput): Promise<void> {
  await scheduleJobs(db, [job]);
}

/**
 * Creates the job unless one is pending under its key (which keeps its run_at): a nudge that
 * many writers may give at once, where moving the job each time would put it off forever.
 */
export async function scheduleJobIfAbsent(db: Db, job: ScheduleJobInput): Promise<void> {
  const insert = sql`
      insert into ${jobs} (kind, key, run_at, payload, max_attempts)
      select * from ${rowsOf([job])}
      on conflict (key) where status in ('pending', 'running') do nothing`;
  if (!dueSoon([job])) await db.execute(insert);
  else
    await db.execute(
      sql`with created as (${insert} returning id) select pg_notify(${JOBS_CHANNEL}, '') from created`,
    );
}

/**
 * scheduleJob for many jobs, in one statement with its notification (a crowd's closes schedule
 * hundreds, and each round trip counts on a busy server). A moved job keeps its max_attempts.
 */
export async function scheduleJobs(
  db: Db,
  list: ScheduleJobInput[],
  opts: { notify?: Notify } = {},
): Promise<void> {
  if (list.length === 0) return;
  // Names the partial unique index jobs_pending_key: done, failed and cancelled jobs keep their
  // key, and a new job under that key is a new row. The notification is delivered when the
  // caller's transaction commits (never if it rolls back), one per transaction however many.
  const upsert = sql`
      insert into ${jobs} (kind, key, run_at, payload, max_attempts)
      select * from ${rowsOf(list)}
      on conflict (key) where status in ('pending', 'running')
      do update set kind = excluded.kind, run_at = excluded.run_at, payload = excluded.payload`;
  if ((opts.notify ?? 'when-due-soon') === 'never' || !dueSoon(list)) await db.execute(upsert);
  else await db.execute(sql`with scheduled as (${upsert}) select pg_notify(${JOBS_CHANNEL}, '')`);
}

/** The jobs as rows, in the list's order: one JSON parameter, whatever their number. */
function rowsOf(list: ScheduleJobInput[]) {
  const rows = list.map((j) => ({
    kind: j.kind,
    key: j.key,
    run_at: j.runAt.toISOString(),
    payload: j.payload ?? {},
    max_attempts: j.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  }));
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
    as x(kind text, key text, run_at timestamptz, payload jsonb, max_attempts integer)`;
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
