import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AidWorld, aidWorld, driveTo, readyClaim } from '../support/aid';
import { createTestDatabase } from '../support/db';

// Issue 22: the staff dashboards show the work waiting, scoped to the organisation and the role.
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: AidWorld;

beforeAll(async () => {
  db = await createTestDatabase();
  w = await aidWorld(db, { limit: '2000000' });
});
afterAll(() => db.drop());

const queue = (qs: Array<{ key: string; count: number; nearest: Date | null }>, key: string) =>
  qs.find((q) => q.key === key);

describe('work queues', () => {
  it('a submitted claim waits for the panel with its decision deadline, not for the clerk', async () => {
    const claim = await driveTo(w, await readyClaim(w), 'submitted');
    const panel = await w.services.dashboard.court(w.panel);
    const q = queue(panel.queues, 'claimsToReview');
    expect(q?.count).toBe(1);
    expect(q?.nearest?.toISOString()).toBe(claim.decisionDueAt?.toISOString());
    // Work first: a queue with work precedes every empty one.
    const firstEmpty = panel.queues.findIndex((x) => x.count === 0);
    expect(panel.queues.findIndex((x) => x.key === 'claimsToReview')).toBeLessThan(firstEmpty);
    const clerk = await w.services.dashboard.court(w.clerk);
    expect(queue(clerk.queues, 'claimsToReview')).toBeUndefined();
    expect(queue(clerk.queues, 'drafts')).toBeDefined();
    // Another court's clerk does not see this court's work.
    const other = await w.services.dashboard.court(w.xiningClerk);
    expect(queue(other.queues, 'claimsReturned')?.count).toBe(0);
  });

  it('an approved claim waits for its own insurer only', async () => {
    await driveTo(w, await readyClaim(w), 'court_approved');
    expect(queue((await w.services.dashboard.insurer(w.adjuster)).queues, 'claimsToDecide')?.count).toBe(1);
    expect(queue((await w.services.dashboard.insurer(w.adjusterB)).queues, 'claimsToDecide')?.count).toBe(0);
    // Approving payments is the manager's work, preparing them the adjuster's.
    expect(
      queue((await w.services.dashboard.insurer(w.adjuster)).queues, 'batchesToApprove'),
    ).toBeUndefined();
    expect(queue((await w.services.dashboard.insurer(w.manager)).queues, 'batchesToApprove')).toBeDefined();
  });
});
