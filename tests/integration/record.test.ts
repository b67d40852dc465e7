import { randomUUID } from 'node:crypto';
import type { AppLoadContext } from '@remix-run/node';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loader as auctionLoader } from '../../app/routes/auctions.$listingId';
import { loader as chainLoader } from '../../app/routes/auctions.$listingId_.chain';
import { loader as verifyLoader } from '../../app/routes/auctions.$listingId_.verify';
import type { Tx } from '../../db/client';
import { listings } from '../../db/schema/auctions';
import { auditLog } from '../../db/schema/audit';
import { bids } from '../../db/schema/bidding';
import { jobs } from '../../db/schema/jobs';
import { notifications } from '../../db/schema/notifications';
import { balances, deposits } from '../../db/schema/payments';
import { endDue, jobHandlers } from '../../server/auctions/closing';
import type { ListingDeps } from '../../server/auctions/deps';
import { DEFAULT_TAX_RATES } from '../../server/auctions/disclosure-rules';
import { LISTING_JOBS } from '../../server/auctions/listing-lifecycle';
import { createLogger } from '../../server/logger';
import { createTestDatabase } from '../support/db';
import { meta } from '../support/fixtures';
import { moneyWorld } from '../support/money';

/**
 * One record (issue 15, ADR 013): the public history, the standing, the confirmation and the
 * settlement come from the hash-chained log; changing the `bids` table or the listing's
 * standing columns behind the engine's back is reported by the verify endpoint, and a close
 * whose columns disagree with the log settles nothing and flags the listing for the court.
 */
const MIN = 60_000;
// listingInput: start ¥700,000, increment ¥7,000, 24 h of bidding.
const START = 70_000_000n;
const INC = 700_000n;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: Awaited<ReturnType<typeof moneyWorld>>;

beforeAll(async () => {
  db = await createTestDatabase();
  w = await moneyWorld(db);
});
afterAll(() => db.drop());

type Who = Awaited<ReturnType<typeof w.quickBidder>>;
const bid = (who: Who, listingId: string, amountFen: bigint) =>
  w.services.bidding.placeBid(who.bidder, listingId, {
    amountFen: amountFen.toString(),
    clientKey: randomUUID(),
  });
const row = async (id: string) => (await db.db.select().from(listings).where(eq(listings.id, id)))[0]!;
const verdict = async (id: string) => (await w.services.bidding.chain(id)).verdict;
/** The snapshot without its clock reading. */
const snap = async (id: string) => ({ ...(await w.services.bidding.snapshot(id, 100)), serverTime: 0 });

/**
 * `n` live auctions with the same times: in each, A bids the start, B one increment more, then
 * A two increments more two minutes before the end, which extends it (art. 20). Their logs:
 * announced, live, bids 3, 4, 5.
 */
async function auctions(n: number) {
  const made = [];
  for (let i = 0; i < n; i++) made.push((await w.announcedListing()).listing);
  w.time.set(made[0]!.startsAt);
  await w.runner.runDue();
  const out = [];
  for (const { id } of made) {
    const a = await w.quickBidder(id);
    const b = await w.quickBidder(id);
    expect(await bid(a, id, START)).toMatchObject({ accepted: true, seq: 3 });
    expect(await bid(b, id, START + INC)).toMatchObject({ accepted: true, seq: 4 });
    out.push({ id, a, b });
  }
  w.time.set(new Date(made[0]!.currentEndAt.getTime() - 2 * MIN));
  for (const { id, a } of out)
    expect(await bid(a, id, START + 2n * INC)).toMatchObject({ accepted: true, seq: 5, extended: true });
  return out;
}
const auction = async () => (await auctions(1))[0]!;

function context(): AppLoadContext {
  return {
    services: w.services,
    auth: null,
    csrfToken: 'token',
    arrival: null,
    nonce: 'nonce',
    locale: 'zh-CN',
    meta: { ...meta, requestId: 'test' },
    log: createLogger(w.config),
    cookieSecure: false,
    publicConfig: {
      rulesProfile: 'statutory',
      accelerationFactor: 1,
      simulatedPayments: true,
      stripePublishableKey: null,
    },
  };
}
const args = (path: string, listingId: string) => ({
  request: new Request(`http://localhost${path}`),
  context: context(),
  params: { listingId },
});

type Closings = Parameters<NonNullable<ListingDeps['onClosed']>>[1];

