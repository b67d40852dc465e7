import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDb, type DbHandle } from '../../db/client';
import { type Job, jobs } from '../../db/schema/jobs';
import { systemClock } from '../../server/clock';
import { createJobRunner, type JobHandler } from '../../server/jobs/runner';
import {
  cancelJob,
  JOBS_CHANNEL,
  scheduleJob,
  scheduleJobs,
  wakeAfterCommit,
} from '../../server/jobs/schedule';
import { createTestDatabase } from '../support/db';
import { fakeClock } from '../support/fixtures';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
/** Other connection pools on the same database, as other processes would have. */
const pools: DbHandle[] = [];
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  db = await createTestDatabase();
  // Scratch table for the effects handlers write; no unique key, so a duplicate would show.
  await db.sql`create table job_effects (key text not null, worker text not null)`;
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await db.drop();
});
beforeEach(async () => {
  await db.sql`truncate jobs, job_effects`;
});

function pool(max = 5): DbHandle {
  const p = createDb(db.url, { max });
  pools.push(p);
  return p;
}

/** A pino logger whose lines are kept for assertions. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes one effect row through the job's transaction. */
const effect =
  (worker: string): JobHandler =>
  async (job, { tx }) => {
    await tx.execute(sql`insert into job_effects (key, worker) values (${job.key}, ${worker})`);
  };

async function jobRows(key: string): Promise<Job[]> {
  return db.db.select().from(jobs).where(eq(jobs.key, key)).orderBy(jobs.createdAt);
}

async function effects(): Promise<{ key: string; worker: string }[]> {
  return db.sql<{ key: string; worker: string }[]>`select key, worker from job_effects order by key`;
}

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe('timing with a pinned clock', () => {
  it('does not run a job before its time, and runs it once at its time', async () => {
    const time = fakeClock();
    const seen: { key: string; now: Date }[] = [];
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: silent,
      workerId: 'w1',
      handlers: {
        ping: async (job, { now }) => {
          seen.push({ key: job.key, now });
        },
      },
    });
    const runAt = at(time.clock(), 60_000);
    await scheduleJob(db.db, { kind: 'ping', key: 'ping:1', runAt });

    expect(await runner.runDue()).toBe(0);
    time.set(at(runAt, -1));
    expect(await runner.runDue()).toBe(0);
    time.set(runAt);
    expect(await runner.runDue()).toBe(1);
    expect(seen).toEqual([{ key: 'ping:1', now: runAt }]);
    expect(await runner.runDue()).toBe(0);

    const [row] = await jobRows('ping:1');
    expect(row).toMatchObject({ status: 'done', finishedAt: runAt, lockedBy: 'w1', attempts: 0 });
  });
});

