/**
 * Durable timers and deadlines on PostgreSQL (auction start and end, deposit releases, balance
 * deadlines). A job is a row in `jobs`; nothing about it lives only in memory, so a restart
 * loses none, and any number of processes may run a runner.
 *
 * Exactly once: a job is claimed, handled and completed in ONE transaction. The claim takes the
 * row lock with FOR UPDATE SKIP LOCKED (other workers skip the row instead of waiting), the
 * handler writes its effects through that same transaction, and the commit makes the effects
 * and the job's completion visible together. A crash (process killed, connection lost) rolls
 * all of it back and the row lock goes with the connection, so the job is simply pending again
 * for the next worker. The row lock is the lease: the schema's 'running' status and
 * locked_until are never stored.
 *
 * On time: a runner does not only poll. After a pass finds nothing due it arms a timer for the
 * earliest pending run_at (at most pollMs away), and LISTENs on JOBS_CHANNEL, which scheduleJob
 * notifies on commit, so a job scheduled by another process a moment ahead is not left
 * waiting for the next poll. The earliest run_at is looked up among the jobs that were not yet
 * due at the pass's claim, not at the moment of the look-up: a job that became due in between
 * (a few milliseconds) is claimed at once, where it used to wait a whole pollMs. Urgent kinds
 * (auction starts and ends) may be claimed a little ahead and held until their time
 * (`urgentLeadMs`), so a crowd of them falling due at once finds its claims already made.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { and, asc, eq, gt, inArray, lte, notInArray, type SQL, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.js';
import { type Job, jobs } from '../../db/schema/jobs.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { jobLateness, jobRuns } from '../metrics/metrics.js';
import { isPending, JOBS_CHANNEL, type Listen, POLL_MS } from './schedule.js';

export type { Job };

export interface JobContext {
  /**
   * The transaction that claimed the job: write every effect through it, so the effects commit
   * exactly when the job completes. Throwing rolls them back and retries the job later.
   */
  tx: Tx;
  /** The runner's clock at the claim: the server's time decides. */
  now: Date;
  /**
   * Runs `fn` once the job's transaction has committed, never if it rolls back: commit, then
   * broadcast. Awaited before the loop claims its next job; a throw is logged, not retried.
   */
  afterCommit(fn: () => void | Promise<void>): void;
}

/**
 * Runs one job. Keep handlers short and free of slow outside calls: the job's row lock and a
 * pooled connection are held until the handler returns.
 */
export type JobHandler = (job: Job, ctx: JobContext) => Promise<void>;

/**
 * Runs many due jobs of one kind at once (set-based: a few statements for all of them). Must
 * have the same effects as running the kind's JobHandler on each; when it throws, the runner
 * falls back to the JobHandler one job at a time, so one bad job cannot hold back the others.
 */
export type BatchJobHandler = (jobs: Job[], ctx: JobContext) => Promise<void>;

/** Retries back off exponentially up to this, so a broken dependency is retried at least every 10 min. */
const MAX_BACKOFF_MS = 10 * 60_000;
/** last_error keeps the message only (no stack, no data), truncated to keep rows small. */
const MAX_ERROR_LENGTH = 1000;
export interface JobRunnerOptions {
  /** Each of the `concurrency` loops holds one pooled connection while it runs a job. */
  db: Database;
  clock: Clock;
  logger: Logger;
  handlers: Record<string, JobHandler>;
  /** Stored in jobs.locked_by: the worker that last ran (or tried) the job. */
  workerId?: string;
  /** Jobs run at once by this process, each in its own transaction. Default 4. */
  concurrency?: number;
  /**
   * Longest sleep between looks at the table, for jobs no notification announced. Default
   * POLL_MS; a longer one would miss jobs scheduled without a NOTIFY (schedule.ts).
   */
  pollMs?: number;
  /**
   * Arms the wake-up for the earliest pending job: calls `fire` after `ms` and returns what
   * cancels it. Default setTimeout; tests pass their own to see when the runner means to wake.
   */
  timer?: (ms: number, fire: () => void) => () => void;
  /** First retry delay; doubles with each failed attempt up to 10 min. Default 1000. */
  retryBaseMs?: number;
  /** Wakes the runner when a job is scheduled anywhere; without it the runner only polls. */
  listen?: Listen;
  /**
   * Kinds whose due jobs are claimed together, up to this many per transaction: one commit for
   * many short jobs (a thousand auctions ending in one second). Each runs in its own savepoint,
   * unless the kind has a batch handler, which runs them all in one; a failing job is retried
   * alone, the others still complete.
   */
  batchSizes?: Record<string, number>;
  batchHandlers?: Record<string, BatchJobHandler>;
  /**
   * Kinds claimed before any other due job, whatever their run_at: the closing of an auction
   * must not queue behind the settlements of the ones that closed a moment earlier.
   */
  urgentKinds?: readonly string[];
  /**
   * Urgent jobs are claimed up to this long before they fall due and held (their rows locked,
   * their transaction open) until their time, then run at once: when a thousand auctions end in
   * the same second, the claims are behind them and only the closes' own work is left (issue
   * 15). The handler's `now` is never before the jobs' run_at. Default 0: claimed when due.
   */
  urgentLeadMs?: number;
}

