/**
 * The practice auction's use cases (ADR 033): start a session, read it, bid, set and cancel a
 * proxy, the events after a sequence number, the practice page's list, and the job that moves a
 * session on by itself. Each locks the session's row, catches it up to the server's time with
 * the pure engine (engine.ts), writes what changed to the practice tables only, (re)schedules
 * the `practice.advance` job at the moment it next changes by itself, and, after the commit,
 * hands the new log entries to `onEvents` (the owner's socket room).
 *
 * A session is its owner's alone: another user's id answers "not found", as if it did not exist.
 */
import { randomInt } from 'node:crypto';
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.js';
import {
  type PracticeScript,
  type PracticeSession,
  practiceBidRequests,
  practiceEvents,
  practiceSessions,
} from '../../db/schema/practice.js';
import { BidSchema, ProxySchema } from '../auctions/schemas.js';
import type { Clock } from '../clock.js';
import { isUniqueViolation, notFound } from '../errors.js';
import { type Actor, can, requirePermission } from '../identity/permissions.js';
import { cancelJob, scheduleJob } from '../jobs/schedule.js';
import { newBidderCode } from '../payments/rules.js';
import { isUuid, parseInput } from '../validation.js';
import {
  cancelProxy as cancelProxyAt,
  catchUp,
  nextDueAt,
  type PracticeAnswer,
  type PracticeEntry,
  type PracticeState,
  placeBid as placeBidAt,
  setProxy as setProxyAt,
} from './engine.js';
import { type PracticeClock, practiceTerms, scriptFor } from './rules.js';
import { type PracticeView, sessionView } from './views.js';

export interface PracticeDeps {
  db: Database;
  clock: Clock;
  /** The fast clock: the window, art. 20's extension at the practice factor, the scripted answer's delay. */
  practiceClock: PracticeClock;
  /** After the commit: a session's new log entries, for its owner's page. */
  onEvents?: (sessionId: string, events: PracticeEntry[]) => void;
}

export const PRACTICE_JOB = 'practice.advance';
/** What a job handler is given (server/jobs/runner.ts `JobContext`). */
type JobCtx = { tx: Tx; now: Date; afterCommit: (fn: () => void) => void };
const jobKey = (sessionId: string) => `practice:${sessionId}`;
/** Bids a page shows: the history keeps these, newest first. */
const HISTORY = 100;
/** A session locked by a user's own request when its job comes: the job looks again this much later. */
const BUSY_RETRY_MS = 250;

// ---- the row and the engine's state

const scriptOf = (s: PracticeScript) => ({
  moves: s.moves,
  bidders: s.bidders.map((b) => ({ code: b.code, maxFen: BigInt(b.maxFen) })),
});

function stateOf(row: PracticeSession): PracticeState {
  return {
    status: row.status,
    outcome: row.outcome,
    code: row.code,
    startingPriceFen: row.startingPriceFen,
    incrementFen: row.incrementFen,
    startsAt: row.startsAt,
    currentEndAt: row.currentEndAt,
    extensionMs: row.extensionMs,
    reactionMs: row.reactionMs,
    script: scriptOf(row.script),
    priceFen: row.priceFen,
    leaderCode: row.leaderCode,
    lastEventAt: row.lastEventAt,
    bidCount: row.bidCount,
    extensionCount: row.extensionCount,
    lastSeq: row.lastSeq,
    proxyMaxFen: row.proxyMaxFen,
    endedAt: row.endedAt,
  };
}

