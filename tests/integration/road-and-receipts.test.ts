import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balances, payments, receiptSequences } from '../../db/schema/payments';
import type { Actor } from '../../server/identity/permissions';
import type { GatewayEvent } from '../../server/payments/gateway';
import { createTestDatabase } from '../support/db';
import { caught } from '../support/fixtures';
import { moneyWorld, refOf } from '../support/money';

// Issue 21: the road after the sale for its winner and the other bidders (server/sales/road.ts),
// and receipts numbered per court and year in the transaction that records the money.
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: Awaited<ReturnType<typeof moneyWorld>>;
const delivered: GatewayEvent[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  w = await moneyWorld(db, {
    faults: {
      dropEvent: (e) => {
        delivered.push(e);
        return false;
      },
    },
  });
});
afterAll(() => db.drop());

const keysAndStates = (steps: ReadonlyArray<{ key: string; state: string }>) =>
  steps.map((s) => [s.key, s.state]);
const current = (steps: ReadonlyArray<{ key: string; state: string }>) =>
  steps.filter((s) => s.state === 'current').map((s) => s.key);

/** An auction with two bidders whose deposits are held, ended and sold to the first at ¥770,000. */
async function soldToFirst() {
  const { listing } = await w.announcedListing();
  const winner = await w.registeredWithDeposit(listing.id);
  const loser = await w.registeredWithDeposit(listing.id);
  const stranger = await w.newBidder();
  return { listing, winner, loser, stranger };
}

async function payBalance(buyer: Actor, balanceId: string) {
  const pay = await w.services.payments.startPayment(buyer, {
    target: 'balance',
    id: balanceId,
    method: 'card',
  });
  await w.services.localGateway!.decide(refOf(pay.redirectUrl), 'approve');
}

