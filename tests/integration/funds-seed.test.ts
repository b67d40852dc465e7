import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../db/schema/cases';
import { fundPlans } from '../../db/schema/funds';
import { notifications } from '../../db/schema/notifications';
import { seedDemoAccounts } from '../../server/demo/seed-accounts';
import { seedDemoFunds } from '../../server/demo/seed-funds';
import { seedDemoSales } from '../../server/demo/seed-sales';
import { trialBalance } from '../../server/ledger/ledger';
import { createLogger } from '../../server/logger';
import { actorFor } from '../support/court';
import { createTestDatabase } from '../support/db';
import { buildServices, testConfig } from '../support/fixtures';

const config = testConfig();
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let services: ReturnType<typeof buildServices>;
let seeded: number;
let ms: number;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
  services = buildServices(db, { config });
  await seedDemoSales({ db, config, logger: createLogger(config) });
  const started = performance.now();
  seeded = await seedDemoFunds({ db, config, logger: createLogger(config) });
  ms = performance.now() - started;
}, 90_000);
afterAll(() => db.drop());

describe('demo case funds', () => {
  it('leave a plan at each step after the sale, made through the services, the books balanced', async () => {
    expect(seeded).toBe(4);
    // A part of every cold start: it must stay quick.
    expect(ms).toBeLessThan(15_000);
    const plans = await db.db.select().from(fundPlans);
    expect(plans.map((p) => p.status).sort()).toEqual(['approved', 'draft', 'paid', 'served']);
    const paid = plans.find((p) => p.status === 'paid')!;
    const [closed] = await db.db.select().from(cases).where(eq(cases.id, paid.caseId));
    expect(closed!.closureMode).toBe('fully_performed');
    expect((await trialBalance(db.db)).totalFen).toBe(0n);
    // Again: nothing more.
    expect(await seedDemoFunds({ db, config, logger: createLogger(config) })).toBe(0);
  });

  it("shows on the payout desk and on the creditor's own page", async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const desk = await services.funds.payouts.desk(clerk);
    expect(desk.batches.filter((b) => b.status === 'prepared')).toHaveLength(1);
    const creditor = await actorFor(services, 'creditor@demo.lastmile.test');
    const mine = await services.funds.myFunds(creditor);
    expect(mine.map((m) => m.plan.status).sort()).toEqual(['approved', 'served']);
    const served = mine.find((m) => m.plan.status === 'served')!;
    expect(served.objections).toHaveLength(1);
    expect(served.can.object).toBe(true);
    // He was told when each plan was served on him, with his deadline.
    const told = await db.db.select().from(notifications).where(eq(notifications.userId, creditor.userId));
    expect(told.filter((n) => n.kind === 'fundPlanServed')).toHaveLength(2);
  });
});
