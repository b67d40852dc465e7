import { execFile } from 'node:child_process';
import { createPublicKey, randomUUID, verify } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AppLoadContext } from '@remix-run/node';
import { and, asc, eq, sql } from 'drizzle-orm';
import type express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loader as chainLoader } from '../../app/routes/auctions.$listingId_.chain';
import { listings } from '../../db/schema/auctions';
import { auctionEvents, bids } from '../../db/schema/bidding';
import { jobs } from '../../db/schema/jobs';
import { transparencyCheckpoints } from '../../db/schema/transparency';
import { entryHash, verifyChain } from '../../server/auctions/chain';
import { createLogger } from '../../server/logger';
import { startServer } from '../../server/main';
import type { Services } from '../../server/services';
import { takeCheckpoint } from '../../server/transparency/checkpoint';
import { checkpointBody, leafData } from '../../server/transparency/encoding';
import { signingKeyFrom } from '../../server/transparency/keys';
import { leafHash, verifyConsistency, verifyInclusion } from '../../server/transparency/merkle';
import { createTestDatabase } from '../support/db';
import { TEST_CHECKPOINT_KEY, testConfig } from '../support/fixtures';
import { moneyWorld } from '../support/money';

/**
 * The transparency log end to end: checkpoints at close, signed and linked; proofs over HTTP; and
 * the standalone verifier (scripts/verify-auction.mjs, run as a child process against a real
 * server) catching a rewrite of the log that re-hashes everything the database holds.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: Awaited<ReturnType<typeof moneyWorld>>;
let server: Awaited<ReturnType<typeof startServer>>;
let base: string;
let tmp: string;
/** Closed with bids (the one rewritten at the end); live with bids. */
let closed: string;
let live: string;

const unhex = (s: string) => Buffer.from(s, 'hex');
const get = async (p: string) => {
  const res = await fetch(new URL(p, base));
  // biome-ignore lint/suspicious/noExplicitAny: the served JSON, read field by field by the assertions
  return { status: res.status, body: (await res.json()) as any };
};

/** Runs the verifier as anyone would: `node scripts/verify-auction.mjs <base> <id> [...]`. */
function verifier(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/verify-auction.mjs', base, ...args], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 99) : 0, stdout, stderr }),
    );
  });
}

/** Two bidders outbid each other `rounds` times on a live auction of the world. */
async function bidOn(listingId: string, rounds: number) {
  const a = await w.quickBidder(listingId);
  const b = await w.quickBidder(listingId);
  const [l] = await db.db.select().from(listings).where(eq(listings.id, listingId));
  let price = l!.currentPriceFen === null ? l!.startingPriceFen : l!.currentPriceFen + l!.incrementFen;
  for (let i = 0; i < rounds; i++) {
    const answer = await w.services.bidding.placeBid((i % 2 ? b : a).bidder, listingId, {
      amountFen: price.toString(),
      clientKey: randomUUID(),
    });
    expect(answer).toMatchObject({ accepted: true });
    price += l!.incrementFen;
    w.time.advance(1_000);
  }
}

async function storedChain(listingId: string) {
  return db.db
    .select()
    .from(auctionEvents)
    .where(eq(auctionEvents.listingId, listingId))
    .orderBy(asc(auctionEvents.seq));
}

beforeAll(async () => {
  db = await createTestDatabase();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'lastmile-transparency-'));
  // The world's clock starts now and runs a month ahead of the server's (bidding starts in 30
  // days): the server's runner finds none of the world's jobs due.
  w = await moneyWorld(db, { start: new Date() });
  // Both go live together; the second ends a day after the first.
  const a = await w.announcedListing();
  const startsAt = a.listing.startsAt;
  const b = await w.announcedListing({
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 2 * 86_400_000).toISOString(),
  });
  w.time.set(startsAt);
  await w.runner.runDue();
  closed = a.listing.id;
  live = b.listing.id;
  await bidOn(closed, 3);
  await bidOn(live, 2);

  // The real route module of /auctions/:id/chain: Remix is not built for integration tests.
  let services: Services | undefined;
  const ui: express.RequestHandler = async (req, res) => {
    const m = /^\/auctions\/([^/]+)\/chain$/.exec(req.path);
    if (!m) return void res.status(404).end();
    try {
      const response = await chainLoader({
        params: { listingId: m[1]! },
        request: new Request(`http://test${req.url}`),
        context: { services } as unknown as AppLoadContext,
      });
      res
        .status(response.status)
        .type('application/json')
        .send(await response.text());
    } catch (thrown) {
      res.status((thrown as { init?: { status?: number } }).init?.status ?? 500).json({});
    }
  };
  server = await startServer({
    config: testConfig({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', SEED_DEMO_DATA: 'false' }),
    ui,
  });
  services = server.services;
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  await db?.drop();
  await rm(tmp, { recursive: true, force: true });
});

