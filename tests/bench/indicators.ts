/**
 * npm run bench:indicators — the quality dashboard at province scale (issue 17: p95 < 300 ms).
 *
 * Starts a real PostgreSQL (embedded, or a fresh database on DATABASE_URL's server), lets the
 * server migrate and seed the demo data with the province's four years (85,673 cases, ADR 018)
 * exactly as `npm start` does in development, then requests the dashboard, a drill-down and the
 * CSV over HTTP (server-side render included) as the high court over the province, the platform
 * and a basic court, and calls the service directly; prints p50/p95/max of each.
 */

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { loadConfig } from '../../server/config.js';
import { DEMO_PASSWORD } from '../../server/demo/seed-accounts.js';
import { PROVINCE_VIEWER } from '../../server/demo/seed-province.js';
import { startServer } from '../../server/main.js';
import { benchDatabase, machineSpeed, percentile } from './support.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40);

const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} ms  p95 ${percentile(s, 95).toFixed(1)} ms  max ${s.at(-1)!.toFixed(1)} ms`;
};

async function timed(n: number, fn: () => Promise<void>) {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  return times;
}

async function main() {
  const speed = machineSpeed();
  const bench = await benchDatabase('indicators');
  const { url, tmp } = bench;
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SEED_DEMO_DATA: 'true',
    SEED_PROVINCE_HISTORY: 'true',
    UPLOAD_DIR: path.join(tmp, 'uploads'),
  });
  const t0 = performance.now();
  const server = await startServer({ config, ui: 'build' });
  console.log(
    `server up with the demo data and the province seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const base = `http://127.0.0.1:${server.port}`;
  // The steady state: autovacuum sets the visibility map of the new rows within a minute or so;
  // the bench does not wait for it.
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe('vacuum analyze cases');
  await admin.end();
  try {
    const year = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
    const four = `from=${year - 4}-01&to=${year - 1}-12&window=48`;
    const pages = [
      `/court/indicators?${four}`,
      '/court/indicators',
      `/court/indicators/drill?indicator=zhongben_qualified&part=den&${four}`,
      `/court/indicators/drill?indicator=within_limit&part=gap&${four}`,
      `/court/indicators.csv?${four}`,
    ];
    const meta = { ip: '127.0.0.1', userAgent: 'bench' };
    for (const email of [PROVINCE_VIEWER, 'admin@demo.lastmile.test', 'clerk@demo.lastmile.test']) {
      const { token } = await server.services.identity.login({ email, password: DEMO_PASSWORD }, meta);
      const actor = (await server.services.identity.resolveSession(token))!.actor;
      const headers = { cookie: `lm_session=${token}` };
      console.log(`as ${email}:`);
      for (const page of pages) {
        const times = await timed(REQUESTS, async () => {
          const res = await fetch(base + page, { headers });
          const body = await res.text();
          if (res.status !== 200) throw new Error(`GET ${page} → ${res.status}`);
          if (page === pages[0] && email !== 'clerk@demo.lastmile.test' && !body.includes('98.22%'))
            throw new Error('the dashboard does not show the report’s 98.22%');
        });
        console.log(`  GET ${page.slice(0, 70).padEnd(70)} ${fmt(times)}`);
      }
      const service = await timed(REQUESTS, async () => {
        await server.services.indicators.dashboard(actor, {
          from: `${year - 4}-01`,
          to: `${year - 1}-12`,
          window: 48,
        });
      });
      console.log(`  services.indicators.dashboard (four years)${' '.repeat(31)} ${fmt(service)}`);
    }
    speed();
  } finally {
    await server.close();
    await bench.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
