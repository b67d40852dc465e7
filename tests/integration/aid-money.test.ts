import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aidClaims } from '../../db/schema/aid';
import { ledgerCodes } from '../../server/aid/rules';
import { balanceOf, ensureAccount, post, trialBalance } from '../../server/ledger/ledger';
import {
  type AidWorld,
  aidCase,
  aidWorld,
  claimInput,
  confirmationCsv,
  driveTo,
  PDF,
  policyInput,
  readyClaim,
} from '../support/aid';
import { createTestDatabase } from '../support/db';
import { caught } from '../support/fixtures';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: AidWorld;

beforeAll(async () => {
  db = await createTestDatabase();
  w = await aidWorld(db, { limit: '2000000' });
});
afterAll(() => db.drop());

const claims = () => w.services.aid.claims;
const payments = () => w.services.aid.payments;

describe('filing', () => {
  it('shows the formula’s amount beside the requested one, and needs every document to submit', async () => {
    const c = await aidCase(w);
    const claim = await claims().createClaim(
      w.clerk,
      claimInput(c.id, c.applicants[0]!.id, w.policy.id, { unpaid: '730000', requested: '120000' }),
    );
    expect(claim.computedFen).toBe(10_000_000n);
    expect(claim.requestedFen).toBe(12_000_000n);
    expect(claim.number).toMatch(/^JZ2026\d{6}$/);
    const e = await caught(claims().submit(w.clerk, claim.id));
    expect(e.messageKey).toBe('aidErrors.missingDocuments');
    expect(e.details.fieldErrors?.documents).toContain('aidDocumentKind.termination_ruling');
    const bad = await caught(
      claims().attachDocument(w.clerk, claim.id, {
        kind: 'identity',
        filename: 'a.exe',
        bytes: Buffer.from('MZ'),
      }),
    );
    expect(bad.details.fieldErrors?.file).toEqual(['validation.fileType']);
  });

  it('once per applicant per case: a second claim is refused until the first is refused', async () => {
    const c = await aidCase(w);
    const input = claimInput(c.id, c.applicants[0]!.id, w.policy.id);
    const first = await claims().createClaim(w.clerk, input);
    expect((await caught(claims().createClaim(w.clerk, input))).messageKey).toBe('aidErrors.alreadyClaimed');
    await claims().withdraw(w.clerk, first.id, {});
    await expect(claims().createClaim(w.clerk, input)).resolves.toMatchObject({ status: 'draft' });
  });

  it('refuses a creditor who is not an applicant, an unpaid amount above his claim, an uncovered case type', async () => {
    const c = await aidCase(w);
    const full = await w.services.cases.getCase(w.clerk, c.id);
    const debtor = full.parties.find((p) => p.role === 'respondent')!;
    const e1 = await caught(claims().createClaim(w.clerk, claimInput(c.id, debtor.id, w.policy.id)));
    expect(e1.details.fieldErrors?.partyId).toEqual(['aidValidation.notApplicant']);
    const e2 = await caught(
      claims().createClaim(
        w.clerk,
        claimInput(c.id, c.applicants[0]!.id, w.policy.id, { unpaid: '1000000.01' }),
      ),
    );
    expect(e2.details.fieldErrors?.unpaid).toEqual(['aidValidation.unpaidAboveClaim']);
    const narrow = await w.services.aid.policies.createPolicy(
      w.manager,
      policyInput(w.court.id, { eligibleCaseTypes: ['unpaid_wages'] }),
    );
    const e3 = await caught(claims().createClaim(w.clerk, claimInput(c.id, c.applicants[0]!.id, narrow.id)));
    expect(e3.details.fieldErrors?.caseType).toEqual(['aidValidation.caseTypeNotCovered']);
  });

  it('counts 10 working days from submission; the overdue job marks it once', async () => {
    const claim = await readyClaim(w);
    const submitted = await claims().submit(w.clerk, claim.id);
    expect(submitted.decisionDueAt?.toISOString()).toBe('2026-03-16T16:00:00.000Z');
    const handler = w.services.jobHandlers['aid.decision_due']!;
    await db.db.transaction((tx) =>
      handler(
        { payload: { claimId: claim.id } } as never,
        { tx, now: new Date('2026-03-16T16:00:00Z') } as never,
      ),
    );
    await db.db.transaction((tx) =>
      handler(
        { payload: { claimId: claim.id } } as never,
        { tx, now: new Date('2026-03-17T16:00:00Z') } as never,
      ),
    );
    const got = await claims().getClaim(w.clerk, claim.id);
    expect(got.events.filter((e) => e.action === 'overdue')).toHaveLength(1);
    w.time.set(new Date('2026-03-16T16:00:00Z'));
    expect((await claims().getClaim(w.clerk, claim.id)).overdue).toBe(true);
    const list = await claims().listClaims(w.clerk, { overdue: 'true' });
    expect(list.rows.map((r) => r.id)).toContain(claim.id);
    w.time.set(new Date('2026-03-02T02:00:00Z'));
  });
});

