import { createHash } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit';
import { jobs } from '../../db/schema/jobs';
import { notifications } from '../../db/schema/notifications';
import { balances } from '../../db/schema/payments';
import { sales } from '../../db/schema/sales';
import type { Actor } from '../../server/identity/permissions';
import type { GatewayEvent } from '../../server/payments/gateway';
import { decideSaleActions, SALE_ACTIONS, type SaleAction } from '../../server/sales/affordances';
import { actorFor } from '../support/court';
import { createTestDatabase } from '../support/db';
import { caught } from '../support/fixtures';
import { moneyWorld, refOf } from '../support/money';

const DAY = 86_400_000;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: Awaited<ReturnType<typeof moneyWorld>>;
/** Every local simulator event, so a test can deliver one again. */
const delivered: GatewayEvent[] = [];
let xiningClerk: Actor;
let xiningPanel: Actor;

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
  xiningClerk = await actorFor(w.services, 'clerk.xining@demo.lastmile.test');
  xiningPanel = await actorFor(w.services, 'panel.xining@demo.lastmile.test');
});
afterAll(() => db.drop());

const saleOf = async (listingId: string) =>
  (await db.db.select().from(sales).where(eq(sales.listingId, listingId)))[0];

/** `YYYY-MM-DD` of a moment in Beijing. */
const day = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * A first auction sold to a new bidder at ¥770,000 (his ¥70,000 deposit applied), the
 * settlement run; with `pay`, the balance paid by card (the local simulator).
 */
async function sold(opts: { restricted?: boolean; pay?: boolean } = {}) {
  const { listing, caseId } = await w.announcedListing(opts.restricted ? { purchaseRestricted: 'on' } : {});
  const buyer = await w.newBidder();
  const reg = await w.services.registrations.register(buyer, listing.id, {
    acceptNotices: true,
    promiseEligibility: true,
  });
  const deposit = await w.services.payments.startPayment(buyer, {
    target: 'deposit',
    id: reg.deposit.id,
    method: 'card',
  });
  await w.services.localGateway!.decide(refOf(deposit.redirectUrl), 'approve');
  await w.settle(listing.id, { winnerRegistrationId: reg.registration.id, priceFen: 77_000_000n });
  await w.runner.runDue();
  const [b] = await db.db.select().from(balances).where(eq(balances.listingId, listing.id));
  if (opts.pay !== false) await payBalance(buyer, b!.id);
  return { listing, caseId, buyer, balanceId: b!.id };
}

async function payBalance(buyer: Actor, balanceId: string) {
  const pay = await w.services.payments.startPayment(buyer, {
    target: 'balance',
    id: balanceId,
    method: 'card',
  });
  await w.services.localGateway!.decide(refOf(pay.redirectUrl), 'approve');
}

describe('the sale opens when the balance is paid in full (art. 20)', () => {
  it('once, with the ruling due 10 days later as a durable job, also when the payment event comes twice', async () => {
    const { listing, buyer, balanceId } = await sold({ pay: false });
    expect(await saleOf(listing.id)).toBeUndefined();
    const before = delivered.length;
    await payBalance(buyer, balanceId);
    const s = (await saleOf(listing.id))!;
    const paidAt = w.time.clock();
    expect(s).toMatchObject({
      status: 'awaiting_ruling',
      priceFen: 77_000_000n,
      buyerId: buyer.userId,
      balanceId,
      purchaseRestricted: false,
      rulingOverdueAt: null,
    });
    expect(s.paidAt).toEqual(paidAt);
    expect(s.rulingDueAt).toEqual(new Date(paidAt.getTime() + 10 * DAY));

    // The same event again (a webhook retry), and the same state under another event id.
    const event = delivered.slice(before).find((e) => e.state.status === 'captured')!;
    expect(await w.services.payments.processEvent(event, 'local')).toBe('duplicate');
    expect(await w.services.payments.processEvent({ ...event, id: `${event.id}-again` }, 'local')).toBe(
      'processed',
    );
    // And the hook itself called again inside a transaction: it finds the sale open.
    const [b] = await db.db.select().from(balances).where(eq(balances.id, balanceId));
    const again = await db.db.transaction((tx) => w.services.sales.openSale(tx, b!, w.time.clock()));
    expect(again).toBeNull();

    expect(await db.db.select().from(sales).where(eq(sales.listingId, listing.id))).toHaveLength(1);
    const opened = await db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, s.id), eq(auditLog.action, 'sale.opened')));
    expect(opened).toHaveLength(1);
    const due = await db.db
      .select()
      .from(jobs)
      .where(eq(jobs.key, `sale:${s.id}:ruling-due`));
    expect(due.map((j) => [j.status, j.runAt])).toEqual([['pending', s.rulingDueAt]]);
    // The buyer sees it among his purchases, with the ruling's deadline.
    const mine = await w.services.sales.mySales(buyer);
    expect(mine.sales.map((x) => x.listingId)).toEqual([listing.id]);
    const ruling = mine.sales[0]!.steps.find((x) => x.key === 'ruling')!;
    expect(ruling).toMatchObject({ state: 'current', dueAt: s.rulingDueAt, overdue: false });
  });
});