describe('the road after the sale (issue 21 part 5)', () => {
  it('the winner, the loser and a stranger at each stage: settling, balance due, paid, ruled, served, handed over', async () => {
    const { listing, winner, loser, stranger } = await soldToFirst();
    const road = (who: Actor | null) => w.services.sales.roadAfterSale(who, listing.id);

    // Before the end nobody has a road.
    expect(await road(winner.bidder)).toBeNull();

    // Ended, settlement not run yet: nobody is told which road is his.
    await db.db.transaction(async (tx) => {
      const { listings } = await import('../../db/schema/auctions');
      await tx
        .update(listings)
        .set({ status: 'ended', outcome: 'sold', endedAt: w.time.clock() })
        .where(eq(listings.id, listing.id));
    });
    const early = (await road(loser.bidder))!;
    expect(early).toMatchObject({ role: 'settling', steps: [], settling: true });
    expect(early.can).toEqual({ payBalance: false, readRuling: false });

    // The settlement: the balance opens for the winner, the loser's deposit is released.
    const endedAt = w.time.clock();
    await db.db.transaction((tx) =>
      w.services.payments.settleListing(
        tx,
        listing.id,
        { winnerRegistrationId: winner.registration.id, priceFen: 77_000_000n },
        endedAt,
      ),
    );
    await w.runner.runDue();
    const [b] = await db.db.select().from(balances).where(eq(balances.listingId, listing.id));

    const due = (await road(winner.bidder))!;
    expect(due.role).toBe('winner');
    expect(keysAndStates(due.steps)).toEqual([
      ['confirmation', 'done'],
      ['balance', 'current'],
      ['ruling', 'upcoming'],
      ['service', 'upcoming'],
      ['handover', 'upcoming'],
      ['title', 'upcoming'],
    ]);
    expect(due.steps[1]).toMatchObject({ dueAt: b!.dueAt, amountFen: b!.amountFen.toString() });
    expect(due.can).toEqual({ payBalance: true, readRuling: false });
    expect(due.balanceId).toBe(b!.id);
    expect(due.receipts.map((r) => r.purpose)).toEqual(['deposit']);

    // The loser: the end, then his deposit back within 24 hours of it (art. 23), released with its time.
    const back = (await road(loser.bidder))!;
    expect(back.role).toBe('bidder');
    expect(keysAndStates(back.steps)).toEqual([
      ['ended', 'done'],
      ['depositRelease', 'done'],
    ]);
    expect(back.steps[1]!.at).toEqual(w.time.clock());
    expect(back.steps[1]!.amountFen).toBe(loser.deposit.amountFen.toString());
    expect(back.can).toEqual({ payBalance: false, readRuling: false });
    // Nobody else's road: not the stranger's, not anyone signed out, not the court's staff.
    expect(await road(stranger)).toBeNull();
    expect(await road(null)).toBeNull();
    expect(await road(w.clerk)).toBeNull();
    // A card hold released by cancelling it took no money: no receipt remains (and never the winner's).
    expect(back.receipts).toEqual([]);

    // Paid: never asked to pay again; the ruling is next, due 10 days after full payment.
    await payBalance(winner.bidder, b!.id);
    const paid = (await road(winner.bidder))!;
    expect(current(paid.steps)).toEqual(['ruling']);
    expect(paid.steps.find((s) => s.key === 'balance')).toMatchObject({ state: 'done', at: w.time.clock() });
    expect(paid.can).toEqual({ payBalance: false, readRuling: false });
    expect(paid.receipts.map((r) => r.purpose)).toEqual(['deposit', 'balance']);

    await w.services.sales.issueRuling(w.panel, listing.id);
    const ruled = (await road(winner.bidder))!;
    expect(current(ruled.steps)).toEqual(['service']);
    expect(ruled.can.readRuling).toBe(true);
    expect(ruled.ruling?.number).toMatch(/之一$/);

    const today = new Date(w.time.clock().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    await w.services.sales.recordService(w.clerk, listing.id, { servedOn: today });
    const served = (await road(winner.bidder))!;
    expect(current(served.steps)).toEqual(['handover']);
    expect(served.steps.find((s) => s.key === 'service')).toMatchObject({ state: 'done', day: today });

    await w.services.sales.scheduleHandover(w.clerk, listing.id, {
      scheduledFor: new Date(w.time.clock().getTime() + 86_400_000).toISOString(),
      place: '标的现场',
    });
    w.advanceDays(1);
    await w.services.sales.recordHandover(w.clerk, listing.id, {
      handedOverOn: new Date(w.time.clock().getTime() + 8 * 3_600_000).toISOString().slice(0, 10),
    });
    const handed = (await road(winner.bidder))!;
    // Only the buyer's own title registration is left: exactly one current step.
    expect(current(handed.steps)).toEqual(['title']);
    expect(handed.steps.filter((s) => s.state === 'done').map((s) => s.key)).toEqual([
      'confirmation',
      'balance',
      'ruling',
      'service',
      'handover',
    ]);
    // The loser's road did not change, and is still only his.
    expect(keysAndStates((await road(loser.bidder))!.steps)).toEqual(keysAndStates(back.steps));
  });

  it('a winner who defaults: the balance blocked (art. 24), the road ends there, nothing to pay', async () => {
    const { listing, winner } = await soldToFirst();
    await w.settle(listing.id, { winnerRegistrationId: winner.registration.id, priceFen: 77_000_000n });
    await w.runner.runDue();
    const [b] = await db.db.select().from(balances).where(eq(balances.listingId, listing.id));
    // One millisecond before the deadline he may still pay; at it, not any more.
    w.time.set(new Date(b!.dueAt.getTime() - 1));
    expect((await w.services.sales.roadAfterSale(winner.bidder, listing.id))!.can.payBalance).toBe(true);
    w.time.set(new Date(b!.dueAt.getTime() + 1_000));
    expect((await w.services.sales.roadAfterSale(winner.bidder, listing.id))!.can.payBalance).toBe(false);
    await w.runner.runDue();
    const road = (await w.services.sales.roadAfterSale(winner.bidder, listing.id))!;
    expect(keysAndStates(road.steps)).toEqual([
      ['confirmation', 'done'],
      ['balance', 'blocked'],
    ]);
    expect(road.steps[1]).toMatchObject({ outcome: 'defaulted' });
    expect(road.can).toEqual({ payBalance: false, readRuling: false });
  });
});

describe('receipt numbers (issue 21)', () => {
  it('court code, Beijing year and a sequence: unique and without gaps under concurrent payments', async () => {
    const { listing } = await w.announcedListing();
    const bidders = await Promise.all(Array.from({ length: 12 }, () => w.newBidder()));
    const regs = await Promise.all(
      bidders.map((b) => w.services.registrations.register(b, listing.id, { acceptNotices: true })),
    );
    const started = await Promise.all(
      regs.map((r, i) =>
        w.services.payments.startPayment(bidders[i]!, {
          target: 'deposit',
          id: r.deposit.id,
          method: 'card',
        }),
      ),
    );
    const before = await db.db.select().from(receiptSequences);
    const last = before.find((s) => s.year === 2026)?.last ?? 0;
    // Twelve approvals at once: each its own transaction, all on the same court's counter.
    await Promise.all(started.map((s) => w.services.localGateway!.decide(refOf(s.redirectUrl), 'approve')));
    const ids = started.map((s) => s.paymentId);
    const rows = (await db.db.select().from(payments)).filter((p) => ids.includes(p.id));
    const numbers = rows.map((p) => p.receiptNumber!);
    expect(new Set(numbers).size).toBe(12);
    for (const n of numbers) expect(n).toMatch(/^青0104-2026-\d{6}$/);
    const seqs = numbers.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => last + 1 + i));
    // The receipt page and its PDF carry the number.
    const r = await w.services.payments.receipt(bidders[0]!, ids[0]!);
    expect(r.number).toBe(rows.find((p) => p.id === ids[0])!.receiptNumber);
    expect(r.references.map((x) => x.kind)).toEqual(['gateway']);
    const pdf = await w.services.payments.receiptPdf(bidders[0]!, ids[0]!);
    expect(Buffer.from(pdf.bytes).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.filename).toBe(`收据${r.number}.pdf`);
    // Another bidder's receipt does not exist for him.
    expect((await caught(w.services.payments.receipt(bidders[1]!, ids[0]!))).code).toBe('not_found');
    expect((await caught(w.services.payments.receiptPdf(bidders[1]!, ids[0]!))).code).toBe('not_found');
  });

  it('a retried payment event allocates no second number', async () => {
    const { listing } = await w.announcedListing();
    const b = await w.newBidder();
    const reg = await w.services.registrations.register(b, listing.id, { acceptNotices: true });
    const start = await w.services.payments.startPayment(b, {
      target: 'deposit',
      id: reg.deposit.id,
      method: 'card',
    });
    const mark = delivered.length;
    await w.services.localGateway!.decide(refOf(start.redirectUrl), 'approve');
    const [first] = await db.db.select().from(payments).where(eq(payments.id, start.paymentId));
    const counter = async () =>
      (await db.db.select().from(receiptSequences)).reduce((sum, s) => sum + s.last, 0);
    const total = await counter();
    const event = delivered.slice(mark).find((e) => e.state.status === 'authorized')!;
    expect(await w.services.payments.processEvent(event, 'local')).toBe('duplicate');
    // The same state under a new event id (a gateway's retry) and a reconciliation pass.
    await w.services.payments.processEvent({ ...event, id: `${event.id}-retry` }, 'local');
    await w.services.payments.reconcile();
    const [again] = await db.db.select().from(payments).where(eq(payments.id, start.paymentId));
    expect(again!.receiptNumber).toBe(first!.receiptNumber);
    expect(again!.receiptIssuedAt).toEqual(first!.receiptIssuedAt);
    expect(await counter()).toBe(total);
  });
});
