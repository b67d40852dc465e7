/**
 * Time moves a listing (ADR 005): the `listing.start` job takes an announced listing live at
 * its start, `listing.end` ends a live one at its current end (sold to the leading bid, art. 22,
 * or failed, 流拍), one at a time or set-based for a crowd. Idempotent: a late or repeated run
 * changes nothing twice. Status events go out after the runner's commit. What follows a close
 * (the money, the last notices, a checkpoint) is a `listing.closed` job committed with it. Before it locks the
 * rows, a close waits for the bids that reached any server before its time and are still being
 * decided (art. 20: a bid's time is its arrival; ADR 008, "Arrival time"): one accepted then
 * extends the end, and the close comes back at the new end. A crowd's batch does not wait for
 * them: it closes the auctions without such bids and comes back for the others at once.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type Listing, listings, listingTransitions } from '../../db/schema/auctions.js';
import { auditLog } from '../../db/schema/audit.js';
import { auctionEvents } from '../../db/schema/bidding.js';
import { recordAudit } from '../audit/audit.js';
import { JOBS_CHANNEL, type Notify, scheduleJobs, wakeAfterCommit } from '../jobs/schedule.js';
import { notify } from '../notifications/service.js';
import { OUTBOX_CHANNEL } from '../outbox/events.js';
import { uuidArray } from '../sql-arrays.js';
import { nextEntry } from './chain.js';
import type { ListingDeps, StatusChange } from './deps.js';
import { jobKey, LISTING_JOBS, scheduleTimer, timerJob, transition } from './listing-lifecycle.js';
import { emitListingEvents } from './outbound.js';
import { CLOSING_FIELDS, compareStanding, loggedBid, type RecordDifference } from './record.js';

export async function startDue(deps: ListingDeps, tx: Tx, listingId: string, now: Date) {
  const [l] = await tx.select().from(listings).where(eq(listings.id, listingId)).for('update');
  if (l?.status !== 'announced' || l.startsAt > now) return null;
  const changed: StatusChange[] = [];
  await transition(deps, tx, changed, l, 'live', null);
  await scheduleTimer(tx, l.id, 'end', l.currentEndAt);
  return changed;
}

export async function endDue(deps: ListingDeps, tx: Tx, listingId: string, now: Date) {
  await settleArrivals(deps, tx, [listingId], now);
  const [l] = await tx.select().from(listings).where(eq(listings.id, listingId)).for('update');
  if (l?.status !== 'live') return null;
  if (l.currentEndAt > now) {
    // Extended meanwhile (art. 20): come back at the new end.
    await scheduleTimer(tx, l.id, 'end', l.currentEndAt);
    return null;
  }
  const changed: StatusChange[] = [];
  const [c] = await closingResults(tx, [l]);
  await transition(deps, tx, changed, l, 'ended', null, {
    patch: { outcome: c!.outcome, endedAt: l.currentEndAt, resultHeldAt: c!.held ? now : null },
  });
  await holdResults(deps, tx, [c!], now);
  await followClose(tx, [{ listingId: l.id, result: c!.result, held: c!.held }], now);
  return changed;
}

/**
 * Art. 20: a bid's time is its arrival. Waits, in every process, for the bids that reached a
 * server before each auction's end and are still being decided (ADR 008, "Arrival time"); one
 * accepted there moves the end, and when the new end has passed as well, the bids before it are
 * waited for in turn. Bids that arrived at or after the end are refused whatever the close
 * does, so it does not wait for them: in a last-second rush they are most of the traffic, and
 * waiting for them made a crowd's closes late (issue 15). Returns the ends as last read,
 * without locking the rows.
 */
async function settleArrivals(deps: ListingDeps, tx: Tx, listingIds: string[], now: Date) {
  const waited = new Map<string, number>();
  for (;;) {
    const ends = await readEnds(tx, listingIds);
    const byCutoff = new Map<number, string[]>();
    for (const l of ends) {
      const cutoff = Math.min(now.getTime(), l.currentEndAt.getTime());
      if (l.status !== 'live' || (waited.get(l.id) ?? Number.NEGATIVE_INFINITY) >= cutoff) continue;
      waited.set(l.id, cutoff);
      byCutoff.set(cutoff, [...(byCutoff.get(cutoff) ?? []), l.id]);
    }
    if (byCutoff.size === 0 || !deps.bidsSettledBefore) return ends;
    await Promise.all([...byCutoff].map(([cutoff, ids]) => deps.bidsSettledBefore!(ids, new Date(cutoff))));
  }
}