describe('the deadlines (arts. 20, 27) fire on time by the clock', () => {
  it('puts the ruling on the overdue list at 10 days and tells the court; the handover at 15 days after the ruling', async () => {
    const { listing, buyer } = await sold();
    const s = (await saleOf(listing.id))!;
    w.time.set(new Date(s.rulingDueAt.getTime() - 60_000));
    await w.runner.runDue();
    expect((await saleOf(listing.id))!.rulingOverdueAt).toBeNull();
    let desk = await w.services.sales.courtDesk(w.clerk);
    expect(desk.rulings.find((r) => r.sale.listingId === listing.id)?.sale.rulingOverdueAt).toBeNull();

    w.time.set(new Date(s.rulingDueAt.getTime() + 1_000));
    await w.runner.runDue();
    const overdue = (await saleOf(listing.id))!;
    expect(overdue.rulingOverdueAt).toEqual(w.time.clock());
    desk = await w.services.sales.courtDesk(w.clerk);
    // Overdue first (an earlier test's sale is overdue by now too).
    const overdueFirst = (
      rows: typeof desk.rulings,
      n: number,
      at: (r: (typeof rows)[number]) => Date | null,
    ) => {
      expect(n).toBeGreaterThanOrEqual(1);
      expect(rows.slice(0, n).every((r) => at(r) !== null)).toBe(true);
      expect(rows.slice(n).every((r) => at(r) === null)).toBe(true);
      return rows.slice(0, n).map((r) => r.sale.listingId);
    };
    expect(overdueFirst(desk.rulings, desk.overdue.rulings, (r) => r.sale.rulingOverdueAt)).toContain(
      listing.id,
    );
    const told = await db.db
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.organisationId, listing.courtId), eq(notifications.kind, 'saleRulingOverdue')),
      );
    expect(told.some((n) => n.link === `/court/sales/${listing.id}`)).toBe(true);
    const view = await w.services.sales.saleForCourt(w.clerk, listing.id);
    expect(view.steps!.find((x) => x.key === 'ruling')).toMatchObject({ state: 'current', overdue: true });

    // Late, but the ruling is still issued; the handover's 15 days start then.
    await w.services.sales.issueRuling(w.panel, listing.id);
    const ruled = (await saleOf(listing.id))!;
    expect(ruled.status).toBe('ruling_issued');
    expect(ruled.handoverDueAt).toEqual(new Date(w.time.clock().getTime() + 15 * DAY));
    desk = await w.services.sales.courtDesk(w.clerk);
    expect(desk.rulings.some((r) => r.sale.listingId === listing.id)).toBe(false);
    expect(desk.handovers.some((r) => r.sale.listingId === listing.id)).toBe(true);

    w.time.advance(15 * DAY - 60_000);
    await w.runner.runDue();
    expect((await saleOf(listing.id))!.handoverOverdueAt).toBeNull();
    w.time.advance(61_000);
    await w.runner.runDue();
    expect((await saleOf(listing.id))!.handoverOverdueAt).toEqual(w.time.clock());
    desk = await w.services.sales.courtDesk(w.clerk);
    expect(overdueFirst(desk.handovers, desk.overdue.handovers, (r) => r.sale.handoverOverdueAt)).toContain(
      listing.id,
    );
    const mine = await w.services.sales.roadAfterSale(buyer, listing.id);
    expect(mine!.steps.find((x) => x.key === 'handover')).toMatchObject({ overdue: true, state: 'upcoming' });
  });

  it('a ruling issued in time cancels its deadline: nothing is marked later', async () => {
    const { listing } = await sold();
    await w.services.sales.issueRuling(w.panel, listing.id);
    w.advanceDays(11);
    await w.runner.runDue();
    expect((await saleOf(listing.id))!.rulingOverdueAt).toBeNull();
  });
});

