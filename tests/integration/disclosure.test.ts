import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listingArrears, listings, viewingBookings, viewingSlots } from '../../db/schema/auctions';
import { actorFor, assetInput, caseInput, listingInput } from '../support/court';
import { createTestDatabase } from '../support/db';
import { caught } from '../support/fixtures';
import { moneyWorld } from '../support/money';

// Structured disclosure and viewings (ADR 029; art. 14(5), (9), art. 7(2), art. 30).
const HOUR = 3_600_000;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: Awaited<ReturnType<typeof moneyWorld>>;

beforeAll(async () => {
  db = await createTestDatabase();
  w = await moneyWorld(db);
});
afterAll(() => db.drop());

async function draft() {
  const c = await w.services.cases.createCase(w.clerk, caseInput());
  const asset = await w.services.cases.createAsset(w.clerk, c.id, assetInput());
  return w.services.listings.createDraft(
    w.clerk,
    asset.id,
    listingInput(w.time.clock(), { priorityPurchasers: [] }),
  );
}

const disclosure = {
  occupancy: 'tenant',
  leaseEndsOn: '2027-06-30',
  monthlyRent: '2,500',
  arrears: [
    { kind: 'property_fees', description: '2024-2025 年物业费', amount: '3600.50', payer: 'buyer' },
    { kind: 'utilities', description: '水电燃气', amount: '812', payer: 'proceeds' },
  ],
  loanSupported: 'yes',
};

const slotInput = (capacity: number, inHours = 48) => ({
  startsAt: new Date(w.time.clock().getTime() + inHours * HOUR).toISOString(),
  endsAt: new Date(w.time.clock().getTime() + (inHours + 2) * HOUR).toISOString(),
  place: '城西区五四西路 68 号小区门口',
  capacity: String(capacity),
});

async function published(capacity: number) {
  const d = await draft();
  await w.services.listings.saveDisclosure(w.clerk, d.id, disclosure);
  const slot = await w.services.listings.offerViewingSlot(w.clerk, d.id, slotInput(capacity));
  await w.services.listings.submit(w.clerk, d.id);
  await w.services.listings.approve(w.panel, d.id);
  return { listingId: d.id, slotId: slot.id };
}

