import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sales } from '../../db/schema/sales';
import { seedDemoAccounts } from '../../server/demo/seed-accounts';
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
  const started = performance.now();
  seeded = await seedDemoSales({ db, config, logger: createLogger(config) });
  ms = performance.now() - started;
}, 60_000);
afterAll(() => db.drop());

describe('demo sales', () => {
  it('leave a sale at every step after full payment, made through the services', async () => {
    expect(seeded).toBe(8);
    // A part of every cold start: it must stay quick (a few seconds on a shared laptop at most).
    expect(ms).toBeLessThan(15_000);
    const rows = await db.db.select().from(sales);
    const at = (status: string) => rows.filter((r) => r.status === status);
    expect(
      at('awaiting_ruling')
        .map((r) => r.rulingOverdueAt !== null)
        .sort(),
    ).toEqual([false, true]);
    for (const status of [
      'eligibility_check',
      'ruling_issued',
      'ruling_served',
      'handover_scheduled',
      'handed_over',
      'handover_obstructed',
    ])
      expect(at(status)).toHaveLength(1);
    expect(at('eligibility_check')[0]!.purchaseRestricted).toBe(true);
    // The obstructed handover is past its 15 days; the ruling issued yesterday is not.
    expect(at('handover_obstructed')[0]!.handoverOverdueAt).not.toBeNull();
    expect(at('ruling_issued')[0]!.handoverOverdueAt).toBeNull();
    expect(rows.filter((r) => r.rulingNumber !== null)).toHaveLength(5);
    // Every fen booked in balanced double entries (deposits and balances by bank transfer).
    expect((await trialBalance(db.db)).totalFen).toBe(0n);
  });

  it('shows on the clerk’s desk (overdue first) and on each demo bidder’s purchases', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const desk = await services.sales.courtDesk(clerk);
    expect(desk.rulings).toHaveLength(3);
    expect(desk.rulings[0]!.sale.rulingOverdueAt).not.toBeNull();
    expect(desk.handovers).toHaveLength(4);
    expect(desk.handovers[0]!.sale.status).toBe('handover_obstructed');
    expect(desk.done).toHaveLength(1);
    const bidder = await actorFor(services, 'bidder@demo.lastmile.test');
    const bidder2 = await actorFor(services, 'bidder2@demo.lastmile.test');
    const [a, b] = await Promise.all([services.sales.mySales(bidder), services.sales.mySales(bidder2)]);
    expect(a.sales.length + b.sales.length).toBe(8);
    const obstructed = a.sales.find((s) => s.status === 'handover_obstructed')!;
    expect(obstructed.handoverRecord.map((r) => r.kind)).toEqual([
      'handover_scheduled',
      'handover_obstructed',
    ]);
    const pdf = await services.sales.readRuling(bidder, obstructed.listingId);
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('runs once', async () => {
    expect(await seedDemoSales({ db, config, logger: createLogger(config) })).toBe(0);
    const [n] = await db.db.select({ n: sql<number>`count(*)::int` }).from(sales);
    expect(n!.n).toBe(8);
    expect(await db.db.select().from(sales).where(eq(sales.status, 'handed_over'))).toHaveLength(1);
  });
});