describe('scheduling by key', () => {
  it('rescheduling moves run_at and payload without a second job; cancel stops it', async () => {
    const time = fakeClock();
    const payloads: unknown[] = [];
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: silent,
      handlers: {
        end: async (job) => {
          payloads.push(job.payload);
        },
      },
    });
    const t0 = time.clock();
    await scheduleJob(db.db, { kind: 'end', key: 'listing:1:end', runAt: at(t0, 10_000), payload: { n: 1 } });
    await scheduleJob(db.db, { kind: 'end', key: 'listing:1:end', runAt: at(t0, 20_000), payload: { n: 2 } });
    const rows = await jobRows('listing:1:end');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ runAt: at(t0, 20_000), payload: { n: 2 }, status: 'pending' });

    time.set(at(t0, 10_000));
    expect(await runner.runDue()).toBe(0);
    time.set(at(t0, 20_000));
    expect(await runner.runDue()).toBe(1);
    expect(payloads).toEqual([{ n: 2 }]);

    // The key is free again once the job is done: scheduling it makes a new job.
    await scheduleJob(db.db, { kind: 'end', key: 'listing:1:end', runAt: at(t0, 30_000) });
    expect((await jobRows('listing:1:end')).map((j) => j.status)).toEqual(['done', 'pending']);

    expect(await cancelJob(db.db, 'listing:1:end')).toBe(true);
    expect(await cancelJob(db.db, 'listing:1:end')).toBe(false);
    expect(await cancelJob(db.db, 'no-such-key')).toBe(false);
    time.set(at(t0, 60_000));
    expect(await runner.runDue()).toBe(0);
    expect(payloads).toHaveLength(1);
    expect((await jobRows('listing:1:end')).map((j) => j.status)).toEqual(['done', 'cancelled']);
  });

  it("exists exactly when the caller's transaction commits", async () => {
    const runAt = new Date('2026-03-01T03:00:00Z');
    await db.db
      .transaction(async (tx) => {
        await scheduleJob(tx, { kind: 'end', key: 'rolled-back', runAt });
        tx.rollback();
      })
      .catch(() => {});
    expect(await jobRows('rolled-back')).toHaveLength(0);
    await db.db.transaction((tx) => scheduleJob(tx, { kind: 'end', key: 'committed', runAt }));
    expect(await jobRows('committed')).toHaveLength(1);
  });

  it('a handler may schedule the next job under its own key', async () => {
    const time = fakeClock();
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: silent,
      handlers: {
        tick: async (job, { tx, now }) => {
          await scheduleJob(tx, { kind: 'tick', key: job.key, runAt: at(now, 60_000) });
        },
      },
    });
    await scheduleJob(db.db, { kind: 'tick', key: 'tick', runAt: time.clock() });
    expect(await runner.runDue()).toBe(1);
    const rows = await jobRows('tick');
    expect(rows.map((j) => [j.status, j.runAt])).toEqual([
      ['done', time.clock()],
      ['pending', at(time.clock(), 60_000)],
    ]);
  });
});

describe('after-commit callbacks', () => {
  it('run once the job has committed, and never for a failed attempt', async () => {
    const time = fakeClock();
    const seen: string[] = [];
    // Another connection, opened beforehand, so a callback run too early reads at once.
    const observer = pool(1);
    await observer.sql`select 1`;
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: silent,
      handlers: {
        announce: async (job, ctx) => {
          await effect('w')(job, ctx);
          ctx.afterCommit(async () => {
            // The job and its effect must be visible to everyone.
            const [row] = await observer.sql`
              select j.status, (select count(*)::int from job_effects e where e.key = j.key) as effects
              from jobs j where j.key = ${job.key}`;
            seen.push(`${job.key}:${row!.status}:${row!.effects}`);
          });
          // Time enough for a callback run too early to see the uncommitted state.
          await sleep(50);
          if (job.payload.fail) throw new Error('no');
        },
      },
    });
    await scheduleJob(db.db, { kind: 'announce', key: 'ok', runAt: time.clock() });
    await scheduleJob(db.db, { kind: 'announce', key: 'bad', runAt: time.clock(), payload: { fail: true } });
    expect(await runner.runDue()).toBe(2);
    expect(seen).toEqual(['ok:done:1']);
  });
});

describe('exactly once', () => {
  it('300 due jobs, 3 runners of 4 loops each: every job runs once', async () => {
    const time = fakeClock();
    const keys = Array.from({ length: 300 }, (_, i) => `once:${String(i).padStart(3, '0')}`);
    await db.db.transaction(async (tx) => {
      for (const key of keys) await scheduleJob(tx, { kind: 'once', key, runAt: time.clock() });
    });
    let calls = 0;
    const runners = ['r1', 'r2', 'r3'].map((worker) =>
      createJobRunner({
        db: pool(5).db,
        clock: time.clock,
        logger: silent,
        workerId: worker,
        concurrency: 4,
        handlers: {
          once: async (job, ctx) => {
            calls += 1;
            await effect(worker)(job, ctx);
            // Hold the lock a moment so the runners truly overlap.
            await sleep(1);
          },
        },
      }),
    );
    const counts = await Promise.all(runners.map((r) => r.runDue()));

    expect(counts.reduce((a, b) => a + b, 0)).toBe(300);
    expect(calls).toBe(300);
    const rows = await effects();
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.key))).toEqual(new Set(keys));
    // The test proves nothing unless the runners competed.
    expect(new Set(rows.map((r) => r.worker)).size).toBeGreaterThan(1);
    const statuses = await db.sql`select status, count(*)::int as n from jobs group by status`;
    expect(statuses).toEqual([{ status: 'done', n: 300 }]);
  }, 60_000); // a cap for a loaded CI machine, not a timing assertion
});

