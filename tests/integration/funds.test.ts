/**
 * Case funds on real PostgreSQL (issue 16 "Done means"): the objection clocks (day 15 counts,
 * day 16 does not), a suit keeps the disputed amount set aside while the rest is paid, the 30-day
 * release timer and an approved deferral, aid deducted and returned exactly once when a payout is
 * retried, the case closed as fully performed, and the ledger summing to zero after every step.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aidClaims, aidRecoveries } from '../../db/schema/aid';
import { cases } from '../../db/schema/cases';
import { fundCourtRules, fundPlanLines, fundPlans, fundReleases } from '../../db/schema/funds';
import { jobs } from '../../db/schema/jobs';
import { requiredDocuments } from '../../server/aid/rules';
import type { Actor } from '../../server/identity/permissions';
import { createJobRunner } from '../../server/jobs/runner';
import { balanceOf, ensureAccount, post, trialBalance } from '../../server/ledger/ledger';
import { createLogger } from '../../server/logger';
import { type AidWorld, aidWorld, claimInput, confirmationCsv, driveTo, PDF } from '../support/aid';
import { actorFor } from '../support/court';
import { createTestDatabase } from '../support/db';
import { caught, testConfig } from '../support/fixtures';
import { negativeAccounts, unbalancedTransactions } from '../support/money';

const DAY = 86_400_000;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: AidWorld;
let president: Actor;
let runner: ReturnType<typeof createJobRunner>;
let serial = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  w = await aidWorld(db);
  president = await actorFor(w.services, 'president@demo.lastmile.test');
  runner = createJobRunner({
    db: db.db,
    clock: w.time.clock,
    logger: createLogger(testConfig()),
    handlers: w.services.jobHandlers,
  });
});
afterAll(() => db.drop());

const funds = () => w.services.funds;
/** `YYYY-MM-DD` of the world's clock in Beijing. */
const today = () => new Date(w.time.clock().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
/** Moves the clock to 10:00 in Beijing on `day`. */
const setDay = (day: string) => w.time.set(new Date(`${day}T02:00:00Z`));

async function ledgerBalanced() {
  expect(await unbalancedTransactions(db)).toEqual([]);
  expect(await negativeAccounts(db)).toEqual([]);
  expect((await trialBalance(db.db)).totalFen).toBe(0n);
}

/** An open case of the demo court against a person, with `creditors` applicants; `pool` yuan in its account. */
async function fundedCase(creditors: string[], pool: bigint) {
  serial += 1;
  const c = await w.services.cases.createCase(w.clerk, {
    caseNumber: `(2019)青0104执${(process.pid % 1000) * 100 + serial}号`,
    basis: '(2025)青0104民初88号民事判决书',
    amountOwed: '1000000',
    parties: [
      ...creditors.map((name) => ({ role: 'applicant', kind: 'person', name, claim: '100000' })),
      { role: 'respondent', kind: 'person', name: '王某', idNumberMasked: '630104********9998' },
    ],
  });
  const full = await w.services.cases.getCase(w.clerk, c.id);
  await ensureAccount(db.db, {
    code: 'gateway_clearing:test-sale',
    kind: 'gateway_clearing',
    allowNegative: true,
  });
  await ensureAccount(db.db, { code: `case:${c.id}`, kind: 'case' });
  await post(db.db, {
    idempotencyKey: `test:sale:${c.id}`,
    kind: 'test.sale',
    occurredAt: w.time.clock(),
    entries: [
      { account: 'gateway_clearing:test-sale', amountFen: -pool },
      { account: `case:${c.id}`, amountFen: pool },
    ],
  });
  await db.db.transaction((tx) =>
    funds().moneyArrived(tx, { caseId: c.id, courtId: c.courtId }, w.time.clock()),
  );
  const applicants = full.parties.filter((p) => p.role === 'applicant');
  const debtor = full.parties.find((p) => p.role === 'respondent')!;
  return { id: c.id, applicants, debtor };
}

const claimOf = (partyId: string, principal: string, over: Record<string, unknown> = {}) => ({
  partyId,
  class: 'ordinary',
  titleNumber: '(2025)青0104民初88号',
  principal,
  payeeName: '收款人',
  bankName: '中国工商银行西宁分行',
  accountNumber: '6222020000000000001',
  ...over,
});

async function livePlan(caseId: string) {
  const v = await funds().caseFunds(w.clerk, caseId);
  return v.live!;
}

async function payAll(caseId: string, fail: string[] = []) {
  const ready = (await funds().payouts.readyToPay(w.clerk)).filter((r) => r.plan.caseId === caseId);
  const { batch } = await funds().payouts.createBatch(w.clerk, { lineIds: ready.map((r) => r.line.id) });
  if (!batch) return null;
  await funds().payouts.approveBatch(w.panel, batch.id);
  await funds().payouts.exportBatch(w.clerk, batch.id);
  const { payments } = await funds().payouts.getBatch(w.clerk, batch.id);
  await funds().payouts.importConfirmations(
    w.clerk,
    confirmationCsv(
      payments.map((p) => ({
        reference: p.reference,
        amount: (Number(p.amountFen) / 100).toFixed(2),
        ...(fail.includes(p.payeeName) && { status: 'FAILED' as const, reason: 'PAYEE_UNREACHABLE' }),
      })),
    ),
  );
  return payments;
}

describe('the objection clocks (民诉法解释 arts. 509-510)', () => {
  it('an objection on day 15 counts, on day 16 it does not; unopposed for 15 days, the plan is revised', async () => {
    setDay('2026-04-01');
    const c = await fundedCase(['甲', '乙', '丙'], 30_000_000n);
    for (const a of c.applicants) await funds().recordClaim(w.clerk, c.id, claimOf(a.id, '200000'));
    const draft = await funds().draftPlan(w.clerk, c.id, { cutoffOn: today() });
    await ledgerBalanced();
    await funds().servePlan(w.clerk, draft.id, { servedOn: '2026-04-01' });
    const plan = await livePlan(c.id);
    expect(plan.plan.status).toBe('served');
    const line = plan.lines.find((l) => l.kind === 'claim')!;
    const [first, second] = c.applicants;

    // Day 15 (16 April): in time.
    setDay('2026-04-16');
    const ok = await funds().fileObjection(w.clerk, draft.id, {
      partyId: first!.id,
      lineId: line.id,
      disputed: '1000',
      reason: '利息计算有误',
      receivedOn: '2026-04-16',
    });
    expect(ok.status).toBe('filed');
    // Day 16 (17 April): too late, and nothing is written.
    setDay('2026-04-17');
    const late = await caught(
      funds().fileObjection(w.clerk, draft.id, {
        partyId: second!.id,
        lineId: line.id,
        disputed: '1000',
        reason: '迟到的异议',
        receivedOn: '2026-04-17',
      }),
    );
    expect(late).toMatchObject({ code: 'conflict', messageKey: 'funds.errors.objectionLate' });
    expect((await livePlan(c.id)).objections).toHaveLength(1);

    // Every recipient's period is over, but an objection waits on the others: not final yet.
    await runner.runDue();
    expect((await livePlan(c.id)).plan.status).toBe('served');
    // Nobody opposed in 15 days: revised as asked (the clerk drafts again).
    setDay('2026-05-02');
    await runner.runDue();
    const [after] = await db.db.select().from(fundPlans).where(eq(fundPlans.id, draft.id));
    expect(after!.status).toBe('superseded');
    await ledgerBalanced();
  });
});

describe('a suit keeps the disputed amount set aside while the rest is paid', () => {
  it('the undisputed shares go out; the disputed one waits in 提存 until the judgment; short claims keep their remainder', async () => {
    setDay('2026-06-01');
    const c = await fundedCase(['赵', '钱'], 1_500_000n); // ¥15,000 for ¥20,000 of claims
    const [zhao, qian] = c.applicants;
    await funds().recordClaim(w.clerk, c.id, claimOf(zhao!.id, '10000', { payeeName: '赵' }));
    await funds().recordClaim(w.clerk, c.id, claimOf(qian!.id, '10000', { payeeName: '钱' }));
    const draft = await funds().draftPlan(w.clerk, c.id, { cutoffOn: today() });
    let plan = await livePlan(c.id);
    // The application fee on the ¥15,000 executed (¥50 + 1.5% of ¥5,000) first, the rest pro rata.
    const fee = plan.lines.find((l) => l.class === 'application_fee')!;
    expect(fee.allocatedFen).toBe(12_500n);
    await funds().servePlan(w.clerk, draft.id, { servedOn: today() });
    const qianLine = plan.lines.find(
      (l) => l.kind === 'claim' && l.allocatedFen > 0n && plan.lines.indexOf(l) === 2,
    )!;
    const zhaoLine = plan.lines.find((l) => l.kind === 'claim' && l.id !== qianLine.id)!;
    // 赵 says 钱's share is ¥1,000 too large.
    const o = await funds().fileObjection(w.clerk, draft.id, {
      partyId: zhao!.id,
      lineId: qianLine.id,
      disputed: '1000',
      reason: '钱的债权已部分清偿',
    });
    await funds().recordOpposition(w.clerk, o.id);
    await funds().recordSuit(w.clerk, o.id);
    w.time.advance(16 * DAY);
    await runner.runDue();
    plan = await livePlan(c.id);
    expect(plan.plan.status).toBe('final');
    // Maker-checker: the clerk who drafted never approves.
    expect(await caught(funds().approvePlan(w.clerk, draft.id))).toMatchObject({ code: 'forbidden' });
    await funds().approvePlan(w.panel, draft.id);
    await ledgerBalanced();
    expect(await balanceOf(db.db, `case_fund:${c.id}:set_aside`)).toBe(100_000n);
    expect(await balanceOf(db.db, `case:${c.id}`)).toBe(0n);
    await payAll(c.id);
    await ledgerBalanced();
    plan = await livePlan(c.id);
    const paidQian = plan.lines.find((l) => l.id === qianLine.id)!;
    expect(paidQian.paidFen).toBe(qianLine.allocatedFen - 100_000n);
    expect(plan.plan.status).toBe('approved'); // the suit still runs
    expect(await balanceOf(db.db, `case_fund:${c.id}:set_aside`)).toBe(100_000n);

    // Judgment: 赵 wins ¥600 of the ¥1,000; both are paid; the plan is paid.
    await funds().decideSuit(w.clerk, o.id, { awarded: '600' });
    await ledgerBalanced();
    expect(await balanceOf(db.db, `case_fund:${c.id}:set_aside`)).toBe(0n);
    await payAll(c.id);
    await ledgerBalanced();
    plan = await livePlan(c.id);
    expect(plan.lines.find((l) => l.id === zhaoLine.id)!.paidFen).toBe(zhaoLine.allocatedFen + 60_000n);
    expect(plan.lines.find((l) => l.id === qianLine.id)!.paidFen).toBe(qianLine.allocatedFen - 60_000n);
    expect(plan.plan.status).toBe('paid');
    // Not every claim paid in full: the case stays open, each remainder recorded.
    const [row] = await db.db.select().from(cases).where(eq(cases.id, c.id));
    expect(row!.closureMode).toBeNull();
    expect(
      (await funds().caseFunds(w.clerk, c.id)).events.filter((e) => e.kind === 'remainder'),
    ).toHaveLength(2);
  });
});

describe('the 30-day release timer (执行款物管理规定)', () => {
  it('overdue at 30 days; an approved deferral stops it, 10 days after its reason ends', async () => {
    setDay('2026-07-01');
    const a = await fundedCase(['孙'], 100_000n);
    const b = await fundedCase(['李'], 100_000n);
    w.time.advance(30 * DAY - 60_000);
    await runner.runDue();
    expect((await funds().overdueReleases(w.clerk)).map((r) => r.release.caseId)).not.toContain(a.id);

    await funds().requestDeferral(w.clerk, b.id, {
      reason: 'distribution_pending',
      note: '分配方案异议未决',
    });
    // The clerk who asked never approves; the president does.
    expect(await caught(funds().approveDeferral(w.clerk, b.id))).toMatchObject({ code: 'forbidden' });
    await funds().approveDeferral(president, b.id);
    w.time.advance(60_000);
    await runner.runDue();
    const overdue = (await funds().overdueReleases(w.clerk)).map((r) => r.release.caseId);
    expect(overdue).toContain(a.id);
    expect(overdue).not.toContain(b.id);

    w.time.advance(20 * DAY);
    await runner.runDue();
    expect((await funds().overdueReleases(w.clerk)).map((r) => r.release.caseId)).not.toContain(b.id);
    await funds().endDeferral(w.clerk, b.id);
    w.time.advance(10 * DAY - 60_000);
    await runner.runDue();
    expect((await funds().overdueReleases(w.clerk)).map((r) => r.release.caseId)).not.toContain(b.id);
    w.time.advance(60_000);
    await runner.runDue();
    expect((await funds().overdueReleases(w.clerk)).map((r) => r.release.caseId)).toContain(b.id);
    // An unknown reason changes nothing.
    expect(await caught(funds().requestDeferral(w.clerk, a.id, { reason: 'holiday' }))).toMatchObject({
      code: 'validation',
    });
  });
});

describe('aid recovery in the same stroke (issue 16 §5)', () => {
  it('deducted from the share and returned to the insurer exactly once, though the payout fails and is reissued; the case closes as fully performed', async () => {
    setDay('2026-09-01');
    const c = await fundedCase(['周', '吴'], 30_000_000n);
    const [zhou, wu] = c.applicants;
    // 周 received ¥35,000 of enforcement aid on this case.
    const claim = await w.services.aid.claims.createClaim(
      w.clerk,
      claimInput(c.id, zhou!.id, w.policy.id, { eligibilityNote: '执行中生活困难，先行救助' }),
    );
    for (const kind of requiredDocuments(claim.caseType, claim.eligibility))
      await w.services.aid.claims.attachDocument(w.clerk, claim.id, {
        kind,
        filename: `${kind}.pdf`,
        bytes: PDF,
      });
    const paidAid = await driveTo(w, claim, 'paid');
    expect(paidAid.paidFen).toBe(3_500_000n);
    await ledgerBalanced();

    await funds().recordCost(w.clerk, c.id, { kind: 'appraisal', amount: '5000' });
    await funds().recordClaim(w.clerk, c.id, claimOf(zhou!.id, '100000', { payeeName: '周' }));
    await funds().recordClaim(w.clerk, c.id, claimOf(wu!.id, '100000', { payeeName: '吴' }));
    const draft = await funds().draftPlan(w.clerk, c.id, { cutoffOn: today() });
    await funds().servePlan(w.clerk, draft.id, { servedOn: today() });
    w.time.advance(16 * DAY);
    await runner.runDue();
    await funds().approvePlan(w.panel, draft.id);
    await ledgerBalanced();

    // First attempt: 周's payment fails; the batch carried his share less the aid.
    const payments = (await payAll(c.id, ['周']))!;
    const zhouPay = payments.find((p) => p.payeeName === '周')!;
    expect(zhouPay.amountFen).toBe(10_000_000n - 3_500_000n);
    await ledgerBalanced();
    const recovered = async () =>
      db.db.select().from(aidRecoveries).where(eq(aidRecoveries.claimId, claim.id));
    expect(await recovered()).toHaveLength(1);
    // Reissued and confirmed: no second deduction.
    const { batch } = await funds().payouts.reissuePayment(w.clerk, zhouPay.id, {});
    await funds().payouts.approveBatch(w.panel, batch.id);
    await funds().payouts.exportBatch(w.clerk, batch.id);
    const again = await funds().payouts.getBatch(w.clerk, batch.id);
    await funds().payouts.importConfirmations(
      w.clerk,
      confirmationCsv(again.payments.map((p) => ({ reference: p.reference, amount: '65000.00' }))),
    );
    await ledgerBalanced();
    // Nothing left to pay: a new batch is refused and recovers nothing.
    const [zhouLine] = await db.db
      .select()
      .from(fundPlanLines)
      .where(and(eq(fundPlanLines.planId, draft.id), eq(fundPlanLines.paidFen, 6_500_000n)));
    expect(zhouLine!.aidRecoveredFen).toBe(3_500_000n);
    expect(await caught(funds().payouts.createBatch(w.clerk, { lineIds: [zhouLine!.id] }))).toMatchObject({
      code: 'conflict',
    });
    const rows = await recovered();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ amountFen: 3_500_000n, status: 'returned' });
    const [aid] = await db.db.select().from(aidClaims).where(eq(aidClaims.id, claim.id));
    expect(aid!.recoveredFen).toBe(3_500_000n);
    expect(await balanceOf(db.db, `gateway_clearing:aid-recovered:${w.insurerA.id}`)).toBe(3_500_000n);

    // Every claim paid in full: closed as fully performed, in the confirming transaction.
    const [closed] = await db.db.select().from(cases).where(eq(cases.id, c.id));
    expect(closed!.closureMode).toBe('fully_performed');
    expect(closed!.recoveredFen).toBe(20_000_000n);
    const v = await funds().caseFunds(w.clerk, c.id);
    expect(v.live!.plan.status).toBe('paid');
    expect(v.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining([
        'plan.draft',
        'plan.served',
        'plan.final',
        'plan.approved',
        'aid.recovered',
        'payment.failed',
        'payment.confirmed',
        'case.closed',
      ]),
    );
    // The case's whole story: the funds after the case's own steps.
    const story = (await funds().caseStory(w.clerk, c.id)).map((e) => e.kind);
    expect(story).toEqual(
      expect.arrayContaining(['funds.plan.approved', 'funds.aid.recovered', 'funds.case.closed']),
    );
    expect(story.indexOf('funds.plan.draft')).toBeLessThan(story.indexOf('funds.case.closed'));
    const [release] = await db.db.select().from(fundReleases).where(eq(fundReleases.caseId, c.id));
    expect(release!.releasedAt).not.toBeNull();
    // The surplus went back to the debtor's account.
    expect(await balanceOf(db.db, `case_fund:${c.id}:debtor`)).toBe(v.live!.plan.surplusFen);
    expect(
      (
        await db.db
          .select()
          .from(jobs)
          .where(eq(jobs.key, `fund-release:${c.id}`))
      ).every((j) => j.status !== 'pending'),
    ).toBe(true);
  });
});

