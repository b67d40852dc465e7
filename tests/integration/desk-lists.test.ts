import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as batchesCsv from '../../app/routes/aid.batches[.]csv';
import * as claimsCsv from '../../app/routes/aid.claims[.]csv';
import * as casesCsv from '../../app/routes/court.cases[.]csv';
import * as listingsCsv from '../../app/routes/court.listings[.]csv';
import { disbursementBatches } from '../../db/schema/disbursements';
import { AID_PURPOSE } from '../../server/aid/rules';
import type { Actor } from '../../server/identity/permissions';
import { createLogger } from '../../server/logger';
import { type AidWorld, aidWorld, driveTo, readyClaim } from '../support/aid';
import { assetInput, caseInput, courtStaff, listingInput } from '../support/court';
import { createTestDatabase } from '../support/db';
import { testConfig } from '../support/fixtures';

// Issue 22, "Search and paging everywhere a list can grow": the court's listings, the aid
// claims and the aid payment batches page by keyset with the total of the filtered set and
// find by a search; the aid report opens on months that hold its history.
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let w: AidWorld;

beforeAll(async () => {
  db = await createTestDatabase();
  w = await aidWorld(db, { limit: '2000000' });
});
afterAll(() => db.drop());

/** The context a route's loader gets, for `actor` reading in `locale`. */
const context = (actor: Actor, locale: 'zh-CN' | 'en' = 'zh-CN') =>
  ({
    services: w.services,
    auth: { user: { id: actor.userId, roles: actor.roles, realName: 'x' }, actor },
    csrfToken: 'csrf',
    nonce: 'n',
    locale,
    meta: { ip: '127.0.0.1', userAgent: 'vitest', requestId: 'test' },
    log: createLogger(testConfig()),
    cookieSecure: false,
    publicConfig: { rulesProfile: 'statutory', accelerationFactor: 1, simulatedPayments: true },
  }) as unknown as AppLoadContext;
/** The CSV a route answers, split into lines (the BOM dropped). */
async function csvLines(
  route: { loader: (a: never) => unknown },
  path: string,
  actor: Actor,
  locale: 'zh-CN' | 'en' = 'zh-CN',
) {
  const res = (await route.loader({
    request: new Request(`http://test${path}`),
    context: context(actor, locale),
    params: {},
  } as never)) as Response;
  expect(res.headers.get('content-type')).toContain('text/csv');
  return (await res.text())
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean);
}

/** Every page of a keyset list, following `next` from the first page. */
async function allPages<T extends { id: string }>(
  read: (before: string | undefined) => Promise<{ rows: T[]; total: number; next: string | null }>,
) {
  const seen: string[] = [];
  const totals = new Set<number>();
  let before: string | undefined;
  let pages = 0;
  do {
    const page = await read(before);
    seen.push(...page.rows.map((r) => r.id));
    totals.add(page.total);
    before = page.next ?? undefined;
    pages += 1;
  } while (before && pages < 50);
  return { seen, totals: [...totals], pages };
}

describe("the court's listings (they stopped at 200 rows, with no search)", () => {
  it('page by keyset without repeating or skipping, with the total; find by title or case number', async () => {
    const made: { id: string; caseNumber: string }[] = [];
    for (let i = 0; i < 5; i += 1) {
      const c = await w.services.cases.createCase(w.clerk, caseInput());
      const asset = await w.services.cases.createAsset(
        w.clerk,
        c.id,
        assetInput({ title: `翻页测试商铺${i}号` }),
      );
      const draft = await w.services.listings.createDraft(w.clerk, asset.id, listingInput(w.time.clock()));
      made.push({ id: draft.id, caseNumber: c.caseNumber });
    }
    const { seen, totals, pages } = await allPages((before) =>
      w.services.listings.pageForCourt(w.clerk, { q: '翻页测试商铺', before }, 2),
    );
    expect(pages).toBe(3);
    expect(totals).toEqual([5]);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(made.map((m) => m.id)));

    const byCase = await w.services.listings.pageForCourt(w.clerk, { q: made[3]!.caseNumber });
    expect(byCase.rows.map((r) => r.id)).toEqual([made[3]!.id]);
    expect(byCase.rows[0]!.caseNumber).toBe(made[3]!.caseNumber);
    // % is a character, not a wildcard; another court sees none of them.
    expect((await w.services.listings.pageForCourt(w.clerk, { q: '%' })).total).toBe(0);
    expect((await w.services.listings.pageForCourt(w.xiningClerk, { q: '翻页测试商铺' })).total).toBe(0);
    // By status, and every row of the filtered set for the export.
    expect((await w.services.listings.pageForCourt(w.clerk, { q: '翻页', status: 'live' })).total).toBe(0);
    expect((await w.services.listings.pageForCourt(w.clerk, { q: '翻页' }, null)).rows).toHaveLength(5);
    // A cursor that is not one is the first page, not an error.
    const junk = await w.services.listings.pageForCourt(w.clerk, { q: '翻页', before: 'x_y' }, 2);
    expect(junk.rows.map((r) => r.id)).toEqual(seen.slice(0, 2));
    // The CSV: the whole filtered set (not the page), headers in the reader's language, yuan.
    const zh = await csvLines(
      listingsCsv,
      `/court/listings.csv?q=${encodeURIComponent('翻页测试')}&before=${seen[1]}`,
      w.clerk,
    );
    expect(zh[0]).toBe('拍卖标的,案号,轮次,状态,起拍价（元）,开始时间（北京时间）,结束时间（北京时间）');
    expect(zh).toHaveLength(6);
    expect(zh[1]).toContain('700000.00');
    const en = await csvLines(listingsCsv, '/court/listings.csv?q=%E7%BF%BB%E9%A1%B5', w.clerk, 'en');
    expect(en[0]).toMatch(/^Asset,Case number,Round,Status,Starting price \(yuan\)/);
  });
});

