import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetInput, caseInput, listingInput } from '../support/court';
import { createTestDatabase } from '../support/db';
import { moneyWorld } from '../support/money';

// The home page's read (server/auctions/home.ts) on a real database, with listings made the way
// a court makes them and bids placed through the engine: which listings each section holds, in
// which order, and counts that equal what the search finds for the same filter.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const INC = 700_000n; // listingInput: start ¥700,000, increment ¥7,000
const START = 70_000_000n;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: Awaited<ReturnType<typeof moneyWorld>>;
const ids: Record<string, string> = {};

async function listing(
  name: string,
  startsAt: Date,
  endsAt: Date,
  asset: Record<string, unknown> = {},
  { submit = true, photo = false } = {},
) {
  const c = await w.services.cases.createCase(w.clerk, caseInput());
  const a = await w.services.cases.createAsset(
    w.clerk,
    c.id,
    assetInput({ title: `${name} 标的`, ...asset }),
  );
  if (photo) {
    await w.services.cases.attachFile(w.clerk, a.id, { kind: 'photo', filename: '1.png', bytes: PNG });
    w.time.advance(1000); // uploaded a second apart: "first" is the earlier one, not an id's chance
    await w.services.cases.attachFile(w.clerk, a.id, { kind: 'photo', filename: '2.png', bytes: PNG });
  }
  const draft = await w.services.listings.createDraft(w.clerk, a.id, {
    ...listingInput(w.time.clock(), { purchaseRestricted: name === 'A', priorityPurchasers: [] }),
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
  });
  if (submit) {
    await w.services.listings.submit(w.clerk, draft.id);
    await w.services.listings.approve(w.panel, draft.id);
  }
  ids[name] = draft.id;
  return draft.id;
}

const bid = (who: { bidder: Parameters<typeof w.services.bidding.placeBid>[0] }, id: string, fen: bigint) =>
  w.services.bidding.placeBid(who.bidder, id, { amountFen: fen.toString(), clientKey: randomUUID() });

beforeAll(async () => {
  db = await createTestDatabase();
  w = await moneyWorld(db);
  const t0 = w.time.clock().getTime();
  const at = (ms: number) => new Date(t0 + ms);
  // G: sold before the others start. A, B, C: live together, ending A < C < B. F: announced,
  // another type and province. H: a draft, which nothing public may show or count.
  await listing('G', at(30 * DAY), at(31 * DAY));
  await listing('A', at(31 * DAY + HOUR), at(32 * DAY + 2 * HOUR), {}, { photo: true });
  await listing('B', at(31 * DAY + 2 * HOUR), at(33 * DAY));
  await listing('C', at(31 * DAY + 3 * HOUR), at(32 * DAY + 6 * HOUR));
  await listing('F', at(45 * DAY), at(46 * DAY), { type: 'vehicle', province: '甘肃省', city: '兰州市' });
  await listing('H', at(40 * DAY), at(41 * DAY), {}, { submit: false });

  const g = await w.quickBidder(ids.G!);
  const b1 = await w.quickBidder(ids.B!);
  const b2 = await w.quickBidder(ids.B!);
  const c1 = await w.quickBidder(ids.C!);
  w.time.set(at(30 * DAY));
  await w.runner.runDue();
  await bid(g, ids.G!, START + INC);
  w.time.set(at(31 * DAY + 3 * HOUR));
  await w.runner.runDue(); // G ends sold; A, B, C start
  await bid(b1, ids.B!, START);
  await bid(b2, ids.B!, START + 2n * INC);
  await bid(c1, ids.C!, START);
  // D and E are announced later than F, E last; D starts first.
  const now = w.time.clock().getTime();
  await listing('D', new Date(now + 31 * DAY), new Date(now + 32 * DAY));
  w.time.advance(60_000);
  await listing('E', new Date(now + 32 * DAY), new Date(now + 33 * DAY));
  await w.services.registrations.follow(await w.newBidder(), ids.A!, {});
}, 120_000);
afterAll(() => db.drop());

const names = (rows: { id: string }[]) =>
  rows.map((r) => Object.entries(ids).find(([, id]) => id === r.id)?.[0] ?? r.id);

describe('the home page (issue 21)', () => {
  it('holds each section in its order, published listings only', async () => {
    const h = await w.services.listings.homePage();
    // The busiest first; then by the end as it stands; the nearest start; the latest announcement.
    expect(names(h.liveNow)).toEqual(['B', 'C', 'A']);
    expect(names(h.endingSoon)).toEqual(['A', 'C', 'B']);
    expect(names(h.startingSoon)).toEqual(['F', 'D', 'E']);
    expect(names(h.newlyAnnounced)).toEqual(['E', 'D', 'F']);
    const all = [...h.liveNow, ...h.endingSoon, ...h.startingSoon, ...h.newlyAnnounced];
    expect(all.map((r) => r.id)).not.toContain(ids.H);
    expect(all.map((r) => r.id)).not.toContain(ids.G);
  });

  it('a card carries the current price, its counts, the first photo and the badges', async () => {
    const h = await w.services.listings.homePage();
    const [b, c, a] = h.liveNow;
    expect(b).toMatchObject({ currentPriceFen: START + 2n * INC, bidCount: 2, registered: 2, followers: 0 });
    expect(b!.purchaseRestricted).toBe(false);
    expect(b!.lastSeq).toBeGreaterThanOrEqual(2);
    expect(c).toMatchObject({ currentPriceFen: START, bidCount: 1, registered: 1 });
    expect(a).toMatchObject({ currentPriceFen: null, bidCount: 0, registered: 0, followers: 1 });
    expect(a!.purchaseRestricted).toBe(true); // 限购
    expect(a!.loanSupported).toBeNull(); // not stated by the clerk
    const files = await w.services.cases.getAsset(
      w.clerk,
      (await db.db.query.listings.findFirst({
        where: (l, { eq }) => eq(l.id, ids.A!),
      }))!.assetId,
    );
    expect(a!.photoId).toBe(files.files.find((f) => f.filename === '1.png')!.id);
    expect(b!.photoId).toBeNull();
  });

  it('the figures come from the data: held, sold, the sold value, live, upcoming, following', async () => {
    const h = await w.services.listings.homePage();
    expect(h.figures).toEqual({
      held: 1,
      sold: 1,
      soldFen: START + INC,
      live: 3,
      upcoming: 3,
      following: 1,
    });
  });

  it('each type and region count equals what the search finds with that filter', async () => {
    const h = await w.services.listings.homePage();
    expect(Object.fromEntries(h.byType.map((t) => [t.value, t.count]))).toEqual({
      residential: 6,
      vehicle: 1,
    });
    expect(Object.fromEntries(h.byRegion.map((r) => [r.value, r.count]))).toEqual({ 青海省: 6, 甘肃省: 1 });
    for (const t of h.byType)
      expect((await w.services.listings.search({ type: t.value })).total, t.value).toBe(t.count);
    for (const r of h.byRegion)
      expect((await w.services.listings.search({ province: r.value })).total, r.value).toBe(r.count);
  });
});
