import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listings, priorityPurchasers } from '../../db/schema/auctions';
import { auctionEvents, bids, proxyBids } from '../../db/schema/bidding';
import { users } from '../../db/schema/identity';
import { jobs } from '../../db/schema/jobs';
import { balances, deposits } from '../../db/schema/payments';
import { createBiddingService } from '../../server/auctions/bidding';
import { createJobRunner } from '../../server/jobs/runner';
import { createLogger } from '../../server/logger';
import { createTestDatabase } from '../support/db';
import { caught } from '../support/fixtures';
import { moneyWorld } from '../support/money';

const MIN = 60_000;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: Awaited<ReturnType<typeof moneyWorld>>;

beforeAll(async () => {
  db = await createTestDatabase();
  w = await moneyWorld(db);
});
afterAll(() => db.drop());

type Who = Awaited<ReturnType<typeof w.quickBidder>>;
const key = () => randomUUID();
const bid = (who: Who, listingId: string, amountFen: bigint, clientKey = key()) =>
  w.services.bidding.placeBid(who.bidder, listingId, { amountFen: amountFen.toString(), clientKey });
const row = async (id: string) => (await db.db.select().from(listings).where(eq(listings.id, id)))[0]!;

/**
 * A runner with one loop whose set-based close records each batch of listings it is handed
 * (sorted): when it starts, and once it has succeeded.
 */
function oneLoopRecordingBatches() {
  const started: string[][] = [];
  const done: string[][] = [];
  const one = createJobRunner({
    db: db.db,
    clock: w.time.clock,
    logger: createLogger(w.config),
    concurrency: 1,
    handlers: w.services.jobHandlers,
    batchSizes: w.services.jobRunner.batchSizes,
    batchHandlers: {
      'listing.end': async (batch, ctx) => {
        const ids = batch.map((j) => String(j.payload.listingId)).sort();
        started.push(ids);
        await w.services.jobRunner.batchHandlers['listing.end'](batch, ctx);
        done.push(ids);
      },
    },
  });
  return { one, started, done };
}

// listingInput: start ¥700,000, increment ¥7,000, 24 h of bidding.
const START = 70_000_000n;
const INC = 700_000n;

describe('bid amounts (art. 11, 20)', () => {
  it('the first bid may equal the start; later bids climb by whole increments; no one outbids himself', async () => {
    const { listing } = await w.liveListing();
    const a = await w.quickBidder(listing.id);
    const b = await w.quickBidder(listing.id);
    expect(await bid(a, listing.id, START - 1n)).toEqual({ accepted: false, reason: 'bidding.belowStart' });
    expect(await bid(a, listing.id, START + INC / 2n)).toEqual({
      accepted: false,
      reason: 'bidding.offGrid',
    });
    expect(await bid(a, listing.id, START)).toMatchObject({
      accepted: true,
      seq: 3, // after the announcement and the start in the log
      amountFen: String(START),
    });
    expect(await bid(a, listing.id, START + INC)).toEqual({ accepted: false, reason: 'bidding.selfOutbid' });
    expect(await bid(b, listing.id, START)).toEqual({ accepted: false, reason: 'bidding.notAbove' });
    expect(await bid(b, listing.id, START + INC + 1n)).toEqual({
      accepted: false,
      reason: 'bidding.offGrid',
    });
    expect(await bid(b, listing.id, START + 3n * INC)).toMatchObject({ accepted: true, seq: 4 });
    const l = await row(listing.id);
    expect(l).toMatchObject({ currentPriceFen: START + 3n * INC, bidCount: 2, lastSeq: 4 });
    expect(l.leaderRegistrationId).toBe(b.registration.id);
  });

  it('who may bid: registered with the deposit held, while live', async () => {
    const { listing } = await w.announcedListing();
    const early = await w.quickBidder(listing.id);
    expect(await bid(early, listing.id, START)).toEqual({ accepted: false, reason: 'bidding.notLive' });
    const stranger = await w.newBidder();
    w.time.set(listing.startsAt);
    await w.runner.runDue();
    expect(
      await w.services.bidding.placeBid(stranger, listing.id, { amountFen: String(START), clientKey: key() }),
    ).toEqual({ accepted: false, reason: 'bidding.notRegistered' });
    const unpaid = await w.newBidder();
    await w.services.registrations.register(unpaid, listing.id, { acceptNotices: true });
    expect(
      await w.services.bidding.placeBid(unpaid, listing.id, { amountFen: String(START), clientKey: key() }),
    ).toEqual({ accepted: false, reason: 'bidding.depositNotHeld' });
    const bad = await caught(
      w.services.bidding.placeBid(stranger, listing.id, { amountFen: '1.5', clientKey: 'x' }),
    );
    expect(Object.keys(bad.details.fieldErrors ?? {}).sort()).toEqual(['amountFen', 'clientKey']);
  });

  it('a retried bid with the same client key returns the first answer and never bids twice', async () => {
    const { listing } = await w.liveListing();
    const a = await w.quickBidder(listing.id);
    const k = key();
    const first = await bid(a, listing.id, START, k);
    const again = await bid(a, listing.id, START, k);
    expect(again).toEqual(first);
    const refusedKey = key();
    const refused = await bid(a, listing.id, START + INC, refusedKey); // self-outbid
    // The same key, even with another amount, replays the refusal.
    expect(await bid(a, listing.id, START + 5n * INC, refusedKey)).toEqual(refused);
    expect(await db.db.select().from(bids).where(eq(bids.listingId, listing.id))).toHaveLength(1);
  });

  it('the same key sent twice at once (decided in one round) is one bid with one answer', async () => {
    const { listing } = await w.liveListing();
    const a = await w.quickBidder(listing.id);
    const b = await w.quickBidder(listing.id);
    const k = key();
    const [first, again, other] = await Promise.all([
      bid(a, listing.id, START, k),
      bid(a, listing.id, START, k),
      bid(b, listing.id, START + INC),
    ]);
    expect(first).toMatchObject({ accepted: true });
    expect(again).toEqual(first);
    expect(other).toMatchObject({ accepted: true });
    expect(await db.db.select().from(bids).where(eq(bids.listingId, listing.id))).toHaveLength(2);
  });
});

