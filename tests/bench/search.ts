/**
 * npm run bench:search — the public search at 10,000, 100,000 and 1,000,000 listings (ADR 020).
 *
 * Starts a real PostgreSQL (embedded, or a fresh database on DATABASE_URL's server), migrates,
 * seeds the demo data, then grows the listings to each size of BENCH_LISTINGS (comma-separated,
 * default 10000,100000,1000000) set-wise (INSERT ... SELECT generate_series: a fixture, not a use
 * case) with Chinese titles in the platforms' style (西宁市城西区五四西路某小区 3 号楼 2 单元 501 室住宅,
 * 大众牌小型轿车一辆（青A12345）…) over 12 provinces, 36 cities and 36 counties, each attribute an
 * independent hash of the row number. The load is a bulk load's (grow(): triggers off, documents
 * written by the statement, indexes built after; 1,000,000 in minutes). At each size it
 * serves the built app and measures, over a fixed mix of queries (one character, two
 * characters, phrases, filters only, facets, a keyset page 500), p50/p95/p99 of the full HTTP
 * page (SSR, facets included) and of the service call alone.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../server/config.js';
import { startServer } from '../../server/main.js';
import { benchDatabase, machineSpeed, percentile, servedAsDeployed } from './support.js';

const SIZES = (process.env.BENCH_LISTINGS ?? '10000,100000,1000000').split(',').map(Number);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const LOAD_CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 2);

/** The fixed mix: [category, query string]. The deep page's cursor is found by walking. */
const MIX: [string, string][] = [
  ['one-char', 'q=车'],
  ['one-char', 'q=铺'],
  ['one-char', 'q=宁'],
  ['two-char', 'q=住宅'],
  ['two-char', 'q=西宁'],
  ['two-char', 'q=挖掘'],
  ['phrase', 'q=五四西路'],
  ['phrase', 'q=国有建设用地使用权'],
  ['phrase', 'q=大众 轿车'],
  ['filters', 'type=residential&province=青海省&city=西宁市&status=upcoming'],
  ['filters', 'minPrice=100000&maxPrice=2000000&sort=price_asc'],
  ['filters', 'round=2&restricted=yes&sort=starts_desc'],
  ['facets', 'q=住宅&province=四川省&status=live'],
  ['facets', 'q=商铺&type=commercial&city=成都市'],
  ['facets', 'court=青0104&status=ended'],
];

const PLACES = `array[
  '青海省 西宁市 城西区','青海省 西宁市 城中区','青海省 海东市 乐都区',
  '四川省 成都市 武侯区','四川省 成都市 锦江区','四川省 绵阳市 涪城区',
  '广东省 广州市 天河区','广东省 深圳市 南山区','广东省 佛山市 禅城区',
  '浙江省 杭州市 西湖区','浙江省 宁波市 鄞州区','浙江省 温州市 鹿城区',
  '江苏省 南京市 鼓楼区','江苏省 苏州市 姑苏区','江苏省 无锡市 梁溪区',
  '山东省 济南市 历下区','山东省 青岛市 市南区','山东省 烟台市 芝罘区',
  '河南省 郑州市 金水区','河南省 洛阳市 西工区','河南省 南阳市 卧龙区',
  '湖北省 武汉市 江汉区','湖北省 宜昌市 西陵区','湖北省 襄阳市 樊城区',
  '湖南省 长沙市 岳麓区','湖南省 株洲市 天元区','湖南省 衡阳市 蒸湘区',
  '福建省 福州市 鼓楼区','福建省 厦门市 思明区','福建省 泉州市 丰泽区',
  '陕西省 西安市 雁塔区','陕西省 宝鸡市 渭滨区','陕西省 咸阳市 秦都区',
  '云南省 昆明市 五华区','云南省 大理白族自治州 大理市','云南省 曲靖市 麒麟区']`;

/**
 * Loads listings g = from+1 … to in one statement, titles by asset type, documents included:
 * the title's part by search_tokens() once per title template (a few thousand, the numbers put
 * in after) and the place, court and asset part (36 places × 5 sources) computed once, joined as listing_search_doc() joins them (a tsvector's `||` is
 * associative). checkDocuments() compares a sample with what the trigger writes.
 */