/** One array parameter, whatever the batch's size (sql-arrays.ts). */
const idIn = (ids: readonly string[]) => sql`${listings.id} = any(${uuidArray(ids)})`;

/** Each listing's status and current end, read without locking its row. */
const readEnds = (tx: Tx, listingIds: string[]) =>
  tx
    .select({ id: listings.id, status: listings.status, currentEndAt: listings.currentEndAt })
    .from(listings)
    .where(idIn(listingIds));

type Closing = {
  l: Listing;
  outcome: 'sold' | 'failed';
  result: { winnerRegistrationId: string; priceFen: bigint } | null;
  /** The columns disagreed with the log: nothing is settled, the court decides (art. 31). */
  held: boolean;
  differences: RecordDifference[];
};

/**
 * The result of each auction from its log (ADR 013): sold to the last accepted bid at its
 * amount (art. 22: the code names the registration, codes are unique per listing), else failed
 * (流拍). Held when the listing's columns (price, leader, log head) disagree with the log: a
 * wrong winner must never be settled in silence. One statement for the whole batch.
 */
async function closingResults(tx: Tx, ls: Listing[]): Promise<Closing[]> {
  if (ls.length === 0) return [];
  const rows = (await tx.execute(sql`
    select l.id, lr.code as leader_code, b.seq as bid_seq, b.payload as bid, r.id as winner,
      t.seq as last_seq, t.hash as last_hash
    from listings l
    left join registrations lr on lr.id = l.leader_registration_id and lr.listing_id = l.id
    left join lateral (select seq, payload from auction_events e
      where e.listing_id = l.id and e.type = 'bid' order by e.seq desc limit 1) b on true
    left join registrations r on r.listing_id = l.id and r.code = b.payload->>'code'
    left join lateral (select seq, hash from auction_events e
      where e.listing_id = l.id order by e.seq desc limit 1) t on true
    where l.id = any(${uuidArray(ls.map((l) => l.id))})`)) as unknown as Array<{
    id: string;
    leader_code: string | null;
    bid_seq: number | null;
    bid: Record<string, unknown> | null;
    winner: string | null;
    last_seq: number | null;
    last_hash: string | null;
  }>;
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ls.map((l) => {
    const r = byId.get(l.id)!;
    const bid =
      r.bid_seq === null ? null : loggedBid({ seq: r.bid_seq, at: l.currentEndAt, payload: r.bid! });
    const differences = compareStanding(
      {
        currentPriceFen: bid?.amountFen ?? null,
        leaderCode: bid?.code ?? null,
        lastSeq: r.last_seq ?? 0,
        lastHash: r.last_hash,
      },
      {
        ...l,
        leaderCode: l.leaderRegistrationId === null ? null : (r.leader_code ?? '?'),
      },
      CLOSING_FIELDS,
    );
    const result =
      bid && r.winner && bid.amountFen !== null
        ? { winnerRegistrationId: r.winner, priceFen: bid.amountFen }
        : null;
    // A logged bid whose code names no registration of this auction cannot be settled either.
    const held = differences.length > 0 || (bid !== null && result === null);
    return { l, outcome: bid ? 'sold' : 'failed', result, held, differences };
  });
}

/** Refuses loudly: the error logged, the audit entry, the court told (art. 31: a data error). */
async function holdResults(deps: ListingDeps, tx: Tx, closings: Closing[], at: Date) {
  for (const c of closings.filter((x) => x.held)) {
    deps.logger?.error(
      { listingId: c.l.id, differences: c.differences },
      'closing: the listing disagrees with its log; its settlement is held for the court',
    );
    await recordAudit(tx, {
      actorId: null,
      action: 'listing.resultHeld',
      entityType: 'listing',
      entityId: c.l.id,
      data: { differences: c.differences },
    });
    await notify(tx, {
      organisationId: c.l.courtId,
      kind: 'resultHeld',
      params: { title: c.l.title },
      link: `/court/listings/${c.l.id}`,
      dedupeKey: `listing:${c.l.id}:resultHeld`,
      at,
    });
  }
}