describe('the 5-minute rule (art. 20), to the millisecond', () => {
  it('a bid 1 ms before the end is accepted and moves the end to its time + 5 min; one at the end is refused', async () => {
    const { listing } = await w.liveListing();
    const a = await w.quickBidder(listing.id);
    const b = await w.quickBidder(listing.id);
    await bid(a, listing.id, START);
    const end = (await row(listing.id)).currentEndAt;
    w.time.set(new Date(end.getTime() - 1));
    const late = await bid(b, listing.id, START + INC);
    expect(late).toMatchObject({ accepted: true, extended: true });
    const extended = new Date(end.getTime() - 1 + 5 * MIN);
    expect(late.accepted && late.currentEndAt).toBe(extended.toISOString());
    expect(await row(listing.id)).toMatchObject({ currentEndAt: extended, extensionCount: 1 });

    w.time.set(extended); // exactly at the new end
    expect(await bid(a, listing.id, START + 2n * INC)).toEqual({ accepted: false, reason: 'bidding.ended' });
    expect((await row(listing.id)).currentPriceFen).toBe(START + INC);
  });

  it('a bid exactly 5 min before the end leaves it; 1 ms later it extends by 1 ms', async () => {
    const { listing } = await w.liveListing();
    const a = await w.quickBidder(listing.id);
    const b = await w.quickBidder(listing.id);
    const end = (await row(listing.id)).currentEndAt;
    w.time.set(new Date(end.getTime() - 5 * MIN));
    expect(await bid(a, listing.id, START)).toMatchObject({ accepted: true, extended: false });
    w.time.set(new Date(end.getTime() - 5 * MIN + 1));
    expect(await bid(b, listing.id, START + INC)).toMatchObject({
      accepted: true,
      extended: true,
      currentEndAt: new Date(end.getTime() + 1).toISOString(),
    });
  });
});