async function insertRange(sql: Sql, demo: string[], from: number, to: number) {
  await sql`
    with src as (
      select array_agg(d.asset_id order by d.created_at) asset_ids, array_agg(d.case_id order by d.created_at) case_ids,
        array_agg(d.court_id order by d.created_at) court_ids,
        array_agg(concat_ws(' ', o.name_zh, o.name_en) order by d.created_at) courts,
        array_agg(concat_ws(' ', s.address, s.description) order by d.created_at) assets,
        min(d.prepared_by::text)::uuid prepared_by, min(d.approved_by::text)::uuid approved_by, 1000000::bigint appraisal
      from listings d
      join organisations o on o.id = d.court_id join assets s on s.id = d.asset_id
      where d.id = any(${demo}::uuid[])
    ),
    rest as materialized (
      select i, j, listing_search_doc('', array_to_string(string_to_array((${sql.unsafe(PLACES)})[1 + i], ' '), ' '),
        src.courts[1 + j], src.assets[1 + j]) doc
      from src, generate_series(0, 35) i, generate_series(0, 4) j
    ),
    gen as (
      -- Each attribute from its own hash of g, so place, type, status, court and dates are
      -- independent (as on a platform) rather than all fixed by g modulo a few small numbers.
      select g, h[1] % 36 pi, h[2] % 7 k, h[3] % 9 st, h[4] % 5 j, h[5] % 420 d, h[6] % 24 hr, h[7] % 50 pr,
        string_to_array((${sql.unsafe(PLACES)})[1 + h[1] % 36], ' ') p
      from generate_series(${from + 1}::int, ${to}::int) g,
        lateral (select array_agg(hashint8(g::bigint * 8 + i)::bigint + 2147483648 order by i) h
          from generate_series(1, 7) i) x
    ),
    templated as (
      -- A title is a template (the place, the road, the brand…) and up to three numbers
      -- (building, unit, room; plate…). The numbers stand in the template as the placeholders
      -- zza, zzb, zzc: a Latin run where the number's run is, so the template's tokens are the
      -- title's with the placeholder in the number's place (one token each, same positions).
      select gen.*, case k
        when 0 then p[2] || p[3] || (array['五四西路','人民路','解放路','建设路','中山路','长江路','黄河路','文化路'])[1 + g % 8]
          || (array['阳光','幸福','锦绣','翠园','金色','滨江'])[1 + g % 6] || '小区zza号楼zzb单元zzc室住宅'
        when 1 then p[2] || p[3] || (array['南大街','北大街','商业街','步行街'])[1 + g % 4] || 'zza号临街商铺'
        when 2 then p[2] || p[3] || '国有建设用地使用权（zza平方米）'
        when 3 then (array['大众','丰田','本田','别克','比亚迪','奥迪'])[1 + g % 6] || '牌'
          || (array['小型轿车','越野车','轻型货车','面包车'])[1 + g % 4] || '一辆（车牌号' || left(p[1], 1) || 'zza）'
        when 4 then p[2] || (array['某某商贸','某某实业','某某置业','某某投资'])[1 + g % 4] || '有限公司zza%股权'
        when 5 then (array['三一','徐工','柳工','卡特彼勒'])[1 + g % 4] || '牌' || (array['挖掘机','装载机','起重机','压路机'])[1 + g % 4] || '一台'
        else (array['红木家具','名人字画','黄金饰品','办公设备','库存服装'])[1 + g % 5] || '一批'
      end tmpl,
      case k when 0 then (1 + g % 30)::text when 1 then (1 + g % 300)::text when 2 then (500 + g % 20000)::text
        when 3 then chr(65 + g % 20) || (10000 + g % 89999) when 4 then (5 + g % 90)::text end na,
      case k when 0 then (1 + g % 6)::text end nb,
      case k when 0 then (101 + g % 2000)::text end nc
      from gen
    ),
    -- search_tokens() (PL/pgSQL, the load's cost) once per template, not once per listing.
    tokened as materialized (select tmpl, search_tokens(tmpl) tokens from (select distinct tmpl from templated) d),
    titled as (
      select t.*,
        replace(replace(replace(t.tmpl, 'zza', coalesce(na, '')), 'zzb', coalesce(nb, '')), 'zzc', coalesce(nc, '')) title,
        replace(replace(replace(o.tokens, 'zza', lower(coalesce(na, ''))), 'zzb', coalesce(nb, '')), 'zzc', coalesce(nc, '')) tokens
      from templated t join tokened o using (tmpl)
    )
    insert into listings (asset_id, case_id, court_id, kind, round, status, outcome, title, asset_type, province, city,
      district, appraisal_fen, starting_price_fen, deposit_fen, increment_fen, announce_at, starts_at, ends_at,
      current_end_at, balance_days, special_notices, taxes, tax_payer, viewing, contact, supervision_line,
      purchase_restricted, prepared_by, approved_by, approved_at, published_at, ended_at, search_doc)
    select a.asset_ids[1 + t.j], a.case_ids[1 + t.j], a.court_ids[1 + t.j], 'auction', 1 + (g / 3) % 2,
      (array['announced','announced','live','ended','ended','ended','ended','suspended','withdrawn'])[1 + st]::listing_status,
      case when st between 3 and 6 then (array['sold','failed'])[1 + g % 2]::listing_outcome end,
      t.title,
      (array['residential','commercial','land_use_right','vehicle','equity','machinery','other_movable'])[1 + k]::asset_type,
      p[1], p[2], p[3],
      a.appraisal * (1 + pr), a.appraisal * (1 + pr) * 7 / 10, a.appraisal * (1 + pr) * 7 / 100,
      a.appraisal * (1 + pr) * 7 / 1000,
      -- Announced 30 days before the start, but a listing past its announcement was announced
      -- (no live or ended listing still waits for it): only a tenth of those still announced
      -- keep a date to come (scheduled by the court), the others went out at approval.
      case when st <= 1 and g % 10 = 0 then now() - interval '400 days' + d * interval '1 day'
        else least(now() - interval '400 days' + d * interval '1 day', now() - interval '1 hour') end,
      now() - interval '370 days' + d * interval '1 day' + hr * interval '1 hour',
      now() - interval '369 days' + d * interval '1 day' + hr * interval '1 hour',
      now() - interval '369 days' + d * interval '1 day' + hr * interval '1 hour',
      15, '按现状拍卖。', '各自承担。', 'each_by_law', '预约看样。', '0971-6100000', '0971-6100001',
      g % 5 = 0, a.prepared_by, a.approved_by, now() - interval '400 days', now() - interval '400 days', null,
      setweight(to_tsvector('simple', t.tokens), 'A') || r.doc
    from titled t, src a, rest r where r.i = t.pi and r.j = t.j`;
}

