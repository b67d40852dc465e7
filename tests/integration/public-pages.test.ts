import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loader as searchLoader } from '../../app/routes/auctions._index';
import { loader as auctionLoader } from '../../app/routes/auctions.$listingId';
import { loader as calendarLoader } from '../../app/routes/calendar';
import { loader as courtLoader } from '../../app/routes/courts.$code';
import { formatDateTime } from '../../app/utils/format';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../server/demo/seed-accounts';
import { createJobRunner } from '../../server/jobs/runner';
import { createLogger } from '../../server/logger';
import { createTestDatabase } from '../support/db';
import { buildServices, fakeClock, meta, testConfig } from '../support/fixtures';

// The public routes' loaders on a real database, with listings made the way a court makes them
// (case → asset → draft → submit → approve by another panel member), never by raw inserts.

const DAY = 86_400_000;
const config = testConfig();
// 02:00 UTC = 10:00 Beijing on 1 March 2026.
const time = fakeClock(new Date('2026-03-01T02:00:00Z'));
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let services: ReturnType<typeof buildServices>;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
  services = buildServices(db, { clock: time.clock, config });
});
afterAll(() => db.drop());

async function actorFor(email: string) {
  const r = await services.identity.login({ email, password: DEMO_PASSWORD }, meta);
  return (await services.identity.resolveSession(r.token))!.actor;
}

let serial = 0;
/** A published first auction of a ¥1,000,000 flat, bidding from `startsAt` for a day. */
async function publish(
  startsAt: Date,
  title = '西宁市城西区五四西路某小区 3 号楼 2 单元 501 室',
  { approve = true, announceAt = time.clock() } = {},
) {
  const clerk = await actorFor('clerk@demo.lastmile.test');
  const panel = await actorFor('panel@demo.lastmile.test');
  const c = await services.cases.createCase(clerk, {
    caseNumber: `(2019)青0104执${process.pid % 1000}${++serial}号`,
    basis: '(2025)青0104民初88号民事判决书',
    amountOwed: '1250000',
    parties: [
      { role: 'applicant', kind: 'person', name: '李四', claim: '1250000' },
      { role: 'respondent', kind: 'company', name: '青海某某商贸有限公司' },
    ],
  });
  const asset = await services.cases.createAsset(clerk, c.id, {
    type: 'residential',
    title,
    province: '青海省',
    city: '西宁市',
    district: '城西区',
    address: '五四西路 68 号',
    description: '建筑面积 98.6 平方米，三室两厅。',
    knownDefects: '厨房墙面有渗水痕迹。',
    encumbrances: [{ kind: 'mortgage', description: '抵押权人：某银行' }],
    appraisal: '1000000',
    appraisalBasis: 'appraisal_report',
    appraisalDate: '2026-01-15',
  });
  const draft = await services.listings.createDraft(clerk, asset.id, {
    startingPrice: '700000',
    deposit: '70000',
    increment: '7000',
    announceAt: announceAt.toISOString(),
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + DAY).toISOString(),
    balanceDays: '15',
    specialNotices: '按现状拍卖。\n竞买人参与竞价即视为认可标的物瑕疵。',
    taxes: '过户税费按法律规定各自承担。',
    taxPayer: 'each_by_law',
    viewing: '预约看样：0971-1234567',
    contact: '王书记员 0971-1234567',
    supervisionLine: '0971-7654321',
    purchaseRestricted: 'on',
    priorityPurchasers: [
      {
        name: '赵优先',
        rank: '1',
        rightKind: 'co_owner',
        identityKind: 'person',
        idNumber: '11010519491231002X',
      },
    ],
  });
  await services.listings.submit(clerk, draft.id);
  const listing = approve ? await services.listings.approve(panel, draft.id) : draft;
  return { clerk, panel, listing };
}

function context(): AppLoadContext {
  return {
    services,
    auth: null,
    csrfToken: 'token',
    nonce: 'nonce',
    locale: 'zh-CN',
    meta: { ...meta, requestId: 'test' },
    arrival: null,
    log: createLogger(config),
    cookieSecure: false,
    publicConfig: {
      rulesProfile: 'statutory',
      accelerationFactor: 1,
      simulatedPayments: true,
      stripePublishableKey: null,
    },
  };
}

const args = (path: string, params: Record<string, string> = {}) => ({
  request: new Request(`http://localhost${path}`),
  context: context(),
  params,
});

