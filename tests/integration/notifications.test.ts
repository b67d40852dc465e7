import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listings } from '../../db/schema/auctions';
import { users } from '../../db/schema/identity';
import { jobs } from '../../db/schema/jobs';
import { notificationDeliveries, notifications } from '../../db/schema/notifications';
import { scheduleJob } from '../../server/jobs/schedule';
import { DELIVER_JOB, deliverJobKey } from '../../server/notifications/deliveries';
import { bidsKey } from '../../server/notifications/reminders';
import { beijingTime } from '../../server/notifications/rules';
import { notify } from '../../server/notifications/service';
import { meta, signupInput } from '../support/fixtures';
import { outboundWorld } from '../support/outbound';

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

/** A verified bidder with his own e-mail and mobile number. */
async function person() {
  phones += 1;
  const input = signupInput({ phone: `1370000${String(phones).padStart(4, '0')}` });
  const r = await w.services.identity.signup(input, meta);
  const actor = (await w.services.identity.resolveSession(r.token))!.actor;
  return { actor, email: input.email, phone: input.phone };
}
type Person = Awaited<ReturnType<typeof person>>;

const bid = (who: Person, listingId: string, amountFen: bigint) =>
  w.services.bidding.placeBid(who.actor, listingId, {
    amountFen: amountFen.toString(),
    clientKey: crypto.randomUUID(),
  });

/** Waits (bounded) for a condition the server reaches on its own after a commit. */
async function eventually<T>(probe: () => Promise<T | undefined | null | false>): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

/** Bids were accepted: the outbid scan is scheduled after the commit; run it and the deliveries. */
async function runBidNotices(listingId: string) {
  await eventually(async () =>
    (
      await db.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.key, bidsKey(listingId)), eq(jobs.status, 'pending')))
    ).at(0),
  );
  w.time.advance(1000);
  await w.runner.runDue();
}

const choose = (who: Person, locale: 'zh-CN' | 'en', choices: string[], endingSoonMinutes = 15) =>
  w.services.notifications.savePreferences(who.actor, { locale, endingSoonMinutes, choices });

describe('outbid (ADR 025)', () => {
  it('reaches the SMTP server and the SMS provider in each bidder’s language, once per notice and channel', async () => {
    const { listing } = await w.liveListing();
    const a = await person();
    const b = await person();
    await w.registeredWithDeposit(listing.id, a.actor);
    await w.registeredWithDeposit(listing.id, b.actor);
    await choose(a, 'en', ['outbid:email', 'outbid:sms']);

    await bid(a, listing.id, START);
    await bid(b, listing.id, START + INC);
    await runBidNotices(listing.id);

    const [toA, ...moreToA] = smtp.to(a.email);
    expect(moreToA).toEqual([]);
    expect(toA!.subject).toBe(`You have been outbid: ${listing.title}`);
    expect(toA!.text).toContain('the price is now ¥707,000.00');
    expect(toA!.text).toContain(`/auctions/${listing.id}`);
    expect(sms.delivered(a.phone).map((m) => m.text)).toEqual([
      expect.stringMatching(/^\[Judicial auctions\] You have been outbid on/),
    ]);
    // b leads: nothing for him yet.
    expect(smtp.to(b.email)).toEqual([]);

    // a outbids b: b reads Chinese (no choice made: the default language).
    await bid(a, listing.id, START + 2n * INC);
    await runBidNotices(listing.id);
    expect(smtp.to(b.email).map((m) => m.subject)).toEqual([`您的出价已被超越：${listing.title}`]);
    expect(smtp.to(b.email)[0]!.text).toContain('当前价 ¥714,000.00');
    expect(sms.delivered(b.phone).map((m) => m.text)).toEqual([expect.stringMatching(/^【司法拍卖】您在/)]);
    // Nothing new for a, and the in-site list has every notice.
    expect(smtp.to(a.email)).toHaveLength(1);
    const inSite = await w.services.notifications.list(b.actor);
    expect(inSite.map((n) => n.kind)).toContain('outbid');
  });

  it('is not sent by e-mail or SMS to a bidder who opted out, but stays in his in-site list', async () => {
    const { listing } = await w.liveListing();
    const c = await person();
    const d = await person();
    await w.registeredWithDeposit(listing.id, c.actor);
    await w.registeredWithDeposit(listing.id, d.actor);
    await choose(c, 'zh-CN', []); // every outside channel off

    await bid(c, listing.id, START);
    await bid(d, listing.id, START + INC);
    await runBidNotices(listing.id);

    expect(smtp.to(c.email)).toEqual([]);
    expect(sms.requests.filter((r) => r.to === c.phone)).toEqual([]);
    expect((await w.services.notifications.list(c.actor)).map((n) => n.kind)).toContain('outbid');
    expect(
      await db.db
        .select()
        .from(notificationDeliveries)
        .where(eq(notificationDeliveries.userId, c.actor.userId)),
    ).toEqual([]);
  });
});