describe('purchase restrictions (限购): the court re-checks eligibility before the ruling', () => {
  it('a failed re-check blocks the ruling and says so; a new check that passes opens the way', async () => {
    const { listing, buyer } = await sold({ restricted: true });
    expect((await saleOf(listing.id))!.status).toBe('eligibility_check');
    let view = await w.services.sales.saleForCourt(w.panel, listing.id);
    expect(view.can).toMatchObject({ recordEligibility: true, issueRuling: false });
    expect((await caught(w.services.sales.issueRuling(w.panel, listing.id))).messageKey).toBe(
      'sales.errors.eligibilityPending',
    );

    const noReason = await caught(
      w.services.sales.recordEligibility(w.clerk, listing.id, { outcome: 'failed' }),
    );
    expect(noReason.details.fieldErrors?.reason).toEqual(['sales.validation.reasonRequired']);
    await w.services.sales.recordEligibility(w.clerk, listing.id, {
      outcome: 'failed',
      reason: '买受人名下已有两套住房，不符合限购政策。',
    });
    const failed = (await saleOf(listing.id))!;
    expect(failed).toMatchObject({
      status: 'eligibility_failed',
      eligibilityCheckedBy: w.clerk.userId,
      eligibilityFailureReason: '买受人名下已有两套住房，不符合限购政策。',
    });
    const refused = await caught(w.services.sales.issueRuling(w.panel, listing.id));
    expect(refused).toMatchObject({ code: 'conflict', messageKey: 'sales.errors.eligibilityFailed' });
    view = await w.services.sales.saleForCourt(w.panel, listing.id);
    expect(view.can!.issueRuling).toBe(false);
    expect(view.steps!.find((x) => x.key === 'eligibility')).toMatchObject({
      state: 'blocked',
      outcome: 'failed',
    });
    expect(view.steps!.find((x) => x.key === 'ruling')!.state).toBe('blocked');
    const told = await db.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, buyer.userId), eq(notifications.kind, 'saleEligibilityFailed')));
    expect(told).toHaveLength(1);

    await w.services.sales.recordEligibility(w.clerk, listing.id, { outcome: 'passed' });
    expect((await saleOf(listing.id))!.status).toBe('awaiting_ruling');
    await w.services.sales.issueRuling(w.panel, listing.id);
    const view2 = await w.services.sales.saleForCourt(w.clerk, listing.id);
    expect(view2.record!.map((r) => r.kind)).toEqual([
      'opened',
      'eligibility_failed',
      'awaiting_ruling',
      'ruling_issued',
    ]);
    expect(view2.record![1]!.by).toBe('王书记员');
    // Recorded once it passed: no second check.
    expect(
      (await caught(w.services.sales.recordEligibility(w.clerk, listing.id, { outcome: 'passed' })))
        .messageKey,
    ).toBe('sales.errors.eligibilityPassed');
  });
});