/** What a loader threw or returned with a status (Remix `data(value, { status })`). */
function statusOf(value: unknown): number | undefined {
  return (value as { init?: { status?: number } })?.init?.status;
}
async function thrownStatus(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
  } catch (e) {
    return statusOf(e);
  }
  throw new Error('expected the loader to throw');
}

// Bidding from 00:30 on 1 April in Beijing, which is still 31 March in UTC.
const APRIL_1_0030_BEIJING = new Date('2026-03-31T16:30:00Z');
let flat: Awaited<ReturnType<typeof publish>>;

beforeAll(async () => {
  flat = await publish(APRIL_1_0030_BEIJING);
});

describe('/auctions', () => {
  it('finds the published listing by the filters of the URL and shapes cards without bigints', async () => {
    const result = await searchLoader(
      args('/auctions?q=五四西路&type=residential&court=青0104&minPrice=700000&maxPrice=&status=upcoming'),
    );
    if (statusOf(result)) throw new Error('unexpected error answer');
    const { results, query, fieldErrors } = result as Exclude<typeof result, { init: unknown }>;
    expect(fieldErrors).toBeNull();
    expect(query).not.toHaveProperty('maxPrice'); // an empty field is no filter
    expect(results!.total).toBe(1);
    expect(results!.rows[0]).toMatchObject({
      id: flat.listing.id,
      publicStatus: 'upcoming',
      startingPriceFen: '70000000',
      depositFen: '7000000',
      court: { code: '青0104', nameZh: '西宁市城西区人民法院' },
    });
    const none = await searchLoader(args('/auctions?minPrice=700000.01'));
    expect((none as { results: { total: number } }).results.total).toBe(0);
  });

  it('answers a malformed query with 400 and field errors that are catalog keys', async () => {
    const result = await searchLoader(args('/auctions?minPrice=abc&type=castle&page=x'));
    expect(statusOf(result)).toBe(400);
    const { fieldErrors, results } = (result as unknown as { data: { fieldErrors: object; results: null } })
      .data;
    expect(results).toBeNull();
    expect(fieldErrors).toEqual({
      minPrice: ['validation.amount'],
      type: ['search.invalidValue'],
      page: ['search.invalidValue'],
    });
  });
});

describe('/auctions/:id', () => {
  it('shows the announcement, never who prepared it nor the priority purchasers’ names', async () => {
    const a = await auctionLoader(args(`/auctions/${flat.listing.id}`, { listingId: flat.listing.id }));
    expect(a.listing).toMatchObject({
      status: 'announced',
      publicStatus: 'upcoming',
      purchaseRestricted: true,
    });
    expect(a.purchasers).toEqual([{ rank: 1, rightKind: 'co_owner' }]);
    expect(a.asset.encumbrances).toEqual([{ kind: 'mortgage', description: '抵押权人：某银行' }]);
    expect(a.court.code).toBe('青0104');
    expect(a.timeline.map((x) => x.to)).toEqual(['announced']);
    expect(a.chain).toEqual([expect.objectContaining({ id: flat.listing.id, round: 1, current: true })]);
    expect(a.serverTime).toBe(time.clock().getTime());
    const json = JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    expect(json).not.toContain('赵优先');
    expect(json).not.toContain(flat.clerk.userId);
    expect(json).not.toContain(flat.panel.userId);
    expect(json).not.toContain('青海某某商贸有限公司');
    expect(json).not.toMatch(/\d+n"/); // no bigint left for the hydration payload
  });

  it('shows a suspension with its public reason, and an amendment with what it changed', async () => {
    const { clerk, listing } = await publish(new Date(time.clock().getTime() + 40 * DAY), '某小区 7 号车位');
    await services.listings.amend(clerk, listing.id, {
      text: '看样时间更正。',
      viewing: '每周三上午预约看样。',
    });
    await services.listings.suspend(clerk, listing.id, { reason: '案外人提出异议，法院审查中。' });
    const a = await auctionLoader(args(`/auctions/${listing.id}`, { listingId: listing.id }));
    expect(a.listing).toMatchObject({ status: 'suspended', publicReason: '案外人提出异议，法院审查中。' });
    expect(a.timeline.map((x) => [x.to, x.reason])).toEqual([
      ['announced', null],
      ['suspended', '案外人提出异议，法院审查中。'],
    ]);
    expect(a.amendments).toEqual([
      expect.objectContaining({
        text: '看样时间更正。',
        changes: [{ field: 'viewing', from: '预约看样：0971-1234567', to: '每周三上午预约看样。' }],
      }),
    ]);
  });

  it('is 404 for a malformed id, an unknown id, and a listing not yet published', async () => {
    expect(await thrownStatus(auctionLoader(args('/auctions/x', { listingId: 'x' })))).toBe(404);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await thrownStatus(auctionLoader(args(`/auctions/${unknown}`, { listingId: unknown })))).toBe(404);
    const { listing } = await publish(new Date(time.clock().getTime() + 40 * DAY), '待审批的车位', {
      approve: false,
    });
    expect(
      await thrownStatus(auctionLoader(args(`/auctions/${listing.id}`, { listingId: listing.id }))),
    ).toBe(404);
  });
});

