import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { follows, listings } from '../../db/schema/auctions';
import { jobs } from '../../db/schema/jobs';
import { notifications } from '../../db/schema/notifications';
import { endingSoonKey, readBids, startingKey } from '../../server/notifications/reminders';
import { beijingTime } from '../../server/notifications/rules';
import { meta, signupInput } from '../support/fixtures';
import { outboundWorld } from '../support/outbound';

// 关注 and its reminders, 我的拍卖 (ADR 027), against a real SMTP server and a fake SMS provider.
const MIN = 60_000;
// listingInput: start ¥700,000, increment ¥7,000.
const START = 70_000_000n;
const INC = 700_000n;

let world: Awaited<ReturnType<typeof outboundWorld>>;
let db: typeof world.db;
let w: typeof world.w;
let smtp: typeof world.smtp;
let sms: typeof world.sms;
let phones = 0;

beforeAll(async () => {
  world = await outboundWorld();
  ({ db, w, smtp, sms } = world);
});
afterAll(async () => {
  await world?.close();
});

async function person() {
  phones += 1;
  const input = signupInput({ phone: `1380000${String(phones).padStart(4, '0')}` });
  const r = await w.services.identity.signup(input, meta);
  const actor = (await w.services.identity.resolveSession(r.token))!.actor;
  return { actor, email: input.email, phone: input.phone };
}
type Person = Awaited<ReturnType<typeof person>>;

const regs = {
  follow: (...a: Parameters<typeof w.services.registrations.follow>) => w.services.registrations.follow(...a),
  unfollow: (...a: Parameters<typeof w.services.registrations.unfollow>) =>
    w.services.registrations.unfollow(...a),
  followBox: (...a: Parameters<typeof w.services.registrations.followBox>) =>
    w.services.registrations.followBox(...a),
  followerCount: (id: string) => w.services.registrations.followerCount(id),
  myAuctions: (...a: Parameters<typeof w.services.registrations.myAuctions>) =>
    w.services.registrations.myAuctions(...a),
};
const choose = (who: Person, locale: 'zh-CN' | 'en', choices: string[], endingSoonMinutes = 15) =>
  w.services.notifications.savePreferences(who.actor, { locale, endingSoonMinutes, choices });
const bid = (who: Person, listingId: string, amountFen: bigint) =>
  w.services.bidding.placeBid(who.actor, listingId, {
    amountFen: amountFen.toString(),
    clientKey: crypto.randomUUID(),
  });
const listingRow = async (id: string) => (await db.db.select().from(listings).where(eq(listings.id, id)))[0]!;
/** His pending reminder jobs on this auction (starting, ending). */
const pendingOf = (who: Person, listingId: string) =>
  db.db
    .select()
    .from(jobs)
    .where(
      and(
        eq(jobs.status, 'pending'),
        like(jobs.key, `notification:watch:${listingId}:${who.actor.userId}:%`),
      ),
    );
/**
 * The start job and the reminders are due together; a reminder that ran before the start
 * committed looks again 5 s later (remindStarting): run both passes.
 */
async function atStart(startsAt: Date) {
  w.time.set(startsAt);
  await w.runner.runDue();
  w.time.advance(5_000);
  await w.runner.runDue();
}
const noticesOf = async (who: Person, kind: string) =>
  (await w.services.notifications.list(who.actor, 100)).filter((n) => n.kind === kind);