describe('court review', () => {
  it('above the court’s authority the committee decides, and not the judge who referred it', async () => {
    const claim = await readyClaim(w, { unpaid: '500000', requested: '77000' }); // computed ¥77,000
    await driveTo(w, claim, 'court_review');
    const e = await caught(claims().courtApprove(w.panel, claim.id, { amount: '77000' }));
    expect(e.messageKey).toBe('aidErrors.needsCommittee');
    await claims().referToCommittee(w.panel, claim.id, { amount: '77000' });
    expect((await caught(claims().courtApprove(w.panel, claim.id, { amount: '77000' }))).messageKey).toBe(
      'aidErrors.committeeNotReferrer',
    );
    const ok = await claims().courtApprove(w.panel2, claim.id, { amount: '77000' });
    expect(ok.courtApprovedFen).toBe(7_700_000n);
    expect(ok.accountVerifiedBy).toBe(w.panel2.userId);
  });

  it('the court’s authority limit is configurable per court', async () => {
    await w.services.aid.policies.setCourtSettings(w.courtAdmin, { committeeThreshold: '80000' });
    const claim = await readyClaim(w, { unpaid: '500000', requested: '77000' });
    await driveTo(w, claim, 'court_review');
    await expect(claims().courtApprove(w.panel, claim.id, { amount: '77000' })).resolves.toMatchObject({
      status: 'court_approved',
    });
    await w.services.aid.policies.setCourtSettings(w.courtAdmin, { committeeThreshold: '50000' });
  });

  it('never approves above the formula or the request; a clerk cannot approve as court or insurer', async () => {
    const claim = await readyClaim(w);
    await driveTo(w, claim, 'court_review');
    const e = await caught(claims().courtApprove(w.panel, claim.id, { amount: '35000.01' }));
    expect(e.details.fieldErrors?.amount).toEqual(['aidErrors.aboveCeiling']);
    expect((await caught(claims().courtApprove(w.clerk, claim.id, { amount: '100' }))).code).toBe(
      'forbidden',
    );
    await claims().courtApprove(w.panel, claim.id, { amount: '35000' });
    await claims().insurerStartReview(w.adjuster, claim.id);
    expect((await caught(claims().insurerApprove(w.clerk, claim.id, { amount: '100' }))).code).toBe(
      'forbidden',
    );
    expect((await caught(claims().insurerApprove(w.panel, claim.id, { amount: '100' }))).code).toBe(
      'forbidden',
    );
  });
});

