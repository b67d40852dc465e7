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

  it('is idempotent', async () => {
    const before = await db.db.select({ n: sql<number>`count(*)::int` }).from(aidClaims);
    expect(await seedDemoAid({ db, config, logger: createLogger(config) })).toBe(0);
    const after = await db.db.select({ n: sql<number>`count(*)::int` }).from(aidClaims);
    expect(after).toEqual(before);
  });
});
