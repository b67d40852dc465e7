import { eq, sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.js';
import { listings } from '../../db/schema/auctions.js';
import { users } from '../../db/schema/identity.js';
import type { Config } from '../config.js';
import { withCreditCheckCharacter } from '../identity/credit-code.js';
import { withCheckCharacter } from '../identity/national-id.js';
import type { Actor } from '../identity/permissions.js';
import { createJobRunner } from '../jobs/runner.js';
import type { Logger } from '../logger.js';
import { createServices } from '../services.js';
import { textPdf } from './pdf.js';
import { gradientPng } from './png.js';

/**
 * Demo auctions in every state a listing can be in before bidding exists: draft, awaiting
 * approval, announced, live, suspended, withdrawn, ended without a bid, a re-auction and a
 * fixed-price sale. Made through the real services with a clock moved through the past, so
 * every rule and transition is the production one. Runs once (skipped when listings exist).
 */
export async function seedDemoAuctions({
  db,
  config,
  logger,
}: {
  db: DbHandle;
  config: Config;
  logger: Logger;
}) {
  const [existing] = await db.db.select({ n: sql<number>`count(*)::int` }).from(listings);
  if ((existing?.n ?? 0) > 0) return 0;

  const realNow = Date.now();
  let now = realNow;
  const clock = () => new Date(now);
  const services = createServices({ db, config, clock, logger });
  const runner = createJobRunner({ db: db.db, clock, logger, handlers: services.jobHandlers });
  const d = services.profile.durations;
  // An hour and a day of the active rules profile (accelerated demos shrink them too).
  const HOUR = d.biddingWindowMin / 24;
  const DAY = d.biddingWindowMin;
  const actor = async (email: string): Promise<Actor> => {
    const [u] = await db.db.select().from(users).where(eq(users.email, email));
    const user = await services.identity.loadCurrentUser(u!.id);
    return {
      userId: user!.id,
      sessionId: 'seed',
      roles: user!.roles,
      organisationId: user!.organisationId,
      orgKind: 'court',
    };
  };
  const clerk = await actor('clerk@demo.lastmile.test');
  const panel = await actor('panel@demo.lastmile.test');
  const xining = await actor('clerk.xining@demo.lastmile.test');
  const xiningPanel = await actor('panel.xining@demo.lastmile.test');
  let serial = 0;
  const iso = (ms: number) => new Date(ms).toISOString();

  async function asset(by: Actor, code: string, a: Record<string, unknown>) {
    serial += 1;
    const c = await services.cases.createCase(by, {
      caseNumber: `(2026)${code}执${800 + serial}号`,
      basis: `(2025)${code}民初${300 + serial}号民事判决书`,
      amountOwed: String(Number(a.appraisal) * 1.2),
      parties: [
        {
          role: 'applicant',
          kind: 'company',
          name: '青海某农村商业银行股份有限公司',
          claim: String(Number(a.appraisal) * 1.2),
        },
        {
          role: 'respondent',
          kind: 'person',
          name: `被执行人${serial}`,
          idNumberMasked: '630***********1234',
        },
      ],
    });
    const row = await services.cases.createAsset(by, c.id, {
      province: '青海省',
      city: '西宁市',
      appraisalBasis: 'appraisal_report',
      appraisalDate: '2026-01-10',
      encumbrances: [],
      ...a,
    });
    const palette: Array<[number, number, number]> = [
      [164, 22, 26],
      [26, 95, 180],
      [27, 127, 59],
      [138, 90, 0],
    ];
    await services.cases.attachFile(by, row.id, {
      kind: 'photo',
      filename: `photo-${serial}.png`,
      bytes: gradientPng(320, 200, palette[serial % 4]!, [246, 247, 249]),
    });
    kinds.set(row.id, String(a.type));
    return row;
  }

  /**
   * Plausible disclosure by kind of asset (ADR 029): who occupies it, its arrears, loan support,
   * and a viewing two days after the announcement (art. 7(2)).
   */
  const kinds = new Map<string, string>();
  const DISCLOSURE: Record<string, Record<string, unknown>> = {
    residential: {
      occupancy: 'tenant',
      leaseEndsOn: '2027-03-31',
      monthlyRent: '2200',
      arrears: [
        { kind: 'property_fees', description: '2024 年 7 月至今物业费', amount: '4380', payer: 'buyer' },
        { kind: 'utilities', description: '水费、燃气费', amount: '615.40', payer: 'proceeds' },
      ],
      loanSupported: 'yes',
    },
    commercial: {
      occupancy: 'vacant',
      arrears: [{ kind: 'property_fees', description: '2025 年度物业费', amount: '6900', payer: 'proceeds' }],
      loanSupported: 'yes',
    },
    vehicle: {
      occupancy: 'other',
      occupancyNote: '车辆停放于本院停车场，钥匙及行驶证由本院保管。',
      arrears: [{ kind: 'other', description: '未处理交通违章罚款', amount: '1200', payer: 'buyer' }],
      loanSupported: 'no',
    },
    machinery: {
      occupancy: 'other',
      occupancyNote: '设备存放于被执行人厂房内，已查封。',
      arrears: [],
      loanSupported: 'no',
    },
    land_use_right: { occupancy: 'vacant', arrears: [], loanSupported: 'yes' },
    equity: {
      occupancy: 'other',
      occupancyNote: '股权拍卖，不涉及实物占有。',
      arrears: [],
      loanSupported: 'no',
    },
  };
  const VIEWING_PLACE: Record<string, string> = {
    vehicle: '西宁市城西区人民法院停车场',
    equity: '本院执行局第三会议室（查阅公司资料）',
  };

  /** Drafts, submits and approves a listing announced at `announceAt` (the clock is moved there). */
  async function publish(
    by: Actor,
    assetId: string,
    announceAt: number,
    terms: Record<string, unknown>,
    approver = panel,
  ) {
    now = announceAt;
    const draft = await services.listings.createDraft(by, assetId, {
      ...baseTerms,
      announceAt: iso(announceAt),
      ...terms,
    });
    const kind = kinds.get(assetId) ?? 'residential';
    await services.listings.saveDisclosure(by, draft.id, DISCLOSURE[kind]!);
    await services.listings.offerViewingSlot(by, draft.id, {
      startsAt: iso(announceAt + 2 * DAY),
      endsAt: iso(announceAt + 2 * DAY + 2 * HOUR),
      place: VIEWING_PLACE[kind] ?? '标的物所在地小区正门',
      capacity: '10',
    });
    await services.listings.submit(by, draft.id);
    if (approver) await services.listings.approve(approver, draft.id);
    return draft;
  }
  const runUntil = async (ms: number) => {
    now = ms;
    let ran = 1;
    while (ran > 0) ran = await runner.runDue();
  };

  const baseTerms = {
    balanceDays: 15,
    specialNotices:
      '1. 标的物按现状拍卖，竞买人参与竞价即视为认可标的物现状及瑕疵。\n2. 委托他人竞买的，须在竞价开始前经法院确认。\n3. 竞价成功后，平台将公示网络竞价成功确认书（含买受人姓名及成交价）。\n4. 买受人悔拍的，保证金不予退还。',
    taxes: '过户涉及的税费按照法律规定由买卖双方各自承担。',
    taxPayer: 'each_by_law',
    viewing: '请于工作日致电预约看样。',
    contact: '王书记员 0971-6100000',
    supervisionLine: '0971-6100001',
  };
  const lead = d.announceLeadProperty;
  const window = d.biddingWindowMin;

  // Ended without a bid, then re-auctioned (round 2, 20% lower, announced now).
  const t0 = realNow - lead - window - 2 * DAY;
  const flat = await asset(clerk, '青0104', {
    type: 'residential',
    title: '西宁市城西区胜利路某小区 5 号楼 1 单元 602 室住宅',
    district: '城西区',
    address: '胜利路 18 号',
    description: '建筑面积 112.4 平方米，三室两厅一厨两卫，2012 年竣工，钢混结构。',
    knownDefects: '卫生间防水层老化。',
    encumbrances: [{ kind: 'mortgage', description: '抵押权人：某银行西宁分行' }],
    appraisal: '1200000',
  });
  const r1 = await publish(clerk, flat.id, t0, {
    startingPrice: '840000',
    deposit: '84000',
    increment: '8000',
    startsAt: iso(t0 + lead),
    endsAt: iso(t0 + lead + window),
    purchaseRestricted: true,
    // A co-owner designated by a resident ID no demo account has (art. 19, 21).
    priorityPurchasers: [
      {
        name: '刘某某',
        rank: 1,
        rightKind: 'co_owner',
        identityKind: 'person',
        idNumber: withCheckCharacter('63010319700521402'),
      },
    ],
  });
  await runUntil(t0 + lead + window);
  const rNow = realNow;
  await publish(clerk, flat.id, rNow, {
    startingPrice: '672000',
    deposit: '67200',
    increment: '6700',
    startsAt: iso(rNow + d.reauctionLeadProperty + DAY),
    endsAt: iso(rNow + d.reauctionLeadProperty + DAY + window),
  });
  void r1;

  // A fixed-price sale after two failed auctions of a vehicle.
  const v0 = realNow - d.announceLeadMovable - d.reauctionLeadMovable - 2 * window - 3 * DAY;
  const truck = await asset(clerk, '青0104', {
    type: 'vehicle',
    title: '重型厢式货车一辆（青A·D1234）',
    district: '城西区',
    address: '西宁市城西区法院停车场',
    description: '2019 年登记，行驶里程约 28 万公里，手续齐全。',
    appraisal: '150000',
  });
  await publish(clerk, truck.id, v0, {
    startingPrice: '105000',
    deposit: '10500',
    increment: '2100',
    startsAt: iso(v0 + d.announceLeadMovable),
    endsAt: iso(v0 + d.announceLeadMovable + window),
  });
  const v1 = v0 + d.announceLeadMovable + window;
  await runUntil(v1);
  await publish(clerk, truck.id, v1 + HOUR, {
    startingPrice: '84000',
    deposit: '8400',
    increment: '1700',
    startsAt: iso(v1 + HOUR + d.reauctionLeadMovable),
    endsAt: iso(v1 + HOUR + d.reauctionLeadMovable + window),
  });
  const v2 = v1 + HOUR + d.reauctionLeadMovable + window;
  await runUntil(v2);
  await publish(clerk, truck.id, v2 + HOUR, {
    startingPrice: '84000',
    deposit: '84000',
    increment: '1700',
    startsAt: iso(v2 + HOUR),
    endsAt: iso(v2 + HOUR + d.fixedSaleWindow),
  });

  // Live now.
  const shopAnnounced = realNow - lead - 2 * HOUR;
  const shop = await asset(clerk, '青0104', {
    type: 'commercial',
    title: '西宁市城西区五四大街临街商铺（一层）',
    district: '城西区',
    address: '五四大街 56 号',
    description: '建筑面积 86.2 平方米，临街一层，现空置。',
    encumbrances: [{ kind: 'lease', description: '租赁合同已于 2025 年到期' }],
    appraisal: '2300000',
  });
  // The live shop shows a gallery and a document near the top of its page (issue 21).
  for (const [n, colour] of [
    [2, [26, 95, 180]],
    [3, [27, 127, 59]],
  ] as const)
    await services.cases.attachFile(clerk, shop.id, {
      kind: 'photo',
      filename: `shop-${n}.png`,
      bytes: gradientPng(320, 200, [...colour], [246, 247, 249]),
    });
  await services.cases.attachFile(clerk, shop.id, {
    kind: 'appraisal_report',
    filename: 'appraisal-report.pdf',
    bytes: textPdf([
      'Appraisal report (demo)',
      'Shop, 56 Wusi Street, Xining',
      'Appraised value: CNY 2,300,000',
    ]),
  });
  const shopListing = await publish(clerk, shop.id, shopAnnounced, {
    startingPrice: '1610000',
    deposit: '161000',
    increment: '8000',
    startsAt: iso(shopAnnounced + lead),
    endsAt: iso(shopAnnounced + lead + window + 6 * HOUR),
  });

  // Upcoming (announced), at two courts.
  const upcoming = [
    [
      clerk,
      '青0104',
      {
        type: 'machinery',
        title: '数控机床三台（含配套设备）',
        address: '城西区海晏路 9 号厂房',
        description: '2018 年购置，能正常运行。',
        appraisal: '360000',
      },
      d.announceLeadMovable,
    ],
    [
      xining,
      '青01',
      {
        type: 'land_use_right',
        title: '湟中区工业园国有建设用地使用权',
        address: '湟中区工业园 3 号地块',
        description: '面积 12,000 平方米，工业用地，剩余年限 38 年。',
        appraisal: '9800000',
      },
      lead,
    ],
    [
      xining,
      '青01',
      {
        type: 'equity',
        title: '青海某某科技有限公司 35% 股权',
        address: '城东区八一路 100 号',
        description: '注册资本 1,000 万元。',
        appraisal: '4200000',
      },
      lead,
    ],
  ] as const;
  for (const [by, code, a, l] of upcoming) {
    const row = await asset(by, code, a);
    const start = Number(a.appraisal) * 0.75;
    await publish(
      by,
      row.id,
      realNow,
      {
        startingPrice: String(start),
        deposit: String(Math.round(start * 0.1)),
        increment: String(Math.max(100, Math.round(start * 0.01))),
        startsAt: iso(realNow + l + DAY),
        endsAt: iso(realNow + l + DAY + window),
        priorityPurchasers:
          a.type === 'equity'
            ? [
                {
                  name: '青海某投资有限公司',
                  rank: 1,
                  rightKind: 'shareholder',
                  identityKind: 'organisation',
                  idNumber: withCreditCheckCharacter('91630100MA752K8Q1'),
                },
              ]
            : [],
      },
      by === xining ? xiningPanel : panel,
    );
  }

  // Suspended and withdrawn, and two still inside the court (draft, awaiting approval).
  for (const [title, then] of [
    ['城西区某小区地下车位 A-108', 'suspend'],
    ['城西区某写字楼 12 层办公用房', 'withdraw'],
    ['城西区某小区 2 号楼 301 室住宅', 'draft'],
    ['城西区某小区 7 号楼 1102 室住宅', 'pending'],
  ] as const) {
    const row = await asset(clerk, '青0104', {
      type: 'residential',
      title,
      district: '城西区',
      address: '西关大街 20 号',
      description: '详见评估报告。',
      appraisal: '500000',
    });
    now = realNow;
    const terms = {
      ...baseTerms,
      startingPrice: '350000',
      deposit: '35000',
      increment: '3500',
      announceAt: iso(realNow),
      startsAt: iso(realNow + lead + 2 * DAY),
      endsAt: iso(realNow + lead + 2 * DAY + window),
    };
    const l = await services.listings.createDraft(clerk, row.id, terms);
    if (then === 'draft') continue;
    await services.listings.submit(clerk, l.id);
    if (then === 'pending') continue;
    await services.listings.approve(panel, l.id);
    if (then === 'suspend')
      await services.listings.suspend(clerk, l.id, { reason: '案外人提出执行异议，本院决定暂缓拍卖。' });
    else await services.listings.withdraw(clerk, l.id, { reason: '被执行人已履行全部义务，本院撤回拍卖。' });
  }

  await runUntil(realNow);

  // The demo bidder has registered for the live shop and holds its deposit (simulated card), so
  // "my payments" and the bidder code show something on first start.
  const [bidderRow] = await db.db.select().from(users).where(eq(users.email, 'bidder@demo.lastmile.test'));
  if (bidderRow && services.localGateway) {
    const bidder: Actor = {
      userId: bidderRow.id,
      sessionId: 'seed',
      roles: bidderRow.roles,
      organisationId: null,
      orgKind: null,
    };
    const reg = await services.registrations.register(bidder, shopListing.id, { acceptNotices: true });
    const started = await services.payments.startPayment(bidder, {
      target: 'deposit',
      id: reg.deposit.id,
      method: 'card',
    });
    if (started.redirectUrl)
      await services.localGateway.decide(started.redirectUrl.split('/').pop()!, 'approve');
  }
  const [after] = await db.db.select({ n: sql<number>`count(*)::int` }).from(listings);
  return after?.n ?? 0;
}
