/**
 * The bidder's reminders of an auction he registered for (ADR 025): that it started, that it
 * ends in N minutes (his choice), and, read from the accepted bids, that he was outbid and that
 * the end was extended. Each is a durable job; the notices go through notify() like any other.
 */
import { and, asc, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { listings, registrations } from '../../db/schema/auctions.js';
import { bids } from '../../db/schema/bidding.js';
import { jobs } from '../../db/schema/jobs.js';
import { notificationCursors, notificationSettings } from '../../db/schema/notifications.js';
import { isPending, scheduleJob, scheduleJobIfAbsent, scheduleJobs } from '../jobs/schedule.js';
import { notify } from './notify.js';
import { beijingTime, DEFAULT_ENDING_SOON_MINUTES, yuan } from './rules.js';

export const REMINDER_JOBS = {
  starting: 'notification.starting',
  endingSoon: 'notification.ending_soon',
  bids: 'notification.bids',
} as const;

export const startingKey = (registrationId: string) => `notification:registration:${registrationId}:starting`;
export const endingSoonKey = (registrationId: string) => `notification:registration:${registrationId}:ending`;
export const bidsKey = (listingId: string) => `notification:listing:${listingId}:bids`;

/** The bids scan is nudged at most this often per auction: outbid notices of a burst come as one. */
const BIDS_COALESCE_MS = 1000;
const MINUTE = 60_000;

async function minutesOf(db: Db, userId: string): Promise<number> {
  const [s] = await db
    .select({ m: notificationSettings.endingSoonMinutes })
    .from(notificationSettings)
    .where(eq(notificationSettings.userId, userId));
  return s?.m ?? DEFAULT_ENDING_SOON_MINUTES;
}

/** At registration, in its transaction: the start reminder and the ending-soon reminder. */
export async function scheduleRegistrationReminders(
  tx: Db,
  reg: { id: string; userId: string; listingId: string },
  listing: { startsAt: Date; currentEndAt: Date },
  now: Date,
): Promise<void> {
  const list = [];
  if (listing.startsAt > now) {
    list.push({
      kind: REMINDER_JOBS.starting,
      key: startingKey(reg.id),
      runAt: listing.startsAt,
      payload: { registrationId: reg.id },
    });
  }
  const minutes = await minutesOf(tx, reg.userId);
  if (minutes > 0) {
    list.push({
      kind: REMINDER_JOBS.endingSoon,
      key: endingSoonKey(reg.id),
      runAt: new Date(Math.max(now.getTime(), listing.currentEndAt.getTime() - minutes * MINUTE)),
      payload: { registrationId: reg.id, userId: reg.userId, listingId: reg.listingId },
    });
  }
  await scheduleJobs(tx, list);
}

/**
 * A bidder changed his N: his pending ending-soon reminders move to the new time (or are
 * cancelled with 0); auctions not yet ended only.
 */
export async function moveEndingSoonReminders(tx: Db, userId: string, minutes: number, now: Date) {
  const mine = await tx
    .select({ registrationId: registrations.id, listingId: listings.id, endAt: listings.currentEndAt })
    .from(registrations)
    .innerJoin(listings, eq(listings.id, registrations.listingId))
    .where(
      and(
        eq(registrations.userId, userId),
        inArray(listings.status, ['announced', 'live', 'suspended']),
        gt(listings.currentEndAt, now),
      ),
    );
  if (minutes === 0) {
    if (mine.length)
      await tx
        .update(jobs)
        .set({ status: 'cancelled', finishedAt: now })
        .where(
          and(
            isPending,
            inArray(
              jobs.key,
              mine.map((r) => endingSoonKey(r.registrationId)),
            ),
          ),
        );
    return;
  }
  await scheduleJobs(
    tx,
    mine.map((r) => ({
      kind: REMINDER_JOBS.endingSoon,
      key: endingSoonKey(r.registrationId),
      runAt: new Date(Math.max(now.getTime(), r.endAt.getTime() - minutes * MINUTE)),
      payload: { registrationId: r.registrationId, userId, listingId: r.listingId },
    })),
  );
}

async function registrationWithListing(tx: Tx, registrationId: string) {
  const [row] = await tx
    .select({ r: registrations, l: listings })
    .from(registrations)
    .innerJoin(listings, eq(listings.id, registrations.listingId))
    .where(eq(registrations.id, registrationId));
  return row;
}

/** `notification.starting`: the auction he registered for has started (or, postponed, comes back at its start). */
export async function remindStarting(tx: Tx, registrationId: string, now: Date) {
  const row = await registrationWithListing(tx, registrationId);
  if (!row) return;
  const { r, l } = row;
  if (l.status === 'announced') {
    // Not started yet (the start job runs a moment later, or the start was moved): look again then.
    const at = new Date(Math.max(l.startsAt.getTime(), now.getTime() + 5_000));
    await scheduleJob(tx, {
      kind: REMINDER_JOBS.starting,
      key: startingKey(r.id),
      runAt: at,
      payload: { registrationId },
    });
    return;
  }
  if (l.status !== 'live') return; // suspended, withdrawn or over: nothing to start
  await notify(tx, {
    userId: r.userId,
    kind: 'auctionStarting',
    params: { title: l.title, end: beijingTime(l.currentEndAt) },
    link: `/auctions/${l.id}`,
    dedupeKey: `registration:${r.id}:starting`,
    at: now,
  });
}

/**
 * `notification.ending_soon`: N minutes before the current end. An end extended (art. 20) or
 * an N changed since the job was scheduled moves the job instead of reminding early.
 */
export async function remindEndingSoon(tx: Tx, registrationId: string, now: Date) {
  const row = await registrationWithListing(tx, registrationId);
  if (!row) return;
  const { r, l } = row;
  if (!['announced', 'live', 'suspended'].includes(l.status) || l.currentEndAt <= now) return;
  const minutes = await minutesOf(tx, r.userId);
  if (minutes === 0) return;
  const due = l.currentEndAt.getTime() - minutes * MINUTE;
  if (l.status !== 'live' || due > now.getTime() + 1000) {
    await scheduleJob(tx, {
      kind: REMINDER_JOBS.endingSoon,
      key: endingSoonKey(r.id),
      runAt: new Date(Math.max(due, now.getTime() + 60_000)),
      payload: { registrationId, userId: r.userId, listingId: l.id },
    });
    return;
  }
  await notify(tx, {
    userId: r.userId,
    kind: 'auctionEndingSoon',
    params: {
      title: l.title,
      minutes: String(Math.max(1, Math.round((l.currentEndAt.getTime() - now.getTime()) / MINUTE))),
      end: beijingTime(l.currentEndAt),
      price: yuan(l.currentPriceFen ?? l.startingPriceFen),
    },
    link: `/auctions/${l.id}`,
    dedupeKey: `registration:${r.id}:endingSoon`,
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
    await tx.execute(sql`
      update jobs j set run_at = greatest(${now.toISOString()}::timestamptz,
          ${extended.extendedTo!.toISOString()}::timestamptz
          - make_interval(mins => coalesce(s.ending_soon_minutes, ${DEFAULT_ENDING_SOON_MINUTES})))
      from registrations r left join notification_settings s on s.user_id = r.user_id
      where r.listing_id = ${listingId} and j.key = 'notification:registration:' || r.id || ':ending'
        and j.status = 'pending'`);
  }
  await tx
    .update(notificationCursors)
    .set({ lastSeq: last.seq })
    .where(eq(notificationCursors.listingId, listingId));
}
