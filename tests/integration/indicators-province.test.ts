/**
 * The seeded province (issue 17 part 6, ADR 018): the dashboard of 青 over its courts shows the
 * report's figures, computed by SQL over the case rows; this test recomputes every one of them a
 * second, plain way (every row read into JS and counted) and compares, and checks that each
 * figure's drill-down lists as many cases as the figure counts.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoAccounts } from '../../server/demo/seed-accounts';
import { seedDemoAid } from '../../server/demo/seed-aid';
import { PROVINCE, seedProvinceHistory } from '../../server/demo/seed-province';
import type { Actor } from '../../server/identity/permissions';
import { PAGE_SIZE } from '../../server/indicators/drilldown';
import { createIndicatorService } from '../../server/indicators/service';
import { createLogger } from '../../server/logger';
import { actorFor, courtStaff } from '../support/court';
import { createTestDatabase } from '../support/db';
import { buildServices, testConfig } from '../support/fixtures';

const config = testConfig();
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let svc: ReturnType<typeof createIndicatorService>;
let high: Actor;
let admin: Actor;
const thisYear = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
const PERIOD = { from: `${thisYear - 4}-01`, to: `${thisYear - 1}-12`, window: 48 };
const W = { start: `${thisYear - 4}-01-01`, end: `${thisYear - 1}-12-31` };

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
  const logger = createLogger(config);
  await seedDemoAid({ db, config, logger });
  const ms = await seedProvinceHistory({ db, logger });
  expect(ms).toBeGreaterThan(0);
  // A second run adds nothing.
  expect(await seedProvinceHistory({ db, logger })).toBe(0);
  const services = buildServices(db, { config });
  svc = createIndicatorService({ db: db.db, clock: () => new Date() });
  high = await courtStaff(db.db, { code: '青', parentCode: '青' });
  admin = await actorFor(services, 'admin@demo.lastmile.test');
}, 120_000);
afterAll(() => db.drop());

type Row = {
  id: string;
  case_type: string;
  filed_on: string;
  closed_on: string | null;
  closure_mode: string | null;
  property_found: boolean;
  within_limit: boolean | null;
  zhongben_qualified: boolean | null;
  recovered_fen: string | null;
  due_on: string | null;
};

describe('the seeded province', () => {
  it('shows the report’s figures, and a plain recount of the rows agrees', async () => {
    const d = await svc.dashboard(high, PERIOD);
    const f = (k: string) => d.indicators.find((i) => i.key === k)!.total;
    const pct = (v: number | null) => (v === null ? null : (v * 100).toFixed(2));

    // The report (domain note "The seed's own figures").
    expect(f('accepted').num).toBe(85_673);
    expect(f('closed').num).toBe(81_879);
    expect(pct(f('within_limit').value)).toBe('98.22');
    expect(pct(f('zhongben_qualified').value)).toBe('100.00');
    expect(pct(f('complaints_settled').value)).toBe('100.00');
    expect(f('complaints_settled').den).toBe(PROVINCE.complaints);
    expect(pct(f('closure_rate').value)).toBe('94.98');
    expect(pct(f('overall_closure').value)).toBe('94.98');
    for (const k of ['within_limit', 'zhongben_qualified', 'complaints_settled', 'overall_closure'])
      expect(f(k).light).toBe('green');

    // The same figures, recounted plainly from every row of the province's courts.
    const rows = await db.db.execute<Row>(sql`
      select c.id, c.case_type, to_char(c.filed_on, 'YYYY-MM-DD') as filed_on, to_char(c.closed_on, 'YYYY-MM-DD') as closed_on,
        c.closure_mode, c.property_found, c.within_limit, c.zhongben_qualified, c.recovered_fen::text, to_char(c.due_on, 'YYYY-MM-DD') as due_on
      from cases c join organisations o on o.id = c.court_id where o.code like '青%'`);
    const today = d.today;
    const inW = (x: string | null) => x !== null && x >= W.start && x <= W.end;
    const counted = rows.filter((r) => r.case_type === 'first' || r.case_type === 'resumed');
    const accepted = counted.filter((r) => inW(r.filed_on));
    const closed = counted.filter((r) => inW(r.closed_on));
    const carried = counted.filter(
      (r) => r.filed_on < W.start && (r.closed_on === null || r.closed_on >= W.start),
    );
    const actual = ['fully_performed', 'settlement_performed', 'terminated', 'terminated_for_now'];
    const cohort = accepted.filter(
      (r) => r.closed_on !== null && r.closed_on <= W.end && actual.includes(r.closure_mode!),
    );
    const wlClosed = rows.filter(
      (r) =>
        r.case_type === 'first' &&
        r.property_found &&
        inW(r.closed_on) &&
        (['fully_performed', 'settlement_performed'].includes(r.closure_mode!) ||
          (r.closure_mode === 'terminated' && BigInt(r.recovered_fen ?? 0) > 0n)),
    );
    const wlOpenDue = rows.filter(
      (r) =>
        r.case_type === 'first' &&
        r.property_found &&
        r.closure_mode === null &&
        inW(r.due_on) &&
        r.due_on! < today,
    );
    const zhongben = closed.filter((r) => r.closure_mode === 'terminated_for_now');
    expect(accepted.length).toBe(f('accepted').num);
    expect(closed.length).toBe(f('closed').num);
    expect([closed.length, carried.length + accepted.length]).toEqual([
      f('closure_rate').num,
      f('closure_rate').den,
    ]);
    expect(carried.length).toBe(PROVINCE.carriedOver);
    expect([cohort.length, accepted.length]).toEqual([f('overall_closure').num, f('overall_closure').den]);
    expect([wlClosed.filter((r) => r.within_limit).length, wlClosed.length + wlOpenDue.length]).toEqual([
      f('within_limit').num,
      f('within_limit').den,
    ]);
    expect([zhongben.filter((r) => r.zhongben_qualified).length, zhongben.length]).toEqual([
      f('zhongben_qualified').num,
      f('zhongben_qualified').den,
    ]);
    // The aid history's 573 paid (and 64 refused) cases are real 终本 cases among them.
    const [aid] = await db.db.execute<{ n: number }>(sql`
      select count(distinct a.case_id)::int as n from aid_claims a join cases c on c.id = a.case_id
      where c.closure_mode = 'terminated_for_now' and c.zhongben_qualified and a.status in ('paid', 'closed')
        and c.closed_on <= (a.created_at at time zone 'Asia/Shanghai')::date`);
    expect(aid!.n).toBe(573);
  });

  it('each figure’s drill-down lists as many cases as it counts', async () => {
    const d = await svc.dashboard(high, PERIOD);
    for (const key of [
      'accepted',
      'closed',
      'within_limit',
      'zhongben_qualified',
      'overall_closure',
      'closure_rate',
    ]) {
      const f = d.indicators.find((i) => i.key === key)!.total;
      const num = await svc.drillDown(high, { ...PERIOD, indicator: key, part: 'num' });
      expect(num.total, key).toBe(f.num);
      if (f.den > 0) {
        const den = await svc.drillDown(high, { ...PERIOD, indicator: key, part: 'den' });
        expect(den.total, key).toBe(f.den);
      }
    }
  });

  it('a drill-down’s pages are the slices of its whole list, where a filing day spans two pages', async () => {
    const q = { ...PERIOD, indicator: 'zhongben_qualified', part: 'den' };
    const all = (await svc.drillDown(high, q, { all: true })).rows;
    // A page that begins on the day the page before ends (about 20 such closures are filed a day).
    const tied = all.findIndex(
      (r, i) => i > 0 && i % PAGE_SIZE === 0 && r.cells.filedOn === all[i - 1]!.cells.filedOn,
    );
    expect(tied).toBeGreaterThan(0);
    const pages = [1, tied / PAGE_SIZE, tied / PAGE_SIZE + 1, Math.ceil(all.length / PAGE_SIZE)];
    for (const page of pages) {
      const r = await svc.drillDown(high, { ...q, page });
      expect(
        r.rows.map((x) => x.id),
        `page ${page}`,
      ).toEqual(all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((x) => x.id));
    }
  });

  it('ranks the province’s courts, and the platform sees the same province', async () => {
    const d = await svc.dashboard(high, PERIOD);
    expect(d.ranking.filter((r) => r.rank !== null).length).toBeGreaterThanOrEqual(8);
    expect(d.courtsReaching.share).toBe(1);
    const p = await svc.dashboard(admin, PERIOD);
    expect(p.indicators.find((i) => i.key === 'accepted')!.total.num).toBe(85_673);
  });
});
