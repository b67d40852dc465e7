/**
 * Each quality indicator (ADR 018) on a small hand-made set of case rows, complaints and a case
 * account, with the answers worked out by hand in the comments; the drill-down lists exactly the
 * cases behind each figure; scope by court hierarchy and the platform.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listings } from '../../db/schema/auctions';
import { assets, caseComplaints, cases } from '../../db/schema/cases';
import { organisations } from '../../db/schema/identity';
import { seedDemoAccounts } from '../../server/demo/seed-accounts';
import type { Actor } from '../../server/identity/permissions';
import { createIndicatorService } from '../../server/indicators/service';
import { ensureAccount, post } from '../../server/ledger/ledger';
import { actorFor, courtStaff } from '../support/court';
import { createTestDatabase } from '../support/db';
import { buildServices, caught, fakeClock, testConfig } from '../support/fixtures';

const config = testConfig();
let db: Awaited<ReturnType<typeof createTestDatabase>>;
// Sunday 15 March 2026, 10:00 in Beijing.
const time = fakeClock(new Date('2026-03-15T02:00:00Z'));
let svc: ReturnType<typeof createIndicatorService>;
let higher: Actor; // staff of T1, the intermediate court over T101 and T102
let basic: Actor & { courtId: string }; // staff of T101
let other: Actor & { courtId: string }; // staff of T102
let stranger: Actor & { courtId: string }; // a court elsewhere
let admin: Actor;
let bidder: Actor;
const id: Record<string, string> = {};

type Row = typeof cases.$inferInsert;
const PERIOD = { from: '2026-01', to: '2026-03' };

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
  const services = buildServices(db, { config, clock: time.clock });
  svc = createIndicatorService({ db: db.db, clock: time.clock });
  admin = await actorFor(services, 'admin@demo.lastmile.test');
  bidder = await actorFor(services, 'bidder@demo.lastmile.test');
  const [high] = await db.db.select().from(organisations).where(eq(organisations.code, '青'));
  await db.db.insert(organisations).values({
    kind: 'court',
    code: 'T1',
    courtLevel: 'intermediate',
    parentId: high!.id,
    nameZh: '测试中院',
    nameEn: 'Test intermediate court',
  });
  higher = await courtStaff(db.db, { code: 'T1', parentCode: '青' });
  basic = await courtStaff(db.db, { code: 'T101', parentCode: 'T1' });
  other = await courtStaff(db.db, { code: 'T102', parentCode: 'T1' });
  stranger = await courtStaff(db.db, { code: 'T901', parentCode: '青01' });

  const at = (courtId: string, n: string, r: Partial<Row>): Row => ({
    courtId,
    caseNumber: `(2026)测${n}号`,
    basis: '测试判决书',
    amountOwedFen: 0n,
    ...r,
  });
  const T101 = basic.courtId;
  const rows: Record<string, Row> = {
    // Closed in January as 执行完毕 within the limit: within-limit 1/1 in January.
    A: at(T101, '执1', {
      filedOn: '2025-10-10',
      dueOn: '2026-04-10',
      propertyFound: true,
      closureMode: 'fully_performed',
      status: 'concluded',
      closedOn: '2026-01-20',
      withinLimit: true,
      netDays: 102,
      amountOwedFen: 100_000n,
      recoveredFen: 100_000n,
    }),
    // Closed late in February (due 1 December): overdue at the end of January, not within the limit.
    B: at(T101, '执2', {
      filedOn: '2025-06-01',
      dueOn: '2025-12-01',
      propertyFound: true,
      closureMode: 'fully_performed',
      status: 'concluded',
      closedOn: '2026-02-10',
      withinLimit: false,
      netDays: 254,
      amountOwedFen: 200_000n,
      recoveredFen: 50_000n,
    }),
    // Open with property, fell due on 1 February: in February's within-limit denominator, overdue since.
    C: at(T101, '执3', { filedOn: '2025-08-01', dueOn: '2026-02-01', propertyFound: true }),
    // Open with property, not yet due.
    D: at(T101, '执4', { filedOn: '2025-12-01', dueOn: '2026-06-01', propertyFound: true }),
    // 终本 in January, qualified.
    E: at(T101, '执5', {
      filedOn: '2025-09-01',
      dueOn: '2026-03-01',
      closureMode: 'terminated_for_now',
      status: 'terminated_without_property',
      closedOn: '2026-01-05',
      withinLimit: true,
      netDays: 126,
      zhongbenQualified: true,
      amountOwedFen: 300_000n,
      unpaidFen: 300_000n,
    }),
    // 终本 in February, not qualified: no restriction order.
    F: at(T101, '执6', {
      filedOn: '2025-09-02',
      dueOn: '2026-03-02',
      closureMode: 'terminated_for_now',
      status: 'terminated_without_property',
      closedOn: '2026-02-05',
      withinLimit: true,
      netDays: 150,
      zhongbenQualified: false,
      closureChecklist: {
        conditions: [
          { key: 'notice_and_report', met: true, gaps: [], evidence: [] },
          { key: 'restriction_and_listing', met: false, gaps: [{ key: 'noRestriction' }], evidence: [] },
        ],
        allMet: false,
        missing: ['restriction_and_listing'],
      },
      amountOwedFen: 100_000n,
      unpaidFen: 100_000n,
    }),
    // 终结 in March with property but no money: outside the within-limit population.
    G: at(T101, '执7', {
      filedOn: '2026-01-10',
      dueOn: '2026-07-10',
      propertyFound: true,
      closureMode: 'terminated',
      status: 'concluded',
      closedOn: '2026-03-01',
      withinLimit: true,
      netDays: 50,
      amountOwedFen: 50_000n,
    }),
    // 执恢, open, filed in February.
    H: at(T101, '执恢8', { filedOn: '2026-02-01', dueOn: '2026-08-01' }),
    // 执保: never counted.
    I: at(T101, '执保9', { filedOn: '2026-01-05', propertyFound: true }),
    // Carried over from 2024, overdue since May 2025, withdrawn on 10 March.
    J: at(T101, '执10', {
      filedOn: '2024-11-01',
      dueOn: '2025-05-01',
      closureMode: 'withdrawn',
      status: 'concluded',
      closedOn: '2026-03-10',
      amountOwedFen: 80_000n,
    }),
    // T102's only case, filed in February.
    K: at(other.courtId, '执11', { filedOn: '2026-02-15', dueOn: '2026-08-15' }),
    // Another court's case: never in T1's figures.
    Z: at(stranger.courtId, '执12', { filedOn: '2026-02-15', dueOn: '2026-08-15' }),
  };
  for (const [k, r] of Object.entries(rows)) {
    const [row] = await db.db.insert(cases).values(r).returning({ id: cases.id });
    id[k] = row!.id;
  }
  const complaint = (k: string, r: Partial<typeof caseComplaints.$inferInsert>) =>
    db.db.insert(caseComplaints).values({
      caseId: id[k]!,
      courtId: T101,
      channel: 'letter',
      complainant: `投诉人${k}`,
      summary: '执行不力',
      receivedOn: '2026-01-01',
      dueOn: '2026-03-01',
      ...r,
    });
  // Settled in February within its limit; settled in February late; open, due 18 February; open, not yet due.
  await complaint('A', {
    receivedOn: '2026-01-02',
    dueOn: '2026-03-03',
    settledOn: '2026-02-01',
    status: 'settled',
  });
  await complaint('B', {
    receivedOn: '2025-12-01',
    dueOn: '2026-01-30',
    settledOn: '2026-02-10',
    status: 'settled',
  });
  await complaint('C', { receivedOn: '2025-12-20', dueOn: '2026-02-18' });
  await complaint('D', { receivedOn: '2026-03-01', dueOn: '2026-04-30' });

  // Case D's account: ¥100 arrives on 10 January, ¥40 leaves on 20 February.
  const account = `case:${id.D}`;
  await ensureAccount(db.db, { code: account, kind: 'case' });
  await ensureAccount(db.db, {
    code: 'gateway_clearing:test',
    kind: 'gateway_clearing',
    allowNegative: true,
  });
  const move = (key: string, fen: bigint, on: string) =>
    post(db.db, {
      idempotencyKey: key,
      kind: 'test',
      occurredAt: new Date(`${on}T02:00:00Z`),
      entries: [
        { account, amountFen: fen },
        { account: 'gateway_clearing:test', amountFen: -fen },
      ],
    });
  await move('in', 10_000n, '2026-01-10');
  await move('out', -4_000n, '2026-02-20');

  // Case A's auctions: announced in January, one failed and one sold in February, a re-auction
  // announced in February whose buyer defaulted in March; a draft never counts.
  const [asset] = await db.db
    .insert(assets)
    .values({
      caseId: id.A!,
      courtId: T101,
      type: 'vehicle',
      title: '测试车辆',
      province: '青海省',
      city: '西宁市',
      address: '测试路1号',
      description: '测试',
      appraisalFen: 1_000_000n,
      appraisalBasis: 'price_inquiry',
      appraisalDate: '2025-12-01',
    })
    .returning({ id: assets.id });
  const on = (d: string) => new Date(`${d}T02:00:00Z`);
  const listing = (n: string, r: Partial<typeof listings.$inferInsert>) => ({
    assetId: asset!.id,
    caseId: id.A!,
    courtId: T101,
    title: `测试拍卖${n}`,
    assetType: 'vehicle' as const,
    province: '青海省',
    city: '西宁市',
    appraisalFen: 1_000_000n,
    startingPriceFen: 700_000n,
    depositFen: 100_000n,
    incrementFen: 10_000n,
    announceAt: on('2026-01-05'),
    startsAt: on('2026-02-05'),
    endsAt: on('2026-02-06'),
    currentEndAt: on('2026-02-06'),
    balanceDays: 10,
    specialNotices: '无',
    taxes: '各自承担',
    taxPayer: 'each_by_law' as const,
    viewing: '预约',
    contact: '0971-0000000',
    supervisionLine: '0971-0000001',
    preparedBy: basic.userId,
    ...r,
  });
  await db.db.insert(listings).values([
    listing('1', { status: 'ended', outcome: 'failed', endedAt: on('2026-02-06') }),
    listing('2', { status: 'ended', outcome: 'sold', endedAt: on('2026-02-10') }),
    listing('3', {
      status: 'ended',
      outcome: 'defaulted',
      announceAt: on('2026-02-12'),
      endedAt: on('2026-03-02'),
    }),
    listing('4', { status: 'draft' }),
  ]);
});
afterAll(() => db.drop());

const figureOf = async (actor: Actor, key: string, q: Record<string, unknown> = {}) => {
  const d = await svc.dashboard(actor, { ...PERIOD, ...q });
  const f = d.indicators.find((i) => i.key === key)!;
  return {
    months: f.months.map((m) => [m.num, m.den]),
    total: [f.total.num, f.total.den],
    value: f.total.value,
    light: f.total.light,
  };
};

/** The case letters a drill-down lists. */
const drilled = async (actor: Actor, q: Record<string, unknown>) => {
  const r = await svc.drillDown(actor, { ...PERIOD, ...q });
  const letters = Object.fromEntries(Object.entries(id).map(([k, v]) => [v, k]));
  return r.rows.map((row) => letters[row.caseId]).sort();
};