/**
 * endDue for many listings at once, set-based: a few statements for the whole batch (a
 * thousand auctions may end in the same second). The same effects as endDue on each: the
 * status, the public timeline, the audit entry and the log entry of every close, then the
 * settlement scheduled.
 */
export async function endDueBatch(deps: ListingDeps, tx: Tx, listingIds: string[], now: Date) {
  // Most of a crowd's ends have moved (art. 20: every late bid extends): those only come back at
  // their new end, read without waiting for their rows, which hot auctions' rounds hold. A later
  // extension moves the end further and the job re-checks then.
  const isDue = (l: { status: string; currentEndAt: Date }) => l.status === 'live' && l.currentEndAt <= now;
  let ends = await readEnds(tx, listingIds);
  // Art. 20: the bids that reached a server before an end are decided before its close (ADR 008,
  // "Arrival time"). A batch does not wait for one auction's: those auctions come back in a
  // moment, and the others close now. A batch of only such auctions waits, as a lone close does.
  const due = ends.filter(isDue);
  const onTheirWay =
    due.length && deps.bidsUnsettledBefore
      ? await deps.bidsUnsettledBefore(due.map((l) => ({ listingId: l.id, cutoff: l.currentEndAt })))
      : new Set<string>();
  const later = onTheirWay.size < due.length ? onTheirWay : new Set<string>();
  if (onTheirWay.size > 0 && later.size === 0) ends = await settleArrivals(deps, tx, listingIds, now);
  // Only the auctions due now are locked, and checked again under the lock; the jobs that come
  // back are written in the same round trip.
  const closingNow = ends.filter((l) => isDue(l) && !later.has(l.id)).map((l) => l.id);
  const [rows] = await Promise.all([
    closingNow.length
      ? tx.select().from(listings).where(idIn(closingNow)).orderBy(asc(listings.id)).for('update')
      : Promise.resolve([]),
    scheduleJobs(tx, [
      ...ends
        .filter((l) => l.status === 'live' && l.currentEndAt > now)
        .map((l) => timerJob(l.id, 'end', l.currentEndAt)),
      ...[...later].map((id) => timerJob(id, 'end', now)),
    ]),
  ]);
  // Extended between the read and the lock: its job comes back at the new end.
  const live = rows.filter((l) => l.status === 'live');
  await scheduleJobs(
    tx,
    live.filter((l) => l.currentEndAt > now).map((l) => timerJob(l.id, 'end', l.currentEndAt)),
  );
  const closing = live.filter((l) => l.currentEndAt <= now);
  if (closing.length === 0) return [];
  const at = deps.clock();
  const closes = (await closingResults(tx, closing)).map((c) => {
    const entry = nextEntry(c.l, 'status', at, {
      from: 'live',
      to: 'ended',
      outcome: c.outcome,
      currentEndAt: c.l.currentEndAt.toISOString(),
      reason: null,
    });
    return { ...c, entry };
  });
  // The status, the public timeline, the audit entry and the log entry of every close in one
  // statement: on a busy server each round trip costs more than the writes.
  const values = JSON.stringify(
    closes.map((c) => ({
      id: c.l.id,
      outcome: c.outcome,
      held: c.held,
      seq: c.entry.seq,
      payload: c.entry.payload,
      prev_hash: c.entry.prevHash,
      hash: c.entry.hash,
    })),
  );
  const stamp = at.toISOString();
  // Four independent writes, sent together (one connection pipelines them): under a crowd's load
  // each round trip of the closing transaction costs tens of milliseconds (issue 15).
  const closed = tx.execute(sql`
    with v as (
      select * from jsonb_to_recordset(${values}::jsonb)
        as v(id uuid, outcome listing_outcome, held boolean, seq integer, payload jsonb, prev_hash text, hash text)
    ), closed as (
      update ${listings} as l set status = 'ended', outcome = v.outcome, ended_at = l.current_end_at,
        updated_at = ${stamp}::timestamptz, last_seq = v.seq, last_hash = v.hash,
        result_held_at = case when v.held then ${stamp}::timestamptz end
      from v where l.id = v.id and l.status = 'live'
    ), timeline as (
      insert into ${listingTransitions} (listing_id, "from", "to", at)
      select v.id, 'live', 'ended', ${stamp}::timestamptz from v
    ), audited as (
      insert into ${auditLog} (action, entity_type, entity_id, data)
      select 'listing.ended', 'listing', v.id::text, '{"from":"live","to":"ended"}'::jsonb from v
    )
    insert into ${auctionEvents} (listing_id, seq, type, at, payload, prev_hash, hash)
    select v.id, v.seq, 'status', ${stamp}::timestamptz, v.payload, v.prev_hash, v.hash from v`);
  // Written without NOTIFY: the batch handler wakes the dispatchers and runners after the
  // commit, so a crowd's closing commits never queue on PostgreSQL's notify lock (schedule.ts).
  const announced = emitListingEvents(
    tx,
    closes.map((c) => ({
      from: 'live' as const,
      l: { ...c.l, status: 'ended' as const, outcome: c.outcome, endedAt: c.l.currentEndAt },
    })),
    at,
    { notify: false },
  );
  await Promise.all([
    closed,
    announced,
    holdResults(deps, tx, closes, at),
    followClose(
      tx,
      closes.map((c) => ({ listingId: c.l.id, result: c.result, held: c.held })),
      now,
      'never',
    ),
  ]);
  return closes.map((c): StatusChange => ({ listingId: c.l.id, from: 'live', to: 'ended', event: c.entry }));
}

