import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseParties, cases } from '../../db/schema/cases';
import { organisations, users } from '../../db/schema/identity';
import { jobs } from '../../db/schema/jobs';
import { notifications } from '../../db/schema/notifications';
import { type SimulatedPropertySearch, simulatedPropertySearch } from '../../server/cases/property-search';
import { CASE_JOBS, researchAt, researchKey } from '../../server/cases/research';
import { seedDemoAccounts } from '../../server/demo/seed-accounts';
import { closeAsZhongben } from '../../server/demo/zhongben';
import type { Actor } from '../../server/identity/permissions';
import { createJobRunner } from '../../server/jobs/runner';
import { ensureAccount, post } from '../../server/ledger/ledger';
import { createLogger } from '../../server/logger';
import { aidWorld, claimInput } from '../support/aid';
import { actorFor, courtStaff } from '../support/court';
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

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
  search = simulatedPropertySearch();
  services = buildServices(db, { config, clock: time.clock, propertySearch: search });
  clerk = await actorFor(services, 'clerk@demo.lastmile.test');
  panel = await actorFor(services, 'panel@demo.lastmile.test');
});
afterAll(() => db.drop());

let serial = 0;
/** A case of 青0104 (or `code`) whose debtor holds nothing unless the test registers property. */
async function fileCase(
  by: Actor,
  {
    filedOn = '2025-10-01',
    code = '青0104',
    type = '执',
  }: { filedOn?: string; code?: string; type?: string } = {},
) {
  serial += 1;
  const debtor = {
    kind: 'company' as const,
    name: `青海测试${serial}有限公司`,
    idNumber: `91630100MA7T${serial}`,
  };
  search.register(debtor, { findings: [], from: null });
  const c = await services.cases.createCase(by, {
    caseNumber: `(2025)${code}${type}${(process.pid % 1000) * 100 + serial}号`,
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
const measure = (actor: Actor, caseId: string, kind: string, takenOn: string, details = {}) =>
  services.cases.recordMeasure(actor, caseId, { kind, takenOn, details });
const zhongben = {
  mode: 'terminated_for_now',
  ruling: '(2025)青0104执1号之一',
  unpaid: '200000',
  confirmation: 'applicant_signed',
};

describe('filing and the time limit', () => {
  it('files with a filing date and a type read from the number; the due date is 6 months net of excluded periods', async () => {
    time.set(new Date('2026-03-02T02:00:00Z'));
    const c = await fileCase(clerk, { filedOn: '2026-01-05' });
    expect(c).toMatchObject({
      filedOn: '2026-01-05',
      caseType: 'first',
      titleKind: 'litigation',
      dueOn: '2026-07-05',
    });
    const resumedType = await fileCase(clerk, { type: '执恢' });
    expect(resumedType.caseType).toBe('resumed');
    expect(
      (await caught(services.cases.createCase(clerk, { ...inputOf(c), filedOn: '2026-03-03' }))).details
        .fieldErrors,
    ).toEqual({
      filedOn: ['validation.future'],
    });

    // Suspended (中止) from 1 February: the clock stops; resumed 1 March: 28 days are not counted.
    const suspension = await services.cases.startInterval(clerk, c.id, {
      kind: 'suspension',
      startsOn: '2026-02-01',
      reason: '案外人提出异议',
    });
    const paused = await services.cases.getCase(clerk, c.id);
    // Still suspended today: 29 days so far, and counting.
    expect(paused.limit).toMatchObject({ paused: true, dueOn: '2026-08-03' });
    expect(
      (
        await caught(
          services.cases.startInterval(clerk, c.id, {
            kind: 'suspension',
            startsOn: '2026-02-02',
            reason: 'x',
          }),
        )
      ).messageKey,
    ).toBe('caseErrors.intervalRunning');
    await services.cases.endInterval(clerk, suspension.id, { endsOn: '2026-03-01' });
    const resumed = await services.cases.getCase(clerk, c.id);
    expect(resumed.limit).toMatchObject({ paused: false, excludedDays: 28, dueOn: '2026-08-02' });
    expect(resumed.dueOn).toBe('2026-08-02');
  });

  it('the president extends the limit (3 months at most on his own), the clerk cannot; the overdue list follows', async () => {
    time.set(new Date('2026-03-02T02:00:00Z'));
    const c = await fileCase(clerk, { filedOn: '2025-08-20' });
    const president = await courtStaff(db.db, {
      code: '青0104',
      parentCode: '青01',
      roles: ['court_president'],
    });
    expect((await services.cases.overdue(clerk)).cases.map((x) => x.id)).toContain(c.id);
    expect((await services.cases.listCases(clerk, { status: 'overdue' })).rows.map((r) => r.id)).toContain(
      c.id,
    );
    expect(
      (await caught(services.cases.extendLimit(clerk, c.id, { months: 3, reason: '案情复杂' }))).code,
    ).toBe('forbidden');
    expect(
      (await caught(services.cases.extendLimit(president, c.id, { months: 4, reason: '案情复杂' }))).details
        .fieldErrors,
    ).toEqual({
      months: ['validation.presidentMonths'],
    });
    await services.cases.extendLimit(president, c.id, { months: 3, reason: '案情复杂' });
    const after = await services.cases.getCase(clerk, c.id);
    expect(after.limit).toMatchObject({ months: 9, dueOn: '2026-05-20', overdue: false });
    expect((await services.cases.overdue(clerk)).cases.map((x) => x.id)).not.toContain(c.id);
    // Beyond that only with the high court's approval, whose document is recorded.
    expect(
      (await caught(services.cases.extendLimit(president, c.id, { months: 1, reason: '继续' }))).details
        .fieldErrors,
    ).toEqual({
      months: ['validation.presidentMonths'],
    });
    await services.cases.extendLimit(president, c.id, {
      months: 2,
      reason: '标的物拍卖未完成',
      authority: 'high_court',
      reference: '青高法〔2026〕12号',
    });
    expect((await services.cases.getCase(clerk, c.id)).limit?.dueOn).toBe('2026-07-20');
  });
});

describe('终本 by the book', () => {
  it('is refused with every missing condition named, then allowed once each is on file', async () => {
    time.set(new Date('2026-03-02T02:00:00Z'));
    const c = await fileCase(clerk, { filedOn: '2026-01-10' });
    const refusal = await caught(services.cases.closeCase(clerk, c.id, zhongben));
    expect(refusal.code).toBe('conflict');
    expect(refusal.messageKey).toBe('caseErrors.zhongbenIncomplete');
    expect(refusal.details.fieldErrors?.conditions).toEqual([
      'zhongbenCondition.notice_and_report',
      'zhongbenCondition.restriction_and_listing',
      'zhongbenCondition.property_search',
      'zhongbenCondition.three_months',
      'zhongbenCondition.applicant_heard',
    ]);

    // Served by public notice: the debtor is missing. He refused to report: punish and list him.
    await measure(clerk, c.id, 'enforcement_notice', '2026-01-12', { serviceMethod: 'publication' });
    await measure(clerk, c.id, 'property_report_order', '2026-01-12');
    await measure(clerk, c.id, 'property_report', '2026-01-20', {
      outcome: 'refused',
      summary: '逾期未申报',
    });
    await measure(clerk, c.id, 'consumption_restriction', '2026-01-21', { persons: c.debtor.name });
    await services.cases.runPropertySearch(clerk, c.id);
    await measure(clerk, c.id, 'applicant_interview', '2026-02-01', {
      subject: 'progress',
      summary: '申请执行人提供线索',
      leads: '被执行人在城北区有一处仓库',
      requests: ['audit'],
    });
    const half = await services.cases.getCase(clerk, c.id);
    const gaps = Object.fromEntries(half.checklist!.conditions.map((x) => [x.key, x.gaps.map((g) => g.key)]));
    expect(gaps).toEqual({
      notice_and_report: ['reportNotPunished'],
      restriction_and_listing: ['noListing'],
      property_search: ['leadsUnchecked', 'auditNotDone'],
      three_months: ['tooEarly'],
      debtor_whereabouts: ['debtorNotSearched'],
      applicant_heard: ['applicantNotHeard'],
    });
    expect(half.checklist!.conditions.find((x) => x.key === 'three_months')!.gaps[0]!.params).toEqual({
      from: '2026-04-10',
    });

    await measure(clerk, c.id, 'fine', '2026-01-25', { person: c.debtor.name, amountFen: '10000' });
    await measure(clerk, c.id, 'dishonest_listing', '2026-01-25', { ground: 4 });
    await measure(clerk, c.id, 'whereabouts_search', '2026-02-05', {
      summary: '经公安协查，下落不明',
      found: 'on',
    });
    await measure(clerk, c.id, 'onsite_check', '2026-02-10', {
      place: '城北区仓库',
      covers: ['real_estate'],
      summary: '仓库已于 2024 年转让他人',
    });
    await measure(clerk, c.id, 'audit', '2026-02-20', { summary: '审计未发现隐匿财产' });
    await measure(clerk, c.id, 'applicant_interview', '2026-03-02', {
      subject: 'zhongben',
      summary: '申请执行人同意终本',
    });
    const early = await caught(services.cases.closeCase(clerk, c.id, zhongben));
    expect(early.details.fieldErrors?.conditions).toEqual(['zhongbenCondition.three_months']);
    expect(early.details.params).toEqual({ missing: 'three_months' });
    // Without the applicant's signature only the president approves (art. 517).
    time.set(new Date('2026-04-10T02:00:00Z'));
    expect(
      (
        await caught(
          services.cases.closeCase(clerk, c.id, { ...zhongben, confirmation: 'president_approved' }),
        )
      ).details.fieldErrors,
    ).toEqual({ confirmation: ['caseErrors.presidentApproval'] });

    // The president closes it himself, on his approval.
    const president = await actorFor(services, 'president@demo.lastmile.test');
    const closed = await services.cases.closeCase(president, c.id, {
      ...zhongben,
      confirmation: 'president_approved',
    });
    expect(closed).toMatchObject({
      closedBy: president.userId,
      status: 'terminated_without_property',
      closureMode: 'terminated_for_now',
      closedOn: '2026-04-10',
      unpaidFen: 20_000_000n,
      zhongbenQualified: true,
      netDays: 90,
      withinLimit: true,
      dueOn: '2026-07-10',
    });
    // Closed: nothing more is recorded on it, and the aid module sees its closure.
    expect((await services.cases.getCase(clerk, c.id)).can).toMatchObject({
      close: false,
      recordMeasure: false,
      resume: true,
    });
    expect(await services.cases.zhongbenOf(c.id)).toEqual({ closedOn: '2026-04-10' });
    const [job] = await db.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.key, researchKey(c.id)), eq(jobs.status, 'pending')));
    expect(job).toMatchObject({
      kind: CASE_JOBS.research,
      runAt: new Date('2026-10-10T02:00:00Z'),
      payload: { caseId: c.id, n: 1 },
    });
  });

  it('closing as 执行完毕 needs the money recovered and the case account emptied (ledger cross-check); another module closes it in its own transaction', async () => {
    const c = await fileCase(clerk);
    expect(
      (await caught(services.cases.closeCase(clerk, c.id, { mode: 'fully_performed' }))).details.fieldErrors,
    ).toEqual({
      recovered: ['validation.required'],
    });
    const account = `case:${c.id}`;
    await ensureAccount(db.db, { code: account, kind: 'case' });
    await ensureAccount(db.db, {
      code: 'gateway_clearing:test',
      kind: 'gateway_clearing',
      allowNegative: true,
    });
    const move = (key: string, fen: bigint) =>
      post(db.db, {
        idempotencyKey: `${key}:${c.id}`,
        kind: 'test',
        occurredAt: time.clock(),
        entries: [
          { account, amountFen: fen },
          { account: 'gateway_clearing:test', amountFen: -fen },
        ],
      });
    await move('in', 20_000_000n);
    const held = await caught(
      services.cases.closeCase(clerk, c.id, { mode: 'fully_performed', recovered: '200000' }),
    );
    expect(held.messageKey).toBe('caseErrors.fundsHeld');
    expect(held.details.params).toEqual({ amountFen: '20000000' });
    await move('out', -20_000_000n);
    const closed = await db.db.transaction((tx) =>
      services.cases.closeCaseIn(tx, { system: 'funds' }, c.id, {
        mode: 'fully_performed',
        recovered: '200000',
      }),
    );
    expect(closed).toMatchObject({
      status: 'concluded',
      closureMode: 'fully_performed',
      recoveredFen: 20_000_000n,
      propertyFound: true,
      closedBy: null,
    });
    expect(
      (await caught(services.cases.closeCase(clerk, c.id, { mode: 'withdrawn', reason: 'x' }))).messageKey,
    ).toBe('caseErrors.closed');
  });
});

