/**
 * How a listing moves: the one `transition` every status change goes through (it checks the
 * state machine, rules.ts, on the locked row and writes the public timeline entry and the audit
 * entry in the same transaction), the durable timers that move it by time (ADR 005), and the
 * court's moves once it is published: suspend, resume, withdraw, amend.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  type Listing,
  type ListingStatus,
  listingAmendments,
  listings,
  listingTransitions,
} from '../../db/schema/auctions.js';
import { requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { cancelJob, type ScheduleJobInput, scheduleJob } from '../jobs/schedule.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import { badTransition, decideListingActions, type ListingAction } from './affordances.js';
import { appendEvent } from './chain.js';
import { inTx, type ListingDeps, type StatusChange } from './deps.js';
import { emitListingEvent } from './outbound.js';
import { canTransition } from './rules.js';
import { AMENDABLE, AmendSchema, ReasonSchema, ResumeSchema } from './schemas.js';

export const LISTING_JOBS = { start: 'listing.start', end: 'listing.end', closed: 'listing.closed' } as const;
export const jobKey = (id: string, what: keyof typeof LISTING_JOBS) => `listing:${id}:${what}`;

/** The job that is the listing's durable timer for `what`, due at `runAt`. */
export const timerJob = (id: string, what: 'start' | 'end', runAt: Date): ScheduleJobInput => ({
  kind: LISTING_JOBS[what],
  key: jobKey(id, what),
  runAt,
  payload: { listingId: id },
});

/** The listing's durable timer for `what` (one pending job per key: rescheduling moves it). */
export const scheduleTimer = (tx: Tx, id: string, what: 'start' | 'end', runAt: Date) =>
  scheduleJob(tx, timerJob(id, what, runAt));

export const cancelTimers = async (tx: Tx, id: string) => {
  await cancelJob(tx, jobKey(id, 'start'));
  await cancelJob(tx, jobKey(id, 'end'));
};
/** Status changes that enter the auction's public event log. */
const PUBLIC_EVENT_STATUSES = new Set<ListingStatus>([
  'live',
  'suspended',
  'ended',
  'withdrawn',
  'announced',
]);

