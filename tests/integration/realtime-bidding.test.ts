import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sessions } from '../../db/schema/identity';
import { DEMO_PASSWORD } from '../../server/demo/seed-accounts';
import type { AuctionEventDto } from '../../server/realtime/events';
import { actorFor } from '../support/court';
import { meta, signupInput } from '../support/fixtures';
import { startTestServer } from '../support/server';
import {
  AuctionFeed,
  auctionWorld,
  type Client,
  client,
  closeClients,
  INC,
  range,
  START,
  seqs,
} from '../support/sockets';

let server: Awaited<ReturnType<typeof startTestServer>>;
let auctions: Awaited<ReturnType<typeof auctionWorld>>;

beforeAll(async () => {
  server = await startTestServer();
  auctions = await auctionWorld(server.db);
});
afterEach(() => closeClients());
afterAll(() => server.stop());

const key = () => randomUUID();
const bid = (s: Client, listingId: string, amountFen: bigint, clientKey = key()) =>
  s.emitWithAck('bid:place', { listingId, amountFen: amountFen.toString(), clientKey });
/** Every log entry a socket receives (`auction:events`), in arrival order. */
const recorder = (s: Client) => {
  const got: AuctionEventDto[] = [];
  s.on('auction:events', (events) => got.push(...events));
  return got;
};

describe('watching an auction', () => {
  it('answers with a snapshot of the standing, the clock and the counts', async () => {
    const { listing, bidder } = await auctions.live();
    const a = await bidder(server.services);
    await bidder(server.services);
    await server.services.bidding.placeBid(a.actor, listing.id, {
      amountFen: String(START),
      clientKey: key(),
    });

    const watcher = await client(server.url);
    const before = Date.now();
    const r = await watcher.emitWithAck('auction:watch', { listingId: listing.id });
    expect(r).toEqual({
      ok: true,
      data: {
        listingId: listing.id,
        status: 'live',
        outcome: null,
        priceFen: String(START),
        leaderCode: a.code,
        startingPriceFen: String(START),
        incrementFen: String(INC),
        startsAt: listing.startsAt.getTime(),
        currentEndAt: listing.endsAt.getTime(),
        extensionCount: 0,
        bidCount: 1,
        seq: 3, // announced, live, the bid
        registered: 2,
        viewers: 1,
        serverTime: expect.any(Number),
        recentBids: [
          { seq: 3, code: a.code, amountFen: String(START), at: expect.any(Number), source: 'live' },
        ],
      },
    });
    expect(r.ok && r.data.serverTime).toBeGreaterThanOrEqual(before - 5);
    expect(r.ok && r.data.serverTime).toBeLessThanOrEqual(Date.now() + 5);
  });

  it('refuses an unknown listing and a malformed id, and does not join their room', async () => {
    const watcher = await client(server.url);
    expect(await watcher.emitWithAck('auction:watch', { listingId: randomUUID() })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'errors.notFound' },
    });
    expect(await watcher.emitWithAck('auction:watch', { listingId: 'abc' })).toEqual({
      ok: false,
      error: {
        code: 'validation',
        message: 'errors.validation',
        fieldErrors: { listingId: ['validation.listingId'] },
      },
    });
    expect(await watcher.emitWithAck('auction:watch', null as never)).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    const sockets = await server.io.in(`auction:${randomUUID()}`).fetchSockets();
    expect(sockets).toHaveLength(0);
  });
});