describe('the 3+1 core indicators', () => {
  it('within the limit: first cases with property closed as performed (or 终结 with money) within the limit, over those that fell due', async () => {
    // January: A (within) 1/1. February: B closed late 0/1, C open and due on 1 February 0/1 → 0/2.
    // March: G is 终结 without money, outside the population → 0/0. Period 1/3. 终本 (E, F) and 执保 (I) never count.
    const f = await figureOf(basic, 'within_limit');
    expect(f.months).toEqual([
      [1, 1],
      [0, 2],
      [0, 0],
    ]);
    expect(f.total).toEqual([1, 3]);
    expect(f.light).toBe('red');
    expect(await drilled(basic, { indicator: 'within_limit', part: 'den' })).toEqual(['A', 'B', 'C']);
    expect(await drilled(basic, { indicator: 'within_limit', part: 'gap' })).toEqual(['B', 'C']);
    expect(
      await drilled(basic, { indicator: 'within_limit', part: 'num', from: '2026-01', to: '2026-01' }),
    ).toEqual(['A']);
  });

  it('终本 qualified: the qualified 终本 closures over all of them; the drill-down names those missing a restriction order', async () => {
    // January: E qualified 1/1; February: F not 0/1 → period 1/2 = 50%.
    const f = await figureOf(basic, 'zhongben_qualified');
    expect(f.months).toEqual([
      [1, 1],
      [0, 1],
      [0, 0],
    ]);
    expect(f.value).toBe(0.5);
    expect(await drilled(basic, { indicator: 'zhongben_qualified', part: 'gap' })).toEqual(['F']);
    expect(
      await drilled(basic, { indicator: 'zhongben_qualified', condition: 'restriction_and_listing' }),
    ).toEqual(['F']);
    expect(await drilled(basic, { indicator: 'zhongben_qualified', condition: 'property_search' })).toEqual(
      [],
    );
    const d = await svc.dashboard(basic, PERIOD);
    expect(d.zhongbenGaps).toEqual([{ condition: 'restriction_and_listing', n: 1 }]);
    // The shortfalls are read for the courts whose figures fall short: the higher court over T101
    // and T102, and the platform, see F's; January alone (E qualified) has none.
    expect((await svc.dashboard(higher, PERIOD)).zhongbenGaps).toEqual(d.zhongbenGaps);
    expect((await svc.dashboard(admin, PERIOD)).zhongbenGaps).toEqual(d.zhongbenGaps);
    expect((await svc.dashboard(basic, { from: '2026-01', to: '2026-01' })).zhongbenGaps).toEqual([]);
  });

  it('complaints settled: settled within their limit, over those settled or past due in the month', async () => {
    // February: A's settled on time, B's settled late, C's open and past due on 18 February → 1/3.
    // D's is not yet due: not counted.
    const f = await figureOf(basic, 'complaints_settled');
    expect(f.months).toEqual([
      [0, 0],
      [1, 3],
      [0, 0],
    ]);
    expect(f.total).toEqual([1, 3]);
    expect(await drilled(basic, { indicator: 'complaints_settled', part: 'gap' })).toEqual(['B', 'C']);
  });

  it('overall closure over a rolling window: the cohort filed in it, closed (actually, or 终本) by its end', async () => {
    // 36 months to March: A B C D E F G H J filed (9); closed in a counted mode by March: A B E F G (J was withdrawn) → 5/9.
    // To January: A B C D E F G J (8); closed by then A E → 2/8.
    const f = await figureOf(basic, 'overall_closure');
    expect(f.months[0]).toEqual([2, 8]);
    expect(f.total).toEqual([5, 9]);
    expect(f.light).toBe('red');
    // A 3-month window to March: G and H filed, G closed → 1/2.
    expect((await figureOf(basic, 'overall_closure', { window: 3 })).total).toEqual([1, 2]);
    expect(await drilled(basic, { indicator: 'overall_closure', part: 'num', window: 3 })).toEqual(['G']);
  });
});