/** The listing, locked, if it belongs to the actor's court. */
async function lockOwn(tx: Tx, actor: Actor, id: string): Promise<Listing> {
  const courtId = courtOf(actor);
  if (!isUuid(id)) throw notFound();
  const [row] = await tx
    .select()
    .from(listings)
    .where(and(eq(listings.id, id), eq(listings.courtId, courtId)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

/**
 * A court action on one of its listings, in one transaction: the row locked, then the same
 * decision the page was shown (decideListingActions), then `fn`. Status changes are announced
 * after the commit.
 */
export function actOn<T>(
  deps: ListingDeps,
  actor: Actor,
  id: string,
  action: ListingAction,
  fn: (tx: Tx, changed: StatusChange[], l: Listing) => Promise<T>,
): Promise<T> {
  return inTx(deps, async (tx, changed) => {
    const l = await lockOwn(tx, actor, id);
    requireAllowed(decideListingActions(actor, l), action);
    return fn(tx, changed, l);
  });
}

export async function transition(
  deps: ListingDeps,
  tx: Tx,
  changed: StatusChange[],
  listing: Listing,
  to: ListingStatus,
  actor: Actor | null,
  opts: { reason?: string | null; patch?: Partial<typeof listings.$inferInsert> } = {},
): Promise<Listing> {
  if (!canTransition(listing.status, to)) throw badTransition(listing.status, to);
  const now = deps.clock();
  const [updated] = await tx
    .update(listings)
    .set({ ...opts.patch, status: to, updatedAt: now, publicReason: opts.reason ?? listing.publicReason })
    .where(and(eq(listings.id, listing.id), eq(listings.status, listing.status)))
    .returning();
  if (!updated) throw new DomainError('conflict', 'errors.concurrentChange');
  await tx.insert(listingTransitions).values({
    listingId: listing.id,
    from: listing.status,
    to,
    at: now,
    actorId: actor?.userId ?? null,
    reason: opts.reason ?? null,
  });
  await recordAudit(tx, {
    actorId: actor?.userId ?? null,
    action: `listing.${to}`,
    entityType: 'listing',
    entityId: listing.id,
    data: { from: listing.status, to, reason: opts.reason ?? undefined },
  });
  let event: StatusChange['event'];
  if (PUBLIC_EVENT_STATUSES.has(to)) {
    // The auction's public log (chain.ts) carries status changes with the bids, in one sequence.
    event = await appendEvent(
      tx,
      { id: updated.id, lastSeq: listing.lastSeq, lastHash: listing.lastHash },
      'status',
      now,
      {
        from: listing.status,
        to,
        outcome: updated.outcome,
        currentEndAt: updated.currentEndAt.toISOString(),
        reason: opts.reason ?? null,
      },
    );
  }
  await emitListingEvent(tx, listing.status, updated, now);
  changed.push({ listingId: listing.id, from: listing.status, to, event });
  return updated;
}

/** 暂缓/中止 (art. 28): the clock stops; the public sees the reason. */
export async function suspend(deps: ListingDeps, actor: Actor, id: string, input: unknown) {
  requirePermission(actor, 'manage:listing');
  const { reason } = parseInput(ReasonSchema, input);
  return actOn(deps, actor, id, 'suspend', async (tx, changed, l) => {
    // Mid-bidding, the clock freezes: what was left is kept for the resumption (art. 28).
    const remaining =
      l.status === 'live' ? Math.max(0, l.currentEndAt.getTime() - deps.clock().getTime()) : null;
    const updated = await transition(deps, tx, changed, l, 'suspended', actor, {
      reason,
      patch: { suspendedFrom: l.status, remainingMsAtSuspension: remaining },
    });
    await cancelTimers(tx, l.id);
    return updated;
  });
}

/** Resumption with new times set by the court; live at once if bidding should already run. */
export async function resume(deps: ListingDeps, actor: Actor, id: string, input: unknown) {
  requirePermission(actor, 'manage:listing');
  const t = parseInput(ResumeSchema, input);
  return actOn(deps, actor, id, 'resume', async (tx, changed, l) => {
    const now = deps.clock();
    if (!t.startsAt || !t.endsAt) {
      // Continue with the time that was left when bidding was suspended.
      if (l.status !== 'suspended' || l.suspendedFrom !== 'live' || l.remainingMsAtSuspension === null)
        throw validationError({ startsAt: ['validation.required'], endsAt: ['validation.required'] });
      const currentEndAt = new Date(now.getTime() + l.remainingMsAtSuspension);
      const updated = await transition(deps, tx, changed, l, 'live', actor, {
        reason: t.reason ?? null,
        patch: { currentEndAt, suspendedFrom: null, remainingMsAtSuspension: null },
      });
      await scheduleTimer(tx, l.id, 'end', currentEndAt);
      return updated;
    }
    const errors: Record<string, string[]> = {};
    if (t.endsAt.getTime() - t.startsAt.getTime() < deps.profile.durations.biddingWindowMin)
      errors.endsAt = ['rules.windowUnder24h']; // art. 20
    if (t.endsAt <= now) errors.endsAt = [...(errors.endsAt ?? []), 'validation.inFuture'];
    if (Object.keys(errors).length) throw validationError(errors);
    const to: ListingStatus = t.startsAt <= now ? 'live' : 'announced';
    const updated = await transition(deps, tx, changed, l, to, actor, {
      reason: t.reason ?? null,
      patch: {
        startsAt: t.startsAt,
        endsAt: t.endsAt,
        currentEndAt: t.endsAt,
        suspendedFrom: null,
        remainingMsAtSuspension: null,
      },
    });
    if (to === 'announced') await scheduleTimer(tx, l.id, 'start', t.startsAt);
    else await scheduleTimer(tx, l.id, 'end', t.endsAt);
    return updated;
  });
}

/** 撤回: ends the listing for good (e.g. the debtor paid in full). */
export async function withdraw(deps: ListingDeps, actor: Actor, id: string, input: unknown) {
  requirePermission(actor, 'manage:listing');
  const { reason } = parseInput(ReasonSchema, input);
  return actOn(deps, actor, id, 'withdraw', async (tx, changed, l) => {
    const updated = await transition(deps, tx, changed, l, 'withdrawn', actor, {
      reason,
      patch: { endedAt: deps.clock() },
    });
    await cancelTimers(tx, l.id);
    await deps.onClosed?.(tx, [{ listingId: l.id, result: null }], deps.clock());
    return updated;
  });
}

/** A published announcement changes only through a published amendment, which stays visible. */
export async function amend(deps: ListingDeps, actor: Actor, id: string, input: unknown) {
  requirePermission(actor, 'manage:listing');
  const data = parseInput(AmendSchema, input);
  return actOn(deps, actor, id, 'amend', async (tx, _changed, l) => {
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const patch: Partial<Listing> = {};
    for (const f of AMENDABLE) {
      const v = data[f];
      if (v !== undefined && v !== '' && v !== l[f]) {
        changes[f] = { from: l[f], to: v };
        patch[f] = v;
      }
    }
    const now = deps.clock();
    await tx
      .update(listings)
      .set({ ...patch, updatedAt: now })
      .where(eq(listings.id, l.id));
    const [a] = await tx
      .insert(listingAmendments)
      .values({ listingId: l.id, publishedAt: now, text: data.text, changes, actorId: actor.userId })
      .returning();
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'listing.amended',
      entityType: 'listing',
      entityId: l.id,
      data: { changes },
    });
    return a!;
  });
}
