/**
 * npm run bench:search — public search with 10,000 published listings.
 *
 * Starts a real PostgreSQL (embedded, or a fresh database on DATABASE_URL's server), migrates,
 * seeds the demo data, bulk-inserts 10,000 listings spread over types, cities, courts, prices
 * and states (one INSERT ... SELECT generate_series: a fixture, not a use case), then serves
 * the built app and requests the search page with a mix of filters and sorts. Prints p50/p95/p99
 * of the full HTTP response (server-side render included) and of the service call alone.
 */

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../server/config.js';
import { startServer } from '../../server/main.js';
import { benchDatabase, percentile } from './support.js';

const LISTINGS = Number(process.env.BENCH_LISTINGS ?? 10_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);

const queries = [
  '',
  '?status=upcoming',
  '?status=live&sort=ends_asc',
  '?type=residential&sort=price_asc',
  '?city=%E8%A5%BF%E5%AE%81%E5%B8%82&status=upcoming',
  '?court=%E9%9D%920104&sort=starts_desc',
  '?minPrice=100000&maxPrice=2000000&sort=price_desc',
  '?q=%E4%BD%8F%E5%AE%85',
  '?status=failed&page=5',
  '?type=vehicle&province=%E9%9D%92%E6%B5%B7%E7%9C%81&page=3',
];

const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} ms  p95 ${percentile(s, 95).toFixed(1)} ms  p99 ${percentile(s, 99).toFixed(1)} ms  max ${s.at(-1)!.toFixed(1)} ms`;
};

async function main() {
  const bench = await benchDatabase('search');
  const { url, tmp } = bench;
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    UPLOAD_DIR: path.join(tmp, 'uploads'),
  });
  const server = await startServer({ config, ui: 'build' });
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const t0 = performance.now();
    await server.db.sql`
      insert into listings (asset_id, case_id, court_id, kind, round, status, outcome, title, asset_type, province, city,
        appraisal_fen, starting_price_fen, deposit_fen, increment_fen, announce_at, starts_at, ends_at, current_end_at,
        balance_days, special_notices, taxes, tax_payer, viewing, contact, supervision_line, prepared_by, approved_by,
        approved_at, published_at, ended_at)
      select a.asset_id, a.case_id, a.court_id, 'auction', 1,
        (array['announced','announced','live','ended','ended','suspended','withdrawn'])[1 + g % 7]::listing_status,
        case when g % 7 in (3, 4) then (array['sold','failed'])[1 + g % 2]::listing_outcome end,
        (array['住宅','商铺','土地使用权','车辆','股权','机械设备','其他'])[1 + g % 7] || ' 第' || g || '号标的',
        (array['residential','commercial','land_use_right','vehicle','equity','machinery','other_movable'])[1 + (g / 7) % 7]::asset_type,
        '青海省', (array['西宁市','海东市','格尔木市','德令哈市'])[1 + g % 4],
        a.appraisal * (1 + g % 50), a.appraisal * (1 + g % 50) * 7 / 10, a.appraisal * (1 + g % 50) * 7 / 100,
        a.appraisal * (1 + g % 50) * 7 / 1000,
        now() - interval '40 days' + (g % 60) * interval '1 day',
        now() - interval '10 days' + (g % 60) * interval '1 day',
        now() - interval '9 days' + (g % 60) * interval '1 day',
        now() - interval '9 days' + (g % 60) * interval '1 day',
        15, '按现状拍卖。', '各自承担。', 'each_by_law', '预约看样。', '0971-6100000', '0971-6100001',
        a.prepared_by, a.approved_by, now() - interval '40 days', now() - interval '40 days', null
      from generate_series(1, ${LISTINGS}) g
      cross join lateral (
        select l.asset_id, l.case_id, l.court_id, l.prepared_by, l.approved_by, 1000000::bigint as appraisal
        from listings l where l.approved_by is not null order by l.created_at offset (g % 5) limit 1
      ) a`;
    await server.db.sql`analyze listings`;
    const [row] = await server.db.sql<{ n: number }[]>`select count(*)::int as n from listings`;
    const n = row!.n;
    console.log(`seeded ${n} listings in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // Warm up the pool, the query plans and the render path.
    for (const q of queries) await (await fetch(`${base}/auctions${q}`)).text();

    const http: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const q = queries[i % queries.length]!;
      const s = performance.now();
      const res = await fetch(`${base}/auctions${q}`);
      await res.text();
      if (res.status !== 200) throw new Error(`GET /auctions${q} → ${res.status}`);
      http.push(performance.now() - s);
    }
    const service: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const q = Object.fromEntries(new URLSearchParams(queries[i % queries.length]!.slice(1)));
      const s = performance.now();
      await server.services.listings.search(q);
      service.push(performance.now() - s);
    }
    console.log(
      `search page, ${REQUESTS} sequential requests over ${queries.length} filter mixes, ${n} listings:`,
    );
    console.log(`  HTTP GET /auctions (SSR):  ${fmt(http)}`);
    console.log(`  listings.search() service: ${fmt(service)}`);
  } finally {
    await server.close();
    await bench.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