export interface JobRunner {
  /** Starts the loops (real time: sleeps use timers). Call once. */
  start(): void;
  /** Stops claiming, waits for the jobs in flight, unlistens. */
  stop(): Promise<void>;
  /** Runs every job due by the clock's now, then returns how many ran (completed or failed an attempt). */
  runDue(): Promise<number>;
}

type AfterCommit = () => void | Promise<void>;

type Outcome =
  /** Nothing claimable at `now` (the claim's clock). */
  | { type: 'idle'; now: Date }
  | { type: 'error' }
  | { type: 'done'; job: Job; latenessMs: number; durationMs: number; afterCommit: AfterCommit[] }
  | { type: 'retry'; job: Job; error: string; retryAt: Date }
  | { type: 'failed'; job: Job; error: string }
  | { type: 'batch'; outcomes: Outcome[] };

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { db, clock, handlers, listen } = options;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const pollMs = options.pollMs ?? POLL_MS;
  const arm =
    options.timer ??
    ((ms: number, fire: () => void) => {
      const t = setTimeout(fire, ms);
      return () => clearTimeout(t);
    });
  // At least 1 ms, so a failed job is never due again at the same instant (a pinned test clock).
  const retryBaseMs = Math.max(1, options.retryBaseMs ?? 1000);
  const urgentKinds = options.urgentKinds ?? [];
  const lead = urgentKinds.length ? Math.max(0, options.urgentLeadMs ?? 0) : 0;
  const logger = options.logger.child({ component: 'jobs', workerId });

  let started = false;
  let stopping = false;
  let loops: Promise<void>[] = [];
  let listening: Promise<{ unlisten(): Promise<void> } | undefined> | undefined;
  /** Counts notifications (and local retries); a nap that sees it move skips its sleep. */
  let wakeups = 0;
  let endNap: (() => void) | undefined;
  /** One nap shared by all idle loops: one look at the table per wake-up, not one per loop. */
  let napping: Promise<void> | undefined;

  /** Claims the earliest due job (with more of its kind when batched), runs it and completes it, in one transaction. */
  async function runOne(): Promise<Outcome> {
    let claimed: Job | undefined;
    try {
      const batch = await db.transaction(async (tx): Promise<Outcome[]> => {
        const claimedAt = clock();
        const urgent = urgentKinds.length ? await claim(tx, claimedAt, urgentKinds, 1, lead) : [];
        const [first] = urgent.length ? urgent : await claim(tx, claimedAt, undefined, 1);
        if (!first) return [{ type: 'idle', now: claimedAt }];
        claimed = first;
        // The rest of a batch in one claim: one scan of the due jobs, not one per job.
        const more = (options.batchSizes?.[first.kind] ?? 1) - 1;
        const claimedJobs =
          more > 0
            ? [first, ...(await claim(tx, claimedAt, [first.kind], more, urgent.length ? lead : 0))]
            : [first];
        const now = await dueTime(claimedJobs);
        const batchHandler = claimedJobs.length > 1 ? options.batchHandlers?.[first.kind] : undefined;
        if (batchHandler) {
          const together = await runBatch(tx, batchHandler, claimedJobs, now);
          if (together) return together;
        }
        const outcomes: Outcome[] = [];
        for (const job of claimedJobs) outcomes.push(await runClaimed(tx, job, now));
        return outcomes;
      });
      for (const outcome of batch) {
        report(outcome);
        if (outcome.type === 'done') await runAfterCommit(outcome);
      }
      return batch.length === 1 ? batch[0]! : { type: 'batch', outcomes: batch };
    } catch (err) {
      // Nothing committed: the job, if one was claimed, is pending and due again for any worker.
      const fields = claimed ? jobFields(claimed) : {};
      logger.warn({ ...fields, err: errorMessage(err) }, 'job transaction failed; the job stays pending');
      return { type: 'error' };
    }
  }

  /**
   * Takes the earliest due jobs (of these kinds, when given) with FOR UPDATE SKIP LOCKED. Marked done
   * up front (it commits only with the handler's effects) so the key leaves the pending-key
   * index: a handler may schedule the next job under its own key. One statement fewer per job
   * also counts when thousands are due in the same second, so finished_at is the claim's now
   * (handlers are short).
   */
  async function claim(
    tx: Tx,
    now: Date,
    kinds: readonly string[] | undefined,
    limit: number,
    leadMs = 0,
  ): Promise<Job[]> {
    const next = tx
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        and(
          isPending,
          lte(jobs.runAt, new Date(now.getTime() + leadMs)),
          kinds ? inArray(jobs.kind, [...kinds]) : undefined,
        ),
      )
      .orderBy(asc(jobs.runAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    const rows = await tx
      .update(jobs)
      // A job claimed ahead (urgentLeadMs) runs at its run_at: never finished before it.
      .set({
        status: 'done',
        lockedBy: workerId,
        finishedAt: sql`greatest(${now.toISOString()}::timestamptz, ${jobs.runAt})`,
      })
      .where(inArray(jobs.id, next))
      .returning();
    return rows
      .sort((a, b) => a.runAt.getTime() - b.runAt.getTime())
      .map((row) => ({ ...row, status: 'running', finishedAt: null }));
  }

  /**
   * The handlers' `now`: the clock once every claimed job is due. Jobs claimed ahead (urgentLeadMs)
   * are held until then, on the wake-up timer (a timer may fire a little early: it waits again).
   */
  async function dueTime(claimedJobs: Job[]): Promise<Date> {
    const dueAt = Math.max(...claimedJobs.map((j) => j.runAt.getTime()));
    for (;;) {
      const now = clock();
      if (now.getTime() >= dueAt) return now;
      await new Promise<void>((resolve) => arm(dueAt - now.getTime(), resolve));
    }
  }

  /** Runs a batch handler in one savepoint; null when it failed (the caller runs the jobs one by one). */
  async function runBatch(
    tx: Tx,
    handler: BatchJobHandler,
    batch: Job[],
    now: Date,
  ): Promise<Outcome[] | null> {
    const started = performance.now();
    const afterCommit: AfterCommit[] = [];
    try {
      await tx.transaction((handlerTx) =>
        handler(batch, { tx: handlerTx, now, afterCommit: (fn) => afterCommit.push(fn) }),
      );
    } catch (thrown) {
      logger.warn(
        { kind: batch[0]!.kind, size: batch.length, err: errorMessage(thrown) },
        'batch failed; running its jobs one by one',
      );
      return null;
    }
    const durationMs = Math.round(performance.now() - started);
    // The callbacks run once, with the first job's outcome; the others carry none.
    return batch.map((job, i) => ({
      type: 'done' as const,
      job,
      latenessMs: now.getTime() - job.runAt.getTime(),
      durationMs,
      afterCommit: i === 0 ? afterCommit : [],
    }));
  }

  /** Runs a claimed job's handler in a savepoint of the claim's transaction. */
  async function runClaimed(tx: Tx, job: Job, now: Date): Promise<Outcome> {
    const latenessMs = now.getTime() - job.runAt.getTime();
    const handler = Object.hasOwn(handlers, job.kind) ? handlers[job.kind] : undefined;
    if (!handler) {
      // Retrying cannot help: this process has no code for it.
      const error = `no handler for job kind "${job.kind}" (worker ${workerId})`;
      await recordFailure(tx, job, now, error, true);
      return { type: 'failed', job, error };
    }
    logger.debug(jobFields(job, { latenessMs }), 'job started');
    const started = performance.now();
    const afterCommit: AfterCommit[] = [];
    try {
      // The handler runs in a savepoint: a failure undoes its effects but keeps the row lock,
      // so no other worker can run the job before its backoff is recorded. postgres.js fails
      // the savepoint when any statement in it failed, even one the handler caught (the
      // transaction is aborted then, and its COMMIT would silently roll back).
      await tx.transaction((handlerTx) =>
        handler(job, { tx: handlerTx, now, afterCommit: (fn) => afterCommit.push(fn) }),
      );
    } catch (thrown) {
      const error = errorMessage(thrown);
      if (await recordFailure(tx, job, now, error, false)) return { type: 'failed', job, error };
      return { type: 'retry', job, error, retryAt: nextRunAt(job, now) };
    }
    const durationMs = Math.round(performance.now() - started);
    return { type: 'done', job, latenessMs, durationMs, afterCommit };
  }

  async function runAfterCommit(outcome: Extract<Outcome, { type: 'done' }>) {
    for (const fn of outcome.afterCommit) {
      try {
        await fn();
      } catch (err) {
        logger.error(jobFields(outcome.job, { err: errorMessage(err) }), 'job after-commit callback failed');
      }
    }
  }

  function nextRunAt(job: Job, now: Date): Date {
    return new Date(now.getTime() + Math.min(MAX_BACKOFF_MS, retryBaseMs * 2 ** job.attempts));
  }

  /** Counts the failed attempt; returns true when the job has failed for good. */
  async function recordFailure(tx: Tx, job: Job, now: Date, error: string, permanent: boolean) {
    const attempts = job.attempts + 1;
    const failed = permanent || attempts >= job.maxAttempts;
    await tx
      .update(jobs)
      .set({
        status: failed ? 'failed' : 'pending',
        attempts,
        lastError: error.slice(0, MAX_ERROR_LENGTH),
        runAt: failed ? job.runAt : nextRunAt(job, now),
        finishedAt: failed ? now : null,
      })
      .where(eq(jobs.id, job.id));
    return failed;
  }

  /** Logged after the commit, so a line never claims what the database does not hold. */
  function report(outcome: Outcome) {
    switch (outcome.type) {
      case 'done':
        jobRuns.inc({ kind: outcome.job.kind, outcome: 'done' });
        jobLateness.observe({ kind: outcome.job.kind }, Math.max(0, outcome.latenessMs) / 1000);
        logger.info(
          jobFields(outcome.job, { latenessMs: outcome.latenessMs, durationMs: outcome.durationMs }),
          'job done',
        );
        break;
      case 'retry':
        jobRuns.inc({ kind: outcome.job.kind, outcome: 'retry' });
        logger.warn(
          jobFields(outcome.job, { error: outcome.error, retryAt: outcome.retryAt.toISOString() }),
          'job failed; will retry',
        );
        // The retry may be due before the current nap ends.
        wake();
        break;
      case 'failed':
        jobRuns.inc({ kind: outcome.job.kind, outcome: 'failed' });
        logger.error(jobFields(outcome.job, { error: outcome.error }), 'job failed for good');
        break;
    }
  }

  // --- the real-time loop -------------------------------------------------------------------

  function wake() {
    wakeups += 1;
    endNap?.();
  }

  /**
   * Sleeps until the earliest pending job is due (at most pollMs) or a wake-up. `since` is the
   * wake-up count when the caller's claim began: a job announced after that may have been
   * invisible to the claim, so the caller looks again at once. `claimedAt` is the clock of the
   * caller's claim that found nothing: every job due by then was either claimed or is locked by
   * another worker, so the next wake-up is for the earliest job due after it.
   */
  async function nap(since: number, claimedAt: Date): Promise<void> {
    if (wakeups !== since) return;
    napping ??= (async () => {
      const before = wakeups;
      const ms = await msUntilNextDue(claimedAt);
      // Announced during the query: the query may have missed it. Due already: claim it now.
      if (wakeups !== before || stopping || ms === 0) return;
      await new Promise<void>((resolve) => {
        const cancel = arm(ms, done);
        function done() {
          cancel();
          endNap = undefined;
          resolve();
        }
        endNap = done;
      });
    })().finally(() => {
      napping = undefined;
    });
    return napping;
  }

  /**
   * Time until the earliest pending job due after `after`, capped at pollMs; 0 when it is due
   * already. Jobs due by `after` are left out: the claim at `after` skipped them because another
   * worker holds them, and counting them would spin. Looking only past the look-up's own clock
   * instead (as this once did) missed a job that became due between the claim and the look-up,
   * and that job waited for the next poll: the closes ~500 ms late of issue 15.
   */
  async function msUntilNextDue(after: Date): Promise<number> {
    const earliest = async (kinds: SQL | undefined, past: Date) => {
      const [next] = await db
        .select({ runAt: jobs.runAt })
        .from(jobs)
        .where(and(isPending, gt(jobs.runAt, past), kinds))
        .orderBy(asc(jobs.runAt))
        .limit(1);
      return next?.runAt.getTime() ?? Number.POSITIVE_INFINITY;
    };
    try {
      // Urgent jobs are claimable `lead` before their run_at, so the claim at `after` skipped
      // (another worker holds them) those due by after + lead, and the wake-up for the next one
      // comes `lead` early.
      const wakeAt = lead
        ? Math.min(
            (await earliest(inArray(jobs.kind, [...urgentKinds]), new Date(after.getTime() + lead))) - lead,
            await earliest(notInArray(jobs.kind, [...urgentKinds]), after),
          )
        : await earliest(undefined, after);
      if (wakeAt === Number.POSITIVE_INFINITY) return pollMs;
      // +1 ms: a timer may fire a little early, and a job is due only once now >= run_at.
      return Math.min(pollMs, Math.max(0, wakeAt - clock().getTime() + 1));
    } catch (err) {
      logger.warn({ err: errorMessage(err) }, 'jobs: cannot read the next due time');
      return pollMs;
    }
  }

  async function loop() {
    while (!stopping) {
      const since = wakeups;
      const outcome = await runOne();
      // After a failed transaction, every job due now stays out of the count: no spin on it.
      if (outcome.type === 'idle') await nap(since, outcome.now);
      else if (outcome.type === 'error') await nap(since, clock());
    }
  }

  return {
    start() {
      if (started) throw new Error('job runner already started');
      started = true;
      listening = listen?.(JOBS_CHANNEL, wake).catch((err) => {
        logger.warn({ err: errorMessage(err) }, 'jobs: LISTEN failed; polling only');
        return undefined;
      });
      loops = Array.from({ length: concurrency }, () => loop());
      logger.info({ concurrency, pollMs }, 'job runner started');
    },

    async stop() {
      stopping = true;
      wake();
      await Promise.all(loops);
      const subscription = await listening;
      await subscription?.unlisten().catch(() => {});
      if (started) logger.info('job runner stopped');
    },

    async runDue() {
      const counts = await Promise.all(
        Array.from({ length: concurrency }, async () => {
          let ran = 0;
          for (;;) {
            const outcome = await runOne();
            if (outcome.type === 'idle' || outcome.type === 'error') return ran;
            ran += outcome.type === 'batch' ? outcome.outcomes.length : 1;
          }
        }),
      );
      return counts.reduce((a, b) => a + b, 0);
    },
  };
}

function jobFields(job: Job, extra: Record<string, unknown> = {}) {
  return { jobId: job.id, kind: job.kind, key: job.key, attempts: job.attempts, ...extra };
}

/** The database's own words first: drizzle wraps them in `cause` behind the whole query text. */
function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.cause.message} (${error.message})` : error.message;
}
