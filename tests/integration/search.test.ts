import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../server/demo/seed-accounts';
import { createTestDatabase } from '../support/db';
import { buildServices, caught, fakeClock, meta, testConfig } from '../support/fixtures';

// The public search on a real database (ADR 020): Chinese keywords against a substring search,
// title matches first, facet counts against the filtered totals, and keyset pages while
// listings are published between two page loads. Two listings are made the way a court makes
// them; the many more a search needs are copies of them (one INSERT ... SELECT: a fixture, not
// a use case), whose documents the database's trigger writes as it does for every listing.

const DAY = 86_400_000;
const config = testConfig();
const time = fakeClock(new Date('2026-03-01T02:00:00Z'));
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let services: ReturnType<typeof buildServices>;
let base: { id: string };

const TITLES = [
  '西宁市城中区某小区 3 号楼 2 单元 501 室住宅',
  '大众牌小型轿车一辆（青A12345）',
  '五四大街临街商铺（一层）',
  '胜利大街西路口商铺', // 胜利 and 西路, never 胜利西路: a phrase must not match it
  '三一牌挖掘机一台',
  '海东市乐都区某小区车库',
  '成都市武侯区胜利西路住宅',
  '红木家具一批',
];
const PLACES = [
  ['青海省', '西宁市', '城西区'],
  ['青海省', '海东市', '乐都区'],
  ['四川省', '成都市', '武侯区'],
];

let serial = 0;
async function actorFor(email: string) {
  const r = await services.identity.login({ email, password: DEMO_PASSWORD }, meta);
  return (await services.identity.resolveSession(r.token))!.actor;
}

/** A published first auction made through the services. */
async function publish(title: string, startsAt: Date, { approve = true } = {}) {
  const clerk = await actorFor('clerk@demo.lastmile.test');
  const panel = await actorFor('panel@demo.lastmile.test');
  const c = await services.cases.createCase(clerk, {
    caseNumber: `(2019)青0104执${process.pid % 1000}${++serial}号`,
    basis: '(2025)青0104民初88号民事判决书',
    amountOwed: '1250000',
    parties: [
      { role: 'applicant', kind: 'person', name: '李四', claim: '1250000' },
      { role: 'respondent', kind: 'company', name: '青海某某商贸有限公司' },
    ],
  });
  const asset = await services.cases.createAsset(clerk, c.id, {
    type: 'residential',
    title,
    province: '青海省',
    city: '西宁市',
    district: '城西区',
    address: '湟光 8 号',
    description: '建筑面积 98.6 平方米，三室两厅，带车位。',
    appraisal: '1000000',
    appraisalBasis: 'appraisal_report',
    appraisalDate: '2026-01-15',
    encumbrances: [],
  });
  const draft = await services.listings.createDraft(clerk, asset.id, {
    startingPrice: '700000',
    deposit: '70000',
    increment: '7000',
    announceAt: time.clock().toISOString(),
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + DAY).toISOString(),
    balanceDays: '15',
    specialNotices: '按现状拍卖。',
    taxes: '过户税费按法律规定各自承担。',
    taxPayer: 'each_by_law',
    viewing: '预约看样',
    contact: '王书记员 0971-1234567',
    supervisionLine: '0971-7654321',
  });
  await services.listings.submit(clerk, draft.id);
  return approve ? services.listings.approve(panel, draft.id) : draft;
}

let copies = 0;
/**
 * `n` published copies of the base listing with titles, places, courts, states, prices and
 * start times spread (every third start time shared, so the id breaks ties).
 */
