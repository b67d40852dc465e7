import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer } from '../support/server';
import { auctionWorld, type Client, client, closeClients, START } from '../support/sockets';

/**
 * `/metrics` (issue 19 part 6): scraped over HTTP from a real server while real Socket.IO
 * clients bid and the real job runner runs a job; the figures move by what happened.
 */
let server: Awaited<ReturnType<typeof startTestServer>>;
let auctions: Awaited<ReturnType<typeof auctionWorld>>;

beforeAll(async () => {
  server = await startTestServer();
  auctions = await auctionWorld(server.db);
});
afterEach(() => closeClients());
afterAll(() => server.stop());

async function scrape(headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

/** The value of one series, 0 when the series does not exist yet. */
function value(text: string, name: string, labels: Record<string, string> = {}) {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const body = line.slice(name.length).match(/^(?:\{(.*)\})? (\S+)$/);
    if (!body) continue;
    const have = (body[1] ?? '').split(',');
    if (want.every((w) => have.includes(w))) return Number(body[2]);
  }
  return 0;
}

const bid = (s: Client, listingId: string, amountFen: bigint) =>
  s.emitWithAck('bid:place', { listingId, amountFen: amountFen.toString(), clientKey: randomUUID() });

describe('/metrics', () => {
  it('counts decided bids by outcome and reason, their acknowledgement and broadcast, and the sockets', async () => {
    const { listing, bidder } = await auctions.live();
    const a = await bidder(server.services);
    const b = await bidder(server.services);
    const sa = await client(server.url, a.cookie);
    const sb = await client(server.url, b.cookie);
    const watcher = await client(server.url);
    expect((await watcher.emitWithAck('auction:watch', { listingId: listing.id })).ok).toBe(true);
    const before = await scrape();

    expect(await bid(sa, listing.id, START)).toMatchObject({ data: { accepted: true } });
    expect(await bid(sb, listing.id, START)).toMatchObject({ data: { reason: 'bidding.notAbove' } });
    // The broadcast is observed once the batch has reached the room's sockets.
    await vi.waitFor(async () =>
      expect(value(await scrape(), 'lastmile_bid_broadcast_seconds_count')).toBeGreaterThan(
        value(before, 'lastmile_bid_broadcast_seconds_count'),
      ),
    );
    const after = await scrape();

    const delta = (name: string, labels?: Record<string, string>) =>
      value(after, name, labels) - value(before, name, labels);
    expect(delta('lastmile_bids_decided_total', { outcome: 'accepted' })).toBe(1);
    expect(delta('lastmile_bids_decided_total', { outcome: 'refused', reason: 'bidding.notAbove' })).toBe(1);
    expect(delta('lastmile_bid_ack_seconds_count')).toBe(2);
    expect(value(after, 'lastmile_sockets_connected')).toBeGreaterThanOrEqual(3);
    // Requests are timed by route pattern: the scrapes in between (at least the waiting one's).
    expect(
      delta('lastmile_http_request_duration_seconds_count', { route: '/metrics', status: '2xx' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts job runs by kind and reads the jobs waiting from the database', async () => {
    const before = await scrape();
    const kind = 'transparency.checkpoint';
    const ran = value(before, 'lastmile_job_runs_total', { kind, outcome: 'done' });
    // A real job, through the real runner: the checkpoint a close schedules.
    await server.services.transparency.checkpointSoon(server.db.db, new Date(Date.now() + 60_000));
    expect(value(await scrape(), 'lastmile_jobs_waiting', { kind, due: 'false' })).toBeGreaterThanOrEqual(1);
    await server.services.transparency.checkpointSoon(server.db.db, new Date());
    await vi.waitFor(
      async () =>
        expect(value(await scrape(), 'lastmile_job_runs_total', { kind, outcome: 'done' })).toBe(ran + 1),
      { timeout: 10_000 },
    );
    expect(value(await scrape(), 'lastmile_job_lateness_seconds_count', { kind })).toBeGreaterThan(0);
  });

  it('is not served to a request a proxy forwarded, nor without the token once one is configured', async () => {
    const forwarded = await fetch(`${server.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(forwarded.status).toBe(404);

    const token = 'scrape-token-0123456789';
    const guarded = await startTestServer({ METRICS_TOKEN: token, SEED_DEMO_DATA: 'false' });
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(404);
      const wrong = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer wrong' } });
      expect(wrong.status).toBe(404);
      const right = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(right.status).toBe(200);
      expect(await right.text()).toContain('lastmile_bids_decided_total');
    } finally {
      await guarded.stop();
    }
  });
});
