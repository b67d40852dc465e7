import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AidWorld, aidCase, aidWorld, driveTo, readyClaim } from '../support/aid';
import { actorFor, assetInput, caseInput, courtStaff } from '../support/court';
import { createTestDatabase } from '../support/db';

// Counts in lists come from correlated subqueries; each was once written so that the inner
// query's own `id` answered the correlation and every row showed 0 (issue 22, "Wrong counts").
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: AidWorld;

beforeAll(async () => {
  db = await createTestDatabase();
  w = await aidWorld(db, { limit: '2000000' });
});
afterAll(() => db.drop());

describe('counts shown in lists', () => {
  it('the batch list shows each batch’s payments and totals', async () => {
    const claim = await driveTo(w, await readyClaim(w), 'paid', '35000');
    const batches = await w.services.aid.payments.listBatches(w.adjuster);
    const mine = batches.find((b) => b.count > 0);
    expect(mine, JSON.stringify(batches.map((b) => b.count))).toBeDefined();
    expect(mine!.count).toBe(1);
    expect(mine!.totalFen).toBe(3_500_000n);
    expect(mine!.confirmedFen).toBe(3_500_000n);
    expect(claim.id).toBeTruthy();
  });

  it('the case list counts each case’s seized assets', async () => {
    const c = await w.services.cases.createCase(w.clerk, caseInput());
    await w.services.cases.createAsset(w.clerk, c.id, assetInput());
    await w.services.cases.createAsset(w.clerk, c.id, assetInput({ title: '车位一个' }));
    const { rows } = await w.services.cases.listCases(w.clerk, {}, 100);
    expect(rows.find((x) => x.id === c.id)?.assetCount).toBe(2);
  });

  it('the admin’s organisation list counts each organisation’s users', async () => {
    const admin = await actorFor(w.services, 'admin@demo.lastmile.test');
    const { orgs } = await w.services.dashboard.admin(admin);
    const court = orgs.find((o) => o.id === w.court.id);
    expect(court?.users).toBeGreaterThanOrEqual(4); // clerk, two panel members, the court admin at least
  });

  it('the aid report counts what each policy awarded in the period', async () => {
    const claim = await driveTo(w, await readyClaim(w), 'insurer_approved', '20000');
    const r = await w.services.aid.reports.report(w.manager, { from: '2026-01', to: '2026-12' });
    const policy = r.policies.find((p) => p.id === claim.policyId);
    expect(policy?.awardedInPeriodFen).toBeGreaterThan(0n);
  });
});

describe('finding a case (issue 22: 408 cases over 21 pages and no search)', () => {
  it('by part of its number or of a party’s name, literally (% and _ are characters)', async () => {
    const c = await aidCase(w);
    const applicant = c.applicants[0]!.name;
    const byName = await w.services.cases.listCases(w.clerk, { q: applicant });
    expect(byName.rows.map((r) => r.id)).toEqual([c.id]);
    expect(byName.total).toBe(1);
    const byNumber = await w.services.cases.listCases(w.clerk, { q: c.caseNumber.slice(6, 14) });
    expect(byNumber.rows.map((r) => r.id)).toContain(c.id);
    expect((await w.services.cases.listCases(w.clerk, { q: '%' })).total).toBe(0);
    // The higher court finds it; a sibling court's clerk does not.
    expect((await w.services.cases.listCases(w.xiningClerk, { q: applicant })).total).toBe(1);
    const sibling = await courtStaff(db.db, { code: '青0199', parentCode: '青01' });
    expect((await w.services.cases.listCases(sibling, { q: applicant })).total).toBe(0);
  });
});