describe('the other indicators', () => {
  it('accepted and closed count first and resumed cases by filing and closing month', async () => {
    expect((await figureOf(basic, 'accepted')).months.map(([n]) => n)).toEqual([1, 1, 0]); // G; H
    expect((await figureOf(basic, 'closed')).months.map(([n]) => n)).toEqual([2, 2, 2]); // A E; B F; G J
  });

  it('the closure rate counts the cases carried over: closed ÷ (open at the start + filed)', async () => {
    // January: open on 1 January A B C D E F J (7) + G → 2/8. February: B C D F G J (6) + H → 2/7.
    // March: C D G H J (5) → 2/5. Period: 7 carried over + G H filed → 6/9.
    const f = await figureOf(basic, 'closure_rate');
    expect(f.months).toEqual([
      [2, 8],
      [2, 7],
      [2, 5],
    ]);
    expect(f.total).toEqual([6, 9]);
    expect(await drilled(basic, { indicator: 'closure_rate', part: 'gap' })).toEqual(['C', 'D', 'H']);
  });

  it('money recovered against money applied for, over the cases closed', async () => {
    // January A 1000/1000 + E 0/3000; February B 500/2000 + F 0/1000; March G 0/500 + J 0/800 (yuan).
    const f = await figureOf(basic, 'recovery_rate');
    expect(f.months).toEqual([
      [100_000, 400_000],
      [50_000, 300_000],
      [0, 130_000],
    ]);
    expect(f.total).toEqual([150_000, 830_000]);
  });

  it('average net days to close', async () => {
    // (102 + 126) / 2; (254 + 150) / 2; 50 (J has no net days); period 682 / 5.
    const f = await figureOf(basic, 'avg_net_days');
    expect(f.months).toEqual([
      [228, 2],
      [404, 2],
      [50, 1],
    ]);
    expect(f.value).toBeCloseTo(136.4, 10);
  });

  it('overdue cases at each month’s end (today for this month), over the cases open then', async () => {
    // End of January: B (due 1 Dec) and J (due 1 May) overdue, of B C D F G J open (6).
    // End of February: C and J, of C D G H J (5). Today: C, of C D H (3).
    const f = await figureOf(basic, 'overdue');
    expect(f.months).toEqual([
      [2, 6],
      [2, 5],
      [1, 3],
    ]);
    expect(f.total).toEqual([1, 3]);
    expect(
      await drilled(basic, { indicator: 'overdue', part: 'num', from: '2026-01', to: '2026-01' }),
    ).toEqual(['B', 'J']);
    expect(await drilled(basic, { indicator: 'overdue', part: 'num' })).toEqual(['C']);
  });

  it('funds held past 30 days in the case accounts, first in first out', async () => {
    // D's account: ¥100 in on 10 January, ¥40 out on 20 February.
    // 31 January: holds ¥100, none of it for 30 days. 28 February: ¥60, all of it from 10 January.
    // Today: the same.
    const f = await figureOf(basic, 'funds_held');
    expect(f.months).toEqual([
      [0, 10_000],
      [6_000, 6_000],
      [6_000, 6_000],
    ]);
    expect(await drilled(basic, { indicator: 'funds_held', part: 'num' })).toEqual(['D']);
    expect(
      await drilled(basic, { indicator: 'funds_held', part: 'num', from: '2026-01', to: '2026-01' }),
    ).toEqual([]);
  });
});