describe('the ruling, its service and the handover', () => {
  it('a judge issues the numbered ruling as a PDF; service passes ownership; the handover is scheduled, obstructed, rescheduled and done', async () => {
    const { listing, caseId, buyer } = await sold();
    // A clerk records, a judge rules (issue:sale-ruling).
    expect((await caught(w.services.sales.issueRuling(w.clerk, listing.id))).code).toBe('forbidden');
    const issued = await w.services.sales.issueRuling(w.panel, listing.id);
    const [c] = await db.db.query.cases.findMany({ where: (t, { eq }) => eq(t.id, caseId) });
    expect(issued.rulingNumber).toBe(`${c!.caseNumber}之一`);
    expect(issued.rulingIssuedBy).toBe(w.panel.userId);

    const pdf = await w.services.sales.readRuling(buyer, listing.id);
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(createHash('sha256').update(pdf.bytes).digest('hex')).toBe(issued.rulingSha256);
    expect(pdf.size).toBe(issued.rulingSize);
    expect(pdf.bytes.toString('latin1')).toMatch(/\/FontFile2 /);
    expect((await w.services.sales.readRuling(w.clerk, listing.id)).sha256).toBe(issued.rulingSha256);
    expect((await caught(w.services.sales.issueRuling(w.panel, listing.id))).messageKey).toBe(
      'sales.errors.rulingIssued',
    );

    // Service: not before the ruling's day, not in the future.
    const today = day(w.time.clock());
    const early = await caught(
      w.services.sales.recordService(w.clerk, listing.id, { servedOn: '2020-01-01' }),
    );
    expect(early.details.fieldErrors?.servedOn).toEqual(['sales.validation.beforeRuling']);
    const future = await caught(
      w.services.sales.recordService(w.clerk, listing.id, {
        servedOn: day(new Date(w.time.clock().getTime() + 2 * DAY)),
      }),
    );
    expect(future.details.fieldErrors?.servedOn).toEqual(['sales.validation.inFuture']);
    // Nothing to schedule before service.
    expect(
      (
        await caught(
          w.services.sales.scheduleHandover(w.clerk, listing.id, {
            scheduledFor: new Date(w.time.clock().getTime() + DAY).toISOString(),
            place: '标的现场',
          }),
        )
      ).messageKey,
    ).toBe('sales.errors.notServed');
    await w.services.sales.recordService(w.clerk, listing.id, { servedOn: today });
    expect((await saleOf(listing.id))!).toMatchObject({ status: 'ruling_served', servedOn: today });

    const first = new Date(w.time.clock().getTime() + 2 * DAY);
    await w.services.sales.scheduleHandover(w.clerk, listing.id, {
      scheduledFor: first.toISOString(),
      place: '西宁市城西区五四西路 68 号',
    });
    await w.services.sales.recordObstruction(w.clerk, listing.id, { reason: '原占有人拒不迁出。' });
    expect((await saleOf(listing.id))!).toMatchObject({
      status: 'handover_obstructed',
      obstructionReason: '原占有人拒不迁出。',
    });
    w.advanceDays(3);
    const second = new Date(w.time.clock().getTime() + DAY);
    await w.services.sales.scheduleHandover(w.panel, listing.id, {
      scheduledFor: second.toISOString(),
      place: '西宁市城西区五四西路 68 号',
    });
    w.advanceDays(1);
    await w.services.sales.recordHandover(w.clerk, listing.id, {
      handedOverOn: day(w.time.clock()),
      note: '钥匙两把已交买受人。',
    });
    const done = (await saleOf(listing.id))!;
    expect(done).toMatchObject({
      status: 'handed_over',
      handoverNote: '钥匙两把已交买受人。',
      obstructionReason: null,
    });
    expect(
      await db.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.key, `sale:${done.id}:handover-due`), eq(jobs.status, 'pending'))),
    ).toEqual([]);

    // The buyer's side: every step done, with its date; the handover record without staff names.
    const road = (await w.services.sales.roadAfterSale(buyer, listing.id))!;
    expect(road.steps.map((x) => [x.key, x.state])).toEqual([
      ['confirmation', 'done'],
      ['balance', 'done'],
      ['ruling', 'done'],
      ['service', 'done'],
      ['handover', 'done'],
      ['title', 'current'],
    ]);
    expect(road.steps.find((x) => x.key === 'service')!.day).toBe(today);
    expect(road.ruling!.number).toBe(issued.rulingNumber);
    expect(road.can).toEqual({ payBalance: false, readRuling: true });
    const [mine] = (await w.services.sales.mySales(buyer)).sales.filter((x) => x.listingId === listing.id);
    expect(mine!.steps).toEqual(road.steps);
    expect(mine!.handoverRecord.map((r) => r.kind)).toEqual([
      'handover_scheduled',
      'handover_obstructed',
      'handover_scheduled',
      'handed_over',
    ]);
    expect(JSON.stringify(mine, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(
      w.clerk.userId,
    );
    const kinds = (
      await db.db.select().from(notifications).where(eq(notifications.userId, buyer.userId))
    ).map((n) => n.kind);
    for (const k of [
      'saleOpened',
      'saleRulingIssued',
      'saleRulingServed',
      'saleHandoverScheduled',
      'saleHandoverObstructed',
      'saleHandedOver',
    ])
      expect(kinds).toContain(k);
    const audit = await db.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, done.id))
      .orderBy(asc(auditLog.id));
    expect(audit.map((a) => a.action)).toEqual([
      'sale.opened',
      'sale.ruling_issued',
      'sale.ruling_served',
      'sale.handover_scheduled',
      'sale.handover_obstructed',
      'sale.handover_scheduled',
      'sale.handed_over',
    ]);
  });
});