describe("the court's own order of the ranked classes", () => {
  it('ranks labour claims ahead of the ordinary ones once a judge sets it; the plan says which rule it applied', async () => {
    setDay('2026-11-01');
    const c = await fundedCase(['冯', '陈'], 100_000n);
    const [feng, chen] = c.applicants;
    await funds().recordClaim(w.clerk, c.id, claimOf(feng!.id, '1000', { class: 'labour' }));
    await funds().recordClaim(w.clerk, c.id, claimOf(chen!.id, '1000'));
    const before = await funds().draftPlan(w.clerk, c.id, { cutoffOn: today() });
    expect(before.orderSource).toBe('statutory');
    // A clerk does not set the court's rule.
    expect(await caught(funds().setCourtOrder(w.clerk, { order: ['secured', 'labour'] }))).toMatchObject({
      code: 'forbidden',
    });
    await funds().setCourtOrder(w.panel, {
      order: ['construction', 'tax_before_mortgage', 'secured', 'tax_after_mortgage', 'labour'],
    });
    try {
      const after = await funds().draftPlan(w.clerk, c.id, { cutoffOn: today() });
      expect(after.orderSource).toBe('court');
      const lines = (await livePlan(c.id)).lines.filter((l) => l.kind === 'claim');
      expect(lines.map((l) => [l.class, l.rule])).toEqual([
        ['labour', 'labour'],
        ['ordinary', 'ordinaryProRata'],
      ]);
      const [old] = await db.db.select().from(fundPlans).where(eq(fundPlans.id, before.id));
      expect(old!.status).toBe('superseded');
    } finally {
      await db.db.delete(fundCourtRules);
    }
  });
});