describe('checkpoints', () => {
  it('a close takes a checkpoint soon after, covering the closing entry, signed and linked to the one before', async () => {
    // The server's boot took the daily one (it runs at once, then every 24 h).
    const first = await waitForCheckpoint(1);
    expect(first).toMatchObject({ reason: 'daily', previousHash: '0'.repeat(64) });
    // Its next run is due in a day of the server's time, already past on the world's clock.
    await db.db.delete(jobs).where(eq(jobs.kind, 'transparency.daily'));

    const l = (await db.db.select().from(listings).where(eq(listings.id, closed)))[0]!;
    w.time.set(l.currentEndAt);
    await w.runner.runDue();
    const ended = (await db.db.select().from(listings).where(eq(listings.id, closed)))[0]!;
    expect(ended.status).toBe('ended');
    // The closing transaction scheduled it, a second later: closes of the same moment share one.
    const [job] = await db.db.select().from(jobs).where(eq(jobs.kind, 'transparency.checkpoint'));
    expect(job).toMatchObject({ status: 'pending', runAt: new Date(w.time.clock().getTime() + 1_000) });
    w.time.advance(1_000);
    await w.runner.runDue();

    const [cp] = await db.db
      .select()
      .from(transparencyCheckpoints)
      .where(eq(transparencyCheckpoints.reason, 'close'));
    expect(cp).toMatchObject({ number: 2, previousHash: first.hash });
    expect(cp!.body).toBe(checkpointBody({ ...cp!, issuedAt: cp!.issuedAt }));

    const { body: key } = await get('/.well-known/lastmile-checkpoint-key');
    expect(key).toMatchObject({ algorithm: 'Ed25519', keyId: cp!.keyId });
    const publicKey = createPublicKey({ key: key.jwk, format: 'jwk' });
    for (const c of [first, cp!])
      expect(verify(null, Buffer.from(c.body), publicKey, Buffer.from(c.signature, 'base64'))).toBe(true);
    expect(verify(null, Buffer.from(`${cp!.body} `), publicKey, Buffer.from(cp!.signature, 'base64'))).toBe(
      false,
    );

    // Its leaf for the closed auction is the head after the closing entry.
    const { body: proof } = await get(`/transparency/checkpoints/2/inclusion?listingId=${closed}`);
    expect(proof.leaf).toMatchObject({ listingId: closed, seq: ended.lastSeq, headHash: ended.lastHash });
    const leaf = leafHash(leafData(proof.leaf));
    expect(proof.leaf.leafHash).toBe(leaf.toString('hex'));
    expect(
      verifyInclusion(proof.leaf.index, cp!.treeSize, leaf, proof.proof.map(unhex), unhex(cp!.rootHash)),
    ).toBe(true);
    const { body: consistency } = await get('/transparency/consistency?from=1&to=2');
    expect(
      verifyConsistency(
        first.treeSize,
        cp!.treeSize,
        unhex(first.rootHash),
        unhex(cp!.rootHash),
        consistency.proof.map(unhex),
      ),
    ).toBe(true);

    // Nothing moved since: a close-triggered run signs nothing new; a manual one signs anyway.
    const onClose = w.services.transparency.jobHandlers['transparency.checkpoint'];
    await db.db.transaction((tx) => onClose({}, { tx, now: w.time.clock() }));
    expect((await db.db.select().from(transparencyCheckpoints)).length).toBe(2);
    await w.services.transparency.checkpointNow();
    expect((await db.db.select().from(transparencyCheckpoints)).length).toBe(3);
  });

  it('serves checkpoints, leaves and proofs as JSON, and refuses what is not there', async () => {
    const latest = await get('/transparency/checkpoints/latest');
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({
      number: 3,
      body: expect.stringMatching(/^lastmile-checkpoint\/v1\n3\n/),
    });
    const page = await get('/transparency/checkpoints?after=1&limit=1');
    expect(page.body.checkpoints.map((c: { number: number }) => c.number)).toEqual([2]);
    const leaves = await get(`/transparency/auctions/${closed}/leaves`);
    expect(leaves.body.leaves.length).toBeGreaterThanOrEqual(2);
    const all = await get('/transparency/leaves?start=0&limit=1000');
    expect(all.body.leaves.map((l: { index: number }) => l.index)).toEqual([
      ...Array(latest.body.treeSize).keys(),
    ]);
    expect((await get('/transparency/checkpoints/999')).status).toBe(404);
    expect((await get('/transparency/checkpoints/x')).status).toBe(400);
    expect((await get('/transparency/checkpoints/1/inclusion?listingId=nope')).status).toBe(400);
    expect((await get(`/transparency/checkpoints/1/inclusion?listingId=${randomUUID()}`)).status).toBe(404);
    expect((await get('/transparency/consistency?from=2&to=1')).status).toBe(400);
  });
});