async function addListings(n: number) {
  const from = copies;
  copies += n;
  await db.db.execute(sql`
    insert into listings (asset_id, case_id, court_id, kind, round, status, outcome, title, asset_type, province,
      city, district, appraisal_fen, starting_price_fen, deposit_fen, increment_fen, announce_at, starts_at, ends_at,
      current_end_at, balance_days, special_notices, taxes, tax_payer, viewing, contact, supervision_line,
      purchase_restricted, prepared_by, approved_by, approved_at, published_at)
    select b.asset_id, b.case_id,
      (select id from organisations where kind = 'court' order by code offset (g % 2) limit 1),
      'auction', 1 + g % 2,
      (array['announced','live','ended','ended'])[1 + g % 4]::listing_status,
      case g % 4 when 2 then 'sold'::listing_outcome when 3 then 'failed'::listing_outcome end,
      (${sql.raw(`array[${TITLES.map((t) => `'${t}'`).join(',')}]`)})[1 + g % ${TITLES.length}] || ' 第' || g || '号',
      (array['residential','vehicle','commercial','commercial','machinery','other_movable','residential','other_movable'])[1 + g % 8]::asset_type,
      (${sql.raw(`array[${PLACES.map((p) => `'${p[0]}'`).join(',')}]`)})[1 + g % 3],
      (${sql.raw(`array[${PLACES.map((p) => `'${p[1]}'`).join(',')}]`)})[1 + g % 3],
      (${sql.raw(`array[${PLACES.map((p) => `'${p[2]}'`).join(',')}]`)})[1 + g % 3],
      b.appraisal_fen, 10000000 + (g * 7919 % 97) * 100000, b.deposit_fen, b.increment_fen,
      b.announce_at, b.starts_at + (g / 3) * interval '1 hour', b.ends_at + (g / 3) * interval '1 hour',
      b.current_end_at + (g / 3) * interval '1 hour', b.balance_days, b.special_notices, b.taxes,
      b.tax_payer, b.viewing, b.contact, b.supervision_line, g % 3 = 0, b.prepared_by, b.approved_by,
      b.approved_at, b.published_at
    from listings b, generate_series(${from + 1}::int, ${from + n}::int) g
    where b.id = ${base.id}`);
}

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
  services = buildServices(db, { clock: time.clock, config });
  base = await publish('湟中区某小区住宅', new Date(time.clock().getTime() + 30 * DAY));
  await publish('城北区待审批的车位', new Date(time.clock().getTime() + 30 * DAY), { approve: false });
  await addListings(64);
}, 60_000);
afterAll(() => db.drop());

type Input = Record<string, string>;
type Opts = { countCap?: number; walk?: number };
const search = (input: Input, pageSize = 7, opts: Opts = {}) =>
  services.listings.search(input, pageSize, { countCap: opts.countCap, walk: opts.walk });

/**
 * Every listing the search finds, page after page by cursor; `between` runs between loads.
 * A keyword page walks the order's index first (the way a common word takes at a million
 * listings); a `walk` shorter than a page makes it collect the matches instead.
 */
async function walk(input: Input, between?: () => Promise<void>, opts: Opts = {}) {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const r: Awaited<ReturnType<typeof search>> = await search(after ? { ...input, after } : input, 7, opts);
    ids.push(...r.rows.map((x) => x.id));
    after = r.next;
    if (!after) return ids;
    await between?.();
  }
  throw new Error('more than 100 pages');
}

/** What a plain substring search over the same fields finds (the reference). */
async function substringIds(q: string, field: 'any' | 'title' = 'any') {
  const rows = await db.db.execute<{ id: string }>(sql`
    select l.id from listings l
    join assets a on a.id = l.asset_id join organisations o on o.id = l.court_id
    where l.status not in ('draft', 'pending_approval') and l.announce_at <= ${time.clock().toISOString()}::timestamptz
      and (strpos(l.title, ${q}) > 0 ${
        field === 'any'
          ? sql`or strpos(l.province, ${q}) > 0 or strpos(l.city, ${q}) > 0
        or strpos(coalesce(l.district, ''), ${q}) > 0 or strpos(o.name_zh, ${q}) > 0
        or strpos(a.description, ${q}) > 0 or strpos(a.address, ${q}) > 0`
          : sql``
      })`);
  return rows.map((r) => r.id);
}

describe('Chinese keywords', () => {
  it('one- and two-character words find exactly what a substring search finds, title matches first', async () => {
    for (const q of ['车', '铺', '宅', '湟', '住宅', '西宁', '商铺', '乐都', '车位']) {
      const found = await walk({ q });
      const expected = await substringIds(q);
      expect(expected.length, q).toBeGreaterThan(0);
      expect(new Set(found).size, q).toBe(found.length);
      expect([...found].sort(), q).toEqual([...expected].sort());
      // Ranked: every listing whose title holds the word comes before every other one.
      const inTitle = new Set(await substringIds(q, 'title'));
      const firstOther = found.findIndex((id) => !inTitle.has(id));
      const lastTitle = found.findLastIndex((id) => inTitle.has(id));
      if (firstOther !== -1) expect(lastTitle, q).toBeLessThan(firstOther);
    }
    // 车 is in the description of every copy (带车位), so some match outside their title too.
    expect((await substringIds('车')).length).toBeGreaterThan((await substringIds('车', 'title')).length);
  });

  it('a longer word matches its characters side by side, and words apart must all be there', async () => {
    const phrase = await walk({ q: '胜利西路' });
    expect(phrase.length).toBeGreaterThan(0);
    expect([...phrase].sort()).toEqual([...(await substringIds('胜利西路'))].sort());
    // 胜利大街西路口商铺 holds 胜利 and 西路 but not 胜利西路.
    const both = await walk({ q: '胜利 西路' });
    expect(both.length).toBeGreaterThan(phrase.length);
    // Latin letters and numbers, full-width too; the place and the court's name are searched.
    expect(await walk({ q: 'ＱＡ１２３４５' })).toEqual([]);
    expect((await walk({ q: '青a12345' })).length).toBeGreaterThan(0);
    expect((await walk({ q: '城西区人民法院' })).length).toBeGreaterThan(0);
    // Drafts and listings awaiting approval are never found (art. 12).
    const pending = await db.db.execute<{ id: string }>(
      sql`select id from listings where status = 'pending_approval'`,
    );
    expect(await walk({ q: '待审批' })).not.toContain(pending[0]!.id);
  });

  it('re-indexes the listings when their asset’s description changes', async () => {
    expect(await walk({ q: '湟鱼' })).toEqual([]);
    await db.db.execute(sql`update assets set description = '附送湟鱼标本一件' where id =
      (select asset_id from listings where id = ${base.id})`);
    expect((await walk({ q: '湟鱼' })).sort()).toEqual((await substringIds('湟鱼')).sort());
    expect((await walk({ q: '湟鱼' })).length).toBeGreaterThan(1);
  });
});