describe('failures', () => {
  it("a failed attempt rolls back the handler's effects and retries with backoff", async () => {
    const time = fakeClock();
    const t0 = time.clock();
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: silent,
      retryBaseMs: 1000,
      handlers: {
        flaky: async (job, ctx) => {
          await effect('w')(job, ctx);
          if (job.attempts < 2) throw new Error(`boom ${job.attempts}`);
        },
      },
    });
    await scheduleJob(db.db, { kind: 'flaky', key: 'flaky', runAt: t0 });

    expect(await runner.runDue()).toBe(1);
    expect(await effects()).toEqual([]);
    expect((await jobRows('flaky'))[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'boom 0',
      runAt: at(t0, 1000),
      finishedAt: null,
    });
    expect(await runner.runDue()).toBe(0);

    time.set(at(t0, 1000));
    expect(await runner.runDue()).toBe(1);
    // Doubled: 2 s after the second attempt.
    expect((await jobRows('flaky'))[0]).toMatchObject({
      attempts: 2,
      lastError: 'boom 1',
      runAt: at(t0, 3000),
    });
    time.set(at(t0, 2999));
    expect(await runner.runDue()).toBe(0);

    time.set(at(t0, 3000));
    expect(await runner.runDue()).toBe(1);
    expect(await effects()).toEqual([{ key: 'flaky', worker: 'w' }]);
    expect((await jobRows('flaky'))[0]).toMatchObject({
      status: 'done',
      attempts: 2,
      finishedAt: at(t0, 3000),
    });
  });

  it('fails for good after maxAttempts, logged at error level with the message truncated', async () => {
    const time = fakeClock();
    const t0 = time.clock();
    const { logger, lines } = capturingLogger();
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger,
      retryBaseMs: 1000,
      handlers: {
        broken: async () => {
          throw new Error(`broken ${'x'.repeat(5000)}`);
        },
      },
    });
    await scheduleJob(db.db, { kind: 'broken', key: 'broken', runAt: t0, maxAttempts: 3 });
    expect(await runner.runDue()).toBe(1);
    time.set(at(t0, 1000));
    expect(await runner.runDue()).toBe(1);
    time.set(at(t0, 3000));
    expect(await runner.runDue()).toBe(1);
    time.set(at(t0, 3_600_000));
    expect(await runner.runDue()).toBe(0);

    const [row] = await jobRows('broken');
    expect(row).toMatchObject({ status: 'failed', attempts: 3, finishedAt: at(t0, 3000) });
    expect(row!.lastError).toMatch(/^broken x+$/);
    expect(row!.lastError!.length).toBeLessThanOrEqual(1000);
    expect(lines.filter((l) => l.key === 'broken').map((l) => [l.level, l.msg])).toEqual([
      [20, 'job started'],
      [40, 'job failed; will retry'],
      [20, 'job started'],
      [40, 'job failed; will retry'],
      [20, 'job started'],
      [50, 'job failed for good'],
    ]);
  });

  it('a job of an unknown kind fails at once with a clear error', async () => {
    const time = fakeClock();
    const runner = createJobRunner({ db: db.db, clock: time.clock, logger: silent, handlers: {} });
    await scheduleJob(db.db, { kind: 'nobody-handles-this', key: 'orphan', runAt: time.clock() });
    expect(await runner.runDue()).toBe(1);
    const [row] = await jobRows('orphan');
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.lastError).toContain('no handler for job kind "nobody-handles-this"');
  });

  it('a failed SQL statement fails the attempt, even one the handler caught', async () => {
    const time = fakeClock();
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: silent,
      handlers: {
        sloppy: async (job, ctx) => {
          await effect('w')(job, ctx);
          await ctx.tx.execute(sql`select 1 / 0`).catch(() => {});
        },
      },
    });
    await scheduleJob(db.db, { kind: 'sloppy', key: 'sloppy', runAt: time.clock() });
    expect(await runner.runDue()).toBe(1);
    expect(await effects()).toEqual([]);
    const [row] = await jobRows('sloppy');
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.lastError).toBe('division by zero');
  });
});