describe('bidding over the socket', () => {
  it('acknowledges accepted and refused bids; every watcher gets each accepted bid once, in order', async () => {
    const { listing, bidder } = await auctions.live();
    const a = await bidder(server.services);
    const b = await bidder(server.services);
    const sa = await client(server.url, a.cookie);
    const sb = await client(server.url, b.cookie);
    const watcher = await client(server.url);
    const got = recorder(watcher);
    expect((await watcher.emitWithAck('auction:watch', { listingId: listing.id })).ok).toBe(true);

    const first = await bid(sa, listing.id, START);
    expect(first).toEqual({
      ok: true,
      data: {
        accepted: true,
        seq: 3,
        amountFen: String(START),
        at: expect.any(String),
        currentEndAt: listing.endsAt.toISOString(),
        extended: false,
      },
    });
    expect(await bid(sa, listing.id, START + INC)).toEqual({
      ok: true,
      data: { accepted: false, reason: 'bidding.selfOutbid' },
    });
    expect(await bid(sb, listing.id, START)).toEqual({
      ok: true,
      data: { accepted: false, reason: 'bidding.notAbove' },
    });
    const k = key();
    const second = await bid(sb, listing.id, START + 2n * INC, k);
    expect(second).toMatchObject({ ok: true, data: { accepted: true, seq: 4 } });
    // A retry with the same client key gets the first answer and places nothing.
    expect(await bid(sb, listing.id, START + 2n * INC, k)).toEqual(second);
    expect(await bid(sa, listing.id, START + 3n * INC)).toMatchObject({ ok: true, data: { seq: 5 } });

    await vi.waitFor(() => expect(seqs(got)).toEqual([3, 4, 5]));
    expect(got.map((e) => [e.type, e.payload.code, e.payload.amountFen, e.payload.source])).toEqual([
      ['bid', a.code, String(START), 'live'],
      ['bid', b.code, String(START + 2n * INC), 'live'],
      ['bid', a.code, String(START + 3n * INC), 'live'],
    ]);
    expect(got[0]).toMatchObject({
      listingId: listing.id,
      at: Date.parse((first.ok && first.data.accepted && first.data.at) || ''),
    });
    // The bidders watch nothing: they received no events.
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(3);
  });

  it('a burst of bids reaches the room in fewer messages than entries: each entry once, in seq order', async () => {
    const { listing, bidder } = await auctions.live();
    const crowd = [];
    for (let i = 0; i < 8; i++) crowd.push(await client(server.url, (await bidder(server.services)).cookie));
    const watcher = await client(server.url);
    const messages: number[][] = [];
    watcher.on('auction:events', (events) => messages.push(events.map((e) => e.seq)));
    expect((await watcher.emitWithAck('auction:watch', { listingId: listing.id })).ok).toBe(true);
    // Eight bidders at once, each a step above the last: every one is accepted.
    const answers = await Promise.all(crowd.map((s, i) => bid(s, listing.id, START + BigInt(i) * INC)));
    const accepted = answers.filter((a) => a.ok && a.data.accepted).length;
    expect(accepted).toBeGreaterThan(1);
    await vi.waitFor(() => expect(messages.flat()).toHaveLength(accepted));
    expect(messages.flat()).toEqual(Array.from({ length: accepted }, (_, i) => 3 + i));
    expect(messages.length).toBeLessThan(accepted);
  });

  it('a room larger than one write chunk (100 sockets): every watcher gets every entry once, in order; other rooms none', async () => {
    const { listing, bidder } = await auctions.live();
    const other = await auctions.live();
    const bystander = await client(server.url);
    const unseen = recorder(bystander);
    expect((await bystander.emitWithAck('auction:watch', { listingId: other.listing.id })).ok).toBe(true);
    const a = await client(server.url, (await bidder(server.services)).cookie);
    const b = await client(server.url, (await bidder(server.services)).cookie);
    // A bid nobody watches goes to nobody (not to every socket).
    expect(await bid(a, listing.id, START)).toMatchObject({ ok: true, data: { accepted: true, seq: 3 } });
    const crowd = await Promise.all(Array.from({ length: 250 }, () => client(server.url)));
    const got = crowd.map(recorder);
    for (const w of crowd)
      expect((await w.emitWithAck('auction:watch', { listingId: listing.id })).ok).toBe(true);
    // Alternating bids, each sent once the last is answered: several slices' worth of messages.
    for (let i = 1n; i <= 6n; i++) {
      const answer = await bid(i % 2n ? b : a, listing.id, START + i * INC);
      expect(answer).toMatchObject({ ok: true, data: { accepted: true } });
    }
    await vi.waitFor(() => expect(got.every((g) => g.length === 6)).toBe(true));
    for (const g of got) expect(seqs(g)).toEqual(range(4, 9));
    expect(unseen).toEqual([]);
  });

  it('a crowd joining while bids commit shares snapshot reads, and each watcher has every entry after its snapshot without asking again', async () => {
    const { listing, bidder } = await auctions.live();
    const a = await client(server.url, (await bidder(server.services)).cookie);
    const b = await client(server.url, (await bidder(server.services)).cookie);
    const crowd = await Promise.all(Array.from({ length: 60 }, () => client(server.url)));
    const got = crowd.map(recorder);
    const reads = vi.spyOn(server.services.bidding, 'snapshot');
    try {
      // All join at once while bids commit: some joins land between a bid's commit and its relay.
      const joining = Promise.all(
        crowd.map((w) => w.emitWithAck('auction:watch', { listingId: listing.id })),
      );
      for (let i = 0n; i < 8n; i++) {
        const answer = await bid(i % 2n ? b : a, listing.id, START + i * INC);
        expect(answer).toMatchObject({ ok: true, data: { accepted: true } });
      }
      const snapshots = await joining;
      const last = (await server.services.bidding.snapshot(listing.id)).seq;
      expect(reads.mock.calls.length - 1).toBeLessThan(crowd.length);
      // Every watcher whose snapshot is older than the last entry gets that entry.
      await vi.waitFor(() =>
        expect(
          snapshots.every((r, i) => r.ok && (r.data.seq >= last || got[i]!.some((e) => e.seq === last))),
        ).toBe(true),
      );
      for (const [i, r] of snapshots.entries()) {
        if (!r.ok) throw new Error('watch refused');
        // From the snapshot on, every entry once and in order: no gap to repair with a resume.
        const after = got[i]!.filter((e) => e.seq > r.data.seq);
        expect(seqs(after)).toEqual(range(r.data.seq + 1, last));
      }
    } finally {
      reads.mockRestore();
    }
  });

  it('a socket that floods bids is slowed down: past a burst of 40 it is refused as rate_limited', async () => {
    const { listing, bidder } = await auctions.live();
    const s = await client(server.url, (await bidder(server.services)).cookie);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => bid(s, listing.id, START + BigInt(i) * INC)),
    );
    const limited = answers.filter((a) => !a.ok && a.error.code === 'rate_limited');
    expect(limited.length).toBeGreaterThanOrEqual(5);
    expect(limited.length).toBeLessThanOrEqual(10);
    expect(limited[0]).toEqual({ ok: false, error: { code: 'rate_limited', message: 'errors.tooFast' } });
    // The others were decided by the engine (one accepted, the rest his own outbids).
    expect(answers.filter((a) => a.ok && a.data.accepted)).toHaveLength(1);
  });

  it('refuses the anonymous, those who may not bid, and malformed input', async () => {
    const { listing, bidder } = await auctions.live();
    const anon = await client(server.url);
    expect(await bid(anon, listing.id, START)).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'errors.unauthenticated' },
    });
    expect(
      await anon.emitWithAck('proxy:set', { listingId: listing.id, maxFen: String(START) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });

    const clerk = await server.services.identity.login(
      { email: 'clerk@demo.lastmile.test', password: DEMO_PASSWORD },
      meta,
    );
    const staff = await client(server.url, `lm_session=${clerk.token}`);
    expect(await bid(staff, listing.id, START)).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const a = await bidder(server.services);
    const sa = await client(server.url, a.cookie);
    // The socket layer checks the shape; the engine checks amounts and keys (one rule, one place).
    expect(
      await sa.emitWithAck('bid:place', { listingId: listing.id, amountFen: 70, clientKey: key() } as never),
    ).toEqual({
      ok: false,
      error: {
        code: 'validation',
        message: 'errors.validation',
        fieldErrors: { amountFen: ['validation.amount'] },
      },
    });
    expect(
      await sa.emitWithAck('bid:place', { listingId: listing.id, amountFen: '1.5', clientKey: 'x' }),
    ).toEqual({
      ok: false,
      error: {
        code: 'validation',
        message: 'errors.validation',
        fieldErrors: { amountFen: ['validation.amount'], clientKey: ['validation.clientKey'] },
      },
    });
    expect(await bid(sa, randomUUID(), START)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // A bidder not registered for this auction.
    const other = await auctions.live();
    expect(await bid(sa, other.listing.id, START)).toEqual({
      ok: true,
      data: { accepted: false, reason: 'bidding.notRegistered' },
    });
    // No ack function: ignored, and the socket stays usable.
    (sa as unknown as { emit(event: string, payload: unknown): void }).emit('bid:place', {
      listingId: listing.id,
      amountFen: String(START),
      clientKey: key(),
    });
    expect((await sa.emitWithAck('time:sync', {})).ok).toBe(true);
  });

  it('a session revoked behind the socket’s back cannot bid once its check is due, and its socket is cut', async () => {
    const { listing, bidder } = await auctions.live();
    const a = await bidder(server.services);
    const b = await bidder(server.services);
    const sa = await client(server.url, a.cookie);
    // The handshake checked the session: the first bid needs no second check.
    expect(await bid(sa, listing.id, START)).toMatchObject({ ok: true, data: { accepted: true } });
    // Revoked in the database without the broadcast (as if it went to another process and was lost).
    await server.db.db
      .update(sessions)
      .set({ revokedAt: new Date() })
      .where(eq(sessions.id, a.actor.sessionId));
    // Once the check is due (at most 1.25 × 5 s after the last one), the next bid re-checks first.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6_500);
    try {
      const told = new Promise((resolve) => sa.once('session:revoked', resolve));
      const gone = new Promise((resolve) => sa.once('disconnect', resolve));
      expect(await bid(sa, listing.id, START + 5n * INC)).toMatchObject({
        ok: false,
        error: { code: 'unauthenticated' },
      });
      expect(await told).toEqual({ reason: 'revoked' });
      expect(await gone).toBe('io server disconnect');
      expect((await server.services.bidding.snapshot(listing.id)).bidCount).toBe(1);
      // Another bidder's socket, checked at its handshake, is unaffected.
      const sb = await client(server.url, b.cookie);
      expect(await bid(sb, listing.id, START + INC)).toMatchObject({ ok: true, data: { accepted: true } });
    } finally {
      vi.useRealTimers();
    }
  });

  it('sets a proxy maximum; the engine’s bids reach the room marked as proxy; cancelled, it bids no more', async () => {
    const { listing, bidder } = await auctions.live();
    const a = await bidder(server.services);
    const b = await bidder(server.services);
    const sa = await client(server.url, a.cookie);
    const sb = await client(server.url, b.cookie);
    const watcher = await client(server.url);
    const got = recorder(watcher);
    await watcher.emitWithAck('auction:watch', { listingId: listing.id });

    await bid(sa, listing.id, START);
    expect(await sb.emitWithAck('proxy:set', { listingId: listing.id, maxFen: String(START) })).toEqual({
      ok: false,
      error: {
        code: 'validation',
        message: 'errors.validation',
        fieldErrors: { maxFen: ['bidding.proxyTooLow'] },
      },
    });
    expect(
      await sb.emitWithAck('proxy:set', { listingId: listing.id, maxFen: String(START + 5n * INC) }),
    ).toEqual({
      ok: true,
      data: { maxFen: String(START + 5n * INC), bidsPlaced: 1 },
    });
    // A live bid makes the proxy answer in the same transaction: two entries, in order.
    expect(await bid(sa, listing.id, START + 2n * INC)).toMatchObject({
      ok: true,
      data: { accepted: true, seq: 5 },
    });
    await vi.waitFor(() => expect(seqs(got)).toEqual([3, 4, 5, 6]));
    expect(got.map((e) => [e.payload.code, e.payload.amountFen, e.payload.source])).toEqual([
      [a.code, String(START), 'live'],
      [b.code, String(START + INC), 'proxy'],
      [a.code, String(START + 2n * INC), 'live'],
      [b.code, String(START + 3n * INC), 'proxy'],
    ]);

    // Cancelled over the socket, the proxy bids no more: a's next bid is answered by nobody.
    const { token } = await server.services.identity.signup(signupInput(), meta);
    const stranger = await client(server.url, `lm_session=${token}`);
    expect(await stranger.emitWithAck('proxy:cancel', { listingId: listing.id })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'bidding.notRegistered' },
    });
    expect(await sb.emitWithAck('proxy:cancel', { listingId: listing.id })).toEqual({
      ok: true,
      data: { cancelled: true },
    });
    expect(await bid(sa, listing.id, START + 4n * INC)).toMatchObject({
      ok: true,
      data: { accepted: true, seq: 7 },
    });
    await vi.waitFor(() => expect(seqs(got)).toEqual([3, 4, 5, 6, 7]));
    await new Promise((r) => setTimeout(r, 100));
    expect(seqs(got)).toEqual([3, 4, 5, 6, 7]);
    expect(got.at(-1)?.payload).toMatchObject({ code: a.code, source: 'live' });
  });
});