/**
 * Grows the listings table to `target` rows as a bulk load does: triggers off (the documents
 * are written by the statement, the foreign keys are copied from existing rows), the secondary
 * indexes dropped and built again afterwards, the rows inserted over LOAD_CONNECTIONS
 * connections at once. Returns the seconds the insert and the index builds took.
 */
async function grow(sql: Sql, from: number, target: number) {
  const t0 = performance.now();
  const indexes = await sql<{ name: string; def: string }[]>`
    select indexname as name, indexdef as def from pg_indexes i
    where tablename = 'listings' and not exists (select from pg_constraint c where c.conname = i.indexname)`;
  // Five of the demo's approved listings lend their asset, case, court and staff.
  const demo = (
    await sql<
      { id: string }[]
    >`select id from listings where approved_by is not null order by created_at limit 5`
  ).map((r) => r.id);
  for (const i of indexes) await sql`drop index ${sql(i.name)}`;
  await sql`alter table listings disable trigger all`;
  try {
    const step = Math.ceil((target - from) / LOAD_CONNECTIONS);
    await Promise.all(
      Array.from({ length: LOAD_CONNECTIONS }, (_, k) =>
        insertRange(sql, demo, from + k * step, Math.min(target, from + (k + 1) * step)),
      ),
    );
  } finally {
    await sql`alter table listings enable trigger all`;
  }
  const t1 = performance.now();
  await sql.begin(async (tx) => {
    await tx`set local maintenance_work_mem = '256MB'`;
    for (const i of indexes) await tx.unsafe(i.def);
  });
  await sql`vacuum analyze listings`;
  return { insert: (t1 - t0) / 1000, index: (performance.now() - t1) / 1000 };
}

/** A sample of the loaded documents must equal what the trigger writes for the same rows. */
async function checkDocuments(sql: Sql) {
  const [r] = await sql<{ n: number; differ: number }[]>`
    select count(*)::int n, count(*) filter (where l.search_doc is distinct from listing_search_doc(l.title,
      concat_ws(' ', l.province, l.city, l.district), concat_ws(' ', o.name_zh, o.name_en),
      concat_ws(' ', a.address, a.description)))::int differ
    from (select * from listings tablesample system (1) limit 2000) l
    join organisations o on o.id = l.court_id join assets a on a.id = l.asset_id`;
  if (r!.differ > 0) throw new Error(`${r!.differ} of ${r!.n} sampled documents differ from the trigger's`);
  return r!.n;
}

/** The machine is shared: every figure is printed beside the 1/5/15-minute load average. */
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

type Sql = Awaited<ReturnType<typeof startServer>>['db']['sql'];