describe('restarts and crashes', () => {
  it('a job scheduled before a restart runs once, at its time, in the new process', async () => {
    const ran: { worker: string; at: number }[] = [];
    const handlers = (worker: string): Record<string, JobHandler> => ({
      later: async () => {
        ran.push({ worker, at: Date.now() });
      },
    });
    const runAt = new Date(Date.now() + 800);
    await scheduleJob(db.db, { kind: 'later', key: 'later', runAt });

    const a = createJobRunner({
      db: pool().db,
      clock: systemClock,
      logger: silent,
      workerId: 'A',
      pollMs: 100,
      handlers: handlers('A'),
    });
    a.start();
    await sleep(200);
    await a.stop();
    expect((await jobRows('later'))[0]!.status).toBe('pending');

    const b = createJobRunner({
      db: pool().db,
      clock: systemClock,
      logger: silent,
      workerId: 'B',
      pollMs: 100,
      handlers: handlers('B'),
    });
    b.start();
    try {
      await vi.waitFor(() => expect(ran).toHaveLength(1), { timeout: 5000, interval: 20 });
    } finally {
      await b.stop();
    }
    expect(ran[0]!.worker).toBe('B');
    expect(ran[0]!.at).toBeGreaterThanOrEqual(runAt.getTime());
    expect((await jobRows('later'))[0]).toMatchObject({ status: 'done', lockedBy: 'B' });
  });

  it('a runner killed mid-handler leaves the job pending, with no effects, for another runner', async () => {
    const time = fakeClock();
    const pid = deferred<number>();
    const a = createJobRunner({
      db: pool().db,
      clock: time.clock,
      logger: silent,
      workerId: 'A',
      concurrency: 1,
      handlers: {
        deadline: async (job, ctx) => {
          await effect('A')(job, ctx);
          const [me] = await ctx.tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
          pid.resolve(me!.pid);
          // A killed process never comes back: the handler never resumes. (Resuming on the dead
          // connection would also trip a postgres.js 3.4.9 bug, porsager/postgres#1208.)
          await new Promise(() => {});
        },
      },
    });
    await scheduleJob(db.db, { kind: 'deadline', key: 'deadline', runAt: time.clock() });

    const runningA = a.runDue();
    // The process dies: its connection, and the transaction with the job's lock, go away.
    await db.sql`select pg_terminate_backend(${await pid.promise})`;
    expect(await runningA).toBe(0);
    expect(await effects()).toEqual([]);
    expect((await jobRows('deadline'))[0]).toMatchObject({ status: 'pending', attempts: 0 });

    const b = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: silent,
      workerId: 'B',
      handlers: { deadline: effect('B') },
    });
    expect(await b.runDue()).toBe(1);
    expect(await effects()).toEqual([{ key: 'deadline', worker: 'B' }]);
    expect((await jobRows('deadline'))[0]).toMatchObject({ status: 'done', lockedBy: 'B' });
  });

  it('stop() waits for the jobs in flight', async () => {
    const entered = deferred();
    const gate = deferred();
    const runner = createJobRunner({
      db: db.db,
      clock: systemClock,
      logger: silent,
      handlers: {
        slow: async (job, ctx) => {
          entered.resolve();
          await gate.promise;
          await effect('w')(job, ctx);
        },
      },
    });
    await scheduleJob(db.db, { kind: 'slow', key: 'slow', runAt: new Date() });
    runner.start();
    await entered.promise;
    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    await sleep(50);
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(await effects()).toEqual([{ key: 'slow', worker: 'w' }]);
    expect((await jobRows('slow'))[0]!.status).toBe('done');
  });
});

