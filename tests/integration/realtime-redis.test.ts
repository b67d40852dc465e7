import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
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
  startCluster,
} from '../support/sockets';

/**
 * Two app processes (two servers in this test process, each with its own Socket.IO, Redis
 * Streams adapter, services and pool) on one database and one Redis: what happens on one
 * reaches the watchers of the other.
 */
const REDIS_URL = 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<boolean> {
  const c = createClient({ url: REDIS_URL, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  c.on('error', () => {});
  try {
    await c.connect();
    await c.ping();
    return true;
  } catch {
    return false;
  } finally {
    await c.quit().catch(() => {});
  }
}
const redisUp = await redisReachable();
if (!redisUp) console.warn(`realtime-redis: SKIPPED, Redis is not reachable at ${REDIS_URL}`);

let cluster: Awaited<ReturnType<typeof startCluster>>;
let auctions: Awaited<ReturnType<typeof auctionWorld>>;

const key = () => randomUUID();
const bid = (s: Client, listingId: string, amountFen: bigint) =>
  s.emitWithAck('bid:place', { listingId, amountFen: amountFen.toString(), clientKey: key() });

describe.skipIf(!redisUp)('two processes through Redis Streams', () => {
  beforeAll(async () => {
    cluster = await startCluster(2, { REDIS_URL });
    auctions = await auctionWorld(cluster.db);
  });
  afterEach(() => closeClients());
  afterAll(() => cluster?.stop());

  it('a bid placed on process A reaches a watcher on process B; viewers are counted across both', async () => {
    const [A, B] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    const { listing, bidder } = await auctions.live();
    const a = await bidder(A.services);
    const sa = await client(A.url, a.cookie);
    const onB = new AuctionFeed(await client(B.url), listing.id);
    const onA = new AuctionFeed(await client(A.url), listing.id);
    await onB.watch();
    await onA.watch();

    const answer = await bid(sa, listing.id, START);
    expect(answer).toMatchObject({ ok: true, data: { accepted: true, seq: 3 } });
    await vi.waitFor(() => expect(seqs(onB.applied)).toEqual([3]));
    expect(onB.applied[0]).toMatchObject({
      type: 'bid',
      payload: { code: a.code, amountFen: String(START) },
    });
    expect(onB.resumes).toBe(0); // it came live, not from a resume
    await vi.waitFor(() => expect(seqs(onA.applied)).toEqual([3]));

    // One watcher per process: both hear 2.
    await vi.waitFor(
      () => {
        expect(onA.viewers.at(-1)).toBe(2);
        expect(onB.viewers.at(-1)).toBe(2);
      },
      { timeout: 5000 },
    );
  });

  it('a watcher on B away for 10 s while 50 bids are placed on A ends with exactly those 50, in order', async () => {
    const [A, B] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    const { listing, bidder } = await auctions.live();
    const [a, b] = [await bidder(A.services), await bidder(A.services)];
    const [sa, sb] = [await client(A.url, a.cookie), await client(A.url, b.cookie)];
    const watcher = await client(B.url, undefined, {
      reconnection: true,
      reconnectionDelay: 10_000,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0,
    });
    const feed = new AuctionFeed(watcher, listing.id);
    await feed.watch();
    // Another watcher on B leaves for good (no recovery possible) and comes back by hand: it
    // re-watches and resumes from its last seq.
    const leaver = await client(B.url);
    const feed2 = new AuctionFeed(leaver, listing.id);
    await feed2.watch();
    expect((await bid(sa, listing.id, START)).ok).toBe(true);
    await vi.waitFor(() => expect([feed.lastSeq, feed2.lastSeq]).toEqual([3, 3]));
    const n = feed.lastSeq;

    // The network drops (not a goodbye): the server keeps the session for recovery.
    const lostAt = Date.now();
    const back = new Promise<number>((resolve) => watcher.once('connect', () => resolve(Date.now())));
    watcher.io.engine.close();
    leaver.disconnect();
    expect(watcher.connected || leaver.connected).toBe(false);

    for (let i = 1; i <= 50; i++) {
      const r = await bid(i % 2 === 1 ? sb : sa, listing.id, START + BigInt(i) * INC);
      expect(r).toMatchObject({ ok: true, data: { accepted: true, seq: n + i } });
    }
    const placedIn = Date.now() - lostAt;
    expect([feed.lastSeq, feed2.lastSeq]).toEqual([n, n]); // they heard none of them

    const reconnectedAt = await back;
    expect(reconnectedAt - lostAt).toBeGreaterThanOrEqual(9_500);
    leaver.connect();
    await vi.waitFor(() => expect([feed.lastSeq, feed2.lastSeq]).toEqual([n + 50, n + 50]), {
      timeout: 10_000,
    });
    for (const f of [feed, feed2]) {
      const after = f.applied.filter((e) => e.seq > n);
      expect(seqs(after)).toEqual(range(n + 1, n + 50));
      expect(new Set(seqs(f.applied)).size).toBe(f.applied.length); // no duplicates applied
      expect(after.map((e) => e.payload.amountFen)).toEqual(
        range(1, 50).map((i) => String(START + BigInt(i) * INC)),
      );
      expect(after.map((e) => e.payload.code)).toEqual(
        range(1, 50).map((i) => (i % 2 === 1 ? b.code : a.code)),
      );
      expect(f.errors).toEqual([]);
    }
    expect(feed2.reconnections).toEqual([false]); // it came back by watch + resume alone
    // How it recovered, for the record: connection-state recovery (Redis Streams) and/or resume.
    console.info(
      `realtime-redis: 50 bids in ${placedIn} ms; away ${reconnectedAt - lostAt} ms; recovered=${feed.reconnections.join(',')}; ` +
        `received ${feed.received.length} events (${feed.received.filter((e) => e.seq > n).length} after seq ${n}); resumes ${feed.resumes}; ` +
        `the leaver: recovered=${feed2.reconnections.join(',')}, resumes ${feed2.resumes}`,
    );
  }, 60_000);
});