describe('who sees and does what', () => {
  it('another court gets 404, a stranger 403 or 404, and the buyer only his own', async () => {
    const { listing, buyer } = await sold();
    await w.services.sales.issueRuling(w.panel, listing.id);
    const stranger = await w.newBidder();
    const other = await sold();

    for (const court of [xiningClerk, xiningPanel]) {
      expect((await caught(w.services.sales.saleForCourt(court, listing.id))).code).toBe('not_found');
      expect((await caught(w.services.sales.readRuling(court, listing.id))).code).toBe('not_found');
      expect(
        (await caught(w.services.sales.recordService(court, listing.id, { servedOn: day(w.time.clock()) })))
          .code,
      ).toBe('not_found');
      const desk = await w.services.sales.courtDesk(court);
      expect([...desk.rulings, ...desk.handovers].some((r) => r.sale.listingId === listing.id)).toBe(false);
    }
    expect((await caught(w.services.sales.issueRuling(xiningPanel, other.listing.id))).code).toBe(
      'not_found',
    );

    expect((await caught(w.services.sales.saleForCourt(stranger, listing.id))).code).toBe('forbidden');
    expect((await caught(w.services.sales.courtDesk(stranger))).code).toBe('forbidden');
    expect((await caught(w.services.sales.issueRuling(stranger, listing.id))).code).toBe('forbidden');
    expect((await caught(w.services.sales.readRuling(stranger, listing.id))).code).toBe('not_found');
    expect((await caught(w.services.sales.readRuling(null, listing.id))).code).toBe('unauthenticated');
    expect((await caught(w.services.sales.mySales(null))).code).toBe('unauthenticated');

    expect(await w.services.sales.roadAfterSale(stranger, listing.id)).toBeNull();
    expect((await w.services.sales.mySales(stranger)).sales).toEqual([]);
    expect((await w.services.sales.mySales(buyer)).sales.map((s) => s.listingId)).toEqual([listing.id]);
    expect(await w.services.sales.roadAfterSale(buyer, other.listing.id)).toBeNull();
    expect((await caught(w.services.sales.readRuling(buyer, other.listing.id))).code).toBe('not_found');
  });

  it('every action the page does not offer answers exactly the refusal its decision gives', async () => {
    const a = (await sold()).listing.id;
    const b = (await sold()).listing.id;
    const c = (await sold({ restricted: true })).listing.id;
    await w.services.sales.issueRuling(w.panel, b); // ruling_issued
    // c stays at eligibility_check; a at awaiting_ruling.
    // Valid input for each action, so a refusal can only be the decision's.
    const inputs = (): Record<SaleAction, unknown> => ({
      recordEligibility: { outcome: 'passed' },
      issueRuling: undefined,
      recordService: { servedOn: day(w.time.clock()) },
      scheduleHandover: {
        scheduledFor: new Date(w.time.clock().getTime() + DAY).toISOString(),
        place: '标的现场',
      },
      recordHandover: { handedOverOn: day(w.time.clock()) },
      recordObstruction: { reason: '案外人提出异议。' },
    });
    const call = (actor: Actor, action: SaleAction, listingId: string, input: unknown) => {
      const s = w.services.sales;
      return {
        recordEligibility: () => s.recordEligibility(actor, listingId, input),
        issueRuling: () => s.issueRuling(actor, listingId),
        recordService: () => s.recordService(actor, listingId, input),
        scheduleHandover: () => s.scheduleHandover(actor, listingId, input),
        recordHandover: () => s.recordHandover(actor, listingId, input),
        recordObstruction: () => s.recordObstruction(actor, listingId, input),
      }[action]();
    };
    const stranger = await w.newBidder();
    let checked = 0;
    for (const listingId of [a, b, c]) {
      for (const actor of [w.clerk, w.panel, xiningClerk, stranger]) {
        const s = (await saleOf(listingId))!;
        const decisions = decideSaleActions(actor, s);
        for (const action of SALE_ACTIONS) {
          const refusal = decisions[action];
          if (!refusal) continue;
          const e = await caught(call(actor, action, listingId, inputs()[action]));
          expect([action, e.code, e.messageKey]).toEqual([action, refusal.code, refusal.messageKey]);
          checked++;
        }
        // And the page's `can` is the same decision.
        if (actor === w.clerk || actor === w.panel) {
          const view = await w.services.sales.saleForCourt(actor, listingId);
          expect(view.can).toEqual(Object.fromEntries(SALE_ACTIONS.map((x) => [x, decisions[x] === null])));
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    // Nothing moved.
    expect((await saleOf(a))!.status).toBe('awaiting_ruling');
    expect((await saleOf(b))!.status).toBe('ruling_issued');
    expect((await saleOf(c))!.status).toBe('eligibility_check');
  });
});
