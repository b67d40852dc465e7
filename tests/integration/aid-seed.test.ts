import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aidClaims } from '../../db/schema/aid';
import { seedDemoAccounts } from '../../server/demo/seed-accounts';
import { AID_DEMO, seedDemoAid } from '../../server/demo/seed-aid';
import { trialBalance } from '../../server/ledger/ledger';
import { createLogger } from '../../server/logger';
import { actorFor } from '../support/court';
import { createTestDatabase } from '../support/db';
import { buildServices, testConfig } from '../support/fixtures';

const config = testConfig();
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let services: ReturnType<typeof buildServices>;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
  services = buildServices(db, { config });
  await seedDemoAid({ db, config, logger: createLogger(config) });
}, 120_000);
afterAll(() => db.drop());

describe('demo enforcement aid', () => {
  it('is one province over four years: ¥12,846,400 paid to 573 cases and 810 people, in balanced books', async () => {
    const admin = await actorFor(services, 'admin@demo.lastmile.test');
    const year = new Date().getUTCFullYear();
    const r = await services.aid.reports.report(admin, { from: `${year - 4}-01`, to: `${year}-12` });
    expect(r.totals.paidFen).toBe(AID_DEMO.paidFen);
    expect(r.totals.cases).toBe(AID_DEMO.cases);
    expect(r.totals.people).toBe(AID_DEMO.people);
    expect(r.totals.refused).toBe(AID_DEMO.refused);
    expect(r.policies.every((p) => p.remainingFen >= 0n)).toBe(true);
    expect((await trialBalance(db.db)).totalFen).toBe(0n);
    const csv = await services.aid.reports.reportCsv(admin, { from: `${year - 4}-01`, to: `${year}-12` });
    expect(csv.csv).toContain('total,12846400.00,');
  });

  it('a court sees its own share, the insurer its own, and the live claims wait in the queues', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const xining = await actorFor(services, 'clerk.xining@demo.lastmile.test');
    const adjuster = await actorFor(services, 'adjuster@demo.lastmile.test');
    const year = new Date().getUTCFullYear();
    const q = { from: `${year - 4}-01`, to: `${year}-12` };
    const [a, b, ins] = await Promise.all([
      services.aid.reports.report(clerk, q),
      services.aid.reports.report(xining, q),
      services.aid.reports.report(adjuster, q),
    ]);
    expect(a.totals.paidFen + b.totals.paidFen).toBe(AID_DEMO.paidFen);
    expect(ins.totals.paidFen).toBe(AID_DEMO.paidFen);
    const queue = await services.aid.claims.listClaims(clerk);
    expect(queue.overdueCount).toBeGreaterThanOrEqual(1);
    expect(queue.counts.committee_review).toBe(1);
    expect((await services.aid.payments.readyToPay(adjuster)).length).toBe(2);
  });

  it('every claim rests on a real 终本 case: closed by the book before the claim, its re-search under way', async () => {
    const rows = await db.db.execute<{
      claims: number;
      zhongben: number;
      qualified: number;
      before: number;
      with_measures: number;
      watched: number;
    }>(sql`
      select count(*)::int as claims,
        count(*) filter (where c.closure_mode = 'terminated_for_now')::int as zhongben,
        count(*) filter (where c.zhongben_qualified)::int as qualified,
        count(*) filter (where c.closed_on <= (a.created_at at time zone 'Asia/Shanghai')::date
          and c.filed_on <= c.closed_on - interval '3 months')::int as before,
        count(*) filter (where (select count(distinct m.kind) from case_measures m where m.case_id = c.id) >= 6)::int
          as with_measures,
        count(*) filter (where c.resumption_due_on is not null or exists (select 1 from jobs j
          where j.key = 'case:' || c.id || ':research' and j.status = 'pending'))::int as watched
      from aid_claims a join cases c on c.id = a.case_id`);
    const r = rows[0]!;
    expect(r.claims).toBeGreaterThan(AID_DEMO.people);
    for (const n of [r.zhongben, r.qualified, r.before, r.with_measures]) expect(n).toBe(r.claims);
    // Watched for 5 years after 终本: the older ones are done.
    expect(r.watched).toBeGreaterThan(r.claims / 2);
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const [one] = await db.db
      .select({ caseId: aidClaims.caseId })
      .from(aidClaims)
      .where(sql`court_id = ${clerk.organisationId}`)
      .limit(1);
    const c = await services.cases.getCase(clerk, one!.caseId);
    expect(c.checklist?.allMet).toBe(true);
    expect(await services.cases.zhongbenOf(c.id)).toEqual({ closedOn: c.closedOn });
  });

  it('is idempotent', async () => {
    const before = await db.db.select({ n: sql<number>`count(*)::int` }).from(aidClaims);
    expect(await seedDemoAid({ db, config, logger: createLogger(config) })).toBe(0);
    const after = await db.db.select({ n: sql<number>`count(*)::int` }).from(aidClaims);
    expect(after).toEqual(before);
  });
});