describe('关注 (ADR 027)', () => {
  it('following twice is one follow; the count moves; the page box says what he may do', async () => {
    const { listing } = await w.announcedListing();
    const a = await person();
    const b = await person();
    expect((await regs.followBox(null, listing.id)).can).toEqual({ follow: false, unfollow: false });
    expect((await regs.followBox(a.actor, listing.id)).can).toEqual({ follow: true, unfollow: false });

    await regs.follow(a.actor, listing.id, {});
    const again = await regs.follow(a.actor, listing.id, {});
    expect(again.already).toBe(true);
    expect(
      await db.db
        .select()
        .from(follows)
        .where(and(eq(follows.listingId, listing.id), eq(follows.userId, a.actor.userId))),
    ).toHaveLength(1);
    expect(await regs.followerCount(listing.id)).toBe(1);
    await regs.follow(b.actor, listing.id, { minutes: '30' });
    const box = await regs.followBox(a.actor, listing.id);
    expect(box).toMatchObject({ followers: 2, following: true, endingSoonMinutes: null });
    expect(box.can).toEqual({ follow: true, unfollow: true });
    // One start and one ending-soon reminder for him, whatever the repeats.
    const l = await listingRow(listing.id);
    const mine = await pendingOf(a, listing.id);
    expect(mine.map((j) => [j.key, j.runAt]).sort()).toEqual(
      [
        [
          endingSoonKey({ listingId: listing.id, userId: a.actor.userId }),
          new Date(l.currentEndAt.getTime() - 15 * MIN),
        ],
        [startingKey({ listingId: listing.id, userId: a.actor.userId }), l.startsAt],
      ].sort(),
    );
    // His own N for this auction moves his reminder.
    await regs.follow(a.actor, listing.id, { minutes: '60' });
    const ending = (await pendingOf(a, listing.id)).find((j) => j.kind === 'notification.ending_soon');
    expect(ending!.runAt).toEqual(new Date(l.currentEndAt.getTime() - 60 * MIN));

    await regs.unfollow(b.actor, listing.id);
    await regs.unfollow(b.actor, listing.id); // idempotent
    expect(await regs.followerCount(listing.id)).toBe(1);
  });

  it('refuses a sign-in-less follow, an ended auction and an N not offered, changing nothing', async () => {
    const { listing } = await w.announcedListing();
    const a = await person();
    await expect(regs.follow(null, listing.id, {})).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(regs.follow(a.actor, listing.id, { minutes: '7' })).rejects.toMatchObject({
      code: 'validation',
    });
    await db.db.update(listings).set({ status: 'ended' }).where(eq(listings.id, listing.id));
    await expect(regs.follow(a.actor, listing.id, {})).rejects.toMatchObject({
      code: 'conflict',
      messageKey: 'follow.closed',
    });
    expect(await regs.followerCount(listing.id)).toBe(0);
    expect(await pendingOf(a, listing.id)).toEqual([]);
  });

  it('a follower is reminded at the start and before the end, by e-mail in his language; not when he opted out', async () => {
    const { listing } = await w.announcedListing();
    const en = await person();
    const zh = await person();
    const off = await person();
    await choose(en, 'en', ['auctionStarting:email', 'auctionEndingSoon:email']);
    await choose(off, 'zh-CN', []); // every outside channel off
    for (const p of [en, zh, off]) await regs.follow(p.actor, listing.id, {});
    const l = await listingRow(listing.id);

    await atStart(l.startsAt);
    expect(smtp.to(en.email).map((m) => m.subject)).toEqual([`Bidding has started: ${listing.title}`]);
    expect(smtp.to(zh.email).map((m) => m.subject)).toEqual([`已开始竞价：${listing.title}`]);
    expect(await noticesOf(off, 'auctionStarting')).toHaveLength(1);

    w.time.set(new Date(l.currentEndAt.getTime() - 15 * MIN));
    await w.runner.runDue();
    await w.runner.runDue();
    const ending = smtp.to(en.email).filter((m) => m.subject.startsWith('Ending soon'));
    expect(ending.map((m) => m.subject)).toEqual([`Ending soon: ${listing.title}`]);
    expect(ending[0]!.text).toContain('ends in about 15 minutes');
    expect(smtp.to(zh.email).filter((m) => m.subject.startsWith('即将结束'))).toHaveLength(1);
    // Opted out: the in-site notice only, no e-mail, no SMS.
    expect(await noticesOf(off, 'auctionEndingSoon')).toHaveLength(1);
    expect(smtp.to(off.email)).toEqual([]);
    expect(sms.requests.filter((r) => r.to === off.phone)).toEqual([]);
  });

  it('an extension (art. 20) moves a follower’s ending-soon reminder to the new end less his N', async () => {
    const { listing } = await w.liveListing();
    const a = await person();
    const b = await person();
    const f = await person();
    await w.registeredWithDeposit(listing.id, a.actor);
    await w.registeredWithDeposit(listing.id, b.actor);
    await choose(f, 'en', ['auctionEndingSoon:email']);
    await regs.follow(f.actor, listing.id, { minutes: '5' });
    const l = await listingRow(listing.id);
    const key = endingSoonKey({ listingId: listing.id, userId: f.actor.userId });
    const job = async () => (await pendingOf(f, listing.id)).find((j) => j.key === key);
    expect((await job())!.runAt).toEqual(new Date(l.currentEndAt.getTime() - 5 * MIN));

    // A bid 3 minutes before the end extends it. His reminder (due 5 minutes before the old end)
    // has not run yet when the bids' reader sees the extension: it moves with the end.
    w.time.set(new Date(l.currentEndAt.getTime() - 8 * MIN));
    await bid(a, listing.id, START);
    w.time.set(new Date(l.currentEndAt.getTime() - 3 * MIN));
    await bid(b, listing.id, START + INC);
    const after = await listingRow(listing.id);
    expect(after.currentEndAt.getTime()).toBeGreaterThan(l.currentEndAt.getTime());
    await db.db.transaction((tx) => readBids(tx, listing.id, w.time.clock()));
    const moved = (await job())!.runAt;
    expect(moved).toEqual(new Date(after.currentEndAt.getTime() - 5 * MIN));
    expect(moved.getTime()).toBeGreaterThan(l.currentEndAt.getTime() - 5 * MIN);
    expect(await noticesOf(f, 'auctionEndingSoon')).toEqual([]);

    w.time.set(moved);
    await w.runner.runDue();
    await w.runner.runDue();
    const ending = await noticesOf(f, 'auctionEndingSoon');
    expect(ending.map((n) => n.params.end)).toEqual([beijingTime(after.currentEndAt)]);
    expect(smtp.to(f.email).map((m) => m.subject)).toEqual([`Ending soon: ${listing.title}`]);
    // A follower is not told of each extension (that notice is the registered bidders').
    expect(await noticesOf(f, 'auctionExtended')).toEqual([]);
  });

  it('unfollow cancels his reminders; following and registered is one reminder of each, kept by an unfollow', async () => {
    const { listing } = await w.announcedListing();
    const gone = await person();
    const both = await person();
    await regs.follow(gone.actor, listing.id, {});
    expect(await pendingOf(gone, listing.id)).toHaveLength(2);
    await regs.unfollow(gone.actor, listing.id);
    expect(await pendingOf(gone, listing.id)).toEqual([]);

    await w.registeredWithDeposit(listing.id, both.actor);
    await regs.follow(both.actor, listing.id, { minutes: '60' });
    await choose(both, 'zh-CN', ['auctionStarting:email', 'auctionEndingSoon:email']);
    const l = await listingRow(listing.id);
    const twoJobs = await pendingOf(both, listing.id);
    expect(twoJobs.map((j) => j.kind).sort()).toEqual(['notification.ending_soon', 'notification.starting']);
    // He follows with N = 60: his reminder for this auction is then.
    expect(twoJobs.find((j) => j.kind === 'notification.ending_soon')!.runAt).toEqual(
      new Date(l.currentEndAt.getTime() - 60 * MIN),
    );

    await atStart(l.startsAt);
    expect(await noticesOf(both, 'auctionStarting')).toHaveLength(1);
    expect(smtp.to(both.email).filter((m) => m.subject.startsWith('已开始竞价'))).toHaveLength(1);
    expect(await noticesOf(gone, 'auctionStarting')).toEqual([]);

    // Unfollowing while registered: his reminder stays, at his default N (15).
    await regs.unfollow(both.actor, listing.id);
    const kept = (await pendingOf(both, listing.id)).find((j) => j.kind === 'notification.ending_soon');
    expect(kept!.runAt).toEqual(new Date(l.currentEndAt.getTime() - 15 * MIN));
    w.time.set(new Date(l.currentEndAt.getTime() - 15 * MIN));
    await w.runner.runDue();
    await w.runner.runDue();
    expect(await noticesOf(both, 'auctionEndingSoon')).toHaveLength(1);
    expect(smtp.to(both.email).filter((m) => m.subject.startsWith('即将结束'))).toHaveLength(1);
    expect(await noticesOf(gone, 'auctionEndingSoon')).toEqual([]);
    const stored = await db.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, both.actor.userId), eq(notifications.kind, 'auctionStarting')));
    expect(stored).toHaveLength(1);
  });
});

