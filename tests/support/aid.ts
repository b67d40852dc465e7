import { eq } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.js';
import type { AidClaim } from '../../db/schema/aid.js';
import { organisations, type Role, users } from '../../db/schema/identity.js';
import { requiredDocuments } from '../../server/aid/rules.js';
import { addMonths, beijingDateOf } from '../../server/cases/time-limit.js';
import { seedDemoAccounts } from '../../server/demo/seed-accounts.js';
import { closeAsZhongben } from '../../server/demo/zhongben.js';
import type { Actor } from '../../server/identity/permissions.js';
import type { Services } from '../../server/services.js';
import { buildServices, fakeClock, testConfig } from './fixtures.js';

/** A minimal valid PDF header: storage sniffs the bytes, not the name. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/**
 * The aid world of the integration tests: the demo court 青0104 with a second panel judge, the
 * demo insurer picc-qh (A) and a second insurer (B) with their staff, and a policy of A held
 * by 青0104 with the standard formula. Staff actors are built as the session layer builds them.
 * 02:00 UTC on Monday 2 March 2026 = 10:00 in Beijing.
 */
export async function aidWorld(handle: DbHandle, opts: { limit?: string; start?: Date } = {}) {
  const config = testConfig();
  await seedDemoAccounts(handle.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
  const time = fakeClock(opts.start ?? new Date('2026-03-02T02:00:00Z'));
  const services = buildServices(handle, { clock: time.clock, config });
  const org = async (code: string) =>
    (await handle.db.select().from(organisations).where(eq(organisations.code, code)))[0]!;
  const [court, xining, insurerA] = await Promise.all([org('青0104'), org('青01'), org('picc-qh')]);
  const [insurerB] = await handle.db
    .insert(organisations)
    .values({
      kind: 'insurer',
      code: `test-insurer-b-${process.pid}`,
      nameZh: '某某保险',
      nameEn: 'Other Insurance',
    })
    .returning();

  let n = 0;
  async function staff(
    orgId: string,
    orgKind: Actor['orgKind'],
    roles: Role[],
    email?: string,
  ): Promise<Actor> {
    n += 1;
    const existing = email
      ? (await handle.db.select().from(users).where(eq(users.email, email)))[0]
      : undefined;
    const user =
      existing ??
      (
        await handle.db
          .insert(users)
          .values({
            email: `aid-${n}-${process.pid}@test.lastmile`,
            passwordHash: 'x',
            realName: `测试${n}`,
            roles,
            organisationId: orgId,
          })
          .returning()
      )[0]!;
    return { userId: user.id, sessionId: 'test', roles: user.roles, organisationId: orgId, orgKind };
  }
  const actors = {
    clerk: await staff(court.id, 'court', ['court_clerk'], 'clerk@demo.lastmile.test'),
    panel: await staff(court.id, 'court', ['court_panel'], 'panel@demo.lastmile.test'),
    panel2: await staff(court.id, 'court', ['court_panel']),
    courtAdmin: await staff(court.id, 'court', ['court_admin'], 'court-admin@demo.lastmile.test'),
    xiningClerk: await staff(xining.id, 'court', ['court_clerk'], 'clerk.xining@demo.lastmile.test'),
    adjuster: await staff(insurerA.id, 'insurer', ['insurer_adjuster'], 'adjuster@demo.lastmile.test'),
    manager: await staff(insurerA.id, 'insurer', ['insurer_manager'], 'insurer@demo.lastmile.test'),
    adjusterB: await staff(insurerB!.id, 'insurer', ['insurer_adjuster']),
    managerB: await staff(insurerB!.id, 'insurer', ['insurer_manager']),
  };
  const policy = await services.aid.policies.createPolicy(
    actors.manager,
    policyInput(court.id, { limit: opts.limit ?? '1000000' }),
  );
  return { services, time, court, xining, insurerA, insurerB: insurerB!, policy, ...actors, db: handle };
}
export type AidWorld = Awaited<ReturnType<typeof aidWorld>>;

let policySerial = 0;
export const policyInput = (courtId: string, over: Record<string, unknown> = {}) => ({
  number: `PICC-JZ-2026-${process.pid}-${++policySerial}`,
  courtId,
  startsOn: '2026-01-01',
  endsOn: '2026-12-31',
  premium: '600000',
  limit: '1000000',
  eligibleCaseTypes: [
    'criminal_incidental',
    'personal_injury',
    'unpaid_wages',
    'support',
    'medical',
    'other',
  ],
  // Up to ¥30,000 in full, then 10% of the excess, capped at ¥100,000.
  tiers: [{ upTo: '30000', rate: '100' }, { rate: '10' }],
  cap: '100000',
  ...over,
});

let caseSerial = 0;
/**
 * A 终本 case of the demo court with `applicants` creditors owed `claim` yuan each: filed four
 * months before the world's clock and closed as 终本 by the book (its debtor is one the simulated
 * network finds nothing for), so its claims are grounded on the case's own closure.
 */
export async function aidCase(w: AidWorld, { applicants = 1, claim = '1000000' } = {}) {
  caseSerial += 1;
  const c = await w.services.cases.createCase(w.clerk, {
    caseNumber: `(2025)青0104执${(process.pid % 1000) * 1000 + caseSerial}号`,
    filedOn: addMonths(beijingDateOf(w.time.clock()), -4),
    basis: '(2024)青0104刑初12号刑事附带民事判决书',
    amountOwed: String(Number(claim) * applicants),
    parties: [
      ...Array.from({ length: applicants }, (_, i) => ({
        role: 'applicant',
        kind: 'person',
        name: `申请人${caseSerial}-${i + 1}`,
        idNumberMasked: `630104********${String(1000 + i).slice(-4)}`,
        claim,
      })),
      { role: 'respondent', kind: 'person', name: '被执行人', idNumberMasked: '630104********9998' },
    ],
  });
  await closeAsZhongben(w.services, w.clerk, c.id);
  const full = await w.services.cases.getCase(w.clerk, c.id);
  return { ...c, applicants: full.parties.filter((p) => p.role === 'applicant') };
}

export const claimInput = (
  caseId: string,
  partyId: string,
  policyId: string,
  over: Record<string, unknown> = {},
) => ({
  caseId,
  partyId,
  policyId,
  caseType: 'personal_injury',
  eligibility: 'terminated_without_property',
  unpaid: '80000',
  requested: '40000',
  hardship: '申请人因伤致残，丧失劳动能力，家庭无其他收入来源。',
  payeeName: '申请人',
  bankName: '中国农业银行西宁城西支行',
  accountNumber: '6228480012345678901',
  ...over,
});

/** A draft claim with every document its submission needs. unpaid ¥80,000 → computed ¥35,000. */
export async function readyClaim(w: AidWorld, over: Record<string, unknown> = {}): Promise<AidClaim> {
  const c = await aidCase(w);
  const claim = await w.services.aid.claims.createClaim(
    w.clerk,
    claimInput(c.id, c.applicants[0]!.id, w.policy.id, over),
  );
  for (const kind of requiredDocuments(claim.caseType, claim.eligibility))
    await w.services.aid.claims.attachDocument(w.clerk, claim.id, {
      kind,
      filename: `${kind}.pdf`,
      bytes: PDF,
    });
  return claim;
}

/** The confirmation file the bank would send back for the given payments. */
export const confirmationCsv = (
  lines: {
    reference: string;
    amount: string;
    status?: 'SUCCESS' | 'FAILED';
    reason?: string;
    bankRef?: string;
  }[],
) =>
  `reference,status,amount,bank_reference,reason\r\n${lines
    .map(
      (l) =>
        `${l.reference},${l.status ?? 'SUCCESS'},${l.amount},${l.bankRef ?? `B${l.reference}`},${l.reason ?? ''}`,
    )
    .join('\r\n')}\r\n`;

/**
 * Drives a claim forward along the usual path up to `target` (the test's starting state),
 * each step by the role that takes it. Amount: the court and the insurer award `amount` yuan.
 */
export async function driveTo(w: AidWorld, claim: AidClaim, target: AidClaim['status'], amount = '35000') {
  const a = w.services.aid;
  const path: Record<string, () => Promise<unknown>> = {
    submitted: () => a.claims.submit(w.clerk, claim.id),
    returned: () => a.claims.returnForDocuments(w.panel, claim.id, { reason: '缺少身份证明原件' }),
    court_review: () => a.claims.startCourtReview(w.panel, claim.id),
    committee_review: () => a.claims.referToCommittee(w.panel, claim.id, { amount }),
    court_approved: () => a.claims.courtApprove(w.panel, claim.id, { amount }),
    rejected: () => a.claims.courtReject(w.panel, claim.id, { reason: '不符合救助条件' }),
    insurer_review: () => a.claims.insurerStartReview(w.adjuster, claim.id),
    insurer_approved: () => a.claims.insurerApprove(w.adjuster, claim.id, { amount }),
    declined: () => a.claims.insurerDecline(w.adjuster, claim.id, { reason: '不在保险责任范围内' }),
    payment: () => a.payments.createBatch(w.adjuster, { claimIds: [claim.id] }),
    paid: async () => {
      const mine = await a.claims.getClaim(w.adjuster, claim.id);
      const batchId = mine.payments.find((p) => p.status === 'scheduled')!.batchId;
      await a.payments.approveBatch(w.manager, batchId);
      await a.payments.exportBatch(w.adjuster, batchId);
      const { payments } = await a.payments.getBatch(w.adjuster, batchId);
      await a.payments.importConfirmations(
        w.adjuster,
        confirmationCsv(
          payments.map((p) => ({ reference: p.reference, amount: (Number(p.amountFen) / 100).toFixed(2) })),
        ),
      );
    },
    closed: () => a.claims.close(w.clerk, claim.id, {}),
    withdrawn: () => a.claims.withdraw(w.clerk, claim.id, {}),
  };
  const routes: Record<string, string[]> = {
    draft: [],
    submitted: ['submitted'],
    returned: ['submitted', 'returned'],
    withdrawn: ['withdrawn'],
    court_review: ['submitted', 'court_review'],
    committee_review: ['submitted', 'court_review', 'committee_review'],
    court_approved: ['submitted', 'court_review', 'court_approved'],
    rejected: ['submitted', 'court_review', 'rejected'],
    insurer_review: ['submitted', 'court_review', 'court_approved', 'insurer_review'],
    insurer_approved: ['submitted', 'court_review', 'court_approved', 'insurer_review', 'insurer_approved'],
    declined: ['submitted', 'court_review', 'court_approved', 'insurer_review', 'declined'],
    payment: ['submitted', 'court_review', 'court_approved', 'insurer_review', 'insurer_approved', 'payment'],
    paid: [
      'submitted',
      'court_review',
      'court_approved',
      'insurer_review',
      'insurer_approved',
      'payment',
      'paid',
    ],
    closed: [
      'submitted',
      'court_review',
      'court_approved',
      'insurer_review',
      'insurer_approved',
      'payment',
      'paid',
      'closed',
    ],
  };
  for (const step of routes[target]!) await path[step]!();
  return (await a.claims.getClaim(w.clerk, claim.id)).claim;
}

export type { Services };