describe('the standalone verifier', () => {
  it('agrees with server/auctions/chain.ts on real data, and an untouched auction verifies clean', async () => {
    const state = path.join(tmp, 'clean.json');
    const run = await verifier(closed, '--state', state);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const verdict = verifyChain(closed, await storedChain(closed));
    expect(verdict.ok).toBe(true);
    expect(run.stdout).toContain(
      `OK: auction ${closed}: head ${verdict.ok && verdict.head} at seq ${verdict.ok && verdict.length}`,
    );
    const saved = JSON.parse(await readFile(state, 'utf8'));
    expect(saved.checkpoint).toMatchObject({ number: 3 });

    // Later: a new bid on the other auction, a new checkpoint; the saved one still fits.
    await bidOn(live, 1);
    await w.services.transparency.checkpointNow();
    await bidOn(live, 1); // not in a checkpoint yet: reported, not a failure
    const again = await verifier(live, '--state', state);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/consistent with the saved checkpoint #3/);
    expect(again.stdout).toMatch(/not in a checkpoint yet/);
    // A pinned key that is not the platform's is refused.
    const pinned = await verifier(live, '--key', Buffer.alloc(32, 1).toString('base64'));
    expect(pinned.code).toBe(1);
    expect(pinned.stderr).toMatch(/FAILED: the published key .* is not the pinned key/);
  });

  it('catches a rewrite of an accepted bid re-hashed through the stored head, against a checkpoint saved before', async () => {
    const state = path.join(tmp, 'tamper.json');
    expect((await verifier(closed, '--state', state)).code).toBe(0);
    await w.services.transparency.checkpointNow();

    // Whoever can write the database lowers the first bid and re-hashes every later entry and
    // the listing's stored head, so the chain is consistent again...
    const entries = await storedChain(closed);
    const target = entries.find((e) => e.type === 'bid')!;
    let prev = target.prevHash;
    for (const e of entries.filter((x) => x.seq >= target.seq)) {
      const payload = e.seq === target.seq ? { ...e.payload, amountFen: '1' } : e.payload;
      const hash = entryHash(prev, { ...e, payload });
      await db.db
        .update(auctionEvents)
        .set({ payload, prevHash: prev, hash })
        .where(eq(auctionEvents.id, e.id));
      prev = hash;
    }
    await db.db.update(listings).set({ lastHash: prev }).where(eq(listings.id, closed));
    // (The server compares the bids table with the log, so the rewrite shows there ...)
    expect((await server.services.bidding.chain(closed)).verdict).toMatchObject({
      ok: false,
      differences: [
        {
          where: 'bids',
          seq: target.seq,
          kind: 'differs',
          field: 'amountFen',
          log: '1',
          table: expect.any(String),
        },
      ],
    });
    // ... until the bid's row is rewritten too,
    await db.db
      .update(bids)
      .set({ amountFen: 1n })
      .where(and(eq(bids.listingId, closed), eq(bids.seq, target.seq)));
    // ... and then the server's own check no longer notices,
    const served = await server.services.bidding.chain(closed);
    expect(served.verdict).toMatchObject({ ok: true });

    // but the checkpoints do.
    const caught = await verifier(closed, '--state', state);
    expect(caught.code).toBe(1);
    const range =
      /FAILED: the log was rewritten in entries (\d+)\.\.(\d+): leaf \d+ of checkpoint #\d+ committed head/.exec(
        caught.stderr,
      );
    expect(range, caught.stderr).not.toBeNull();
    expect(Number(range![1])).toBeLessThanOrEqual(target.seq);
    expect(Number(range![2])).toBeGreaterThanOrEqual(target.seq);

    // A checkpoint taken after the rewrite records the forged head beside the true one.
    await w.services.transparency.checkpointNow();
    expect((await verifier(closed, '--state', state)).code).toBe(1);

    // The operator also rebuilds the transparency log from scratch and re-signs it...
    const saved = JSON.parse(await readFile(state, 'utf8'));
    await db.db.execute(
      sql`truncate transparency_checkpoints, transparency_nodes, transparency_leaves, transparency_heads`,
    );
    for (let i = 0; i <= saved.checkpoint.number; i++) await w.services.transparency.checkpointNow();
    // ... which convinces someone who saved nothing,
    expect((await verifier(closed)).code).toBe(0);
    // not anyone who kept an earlier checkpoint.
    const rebuilt = await verifier(closed, '--state', state);
    expect(rebuilt.code).toBe(1);
    expect(rebuilt.stderr).toMatch(
      new RegExp(
        `FAILED: checkpoint #${saved.checkpoint.number} is no longer the one saved .*history was rewritten`,
      ),
    );
  });
});