describe('the auction a bidder registered for (ADR 025)', () => {
  it('starts, then ends in his N minutes: e-mails in his language at his chosen time', async () => {
    const { listing } = await w.announcedListing();
    const zh = await person();
    const en = await person();
    await w.registeredWithDeposit(listing.id, zh.actor);
    await w.registeredWithDeposit(listing.id, en.actor);
    // He changes N after registering: his reminder moves with it.
    await choose(en, 'en', ['auctionStarting:email', 'auctionEndingSoon:email'], 60);
    const [reminder] = await db.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.status, 'pending'), eq(jobs.kind, 'notification.ending_soon')))
      .then((rows) => rows.filter((j) => j.payload.userId === en.actor.userId));
    const [l] = await db.db.select().from(listings).where(eq(listings.id, listing.id));
    expect(reminder!.runAt).toEqual(new Date(l!.currentEndAt.getTime() - 60 * MIN));

    w.time.set(l!.startsAt);
    await w.runner.runDue();
    const started = (p: Person, prefix: string) =>
      smtp.to(p.email).filter((m) => m.subject.startsWith(prefix));
    expect(started(en, 'Bidding').map((m) => m.subject)).toEqual([`Bidding has started: ${listing.title}`]);
    expect(started(zh, '已开始').map((m) => m.subject)).toEqual([`已开始竞价：${listing.title}`]);

    // 60 minutes before the end: his reminder, not yet the other's (15, the default).
    w.time.set(new Date(l!.currentEndAt.getTime() - 60 * MIN));
    await w.runner.runDue();
    const ending = smtp.to(en.email).filter((m) => m.subject.startsWith('Ending soon'));
    expect(ending.map((m) => m.subject)).toEqual([`Ending soon: ${listing.title}`]);
    expect(ending[0]!.text).toContain('ends in about 60 minutes');
    expect(smtp.to(zh.email).filter((m) => m.subject.startsWith('即将结束'))).toEqual([]);

    w.time.set(new Date(l!.currentEndAt.getTime() - 15 * MIN));
    await w.runner.runDue();
    const zhEnding = smtp.to(zh.email).filter((m) => m.subject.startsWith('即将结束'));
    expect(zhEnding).toHaveLength(1);
    expect(zhEnding[0]!.text).toContain('将在约 15 分钟后');
    // And each once: a second pass sends nothing more.
    await w.runner.runDue();
    expect(smtp.to(en.email).filter((m) => m.subject.startsWith('Ending soon'))).toHaveLength(1);
    expect(sms.requests.filter((r) => r.to === zh.phone && r.text.includes('即将结束'))).toHaveLength(0);
  });

  it('an extension (art. 20) before the reminder ran: it tells the new end, and the extension is noticed', async () => {
    const { listing } = await w.liveListing();
    const a = await person();
    const b = await person();
    await w.registeredWithDeposit(listing.id, a.actor);
    await w.registeredWithDeposit(listing.id, b.actor);
    await choose(b, 'en', ['auctionEndingSoon:email'], 5);
    const [l] = await db.db.select().from(listings).where(eq(listings.id, listing.id));
    // His reminder is due (5 minutes before the end) but not yet run when a late bid extends the end.
    w.time.set(new Date(l!.currentEndAt.getTime() - 3 * MIN));
    await bid(a, listing.id, START);
    const [after] = await db.db.select().from(listings).where(eq(listings.id, listing.id));
    expect(after!.currentEndAt.getTime()).toBeGreaterThan(l!.currentEndAt.getTime());
    await runBidNotices(listing.id);

    const mine = await w.services.notifications.list(b.actor);
    const ending = mine.filter((n) => n.kind === 'auctionEndingSoon');
    expect(ending).toHaveLength(1);
    expect(ending[0]!.params.end).toBe(beijingTime(after!.currentEndAt));
    expect(mine.filter((n) => n.kind === 'auctionExtended').map((n) => n.params.end)).toEqual([
      beijingTime(after!.currentEndAt),
    ]);
    expect(smtp.to(b.email).map((m) => m.subject)).toEqual([`Ending soon: ${listing.title}`]);
    // In-site only by default: the extension sends no e-mail.
    expect(smtp.to(a.email).filter((m) => m.subject.startsWith('结束时间顺延'))).toEqual([]);
  });
});

