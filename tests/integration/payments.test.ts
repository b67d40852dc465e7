import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetBars, registrations } from '../../db/schema/auctions';
import { notifications } from '../../db/schema/notifications';
import { balances, bankTransfers, deposits, payments } from '../../db/schema/payments';
import { actorFor } from '../support/court';
import { createTestDatabase } from '../support/db';
import { caught } from '../support/fixtures';
import { moneyWorld, negativeAccounts, refOf, unbalancedTransactions } from '../support/money';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: Awaited<ReturnType<typeof moneyWorld>>;

beforeAll(async () => {
  db = await createTestDatabase();
  w = await moneyWorld(db);
});
afterAll(() => db.drop());

const depositRow = async (id: string) => (await db.db.select().from(deposits).where(eq(deposits.id, id)))[0]!;

describe('registration and the deposit (art. 17-18)', () => {
  it('a verified bidder registers, pays the deposit by card and only then receives a bidder code', async () => {
    const { listing } = await w.announcedListing();
    const bidder = await w.newBidder();
    const reg = await w.services.registrations.register(bidder, listing.id, { acceptNotices: true });
    expect(reg.registration.status).toBe('awaiting_deposit');
    expect(reg.registration.code).toBeNull();
    expect(reg.deposit).toMatchObject({ status: 'pending', amountFen: 7_000_000n, requiredFen: 7_000_000n });
    // A retried form registers once.
    const again = await w.services.registrations.register(bidder, listing.id, { acceptNotices: true });
    expect(again.registration.id).toBe(reg.registration.id);

    const started = await w.services.payments.startPayment(bidder, {
      target: 'deposit',
      id: reg.deposit.id,
      method: 'card',
    });
    expect(started.redirectUrl).toMatch(/^\/pay\/local\/lp_/);
    // A second click reuses the open attempt.
    const twice = await w.services.payments.startPayment(bidder, {
      target: 'deposit',
      id: reg.deposit.id,
      method: 'card',
    });
    expect(twice.paymentId).toBe(started.paymentId);
    expect(await w.balance(`bidder_deposit:${reg.registration.id}`)).toBe(0n);

    await w.services.localGateway!.decide(refOf(started.redirectUrl), 'approve');
    const after = (await w.services.registrations.myRegistration(bidder, listing.id))!;
    expect(after.deposit.status).toBe('held');
    expect(after.registration.status).toBe('active');
    expect(after.registration.code).toMatch(/^[2-9A-Z]{4}$/);
    expect(await w.balance(`bidder_deposit:${reg.registration.id}`)).toBe(7_000_000n);
    expect(await w.balance('gateway_clearing:local')).toBeLessThanOrEqual(-7_000_000n);
  });

  it('refuses without the notices, without the eligibility promise on a restricted listing, and staff (art. 34)', async () => {
    const { listing } = await w.announcedListing({ purchaseRestricted: 'on' });
    const bidder = await w.newBidder();
    const noNotices = await caught(w.services.registrations.register(bidder, listing.id, {}));
    expect(noNotices.details.fieldErrors?.acceptNotices).toEqual(['registration.mustAcceptNotices']);
    const noPromise = await caught(
      w.services.registrations.register(bidder, listing.id, { acceptNotices: true }),
    );
    expect(noPromise.details.fieldErrors?.promiseEligibility).toEqual([
      'registration.mustPromiseEligibility',
    ]);
    expect(await db.db.select().from(registrations).where(eq(registrations.listingId, listing.id))).toEqual(
      [],
    );
    const ok = await w.services.registrations.register(bidder, listing.id, {
      acceptNotices: true,
      promiseEligibility: true,
    });
    expect(ok.registration.eligibilityPromised).toBe(true);
    // Court staff hold no bidder role at all: the permission check refuses them first.
    expect(
      (await caught(w.services.registrations.register(w.clerk, listing.id, { acceptNotices: true }))).code,
    ).toBe('forbidden');
  });

  it('a declined card leaves the deposit owed; a new attempt can succeed', async () => {
    const { listing } = await w.announcedListing();
    const bidder = await w.newBidder();
    const reg = await w.services.registrations.register(bidder, listing.id, { acceptNotices: true });
    const first = await w.services.payments.startPayment(bidder, {
      target: 'deposit',
      id: reg.deposit.id,
      method: 'card',
    });
    const declined = await w.services.localGateway!.decide(refOf(first.redirectUrl), 'decline');
    expect(declined.status).toBe('failed');
    expect((await depositRow(reg.deposit.id)).status).toBe('pending');
    expect(await w.balance(`bidder_deposit:${reg.registration.id}`)).toBe(0n);
    const second = await w.services.payments.startPayment(bidder, {
      target: 'deposit',
      id: reg.deposit.id,
      method: 'card',
    });
    expect(second.paymentId).not.toBe(first.paymentId);
    await w.services.localGateway!.decide(refOf(second.redirectUrl), 'approve');
    expect((await depositRow(reg.deposit.id)).status).toBe('held');
    // Paying a held deposit again is refused.
    const third = await caught(
      w.services.payments.startPayment(bidder, { target: 'deposit', id: reg.deposit.id, method: 'card' }),
    );
    expect(third.messageKey).toBe('payments.nothingOwed');
  });

  it('the applicant creditor pays only the part of the deposit exceeding his claim (art. 17 note)', async () => {
    const covered = await w.announcedListing();
    const creditor = await w.newBidder();
    await w.makeCreditor(covered.caseId, creditor.userId, 10_000_000n);
    const reg = await w.services.registrations.register(creditor, covered.listing.id, {
      acceptNotices: true,
    });
    expect(reg.deposit).toMatchObject({ amountFen: 0n, status: 'held' });
    expect(reg.registration.status).toBe('active');

    const partly = await w.announcedListing();
    const other = await w.newBidder();
    await w.makeCreditor(partly.caseId, other.userId, 5_000_000n);
    const r2 = await w.services.registrations.register(other, partly.listing.id, { acceptNotices: true });
    expect(r2.deposit).toMatchObject({ amountFen: 2_000_000n, requiredFen: 7_000_000n, status: 'pending' });
  });

  it('amounts beyond what a card can carry are refused with a pointer to bank transfer', async () => {
    // ¥1,400,000 deposit (20% of a ¥7,000,000 start) = 140,000,000 fen > Stripe's 99,999,999.
    const { listing } = await w.announcedListing({
      startingPrice: '7000000',
      deposit: '1400000',
      increment: '35000',
    });
    const bidder = await w.newBidder();
    const reg = await w.services.registrations.register(bidder, listing.id, { acceptNotices: true });
    const e = await caught(
      w.services.payments.startPayment(bidder, { target: 'deposit', id: reg.deposit.id, method: 'card' }),
    );
    expect(e.messageKey).toBe('payments.cardLimitUseBankTransfer');
    expect(await db.db.select().from(payments).where(eq(payments.depositId, reg.deposit.id))).toEqual([]);
    const bank = await w.services.payments.startPayment(bidder, {
      target: 'deposit',
      id: reg.deposit.id,
      method: 'bank_transfer',
    });
    expect(bank.redirectUrl).toBeNull();
  });

  it('a bidder sees only his own deposits', async () => {
    const { listing } = await w.announcedListing();
    const a = await w.newBidder();
    const b = await w.newBidder();
    const reg = await w.services.registrations.register(a, listing.id, { acceptNotices: true });
    expect((await caught(w.services.payments.depositView(b, reg.deposit.id))).code).toBe('not_found');
    expect(
      (
        await caught(
          w.services.payments.startPayment(b, { target: 'deposit', id: reg.deposit.id, method: 'card' }),
        )
      ).code,
    ).toBe('not_found');
  });
});

