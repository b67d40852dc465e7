/**
 * Time moves a listing (ADR 005): the `listing.start` job takes an announced listing live at
 * its start, `listing.end` ends a live one at its current end (sold to the leading bid, art. 22,
 * or failed, 流拍), one at a time or set-based for a crowd. Idempotent: a late or repeated run
 * changes nothing twice. Status events go out after the runner's commit. Before it locks the
 * rows, a close waits for the bids that reached any server before its time and are still being
 * decided (art. 20: a bid's time is its arrival; ADR 008, "Arrival time"): one accepted then
 * extends the end, and the close comes back at the new end.
 */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type Listing, listings, listingTransitions } from '../../db/schema/auctions.js';
import { auditLog } from '../../db/schema/audit.js';
import { auctionEvents } from '../../db/schema/bidding.js';
import { scheduleJobs } from '../jobs/runner.js';
import { nextEntry } from './chain.js';
import type { ListingDeps, StatusChange } from './deps.js';
import { jobKey, LISTING_JOBS, scheduleTimer, transition } from './listing-lifecycle.js';

export async function startDue(deps: ListingDeps, tx: Tx, listingId: string, now: Date) {
  const [l] = await tx.select().from(listings).where(eq(listings.id, listingId)).for('update');
  if (l?.status !== 'announced' || l.startsAt > now) return null;
  const changed: StatusChange[] = [];
  await transition(deps, tx, changed, l, 'live', null);
  await scheduleTimer(tx, l.id, 'end', l.currentEndAt);
  return changed;
}

export async function endDue(deps: ListingDeps, tx: Tx, listingId: string, now: Date) {
  await deps.bidsSettledBefore?.([listingId], now);
  const [l] = await tx.select().from(listings).where(eq(listings.id, listingId)).for('update');
  if (l?.status !== 'live') return null;
  if (l.currentEndAt > now) {
    // Extended meanwhile (art. 20): come back at the new end.
    await scheduleTimer(tx, l.id, 'end', l.currentEndAt);
    return null;
  }
  const changed: StatusChange[] = [];
  // Sold to the leading bid (art. 22); no valid bid: failed (流拍), ready for a re-auction.
  const sold = l.leaderRegistrationId !== null && l.currentPriceFen !== null;
  await transition(deps, tx, changed, l, 'ended', null, {
    patch: { outcome: sold ? 'sold' : 'failed', endedAt: l.currentEndAt },
  });
  await deps.onClosed?.(tx, [{ listingId: l.id, result: resultOf(l) }], now);
  return changed;
}

/** Sold to the leading bid (art. 22), else failed (流拍). */
const resultOf = (l: Listing) =>
  l.leaderRegistrationId !== null && l.currentPriceFen !== null
    ? { winnerRegistrationId: l.leaderRegistrationId, priceFen: l.currentPriceFen }
    : null;

/**
 * endDue for many listings at once, set-based: a few statements for the whole batch (a
 * thousand auctions may end in the same second). The same effects as endDue on each: the
 * status, the public timeline, the audit entry and the log entry of every close, then the
 * settlement scheduled.
 */
export async function endDueBatch(deps: ListingDeps, tx: Tx, listingIds: string[], now: Date) {
  await deps.bidsSettledBefore?.(listingIds, now);
  const rows = await tx
    .select()
    .from(listings)
    .where(inArray(listings.id, listingIds))
    .orderBy(asc(listings.id))
    .for('update');
  const live = rows.filter((l) => l.status === 'live');
  // Extended meanwhile (art. 20): come back at the new end.
  const extended = live.filter((l) => l.currentEndAt > now);
  await scheduleJobs(
    tx,
    extended.map((l) => ({
      kind: LISTING_JOBS.end,
      key: jobKey(l.id, 'end'),
      runAt: l.currentEndAt,
      payload: { listingId: l.id },
    })),
  );
  const closing = live.filter((l) => l.currentEndAt <= now);
  if (closing.length === 0) return [];
  const at = deps.clock();
  const closes = closing.map((l) => {
    const outcome = resultOf(l) ? ('sold' as const) : ('failed' as const);
    const entry = nextEntry(l, 'status', at, {
      from: 'live',
      to: 'ended',
      outcome,
      currentEndAt: l.currentEndAt.toISOString(),
      reason: null,
    });
    return { l, outcome, entry };
  });
  await tx.execute(sql`
    update listings as l set status = 'ended', outcome = v.outcome::listing_outcome, ended_at = l.current_end_at,
      updated_at = ${at.toISOString()}::timestamptz, last_seq = v.seq, last_hash = v.hash
    from (values ${sql.join(
      closes.map((c) => sql`(${c.l.id}::uuid, ${c.outcome}, ${c.entry.seq}::int, ${c.entry.hash})`),
      sql`, `,
    )}) as v(id, outcome, seq, hash)
    where l.id = v.id and l.status = 'live'`);
  await tx.insert(listingTransitions).values(
    closes.map(({ l }) => ({
      listingId: l.id,
      from: 'live' as const,
      to: 'ended' as const,
      at,
      actorId: null,
      reason: null,
    })),
  );
  await tx.insert(auditLog).values(
    closes.map(({ l }) => ({
      actorId: null,
      action: 'listing.ended',
      entityType: 'listing',
      entityId: l.id,
      data: { from: 'live', to: 'ended' },
    })),
  );
  await tx.insert(auctionEvents).values(closes.map((c) => c.entry));
  await deps.onClosed?.(
    tx,
    closes.map(({ l }) => ({ listingId: l.id, result: resultOf(l) })),
    now,
  );
  return closes.map((c): StatusChange => ({ listingId: c.l.id, from: 'live', to: 'ended', event: c.entry }));
}

export type JobCtx = { tx: Tx; now: Date; afterCommit: (fn: () => void) => void };
const announce = (deps: ListingDeps, ctx: JobCtx, changed: StatusChange[] | null) => {
  if (changed)
    ctx.afterCommit(() => {
      for (const c of changed) deps.onStatusChanged?.(c);
    });
};

/** Set-based handlers for batches of the same jobs (see JobRunnerOptions.batchHandlers). */
export const batchJobHandlers = (deps: ListingDeps) => ({
  [LISTING_JOBS.end]: async (batch: Array<{ payload: Record<string, unknown> }>, ctx: JobCtx) =>
    announce(
      deps,
      ctx,
      await endDueBatch(
        deps,
        ctx.tx,
        batch.map((j) => String(j.payload.listingId)),
        ctx.now,
      ),
    ),
});

/** Job handlers for the runner; status events go out after the runner's commit. */
export const jobHandlers = (deps: ListingDeps) => ({
  [LISTING_JOBS.start]: async (job: { payload: Record<string, unknown> }, ctx: JobCtx) =>
    announce(deps, ctx, await startDue(deps, ctx.tx, String(job.payload.listingId), ctx.now)),
  [LISTING_JOBS.end]: async (job: { payload: Record<string, unknown> }, ctx: JobCtx) =>
    announce(deps, ctx, await endDue(deps, ctx.tx, String(job.payload.listingId), ctx.now)),
});