describe('after 终本: the 6-monthly re-search (终本规定 art. 9)', () => {
  it('runs on time, tells the applicant, and opens resumption when property appears; the clerk resumes as 执恢', async () => {
    time.set(new Date('2026-03-02T02:00:00Z'));
    const c = await fileCase(clerk);
    const bidder = await actorFor(services, 'bidder@demo.lastmile.test');
    // The applicant has his own account on the platform: he is told there.
    await db.db
      .update(caseParties)
      .set({ userId: bidder.userId })
      .where(and(eq(caseParties.caseId, c.id), eq(caseParties.role, 'applicant')));
    await closeAsZhongben(services, clerk, c.id);
    // The debtor comes into a deposit of ¥80,000 in January 2027.
    search.register(c.debtor, {
      from: new Date('2027-01-15T00:00:00Z'),
      findings: [
        {
          category: 'deposits',
          holder: '青海银行',
          description: '活期账户',
          valueFen: '8000000',
          disposable: true,
        },
      ],
    });
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: createLogger(config),
      concurrency: 1,
      handlers: services.jobHandlers,
    });
    const periodic = async () =>
      (await services.cases.getCase(clerk, c.id)).measures.filter(
        (m) => m.kind === 'online_search' && m.details.periodic,
      );

    const first = researchAt('2026-03-02', 1);
    expect(first).toEqual(new Date('2026-09-02T02:00:00Z'));
    time.set(new Date(first.getTime() - 60_000));
    await runner.runDue();
    expect(await periodic()).toHaveLength(0);
    time.set(first);
    await runner.runDue();
    expect((await periodic()).map((m) => [m.takenOn, m.details.periodic])).toEqual([['2026-09-02', 1]]);
    const told = await db.db.select().from(notifications).where(eq(notifications.userId, bidder.userId));
    expect(told.find((n) => n.kind === 'caseResearch')?.params).toMatchObject({ n: '1', outcome: 'none' });
    expect((await services.cases.getCase(clerk, c.id)).resumptionDueOn).toBeNull();

    time.set(researchAt('2026-03-02', 2));
    await runner.runDue();
    const found = await services.cases.getCase(clerk, c.id);
    expect(found.resumptionDueOn).toBe('2027-03-09');
    expect(found.resumptionMeasure?.details.periodic).toBe(2);
    expect(found.can.resume).toBe(true);
    const [courtNotice] = await db.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.organisationId, c.courtId), eq(notifications.kind, 'caseResumptionDue')));
    expect(courtNotice?.link).toBe(`/court/cases/${c.id}`);
    expect((await services.cases.overdue(clerk)).resumptions.map((r) => r.id)).toContain(c.id);

    const again = await services.cases.resumeCase(clerk, c.id, {
      caseNumber: `(2027)青0104执恢${process.pid % 1000}1号`,
      reason: '网络查控发现被执行人存款',
    });
    expect(again).toMatchObject({
      caseType: 'resumed',
      resumedFromId: c.id,
      propertyFound: true,
      filedOn: '2027-03-02',
      amountOwedFen: 20_000_000n,
    });
    expect((await services.cases.getCase(clerk, again.id)).parties.map((p) => p.name).sort()).toEqual(
      ['李四', c.debtor.name].sort(),
    );
    const old = await services.cases.getCase(clerk, c.id);
    expect(old).toMatchObject({
      resumptionDueOn: null,
      closureMode: 'terminated_for_now',
      resumedBy: { id: again.id },
    });
    const [stopped] = await db.db
      .select()
      .from(jobs)
      .where(eq(jobs.key, researchKey(c.id)))
      .orderBy(jobs.createdAt);
    expect(
      await db.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.key, researchKey(c.id)), eq(jobs.status, 'pending'))),
    ).toEqual([]);
    expect(stopped).toBeDefined();
    expect(
      (
        await caught(
          services.cases.resumeCase(clerk, c.id, {
            caseNumber: `(2027)青0104执恢${process.pid % 1000}2号`,
            reason: 'x',
          }),
        )
      ).messageKey,
    ).toBe('caseErrors.notResumable');
    // A resumption number must carry 执恢.
    expect(
      (await caught(services.cases.resumeCase(clerk, c.id, { caseNumber: '(2027)青0104执9号', reason: 'x' })))
        .details.fieldErrors,
    ).toEqual({
      caseNumber: ['validation.resumedCaseNumber'],
    });
  });
});