describe('bank transfer, maker-checker', () => {
  it('a clerk records the transfer, a second staff member confirms it; the recorder cannot', async () => {
    const { listing } = await w.announcedListing();
    const bidder = await w.newBidder();
    const reg = await w.services.registrations.register(bidder, listing.id, { acceptNotices: true });
    const started = await w.services.payments.startPayment(bidder, {
      target: 'deposit',
      id: reg.deposit.id,
      method: 'bank_transfer',
    });
    const view = await w.services.payments.depositView(bidder, reg.deposit.id);
    const reference = view.attempts.find((p) => p.id === started.paymentId)!.reference!;
    expect(reference).toMatch(/^LM-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(view.bankAccount?.accountName).toBe('西宁市城西区人民法院');
    expect(view.can).toEqual({ pay: true });

    // Wrong amount: a clear error, nothing recorded.
    const wrong = await caught(
      w.services.payments.recordTransfer(w.clerk, {
        reference,
        amount: '69999.99',
        bankReference: 'ICBC-1',
        receivedOn: '2026-03-01',
      }),
    );
    expect(wrong.details.fieldErrors?.amount).toEqual(['payments.transferAmountMismatch']);
    // Another court cannot see the reference.
    const xining = await actorFor(w.services, 'clerk.xining@demo.lastmile.test');
    const foreign = await caught(
      w.services.payments.recordTransfer(xining, {
        reference,
        amount: '70000',
        bankReference: 'X-1',
        receivedOn: '2026-03-01',
      }),
    );
    expect(foreign.details.fieldErrors?.reference).toEqual(['payments.unknownReference']);
    expect(
      await db.db.select().from(bankTransfers).where(eq(bankTransfers.paymentId, started.paymentId)),
    ).toEqual([]);

    // Typed loosely from a bank statement: normalised.
    const t = await w.services.payments.recordTransfer(w.clerk, {
      reference: reference.toLowerCase().replace(/-/g, ' '),
      amount: '70,000.00',
      bankReference: 'ABC20260301-0042',
      receivedOn: '2026-03-01',
    });
    expect((await depositRow(reg.deposit.id)).status).toBe('pending');
    // The desk offers each staff member what the service allows him: not the recorder.
    const onDesk = async (who: typeof w.clerk) =>
      (await w.services.payments.transferDesk(who)).recorded.find((r) => r.transfer.id === t.id)!;
    expect(await onDesk(w.clerk)).toMatchObject({
      recordedByMe: true,
      can: { confirm: false, reject: false },
    });
    expect(await onDesk(w.panel)).toMatchObject({
      recordedByMe: false,
      can: { confirm: true, reject: true },
    });
    expect((await w.services.payments.transferDesk(w.clerk)).can).toEqual({ record: true });
    const self = await caught(w.services.payments.decideTransfer(w.clerk, t.id, { decision: 'confirm' }));
    expect(self.messageKey).toBe('payments.makerChecker');
    expect((await depositRow(reg.deposit.id)).status).toBe('pending');

    await w.services.payments.decideTransfer(w.panel, t.id, { decision: 'confirm' });
    expect((await depositRow(reg.deposit.id)).status).toBe('held');
    expect(await w.balance(`bidder_deposit:${reg.registration.id}`)).toBe(7_000_000n);
    expect((await w.services.payments.depositView(bidder, reg.deposit.id)).can).toEqual({ pay: false });
    expect(
      (await w.services.payments.transferDesk(w.panel)).recorded.some((r) => r.transfer.id === t.id),
    ).toBe(false);
    const again = await caught(w.services.payments.decideTransfer(w.panel, t.id, { decision: 'confirm' }));
    expect(again.messageKey).toBe('payments.transferDecided');
    // The same bank reference cannot be recorded twice.
    const other = await w.newBidder();
    const reg2 = await w.services.registrations.register(other, listing.id, { acceptNotices: true });
    const s2 = await w.services.payments.startPayment(other, {
      target: 'deposit',
      id: reg2.deposit.id,
      method: 'bank_transfer',
    });
    const ref2 = (await w.services.payments.depositView(other, reg2.deposit.id)).attempts.find(
      (p) => p.id === s2.paymentId,
    )!.reference!;
    const dup = await caught(
      w.services.payments.recordTransfer(w.clerk, {
        reference: ref2,
        amount: '70000',
        bankReference: 'ABC20260301-0042',
        receivedOn: '2026-03-01',
      }),
    );
    expect(dup.details.fieldErrors?.bankReference).toEqual(['payments.bankReferenceUsed']);
  });

  it('a rejection needs a reason and leaves the deposit owed', async () => {
    const { listing } = await w.announcedListing();
    const bidder = await w.newBidder();
    const reg = await w.services.registrations.register(bidder, listing.id, { acceptNotices: true });
    const s = await w.services.payments.startPayment(bidder, {
      target: 'deposit',
      id: reg.deposit.id,
      method: 'bank_transfer',
    });
    const ref = (await w.services.payments.depositView(bidder, reg.deposit.id)).attempts.find(
      (p) => p.id === s.paymentId,
    )!.reference!;
    const t = await w.services.payments.recordTransfer(w.panel, {
      reference: ref,
      amount: '70000',
      bankReference: 'R-1',
      receivedOn: '2026-03-01',
    });
    const noReason = await caught(w.services.payments.decideTransfer(w.clerk, t.id, { decision: 'reject' }));
    expect(noReason.details.fieldErrors?.reason).toEqual(['payments.rejectNeedsReason']);
    await w.services.payments.decideTransfer(w.clerk, t.id, {
      decision: 'reject',
      reason: '金额来自他人账户',
    });
    expect((await depositRow(reg.deposit.id)).status).toBe('pending');
    const [row] = await db.db.select().from(bankTransfers).where(eq(bankTransfers.id, t.id));
    expect(row).toMatchObject({ status: 'rejected', decidedBy: w.clerk.userId });
  });
});

describe('after the hammer (art. 23-24)', () => {
  it('sold: the winner’s deposit is applied, the losers’ released by jobs, the balance opens and is paid', async () => {
    const { listing, caseId } = await w.announcedListing();
    const winner = await w.registeredWithDeposit(listing.id);
    const loser = await w.registeredWithDeposit(listing.id);
    const caseBefore = await w.balance(`case:${caseId}`);

    await w.settle(listing.id, { winnerRegistrationId: winner.registration.id, priceFen: 77_000_000n });
    // The listing's settlement, then one job per deposit; and the messages of the notices they
    // wrote (ADR 025): the winner's by e-mail and SMS, the released deposit's by e-mail.
    expect(await w.runner.runDue()).toBe(6);
    expect((await depositRow(winner.deposit.id)).status).toBe('applied');
    expect((await depositRow(loser.deposit.id)).status).toBe('released');
    expect(await w.balance(`bidder_deposit:${winner.registration.id}`)).toBe(0n);
    expect(await w.balance(`bidder_deposit:${loser.registration.id}`)).toBe(0n);
    expect(await w.balance(`case:${caseId}`)).toBe(caseBefore + 7_000_000n);

    const [b] = await db.db.select().from(balances).where(eq(balances.listingId, listing.id));
    expect(b).toMatchObject({
      status: 'open',
      priceFen: 77_000_000n,
      depositAppliedFen: 7_000_000n,
      amountFen: 70_000_000n,
    });
    expect(b!.dueAt).toEqual(new Date(w.time.clock().getTime() + 15 * 86_400_000));

    const pay = await w.services.payments.startPayment(winner.bidder, {
      target: 'balance',
      id: b!.id,
      method: 'card',
    });
    await w.services.localGateway!.decide(refOf(pay.redirectUrl), 'approve');
    const [paid] = await db.db.select().from(balances).where(eq(balances.id, b!.id));
    expect(paid!.status).toBe('paid');
    expect(await w.balance(`case:${caseId}`)).toBe(caseBefore + 77_000_000n);
    // Paid: the default deadline passes without effect.
    w.advanceDays(16);
    await w.runner.runDue();
    expect((await depositRow(winner.deposit.id)).status).toBe('applied');
    expect(await unbalancedTransactions(db)).toEqual([]);
    expect(await negativeAccounts(db)).toEqual([]);
  });

  it('default (悔拍): reminders, then the deposit is forfeited, the winner barred from the asset, the court told', async () => {
    const { listing, caseId, assetId } = await w.announcedListing();
    const winner = await w.registeredWithDeposit(listing.id);
    await w.settle(listing.id, { winnerRegistrationId: winner.registration.id, priceFen: 70_000_000n });
    await w.runner.runDue();
    const [b] = await db.db.select().from(balances).where(eq(balances.listingId, listing.id));

    w.advanceDays(12); // three days before the deadline
    await w.runner.runDue();
    const reminders = await db.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, winner.bidder.userId), eq(notifications.kind, 'balanceReminder')));
    expect(reminders.map((n) => n.params.days)).toEqual(['3']);
    const mine = await w.services.payments.myPayments(winner.bidder);
    expect(mine.balances.find((r) => r.balance.id === b!.id)?.can).toEqual({ pay: true });

    w.advanceDays(3); // the deadline itself
    await w.runner.runDue();
    const [after] = await db.db.select().from(balances).where(eq(balances.id, b!.id));
    expect(after!.status).toBe('defaulted');
    expect((await depositRow(winner.deposit.id)).status).toBe('forfeited');
    expect(await w.balance(`forfeited_deposits:${listing.courtId}`)).toBeGreaterThanOrEqual(7_000_000n);
    expect(await w.balance(`case:${caseId}`)).toBe(0n);
    const bars = await db.db.select().from(assetBars).where(eq(assetBars.assetId, assetId));
    expect(bars.map((x) => x.userId)).toEqual([winner.bidder.userId]);
    const courtNotices = await db.db
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.organisationId, listing.courtId), eq(notifications.kind, 'balanceDefaulted')),
      );
    expect(courtNotices).toHaveLength(1);
    // Paying after the deadline is refused, and no longer offered.
    expect((await w.services.payments.balanceView(winner.bidder, b!.id)).can).toEqual({ pay: false });
    const late = await caught(
      w.services.payments.startPayment(winner.bidder, { target: 'balance', id: b!.id, method: 'card' }),
    );
    expect(late.messageKey).toBe('payments.nothingOwed');

    // The next round of the same asset refuses the defaulter.
    const next = await w.services.listings.createDraft(w.clerk, assetId, {
      ...(await import('../support/court')).listingInput(w.time.clock(), {
        purchaseRestricted: false,
        priorityPurchasers: [],
        startingPrice: '600000',
        deposit: '60000',
        increment: '6000',
      }),
    });
    await w.services.listings.submit(w.clerk, next.id);
    await w.services.listings.approve(w.panel, next.id);
    const barred = await caught(
      w.services.registrations.register(winner.bidder, next.id, { acceptNotices: true }),
    );
    expect(barred.messageKey).toBe('registration.barredDefaulter');
  });

  it('failed or withdrawn: every held deposit is released, a waived one too, and nothing is owed', async () => {
    const { listing, caseId } = await w.announcedListing();
    const a = await w.registeredWithDeposit(listing.id);
    const creditor = await w.newBidder();
    await w.makeCreditor(caseId, creditor.userId, 10_000_000n);
    const c = await w.services.registrations.register(creditor, listing.id, { acceptNotices: true });
    await w.services.listings.withdraw(w.clerk, listing.id, { reason: '被执行人已全额履行' });
    await w.runner.runDue();
    expect((await depositRow(a.deposit.id)).status).toBe('released');
    expect((await depositRow(c.deposit.id)).status).toBe('released');
    expect(await db.db.select().from(balances).where(eq(balances.listingId, listing.id))).toEqual([]);
    const [p] = await db.db.select().from(payments).where(eq(payments.depositId, a.deposit.id));
    expect(p).toMatchObject({ status: 'canceled', bookedFen: 0n });
  });
});

