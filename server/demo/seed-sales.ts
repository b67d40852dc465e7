import { eq, sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.js';
import { users } from '../../db/schema/identity.js';
import { balances, payments } from '../../db/schema/payments.js';
import { sales } from '../../db/schema/sales.js';
import type { Config } from '../config.js';
import type { Actor } from '../identity/permissions.js';
import { createJobRunner } from '../jobs/runner.js';
import type { Logger } from '../logger.js';
import { createServices } from '../services.js';
import { gradientPng } from './png.js';

/** The step each demo sale is left at, and when (in days of the active profile before now) it got there. */
const PLAN = [
  { step: 'ruling due', buyer: 'bidder', paid: 2 },
  { step: 'ruling overdue', buyer: 'bidder2', paid: 12 },
  { step: 'eligibility to re-check', buyer: 'bidder2', paid: 1, restricted: true },
  { step: 'ruling issued', buyer: 'bidder', paid: 6, ruled: 1 },
  { step: 'served', buyer: 'bidder2', paid: 9, ruled: 5, served: 4 },
  { step: 'handover scheduled', buyer: 'bidder', paid: 14, ruled: 8, served: 7, scheduled: 6, forIn: 3 },
  {
    step: 'handed over',
    buyer: 'bidder2',
    paid: 30,
    ruled: 25,
    served: 24,
    scheduled: 23,
    forIn: -21,
    done: 20,
  },
  {
    step: 'obstructed',
    buyer: 'bidder',
    paid: 25,
    ruled: 22,
    served: 21,
    scheduled: 20,
    forIn: -18,
    obstructed: 18,
  },
] as const;

const VEHICLES = [
  ['小型轿车一辆（青A·S8801）', '2019 年登记，行驶里程约 6 万公里。', '86000'],
  ['小型越野客车一辆（青A·S8802）', '2018 年登记，手续齐全。', '128000'],
  ['住宅一套（城西区文汇路 12 号 3 单元 402 室）', '建筑面积 89.5 平方米，两室一厅。', '920000'],
  ['轻型厢式货车一辆（青A·S8804）', '2020 年登记，车况良好。', '64000'],
  ['挖掘机一台（卡特 320）', '2017 年购置，工作小时约 9,000。', '310000'],
  ['商铺一间（城西区西关大街 88 号）', '建筑面积 42.3 平方米，临街。', '760000'],
  ['小型轿车一辆（青A·S8807）', '2016 年登记，行驶里程约 14 万公里。', '42000'],
  [
    '住宅一套（城西区黄河路 6 号 1 单元 1201 室）',
    '建筑面积 118.2 平方米，三室两厅，现由原业主居住。',
    '1350000',
  ],
] as const;

const yuan = (fen: bigint) => `${fen / 100n}.${(fen % 100n).toString().padStart(2, '0')}`;

/**
 * Demo sales at every step after full payment (ADR 014): the ruling due, overdue, a restricted
 * listing awaiting the eligibility re-check, the ruling issued, served, the handover scheduled,
 * done and obstructed. Each is a real auction of the demo court, won by a demo bidder who paid
 * the deposit and the balance by bank transfer (recorded by the clerk, confirmed by the panel:
 * no card gateway needed), then taken through the court's steps, all through the services with
 * the clock moved through the past. Runs once (skipped when a sale exists).
 */
export async function seedDemoSales({
  db,
  config,
  logger,
}: {
  db: DbHandle;
  config: Config;
  logger: Logger;
}) {
  const [existing] = await db.db.select({ n: sql<number>`count(*)::int` }).from(sales);
  if ((existing?.n ?? 0) > 0) return 0;
  const people = await db.db.select().from(users);
  const user = (email: string) => people.find((u) => u.email === `${email}@demo.lastmile.test`);
  if (!user('clerk') || !user('panel') || !user('bidder') || !user('bidder2')) return 0;
  const started = performance.now();

  const realNow = Date.now();
  let now = realNow;
  const clock = () => new Date(now);
  const services = createServices({ db, config, clock, logger });
  const runner = createJobRunner({ db: db.db, clock, logger, handlers: services.jobHandlers });
  const runUntil = async (ms: number) => {
    now = ms;
    while ((await runner.runDue()) > 0);
  };
  const d = services.profile.durations;
  const DAY = d.day;
  const actor = (email: 'clerk' | 'panel' | 'bidder' | 'bidder2'): Actor => {
    const u = user(email)!;
    return {
      userId: u.id,
      sessionId: 'seed',
      roles: u.roles,
      organisationId: u.organisationId,
      orgKind: u.organisationId ? 'court' : null,
    };
  };
  const clerk = actor('clerk');
  const panel = actor('panel');
  const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
  let transfers = 0;

  /** The buyer pays by bank transfer; the clerk records it from the statement, the panel confirms it. */
  async function payByTransfer(buyer: Actor, target: 'deposit' | 'balance', id: string) {
    const started = await services.payments.startPayment(buyer, { target, id, method: 'bank_transfer' });
    const [p] = await db.db.select().from(payments).where(eq(payments.id, started.paymentId));
    const t = await services.payments.recordTransfer(clerk, {
      reference: p!.reference!,
      amount: yuan(p!.amountFen),
      bankReference: `DEMO-SALE-${realNow}-${++transfers}`,
      receivedOn: day(now),
    });
    await services.payments.decideTransfer(panel, t.id, { decision: 'confirm' });
  }

  for (const [i, plan] of PLAN.entries()) {
    const [title, description, appraisal] = VEHICLES[i]!;
    const buyer = actor(plan.buyer);
    const paidAt = realNow - plan.paid * DAY;
    // The hammer two days before full payment; bidding and the announcement before it (art. 12, 20).
    const endsAt = paidAt - 2 * DAY;
    const startsAt = endsAt - d.biddingWindowMin;
    const property = title.startsWith('住宅') || title.startsWith('商铺');
    const announceAt = startsAt - (property ? d.announceLeadProperty : d.announceLeadMovable) - 60_000;
    now = announceAt;
    const c = await services.cases.createCase(clerk, {
      caseNumber: `(2026)青0104执${901 + i}号`,
      basis: `(2025)青0104民初${501 + i}号民事判决书`,
      amountOwed: String(Number(appraisal) * 1.5),
      parties: [
        {
          role: 'applicant',
          kind: 'company',
          name: '青海某农村商业银行股份有限公司',
          claim: String(Number(appraisal) * 1.5),
        },
        {
          role: 'respondent',
          kind: 'person',
          name: `被执行人${21 + i}`,
          idNumberMasked: '630***********5678',
        },
      ],
    });
    const asset = await services.cases.createAsset(clerk, c.id, {
      type: property
        ? title.startsWith('住宅')
          ? 'residential'
          : 'commercial'
        : i === 4
          ? 'machinery'
          : 'vehicle',
      title,
      province: '青海省',
      city: '西宁市',
      district: '城西区',
      address: property
        ? title.slice(title.indexOf('（') + 1, -1).replace(/^城西区/, '')
        : '胜利路 9 号（本院停车场）',
      description,
      encumbrances: property
        ? [
            { kind: 'mortgage', description: '抵押权人：某银行西宁分行，债权数额 50 万元' },
            ...(i === 7 ? [{ kind: 'occupancy' as const, description: '原业主及其家属居住' }] : []),
          ]
        : [],
      appraisal,
      appraisalBasis: 'appraisal_report',
      appraisalDate: day(announceAt - 30 * DAY),
    });
    await services.cases.attachFile(clerk, asset.id, {
      kind: 'photo',
      filename: `sale-${i + 1}.png`,
      bytes: gradientPng(320, 200, [60 + i * 20, 90, 140 - i * 10], [246, 247, 249]),
    });
    const start = BigInt(Math.round(Number(appraisal) * 0.7)) * 100n;
    const draft = await services.listings.createDraft(clerk, asset.id, {
      startingPrice: yuan(start),
      deposit: yuan(start / 10n),
      increment: yuan(start / 100n),
      announceAt: new Date(announceAt).toISOString(),
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      balanceDays: 15,
      specialNotices: '标的物按现状拍卖，竞买人参与竞价即视为认可标的物现状及瑕疵。',
      taxes: '过户涉及的税费按照法律规定由买卖双方各自承担。',
      taxPayer: 'each_by_law',
      viewing: '请于工作日致电预约看样。',
      contact: '王书记员 0971-6100000',
      supervisionLine: '0971-6100001',
      purchaseRestricted: 'restricted' in plan,
    });
    await services.listings.submit(clerk, draft.id);
    await services.listings.approve(panel, draft.id);

    // The buyer registers and pays the deposit while it is announced, bids once when it is live
    // (half way through the window: under a large acceleration factor the window is milliseconds).
    const reg = await services.registrations.register(buyer, draft.id, {
      acceptNotices: true,
      promiseEligibility: true,
    });
    await payByTransfer(buyer, 'deposit', reg.deposit.id);
    await runUntil(startsAt);
    now = startsAt + Math.floor(d.biddingWindowMin / 2);
    await services.bidding.placeBid(buyer, draft.id, {
      amountFen: start.toString(),
      clientKey: `demo-sale-${i}-${realNow}`,
    });
    await runUntil(endsAt);
    now = paidAt;
    const [b] = await db.db.select().from(balances).where(eq(balances.listingId, draft.id));
    await payByTransfer(buyer, 'balance', b!.id);

    if ('ruled' in plan) {
      now = realNow - plan.ruled * DAY;
      await services.sales.issueRuling(panel, draft.id);
    }
    if ('served' in plan) {
      now = realNow - plan.served * DAY;
      await services.sales.recordService(clerk, draft.id, { servedOn: day(now) });
    }
    if ('scheduled' in plan) {
      now = realNow - plan.scheduled * DAY;
      await services.sales.scheduleHandover(clerk, draft.id, {
        scheduledFor: new Date(realNow + plan.forIn * DAY).toISOString(),
        place: property
          ? `${title.slice(title.indexOf('（') + 1, -1)}（标的现场）`
          : '西宁市城西区人民法院停车场',
      });
    }
    if ('done' in plan) {
      now = realNow - plan.done * DAY;
      await services.sales.recordHandover(clerk, draft.id, {
        handedOverOn: day(now),
        note: '钥匙及相关证照已当场交付买受人。',
      });
    }
    if ('obstructed' in plan) {
      now = realNow - plan.obstructed * DAY;
      await services.sales.recordObstruction(clerk, draft.id, {
        reason: '原业主及其家属拒不迁出，本院将依法采取强制措施后另行安排交付。',
      });
    }
  }
  // The deadlines that have passed since (the overdue ruling, the obstructed handover) are marked now.
  await runUntil(realNow);
  logger.info({ ms: Math.round(performance.now() - started) }, 'demo sales seeded');
  return PLAN.length;
}