describe('the verify endpoint', () => {
  it('an untouched auction is ok: the chain holds and both tables agree with it', async () => {
    const { id } = await auction();
    expect(await verdict(id)).toEqual({
      ok: true,
      length: 5,
      head: (await row(id)).lastHash,
      differences: [],
    });
    const page = await verifyLoader(args(`/auctions/${id}/verify`, id));
    expect(page).toMatchObject({ ok: true, length: 5, brokenAt: null, differences: [] });
  });

  it('a bids row altered (amount, code, registration), deleted or added: which seq, which column, both values', async () => {
    const { id, a, b } = await auction();
    const before = await snap(id);
    const at = (seq: number) => and(eq(bids.listingId, id), eq(bids.seq, seq));
    await db.db.update(bids).set({ amountFen: 1n }).where(at(4));
    await db.db.update(bids).set({ code: 'ZZZZ' }).where(at(5));
    await db.db.delete(bids).where(at(3));
    // A bid row where the log holds the start of bidding, seq 2.
    await db.db.insert(bids).values({
      listingId: id,
      seq: 2,
      registrationId: b.registration.id,
      code: b.registration.code!,
      amountFen: START + 9n * INC,
      at: w.time.clock(),
      source: 'live',
    });
    expect(await verdict(id)).toEqual({
      ok: false,
      length: 5,
      head: expect.any(String),
      differences: [
        {
          where: 'bids',
          seq: 2,
          kind: 'extra',
          code: b.registration.code,
          amountFen: String(START + 9n * INC),
        },
        { where: 'bids', seq: 3, kind: 'missing', code: a.registration.code, amountFen: String(START) },
        {
          where: 'bids',
          seq: 4,
          kind: 'differs',
          field: 'amountFen',
          log: String(START + INC),
          table: '1',
        },
        { where: 'bids', seq: 5, kind: 'differs', field: 'code', log: a.registration.code, table: 'ZZZZ' },
      ],
    });
    // The row now names the other bidder's registration under A's code.
    await db.db
      .update(bids)
      .set({ code: a.registration.code!, registrationId: b.registration.id })
      .where(at(5));
    expect(await verdict(id)).toHaveProperty(
      'differences',
      expect.arrayContaining([
        {
          where: 'bids',
          seq: 5,
          kind: 'differs',
          field: 'registrationCode',
          log: a.registration.code,
          table: b.registration.code,
        },
      ]),
    );

    // What the public sees is still the log's: the snapshot, the page's history, the JSON.
    expect(await snap(id)).toEqual(before);
    expect(before.recentBids.map((x) => [x.seq, x.code, x.amountFen])).toEqual([
      [5, a.registration.code, String(START + 2n * INC)],
      [4, b.registration.code, String(START + INC)],
      [3, a.registration.code, String(START)],
    ]);
    const page = (await auctionLoader(args(`/auctions/${id}`, id))) as { live: { recentBids: unknown[] } };
    expect(page.live.recentBids).toEqual(before.recentBids);
    const json = await (await chainLoader(args(`/auctions/${id}/chain`, id))).json();
    expect(json.verdict).toMatchObject({ ok: false, length: 5 });
    expect(json.verdict.differences).toHaveLength(4);
    const shown = await verifyLoader(args(`/auctions/${id}/verify`, id));
    expect(shown).toMatchObject({ ok: false, brokenAt: null, length: 5 });
    expect((shown as { differences: unknown[] }).differences).toEqual(json.verdict.differences);
  });

  it('the listing’s standing altered, column by column (price, leader, end, counts, status): each reported, the snapshot unmoved', async () => {
    const { id, a, b } = await auction();
    const l = await row(id);
    const before = await snap(id);
    const cases: Array<[Partial<typeof listings.$inferInsert>, string, string, string]> = [
      [
        { currentPriceFen: START + 7n * INC },
        'currentPriceFen',
        String(START + 2n * INC),
        String(START + 7n * INC),
      ],
      [{ leaderRegistrationId: b.registration.id }, 'leaderCode', a.registration.code!, b.registration.code!],
      [
        { currentEndAt: new Date(l.currentEndAt.getTime() + 60 * MIN) },
        'currentEndAt',
        l.currentEndAt.toISOString(),
        new Date(l.currentEndAt.getTime() + 60 * MIN).toISOString(),
      ],
      [{ bidCount: 7 }, 'bidCount', '3', '7'],
      [{ extensionCount: 0 }, 'extensionCount', '1', '0'],
      [{ leaderPriorityRank: 1 }, 'leaderPriorityRank', null as unknown as string, '1'],
      [{ status: 'suspended' }, 'status', 'live', 'suspended'],
      [{ lastSeq: 4 }, 'lastSeq', '5', '4'],
    ];
    for (const [patch, field, log, table] of cases) {
      await db.db.update(listings).set(patch).where(eq(listings.id, id));
      expect((await verdict(id)) as unknown, field).toEqual({
        ok: false,
        length: 5,
        head: l.lastHash,
        differences: [{ where: 'listing', kind: 'differs', field, log, table }],
      });
      expect(await snap(id), field).toEqual(before);
      await db.db
        .update(listings)
        .set({
          currentPriceFen: l.currentPriceFen,
          leaderRegistrationId: l.leaderRegistrationId,
          leaderPriorityRank: l.leaderPriorityRank,
          currentEndAt: l.currentEndAt,
          bidCount: l.bidCount,
          extensionCount: l.extensionCount,
          status: l.status,
          lastSeq: l.lastSeq,
        })
        .where(eq(listings.id, id));
    }
    expect((await verdict(id)).ok).toBe(true);
    expect(before).toMatchObject({
      priceFen: String(START + 2n * INC),
      leaderCode: a.registration.code,
      bidCount: 3,
      extensionCount: 1,
      currentEndAt: l.currentEndAt.getTime(),
      seq: 5,
    });
  });

  it('a broken chain is no reference: only where it breaks is said', async () => {
    const { id } = await auction();
    await db.db.execute(
      sql`update auction_events set payload = payload || '{"amountFen":"1"}' where listing_id = ${id} and seq = 4`,
    );
    await db.db
      .update(bids)
      .set({ amountFen: 2n })
      .where(and(eq(bids.listingId, id), eq(bids.seq, 5)));
    expect(await verdict(id)).toEqual({ ok: false, brokenAt: 4 });
  });
});