describe('/calendar', () => {
  it('files a sale under its Beijing day and month, not its UTC one', async () => {
    const april = await calendarLoader(args('/calendar?month=2026-04'));
    expect(april.days.map((d) => d.day)).toContain('2026-04-01');
    const day = april.days.find((d) => d.day === '2026-04-01')!;
    expect(day.items.map((s) => s.id)).toContain(flat.listing.id);
    expect(april).toMatchObject({ month: '2026-04', previous: '2026-03', next: '2026-05' });

    const march = await calendarLoader(args('/calendar?month=2026-03'));
    expect(march.days.flatMap((d) => d.items).map((s) => s.id)).not.toContain(flat.listing.id);
  });

  it('refuses a month that is not one', async () => {
    for (const m of ['2026-13', '2026-4', 'april'])
      expect(await thrownStatus(calendarLoader(args(`/calendar?month=${m}`)))).toBe(400);
  });
});

describe('/courts/:code', () => {
  it('shows the court and its published auctions', async () => {
    const page = await courtLoader(args('/courts/%E9%9D%920104', { code: '青0104' }));
    expect(page.court).toMatchObject({ code: '青0104', courtLevel: 'basic' });
    expect(page.rows.map((r) => r.id)).toContain(flat.listing.id);
  });

  it('is 404 for an unknown code and for an organisation that is not a court', async () => {
    expect(await thrownStatus(courtLoader(args('/courts/x', { code: '不存在' })))).toBe(404);
    expect(await thrownStatus(courtLoader(args('/courts/lastmile', { code: 'lastmile' })))).toBe(404);
  });
});

// Issue 21, "Times disagree": the timeline said 发布拍卖公告 01:34 where the facts box said
// 公告发布时间 01:40 (the approval, before a scheduled publication), and 开始竞价 01:21 where it
// said 开拍时间 23:21 (when the start job ran, two hours late). Last in the file: it moves the clock.
describe('/auctions/:id timeline and facts box', () => {
  it('show the publication, the start and the end at the same moments', async () => {
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: createLogger(config),
      handlers: services.jobHandlers,
    });
    // Approved now, announced six minutes later, bidding 40 days on for a day.
    const approvedAt = time.clock().getTime();
    const startsAt = new Date(approvedAt + 40 * DAY);
    const { listing } = await publish(startsAt, '某小区 9 号车位', {
      announceAt: new Date(approvedAt + 6 * 60_000),
    });
    const page = async () => {
      const a = await auctionLoader(args(`/auctions/${listing.id}`, { listingId: listing.id }));
      const when = (to: string) =>
        a.timeline.filter((x) => x.to === to).map((x) => formatDateTime(x.at, 'zh-CN', true));
      return { a, when, facts: (at: Date | string | null) => formatDateTime(at!, 'zh-CN', true) };
    };
    time.advance(7 * 60_000);
    let p = await page();
    expect(p.when('announced')).toEqual([p.facts(p.a.listing.publishedAt)]);
    expect(new Date(p.a.listing.publishedAt!).getTime()).toBe(approvedAt + 6 * 60_000);

    // The start job runs two hours after the start (the server was down): the start is still the start.
    time.set(new Date(startsAt.getTime() + 2 * 3_600_000));
    await runner.runDue();
    p = await page();
    expect(p.a.listing.status).toBe('live');
    expect(p.when('live')).toEqual([p.facts(p.a.listing.startsAt)]);
    expect(p.when('live')).toEqual([formatDateTime(startsAt, 'zh-CN', true)]);

    // And the end is the end the facts box shows, not when the closing job ran.
    time.set(new Date(startsAt.getTime() + DAY + 3 * 60_000));
    await runner.runDue();
    p = await page();
    expect(p.a.listing.status).toBe('ended');
    expect(p.when('ended')).toEqual([p.facts(p.a.listing.endedAt)]);
    expect(p.a.timeline.map((x) => x.to)).toEqual(['announced', 'live', 'ended']);
  });
});