describe('我的拍卖 (ADR 027)', () => {
  it('lists his followed, registered, bidding, won and lost auctions with state and next deadline; nobody else’s', async () => {
    const { listing } = await w.liveListing();
    const followed = (await w.announcedListing()).listing;
    const winner = await person();
    const loser = await person();
    const watcher = await person();
    const stranger = await person();
    await w.registeredWithDeposit(listing.id, winner.actor);
    await w.registeredWithDeposit(listing.id, loser.actor);
    await regs.follow(watcher.actor, listing.id, {});
    await regs.follow(watcher.actor, followed.id, {});
    await bid(loser, listing.id, START);

    const during = await regs.myAuctions(winner.actor);
    const l = await listingRow(listing.id);
    expect(during.auctions.map((a) => [a.listingId, a.state, a.group, a.next])).toEqual([
      [listing.id, 'registered', 'registered', { kind: 'end', at: l.currentEndAt }],
    ]);
    expect((await regs.myAuctions(loser.actor)).auctions[0]).toMatchObject({
      state: 'leading',
      group: 'bidding',
    });
    const watching = await regs.myAuctions(watcher.actor);
    // The live one first (its end is sooner than the other's start).
    expect(watching.auctions.map((a) => [a.listingId, a.state, a.group, a.next?.kind])).toEqual([
      [listing.id, 'following', 'followed', 'end'],
      [followed.id, 'following', 'followed', 'start'],
    ]);
    expect((await regs.myAuctions(stranger.actor)).auctions).toEqual([]);
    await expect(regs.myAuctions(null)).rejects.toMatchObject({ code: 'unauthenticated' });

    await bid(winner, listing.id, START + INC);
    w.time.set((await listingRow(listing.id)).currentEndAt);
    await w.runner.runDue();
    await w.runner.runDue();
    const won = (await regs.myAuctions(winner.actor)).auctions[0]!;
    expect(won).toMatchObject({
      state: 'won',
      group: 'won',
      next: { kind: 'balanceDue' },
      can: { pay: true },
    });
    expect(won.deposit).toBeNull();
    const lost = (await regs.myAuctions(loser.actor)).auctions[0]!;
    expect(lost).toMatchObject({ state: 'lost', group: 'lost', next: null, can: { pay: false } });
    // Art. 23: the loser sees his deposit released, and when.
    expect(lost.deposit).toMatchObject({ status: 'released', amountFen: '7000000' });
    expect(lost.deposit!.releasedAt).toBeInstanceOf(Date);
    expect(
      (await regs.myAuctions(watcher.actor)).auctions.find((a) => a.listingId === listing.id),
    ).toMatchObject({
      state: 'ended',
      group: 'followed',
      next: null,
    });
  });
});