describe('insurer award and the policy limit', () => {
  it('a partial award needs a reason and reserves the amount against the limit in the ledger', async () => {
    const claim = await driveTo(w, await readyClaim(w), 'insurer_review');
    const before = await balanceOf(db.db, ledgerCodes.limit(w.policy.id));
    const e = await caught(claims().insurerApprove(w.adjuster, claim.id, { amount: '30000' }));
    expect(e.details.fieldErrors?.reason).toEqual(['aidErrors.partialNeedsReason']);
    expect(
      (await caught(claims().insurerApprove(w.adjuster, claim.id, { amount: '35000.01' }))).messageKey,
    ).toBe('aidErrors.aboveCourtAward');
    const ok = await claims().insurerApprove(w.adjuster, claim.id, {
      amount: '30000',
      reason: '已获部分赔偿',
    });
    expect(ok.approvedFen).toBe(3_000_000n);
    expect(await balanceOf(db.db, ledgerCodes.limit(w.policy.id))).toBe(before - 3_000_000n);
    expect(await balanceOf(db.db, ledgerCodes.payable(w.policy.id, claim.id))).toBe(3_000_000n);
  });

  it('two approvals racing for the last part of a limit: one wins, the other is told it is exhausted', async () => {
    const policy = await w.services.aid.policies.createPolicy(
      w.manager,
      policyInput(w.court.id, { limit: '50000' }),
    );
    const a = await driveTo(w, await readyClaim(w, { policyId: policy.id }), 'insurer_review');
    const b = await driveTo(w, await readyClaim(w, { policyId: policy.id }), 'insurer_review');
    const results = await Promise.allSettled([
      claims().insurerApprove(w.adjuster, a.id, { amount: '35000' }),
      claims().insurerApprove(w.manager, b.id, { amount: '35000' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason.messageKey).toBe('aidErrors.limitExhausted');
    expect(lost[0]!.reason.details.params).toEqual({ remaining: '1500000' });
    expect(await balanceOf(db.db, ledgerCodes.limit(policy.id))).toBe(1_500_000n);
    const statuses = (await db.db.select().from(aidClaims).where(eq(aidClaims.policyId, policy.id))).map(
      (c) => c.status,
    );
    expect(statuses.sort()).toEqual(['insurer_approved', 'insurer_review']);
    // What is left can still be awarded, in part.
    const loser = won[0] === results[0] ? b : a;
    await expect(
      claims().insurerApprove(w.adjuster, loser.id, { amount: '15000', reason: '保单剩余限额' }),
    ).resolves.toMatchObject({ approvedFen: 1_500_000n });
    expect(await balanceOf(db.db, ledgerCodes.limit(policy.id))).toBe(0n);
  });
});

describe('payments', () => {
  it('maker-checker: the preparer never approves his batch; export sends, confirmation pays, the claim is paid', async () => {
    const claim = await driveTo(w, await readyClaim(w), 'insurer_approved');
    const batch = await payments().createBatch(w.adjuster, { claimIds: [claim.id] });
    expect((await caught(payments().exportBatch(w.adjuster, batch.id))).messageKey).toBe(
      'aidErrors.batchNotApproved',
    );
    // A manager who prepares a batch cannot approve it either.
    const other = await driveTo(w, await readyClaim(w), 'insurer_approved');
    const own = await w.services.aid.payments.createBatch(
      { ...w.manager, roles: ['insurer_manager', 'insurer_adjuster'] },
      { claimIds: [other.id] },
    );
    expect((await caught(payments().approveBatch(w.manager, own.id))).messageKey).toBe(
      'aidErrors.selfApproval',
    );
    await payments().approveBatch(w.manager, batch.id);
    const file = await payments().exportBatch(w.adjuster, batch.id);
    expect(file.csv).toContain('reference,payee_name,bank_name,account_number,amount,currency,memo');
    expect(file.csv).toContain('35000.00');
    const again = await payments().exportBatch(w.adjuster, batch.id);
    expect(again.csv).toBe(file.csv);
    const { payments: ps } = await payments().getBatch(w.adjuster, batch.id);
    expect(ps[0]!.status).toBe('sent');
    expect(await balanceOf(db.db, ledgerCodes.inTransit(w.policy.id, claim.id))).toBe(3_500_000n);

    const text = confirmationCsv([
      { reference: ps[0]!.reference, amount: '35000.00' },
      { reference: 'NO-SUCH-REF', amount: '1.00' },
      { reference: ps[0]!.reference, amount: '35000.00' },
    ]);
    const result = await payments().importConfirmations(w.adjuster, text);
    expect(result.confirmed).toHaveLength(1);
    expect(result.unmatched).toEqual([
      { line: 3, reference: 'NO-SUCH-REF', reason: 'unknownReference' },
      { line: 4, reference: ps[0]!.reference, reason: 'duplicateInFile' },
    ]);
    const paid = await claims().getClaim(w.clerk, claim.id);
    expect(paid.claim.status).toBe('paid');
    expect(paid.money).toMatchObject({ paidFen: 3_500_000n, remainingFen: 0n });
    expect(await balanceOf(db.db, ledgerCodes.payable(w.policy.id, claim.id))).toBe(0n);
    // The same file again changes nothing.
    const replay = await payments().importConfirmations(w.adjuster, text);
    expect(replay.confirmed).toHaveLength(0);
    expect(replay.alreadyApplied).toEqual([{ line: 2, reference: ps[0]!.reference }]);
    expect((await claims().getClaim(w.clerk, claim.id)).claim.paidFen).toBe(3_500_000n);
    expect((await payments().getBatch(w.adjuster, batch.id)).batch.status).toBe('settled');
  });

  it('a failed payment comes back to the claim, is reissued to a corrected account, and a wrong amount is listed', async () => {
    const claim = await driveTo(w, await readyClaim(w), 'insurer_approved');
    const batch = await payments().createBatch(w.adjuster, { claimIds: [claim.id] });
    await payments().approveBatch(w.manager, batch.id);
    await payments().exportBatch(w.adjuster, batch.id);
    const [p] = (await payments().getBatch(w.adjuster, batch.id)).payments;
    const mismatch = await payments().importConfirmations(
      w.adjuster,
      confirmationCsv([{ reference: p!.reference, amount: '3500.00' }]),
    );
    expect(mismatch.unmatched).toEqual([{ line: 2, reference: p!.reference, reason: 'amountMismatch' }]);
    const failed = await payments().importConfirmations(
      w.adjuster,
      confirmationCsv([
        { reference: p!.reference, amount: '35000', status: 'FAILED', reason: 'WRONG_ACCOUNT' },
      ]),
    );
    expect(failed.failed[0]).toMatchObject({ reason: 'wrong_account' });
    expect(await balanceOf(db.db, ledgerCodes.payable(w.policy.id, claim.id))).toBe(3_500_000n);
    const { batch: again, payment } = await payments().reissuePayment(w.adjuster, p!.id, {
      accountNumber: '6217 0000 1111 2222 333',
    });
    expect(payment.accountNumber).toBe('6217000011112222333');
    expect(payment.reissueOf).toBe(p!.id);
    await payments().approveBatch(w.manager, again.id);
    await payments().exportBatch(w.adjuster, again.id);
    await payments().importConfirmations(
      w.adjuster,
      confirmationCsv([{ reference: payment.reference, amount: '35000' }]),
    );
    const got = await claims().getClaim(w.clerk, claim.id);
    expect(got.claim.status).toBe('paid');
    expect(got.payments.map((x) => x.status)).toEqual(['reissued', 'confirmed']);
  });

  it('a payment that cannot be made is cancelled and the claim closed, giving the rest back to the limit', async () => {
    const claim = await driveTo(w, await readyClaim(w), 'payment');
    const got = await claims().getClaim(w.adjuster, claim.id);
    expect((await caught(claims().close(w.adjuster, claim.id, { reason: 'x' }))).messageKey).toBe(
      'aidErrors.paymentsInFlight',
    );
    await payments().cancelPayment(w.adjuster, got.payments[0]!.id);
    const before = await balanceOf(db.db, ledgerCodes.limit(w.policy.id));
    expect((await caught(claims().close(w.adjuster, claim.id, {}))).messageKey).toBe(
      'aidErrors.closeNeedsReason',
    );
    await claims().close(w.adjuster, claim.id, { reason: '申请人已身故，无继承人' });
    expect(await balanceOf(db.db, ledgerCodes.limit(w.policy.id))).toBe(before + 3_500_000n);
    expect(await balanceOf(db.db, ledgerCodes.payable(w.policy.id, claim.id))).toBe(0n);
  });
});

describe('recoveries', () => {
  it('aid paid is recovered from money collected on the case and returned to the insurer; never more than paid', async () => {
    const claim = await driveTo(w, await readyClaim(w), 'paid');
    const e = await caught(
      claims().recordRecovery(w.clerk, claim.id, {
        kind: 'subrogation',
        source: 'case_account',
        amount: '35000.01',
        note: '拍卖款',
      }),
    );
    expect(e.details.fieldErrors?.amount).toEqual(['aidErrors.aboveRecoverable']);
    const r = await claims().recordRecovery(w.clerk, claim.id, {
      kind: 'subrogation',
      source: 'case_account',
      amount: '20000',
      note: '被执行人房产拍卖款到账',
    });
    // The case account holds nothing yet: the ledger refuses.
    expect((await caught(claims().confirmRecovery(w.manager, r.id))).messageKey).toBe(
      'aidErrors.caseAccountShort',
    );
    // Auction proceeds reach the case account (the money module's posting, simulated here).
    await ensureAccount(db.db, { code: `case:${claim.caseId}`, kind: 'case' });
    await ensureAccount(db.db, {
      code: 'gateway_clearing:test',
      kind: 'gateway_clearing',
      allowNegative: true,
    });
    await post(db.db, {
      idempotencyKey: `test:proceeds:${claim.id}`,
      kind: 'test.proceeds',
      occurredAt: new Date(),
      entries: [
        { account: `case:${claim.caseId}`, amountFen: 5_000_000n },
        { account: 'gateway_clearing:test', amountFen: -5_000_000n },
      ],
    });
    await claims().confirmRecovery(w.manager, r.id);
    expect(await balanceOf(db.db, `case:${claim.caseId}`)).toBe(3_000_000n);
    expect((await claims().getClaim(w.clerk, claim.id)).claim.recoveredFen).toBe(2_000_000n);
    expect((await caught(claims().confirmRecovery(w.manager, r.id))).messageKey).toBe(
      'aidErrors.recoveryDone',
    );
    const fraud = await claims().recordRecovery(w.adjuster, claim.id, {
      kind: 'fraud_clawback',
      source: 'external',
      amount: '15000',
      note: '申请人隐瞒收入，追回',
    });
    await claims().confirmRecovery(w.manager, fraud.id);
    const got = await claims().getClaim(w.clerk, claim.id);
    expect(got.money.recoverableFen).toBe(0n);
  });

  it('the books balance: every aid posting sums to zero', async () => {
    expect((await trialBalance(db.db)).totalFen).toBe(0n);
  });
});

describe('documents', () => {
  it('are stored and read back by whoever may see the claim', async () => {
    const claim = await readyClaim(w);
    const got = await claims().getClaim(w.clerk, claim.id);
    const doc = got.documents[0]!;
    const read = await claims().readDocument(w.clerk, doc.id);
    expect(Buffer.from(read.bytes).equals(PDF)).toBe(true);
    expect((await caught(claims().readDocument(w.adjuster, doc.id))).code).toBe('not_found');
    expect((await caught(claims().readDocument(w.xiningClerk, doc.id))).code).toBe('not_found');
    await claims().attachDocument(w.clerk, claim.id, { kind: 'harm', filename: '伤情鉴定.pdf', bytes: PDF });
  });
});