describe('the close takes the winner and the price from the log', () => {
  const settleJob = async (id: string) =>
    db.db
      .select()
      .from(jobs)
      .where(eq(jobs.key, `listing:${id}:settle`));

  it('in a batch: the untouched auction settles its log’s winner; the one whose leader was altered is held and flagged', async () => {
    const [x, y] = (await auctions(2)) as [
      Awaited<ReturnType<typeof auction>>,
      Awaited<ReturnType<typeof auction>>,
    ];
    // Behind the engine's back, X's leader becomes B (who bid less).
    await db.db
      .update(listings)
      .set({ leaderRegistrationId: x.b.registration.id })
      .where(eq(listings.id, x.id));
    const end = Math.max((await row(x.id)).currentEndAt.getTime(), (await row(y.id)).currentEndAt.getTime());
    w.time.set(new Date(end));
    await db.db.transaction((tx) =>
      w.services.jobRunner.batchHandlers['listing.end'](
        [{ payload: { listingId: x.id } }, { payload: { listingId: y.id } }],
        { tx, now: w.time.clock(), afterCommit: () => {} },
      ),
    );
    await w.runner.runDue(); // the settlements (and the end jobs, now nothing to do)
    await w.runner.runDue();

    // Y: sold to the log's last bid, at its amount.
    expect(await row(y.id)).toMatchObject({ status: 'ended', outcome: 'sold', resultHeldAt: null });
    const [bal] = await db.db.select().from(balances).where(eq(balances.listingId, y.id));
    expect(bal).toMatchObject({ registrationId: y.a.registration.id, priceFen: START + 2n * INC });
    // Changing its columns after the close does not change the confirmation: it is the log's.
    await db.db
      .update(listings)
      .set({ leaderRegistrationId: y.b.registration.id, currentPriceFen: 1n })
      .where(eq(listings.id, y.id));
    expect((await w.services.listings.publicListing(y.id)).confirmation).toMatchObject({
      code: y.a.registration.code,
      priceFen: START + 2n * INC,
    });

    // X: ended (time is up, art. 20) and sold by its log, but nothing settled: every deposit still
    // held and undecided, no balance, no confirmation; the court told, the audit entry written.
    const held = await row(x.id);
    expect(held).toMatchObject({ status: 'ended', outcome: 'sold' });
    expect(held.resultHeldAt).toEqual(w.time.clock());
    expect(await settleJob(x.id)).toEqual([]);
    const xDeposits = await db.db.select().from(deposits).where(eq(deposits.listingId, x.id));
    expect(xDeposits.map((d) => [d.status, d.settlement])).toEqual([
      ['held', null],
      ['held', null],
    ]);
    expect(await db.db.select().from(balances).where(eq(balances.listingId, x.id))).toEqual([]);
    expect((await w.services.listings.publicListing(x.id)).confirmation).toBeNull();
    const difference = {
      where: 'listing',
      kind: 'differs',
      field: 'leaderCode',
      log: x.a.registration.code,
      table: x.b.registration.code,
    };
    const [audit] = await db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, x.id), eq(auditLog.action, 'listing.resultHeld')));
    expect(audit!.data).toEqual({ differences: [difference] });
    const [notice] = await db.db
      .select()
      .from(notifications)
      .where(eq(notifications.link, `/court/listings/${x.id}`));
    expect(notice).toMatchObject({ kind: 'resultHeld', organisationId: held.courtId });
    // The verify endpoint says the same; the closing entry itself agrees with the row.
    expect((await verdict(x.id)) as unknown).toMatchObject({ ok: false, differences: [difference] });
    // The page says why there is no confirmation.
    const page = (await auctionLoader(args(`/auctions/${x.id}`, x.id))) as {
      listing: { resultHeld: boolean };
      confirmation: unknown;
    };
    expect(page).toMatchObject({ listing: { resultHeld: true }, confirmation: null });
  }, 60_000);

  it('alone: a price altered behind the engine is refused loudly (an error logged) and settles nothing', async () => {
    const z = await auction();
    await db.db
      .update(listings)
      .set({ currentPriceFen: START + 9n * INC })
      .where(eq(listings.id, z.id));
    w.time.set((await row(z.id)).currentEndAt);
    const logger = { error: vi.fn() };
    const settled: unknown[] = [];
    const deps = {
      db: db.db,
      clock: w.time.clock,
      profile: w.services.profile,
      assets: w.services.cases,
      piiKey: Buffer.from(w.config.PII_ENCRYPTION_KEY, 'base64'),
      taxRates: DEFAULT_TAX_RATES,
      logger,
      onClosed: async (tx: Tx, closings: Closings, now: Date) => {
        settled.push(...closings);
        await w.services.payments.settleListings(tx, closings, now);
      },
    };
    await db.db.transaction((tx) => endDue(deps, tx, z.id, w.time.clock()));
    // What follows the close is the job committed with it: run it with these deps.
    const [followUp] = await db.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.key, `listing:${z.id}:closed`), eq(jobs.status, 'pending')));
    await db.db.transaction((tx) =>
      jobHandlers(deps)[LISTING_JOBS.closed](followUp!, { tx, now: w.time.clock(), afterCommit: () => {} }),
    );
    const difference = {
      where: 'listing',
      kind: 'differs',
      field: 'currentPriceFen',
      log: String(START + 2n * INC),
      table: String(START + 9n * INC),
    };
    expect(logger.error).toHaveBeenCalledWith(
      { listingId: z.id, differences: [difference] },
      expect.stringContaining('held for the court'),
    );
    // The close hands on the log's result, marked held; the payments service schedules nothing.
    expect(settled).toEqual([
      {
        listingId: z.id,
        result: { winnerRegistrationId: z.a.registration.id, priceFen: START + 2n * INC },
        held: true,
      },
    ]);
    expect(await settleJob(z.id)).toEqual([]);
    expect(await row(z.id)).toMatchObject({ status: 'ended', outcome: 'sold', resultHeldAt: w.time.clock() });
  });

  it('a bids row altered does not move the settlement: the close reads the log, not the bids table', async () => {
    const v = await auction();
    await db.db
      .update(bids)
      .set({ amountFen: START + 9n * INC, registrationId: v.b.registration.id })
      .where(and(eq(bids.listingId, v.id), eq(bids.seq, 5)));
    w.time.set((await row(v.id)).currentEndAt);
    await w.runner.runDue();
    await w.runner.runDue();
    expect(await row(v.id)).toMatchObject({ status: 'ended', outcome: 'sold', resultHeldAt: null });
    const [bal] = await db.db.select().from(balances).where(eq(balances.listingId, v.id));
    expect(bal).toMatchObject({ registrationId: v.a.registration.id, priceFen: START + 2n * INC });
    expect((await w.services.listings.publicListing(v.id)).confirmation).toMatchObject({
      code: v.a.registration.code,
      priceFen: START + 2n * INC,
    });
  });
});