type Closed = Parameters<NonNullable<ListingDeps['onClosed']>>[1][number];

/**
 * What follows a close (deps.onClosed: the money, art. 23; the last bids' notices; a signed
 * checkpoint, art. 8), as a job committed with the close: durable like the close itself, and out
 * of its transaction, so a crowd's closes commit without waiting for that work (issue 15).
 */
async function followClose(tx: Tx, closings: Closed[], now: Date, notify?: Notify) {
  await scheduleJobs(
    tx,
    [
      {
        kind: LISTING_JOBS.closed,
        key: jobKey(closings[0]!.listingId, 'closed'),
        runAt: now,
        payload: {
          now: now.toISOString(),
          closings: closings.map(({ listingId, result, held }) => ({
            listingId,
            held: held ?? false,
            winnerRegistrationId: result?.winnerRegistrationId ?? null,
            priceFen: result?.priceFen.toString() ?? null,
          })),
        },
      },
    ],
    { notify },
  );
}

async function runFollowClose(deps: ListingDeps, tx: Tx, payload: Record<string, unknown>) {
  const closings = payload.closings as Array<{
    listingId: string;
    held: boolean;
    winnerRegistrationId: string | null;
    priceFen: string | null;
  }>;
  await deps.onClosed?.(
    tx,
    closings.map((c) => ({
      listingId: c.listingId,
      held: c.held,
      result:
        c.winnerRegistrationId === null
          ? null
          : { winnerRegistrationId: c.winnerRegistrationId, priceFen: BigInt(c.priceFen!) },
    })),
    new Date(String(payload.now)),
  );
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
  [LISTING_JOBS.end]: async (batch: Array<{ payload: Record<string, unknown> }>, ctx: JobCtx) => {
    const changed = await endDueBatch(
      deps,
      ctx.tx,
      batch.map((j) => String(j.payload.listingId)),
      ctx.now,
    );
    announce(deps, ctx, changed);
    // What endDueBatch wrote without NOTIFY (the follow-up job, the webhook events), announced.
    if (changed.length) ctx.afterCommit(() => wakeAfterCommit(deps.db, [JOBS_CHANNEL, OUTBOX_CHANNEL]));
  },
});

/** Job handlers for the runner; status events go out after the runner's commit. */
export const jobHandlers = (deps: ListingDeps) => ({
  [LISTING_JOBS.start]: async (job: { payload: Record<string, unknown> }, ctx: JobCtx) =>
    announce(deps, ctx, await startDue(deps, ctx.tx, String(job.payload.listingId), ctx.now)),
  [LISTING_JOBS.end]: async (job: { payload: Record<string, unknown> }, ctx: JobCtx) =>
    announce(deps, ctx, await endDue(deps, ctx.tx, String(job.payload.listingId), ctx.now)),
  [LISTING_JOBS.closed]: (job: { payload: Record<string, unknown> }, ctx: JobCtx) =>
    runFollowClose(deps, ctx.tx, job.payload),
});