describe('the real-time loop', () => {
  // pollMs is far longer than the waits below: the job runs on time only through the timer set
  // for the earliest run_at, or through the notification scheduleJob sends.
  const pollMs = 60_000;

  function realTimeRunner(listen?: Parameters<typeof createJobRunner>[0]['listen']) {
    const ran: { key: string; at: number; runAt: Date }[] = [];
    const { logger, lines } = capturingLogger();
    const runner = createJobRunner({
      db: db.db,
      clock: systemClock,
      logger,
      pollMs,
      listen,
      handlers: {
        timer: async (job) => {
          ran.push({ key: job.key, at: Date.now(), runAt: job.runAt });
        },
      },
    });
    return { runner, ran, lines };
  }

  async function expectRanOnTime(
    ran: { key: string; at: number; runAt: Date }[],
    lines: Record<string, unknown>[],
    key: string,
  ) {
    // The log line follows the commit, which follows the handler.
    const done = await vi.waitFor(
      () => {
        const line = lines.find((l) => l.msg === 'job done' && l.key === key);
        expect(line).toBeDefined();
        return line!;
      },
      { timeout: 5000, interval: 10 },
    );
    expect(ran.map((r) => r.key)).toEqual([key]);
    const { at: ranAt, runAt } = ran[0]!;
    expect(ranAt).toBeGreaterThanOrEqual(runAt.getTime());
    expect(ranAt - runAt.getTime()).toBeLessThan(5000);
    expect(done).toMatchObject({ kind: 'timer', latenessMs: expect.any(Number) });
    expect(done.latenessMs).toBeGreaterThanOrEqual(0);
    expect(done.latenessMs).toBeLessThan(5000);
  }

  it('wakes for the earliest pending job instead of waiting for the next poll', async () => {
    const { runner, ran, lines } = realTimeRunner();
    await scheduleJob(db.db, { kind: 'timer', key: 'timer:early', runAt: new Date(Date.now() + 300) });
    runner.start();
    try {
      await expectRanOnTime(ran, lines, 'timer:early');
    } finally {
      await runner.stop();
    }
  });

  it('is woken by a job scheduled from another connection (LISTEN/NOTIFY)', async () => {
    const listening = deferred();
    const { runner, ran, lines } = realTimeRunner(async (channel, onNotify) => {
      const subscription = await db.sql.listen(channel, onNotify);
      listening.resolve();
      return subscription;
    });
    runner.start();
    try {
      await listening.promise;
      // Let the runner find nothing and go to sleep for a whole pollMs.
      await sleep(100);
      const other = pool(1);
      await scheduleJob(other.db, {
        kind: 'timer',
        key: 'timer:notified',
        runAt: new Date(Date.now() + 300),
      });
      await expectRanOnTime(ran, lines, 'timer:notified');
    } finally {
      await runner.stop();
    }
  });
});

describe('NOTIFY only when it matters (a notifying commit waits for the others, ADR 005)', () => {
  it('announces a job due within a poll, not one due later; a caller may announce after its commit', async () => {
    const heard: string[] = [];
    const listener = pool(1);
    const subscriptions = await Promise.all(
      [JOBS_CHANNEL, 'outbox_enqueued'].map((c) => listener.sql.listen(c, () => heard.push(c))),
    );
    try {
      await scheduleJob(db.db, { kind: 'timer', key: 'timer:later', runAt: new Date(Date.now() + 60_000) });
      await scheduleJobs(db.db, [{ kind: 'timer', key: 'timer:quiet', runAt: new Date() }], {
        notify: 'never',
      });
      await scheduleJob(db.db, { kind: 'timer', key: 'timer:soon', runAt: new Date(Date.now() + 10) });
      // Notifications arrive in commit order: the third commit's is the first heard.
      await vi.waitFor(() => expect(heard).toEqual([JOBS_CHANNEL]));
      await wakeAfterCommit(db.db, [JOBS_CHANNEL, 'outbox_enqueued']);
      await vi.waitFor(() => expect(heard).toEqual([JOBS_CHANNEL, JOBS_CHANNEL, 'outbox_enqueued']));
    } finally {
      await Promise.all(subscriptions.map((s) => s.unlisten()));
    }
  });
});

