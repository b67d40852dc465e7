/**
 * The reminders of an auction a person watches (ADR 025, 027): he registered for it or follows it
 * (关注). That it started, that it ends in N minutes (his choice), and, read from the accepted
 * bids, that he was outbid and that the end was extended. The start and ending-soon reminders are
 * one pair of durable jobs per person and auction, whichever way he watches it (registered and
 * following is still one reminder of each); the notices go through notify() like any other.
 */
import { and, asc, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { follows, listings, registrations } from '../../db/schema/auctions.js';
import { bids } from '../../db/schema/bidding.js';
import { jobs } from '../../db/schema/jobs.js';
import { notificationCursors, notificationSettings } from '../../db/schema/notifications.js';
import { cancelJob, isPending, scheduleJob, scheduleJobIfAbsent, scheduleJobs } from '../jobs/schedule.js';
import { notify } from './notify.js';
import { beijingTime, endingSoonAt, reminderMinutes, yuan } from './rules.js';

export const REMINDER_JOBS = {
  starting: 'notification.starting',
  endingSoon: 'notification.ending_soon',
  bids: 'notification.bids',
} as const;

/** One person watching one auction: the subject of a start and an ending-soon reminder. */
export interface Watch {
  userId: string;
  listingId: string;
}

export const startingKey = (w: Watch) => `notification:watch:${w.listingId}:${w.userId}:starting`;
export const endingSoonKey = (w: Watch) => `notification:watch:${w.listingId}:${w.userId}:ending`;
export const bidsKey = (listingId: string) => `notification:listing:${listingId}:bids`;
/**
 * The closing's own last read of the bids, under a key of its own: scheduled under bidsKey it
 * would wait, holding the closing's listing locks, on a bids read a runner has claimed, which
 * itself waits on one of those listings (its cursor's foreign key): a deadlock PostgreSQL
 * breaks only after deadlock_timeout (1 s) — a close that late. Two reads of one auction
 * serialise on its cursor row; the second finds nothing new.
 */
export const closedBidsKey = (listingId: string) => `notification:listing:${listingId}:bids:closed`;

/** The bids scan is nudged at most this often per auction: outbid notices of a burst come as one. */
const BIDS_COALESCE_MS = 1000;
const MINUTE = 60_000;
const OPEN = ['announced', 'live', 'suspended'] as const;

/** His N for this auction (rules.ts reminderMinutes): his choice on the follow, else his default. */
async function minutesOf(db: Db, w: Watch): Promise<number> {
  const [s] = await db
    .select({ m: notificationSettings.endingSoonMinutes })
    .from(notificationSettings)
    .where(eq(notificationSettings.userId, w.userId));
  const [f] = await db
    .select({ m: follows.endingSoonMinutes })
    .from(follows)
    .where(and(eq(follows.userId, w.userId), eq(follows.listingId, w.listingId)));
  return reminderMinutes(f?.m, s?.m);
}

/** Whether he still watches the auction: registered for it, or following it. */
async function watches(db: Db, w: Watch): Promise<boolean> {
  const [r] = await db
    .select({ id: registrations.id })
    .from(registrations)
    .where(and(eq(registrations.userId, w.userId), eq(registrations.listingId, w.listingId)));
  if (r) return true;
  const [f] = await db
    .select({ id: follows.id })
    .from(follows)
    .where(and(eq(follows.userId, w.userId), eq(follows.listingId, w.listingId)));
  return !!f;
}

/**
 * At registration or follow, in its transaction: the start reminder (while the start is ahead)
 * and the ending-soon reminder at his N. Scheduling again (he registers after following, or
 * changes his N for it) moves the same two jobs: one reminder of each, never two.
 */
export async function scheduleWatchReminders(
  tx: Db,
  w: Watch,
  listing: { startsAt: Date; currentEndAt: Date },
  now: Date,
): Promise<void> {
  const list = [];
  if (listing.startsAt > now) {
    list.push({
      kind: REMINDER_JOBS.starting,
      key: startingKey(w),
      runAt: listing.startsAt,
      payload: { ...w },
    });
  }
  const minutes = await minutesOf(tx, w);
  if (minutes > 0) {
    list.push({
      kind: REMINDER_JOBS.endingSoon,
      key: endingSoonKey(w),
      runAt: endingSoonAt(listing.currentEndAt, minutes, now),
      payload: { ...w },
    });
  } else {
    await cancelJob(tx, endingSoonKey(w));
  }
  await scheduleJobs(tx, list);
}

/** At registration, in its transaction (ADR 025): the reminders of the auction he now watches. */
export function scheduleRegistrationReminders(
  tx: Db,
  reg: { id: string; userId: string; listingId: string },
  listing: { startsAt: Date; currentEndAt: Date },
  now: Date,
): Promise<void> {
  return scheduleWatchReminders(tx, { userId: reg.userId, listingId: reg.listingId }, listing, now);
}

/**
 * He stopped following, in that transaction: his reminders are cancelled, unless he is also
 * registered, when they stay at his default N (the follow's own N went with it).
 */
export async function unwatchReminders(
  tx: Db,
  w: Watch,
  listing: { startsAt: Date; currentEndAt: Date },
  now: Date,
): Promise<void> {
  if (await watches(tx, w)) {
    await scheduleWatchReminders(tx, w, listing, now);
    return;
  }
  await cancelJob(tx, startingKey(w));
  await cancelJob(tx, endingSoonKey(w));
}

/**
 * A person changed his default N: the pending ending-soon reminders of the auctions he watches
 * (not yet ended, and not those he chose an N for when following) move to the new time, or are
 * cancelled with 0.
 */
export async function moveEndingSoonReminders(tx: Db, userId: string, minutes: number, now: Date) {
  const open = and(inArray(listings.status, [...OPEN]), gt(listings.currentEndAt, now));
  const registered = await tx
    .select({ listingId: listings.id, endAt: listings.currentEndAt })
    .from(registrations)
    .innerJoin(listings, eq(listings.id, registrations.listingId))
    .where(and(eq(registrations.userId, userId), open));
  const followed = await tx
    .select({ listingId: listings.id, endAt: listings.currentEndAt, m: follows.endingSoonMinutes })
    .from(follows)
    .innerJoin(listings, eq(listings.id, follows.listingId))
    .where(and(eq(follows.userId, userId), open));
  const own = new Map(followed.map((f) => [f.listingId, f.m]));
  const mine = new Map([...registered, ...followed].map((r) => [r.listingId, r.endAt]));
  const moved = [];
  const cancelled = [];
  for (const [listingId, endAt] of mine) {
    const n = reminderMinutes(own.get(listingId), minutes);
    const w = { userId, listingId };
    if (n === 0) cancelled.push(endingSoonKey(w));
    else
      moved.push({
        kind: REMINDER_JOBS.endingSoon,
        key: endingSoonKey(w),
        runAt: endingSoonAt(endAt, n, now),
        payload: w,
      });
  }
  if (cancelled.length)
    await tx
      .update(jobs)
      .set({ status: 'cancelled', finishedAt: now })
      .where(and(isPending, inArray(jobs.key, cancelled)));
  await scheduleJobs(tx, moved);
}

/**
 * The end moved (art. 20's extension): every pending ending-soon reminder of the auction moves to
 * (new end - that person's N). remindEndingSoon checks it again when it runs.
 */
async function moveEndingSoonOfListing(tx: Tx, listingId: string, endAt: Date, now: Date) {
  const pending = await tx
    .select({ key: jobs.key, payload: jobs.payload })
    .from(jobs)
    .where(
      and(
        isPending,
        eq(jobs.kind, REMINDER_JOBS.endingSoon),
        sql`${jobs.payload}->>'listingId' = ${listingId}`,
      ),
    );
  if (!pending.length) return;
  const userIds = [...new Set(pending.map((j) => String(j.payload.userId)))];
  const settings = await tx
    .select({ userId: notificationSettings.userId, m: notificationSettings.endingSoonMinutes })
    .from(notificationSettings)
    .where(inArray(notificationSettings.userId, userIds));
  const followed = await tx
    .select({ userId: follows.userId, m: follows.endingSoonMinutes })
    .from(follows)
    .where(and(eq(follows.listingId, listingId), inArray(follows.userId, userIds)));
  const def = new Map(settings.map((s) => [s.userId, s.m]));
  const own = new Map(followed.map((f) => [f.userId, f.m]));
  await scheduleJobs(
    tx,
    pending.map((j) => {
      const userId = String(j.payload.userId);
      const n = reminderMinutes(own.get(userId), def.get(userId));
      return {
        kind: REMINDER_JOBS.endingSoon,
        key: j.key,
        runAt: endingSoonAt(endAt, n, now),
        payload: j.payload,
      };
    }),
  );
}

/**
 * The job's subject: {userId, listingId}; a job scheduled before ADR 027 names a registration
 * (its notice is then keyed like any other, so it is never sent twice either).
 */
async function watchOf(tx: Tx, payload: Record<string, unknown>): Promise<Watch | null> {
  if (typeof payload.userId === 'string' && typeof payload.listingId === 'string')
    return { userId: payload.userId, listingId: payload.listingId };
  if (typeof payload.registrationId !== 'string') return null;
  const [r] = await tx
    .select({ userId: registrations.userId, listingId: registrations.listingId })
    .from(registrations)
    .where(eq(registrations.id, payload.registrationId));
  return r ?? null;
}

async function listingOf(tx: Tx, listingId: string) {
  const [l] = await tx.select().from(listings).where(eq(listings.id, listingId));
  return l;
}

/** `notification.starting`: the auction he watches has started (or, postponed, comes back at its start). */
export async function remindStarting(tx: Tx, payload: Record<string, unknown>, now: Date) {
  const w = await watchOf(tx, payload);
  if (!w || !(await watches(tx, w))) return;
  const l = await listingOf(tx, w.listingId);
  if (!l) return;
  if (l.status === 'announced') {
    // Not started yet (the start job runs a moment later, or the start was moved): look again then.
    const at = new Date(Math.max(l.startsAt.getTime(), now.getTime() + 5_000));
    await scheduleJob(tx, {
      kind: REMINDER_JOBS.starting,
      key: startingKey(w),
      runAt: at,
      payload: { ...w },
    });
    return;
  }
  if (l.status !== 'live') return; // suspended, withdrawn or over: nothing to start
  await notify(tx, {
    userId: w.userId,
    kind: 'auctionStarting',
    params: { title: l.title, end: beijingTime(l.currentEndAt) },
    link: `/auctions/${l.id}`,
    dedupeKey: `watch:${l.id}:${w.userId}:starting`,
    at: now,
  });
}

/**
 * `notification.ending_soon`: N minutes before the current end. An end extended (art. 20) or
 * an N changed since the job was scheduled moves the job instead of reminding early.
 */
export async function remindEndingSoon(tx: Tx, payload: Record<string, unknown>, now: Date) {
  const w = await watchOf(tx, payload);
  if (!w || !(await watches(tx, w))) return;
  const l = await listingOf(tx, w.listingId);
  if (!l) return;
  if (!(OPEN as readonly string[]).includes(l.status) || l.currentEndAt <= now) return;
  const minutes = await minutesOf(tx, w);
  if (minutes === 0) return;
  const due = l.currentEndAt.getTime() - minutes * MINUTE;
  if (l.status !== 'live' || due > now.getTime() + 1000) {
    await scheduleJob(tx, {
      kind: REMINDER_JOBS.endingSoon,
      key: endingSoonKey(w),
      runAt: new Date(Math.max(due, now.getTime() + 60_000)),
      payload: { ...w },
    });
    return;
  }
  await notify(tx, {
    userId: w.userId,
    kind: 'auctionEndingSoon',
    params: {
      title: l.title,
      minutes: String(Math.max(1, Math.round((l.currentEndAt.getTime() - now.getTime()) / MINUTE))),
      end: beijingTime(l.currentEndAt),
      price: yuan(l.currentPriceFen ?? l.startingPriceFen),
    },
    link: `/auctions/${l.id}`,
    dedupeKey: `watch:${l.id}:${w.userId}:endingSoon`,
    at: now,
  });
}

/** Bids were accepted (after their commit): read them soon for outbid and extended notices. */
export async function nudgeBids(db: Db, listingId: string, now: Date) {
  await scheduleJobIfAbsent(db, {
    kind: REMINDER_JOBS.bids,
    key: bidsKey(listingId),
    runAt: new Date(now.getTime() + BIDS_COALESCE_MS),
    payload: { listingId },
  });
}

/**
 * `notification.bids`: the accepted bids after the auction's cursor. Whoever led at some point
 * (before them or among them) and does not lead after them is told once that he was outbid, at
 * the price now standing; when they extended the end, every registered bidder is told the new
 * end (in-site by default) and the pending ending-soon reminders move with it.
 */
export async function readBids(tx: Tx, listingId: string, now: Date) {
  await tx.insert(notificationCursors).values({ listingId }).onConflictDoNothing();
  const [cursor] = await tx
    .select()
    .from(notificationCursors)
    .where(eq(notificationCursors.listingId, listingId))
    .for('update');
  const fresh = await tx
    .select({
      seq: bids.seq,
      registrationId: bids.registrationId,
      amountFen: bids.amountFen,
      extendedTo: bids.extendedTo,
    })
    .from(bids)
    .where(and(eq(bids.listingId, listingId), gt(bids.seq, cursor!.lastSeq)))
    .orderBy(asc(bids.seq));
  if (!fresh.length) return;
  const [before] = await tx
    .select({ registrationId: bids.registrationId })
    .from(bids)
    .where(and(eq(bids.listingId, listingId), lte(bids.seq, cursor!.lastSeq)))
    .orderBy(desc(bids.seq))
    .limit(1);
  const last = fresh[fresh.length - 1]!;
  const [l] = await tx.select().from(listings).where(eq(listings.id, listingId));
  const leaders = new Set([
    ...(before ? [before.registrationId] : []),
    ...fresh.map((b) => b.registrationId),
  ]);
  leaders.delete(last.registrationId);
  const regs = await tx
    .select({ id: registrations.id, userId: registrations.userId })
    .from(registrations)
    .where(eq(registrations.listingId, listingId));
  const userOf = new Map(regs.map((r) => [r.id, r.userId]));
  for (const registrationId of leaders) {
    await notify(tx, {
      userId: userOf.get(registrationId)!,
      kind: 'outbid',
      params: { title: l!.title, price: yuan(last.amountFen) },
      link: `/auctions/${listingId}`,
      dedupeKey: `listing:${listingId}:outbid:${registrationId}:${last.seq}`,
      at: now,
    });
  }
  const extended = [...fresh].reverse().find((b) => b.extendedTo);
  if (extended && l!.status === 'live') {
    for (const r of regs) {
      await notify(tx, {
        userId: r.userId,
        kind: 'auctionExtended',
        params: { title: l!.title, end: beijingTime(extended.extendedTo!) },
        link: `/auctions/${listingId}`,
        dedupeKey: `listing:${listingId}:extended:${extended.seq}:${r.id}`,
        at: now,
      });
    }
    // Moved with the end: each to (new end - his N) (remindEndingSoon checks it again when run).
    await moveEndingSoonOfListing(tx, listingId, extended.extendedTo!, now);
  }
  await tx
    .update(notificationCursors)
    .set({ lastSeq: last.seq })
    .where(eq(notificationCursors.listingId, listingId));
}
