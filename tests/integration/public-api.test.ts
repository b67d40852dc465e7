import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../server/http/rate-limit';
import { actorFor, assetInput, caseInput, listingInput } from '../support/court';
import { startTestServer } from '../support/server';

// The public feed for aggregators (ADR 026): no token, only what the public pages show, cached
// with an ETag, keyset pages, limited per client address (the TRUST_PROXY hops decide it).

let server: Awaited<ReturnType<typeof startTestServer>>;
let listingId: string;
const LIMIT = 8;
const DAY = 86_400_000;
let lastAddress = 0;
/** Each test speaks from its own address (behind one trusted proxy), so limits never cross. */
const address = () => `203.0.113.${++lastAddress}`;

beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: '1', PUBLIC_API_PER_MINUTE: String(LIMIT) });
  const s = server.services;
  const clerk = await actorFor(s, 'clerk@demo.lastmile.test');
  const panel = await actorFor(s, 'panel@demo.lastmile.test');
  const kase = await s.cases.createCase(clerk, caseInput(), 'test');
  const asset = await s.cases.createAsset(clerk, kase.id, assetInput(), 'test');
  const now = Date.now();
  const draft = await s.listings.createDraft(
    clerk,
    asset.id,
    listingInput(new Date(now), {
      startsAt: new Date(now + 31 * DAY).toISOString(),
      endsAt: new Date(now + 32 * DAY).toISOString(),
    }),
    'test',
  );
  await s.listings.submit(clerk, draft.id);
  await s.listings.approve(panel, draft.id);
  listingId = draft.id;
});
afterAll(() => server.stop());

const get = (path: string, from: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/public/v1${path}`, { headers: { 'x-forwarded-for': from, ...headers } });

/** Walks the pages (`next` → `after`) until `found` or the end; returns the rows seen. */
async function walk(path: string, from: string, found: (r: { id: string }) => boolean) {
  const seen: { id: string }[] = [];
  let after: string | null = null;
  for (let i = 0; i < LIMIT - 1; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await get(after ? `${path}${sep}after=${encodeURIComponent(after)}` : path, from);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { rows: { id: string }[]; next: string | null };
    seen.push(...body.rows);
    if (body.rows.some(found) || !body.next) break;
    after = body.next;
  }
  return seen;
}

describe('public feed', () => {
  it('announcements: the published listing with public fields only, no token needed', async () => {
    const rows = (await walk('/announcements?court=%E9%9D%920104', address(), (r) => r.id === listingId)) as {
      id: string;
      [k: string]: unknown;
    }[];
    const mine = rows.find((r) => r.id === listingId);
    expect(mine).toMatchObject({
      status: 'upcoming',
      startingPriceFen: '70000000',
      url: `/auctions/${listingId}`,
    });
    // Who prepared or approved it, the case, internals: never in the feed.
    for (const k of ['preparedBy', 'approvedBy', 'caseId', 'leaderRegistrationId', 'lastHash'])
      expect(mine).not.toHaveProperty(k);
    // Pages never repeat a listing.
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it('results: ended auctions with their outcome and, when sold, the price; never a bidder', async () => {
    const r = await get('/results', address());
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.rows.length).toBeGreaterThan(0);
    const sold = body.rows.find((x: { outcome: string }) => x.outcome === 'sold');
    expect(sold.priceFen).toMatch(/^\d+$/);
    expect(body.rows.every((x: { status: string }) => x.status !== 'upcoming')).toBe(true);
    const text = JSON.stringify(body);
    for (const row of body.rows)
      for (const k of ['winner', 'winnerName', 'bidder', 'code', 'userId', 'leaderRegistrationId'])
        expect(row).not.toHaveProperty(k);
    // The demo winners' names appear nowhere.
    const names = await server.db.sql<{ real_name: string }[]>`
      select distinct u.real_name from users u join registrations g on g.user_id = u.id`;
    for (const n of names) expect(text).not.toContain(n.real_name);
  });

  it('calendar: upcoming starts in date order, each with its Beijing date', async () => {
    const day = new Date(Date.now() + 31 * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
    const r = await get(`/calendar?from=${day}&to=${day}`, address());
    expect(r.status).toBe(200);
    const { rows } = await r.json();
    expect(rows.map((x: { id: string }) => x.id)).toContain(listingId);
    expect(rows.every((x: { date: string }) => x.date === day)).toBe(true);
    const starts = rows.map((x: { startsAt: string }) => x.startsAt);
    expect([...starts].sort()).toEqual(starts);
  });

  it('is cacheable: Cache-Control max-age and an ETag; If-None-Match gets 304 without a body', async () => {
    const from = address();
    const r = await get('/results', from);
    expect(r.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const etag = r.headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await get('/results', from, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const other = await get('/results', from, { 'if-none-match': 'W/"something-else"' });
    expect(other.status).toBe(200);
  });

  it('a bad cursor or filter is a 400 problem, not a 500', async () => {
    const r = await get('/announcements?after=not-a-cursor', address());
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect((await get('/calendar?from=2026-13-45', address())).status).toBe(400);
    expect((await get('/nothing-here', address())).status).toBe(404);
  });

  it('limits each client address: beyond the limit 429 with Retry-After; other addresses go on', async () => {
    const from = address();
    for (let i = 0; i < LIMIT; i++) expect((await get('/calendar', from)).status).toBe(200);
    const over = await get('/calendar', from);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await over.json()).code).toBe('rate_limited');
    // An address the client writes himself in front of the proxy's does not reset his count.
    expect((await get('/calendar', `198.51.100.7, ${from}`)).status).toBe(429);
    expect((await get('/calendar', address())).status).toBe(200);
  });
});

describe('the rate limiter', () => {
  it('allows the limit in a window, refuses the next, and starts again with the next window', () => {
    let t = 1_000_000;
    const hit = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => t });
    expect([hit('a'), hit('a'), hit('a')]).toEqual([null, null, null]);
    t += 59_000;
    expect(hit('a')).toEqual({ retryAfterS: 1 });
    expect(hit('b')).toBeNull();
    t += 1_000;
    expect(hit('a')).toBeNull();
  });
});