describe('facets', () => {
  it('each count is the total that choosing its value gives', async () => {
    for (const input of [
      {},
      { q: '住宅' },
      { q: '商铺', status: 'sold' },
      { province: '青海省', type: 'commercial' },
      { province: '青海省', city: '西宁市', district: '城西区', court: '青0104' },
    ] as Input[]) {
      const r = await services.listings.search(input, 5, { facets: true });
      const f = r.facets!;
      expect(f.type.length + f.region.values.length + f.court.length, JSON.stringify(input)).toBeGreaterThan(
        0,
      );
      const totalWith = async (change: Input) =>
        (await services.listings.search({ ...input, ...change }, 1)).total;
      for (const t of f.type) expect(await totalWith({ type: t.value }), `${t.value}`).toBe(t.count);
      for (const s of f.status) expect(await totalWith({ status: s.value }), s.value).toBe(s.count);
      for (const p of f.region.values)
        expect(await totalWith({ [f.region.level]: p.value }), p.value).toBe(p.count);
      for (const c of f.court) expect(await totalWith({ court: c.value }), c.value).toBe(c.count);
      // The total is the filtered count, and the types add up to it.
      expect(r.total).toBe((await walk(input)).length);
      if (!input.type) expect(f.type.reduce((s, t) => s + t.count, 0)).toBe(r.total);
    }
  });

  it('are the same whether each pass is streamed (the columns tested) or read through the facet index', async () => {
    for (const input of [
      {},
      { round: '2', restricted: 'no' },
      { round: '1', restricted: 'yes', type: 'commercial' },
      { province: '青海省', city: '西宁市', district: '城西区', court: '青0104' },
      { q: '商铺', status: 'sold', province: '青海省' },
      { status: 'failed', court: '青0104' },
      { city: '西宁市', status: 'live' },
      { district: '城西区' },
      { court: '没有这个法院' },
    ] as Input[]) {
      const [streamed, indexed] = await Promise.all([
        services.listings.search(input, 5, { facets: true, dense: 0 }),
        services.listings.search(input, 5, { facets: true, dense: Number.POSITIVE_INFINITY }),
      ]);
      expect(streamed.total, JSON.stringify(input)).toBe(indexed.total);
      expect(streamed.facets, JSON.stringify(input)).toEqual(indexed.facets);
      expect(streamed.total, JSON.stringify(input)).toBe((await walk(input)).length);
    }
  });
});

describe('filter values', () => {
  it('are each one value, quotes, backslashes and spaces included: they find nothing and break nothing', async () => {
    for (const input of [
      { province: "青海'省" },
      { city: '西宁\\市' },
      { province: '青海省', city: '西宁市', district: '城西 区' },
      { court: "青0104' & 's:live" },
    ] as Input[]) {
      const r = await services.listings.search(input, 5, { facets: true });
      expect(r.rows, JSON.stringify(input)).toEqual([]);
      expect(r.total).toBe(0);
    }
    // The same filters, unquoted, find what they name.
    expect(
      (await services.listings.search({ province: '青海省', court: '青0104' }, 5)).total,
    ).toBeGreaterThan(0);
  });
});

