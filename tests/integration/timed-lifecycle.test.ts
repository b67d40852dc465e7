import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listingTransitions } from '../../db/schema/auctions';
import { startServer } from '../../server/main';
import { actorFor, assetInput, caseInput, listingInput } from '../support/court';
import { createTestDatabase } from '../support/db';
import { testConfig } from '../support/fixtures';

/**
 * Under the accelerated profile (every legal duration divided by a million: 30 days of
 * announcement ≈ 2.6 s, 24 h of bidding ≈ 86 ms), a listing goes live and ends by itself,
 * through durable jobs, although the server is restarted in between.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const env = () =>
  testConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    RULES_PROFILE: 'accelerated',
    RULES_ACCELERATION_FACTOR: '1000000',
  });

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('time-driven lifecycle across a restart', () => {
  it('announced → live → ended without anyone touching it', async () => {
    const first = await startServer({ config: env(), ui: 'none' });
    const clerk = await actorFor(first.services, 'clerk@demo.lastmile.test');
    const panel = await actorFor(first.services, 'panel@demo.lastmile.test');
    const c = await first.services.cases.createCase(clerk, caseInput());
    const asset = await first.services.cases.createAsset(clerk, c.id, assetInput());
    const now = Date.now();
    const startsAt = new Date(now + 4_000);
    const endsAt = new Date(startsAt.getTime() + 1_500);
    const draft = await first.services.listings.createDraft(
      clerk,
      asset.id,
      listingInput(new Date(now), { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() }),
    );
    await first.services.listings.submit(clerk, draft.id);
    await first.services.listings.approve(panel, draft.id);
    await first.close(); // the process that scheduled the timers is gone

    const second = await startServer({ config: env(), ui: 'none' });
    try {
      let status = '';
      for (let i = 0; i < 150 && status !== 'ended'; i++) {
        await sleep(100);
        status = (await second.services.listings.publicListing(draft.id)).listing.status;
      }
      expect(status).toBe('ended');
      const steps = await db.db
        .select()
        .from(listingTransitions)
        .where(eq(listingTransitions.listingId, draft.id));
      const live = steps.filter((s) => s.to === 'live');
      const ended = steps.filter((s) => s.to === 'ended');
      expect(live).toHaveLength(1);
      expect(ended).toHaveLength(1);
      expect(live[0]!.at.getTime()).toBeGreaterThanOrEqual(startsAt.getTime());
      expect(ended[0]!.at.getTime()).toBeGreaterThanOrEqual(endsAt.getTime());
      expect(live[0]!.actorId).toBeNull(); // nobody touched it
    } finally {
      await second.close();
    }
  }, 120_000); // two server starts, the first seeding the demo data (~15 s on CI), then ≤ 15 s of lifecycle
});