describe('saving the disclosure', () => {
  it('stores occupancy, arrears in fen and loan support; the checklist turns complete with a slot', async () => {
    const d = await draft();
    const before = await w.services.listings.getForCourt(w.clerk, d.id);
    expect(before.disclosure.complete).toBe(false);
    expect(before.disclosure.checklist.filter((c) => !c.done).map((c) => c.item)).toEqual([
      'occupancy',
      'arrears',
      'viewing',
      'loan',
    ]);

    await w.services.listings.saveDisclosure(w.clerk, d.id, disclosure);
    const mid = await w.services.listings.getForCourt(w.clerk, d.id);
    expect(mid.disclosure).toMatchObject({
      occupancy: 'tenant',
      leaseEndsOn: '2027-06-30',
      monthlyRentFen: 250_000n,
      loanSupported: true,
      arrears: [
        { kind: 'property_fees', amountFen: 360_050n, payer: 'buyer' },
        { kind: 'utilities', amountFen: 81_200n, payer: 'proceeds' },
      ],
    });
    expect(mid.disclosure.checklist.filter((c) => !c.done).map((c) => c.item)).toEqual(['viewing']);
    // The estimate is from the starting price (¥700,000), each side its own (art. 30).
    expect(mid.disclosure.taxEstimate).toMatchObject({
      applicable: true,
      buyerFen: 2_135_000n,
      deviates: false,
    });

    await w.services.listings.offerViewingSlot(w.clerk, d.id, slotInput(5));
    expect((await w.services.listings.getForCourt(w.clerk, d.id)).disclosure.complete).toBe(true);

    // Saved again with no arrears: the list is replaced, "none known" still counts as declared.
    await w.services.listings.saveDisclosure(w.clerk, d.id, {
      occupancy: 'vacant',
      arrears: [],
      loanSupported: 'no',
    });
    const after = await w.services.listings.getForCourt(w.clerk, d.id);
    expect(after.disclosure).toMatchObject({
      occupancy: 'vacant',
      leaseEndsOn: null,
      arrears: [],
      loanSupported: false,
    });
    expect(after.disclosure.complete).toBe(true);
  });

  it('refuses bad input with a message per field and changes nothing', async () => {
    const d = await draft();
    await w.services.listings.saveDisclosure(w.clerk, d.id, disclosure);
    const [row] = await db.db.select().from(listings).where(eq(listings.id, d.id));
    const bad = [
      [{ ...disclosure, leaseEndsOn: '' }, 'leaseEndsOn'],
      [{ ...disclosure, monthlyRent: 'abc' }, 'monthlyRent'],
      [{ occupancy: 'other', arrears: [] }, 'occupancyNote'],
      [{ ...disclosure, occupancy: 'squatters' }, 'occupancy'],
      [
        { ...disclosure, arrears: [{ kind: 'utilities', description: '电费', amount: '0', payer: 'buyer' }] },
        'arrears.0.amount',
      ],
      [
        {
          ...disclosure,
          arrears: [{ kind: 'utilities', description: '电费', amount: '10', payer: 'nobody' }],
        },
        'arrears.0.payer',
      ],
    ] as const;
    for (const [input, field] of bad) {
      const e = await caught(w.services.listings.saveDisclosure(w.clerk, d.id, input));
      expect(e.code, field).toBe('validation');
      expect(Object.keys(e.details.fieldErrors ?? {}), field).toContain(field);
    }
    const [same] = await db.db.select().from(listings).where(eq(listings.id, d.id));
    expect(same).toEqual(row);
    expect(await db.db.select().from(listingArrears).where(eq(listingArrears.listingId, d.id))).toHaveLength(
      2,
    );
  });

  it("another court's clerk cannot read or edit it; a bidder cannot either", async () => {
    const d = await draft();
    const other = await actorFor(w.services, 'clerk.chengbei@demo.lastmile.test');
    expect((await caught(w.services.listings.saveDisclosure(other, d.id, disclosure))).code).toBe(
      'not_found',
    );
    expect((await caught(w.services.listings.offerViewingSlot(other, d.id, slotInput(3)))).code).toBe(
      'not_found',
    );
    expect((await caught(w.services.listings.viewingsForCourt(other, d.id))).code).toBe('not_found');
    const bidder = await w.newBidder();
    expect((await caught(w.services.listings.saveDisclosure(bidder, d.id, disclosure))).code).toBe(
      'forbidden',
    );
    const [row] = await db.db.select().from(listings).where(eq(listings.id, d.id));
    expect(row!.occupancy).toBeNull();
    expect(await db.db.select().from(viewingSlots).where(eq(viewingSlots.listingId, d.id))).toHaveLength(0);
  });

  it('is edited on the draft only: once submitted it is refused (return to draft first)', async () => {
    const d = await draft();
    await w.services.listings.submit(w.clerk, d.id);
    const e = await caught(w.services.listings.saveDisclosure(w.clerk, d.id, disclosure));
    expect([e.code, e.messageKey]).toEqual(['conflict', 'disclosure.errors.notDraft']);
    const seen = await w.services.listings.getForCourt(w.clerk, d.id);
    expect(seen.can.disclose).toBe(false);
    expect(seen.can.offerViewing).toBe(true);
  });

  it('the public announcement shows it, without the checklist', async () => {
    const { listingId } = await published(3);
    const p = await w.services.listings.publicListing(listingId);
    expect(p.disclosure).toMatchObject({ occupancy: 'tenant', loanSupported: true, taxPayer: 'each_by_law' });
    expect(p.disclosure.arrears).toHaveLength(2);
    expect('checklist' in p.disclosure).toBe(false);
  });
});