const pct = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)}  p95 ${percentile(s, 95).toFixed(1)}  p99 ${percentile(s, 99).toFixed(1)}`;
};

/**
 * BENCH_DB: a database an earlier run kept (BENCH_KEEP=1 prints its URL). Sizes it already
 * holds are measured without loading again, and it is kept: the way to compare two versions of
 * the search back-to-back on the same million listings (a load takes minutes).
 */
async function keptDatabase(url: string) {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'lastmile-bench-search-'));
  return { url, tmp, drop: () => rm(tmp, { recursive: true, force: true }) };
}

async function main() {
  const speed = machineSpeed();
  const bench = process.env.BENCH_DB
    ? await keptDatabase(process.env.BENCH_DB)
    : await benchDatabase('search');
  const { url, tmp } = bench;
  const config = loadConfig({
    ...process.env,
    ...servedAsDeployed(),
    DATABASE_URL: url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    UPLOAD_DIR: path.join(tmp, 'uploads'),
  });
  const server = await startServer({ config, ui: 'build' });
  const base = `http://127.0.0.1:${server.port}`;
  const sql = server.db.sql;
  try {
    for (const size of SIZES) {
      const before = (await sql<{ n: number }[]>`select count(*)::int as n from listings`)[0]!.n;
      if (before >= size)
        console.log(`\n${before} listings already (BENCH_DB); load average ${loadAverage()}`);
      else {
        const took = await grow(sql, before, size);
        const n = (await sql<{ n: number }[]>`select count(*)::int as n from listings`)[0]!.n;
        const checked = await checkDocuments(sql);
        console.log(
          `\n${n} listings: inserted ${n - before} set-wise in ${took.insert.toFixed(1)} s over ${LOAD_CONNECTIONS} ` +
            `connections (${checked} sampled documents equal the trigger's), indexes built and analysed in ` +
            `${took.index.toFixed(1)} s; load average ${loadAverage()}`,
        );
      }
      if (REQUESTS === 0) continue;

      // The deep page: walk 499 pages of the default order by their cursors, once.
      let after: string | null = null;
      for (let p = 1; p < 500 && (p === 1 || after); p++) {
        const r = await server.services.listings.search(after ? { after } : {}, 20, { count: false });
        after = r.next;
      }
      const mix: [string, string][] = [
        ...MIX,
        ...(after ? ([['deep page', `after=${after}&page=500`]] as [string, string][]) : []),
      ];
      for (const [, q] of mix) await (await fetch(`${base}/auctions?${encodeQuery(q)}`)).text();

      const http = new Map<string, number[]>();
      const service = new Map<string, number[]>();
      const add = (m: Map<string, number[]>, k: string, v: number) => {
        m.set(k, [...(m.get(k) ?? []), v]);
        m.set('all', [...(m.get('all') ?? []), v]);
      };
      for (let i = 0; i < REQUESTS; i++) {
        const [cat, q] = mix[i % mix.length]!;
        const s = performance.now();
        const res = await fetch(`${base}/auctions?${encodeQuery(q)}`);
        await res.text();
        if (res.status !== 200) throw new Error(`GET /auctions?${q} → ${res.status}`);
        add(http, cat, performance.now() - s);
      }
      for (let i = 0; i < REQUESTS; i++) {
        const [cat, q] = mix[i % mix.length]!;
        const input = Object.fromEntries(new URLSearchParams(encodeQuery(q)));
        const s = performance.now();
        await server.services.listings.search(input, 20, { facets: true });
        add(service, cat, performance.now() - s);
      }
      console.log(
        `  ${REQUESTS} sequential requests each, ms (facets included), load average ${loadAverage()}:`,
      );
      console.log(
        `  ${'query'.padEnd(10)}  ${'HTTP GET /auctions (SSR)'.padEnd(30)}  listings.search() service`,
      );
      for (const cat of ['all', ...new Set(mix.map(([c]) => c))])
        console.log(`  ${cat.padEnd(10)}  ${pct(http.get(cat)!).padEnd(30)}  ${pct(service.get(cat)!)}`);
    }
    speed();
  } finally {
    await server.close();
    // BENCH_KEEP=1 leaves the database for EXPLAIN and later runs (BENCH_DB; its URL printed).
    // A BENCH_DB database is kept too (its drop() removes only the temporary folder).
    if (process.env.BENCH_KEEP && !process.env.BENCH_DB) console.log(`kept ${url}`);
    else await bench.drop();
  }
}

/** The mix's query strings are written readable; the URL carries them encoded. */
const encodeQuery = (q: string) => new URLSearchParams(q).toString();

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