describe('counts above the cap', () => {
  it('say "more than" the cap, and every count shown below it is exact', async () => {
    let shown = 0;
    let hidden = 0;
    for (const input of [
      {},
      { q: '住宅' },
      { q: '乐都', status: 'sold' },
      { province: '青海省', type: 'commercial' },
    ] as Input[]) {
      const r = await services.listings.search(input, 5, { facets: true, countCap: 10 });
      const all = (await walk(input)).length;
      if (r.totalCapped) {
        expect(all, JSON.stringify(input)).toBeGreaterThan(10);
        expect(r.total).toBe(10);
      } else expect(r.total, JSON.stringify(input)).toBe(all);
      const f = r.facets!;
      const totalWith = async (change: Input) =>
        (await services.listings.search({ ...input, ...change }, 1)).total;
      const items: [Input, number | null][] = [
        ...f.type.map((t) => [{ type: t.value }, t.count] as [Input, number | null]),
        ...f.status.map((s) => [{ status: s.value }, s.count] as [Input, number | null]),
        ...f.region.values.map((p) => [{ [f.region.level]: p.value }, p.count] as [Input, number | null]),
        ...f.court.map((c) => [{ court: c.value }, c.count] as [Input, number | null]),
      ];
      for (const [change, count] of items) {
        if (count === null) hidden++;
        else {
          shown++;
          expect(count, JSON.stringify({ ...input, ...change })).toBeLessThanOrEqual(10);
          expect(await totalWith(change), JSON.stringify({ ...input, ...change })).toBe(count);
        }
      }
    }
    expect(shown).toBeGreaterThan(0);
    expect(hidden).toBeGreaterThan(0);
  });
});

describe('keyset pages', () => {
  it('never repeat nor skip a listing while listings are published between page loads', async () => {
    for (const input of [
      {},
      { sort: 'price_asc' },
      { sort: 'starts_desc' },
      { q: '商铺' },
      { q: '住宅', sort: 'ends_asc' },
    ] as Input[]) {
      const before = await walk(input);
      const seen = await walk(input, () => addListings(5));
      expect(new Set(seen).size, JSON.stringify(input)).toBe(seen.length);
      for (const id of before) expect(seen, JSON.stringify(input)).toContain(id);
    }
  });

  it('are the same whether the page comes from walking the order or from collecting the matches', async () => {
    for (const input of [
      { q: '车' },
      { q: '商铺' },
      { q: '住宅', sort: 'ends_asc' },
      { q: '西宁 住宅' },
      { q: '住宅', status: 'sold', province: '青海省' },
    ] as Input[]) {
      const capped = await search(input, 7, { countCap: 3 });
      expect(capped.totalCapped, JSON.stringify(input)).toBe(true);
      expect(capped.total).toBe(3);
      // A walk of 3 listings never holds a page of 7 + 1: every page is collected instead.
      const walked = await walk(input);
      expect(await walk(input, undefined, { walk: 3 }), JSON.stringify(input)).toEqual(walked);
      expect(await walk(input, undefined, { countCap: 3 }), JSON.stringify(input)).toEqual(walked);
      // And back: the previous cursor of the second page gives the first page again, both ways.
      for (const opts of [{}, { walk: 3 }]) {
        const first = await search(input, 7, opts);
        const second = await search({ ...input, after: first.next! }, 7, opts);
        const back = await search({ ...input, before: second.previous! }, 7, opts);
        expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
      }
    }
  });

  it('goes back by the previous cursor to the same rows, and a forged cursor is a 400 that finds nothing', async () => {
    const first = await search({ sort: 'price_desc' });
    const second = await search({ sort: 'price_desc', after: first.next! });
    const back = await search({ sort: 'price_desc', before: second.previous! });
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    for (const bad of [
      'not-base64-json',
      Buffer.from('["x"]').toString('base64url'),
      Buffer.from('[1, "2026-01-01", "00000000-0000-4000-8000-000000000000"]').toString('base64url'),
      Buffer.from(JSON.stringify(["1'; drop table listings; --", 'x'])).toString('base64url'),
    ]) {
      const e = await caught(search({ sort: 'price_desc', after: bad }));
      expect(e.code).toBe('validation');
      expect(e.details.fieldErrors).toEqual({ after: ['search.invalidValue'] });
    }
    expect((await caught(search({ after: first.next!, before: first.next! }))).code).toBe('validation');
  });
});

describe('suggestions', () => {
  it('offers courts and the places of published listings that hold the text', async () => {
    const s = await services.listings.suggest({ q: '城西' });
    expect(s).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'court', value: '青0104', labelZh: '西宁市城西区人民法院' }),
        expect.objectContaining({ kind: 'place', city: '西宁市', district: '城西区' }),
      ]),
    );
    expect(await services.listings.suggest({ q: '乐都' })).toEqual([
      expect.objectContaining({ kind: 'place', province: '青海省', city: '海东市', district: '乐都区' }),
    ]);
    expect(await services.listings.suggest({ q: '火星' })).toEqual([]);
    expect((await caught(services.listings.suggest({ q: 'x'.repeat(21) }))).code).toBe('validation');
  });
});