describe("the court's cases (pages by number, no CSV)", () => {
  it('page by keyset without repeating or skipping while cases are filed between loads; the CSV is the filtered set', async () => {
    const party = `翻页被执行人${process.pid}`;
    const file = async (code?: string, actor = w.clerk) => {
      const input = caseInput(code);
      input.parties[1]!.name = `${party}号${input.caseNumber}`;
      return w.services.cases.createCase(actor, input);
    };
    // Two filed in the same instant (the id breaks the tie), three a second apart.
    const made = [await file(), await file()];
    for (let i = 0; i < 3; i += 1) {
      w.time.advance(1_000);
      made.push(await file());
    }
    // Another court under the same intermediate court files a case with the same party.
    const sibling = await courtStaff(db.db, { code: '青0198', parentCode: '青01' });
    const theirs = await file('青0198', sibling);

    const seen: string[] = [];
    const totals: number[] = [];
    const filedBetween: string[] = [];
    let before: string | undefined;
    do {
      const page = await w.services.cases.listCases(w.clerk, { q: party, before }, 2);
      seen.push(...page.rows.map((r) => r.id));
      totals.push(page.total);
      before = page.next ?? undefined;
      // A clerk files a case while another reads the list (OFFSET paging would repeat a row).
      w.time.advance(1_000);
      filedBetween.push((await file()).id);
    } while (before);
    const newestFirst = [...made].sort((a, b) =>
      a.createdAt.getTime() !== b.createdAt.getTime()
        ? b.createdAt.getTime() - a.createdAt.getTime()
        : b.id < a.id
          ? -1
          : 1,
    );
    expect(seen).toEqual(newestFirst.map((c) => c.id));
    expect(totals).toEqual([5, 6, 7]);
    expect(seen).not.toContain(theirs.id);

    // The first page again starts with the cases filed meanwhile.
    const first = await w.services.cases.listCases(w.clerk, { q: party }, 2);
    expect(first.rows.map((r) => r.id)).toEqual(filedBetween.slice(-2).reverse());
    expect(first.total).toBe(8);
    // A status narrows the set and its total; a cursor that is not one is the first page.
    await w.services.cases.closeCase(w.clerk, made[0]!.id, {
      mode: 'withdrawn',
      reason: '申请执行人撤回申请',
    });
    const closedOnes = await w.services.cases.listCases(w.clerk, { q: party, status: 'closed' });
    expect(closedOnes.rows.map((r) => r.id)).toEqual([made[0]!.id]);
    expect(closedOnes.total).toBe(1);
    expect((await w.services.cases.listCases(w.clerk, { q: party, status: 'open' })).total).toBe(7);
    expect((await w.services.cases.listCases(w.clerk, { q: party, before: 'x_y' }, 2)).rows).toEqual(
      first.rows,
    );

    // The CSV: every case of the filtered set (not the page), in the list's order, in yuan and
    // Beijing time; the other court's case is not in it.
    const all = await w.services.cases.listCases(w.clerk, { q: party }, null);
    expect(all.rows).toHaveLength(8);
    const zh = await csvLines(
      casesCsv,
      `/court/cases.csv?q=${encodeURIComponent(party)}&before=${before ?? seen[1]}`,
      w.clerk,
    );
    expect(zh[0]).toBe(
      '案号,承办法院,案件类型,执行依据,执行标的金额（元）,案件状态,立案日期,届满日,结案方式,结案日期,查封财产,创建时间（北京时间）',
    );
    expect(zh.slice(1).map((l) => l.split(',')[0])).toEqual(all.rows.map((r) => r.caseNumber));
    expect(zh.join('\n')).not.toContain(theirs.caseNumber);
    const closed = zh.find((l) => l.startsWith(made[0]!.caseNumber))!.split(',');
    expect(closed[1]).toBe('本院');
    expect(closed[4]).toBe('1250000.00');
    expect(closed[5]).toBe('已结案');
    expect(closed[8]).toBe('销案');
    // Created at 02:00:00 UTC on 2 March: 10:00:00 in Beijing.
    expect(closed[11]).toBe('2026-03-02 10:00:00');
    const filtered = await csvLines(
      casesCsv,
      `/court/cases.csv?q=${encodeURIComponent(party)}&status=closed`,
      w.clerk,
      'en',
    );
    expect(filtered[0]).toMatch(
      /^Case number,Court,Case type,Enforcement basis,Amount owed \(yuan\),Case status,/,
    );
    expect(filtered).toHaveLength(2);
    // The other court reads only its own; the intermediate court reads both, each named.
    expect((await w.services.cases.listCases(sibling, { q: party }, null)).rows.map((r) => r.id)).toEqual([
      theirs.id,
    ]);
    expect(await csvLines(casesCsv, `/court/cases.csv?q=${encodeURIComponent(party)}`, sibling)).toHaveLength(
      2,
    );
    const above = await csvLines(
      casesCsv,
      `/court/cases.csv?q=${encodeURIComponent(theirs.caseNumber)}`,
      w.xiningClerk,
    );
    expect(above[1]!.split(',')[1]).toBe('测试法院青0198');
  });
});