describe('who sees which cases', () => {
  it('a court sees its own cases; a higher court reads those of its courts, read-only; nobody else', async () => {
    time.set(new Date('2026-03-02T02:00:00Z'));
    const chengxi = await fileCase(clerk);
    const xiningClerk = await actorFor(services, 'clerk.xining@demo.lastmile.test');
    const xining = await fileCase(xiningClerk, { code: '青01' });
    const neighbour = await courtStaff(db.db, { code: '青0105', parentCode: '青01' });
    const [high] = await db.db.select().from(organisations).where(eq(organisations.code, '青'));
    const [highUser] = await db.db
      .insert(users)
      .values({
        email: `high-${process.pid}@test.lastmile`,
        passwordHash: 'x',
        realName: '高院',
        roles: ['court_clerk'],
        organisationId: high!.id,
      })
      .returning();
    const highClerk: Actor = {
      userId: highUser!.id,
      sessionId: 't',
      roles: ['court_clerk'],
      organisationId: high!.id,
      orgKind: 'court',
    };

    // The intermediate court reads its basic court's case, read-only, with the court named.
    const seen = await services.cases.getCase(xiningClerk, chengxi.id);
    expect(seen.readOnly).toBe(true);
    expect(Object.values(seen.can).every((v) => v === false)).toBe(true);
    const listed = await services.cases.listCases(xiningClerk, {}, null);
    expect(listed.rows.find((r) => r.id === chengxi.id)?.court?.code).toBe('青0104');
    expect(listed.rows.find((r) => r.id === xining.id)?.court).toBeNull();
    for (const write of [
      () => services.cases.closeCase(xiningClerk, chengxi.id, { mode: 'withdrawn', reason: '撤回' }),
      () => measure(xiningClerk, chengxi.id, 'enforcement_notice', '2026-01-05', { serviceMethod: 'direct' }),
      () => services.cases.runPropertySearch(xiningClerk, chengxi.id),
      () =>
        services.cases.startInterval(xiningClerk, chengxi.id, {
          kind: 'appraisal',
          startsOn: '2026-01-05',
          reason: '评估',
        }),
    ])
      expect((await caught(write())).code).toBe('forbidden');

    // The basic court never sees the court above it, nor its neighbour's; the high court sees all.
    expect((await caught(services.cases.getCase(clerk, xining.id))).code).toBe('not_found');
    expect((await caught(services.cases.getCase(neighbour, chengxi.id))).code).toBe('not_found');
    expect((await services.cases.listCases(neighbour)).rows.map((r) => r.id)).not.toContain(chengxi.id);
    const all = (await services.cases.listCases(highClerk)).total;
    expect(all).toBe((await db.db.select().from(cases)).length);
    expect((await services.cases.getCase(highClerk, xining.id)).readOnly).toBe(true);
    // The platform administrator reads no case.
    const admin = await actorFor(services, 'admin@demo.lastmile.test');
    expect((await caught(services.cases.listCases(admin))).code).toBe('forbidden');
  });
});