describe('the wake-up timer (injected: no wall-clock assertions)', () => {
  /** A timer the test fires by hand; records every wake-up the runner arms. */
  function manualTimer() {
    const armed: { ms: number; fire: () => void; cancelled: boolean }[] = [];
    const changed: Array<() => void> = [];
    return {
      armed,
      timer: (ms: number, fire: () => void) => {
        const entry = { ms, fire, cancelled: false };
        armed.push(entry);
        for (const f of changed.splice(0)) f();
        return () => {
          entry.cancelled = true;
        };
      },
      /** Resolves at the next wake-up armed. */
      next() {
        return new Promise<void>((r) => changed.push(r));
      },
    };
  }

  type RunnerOptions = Parameters<typeof createJobRunner>[0];
  /** A runner on the test database that sleeps only through `timers` (the poll a minute away). */
  const timedRunner = (
    timers: ReturnType<typeof manualTimer>,
    opts: Pick<RunnerOptions, 'clock' | 'handlers'> & Partial<RunnerOptions>,
  ) =>
    createJobRunner({
      db: db.db,
      logger: silent,
      concurrency: 1,
      pollMs: 60_000,
      timer: timers.timer,
      ...opts,
    });

  it('arms the wake-up for the run_at of a job due between two polls, and runs it then', async () => {
    const time = fakeClock();
    const t0 = time.clock();
    const ran: Date[] = [];
    const timers = manualTimer();
    const runner = timedRunner(timers, {
      clock: time.clock,
      handlers: { ping: async (_job, { now }) => void ran.push(now) },
    });
    await scheduleJob(db.db, { kind: 'ping', key: 'ping:between', runAt: at(t0, 300) });
    const armed = timers.next();
    runner.start();
    try {
      await armed;
      // run_at - now + 1 (a timer may fire a hair early): not the 60 s poll.
      expect(timers.armed.map((a) => a.ms)).toEqual([301]);
      expect(ran).toEqual([]);
      time.set(at(t0, 301));
      const rearmed = timers.next();
      timers.armed[0]!.fire();
      await rearmed;
      expect(ran).toEqual([at(t0, 301)]);
      // Nothing pending any more: the next wake-up is the poll.
      expect(timers.armed.at(-1)!.ms).toBe(60_000);
    } finally {
      await runner.stop();
    }
  });

  it('claims an urgent job urgentLeadMs before it is due, holds it, and runs it at its time', async () => {
    const time = fakeClock();
    const t0 = time.clock();
    const ran: Date[] = [];
    const timers = manualTimer();
    const runner = timedRunner(timers, {
      clock: time.clock,
      urgentKinds: ['close'],
      urgentLeadMs: 100,
      handlers: { close: async (_job, { now }) => void ran.push(now) },
    });
    await scheduleJob(db.db, { kind: 'close', key: 'close:lead', runAt: at(t0, 300) });
    const armed = timers.next();
    runner.start();
    try {
      await armed;
      // The wake-up comes the lead early: 300 - 100 (+1, a timer may fire a hair early).
      expect(timers.armed.map((a) => a.ms)).toEqual([201]);
      time.set(at(t0, 201));
      const held = timers.next();
      timers.armed[0]!.fire();
      await held;
      // Claimed, and held until its time: not run 99 ms early.
      expect(timers.armed.at(-1)!.ms).toBe(99);
      expect(ran).toEqual([]);
      // Its row is locked: another runner skips it.
      const other = await db.sql`select id from jobs where key = 'close:lead' for update skip locked`;
      expect(other).toHaveLength(0);
      time.set(at(t0, 300));
      const after = timers.next();
      timers.armed.at(-1)!.fire();
      await after;
      expect(ran).toEqual([at(t0, 300)]);
      const [row] = await jobRows('close:lead');
      expect(row).toMatchObject({ status: 'done', finishedAt: at(t0, 300) });
    } finally {
      await runner.stop();
    }
  });

  it('claims at once a job that became due between its claim and its look-up of the next run_at', async () => {
    // The claim sees t0 (the job is 5 ms ahead); the look-up that follows sees t0 + 10 ms (the job
    // is due). It used to look only past its own clock, miss the job, and sleep a whole poll.
    const t0 = new Date('2026-03-01T02:00:00Z');
    let calls = 0;
    const clock = () => (++calls === 1 ? t0 : at(t0, 10));
    const ran = deferred<Date>();
    const timers = manualTimer();
    const runner = timedRunner(timers, {
      clock,
      handlers: { ping: async (_job, { now }) => ran.resolve(now) },
    });
    await scheduleJob(db.db, { kind: 'ping', key: 'ping:race', runAt: at(t0, 5) });
    runner.start();
    try {
      // Whichever comes first: the job runs, or the runner arms a wake-up (it must not before).
      const first = await Promise.race([ran.promise, timers.next().then(() => 'armed' as const)]);
      expect(first).toEqual(at(t0, 10));
      expect(timers.armed).toEqual([]);
    } finally {
      await runner.stop();
    }
  });

  it('re-arms for a job another process schedules before the armed wake-up (NOTIFY)', async () => {
    const time = fakeClock();
    const t0 = time.clock();
    const timers = manualTimer();
    const listening = deferred();
    const runner = timedRunner(timers, {
      clock: time.clock,
      concurrency: 2,
      handlers: { ping: async () => {} },
      listen: async (channel, onNotify) => {
        const subscription = await db.sql.listen(channel, onNotify);
        listening.resolve();
        return subscription;
      },
    });
    const idle = timers.next();
    runner.start();
    try {
      await listening.promise;
      await idle;
      expect(timers.armed.at(-1)!.ms).toBe(60_000);
      const rearmed = timers.next();
      await scheduleJob(pool(1).db, { kind: 'ping', key: 'ping:notified', runAt: at(t0, 200) });
      await rearmed;
      expect(timers.armed.at(-2)!.cancelled).toBe(true);
      expect(timers.armed.at(-1)!.ms).toBe(201);
    } finally {
      await runner.stop();
    }
  });
});