describe('auctions', () => {
  it('listed by announcement, failed and defaulted over those ended in the month', async () => {
    // Announced: two in January, one in February (the draft never). Ended: failed and sold in
    // February, defaulted in March.
    expect((await figureOf(basic, 'auctions_listed')).months.map(([n]) => n)).toEqual([2, 1, 0]);
    expect((await figureOf(basic, 'auctions_failed')).months).toEqual([
      [0, 0],
      [1, 2],
      [0, 1],
    ]);
    const defaulted = await figureOf(basic, 'auctions_defaulted');
    expect(defaulted.total).toEqual([1, 3]);
    const rows = await svc.drillDown(basic, { ...PERIOD, indicator: 'auctions_defaulted', part: 'num' });
    expect(rows.rows.map((r) => r.cells.listingTitle)).toEqual(['测试拍卖3']);
  });
});

describe('scope', () => {
  it('a higher court adds up its courts and ranks them; a basic court sees its own; another court is not found', async () => {
    const d = await svc.dashboard(higher, PERIOD);
    expect(d.courts.map((c) => c.code)).toEqual(['T1', 'T101', 'T102']);
    const accepted = d.indicators.find((i) => i.key === 'accepted')!;
    expect(accepted.total.num).toBe(3); // G, H and T102's K
    expect(d.ranking.map((r) => [r.court.code, r.rank])).toEqual([
      ['T101', 1],
      ['T102', 2],
      ['T1', null],
    ]);
    // The higher court looks at one of its courts.
    expect((await figureOf(higher, 'accepted', { court: other.courtId })).total).toEqual([1, 0]);
    expect((await caught(svc.dashboard(basic, { ...PERIOD, court: other.courtId }))).code).toBe('not_found');
    expect((await caught(svc.dashboard(stranger, { ...PERIOD, court: basic.courtId }))).code).toBe(
      'not_found',
    );
    expect(await drilled(higher, { indicator: 'accepted', part: 'num' })).toEqual(['G', 'H', 'K']);
    expect(await drilled(stranger, { indicator: 'accepted', part: 'num' })).toEqual(['Z']);
  });

  it('the platform reads every court; anyone else is refused', async () => {
    const d = await svc.dashboard(admin, PERIOD);
    expect(d.view).toBeNull();
    expect(d.courts.map((c) => c.code)).toEqual(
      expect.arrayContaining(['T1', 'T101', 'T102', 'T901', '青0104']),
    );
    expect(d.indicators.find((i) => i.key === 'accepted')!.total.num).toBe(4);
    expect((await caught(svc.dashboard(bidder, PERIOD))).code).toBe('forbidden');
  });

  it('a bad period is a validation error', async () => {
    const e = await caught(svc.dashboard(basic, { from: '2026-03', to: '2026-01' }));
    expect(e.code).toBe('validation');
  });
});