/** The session's row, locked, if it is this actor's; anyone else's (or none) is not found. */
async function lockOwn(tx: Tx, actor: Actor, sessionId: string) {
  if (!isUuid(sessionId)) throw notFound();
  const [row] = await tx
    .select()
    .from(practiceSessions)
    .where(and(eq(practiceSessions.id, sessionId), eq(practiceSessions.userId, actor.userId)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

/** Writes the moved state and its new entries, and the job at the session's next change. */
async function save(tx: Tx, id: string, s: PracticeState, events: readonly PracticeEntry[]) {
  await tx
    .update(practiceSessions)
    .set({
      status: s.status,
      outcome: s.outcome,
      currentEndAt: s.currentEndAt,
      priceFen: s.priceFen,
      leaderCode: s.leaderCode,
      bidCount: s.bidCount,
      extensionCount: s.extensionCount,
      lastSeq: s.lastSeq,
      lastEventAt: s.lastEventAt,
      proxyMaxFen: s.proxyMaxFen,
      endedAt: s.endedAt,
    })
    .where(eq(practiceSessions.id, id));
  if (events.length)
    await tx
      .insert(practiceEvents)
      .values(events.map((e) => ({ sessionId: id, seq: e.seq, type: e.type, at: e.at, payload: e.payload })));
  const due = nextDueAt(s);
  if (due)
    await scheduleJob(tx, { kind: PRACTICE_JOB, key: jobKey(id), runAt: due, payload: { sessionId: id } });
  else await cancelJob(tx, jobKey(id));
}

async function recentOf(tx: Tx | Database, id: string): Promise<PracticeEntry[]> {
  const rows = await tx
    .select()
    .from(practiceEvents)
    .where(and(eq(practiceEvents.sessionId, id), eq(practiceEvents.type, 'bid')))
    .orderBy(desc(practiceEvents.seq))
    .limit(HISTORY);
  return rows.map((r) => ({ seq: r.seq, type: 'bid', at: r.at, payload: r.payload }));
}

/**
 * Runs `work` on the actor's own session, locked and caught up to the server's time, writes
 * what changed, and tells `onEvents` after the commit.
 */
async function withSession<T>(
  deps: PracticeDeps,
  actor: Actor | null,
  sessionId: string,
  work: (
    s: PracticeState,
    now: Date,
    tx: Tx,
    row: PracticeSession,
  ) => Promise<{ state: PracticeState; events: PracticeEntry[]; result: T; write?: boolean }>,
): Promise<T> {
  const me = requirePermission(actor, 'practice:auction');
  const { result, events } = await deps.db.transaction(async (tx) => {
    const row = await lockOwn(tx, me, sessionId);
    const r = await work(stateOf(row), deps.clock(), tx, row);
    if (r.events.length || r.write) await save(tx, row.id, r.state, r.events);
    return r;
  });
  if (events.length) deps.onEvents?.(sessionId, events);
  return result;
}

// ---- the use cases

/**
 * Starts the actor's practice session, or opens the one he has running (one at a time: the
 * partial unique index `practice_sessions_live_user_key`). No deposit, no registration: any
 * bidder account may practise, real name verified or not (ADR 033).
 */
export async function start(deps: PracticeDeps, actor: Actor | null) {
  const me = requirePermission(actor, 'practice:auction');
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await deps.db.transaction(async (tx) => {
        const now = deps.clock();
        const [running] = await tx
          .select()
          .from(practiceSessions)
          .where(and(eq(practiceSessions.userId, me.userId), eq(practiceSessions.status, 'live')))
          .for('update');
        let caughtUp: { id: string; events: PracticeEntry[] } | null = null;
        if (running) {
          const { state, events } = catchUp(stateOf(running), now);
          if (events.length) await save(tx, running.id, state, events);
          caughtUp = { id: running.id, events };
          if (state.status === 'live') return { sessionId: running.id, created: false, caughtUp };
          // It ended meanwhile: a new one starts.
        }
        const id = await insertSession(deps, tx, me.userId, now);
        return { sessionId: id, created: true, caughtUp };
      });
      if (out.caughtUp?.events.length) deps.onEvents?.(out.caughtUp.id, out.caughtUp.events);
      return { sessionId: out.sessionId, created: out.created };
    } catch (err) {
      // Two starts at once: the second finds the first's session on its next try.
      if (attempt < 2 && isUniqueViolation(err, 'practice_sessions_live_user_key')) continue;
      throw err;
    }
  }
}

/** A new session from now: the lot, the clock, three distinct codes and the scripted bidders. */
async function insertSession(deps: PracticeDeps, tx: Tx, userId: string, now: Date) {
  const terms = practiceTerms();
  const [mine, first, second] = distinctCodes(3) as [string, string, string];
  const c = deps.practiceClock;
  const script = scriptFor(terms, c, [first, second], [randomInt(3), randomInt(3)]);
  const endsAt = new Date(now.getTime() + c.windowMs);
  const [row] = await tx
    .insert(practiceSessions)
    .values({
      userId,
      status: 'live',
      code: mine,
      ...terms,
      startsAt: now,
      endsAt,
      currentEndAt: endsAt,
      extensionMs: c.extensionMs,
      reactionMs: c.reactionMs,
      script: {
        moves: script.moves,
        bidders: script.bidders.map((b) => ({ code: b.code, maxFen: b.maxFen.toString() })),
      },
      createdAt: now,
    })
    .returning();
  const due = nextDueAt(stateOf(row!))!;
  await scheduleJob(tx, {
    kind: PRACTICE_JOB,
    key: jobKey(row!.id),
    runAt: due,
    payload: { sessionId: row!.id },
  });
  return row!.id;
}

/** Practice codes drawn like real ones (art. 18), distinct within the session. */
function distinctCodes(n: number): string[] {
  const codes = new Set<string>();
  while (codes.size < n) codes.add(newBidderCode());
  return [...codes];
}

/** The actor's session as its page shows it, caught up to now. */
export async function session(
  deps: PracticeDeps,
  actor: Actor | null,
  sessionId: string,
): Promise<PracticeView> {
  return withSession(deps, actor, sessionId, async (s, now, tx, row) => {
    const { state, events } = catchUp(s, now);
    // The entries just written are not read back by this transaction's select: add them.
    const recent = [
      ...[...events].reverse().filter((e) => e.type === 'bid'),
      ...(await recentOf(tx, row.id)),
    ];
    return { state, events, result: sessionView(row, state, recent.slice(0, HISTORY), now) };
  });
}

/**
 * The actor's bid on his session, at its arrival (`receivedAt`, stamped by the way in; now by
 * default). Idempotent on the client key: a retry gets the first answer and bids nothing more.
 */
export async function placeBid(
  deps: PracticeDeps,
  actor: Actor | null,
  sessionId: string,
  input: unknown,
  receivedAt?: Date,
): Promise<PracticeAnswer> {
  requirePermission(actor, 'practice:auction');
  const { amountFen, clientKey } = parseInput(BidSchema, input);
  return withSession(deps, actor, sessionId, async (s, now, tx, row) => {
    const [earlier] = await tx
      .select({ answer: practiceBidRequests.answer })
      .from(practiceBidRequests)
      .where(and(eq(practiceBidRequests.sessionId, row.id), eq(practiceBidRequests.clientKey, clientKey)));
    if (earlier) return { state: s, events: [], result: earlier.answer as PracticeAnswer };
    const r = placeBidAt(s, amountFen, receivedAt ?? now);
    await tx
      .insert(practiceBidRequests)
      .values({ sessionId: row.id, clientKey, answer: r.answer as Record<string, unknown>, createdAt: now });
    return { state: r.state, events: r.events, result: r.answer, write: true };
  });
}

/** Sets the actor's proxy maximum on his session (the real engine's floor and first step). */
export async function setProxy(
  deps: PracticeDeps,
  actor: Actor | null,
  sessionId: string,
  input: unknown,
  receivedAt?: Date,
) {
  requirePermission(actor, 'practice:auction');
  const { maxFen } = parseInput(ProxySchema, input);
  return withSession(deps, actor, sessionId, async (s, now) => {
    const r = setProxyAt(s, maxFen, receivedAt ?? now);
    if (r.refusal) throw r.refusal;
    return {
      state: r.state,
      events: r.events,
      result: { maxFen: maxFen.toString(), bidsPlaced: r.bidsPlaced ?? 0 },
      write: true,
    };
  });
}

/** Stops the actor's proxy: it bids no more; its bids stand. Harmless to repeat. */
export async function cancelProxy(deps: PracticeDeps, actor: Actor | null, sessionId: string) {
  return withSession(deps, actor, sessionId, async (s, now) => {
    const r = cancelProxyAt(s, now);
    return { ...r, result: { cancelled: true as const }, write: true };
  });
}

/** The session's log after `afterSeq`, in order (at most 1000: repeat until fewer), for a reconnecting page. */
export async function eventsAfter(
  deps: PracticeDeps,
  actor: Actor | null,
  sessionId: string,
  afterSeq: number,
) {
  const me = requirePermission(actor, 'practice:auction');
  if (!isUuid(sessionId)) throw notFound();
  const [own] = await deps.db
    .select({ id: practiceSessions.id })
    .from(practiceSessions)
    .where(and(eq(practiceSessions.id, sessionId), eq(practiceSessions.userId, me.userId)));
  if (!own) throw notFound();
  const rows = await deps.db
    .select()
    .from(practiceEvents)
    .where(and(eq(practiceEvents.sessionId, sessionId), gt(practiceEvents.seq, afterSeq)))
    .orderBy(practiceEvents.seq)
    .limit(1000);
  return rows.map((r) => ({
    seq: r.seq,
    type: r.type as PracticeEntry['type'],
    at: r.at,
    payload: r.payload,
  }));
}

/**
 * The practice page: what the viewer may do (start, or continue his running session) and his
 * last sessions with their results. Anyone may read it; only a bidder account may practise.
 */
export async function practiceHome(deps: PracticeDeps, actor: Actor | null) {
  const c = deps.practiceClock;
  const terms = practiceTerms();
  const base = {
    clock: { windowMs: c.windowMs, extensionMs: c.extensionMs, reactionMs: c.reactionMs },
    lot: {
      startingPriceFen: terms.startingPriceFen.toString(),
      incrementFen: terms.incrementFen.toString(),
      depositFen: terms.depositFen.toString(),
    },
  };
  if (!actor || !can(actor, 'practice:auction'))
    return {
      ...base,
      can: { start: false, why: actor ? ('notBidder' as const) : ('signIn' as const) },
      running: null,
      sessions: [],
    };
  // His running session, caught up: one whose end has passed shows as ended here.
  const [running] = await deps.db
    .select({ id: practiceSessions.id })
    .from(practiceSessions)
    .where(and(eq(practiceSessions.userId, actor.userId), eq(practiceSessions.status, 'live')));
  let runningId: string | null = null;
  if (running) {
    const v = await session(deps, actor, running.id);
    runningId = v.status === 'live' ? v.sessionId : null;
  }
  const rows = await deps.db
    .select({
      id: practiceSessions.id,
      status: practiceSessions.status,
      outcome: practiceSessions.outcome,
      won: sql<boolean>`${practiceSessions.leaderCode} = ${practiceSessions.code}`,
      priceFen: practiceSessions.priceFen,
      bidCount: practiceSessions.bidCount,
      extensionCount: practiceSessions.extensionCount,
      startsAt: practiceSessions.startsAt,
    })
    .from(practiceSessions)
    .where(eq(practiceSessions.userId, actor.userId))
    .orderBy(desc(practiceSessions.createdAt))
    .limit(10);
  return {
    ...base,
    can: { start: true, why: null },
    running: runningId,
    sessions: rows.map((r) => ({
      id: r.id,
      status: r.status,
      result: r.status === 'live' ? null : r.outcome === 'failed' ? 'failed' : r.won ? 'won' : 'lost',
      priceFen: r.priceFen?.toString() ?? null,
      bidCount: r.bidCount,
      extensionCount: r.extensionCount,
      startsAt: r.startsAt.getTime(),
    })),
  };
}

/**
 * `practice.advance`: the session's next scripted bid or its end is due. A session its owner's
 * own request holds locked right now is looked at again a moment later (that request catches it
 * up too); waiting for the lock here could deadlock with that request's move of this very job.
 */
export function jobHandlers(deps: PracticeDeps) {
  return {
    [PRACTICE_JOB]: async (job: { payload: Record<string, unknown> }, ctx: JobCtx) => {
      const id = String(job.payload.sessionId ?? '');
      if (!isUuid(id)) return;
      const [row] = await ctx.tx
        .select()
        .from(practiceSessions)
        .where(eq(practiceSessions.id, id))
        .for('update', { skipLocked: true });
      if (!row) {
        const [exists] = await ctx.tx
          .select({ status: practiceSessions.status })
          .from(practiceSessions)
          .where(eq(practiceSessions.id, id));
        if (exists?.status === 'live')
          await scheduleJob(ctx.tx, {
            kind: PRACTICE_JOB,
            key: jobKey(id),
            runAt: new Date(ctx.now.getTime() + BUSY_RETRY_MS),
            payload: { sessionId: id },
          });
        return;
      }
      if (row.status !== 'live') return;
      const { state, events } = catchUp(stateOf(row), ctx.now);
      // Saved even without new entries: this job is done, and `save` schedules the next.
      await save(ctx.tx, id, state, events);
      if (events.length) ctx.afterCommit(() => deps.onEvents?.(id, events));
    },
  };
}
