/**
 * Bounties on real PostgreSQL (issue 18 part 4, 财产调查规定 arts. 21-24; ADR 022): the court's
 * 10 days, the notice public only inside its period and with its published fields, tips in the
 * order of arrival (two identical a millisecond apart), the tip and the informant refused to
 * another court, to the applicant and to the public while every reading is logged, the reward on
 * a partial recovery with a cap deducted once as a cost of the distribution, the outbox events;
 * and the credit list's deletion after two empty re-searches after 终本 (失信规定 art. 10(4)).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bountyTipAccess, bountyTips } from '../../db/schema/bounties';
import { caseParties } from '../../db/schema/cases';
import { creditListings, creditPartners } from '../../db/schema/credit';
import { fundCosts, fundPlanLines } from '../../db/schema/funds';
import { outboxEvents } from '../../db/schema/outbox';
import { type SimulatedPropertySearch, simulatedPropertySearch } from '../../server/cases/property-search';
import { researchAt } from '../../server/cases/research';
import { seedDemoAccounts } from '../../server/demo/seed-accounts';
import { closeAsZhongben } from '../../server/demo/zhongben';
import { withCheckCharacter } from '../../server/identity/national-id';
import type { Actor } from '../../server/identity/permissions';
import { createJobRunner } from '../../server/jobs/runner';
import { ensureAccount, post } from '../../server/ledger/ledger';
import { createLogger } from '../../server/logger';
import { actorFor } from '../support/court';
import { createTestDatabase } from '../support/db';
import { buildServices, caught, fakeClock, testConfig } from '../support/fixtures';

const config = testConfig();
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let services: ReturnType<typeof buildServices>;
let search: SimulatedPropertySearch;
// 10:00 on Monday 2 March 2026 in Beijing.
const time = fakeClock(new Date('2026-03-02T02:00:00Z'));
let clerk: Actor;
let panel: Actor;
let president: Actor;
let otherClerk: Actor;
let creditor: Actor;
let admin: Actor;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
  search = simulatedPropertySearch();
  services = buildServices(db, { config, clock: time.clock, propertySearch: search });
  clerk = await actorFor(services, 'clerk@demo.lastmile.test');
  panel = await actorFor(services, 'panel@demo.lastmile.test');
  president = await actorFor(services, 'president@demo.lastmile.test');
  otherClerk = await actorFor(services, 'clerk.chengbei@demo.lastmile.test');
  creditor = await actorFor(services, 'creditor@demo.lastmile.test');
  admin = await actorFor(services, 'admin@demo.lastmile.test');
});
afterAll(() => db.drop());

let serial = 0;
async function fileCase(filedOn = '2025-10-01') {
  serial += 1;
  const debtor = {
    kind: 'company' as const,
    name: `悬赏测试${serial}有限公司`,
    idNumber: `91630100MA7B${serial}`,
  };
  search.register(debtor, { findings: [], from: null });
  const c = await services.cases.createCase(clerk, {
    caseNumber: `(2025)青0104执${(process.pid % 1000) * 100 + 50 + serial}号`,
    basis: '(2025)青0104民初88号民事判决书',
    filedOn,
    amountOwed: '200000',
    parties: [
      { role: 'applicant', kind: 'person', name: '李四', claim: '200000' },
      { role: 'respondent', kind: debtor.kind, name: debtor.name, idNumberMasked: debtor.idNumber },
    ],
  });
  return { ...c, debtor };
}

const debtorId = withCheckCharacter('63010419750512123');
const application = (patch: Record<string, unknown> = {}) => ({
  applicantName: '李四',
  appliedOn: '2026-03-02',
  rewardKind: 'percent',
  percent: '10',
  cap: '20000',
  scope: 'both',
  channels: ['platform', 'wechat'],
  terms: '提供本院未掌握的财产线索，经查证属实并执行到位的，按到位金额的10%给予奖励，最高2万元。',
  promise: 'on',
  debtorName: '张某某',
  debtorKind: 'person',
  debtorId,
  lastKnownAddress: '西宁市城中区某某路1号',
  unpaid: '200000',
  publishFrom: '2026-03-02',
  publishUntil: '2026-05-31',
  ...patch,
});

async function publishedNotice(patch: Record<string, unknown> = {}) {
  const c = await fileCase();
  const n = await services.bounties.recordApplication(clerk, c.id, application(patch));
  await services.bounties.decideApplication(panel, n.id, { decision: 'approve' });
  return { c, n };
}

const tip = (lead: string, patch: Record<string, unknown> = {}) => ({
  submissionKey: crypto.randomUUID(),
  leadKind: 'property',
  lead,
  informantName: '热心群众',
  contact: '13800000000',
  eligible: 'on',
  ...patch,
});

describe('the application and the notice (arts. 21-22)', () => {
  it('is decided by a judge within 10 days; the clerk may not decide it; refused input changes nothing', async () => {
    const c = await fileCase();
    const bad = await caught(services.bounties.recordApplication(clerk, c.id, application({ promise: '' })));
    expect(bad.details.fieldErrors).toMatchObject({ promise: ['bounties.validation.promise'] });
    const tooLong = await caught(
      services.bounties.recordApplication(clerk, c.id, application({ publishUntil: '2027-03-02' })),
    );
    expect(tooLong.details.fieldErrors).toMatchObject({ publishUntil: ['bounties.validation.period'] });
    expect((await services.bounties.caseBounty(clerk, c.id)).notices).toEqual([]);

    const n = await services.bounties.recordApplication(clerk, c.id, application());
    expect(n.decisionDueOn).toBe('2026-03-12');
    expect(n.debtorIdPublished).toBe(`${debtorId.slice(0, 10)}****${debtorId.slice(-4)}`);
    expect(
      (await caught(services.bounties.decideApplication(clerk, n.id, { decision: 'approve' }))).code,
    ).toBe('forbidden');
    // Not public before the decision.
    expect((await caught(services.bounties.publicNotice(n.id))).code).toBe('not_found');
    await services.bounties.decideApplication(panel, n.id, { decision: 'approve' });
    const again = await caught(
      services.bounties.decideApplication(panel, n.id, { decision: 'reject', reason: 'x' }),
    );
    expect(again.messageKey).toBe('bounties.errors.decided');
    const [event] = await db.db
      .select()
      .from(outboxEvents)
      .where(and(eq(outboxEvents.topic, 'bounty.notice.published')));
    expect(event?.payload).toMatchObject({ noticeId: n.id, debtor: { name: '张某某' } });
  });

  it('shows publicly on the first and the last day of its period with only its published fields, not the day after', async () => {
    const { n } = await publishedNotice({ publishFrom: '2026-03-02', publishUntil: '2026-03-03' });
    const shown = await services.bounties.publicNotice(n.id);
    expect(Object.keys(shown.notice).sort()).toEqual(
      [
        'capFen',
        'caseNumber',
        'courtEn',
        'courtZh',
        'debtorIdPublished',
        'debtorName',
        'id',
        'lastKnownAddress',
        'publishFrom',
        'publishUntil',
        'rewardBasisPoints',
        'rewardFen',
        'rewardKind',
        'scope',
        'terms',
        'unpaidFen',
      ].sort(),
    );
    expect(JSON.stringify(shown)).not.toContain(debtorId);
    time.set(new Date('2026-03-03T15:59:59Z')); // 23:59:59 on the 3rd in Beijing
    expect((await services.bounties.publicNotices()).map((x) => x.id)).toContain(n.id);
    time.set(new Date('2026-03-03T16:00:00Z')); // midnight: the 4th
    expect((await services.bounties.publicNotices()).map((x) => x.id)).not.toContain(n.id);
    expect((await caught(services.bounties.publicNotice(n.id))).code).toBe('not_found');
    const late = await caught(services.bounties.submitTip(null, n.id, tip('某银行账户')));
    expect(late.code).toBe('not_found');
    time.set(new Date('2026-03-02T02:00:00Z'));
  });
});

describe('tips (art. 23)', () => {
  it('two identical tips a millisecond apart rank by arrival; the later cannot win while the first stands', async () => {
    const { c, n } = await publishedNotice();
    const first = await services.bounties.submitTip(
      null,
      n.id,
      tip('被执行人在城东区幸福路12号有一辆宝马车。'),
    );
    time.advance(1);
    const second = await services.bounties.submitTip(
      creditor,
      n.id,
      tip('被执行人在 城东区幸福路１２号 有一辆宝马车'),
    );
    time.set(new Date('2026-03-02T02:00:00Z'));
    expect(first.receipt).not.toBe(second.receipt);
    const view = await services.bounties.caseBounty(clerk, c.id);
    const [a, b] = view.notices[0]!.tips;
    expect(b!.seq).toBeGreaterThan(a!.seq);
    expect(b!.receivedAt.getTime() - a!.receivedAt.getTime()).toBe(1);
    const refused = await caught(services.bounties.assessTip(clerk, b!.id, { verdict: 'valid' }));
    expect(refused.messageKey).toBe('bounties.errors.earlierSameLead');
    expect(refused.details.params).toEqual({ seq: String(a!.seq) });
    await services.bounties.assessTip(clerk, b!.id, {
      verdict: 'invalid',
      outcome: 'duplicate',
      duplicateOf: String(a!.seq),
    });
    await services.bounties.assessTip(clerk, a!.id, { verdict: 'valid' });
    expect((await services.bounties.tipStatus({ receipt: first.receipt })).status).toBe('valid');
    expect(await services.bounties.tipStatus({ receipt: second.receipt.toLowerCase() })).toMatchObject({
      status: 'invalid',
      outcome: 'duplicate',
    });
  });

  it('a retried submission is the same tip with the same receipt', async () => {
    const { n } = await publishedNotice();
    const input = tip('被执行人在某小区有一套房产');
    const once = await services.bounties.submitTip(null, n.id, input);
    const twice = await services.bounties.submitTip(null, n.id, input);
    expect(twice).toMatchObject({ receipt: once.receipt, repeated: true });
    expect(await db.db.select().from(bountyTips).where(eq(bountyTips.noticeId, n.id))).toHaveLength(1);
  });

  it('refuses the content and the informant to another court, to the applicant and to the public; logs every reading', async () => {
    const { c, n } = await publishedNotice();
    const sent = await services.bounties.submitTip(
      null,
      n.id,
      tip('被执行人每周五在某茶楼出现', { leadKind: 'whereabouts' }),
    );
    const [t] = await db.db.select().from(bountyTips).where(eq(bountyTips.noticeId, n.id));
    // Sealed at rest.
    expect(t!.leadSealed).not.toContain('茶楼');
    expect(t!.informantSealed).not.toContain('13800000000');
    // Another court: not found, even the list on its own bounty page.
    expect((await caught(services.bounties.readTip(otherClerk, t!.id))).code).toBe('not_found');
    expect((await caught(services.bounties.assessTip(otherClerk, t!.id, { verdict: 'valid' }))).code).toBe(
      'not_found',
    );
    // The applicant (a platform account linked to his party): no grant at all.
    await db.db
      .update(caseParties)
      .set({ userId: creditor.userId })
      .where(and(eq(caseParties.caseId, c.id), eq(caseParties.role, 'applicant')));
    expect((await caught(services.bounties.readTip(creditor, t!.id))).code).toBe('forbidden');
    expect((await caught(services.bounties.caseBounty(creditor, c.id))).code).toBe('forbidden');
    // The public: the receipt's status, never the content.
    const status = await services.bounties.tipStatus({ receipt: sent.receipt });
    expect(JSON.stringify(status)).not.toContain('茶楼');
    expect(JSON.stringify(status)).not.toContain('热心群众');
    expect((await caught(services.bounties.tipStatus({ receipt: 'XS-0000-0000-0000-0000' }))).code).toBe(
      'not_found',
    );
    // The president (decides, no reading grant): refused.
    expect((await caught(services.bounties.readTip(president, t!.id))).code).toBe('forbidden');
    expect(await db.db.select().from(bountyTipAccess).where(eq(bountyTipAccess.tipId, t!.id))).toEqual([]);

    const read = await services.bounties.readTip(clerk, t!.id);
    expect(read.tip.lead).toBe('被执行人每周五在某茶楼出现');
    expect(read.tip.informant).toEqual({ name: '热心群众', contact: '13800000000' });
    await services.bounties.readTip(panel, t!.id);
    const log = await db.db.select().from(bountyTipAccess).where(eq(bountyTipAccess.tipId, t!.id));
    expect(log.map((l) => [l.userId, l.purpose]).sort()).toEqual(
      [
        [clerk.userId, 'read'],
        [panel.userId, 'read'],
      ].sort(),
    );
    const page = await services.bounties.caseBounty(clerk, c.id);
    expect(page.accessLog.map((l) => l.name).sort()).toEqual(['李法官', '王书记员']);
  });

  it('refuses a lead outside the notice scope', async () => {
    const { n } = await publishedNotice({ scope: 'property' });
    const e = await caught(
      services.bounties.submitTip(null, n.id, tip('在某地', { leadKind: 'whereabouts' })),
    );
    expect(e.details.fieldErrors).toEqual({ leadKind: ['bounties.validation.scope'] });
  });
});

describe('the reward (art. 24)', () => {
  it('on a partial recovery with a cap, deducted once as a cost the next plan pays before the creditors', async () => {
    // 10% capped at ¥20,000; the lead recovered ¥250,000.00 → ¥25,000 → the cap.
    const { c, n } = await publishedNotice();
    await services.bounties.submitTip(null, n.id, tip('被执行人在某银行有存款'));
    const [t] = await db.db.select().from(bountyTips).where(eq(bountyTips.noticeId, n.id));
    expect((await caught(services.bounties.awardTip(panel, t!.id, { recovered: '250000' }))).messageKey).toBe(
      'bounties.errors.notValid',
    );
    await services.bounties.assessTip(clerk, t!.id, { verdict: 'valid' });
    expect((await caught(services.bounties.awardTip(clerk, t!.id, { recovered: '250000' }))).code).toBe(
      'forbidden',
    );
    const awarded = await services.bounties.awardTip(panel, t!.id, { recovered: '250000' });
    expect(awarded).toMatchObject({ rewardFen: 2_000_000, deductedFen: 2_000_000, applicantPaysFen: 0 });
    const again = await caught(services.bounties.awardTip(panel, t!.id, { recovered: '250000' }));
    expect(again.messageKey).toBe('bounties.errors.awarded');
    const costs = await db.db.select().from(fundCosts).where(eq(fundCosts.caseId, c.id));
    expect(costs.map((x) => [x.kind, x.amountFen])).toEqual([['bounty_reward', 2_000_000n]]);
    expect(
      (await services.bounties.tipStatus({ receipt: 'x'.repeat(3) }).catch((e) => e.code)) as string,
    ).toBe('validation');
    const [event] = await db.db
      .select()
      .from(outboxEvents)
      .where(eq(outboxEvents.topic, 'bounty.reward.awarded'));
    expect(event?.payload).toMatchObject({ tipId: t!.id, rewardFen: 2_000_000 });

    // The money in the case account: the plan pays the reward first, by art. 24.
    await ensureAccount(db.db, {
      code: 'gateway_clearing:test-sale',
      kind: 'gateway_clearing',
      allowNegative: true,
    });
    await ensureAccount(db.db, { code: `case:${c.id}`, kind: 'case' });
    await post(db.db, {
      idempotencyKey: `test:bounty:${c.id}`,
      kind: 'test.sale',
      occurredAt: time.clock(),
      entries: [
        { account: 'gateway_clearing:test-sale', amountFen: -25_000_000n },
        { account: `case:${c.id}`, amountFen: 25_000_000n },
      ],
    });
    const full = await services.cases.getCase(clerk, c.id);
    await services.funds.recordClaim(clerk, c.id, {
      partyId: full.parties.find((p) => p.role === 'applicant')!.id,
      class: 'ordinary',
      titleNumber: '(2025)青0104民初88号',
      principal: '200000',
      payeeName: '李四',
      bankName: '中国工商银行西宁分行',
      accountNumber: '6222020000000000001',
    });
    const plan = await services.funds.draftPlan(clerk, c.id, { cutoffOn: '2026-03-02' });
    const lines = await db.db.select().from(fundPlanLines).where(eq(fundPlanLines.planId, plan.id));
    const reward = lines.filter((l) => l.class === 'bounty_reward');
    expect(reward).toHaveLength(1);
    expect(reward[0]).toMatchObject({ rule: 'bountyReward', rank: 1, demandFen: 2_000_000n });
  });

  it('a fixed reward beyond what the lead recovered: the recovery is deducted, the applicant pays the rest', async () => {
    const { c, n } = await publishedNotice({ rewardKind: 'fixed', reward: '5000', percent: '', cap: '' });
    await services.bounties.submitTip(null, n.id, tip('被执行人藏匿于某村'));
    const [t] = await db.db.select().from(bountyTips).where(eq(bountyTips.noticeId, n.id));
    await services.bounties.assessTip(clerk, t!.id, { verdict: 'valid' });
    const awarded = await services.bounties.awardTip(president, t!.id, { recovered: '3000' });
    expect(awarded).toMatchObject({ rewardFen: 500_000, deductedFen: 300_000, applicantPaysFen: 200_000 });
    const costs = await db.db.select().from(fundCosts).where(eq(fundCosts.caseId, c.id));
    expect(costs.map((x) => x.amountFen)).toEqual([300_000n]);
  });
});

describe('the credit list after 终本 (失信规定 art. 10(4))', () => {
  async function listedThenZhongben() {
    time.set(new Date('2026-03-02T02:00:00Z'));
    const c = await fileCase('2025-10-01');
    const id = withCheckCharacter(`63010419640510${String(100 + serial).slice(-3)}`);
    const draft = await services.credit.prepareListing(clerk, c.id, {
      subjectKind: 'person',
      name: '终本测试人',
      idNumber: id,
      ground: 1,
      conduct: '有履行能力而拒不履行',
      evidence: '银行流水',
      obligation: '支付货款',
      titleNumber: '(2025)青0104民初88号',
      titleIssuer: '西宁市城中区人民法院',
      decisionNumber: `(2025)青0104执${serial}号之一`,
    });
    const listing = await services.credit.decideListing(president, draft.id);
    await closeAsZhongben(services, clerk, c.id);
    return { c, listing };
  }
  const runner = () =>
    createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: createLogger(config),
      concurrency: 1,
      handlers: services.jobHandlers,
    });
  const statusOf = async (id: string) =>
    (await db.db.select().from(creditListings).where(eq(creditListings.id, id)))[0]!;

  it('the first empty re-search keeps the listing; the second deletes it, by itself, within the 3 working days', async () => {
    const { listing } = await listedThenZhongben();
    expect((await statusOf(listing.id)).status).toBe('published');
    const jobs = runner();
    time.set(researchAt('2026-03-02', 1));
    await jobs.runDue();
    expect((await statusOf(listing.id)).status).toBe('published');
    const second = researchAt('2026-03-02', 2);
    time.set(second);
    await jobs.runDue();
    const l = await statusOf(listing.id);
    expect(l).toMatchObject({ status: 'deleted', deletionGround: 'no_property_after_zhongben' });
    expect(l.removedAt!.getTime()).toBe(second.getTime());
    expect(l.removedAt!.getTime()).toBeLessThanOrEqual(l.deletionDueAt!.getTime());
    time.set(new Date('2026-03-02T02:00:00Z'));
  });

  it('a bounty tip still open is a lead: the second empty search does not delete', async () => {
    const { c, listing } = await listedThenZhongben();
    const n = await services.bounties.recordApplication(
      clerk,
      c.id,
      application({ publishUntil: '2027-02-28' }),
    );
    await services.bounties.decideApplication(panel, n.id, { decision: 'approve' });
    await services.bounties.submitTip(null, n.id, tip('被执行人在外地经营一家餐馆'));
    const jobs = runner();
    time.set(researchAt('2026-03-02', 1));
    await jobs.runDue();
    time.set(researchAt('2026-03-02', 2));
    await jobs.runDue();
    expect((await statusOf(listing.id)).status).toBe('published');
    time.set(new Date('2026-03-02T02:00:00Z'));
  });
});

describe('revoking a partner', () => {
  it('its token stops answering at once and its feed stops', async () => {
    const p = await services.credit.createPartner(admin, {
      name: '测试铁路',
      kind: 'railway',
      url: 'https://rail.example/feed',
    });
    expect(await services.credit.authenticatePartner(p.token)).not.toBeNull();
    expect((await caught(services.credit.revokePartner(clerk, p.id))).code).toBe('forbidden');
    await services.credit.revokePartner(admin, p.id);
    expect(await services.credit.authenticatePartner(p.token)).toBeNull();
    const [row] = await db.db.select().from(creditPartners).where(eq(creditPartners.id, p.id));
    expect(row!.revokedAt).not.toBeNull();
    expect((await caught(services.credit.revokePartner(admin, p.id))).messageKey).toBe(
      'credit.errors.partnerRevoked',
    );
  });
});
