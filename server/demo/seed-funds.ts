import { eq, inArray, sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.js';
import { caseParties, cases } from '../../db/schema/cases.js';
import { fundPlans } from '../../db/schema/funds.js';
import { users } from '../../db/schema/identity.js';
import type { Config } from '../config.js';
import type { Actor } from '../identity/permissions.js';
import { createJobRunner } from '../jobs/runner.js';
import type { Logger } from '../logger.js';
import { createServices } from '../services.js';

/**
 * Demo case funds at each step after the sale (issue 16, ADR 015), on the demo sales' cases whose
 * balance is in the case account: a plan paid out and its case closed as fully performed; a plan
 * approved with its payout batch waiting for the checker; a plan served with the creditor's own
 * objection running its clocks; a draft. The creditor 刘债权 (creditor@demo.lastmile.test) joins
 * three of them and follows his share at /me/funds. All through the services, the clock moved
 * through the past. Runs once (skipped when a plan exists, or without the demo sales).
 */
export async function seedDemoFunds({
  db,
  config,
  logger,
}: {
  db: DbHandle;
  config: Config;
  logger: Logger;
}) {
  const [existing] = await db.db.select({ n: sql<number>`count(*)::int` }).from(fundPlans);
  if ((existing?.n ?? 0) > 0) return 0;
  const numbers = [905, 906, 907, 908].map((n) => `(2026)青0104执${n}号`);
  const found = await db.db.select().from(cases).where(inArray(cases.caseNumber, numbers));
  const caseOf = (n: number) => found.find((c) => c.caseNumber === `(2026)青0104执${n}号`);
  const people = await db.db.select().from(users);
  const user = (email: string) => people.find((u) => u.email === `${email}@demo.lastmile.test`);
  if (found.length < 4 || !user('clerk') || !user('panel') || !user('creditor')) return 0;
  const started = performance.now();

  const realNow = Date.now();
  let now = realNow;
  const clock = () => new Date(now);
  const services = createServices({ db, config, clock, logger });
  const runner = createJobRunner({ db: db.db, clock, logger, handlers: services.jobHandlers });
  const at = async (daysAgo: number) => {
    now = realNow - daysAgo * services.profile.durations.day;
    while ((await runner.runDue()) > 0);
  };
  const staff = (email: 'clerk' | 'panel'): Actor => {
    const u = user(email)!;
    return {
      userId: u.id,
      sessionId: 'seed',
      roles: u.roles,
      organisationId: u.organisationId,
      orgKind: 'court',
    };
  };
  const clerk = staff('clerk');
  const panel = staff('panel');
  const creditorUser = user('creditor')!;
  const creditor: Actor = {
    userId: creditorUser.id,
    sessionId: 'seed',
    roles: creditorUser.roles,
    organisationId: null,
    orgKind: null,
  };
  const today = () => new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
  const f = services.funds;
  const bank = async (caseId: string) =>
    (await db.db.select().from(caseParties).where(eq(caseParties.caseId, caseId))).find(
      (p) => p.role === 'applicant',
    )!;
  const account = (n: number) => ({
    bankName: '中国工商银行西宁分行',
    accountNumber: `62220200000000${String(n).padStart(5, '0')}`,
  });
  const joining = (name: string, principal: string, n: number, email?: string) => ({
    joiningName: name,
    joiningKind: 'person',
    class: 'ordinary',
    titleNumber: `(2025)青0104民初${700 + n}号民事判决书`,
    principal,
    payeeName: name,
    creditorEmail: email,
    ...account(n),
  });
  const serveAndFinalise = async (planId: string, servedDaysAgo: number) => {
    await at(servedDaysAgo);
    await f.servePlan(clerk, planId, { servedOn: today() });
  };

  // 907 (¥29,400 in the account): paid in full and closed as fully performed.
  const c907 = caseOf(907)!;
  await at(28);
  await f.recordCost(clerk, c907.id, { kind: 'appraisal', amount: '1200', note: '评估费' });
  await f.recordClaim(clerk, c907.id, {
    partyId: (await bank(c907.id)).id,
    class: 'ordinary',
    titleNumber: '(2025)青0104民初507号民事判决书',
    principal: '20000',
    payeeName: '青海某农村商业银行股份有限公司',
    ...account(1),
  });
  const p907 = await f.draftPlan(clerk, c907.id, { cutoffOn: today() });
  await serveAndFinalise(p907.id, 27);
  await at(10);
  await f.approvePlan(panel, p907.id);
  await at(9);
  const { batch: b907 } = await f.payouts.createBatch(clerk, {
    lineIds: (await f.payouts.readyToPay(clerk)).filter((r) => r.plan.id === p907.id).map((r) => r.line.id),
  });
  await f.payouts.approveBatch(panel, b907!.id);
  await f.payouts.exportBatch(clerk, b907!.id);
  await at(8);
  const { payments } = await f.payouts.getBatch(clerk, b907!.id);
  await f.payouts.importConfirmations(
    clerk,
    `reference,status,amount,bank_reference,reason\r\n${payments
      .map(
        (p) =>
          `${p.reference},SUCCESS,${p.amountFen / 100n}.${String(p.amountFen % 100n).padStart(2, '0')},DEMO-${p.reference},`,
      )
      .join('\r\n')}\r\n`,
  );

  // 908 (¥945,000): the mortgagee, 刘债权 and a supplier; approved, the batch waits for the checker.
  const c908 = caseOf(908)!;
  await at(22);
  await f.recordCost(clerk, c908.id, { kind: 'appraisal', amount: '6000', note: '评估费' });
  await f.recordCost(clerk, c908.id, { kind: 'notice', amount: '800', note: '拍卖公告费' });
  await f.recordClaim(clerk, c908.id, {
    partyId: (await bank(c908.id)).id,
    class: 'secured',
    titleNumber: '(2025)青0104民初508号民事判决书',
    principal: '500000',
    interest: '18000',
    registeredOn: '2019-04-01',
    payeeName: '青海某农村商业银行股份有限公司',
    ...account(2),
  });
  await f.recordClaim(clerk, c908.id, joining('刘债权', '300000', 3, 'creditor@demo.lastmile.test'));
  await f.recordClaim(clerk, c908.id, joining('西宁某建材有限公司', '300000', 4));
  const p908 = await f.draftPlan(clerk, c908.id, { cutoffOn: today() });
  await serveAndFinalise(p908.id, 21);
  await at(4);
  await f.approvePlan(panel, p908.id);
  await at(3);
  await f.payouts.createBatch(clerk, {
    lineIds: (await f.payouts.readyToPay(clerk)).filter((r) => r.plan.id === p908.id).map((r) => r.line.id),
  });

  // 906 (¥532,000): served five days ago; 刘债权 objects online, the others have 15 days to oppose.
  const c906 = caseOf(906)!;
  await at(6);
  await f.recordCost(clerk, c906.id, { kind: 'auction', amount: '3000', note: '拍卖辅助费' });
  await f.recordClaim(clerk, c906.id, {
    partyId: (await bank(c906.id)).id,
    class: 'secured',
    titleNumber: '(2025)青0104民初506号民事判决书',
    principal: '400000',
    registeredOn: '2020-08-15',
    payeeName: '青海某农村商业银行股份有限公司',
    ...account(5),
  });
  await f.recordClaim(clerk, c906.id, joining('刘债权', '200000', 6, 'creditor@demo.lastmile.test'));
  const p906 = await f.draftPlan(clerk, c906.id, { cutoffOn: today() });
  await serveAndFinalise(p906.id, 5);
  await at(2);
  const lines = (await f.caseFunds(clerk, c906.id)).live!.lines;
  await f.fileObjection(creditor, p906.id, {
    lineId: lines.find((l) => l.class === 'secured')!.id,
    disputed: '20000',
    reason: '抵押权人主张的利息已在另案受偿，不应重复计入。',
  });

  // 905 (¥217,000): costs and claims recorded, the plan drafted yesterday.
  const c905 = caseOf(905)!;
  await at(1);
  await f.recordCost(clerk, c905.id, { kind: 'storage', amount: '1500', note: '挖掘机停放保管费' });
  await f.recordClaim(clerk, c905.id, {
    partyId: (await bank(c905.id)).id,
    class: 'ordinary',
    titleNumber: '(2025)青0104民初505号民事判决书',
    principal: '465000',
    payeeName: '青海某农村商业银行股份有限公司',
    ...account(7),
  });
  await f.recordClaim(clerk, c905.id, joining('刘债权', '50000', 8, 'creditor@demo.lastmile.test'));
  await f.draftPlan(clerk, c905.id, { cutoffOn: today() });

  await at(0);
  logger.info({ ms: Math.round(performance.now() - started) }, 'demo case funds seeded');
  return 4;
}