describe('priority purchasers (art. 19, 21)', () => {
  it('may bid equal to the current price and lead; a higher rank beats a lower; the same rank: the earlier bid', async () => {
    const { listing } = await w.liveListing();
    const ordinary = await w.quickBidder(listing.id);
    // Designate three priority purchasers: ranks 1, 1 and 2.
    const ranks = [1, 1, 2];
    const pp = [];
    for (const rank of ranks) {
      const user = await w.newBidder();
      // Designated by the identity he verified at signup (sealed as the court's form seals it).
      const [id] = await db.db.select().from(users).where(eq(users.id, user.userId));
      const [p] = await db.db
        .insert(priorityPurchasers)
        .values({
          listingId: listing.id,
          name: '优先购买权人',
          rank,
          rightKind: 'co_owner',
          identityKind: 'person',
          identityCipher: id!.nationalIdCipher,
          identityDigest: id!.nationalIdDigest,
          identityMasked: id!.nationalIdMasked,
        })
        .returning();
      const reg = await w.services.registrations.register(user, listing.id, { acceptNotices: true });
      expect(reg.registration.priorityPurchaserId).toBe(p!.id);
      pp.push(await w.registeredWithDeposit(listing.id, user));
    }
    const [p1a, p1b, p2] = pp as [Who, Who, Who];
    expect(p1a.registration.code).toMatch(/^P1-[2-9A-Z]{4}$/);
    expect(p2.registration.code).toMatch(/^P2-[2-9A-Z]{4}$/);

    const price = START + 2n * INC;
    await bid(ordinary, listing.id, price);
    expect(await bid(p2, listing.id, price)).toMatchObject({ accepted: true }); // rank 2 beats ordinary at par
    expect(await bid(ordinary, listing.id, price)).toEqual({ accepted: false, reason: 'bidding.notAbove' });
    expect(await bid(p1a, listing.id, price)).toMatchObject({ accepted: true }); // rank 1 beats rank 2 at par
    expect(await bid(p2, listing.id, price)).toEqual({
      accepted: false,
      reason: 'bidding.priorityNotHigher',
    });
    expect(await bid(p1b, listing.id, price)).toEqual({
      accepted: false,
      reason: 'bidding.priorityNotHigher',
    }); // same rank: earlier stands
    expect((await row(listing.id)).leaderRegistrationId).toBe(p1a.registration.id);
    // Anyone may still outbid by an increment.
    expect(await bid(ordinary, listing.id, price + INC)).toMatchObject({ accepted: true });
  });
});