describe('resuming after a sequence number', () => {
  it('returns exactly the entries after it, in order; nothing after the last', async () => {
    const { listing, bidder } = await auctions.live();
    const a = await bidder(server.services);
    const b = await bidder(server.services);
    for (let i = 0; i < 6; i++) {
      const who = i % 2 === 0 ? a : b;
      await server.services.bidding.placeBid(who.actor, listing.id, {
        amountFen: String(START + BigInt(i) * INC),
        clientKey: key(),
      });
    }
    const s = await client(server.url); // anyone: no sign-in needed
    const r = await s.emitWithAck('auction:resume', { listingId: listing.id, afterSeq: 4 });
    expect(r.ok && seqs(r.data.events)).toEqual([5, 6, 7, 8]);
    expect(r.ok && r.data.events[0]).toEqual({
      listingId: listing.id,
      seq: 5,
      type: 'bid',
      at: expect.any(Number),
      payload: expect.objectContaining({ code: a.code, amountFen: String(START + 2n * INC), source: 'live' }),
    });
    const all = await s.emitWithAck('auction:resume', { listingId: listing.id, afterSeq: 0 });
    expect(all.ok && all.data.events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'status'],
      [2, 'status'],
      ...range(3, 8).map((n) => [n, 'bid']),
    ]);
    expect(await s.emitWithAck('auction:resume', { listingId: listing.id, afterSeq: 8 })).toEqual({
      ok: true,
      data: { events: [] },
    });
    expect(await s.emitWithAck('auction:resume', { listingId: listing.id, afterSeq: -1 })).toMatchObject({
      ok: false,
      error: { code: 'validation', fieldErrors: { afterSeq: ['validation.seq'] } },
    });
    expect(await s.emitWithAck('auction:resume', { listingId: listing.id, afterSeq: 1.5 })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
  });

  it('a client that missed events sees the gap by seq and resumes; status changes come with their seq', async () => {
    const { listing, bidder } = await auctions.live();
    const a = await bidder(server.services);
    const b = await bidder(server.services);
    const watcher = await client(server.url);
    const feed = new AuctionFeed(watcher, listing.id);
    const statuses: string[] = [];
    watcher.on('listing:status', (p) => statuses.push(p.status));
    await feed.watch();
    expect(feed.lastSeq).toBe(2);

    await server.services.bidding.placeBid(a.actor, listing.id, {
      amountFen: String(START),
      clientKey: key(),
    });
    await vi.waitFor(() => expect(feed.lastSeq).toBe(3));
    // Out of the room for a moment (as on a flaky network): it misses seq 4.
    await watcher.emitWithAck('auction:unwatch', { listingId: listing.id });
    await server.services.bidding.placeBid(b.actor, listing.id, {
      amountFen: String(START + INC),
      clientKey: key(),
    });
    await watcher.emitWithAck('room:join', { room: `auction:${listing.id}` });
    await server.services.bidding.placeBid(a.actor, listing.id, {
      amountFen: String(START + 2n * INC),
      clientKey: key(),
    });
    await vi.waitFor(() => expect(seqs(feed.applied)).toEqual([3, 4, 5]));
    expect(feed.resumes).toBeGreaterThanOrEqual(1);

    // A court suspends the auction: the page's cue and the log entry with its seq.
    const clerk = await actorFor(server.services, 'clerk@demo.lastmile.test');
    await server.services.listings.suspend(clerk, listing.id, { reason: '案外人提出异议' });
    await vi.waitFor(() => expect(seqs(feed.applied)).toEqual([3, 4, 5, 6]));
    expect(feed.applied[3]).toMatchObject({
      type: 'status',
      payload: { from: 'live', to: 'suspended', reason: '案外人提出异议' },
    });
    expect(statuses).toEqual(['suspended']);
    expect(feed.received.filter((e) => e.seq === 6)).toHaveLength(1);
    expect(await bid(await client(server.url, a.cookie), listing.id, START + 3n * INC)).toEqual({
      ok: true,
      data: { accepted: false, reason: 'bidding.notLive' },
    });
  });
});