describe('an unreachable payee (提存)', () => {
  it('a failed payment given up is set aside, never lost; the plan is paid, the creditor not', async () => {
    setDay('2026-10-01');
    const c = await fundedCase(['郑'], 1_000_000n);
    await funds().recordClaim(w.clerk, c.id, claimOf(c.applicants[0]!.id, '20000', { payeeName: '郑' }));
    const draft = await funds().draftPlan(w.clerk, c.id, { cutoffOn: today() });
    await funds().servePlan(w.clerk, draft.id, { servedOn: today() });
    w.time.advance(16 * DAY);
    await runner.runDue();
    await funds().approvePlan(w.panel, draft.id);
    const [failed] = (await payAll(c.id, ['郑']))!;
    await ledgerBalanced();
    expect((await funds().payouts.desk(w.clerk)).failed.map((p) => p.id)).toContain(failed!.id);
    await funds().payouts.setAsidePayment(w.clerk, failed!.id);
    await ledgerBalanced();
    expect(await balanceOf(db.db, `case_fund:${c.id}:set_aside`)).toBe(failed!.amountFen);
    expect(
      await balanceOf(
        db.db,
        `case_fund:${c.id}:payable:${(await livePlan(c.id)).lines.find((l) => l.kind === 'claim')!.claimId}`,
      ),
    ).toBe(0n);
    const v = await funds().caseFunds(w.clerk, c.id);
    expect(v.live!.plan.status).toBe('paid');
    expect(v.live!.lines.find((l) => l.kind === 'claim')!.setAsideFen).toBe(failed!.amountFen);
    expect(v.events.map((e) => e.kind)).toContain('payment.set_aside');
    const [row] = await db.db.select().from(cases).where(eq(cases.id, c.id));
    expect(row!.closureMode).toBeNull();
  });
});