describe('batches', () => {
  it('claims due jobs of a batched kind together; a failing one retries alone, the rest complete', async () => {
    const time = fakeClock(new Date('2026-05-01T00:00:00Z'));
    const txs = new Set<unknown>();
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: silent,
      concurrency: 1,
      batchSizes: { close: 10 },
      handlers: {
        close: async (job, { tx }) => {
          // Savepoints of one transaction report the same top-level transaction id.
          const rows = await tx.execute<{ xid: string }>(sql`select txid_current()::text as xid`);
          txs.add(rows[0]?.xid);
          if (job.key === 'close:3') throw new Error('boom');
          await tx.execute(sql`insert into job_effects (key, worker) values (${job.key}, 'batch')`);
        },
      },
    });
    for (let i = 1; i <= 5; i++)
      await scheduleJob(db.db, { kind: 'close', key: `close:${i}`, runAt: time.clock() });
    expect(await runner.runDue()).toBe(5);
    expect(txs.size).toBe(1); // one transaction, one commit
    const done = (await effects()).filter((e) => e.worker === 'batch').map((e) => e.key);
    expect(done).toEqual(['close:1', 'close:2', 'close:4', 'close:5']);
    const [failed] = await jobRows('close:3');
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastError: 'boom' });
  });
});

describe('urgent kinds', () => {
  it('are claimed before older due jobs of other kinds', async () => {
    const time = fakeClock(new Date('2026-06-01T00:00:00Z'));
    const order: string[] = [];
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: silent,
      concurrency: 1,
      urgentKinds: ['close'],
      handlers: {
        settle: async (job) => {
          order.push(job.key);
        },
        close: async (job) => {
          order.push(job.key);
        },
      },
    });
    const t0 = time.clock();
    await scheduleJob(db.db, { kind: 'settle', key: 'u:settle:1', runAt: at(t0, -2_000) });
    await scheduleJob(db.db, { kind: 'settle', key: 'u:settle:2', runAt: at(t0, -1_000) });
    await scheduleJob(db.db, { kind: 'close', key: 'u:close:1', runAt: t0 });
    expect(await runner.runDue()).toBe(3);
    expect(order).toEqual(['u:close:1', 'u:settle:1', 'u:settle:2']);
  });
});
