import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listings, registrations } from '../../db/schema/auctions';
import { users } from '../../db/schema/identity';
import { deposits } from '../../db/schema/payments';
import { seedDemoAccounts } from '../../server/demo/seed-accounts';
import { seedDemoAuctions } from '../../server/demo/seed-auctions';
import { createLogger } from '../../server/logger';
import { createTestDatabase } from '../support/db';
import { testConfig } from '../support/fixtures';

const config = testConfig();
let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
});
afterAll(() => db.drop());

describe('demo auctions', () => {
  it('cover every state a listing reaches without bidding, and a held deposit, through the real services', async () => {
    const made = await seedDemoAuctions({ db, config, logger: createLogger(config) });
    expect(made).toBeGreaterThanOrEqual(12);
    const rows = await db.db
      .select({
        status: listings.status,
        outcome: listings.outcome,
        kind: listings.kind,
        round: listings.round,
      })
      .from(listings);
    const statuses = new Set(rows.map((r) => r.status));
    for (const s of ['draft', 'pending_approval', 'announced', 'live', 'suspended', 'ended', 'withdrawn'])
      expect(statuses).toContain(s);
    expect(rows.some((r) => r.status === 'ended' && r.outcome === 'failed')).toBe(true);
    expect(rows.some((r) => r.round === 2)).toBe(true);
    expect(rows.some((r) => r.kind === 'fixed_price_sale' && r.status === 'live')).toBe(true);
    // The demo bidder holds a deposit (simulated card) and has a bidder code.
    const held = await db.db
      .select({ status: deposits.status, code: registrations.code, email: users.email })
      .from(deposits)
      .innerJoin(registrations, eq(registrations.id, deposits.registrationId))
      .innerJoin(users, eq(users.id, deposits.userId));
    expect(held).toEqual([
      { status: 'held', code: expect.stringMatching(/^[2-9A-Z]{4}$/), email: 'bidder@demo.lastmile.test' },
    ]);
    // Idempotent: a second start adds nothing.
    expect(await seedDemoAuctions({ db, config, logger: createLogger(config) })).toBe(0);
    const [n] = await db.db.select({ n: sql<number>`count(*)::int` }).from(listings);
    expect(n!.n).toBe(made);
  });
});