describe('proxy bidding', () => {
  it('a proxy war between two proxies ends at the right price, one increment at a time, extending like any bid', async () => {
    const { listing } = await w.liveListing();
    const a = await w.quickBidder(listing.id);
    const b = await w.quickBidder(listing.id);
    const end = (await row(listing.id)).currentEndAt;
    w.time.set(new Date(end.getTime() - 2 * MIN)); // inside the last 5 minutes
    // A's maximum: start + 5 increments; A opens at the start.
    expect(
      await w.services.bidding.setProxy(a.bidder, listing.id, { maxFen: String(START + 5n * INC) }),
    ).toEqual({
      maxFen: String(START + 5n * INC),
      bidsPlaced: 1,
    });
    // B's maximum: start + 8 increments. They alternate one increment at a time: B +1, A +2,
    // B +3, A +4, B +5; A's maximum (+5) cannot reach +6, so B leads at +5 (A never placed +5).
    const r = await w.services.bidding.setProxy(b.bidder, listing.id, { maxFen: String(START + 8n * INC) });
    expect(r.bidsPlaced).toBe(5);
    const l = await row(listing.id);
    expect(l.currentPriceFen).toBe(START + 5n * INC);
    expect(l.leaderRegistrationId).toBe(b.registration.id);
    // Every proxy bid happened at the same server time, each extending to it + 5 min: one move.
    expect(l.currentEndAt).toEqual(new Date(end.getTime() - 2 * MIN + 5 * MIN));
    expect(l.extensionCount).toBe(1);
    const placed = await db.db
      .select({ code: bids.code, amountFen: bids.amountFen, source: bids.source })
      .from(bids)
      .where(eq(bids.listingId, listing.id))
      .orderBy(asc(bids.seq));
    expect(placed.map((p) => (p.amountFen - START) / INC)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
    expect(new Set(placed.map((p) => p.source))).toEqual(new Set(['proxy']));

    // A live bid above the proxies' reach: B's proxy answers once more, up to its maximum.
    expect(await bid(a, listing.id, START + 6n * INC)).toMatchObject({ accepted: true });
    expect((await row(listing.id)).currentPriceFen).toBe(START + 7n * INC);
    expect(await bid(a, listing.id, START + 8n * INC)).toMatchObject({ accepted: true });
    // B's maximum is +8: it cannot go above, and does not place an equal bid. A leads.
    expect((await row(listing.id)).leaderRegistrationId).toBe(a.registration.id);
  });

  it('tie rule: a live bid at exactly a proxy’s maximum leads; a proxy never bids for its leader', async () => {
    const { listing } = await w.liveListing();
    const proxy = await w.quickBidder(listing.id);
    const live = await w.quickBidder(listing.id);
    await w.services.bidding.setProxy(proxy.bidder, listing.id, { maxFen: String(START + 2n * INC) });
    expect((await row(listing.id)).currentPriceFen).toBe(START);
    await bid(live, listing.id, START + 2n * INC);
    const l = await row(listing.id);
    expect(l.currentPriceFen).toBe(START + 2n * INC);
    expect(l.leaderRegistrationId).toBe(live.registration.id);
    const low = await caught(
      w.services.bidding.setProxy(proxy.bidder, listing.id, { maxFen: String(START) }),
    );
    expect(low.details.fieldErrors?.maxFen).toEqual(['bidding.proxyTooLow']);
  });
});

describe('cancelling a proxy', () => {
  it('stops it answering; the bids it placed stand; cancelling again changes nothing; only a registered bidder may', async () => {
    const { listing } = await w.liveListing();
    const proxy = await w.quickBidder(listing.id);
    const live = await w.quickBidder(listing.id);
    await w.services.bidding.setProxy(proxy.bidder, listing.id, { maxFen: String(START + 6n * INC) });
    await bid(live, listing.id, START + INC); // the proxy answers at +2
    expect((await row(listing.id)).leaderRegistrationId).toBe(proxy.registration.id);

    expect(await w.services.bidding.cancelProxy(proxy.bidder, listing.id)).toEqual({ cancelled: true });
    expect(await w.services.bidding.cancelProxy(proxy.bidder, listing.id)).toEqual({ cancelled: true });
    expect((await w.services.bidding.myStanding(proxy.bidder, listing.id))?.proxyMaxFen).toBeNull();
    // Its +2 stands; outbid now, it does not answer although +4 is within its old maximum.
    await bid(live, listing.id, START + 3n * INC);
    const l = await row(listing.id);
    expect(l.currentPriceFen).toBe(START + 3n * INC);
    expect(l.leaderRegistrationId).toBe(live.registration.id);
    const placed = await db.db
      .select({ amountFen: bids.amountFen, source: bids.source })
      .from(bids)
      .where(eq(bids.listingId, listing.id))
      .orderBy(asc(bids.seq));
    expect(placed.map((p) => [(p.amountFen - START) / INC, p.source])).toEqual([
      [0n, 'proxy'],
      [1n, 'live'],
      [2n, 'proxy'],
      [3n, 'live'],
    ]);

    const stranger = await w.quickBidder((await w.liveListing()).listing.id);
    const refused = await caught(w.services.bidding.cancelProxy(stranger.bidder, listing.id));
    expect(refused.messageKey).toBe('bidding.notRegistered');
    await expect(w.services.bidding.cancelProxy(null, listing.id)).rejects.toMatchObject({
      code: 'unauthenticated',
    });
  });

  it('a proxy set again after its cancellation comes after those set meanwhile; a raised one keeps its place', async () => {
    const { listing } = await w.liveListing();
    const first = await w.quickBidder(listing.id);
    const second = await w.quickBidder(listing.id);
    const live = await w.quickBidder(listing.id);
    const setProxy = (who: Who, steps: bigint) =>
      w.services.bidding.setProxy(who.bidder, listing.id, { maxFen: String(START + steps * INC) });
    await bid(live, listing.id, START);
    await setProxy(first, 1n); // bids +1
    await w.services.bidding.cancelProxy(first.bidder, listing.id);
    await bid(live, listing.id, START + 2n * INC);
    await setProxy(second, 3n); // bids +3
    await setProxy(first, 4n); // bids +4
    await setProxy(second, 5n); // raised: bids +5, same place
    expect((await row(listing.id)).leaderRegistrationId).toBe(second.registration.id);
    const order = await db.db
      .select({ registrationId: proxyBids.registrationId })
      .from(proxyBids)
      .where(and(eq(proxyBids.listingId, listing.id), eq(proxyBids.active, true)))
      .orderBy(asc(proxyBids.serial));
    expect(order.map((o) => o.registrationId)).toEqual([second.registration.id, first.registration.id]);
  });
});

describe('the tamper-evident log', () => {
  it('anyone can verify the chain; changing one entry breaks it there', async () => {
    const { listing } = await w.liveListing();
    const a = await w.quickBidder(listing.id);
    const b = await w.quickBidder(listing.id);
    await bid(a, listing.id, START);
    await bid(b, listing.id, START + INC);
    await bid(a, listing.id, START + 2n * INC);
    const ok = await w.services.bidding.chain(listing.id);
    expect(ok.verdict).toMatchObject({ ok: true, length: 5 }); // announced, live, 3 bids
    expect(ok.entries.map((e) => e.type)).toEqual(['status', 'status', 'bid', 'bid', 'bid']);
    // No identity in the public log: codes only.
    expect(JSON.stringify(ok.entries)).not.toContain(a.bidder.userId);
    expect(JSON.stringify(ok.entries)).not.toContain(a.registration.id);

    await db.db
      .update(auctionEvents)
      .set({ payload: { ...ok.entries[3]!.payload, amountFen: String(START + 9n * INC) } })
      .where(and(eq(auctionEvents.listingId, listing.id), eq(auctionEvents.seq, 4)));
    expect((await w.services.bidding.chain(listing.id)).verdict).toEqual({ ok: false, brokenAt: 4 });
  });

  it('events after a sequence number come back in order, for reconnecting clients', async () => {
    const { listing } = await w.liveListing();
    const a = await w.quickBidder(listing.id);
    const b = await w.quickBidder(listing.id);
    for (let i = 0; i < 6; i++) await bid(i % 2 ? b : a, listing.id, START + BigInt(i) * INC);
    const missed = await w.services.bidding.eventsAfter(listing.id, 4);
    expect(missed.map((e) => e.seq)).toEqual([5, 6, 7, 8]);
    expect(missed.map((e) => e.payload.amountFen)).toEqual(
      [2n, 3n, 4n, 5n].map((k) => String(START + k * INC)),
    );
  });
});

describe('concurrency', () => {
  it('200 bidders firing at once at two engines (as two processes would): unique sequence numbers and prices, the chain verifies, the highest valid bid wins', async () => {
    const { listing } = await w.liveListing();
    const crowd: Who[] = [];
    for (let i = 0; i < 200; i++) crowd.push(await w.quickBidder(listing.id));
    // A second engine on the same database: its rounds and this one's meet only at the row lock.
    const other = createBiddingService({
      db: db.db,
      sql: db.sql,
      clock: w.time.clock,
      profile: w.services.profile,
    });
    // Everyone saw no bid yet and offers start + 0..4 increments: many collide, many are refused.
    const answers = await Promise.all(
      crowd.map((who, i) =>
        (i % 2 ? other : w.services.bidding).placeBid(who.bidder, listing.id, {
          amountFen: String(START + BigInt(i % 5) * INC + (i % 7 === 0 ? INC * 10n : 0n)),
          clientKey: key(),
        }),
      ),
    );
    const accepted = answers.filter((a) => a.accepted);
    expect(accepted.length).toBeGreaterThan(0);
    const placed = await db.db.select().from(bids).where(eq(bids.listingId, listing.id));
    expect(placed).toHaveLength(accepted.length);
    expect(new Set(placed.map((p) => p.seq)).size).toBe(placed.length);
    expect(new Set(placed.map((p) => p.amountFen)).size).toBe(placed.length);
    const byAmount = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
    const highest = placed
      .map((p) => p.amountFen)
      .sort(byAmount)
      .at(-1);
    const l = await row(listing.id);
    expect(l.currentPriceFen).toBe(highest);
    expect((await w.services.bidding.chain(listing.id)).verdict.ok).toBe(true);
    // Increasing in sequence order: every accepted bid beat the one before it.
    const bySeq = [...placed].sort((x, y) => x.seq - y.seq).map((p) => p.amountFen);
    expect(bySeq).toEqual([...bySeq].sort(byAmount));
  }, 60_000);
});

describe('closing and suspension', () => {
  it('sold at the end to the leader: confirmation with the real name (art. 22), deposits settle, the balance opens', async () => {
    const { listing } = await w.liveListing();
    const a = await w.quickBidder(listing.id);
    const b = await w.quickBidder(listing.id);
    await bid(a, listing.id, START);
    await bid(b, listing.id, START + INC);
    const before = await w.services.listings.publicListing(listing.id);
    expect(before.confirmation).toBeNull();
    expect(JSON.stringify(before.listing, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(
      b.registration.id,
    );

    w.time.set((await row(listing.id)).currentEndAt);
    await w.runner.runDue(); // closes, then the settle jobs
    await w.runner.runDue();
    const l = await row(listing.id);
    expect(l).toMatchObject({ status: 'ended', outcome: 'sold' });
    const pub = await w.services.listings.publicListing(listing.id);
    expect(pub.confirmation).toMatchObject({
      winnerName: expect.stringMatching(/^竞买人\d+$/),
      priceFen: START + INC,
    });
    expect(pub.confirmation!.code).toBe(b.registration.code);
    const [bal] = await db.db.select().from(balances).where(eq(balances.listingId, listing.id));
    expect(bal).toMatchObject({
      registrationId: b.registration.id,
      priceFen: START + INC,
      amountFen: START + INC - 7_000_000n,
    });
    const deps = await db.db.select().from(deposits).where(eq(deposits.listingId, listing.id));
    expect(Object.fromEntries(deps.map((d) => [d.registrationId, d.status]))).toEqual({
      [a.registration.id]: 'released',
      [b.registration.id]: 'applied',
    });
    // After the end no bid is accepted.
    expect(await bid(a, listing.id, START + 5n * INC)).toEqual({
      accepted: false,
      reason: 'bidding.notLive',
    });
  }, 60_000);

  it('a close waits for the bids that reached the server before the end, never for those after it (art. 20)', async () => {
    const { listing } = await w.liveListing();
    const a = await w.quickBidder(listing.id);
    const end = (await row(listing.id)).currentEndAt;
    w.time.set(new Date(end.getTime() - 1));
    const before = w.services.bidding.arrive(listing.id);
    w.time.set(end);
    // Reached the server at the end: refused whatever the close does; it is still being decided.
    const after = w.services.bidding.arrive(listing.id);
    w.time.set(new Date(end.getTime() + 2 * MIN));
    const asked: Array<{ ids: readonly string[]; cutoff: Date }> = [];
    const settledBefore = w.services.bidding.settledBefore;
    const spy = vi.spyOn(w.services.bidding, 'settledBefore').mockImplementation((ids, cutoff) => {
      asked.push({ ids, cutoff });
      return settledBefore(ids, cutoff);
    });
    try {
      // The bid before the end is decided while the close waits for it; it closes after that.
      const closing = w.runner.runDue();
      await vi.waitFor(() => expect(asked).toHaveLength(1));
      expect((await row(listing.id)).status).toBe('live');
      before.settle();
      await closing;
    } finally {
      spy.mockRestore();
      after.settle();
    }
    expect(asked).toEqual([{ ids: [listing.id], cutoff: end }]);
    expect((await row(listing.id)).status).toBe('ended');
    expect(await bid(a, listing.id, START)).toEqual({ accepted: false, reason: 'bidding.notLive' });
  });

  it('suspension mid-bidding freezes the clock; resuming without new times continues with what was left', async () => {
    const { listing } = await w.liveListing();
    const a = await w.quickBidder(listing.id);
    const end = (await row(listing.id)).currentEndAt;
    w.time.set(new Date(end.getTime() - 10 * MIN));
    await w.services.listings.suspend(w.clerk, listing.id, { reason: '系统故障' });
    expect(await bid(a, listing.id, START)).toEqual({ accepted: false, reason: 'bidding.notLive' });
    w.time.advance(3 * 3_600_000);
    await w.runner.runDue(); // the old end passes while suspended: nothing happens
    expect((await row(listing.id)).status).toBe('suspended');
    await w.services.listings.resume(w.clerk, listing.id, {});
    const resumed = await row(listing.id);
    expect(resumed.status).toBe('live');
    expect(resumed.currentEndAt).toEqual(new Date(w.time.clock().getTime() + 10 * MIN));
    expect(await bid(a, listing.id, START)).toMatchObject({ accepted: true });
    const types = (await w.services.bidding.chain(listing.id)).entries.map(
      (e) => `${e.type}:${e.payload.to ?? ''}`,
    );
    expect(types).toEqual(['status:announced', 'status:live', 'status:suspended', 'status:live', 'bid:']);
  });

  it('auctions ending in the same second close together (one batch): sold, failed; an extended one at its new end', async () => {
    // Three listings ending at the same instant: the runner claims the due end jobs as one batch.
    const { made, end } = await w.liveTogether(3);
    const [sold, failed, extended] = made as [(typeof made)[0], (typeof made)[0], (typeof made)[0]];
    const a = await w.quickBidder(sold.id);
    await bid(a, sold.id, START);
    const b = await w.quickBidder(extended.id);
    w.time.set(new Date(end.getTime() - 1_000));
    await bid(b, extended.id, START); // extends to end + 4 min 59 s
    // The bid moved the end's timer with the end (art. 20): nothing wakes at the old end for it.
    const endTimer = async () =>
      (
        await db.db
          .select()
          .from(jobs)
          .where(and(eq(jobs.key, `listing:${extended.id}:end`), eq(jobs.status, 'pending')))
      )[0]!;
    expect((await endTimer()).runAt).toEqual(new Date(end.getTime() - 1_000 + 5 * MIN));
    w.time.set(end);
    // One loop: the two end jobs due are claimed together and closed by the set-based handler.
    const { one, done } = oneLoopRecordingBatches();
    await one.runDue();
    expect(done).toEqual([[sold.id, failed.id].sort()]);
    await w.runner.runDue();
    const after = Object.fromEntries(
      await Promise.all(made.map(async (l) => [l.id, await row(l.id)] as const)),
    );
    expect(after[sold.id]).toMatchObject({ status: 'ended', outcome: 'sold', endedAt: end });
    expect(after[failed.id]).toMatchObject({ status: 'ended', outcome: 'failed', endedAt: end });
    expect(after[extended.id]!.status).toBe('live');
    for (const l of [sold, failed]) {
      const c = await w.services.bidding.chain(l.id);
      expect(c.verdict.ok).toBe(true);
      expect(c.entries.at(-1)).toMatchObject({ type: 'status', payload: { from: 'live', to: 'ended' } });
    }
    const again = await endTimer();
    expect(again.runAt).toEqual(new Date(end.getTime() - 1_000 + 5 * MIN));
    // The money followed: the sold one's balance is open.
    expect(await db.db.select().from(balances).where(eq(balances.listingId, sold.id))).toHaveLength(1);
    w.time.set(again.runAt);
    await w.runner.runDue();
    expect(await row(extended.id)).toMatchObject({ status: 'ended', outcome: 'sold' });
  }, 60_000);

  it("a crowd's close does not wait for one auction's bids on their way: the others close at once, those once their bids are decided (art. 20)", async () => {
    const { made, end } = await w.liveTogether(3);
    const [raised, refused, clear] = made as [(typeof made)[0], (typeof made)[0], (typeof made)[0]];
    const a = await w.quickBidder(raised.id);
    const b = await w.quickBidder(refused.id);
    // Two bids reach the server 1 ms before the end and are not decided yet.
    w.time.set(new Date(end.getTime() - 1));
    const raise = w.services.bidding.arrive(raised.id);
    const tooLow = w.services.bidding.arrive(refused.id);
    w.time.set(end);
    const { one, started } = oneLoopRecordingBatches();
    const running = one.runDue();
    // The auction without one closes at once; the two wait, still live, for their bids.
    await vi.waitFor(async () => expect((await row(clear.id)).status).toBe('ended'));
    await vi.waitFor(() => expect(started).toHaveLength(2));
    expect(started).toEqual([made.map((l) => l.id).sort(), [raised.id, refused.id].sort()]);
    expect((await row(raised.id)).status).toBe('live');
    expect((await row(refused.id)).status).toBe('live');
    // Decided after the end, each at its arrival.
    expect(
      await w.services.bidding.placeBid(
        a.bidder,
        raised.id,
        { amountFen: String(START), clientKey: key() },
        raise,
      ),
    ).toMatchObject({
      accepted: true,
      at: new Date(end.getTime() - 1).toISOString(),
    });
    expect(
      await w.services.bidding.placeBid(
        b.bidder,
        refused.id,
        { amountFen: String(START - 1n), clientKey: key() },
        tooLow,
      ),
    ).toEqual({ accepted: false, reason: 'bidding.belowStart' });
    await running;
    expect(await row(clear.id)).toMatchObject({ status: 'ended', outcome: 'failed', endedAt: end });
    expect(await row(refused.id)).toMatchObject({ status: 'ended', outcome: 'failed', endedAt: end });
    // Art. 20: the raise moved the end to its time + 5 min; its close comes back then.
    expect(await row(raised.id)).toMatchObject({
      status: 'live',
      currentEndAt: new Date(end.getTime() - 1 + 5 * MIN),
    });
  }, 60_000);
});
