import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.js';
import { creditListings } from '../../db/schema/credit.js';
import { users } from '../../db/schema/identity.js';
import type { Config } from '../config.js';
import { withCreditCheckCharacter } from '../identity/credit-code.js';
import { withCheckCharacter } from '../identity/national-id.js';
import type { Actor } from '../identity/permissions.js';
import type { Logger } from '../logger.js';
import { createServices } from '../services.js';

/** A valid unified social credit code (GB 32100) for the demo company. */
const COMPANY_CODE = withCreditCheckCharacter('91630100MA752CX01');

/**
 * Demo credit data (ADR 019), through the services: two individuals and a company on the
 * published list (ground 1 without a term, ground 2 for two years, a company with its legal
 * representative and actual controller restricted), a debtor in his grace period, an order on
 * its own, and a listing deleted on performance. Runs once (skipped when a listing exists).
 */
export async function seedDemoCredit({
  db,
  config,
  logger,
}: {
  db: DbHandle;
  config: Config;
  logger: Logger;
}) {
  const [existing] = await db.db.select({ n: sql<number>`count(*)::int` }).from(creditListings);
  if ((existing?.n ?? 0) > 0) return 0;
  const people = await db.db.select().from(users);
  const actor = (email: string): Actor | null => {
    const u = people.find((p) => p.email === `${email}@demo.lastmile.test`);
    return u
      ? {
          userId: u.id,
          sessionId: 'seed',
          roles: u.roles,
          organisationId: u.organisationId,
          orgKind: 'court',
        }
      : null;
  };
  const clerk = actor('clerk');
  const president = actor('president');
  if (!clerk || !president) return 0;
  const services = createServices({ db, config, clock: () => new Date(), logger });
  const year = new Date().getUTCFullYear();
  const stamp = Date.now() % 100_000;
  let serial = 0;

  async function caseOf(debtor: { kind: 'person' | 'company'; name: string }, amount: string) {
    serial += 1;
    return services.cases.createCase(clerk!, {
      caseNumber: `(${year})青0104执${90_000 + ((stamp + serial) % 9_999)}号`,
      basis: `(${year - 1})青0104民初${300 + serial}号民事判决书`,
      filedOn: new Date(Date.now() + 8 * 3_600_000 - (120 - serial) * 86_400_000).toISOString().slice(0, 10),
      amountOwed: amount,
      parties: [
        { role: 'applicant', kind: 'company', name: '青海众信商贸有限公司', claim: amount },
        { role: 'respondent', kind: debtor.kind, name: debtor.name },
      ],
    });
  }
  const common = (c: { caseNumber: string; basis: string }) => ({
    obligation: '支付欠款及利息',
    titleNumber: c.basis,
    titleIssuer: '西宁市城西区人民法院',
    decisionNumber: `${c.caseNumber.replace(/号$/, '')}号之一`,
  });
  async function list(
    debtor: { kind: 'person' | 'company'; name: string; id: string },
    amount: string,
    patch: Record<string, unknown>,
  ) {
    const c = await caseOf(debtor, amount);
    const draft = await services.credit.prepareListing(clerk!, c.id, {
      subjectKind: debtor.kind,
      name: debtor.name,
      idNumber: debtor.id,
      conduct: '有履行能力而拒不履行生效法律文书确定的义务',
      evidence: '网络查控显示其名下账户有资金往来，经传唤拒不到庭说明',
      ...common(c),
      ground: 1,
      ...patch,
    });
    await services.credit.decideListing(president!, draft.id);
    return c;
  }

  const ma = await list(
    { kind: 'person', name: '马德福', id: withCheckCharacter('63010219720315201') },
    '386000',
    {},
  );
  // A bounty on his case (财产调查规定 arts. 21-24, ADR 022): 10% of what a lead recovers, at most
  // ¥20,000, published for 90 days, with one anonymous tip waiting for review.
  const panel = actor('panel');
  if (panel) {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const until = new Date(Date.now() + 8 * 3_600_000 + 89 * 86_400_000).toISOString().slice(0, 10);
    const notice = await services.bounties.recordApplication(clerk, ma.id, {
      applicantName: '青海众信商贸有限公司',
      appliedOn: today,
      rewardKind: 'percent',
      percent: '10',
      cap: '20000',
      scope: 'both',
      channels: ['platform', 'wechat', 'court_board'],
      terms:
        '提供本院未掌握的被执行人财产或下落线索，经查证属实并因此执行到位的，按到位金额的10%给予奖励，最高2万元。',
      promise: 'on',
      debtorName: '马德福',
      debtorKind: 'person',
      debtorId: withCheckCharacter('63010219720315201'),
      lastKnownAddress: '西宁市城西区五四大街某小区',
      unpaid: '386000',
      publishFrom: today,
      publishUntil: until,
    });
    await services.bounties.decideApplication(panel, notice.id, { decision: 'approve' });
    await services.bounties.submitTip(null, notice.id, {
      submissionKey: '00000000-0000-4000-8000-000000000001',
      leadKind: 'property',
      lead: '被执行人马德福在城北区有一处商铺出租，租金按月收取现金。',
      informantName: '匿名群众',
      contact: '13900000000',
      eligible: 'on',
    });
  }
  await list({ kind: 'person', name: '韩永强', id: withCheckCharacter('63010519850607401') }, '52000', {
    ground: 4,
    conduct: '拒不报告财产，经罚款后仍不报告',
    extensionYears: 1,
  });
  await list({ kind: 'company', name: '西宁鑫达建材有限公司', id: COMPANY_CODE }, '1280000', {
    ground: 3,
    conduct: '判决生效后将主要设备转让给关联公司，规避执行',
    legalRepresentative: '李春生',
    persons: [
      { role: 'legal_representative', name: '李春生', idNumber: withCheckCharacter('63010219700101301') },
      { role: 'actual_controller', name: '李海', idNumber: withCheckCharacter('63010219680808501') },
    ],
  });
  await list({ kind: 'person', name: '祁玉兰', id: withCheckCharacter('63010419900912602') }, '18000', {
    graceMonths: 2,
  });
  const paid = await list(
    { kind: 'person', name: '何建军', id: withCheckCharacter('63010319800228101') },
    '9000',
    {},
  );
  await services.cases.closeCase(clerk, paid.id, { mode: 'fully_performed', recovered: '9000' });
  const alone = await caseOf({ kind: 'person', name: '苏明' }, '45000');
  const order = await services.credit.prepareRestriction(clerk, alone.id, {
    subjectKind: 'person',
    name: '苏明',
    idNumber: withCheckCharacter('63010419791120301'),
    orderNumber: `${alone.caseNumber.replace(/号$/, '')}号之二`,
  });
  await services.credit.signRestriction(president, order.id);
  logger.info({ listings: 5 }, 'demo credit list seeded');
  return 5;
}