describe('the aid claims queue (offset pages; now a keyset in queue order)', () => {
  it('pages in deadline order without repeating or skipping, with the total of the filtered set', async () => {
    const made: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const claim = await readyClaim(w);
      await w.services.aid.claims.submit(w.clerk, claim.id);
      made.push(claim.id);
    }
    made.push((await readyClaim(w)).id, (await readyClaim(w)).id); // two drafts: no deadline
    const { seen, totals, pages } = await allPages((before) =>
      w.services.aid.claims.listClaims(w.clerk, { before }, 2),
    );
    expect(pages).toBe(3);
    expect(totals).toEqual([5]);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(made));
    // Awaiting a decision (deadline) first, the drafts after.
    const all = (await w.services.aid.claims.listClaims(w.clerk, {}, null)).rows;
    expect(all.map((r) => r.id)).toEqual(seen);
    expect(all.slice(0, 3).every((r) => r.status === 'submitted')).toBe(true);
    expect(all.slice(3).every((r) => r.status === 'draft')).toBe(true);
    // A search narrows the set and its total.
    const one = all[1]!;
    const found = await w.services.aid.claims.listClaims(w.clerk, { q: one.applicantName }, 2);
    expect(found.rows.map((r) => r.id)).toEqual([one.id]);
    expect(found.total).toBe(1);
    expect(found.next).toBeNull();
    const rows = await csvLines(
      claimsCsv,
      `/aid/claims.csv?q=${encodeURIComponent(one.applicantName)}`,
      w.clerk,
    );
    expect(rows[0]).toMatch(/^申请编号,申请人,执行案号,状态,申请金额（元）/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`${one.number},${one.applicantName},`);
  });
});

describe('the aid payment batches (48 rows on one page, the import result below them)', () => {
  it('page by keyset with the total, and find by batch number', async () => {
    const at = w.time.clock().getTime();
    const rows = await db.db
      .insert(disbursementBatches)
      .values(
        Array.from({ length: 5 }, (_, i) => ({
          number: `PBTEST${process.pid}-${i}`,
          purpose: AID_PURPOSE,
          payerId: w.insurerA.id,
          preparedBy: w.adjuster.userId,
          preparedAt: new Date(at - i * 60_000),
        })),
      )
      .returning();
    const { seen, totals, pages } = await allPages((before) =>
      w.services.aid.payments.pageBatches(w.adjuster, { q: `PBTEST${process.pid}`, before }, 2),
    );
    expect(pages).toBe(3);
    expect(totals).toEqual([5]);
    // Newest first.
    expect(seen).toEqual(rows.map((r) => r.id));
    const one = await w.services.aid.payments.pageBatches(w.adjuster, { q: `PBTEST${process.pid}-3` });
    expect(one.rows.map((r) => r.number)).toEqual([`PBTEST${process.pid}-3`]);
    // Another insurer's desk does not see them.
    expect((await w.services.aid.payments.pageBatches(w.adjusterB, { q: 'PBTEST' })).total).toBe(0);
    const csv = await csvLines(batchesCsv, `/aid/batches.csv?q=PBTEST${process.pid}&before=x`, w.adjuster);
    expect(csv[0]).toMatch(/^批次号,状态,/);
    expect(csv).toHaveLength(6);
  });
});

describe('the aid report (it opened on the current months, nearly empty in the demo)', () => {
  it('opens on the twelve months up to the latest aid paid; a chosen period stays as chosen', async () => {
    await driveTo(w, await readyClaim(w), 'paid', '35000');
    const paidMonth = new Date(w.time.clock().getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
    // Fifteen months later nothing more has been paid.
    w.time.advance(15 * 31 * 86_400_000);
    const r = await w.services.aid.reports.report(w.manager, {});
    expect(r.query.to).toBe(paidMonth);
    expect(r.months).toHaveLength(12);
    expect(r.totals.paidFen).toBe(3_500_000n);
    const chosen = await w.services.aid.reports.report(w.manager, { from: '2027-01', to: '2027-03' });
    expect(chosen.query).toMatchObject({ from: '2027-01', to: '2027-03' });
    expect(chosen.totals.paidFen).toBe(0n);
    // Without any aid paid in his scope, the last twelve months.
    const other = await w.services.aid.reports.report(w.managerB, {});
    const now = new Date(w.time.clock().getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
    expect(other.query.to).toBe(now);
  });
});