async function waitForCheckpoint(number: number) {
  for (let i = 0; i < 200; i++) {
    const [c] = await db.db
      .select()
      .from(transparencyCheckpoints)
      .where(eq(transparencyCheckpoints.number, number));
    if (c) return c;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`checkpoint #${number} never came`);
}

describe('checkpoint jobs under load', () => {
  it('a close-triggered run never waits for a checkpoint in progress; a checkpoint cancels the close jobs it covers', async () => {
    const deps = {
      db: db.db,
      clock: w.time.clock,
      logger: createLogger(testConfig()),
      key: signingKeyFrom(TEST_CHECKPOINT_KEY),
    };
    const onClose = w.services.transparency.jobHandlers['transparency.checkpoint'];
    const pendingCloseJobs = () =>
      db.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.kind, 'transparency.checkpoint'), eq(jobs.status, 'pending')));
    await db.db.delete(jobs).where(eq(jobs.kind, 'transparency.checkpoint'));
    await db.db.transaction(async (running) => {
      // A checkpoint in progress holds the lock until its transaction ends ...
      expect(await takeCheckpoint(deps, running, w.time.clock(), 'manual', { always: true })).toMatchObject({
        reason: 'manual',
      });
      // ... and a close-triggered run beside it comes back later instead of waiting.
      await db.db.transaction((tx) => onClose({}, { tx, now: w.time.clock() }));
      expect(await pendingCloseJobs()).toHaveLength(1);
    });
    // Two closing transactions leave two jobs (and the one rescheduled above): the next
    // checkpoint covers their closes and cancels them.
    await w.services.transparency.checkpointSoon(db.db, w.time.clock());
    await w.services.transparency.checkpointSoon(db.db, w.time.clock());
    expect(await pendingCloseJobs()).toHaveLength(3);
    await w.services.transparency.checkpointNow();
    expect(await pendingCloseJobs()).toHaveLength(0);
  });
});
