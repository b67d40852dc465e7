/**
 * npm run bench:aid-reports — the aid report pages on the seeded demo data (one province over
 * four years: 573 cases, 810 people, ¥12,846,400; issue 5 asks for under 300 ms).
 *
 * Starts a real PostgreSQL (embedded, or a fresh database on DATABASE_URL's server), lets the
 * server migrate and seed the demo data exactly as `npm start` does, then requests the report
 * pages over HTTP as the platform, a court and the insurer (server-side render included) and
 * prints p50/p95/max per page.
 */

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../server/config.js';
import { DEMO_PASSWORD } from '../../server/demo/seed-accounts.js';
import { startServer } from '../../server/main.js';
import { benchDatabase, machineSpeed, percentile } from './support.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);

const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} ms  p95 ${percentile(s, 95).toFixed(1)} ms  max ${s.at(-1)!.toFixed(1)} ms`;
};

async function main() {
  const speed = machineSpeed();
  const bench = await benchDatabase('aid');
  const { url, tmp } = bench;
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SEED_DEMO_DATA: 'true',
    UPLOAD_DIR: path.join(tmp, 'uploads'),
  });
  const t0 = performance.now();
  const server = await startServer({ config, ui: 'build' });
  console.log(`server up with the demo data seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const year = new Date().getUTCFullYear();
    const all = `from=${year - 4}-01&to=${year}-12`;
    const pages = [
      `/aid/reports?${all}`,
      `/aid/reports?from=${year - 1}-01&to=${year - 1}-12`,
      '/aid/reports',
      `/aid/report-csv?${all}`,
      '/aid',
      '/aid/policies',
    ];
    const meta = { ip: '127.0.0.1', userAgent: 'bench' };
    for (const who of ['admin', 'clerk', 'adjuster']) {
      const email = `${who}@demo.lastmile.test`;
      const { token } = await server.services.identity.login({ email, password: DEMO_PASSWORD }, meta);
      const headers = { cookie: `lm_session=${token}` };
      console.log(`as ${email}:`);
      for (const page of pages) {
        if (who === 'admin' && (page === '/aid' || page === '/aid/policies')) continue;
        for (let i = 0; i < 3; i++) await (await fetch(base + page, { headers })).text();
        const times: number[] = [];
        for (let i = 0; i < REQUESTS; i++) {
          const s = performance.now();
          const res = await fetch(base + page, { headers });
          const body = await res.text();
          if (res.status !== 200) throw new Error(`GET ${page} → ${res.status}`);
          if (
            page.includes(all) &&
            page.startsWith('/aid/reports') &&
            who !== 'clerk' &&
            !body.includes('12,846,400')
          )
            throw new Error('the report does not show the seeded total');
          times.push(performance.now() - s);
        }
        console.log(`  GET ${page.padEnd(42)} ${fmt(times)}`);
      }
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