describe('viewing slots', () => {
  it('a slot must lie ahead and before the end of bidding', async () => {
    const d = await draft();
    const past = await caught(w.services.listings.offerViewingSlot(w.clerk, d.id, slotInput(3, -1)));
    expect(past.details.fieldErrors?.startsAt).toEqual(['disclosure.errors.slotPast']);
    const late = await caught(w.services.listings.offerViewingSlot(w.clerk, d.id, slotInput(3, 32 * 24)));
    expect(late.details.fieldErrors?.startsAt).toEqual(['disclosure.errors.slotAfterEnd']);
    const none = await caught(w.services.listings.offerViewingSlot(w.clerk, d.id, slotInput(0)));
    expect(none.details.fieldErrors?.capacity).toEqual(['disclosure.errors.capacity']);
  });

  it('the last seat is booked; one over is refused and takes nothing', async () => {
    const { listingId, slotId } = await published(2);
    const [a, b, c] = [await w.newBidder(), await w.newBidder(), await w.newBidder()];
    expect((await w.services.listings.publicViewings(a, listingId)).slots[0]).toMatchObject({
      seatsLeft: 2,
      can: { book: true, cancel: false },
    });
    expect((await w.services.listings.publicViewings(null, listingId)).slots[0]!.can.book).toBe(false);
    expect((await w.services.listings.bookViewing(a, slotId)).created).toBe(true);
    expect((await w.services.listings.bookViewing(b, slotId)).created).toBe(true); // the last seat
    const full = await caught(w.services.listings.bookViewing(c, slotId));
    expect([full.code, full.messageKey]).toEqual(['conflict', 'disclosure.errors.slotFull']);
    const [slot] = await db.db.select().from(viewingSlots).where(eq(viewingSlots.id, slotId));
    expect(slot!.booked).toBe(2);
    expect(await db.db.select().from(viewingBookings).where(eq(viewingBookings.slotId, slotId))).toHaveLength(
      2,
    );
    // Seats left as the public sees them, and what each viewer may do.
    expect((await w.services.listings.publicViewings(c, listingId)).slots[0]).toMatchObject({
      seatsLeft: 0,
      can: { book: false, cancel: false },
    });
    expect((await w.services.listings.publicViewings(a, listingId)).slots[0]).toMatchObject({
      mine: true,
      can: { book: false, cancel: true },
    });
    // A cancellation frees the seat for the next.
    expect(await w.services.listings.cancelViewing(a, slotId)).toEqual({ cancelled: true });
    expect(await w.services.listings.cancelViewing(a, slotId)).toEqual({ cancelled: false });
    expect((await w.services.listings.bookViewing(c, slotId)).created).toBe(true);
    // The court sees who booked, by name.
    const court = await w.services.listings.viewingsForCourt(w.clerk, listingId);
    expect(court[0]!.bookings.map((x) => x.name)).toEqual(['测试竞买人', '测试竞买人']);
    expect(court[0]!.booked).toBe(2);
  });

  it('booking twice is one booking; another slot of the same listing is refused while one is held', async () => {
    const { listingId, slotId } = await published(5);
    const other = await w.services.listings.offerViewingSlot(w.clerk, listingId, slotInput(5, 72));
    const a = await w.newBidder();
    const first = await w.services.listings.bookViewing(a, slotId);
    const again = await w.services.listings.bookViewing(a, slotId);
    expect([again.created, again.booking.id]).toEqual([false, first.booking.id]);
    const [slot] = await db.db.select().from(viewingSlots).where(eq(viewingSlots.id, slotId));
    expect(slot!.booked).toBe(1);
    const e = await caught(w.services.listings.bookViewing(a, other.id));
    expect(e.messageKey).toBe('disclosure.errors.alreadyBooked');
    // Court staff do not book viewings.
    expect((await caught(w.services.listings.bookViewing(w.clerk, slotId))).code).toBe('forbidden');
  });

  it('concurrent bookings never exceed the capacity, and a user double-posting concurrently books once', async () => {
    const { slotId } = await published(3);
    const bidders = await Promise.all(Array.from({ length: 8 }, () => w.newBidder()));
    const results = await Promise.allSettled([
      ...bidders.map((b) => w.services.listings.bookViewing(b, slotId)),
      w.services.listings.bookViewing(bidders[0]!, slotId),
    ]);
    const rows = await db.db.select().from(viewingBookings).where(eq(viewingBookings.slotId, slotId));
    const [slot] = await db.db.select().from(viewingSlots).where(eq(viewingSlots.id, slotId));
    expect(rows).toHaveLength(3);
    expect(slot!.booked).toBe(3);
    expect(new Set(rows.map((r) => r.userId)).size).toBe(3);
    const refused = results.filter((r) => r.status === 'rejected');
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason.messageKey).toBe('disclosure.errors.slotFull');
  });

  it('a draft’s slots are not bookable by the public', async () => {
    const d = await draft();
    const slot = await w.services.listings.offerViewingSlot(w.clerk, d.id, slotInput(3));
    const a = await w.newBidder();
    expect((await caught(w.services.listings.bookViewing(a, slot.id))).code).toBe('not_found');
    expect((await caught(w.services.listings.publicViewings(a, d.id))).code).toBe('not_found');
  });
});