describe('viewers', () => {
  it('counts the watchers and tells the room, throttled', async () => {
    const { listing } = await auctions.live();
    const first = await client(server.url);
    const feed = new AuctionFeed(first, listing.id);
    expect((await feed.watch()).viewers).toBe(1);
    await vi.waitFor(() => expect(feed.viewers.at(-1)).toBe(1), { timeout: 3000 });

    const second = await client(server.url);
    expect((await second.emitWithAck('auction:watch', { listingId: listing.id })).ok).toBe(true);
    await vi.waitFor(() => expect(feed.viewers.at(-1)).toBe(2), { timeout: 3000 });
    await second.emitWithAck('auction:unwatch', { listingId: listing.id });
    await vi.waitFor(() => expect(feed.viewers.at(-1)).toBe(1), { timeout: 3000 });

    // A crowd arrives at once: a couple of messages to the room, not one per arrival.
    const heard = feed.viewers.length;
    const crowd = await Promise.all(Array.from({ length: 40 }, () => client(server.url)));
    await Promise.all(crowd.map((s) => s.emitWithAck('auction:watch', { listingId: listing.id })));
    await vi.waitFor(() => expect(feed.viewers.at(-1)).toBe(41), { timeout: 3000 });
    await new Promise((r) => setTimeout(r, 1200));
    expect(feed.viewers.length - heard).toBeLessThanOrEqual(3);
    expect(feed.viewers.at(-1)).toBe(41);

    // Leaving by disconnecting counts too.
    for (const s of crowd.slice(0, 10)) s.disconnect();
    await vi.waitFor(() => expect(feed.viewers.at(-1)).toBe(31), { timeout: 3000 });
  });
});