describe('delivery (ADR 025)', () => {
  it('a failing SMS provider is retried with backoff; the e-mail is not sent again; a rerun job sends nothing', async () => {
    const { listing } = await w.liveListing();
    const f = await person();
    const g = await person();
    await w.registeredWithDeposit(listing.id, f.actor);
    await w.registeredWithDeposit(listing.id, g.actor);
    sms.refuse(2);
    await bid(f, listing.id, START);
    await bid(g, listing.id, START + INC);
    await runBidNotices(listing.id);

    expect(smtp.to(f.email)).toHaveLength(1);
    const [notice] = await db.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, f.actor.userId), eq(notifications.kind, 'outbid')));
    const deliveryOf = async (channel: string) =>
      (
        await db.db
          .select()
          .from(notificationDeliveries)
          .where(
            and(
              eq(notificationDeliveries.notificationId, notice!.id),
              eq(notificationDeliveries.channel, channel),
            ),
          )
      )[0]!;
    expect(await deliveryOf('sms')).toMatchObject({ status: 'pending' });
    expect(await deliveryOf('email')).toMatchObject({ status: 'sent', transport: 'smtp' });

    // The runner's backoff (1 s, then 2 s): each retry is due only once the clock passes it.
    for (let i = 0; i < 2; i++) {
      const [job] = await db.db
        .select()
        .from(jobs)
        .where(eq(jobs.key, deliverJobKey((await deliveryOf('sms')).id)));
      if (job!.status !== 'pending') break;
      w.time.set(job!.runAt);
      await w.runner.runDue();
    }
    const tries = sms.requests.filter((r) => r.to === f.phone);
    expect(tries.map((r) => r.answered)).toEqual([503, 503, 200]);
    const sent = await deliveryOf('sms');
    expect(sent).toMatchObject({
      status: 'sent',
      transport: 'http',
      providerId: expect.stringMatching(/^sms-/),
    });
    // One idempotency key for every try: the provider could tell them apart from a second message.
    expect(new Set(tries.map((r) => r.idempotencyKey))).toEqual(new Set([sent.id]));
    expect(smtp.to(f.email)).toHaveLength(1);

    // The same delivery job run again (a duplicate schedule, a replay): nothing leaves twice.
    for (const d of [sent, await deliveryOf('email')]) {
      await scheduleJob(db.db, {
        kind: DELIVER_JOB,
        key: deliverJobKey(d.id),
        runAt: w.time.clock(),
        payload: { deliveryId: d.id },
      });
    }
    await w.runner.runDue();
    expect(sms.requests.filter((r) => r.to === f.phone)).toHaveLength(3);
    expect(smtp.to(f.email)).toHaveLength(1);
  });

  it('won: the balance and its deadline reach the winner; the loser hears his deposit is released', async () => {
    const { listing } = await w.liveListing();
    const winner = await person();
    const loser = await person();
    await w.registeredWithDeposit(listing.id, winner.actor);
    await w.registeredWithDeposit(listing.id, loser.actor);
    await choose(winner, 'en', ['auctionWon:email']);
    await bid(loser, listing.id, START);
    await bid(winner, listing.id, START + INC);
    const [l] = await db.db.select().from(listings).where(eq(listings.id, listing.id));
    w.time.set(l!.currentEndAt);
    await w.runner.runDue();
    await w.runner.runDue();
    const won = smtp.to(winner.email).filter((m) => m.subject.startsWith('You won'));
    expect(won).toHaveLength(1);
    // ¥707,000 less the ¥70,000 deposit (listingInput), due by a Beijing date and time.
    expect(won[0]!.text).toMatch(/pay the balance of ¥637,000\.00 by \d{4}-\d\d-\d\d \d\d:\d\d/);
    const released = smtp.to(loser.email).filter((m) => m.subject.startsWith('保证金已退还'));
    expect(released).toHaveLength(1);
    expect(released[0]!.text).toContain('保证金 ¥70,000.00 已解冻退还');
  });
});

describe('the staff’s own queues (ADR 025)', () => {
  it('an organisation’s notice reaches its staff of the kind’s roles by e-mail, not other courts', async () => {
    const [clerkRow] = await db.db.select().from(users).where(eq(users.id, w.clerk.userId));
    const at = w.time.clock();
    await db.db.transaction((tx) =>
      notify(tx, {
        organisationId: w.clerk.organisationId!,
        kind: 'saleRulingOverdue',
        params: { title: '测试标的' },
        link: '/court/sales/x',
        dedupeKey: `test:ruling-overdue:${at.getTime()}`,
        at,
      }),
    );
    await w.runner.runDue();
    const got = smtp.to(clerkRow!.email).filter((m) => m.subject === '成交裁定超期：测试标的');
    expect(got).toHaveLength(1);
    const recipients = await db.db
      .select({ roles: users.roles, organisationId: users.organisationId })
      .from(notificationDeliveries)
      .innerJoin(users, eq(users.id, notificationDeliveries.userId))
      .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
      .where(eq(notifications.dedupeKey, `test:ruling-overdue:${at.getTime()}`));
    expect(recipients.length).toBeGreaterThan(0);
    for (const r of recipients) {
      expect(r.organisationId).toBe(w.clerk.organisationId);
      expect(r.roles.some((role) => role === 'court_clerk' || role === 'court_admin')).toBe(true);
    }
  });
});