describe('complaints (信访)', () => {
  it('are received with a 60-day limit, assigned to a colleague, settled; the open ones are listed, overdue first', async () => {
    time.set(new Date('2026-03-02T02:00:00Z'));
    const c = await fileCase(clerk);
    const complaint = await services.cases.receiveComplaint(clerk, c.id, {
      channel: 'visit',
      complainant: '李四',
      summary: '申请执行人反映执行进展缓慢',
      receivedOn: '2025-12-01',
    });
    expect(complaint).toMatchObject({ status: 'received', dueOn: '2026-01-30' });
    const open = await services.cases.overdue(clerk);
    expect(open.complaints.find((x) => x.id === complaint.id)).toMatchObject({
      overdue: true,
      can: { assign: true, settle: true },
    });
    const stranger = await actorFor(services, 'clerk.xining@demo.lastmile.test');
    expect(
      (await caught(services.cases.assignComplaint(clerk, complaint.id, { assigneeId: stranger.userId })))
        .details.fieldErrors,
    ).toEqual({
      assigneeId: ['validation.assignee'],
    });
    expect(
      (await caught(services.cases.assignComplaint(stranger, complaint.id, { assigneeId: panel.userId })))
        .code,
    ).toBe('not_found');
    expect(
      await services.cases.assignComplaint(clerk, complaint.id, { assigneeId: panel.userId }),
    ).toMatchObject({
      status: 'assigned',
      assignedTo: panel.userId,
    });
    const settled = await services.cases.settleComplaint(panel, complaint.id, {
      outcome: '已向申请执行人说明执行进展',
    });
    expect(settled).toMatchObject({ status: 'settled', settledOn: '2026-03-02' });
    expect(
      (await caught(services.cases.settleComplaint(panel, complaint.id, { outcome: 'x' }))).messageKey,
    ).toBe('caseErrors.complaintSettled');
    expect((await services.cases.overdue(clerk)).complaints.map((x) => x.id)).not.toContain(complaint.id);
  });
});