describe('crash between the gateway and the database', () => {
  it('a release whose database write was lost is recovered by reconciliation', async () => {
    const db2 = await createTestDatabase();
    try {
      let crash = false;
      const w2 = await moneyWorld(db2, {
        faults: {
          afterGatewayCall: (op) => {
            if (crash && op === 'deposit.release') throw new Error('process killed after the gateway call');
          },
          // ... and the gateway's event about it is lost too (a webhook that never arrives).
          dropEvent: () => crash,
        },
      });
      const { listing } = await w2.announcedListing();
      const bidder = await w2.registeredWithDeposit(listing.id);
      crash = true;
      await w2.settle(listing.id, null);
      await w2.runner.runDue(); // the job cancels the hold at the gateway, then "crashes"
      const [d] = await db2.db.select().from(deposits).where(eq(deposits.id, bidder.deposit.id));
      expect(d!.status).toBe('held'); // our database never heard of the release
      const [lp] = await db2.db.select().from(payments).where(eq(payments.id, d!.paymentId!));
      expect(await w2.services.localGateway!.retrieve(lp!.gatewayRef!)).toMatchObject({ status: 'canceled' });

      const run = await w2.services.payments.reconcile();
      expect(run.repaired).toBeGreaterThan(0);
      expect(run.differences).toEqual([]);
      const [after] = await db2.db.select().from(deposits).where(eq(deposits.id, bidder.deposit.id));
      expect(after!.status).toBe('released');
      expect(await w2.balance(`bidder_deposit:${bidder.registration.id}`)).toBe(0n);
      crash = false;
      w2.time.advance(60_000);
      await w2.runner.runDue(); // the retried job finds it done
      expect(await unbalancedTransactions(db2)).toEqual([]);
    } finally {
      await db2.drop();
    }
  });

  it('a creation whose answer was lost is found again by reconciliation (same payment at the gateway)', async () => {
    const db3 = await createTestDatabase();
    try {
      let crash = true;
      const w3 = await moneyWorld(db3, {
        faults: {
          afterGatewayCall: (op) => {
            if (crash && op === 'create') throw new Error('killed');
          },
        },
      });
      const { listing } = await w3.announcedListing();
      const bidder = await w3.newBidder();
      const reg = await w3.services.registrations.register(bidder, listing.id, { acceptNotices: true });
      await expect(
        w3.services.payments.startPayment(bidder, { target: 'deposit', id: reg.deposit.id, method: 'card' }),
      ).rejects.toThrow('killed');
      const [p] = await db3.db.select().from(payments).where(eq(payments.depositId, reg.deposit.id));
      expect(p!.gatewayRef).toBeNull();
      crash = false;
      w3.time.advance(2 * 60_000);
      await w3.services.payments.reconcile();
      const [found] = await db3.db.select().from(payments).where(eq(payments.id, p!.id));
      expect(found!.gatewayRef).toMatch(/^lp_/);
      // The payer completes it; one gateway payment, one booking.
      await w3.services.localGateway!.decide(found!.gatewayRef!, 'approve');
      expect((await db3.db.select().from(deposits).where(eq(deposits.id, reg.deposit.id)))[0]!.status).toBe(
        'held',
      );
    } finally {
      await db3.drop();
    }
  });
});

describe("the court's deposit list (issue 22: it stopped at 500 rows without saying so)", () => {
  it('pages by keyset without repeating or skipping, with totals of the whole filtered set', async () => {
    const { listing } = await w.announcedListing();
    const made: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const reg = await w.services.registrations.register(await w.newBidder(), listing.id, {
        acceptNotices: true,
      });
      made.push(reg.deposit.id);
    }
    const clerk = await actorFor(w.services, 'clerk@demo.lastmile.test');
    const seen: string[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = await w.services.payments.courtDeposits(clerk, { listingId: listing.id, before }, 2);
      expect(page.total).toBe(5);
      expect(page.totals).toEqual([{ status: 'pending', count: 5, amountFen: 35_000_000n }]);
      seen.push(...page.rows.map((r) => r.deposit.id));
      before = page.next ?? undefined;
      pages += 1;
    } while (before);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(made));
    // A cursor that is not one is the first page, not an error.
    const junk = await w.services.payments.courtDeposits(clerk, { listingId: listing.id, before: 'x_y' }, 2);
    expect(junk.rows.map((r) => r.deposit.id)).toEqual(seen.slice(0, 2));
  });
});