describe('enforcement aid asks the case', () => {
  it('a claim is grounded on 终本 only when the case is closed as 终本; otherwise its ground is explained', async () => {
    const w = await aidWorld(db, { start: new Date('2026-03-02T02:00:00Z') });
    const open = await w.services.cases.createCase(w.clerk, {
      caseNumber: `(2025)青0104执${(process.pid % 1000) * 100 + 99}号`,
      basis: '(2024)青0104民初1号民事判决书',
      amountOwed: '80000',
      parties: [
        { role: 'applicant', kind: 'person', name: '王五', claim: '80000' },
        { role: 'respondent', kind: 'person', name: '赵六' },
      ],
    });
    const [applicant] = (await w.services.cases.getCase(w.clerk, open.id)).parties.filter(
      (p) => p.role === 'applicant',
    );
    // The posted flag no longer decides: the case is open, so the claim needs its ground explained.
    const refused = await caught(
      w.services.aid.claims.createClaim(w.clerk, claimInput(open.id, applicant!.id, w.policy.id)),
    );
    expect(refused.details.fieldErrors).toEqual({ eligibilityNote: ['aidValidation.eligibilityNote'] });
    const other = await w.services.aid.claims.createClaim(
      w.clerk,
      claimInput(open.id, applicant!.id, w.policy.id, { eligibilityNote: '刑事被害人，生活困难' }),
    );
    expect(other.eligibility).toBe('other');
  });
});

function inputOf(c: { caseNumber: string }) {
  return {
    caseNumber: c.caseNumber.replace(/号$/, '0号'),
    basis: '判决书',
    amountOwed: '1',
    parties: [
      { role: 'applicant', kind: 'person', name: '甲' },
      { role: 'respondent', kind: 'person', name: '乙' },
    ],
  };
}
