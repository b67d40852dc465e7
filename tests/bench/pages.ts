/**
 * npm run bench:pages — what the pages cost a phone (issue 20 part 5).
 *
 * Starts the production build on a fresh database with the demo data, then loads the home page,
 * the search, an announcement and the live auction page in Chromium as a Pixel 7, with the CPU
 * slowed 4× and the network throttled to Lighthouse's slow 4G as DevTools applies it (562.5 ms
 * round trip, 1.44 Mbit/s down, 675 kbit/s up), each from an empty cache, RUNS times. Prints the
 * median of: JavaScript and CSS transferred (compressed bytes on the wire), Largest Contentful
 * Paint, and for the live page the time until the bid buttons work: the demo bidder (registered,
 * deposit held) sees the quick-bid buttons on a hydrated page whose socket is connected. The
 * announcement is also loaded with its scripts blocked: its LCP and whether its facts are there.
 *
 * Budgets: the live auction page under 150 KB of JavaScript and usable in under 3 s; the
 * announcement readable without JavaScript.
 *
 * To see where the time goes: BENCH_ONLY=live (pages whose name contains it), BENCH_TRACE=1
 * (each request's start and end, the page's marks and long tasks), BENCH_PROFILE=file.cpuprofile
 * (the main thread's CPU profile of the last load), BENCH_CPU=1 (another CPU slowdown),
 * BENCH_VERBOSE=1 (every script and stylesheet with its bytes).
 */

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Browser, chromium, devices, type Page } from '@playwright/test';
import { loadConfig } from '../../server/config.js';
import { DEMO_PASSWORD } from '../../server/demo/seed-accounts.js';
import { startServer } from '../../server/main.js';
import { benchDatabase, machineSpeed, servedAsDeployed } from './support.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SHOP = '西宁市城西区五四大街临街商铺（一层）'; // live in the demo data, the demo bidder holds its deposit
const MACHINES = '数控机床三台（含配套设备）'; // announced
const SLOW_4G = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: (1.6e6 * 0.9) / 8,
  uploadThroughput: (750e3 * 0.9) / 8,
};
const CPU_SLOWDOWN = Number(process.env.BENCH_CPU ?? 4);
const { defaultBrowserType: _b, ...phone } = devices['Pixel 7'];

interface Load {
  jsBytes: number;
  cssBytes: number;
  lcpMs: number;
  usableMs: number | null;
  readable: boolean;
}

/** Collects the bytes of each type the page received, from the DevTools protocol. */
async function load(
  browser: Browser,
  url: string,
  opts: { cookie?: string; usable?: boolean; noScripts?: boolean; readable?: string },
): Promise<Load> {
  const context = await browser.newContext({ ...phone, locale: 'zh-CN' });
  // "Without JavaScript": the page's scripts never arrive (blocked), as on a failed or slow load.
  if (opts.noScripts) await context.route(/\.js(\?|$)/, (route) => route.abort());
  if (opts.cookie) {
    const { origin } = new URL(url);
    await context.addCookies([{ name: 'lm_session', value: opts.cookie, url: origin }]);
  }
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const types = new Map<string, string>();
  const urls = new Map<string, string>();
  const bytes = { Script: 0, Stylesheet: 0 };
  // BENCH_TRACE: every request's start and end (ms after the document's request), to see the waterfall.
  const trace: { url: string; start: number; end?: number; bytes?: number }[] = [];
  const started = new Map<string, (typeof trace)[number]>();
  let t0: number | undefined;
  const ms = (s: number) => Math.round((s - t0!) * 1000);
  cdp.on('Network.requestWillBeSent', (e) => {
    t0 ??= e.timestamp;
    const row = { url: e.request.url, start: ms(e.timestamp) };
    started.set(e.requestId, row);
    trace.push(row);
  });
  cdp.on('Network.webSocketCreated', (e) => {
    if (t0 !== undefined) trace.push({ url: `websocket ${e.url}`, start: -1 });
  });
  cdp.on('Network.webSocketHandshakeResponseReceived', (e) => {
    if (t0 !== undefined) trace.push({ url: 'websocket handshake answered', start: ms(e.timestamp) });
  });
  cdp.on('Network.responseReceived', (e) => {
    types.set(e.requestId, e.type);
    urls.set(e.requestId, e.response.url);
  });
  cdp.on('Network.loadingFinished', (e) => {
    const row = started.get(e.requestId);
    if (row) {
      row.end = ms(e.timestamp);
      row.bytes = e.encodedDataLength;
    }
    const type = types.get(e.requestId);
    if (type !== 'Script' && type !== 'Stylesheet') return;
    bytes[type] += e.encodedDataLength;
    if (process.env.BENCH_VERBOSE) console.log(`  ${type} ${e.encodedDataLength} ${urls.get(e.requestId)}`);
  });
  // The moment the bid buttons work: quick bids on the page, hydrated, the socket connected
  // (the connection state only exists once the page's script runs).
  // A string, not a function: tsx names the functions inside (esbuild's __name), which the page lacks.
  await page.addInitScript(`
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask', buffered: true });
    const timer = setInterval(() => {
      if (window.__hydratedAt === undefined && document.querySelector('.live-indicator')) window.__hydratedAt = performance.now();
      if (document.querySelector('.quick-bids button') && document.querySelector('.live-connected')) {
        window.__usableAt = performance.now();
        clearInterval(timer);
      }
    }, 10);`);
  if (process.env.BENCH_PROFILE) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    await cdp.send('Profiler.start');
  }
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  let usableMs: number | null = null;
  if (opts.usable) {
    const ready = await page
      .waitForFunction(() => (window as unknown as { __usableAt?: number }).__usableAt !== undefined, null, {
        timeout: 60_000,
      })
      .then(() => true)
      .catch(() => false);
    if (!ready) {
      const quick = await page.locator('.quick-bids button').count();
      const connected = await page.locator('.live-connected').count();
      throw new Error(
        `the bid buttons never worked (quick bids: ${quick}, connected: ${connected}, at ${page.url()})`,
      );
    }
    usableMs = await page.evaluate(() => (window as unknown as { __usableAt: number }).__usableAt);
  }
  await page.waitForLoadState('networkidle');
  if (process.env.BENCH_PROFILE) {
    const { profile } = await cdp.send('Profiler.stop');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(process.env.BENCH_PROFILE, JSON.stringify(profile));
  }
  const lcpMs = await lcp(page);
  if (process.env.BENCH_TRACE) {
    const marks = await page.evaluate(() => {
      const nav = window.performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return {
        responseEnd: nav.responseEnd,
        domContentLoaded: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
        usable: (window as unknown as { __usableAt?: number }).__usableAt,
        /** The page hydrated: its connection indicator appears (the socket connecting). */
        hydrated: (window as unknown as { __hydratedAt?: number }).__hydratedAt,
        marks: Object.fromEntries(
          window.performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]),
        ),
        longTasks: (window as unknown as { __long?: number[][] }).__long,
      };
    });
    for (const r of trace.sort((a, b) => a.start - b.start))
      console.log(
        `    ${String(r.start).padStart(6)} → ${String(r.end ?? '').padStart(6)} ms ${String(r.bytes ?? '').padStart(7)} B  ${r.url.replace(/^https?:\/\/[^/]+/, '')}`,
      );
    console.log(`    page: ${JSON.stringify(marks, (_k, v) => (typeof v === 'number' ? Math.round(v) : v))}`);
  }
  const readable = opts.readable
    ? ((await page.locator('main').textContent()) ?? '').includes(opts.readable)
    : true;
  await context.close();
  return { jsBytes: bytes.Script, cssBytes: bytes.Stylesheet, lcpMs, usableMs, readable };
}

/** The last Largest Contentful Paint candidate (ms after navigation start). */
function lcp(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => resolve(list.getEntries().at(-1)!.startTime)).observe({
          type: 'largest-contentful-paint',
          buffered: true,
        });
        setTimeout(() => resolve(Number.NaN), 5_000);
      }),
  );
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main() {
  const speed = machineSpeed();
  const bench = await benchDatabase('pages');
  const config = loadConfig({
    ...process.env,
    ...servedAsDeployed(),
    DATABASE_URL: bench.url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SEED_DEMO_DATA: 'true',
    UPLOAD_DIR: path.join(bench.tmp, 'uploads'),
  });
  const server = await startServer({ config, ui: 'build' });
  const base = `http://127.0.0.1:${server.port}`;
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath });
  try {
    const { token } = await server.services.identity.login(
      { email: 'bidder@demo.lastmile.test', password: DEMO_PASSWORD },
      { ip: '127.0.0.1', userAgent: 'bench' },
    );
    const find = async (q: string) => {
      const html = await (await fetch(`${base}/auctions?q=${encodeURIComponent(q)}`)).text();
      const id = html.match(/href="\/auctions\/([0-9a-f-]{36})"/)?.[1];
      if (!id) throw new Error(`no listing "${q}" in the demo data`);
      return `${base}/auctions/${id}`;
    };
    const announcement = await find(MACHINES);
    const live = await find(SHOP);
    const pages: [string, string, Parameters<typeof load>[2]][] = [
      ['home', `${base}/`, {}],
      ['search', `${base}/auctions?q=${encodeURIComponent('住宅')}`, {}],
      ['announcement', announcement, {}],
      ['announcement, scripts blocked', announcement, { noScripts: true, readable: '起拍价' }],
      ['live auction (the bidder)', live, { cookie: token, usable: true }],
    ];
    console.log(
      `Pixel 7, CPU ${CPU_SLOWDOWN}× slower, slow 4G (${SLOW_4G.latency} ms RTT, ${((SLOW_4G.downloadThroughput * 8) / 1e6).toFixed(2)} Mbit/s down), empty cache; median of ${RUNS} loads`,
    );
    console.log(
      `${'page'.padEnd(30)} ${'JS'.padStart(9)} ${'CSS'.padStart(9)} ${'LCP'.padStart(9)} ${'usable'.padStart(9)}`,
    );
    // BENCH_ONLY=live: only the pages whose name contains it.
    for (const [name, url, opts] of pages.filter(([n]) => n.includes(process.env.BENCH_ONLY ?? ''))) {
      const runs: Load[] = [];
      const t0 = performance.now();
      for (let i = 0; i < RUNS; i++) runs.push(await load(browser, url, opts));
      const usable = runs.every((r) => r.usableMs !== null)
        ? `${median(runs.map((r) => r.usableMs!)).toFixed(0)} ms`
        : '';
      const readable = opts.readable ? (runs.every((r) => r.readable) ? '  readable' : '  NOT READABLE') : '';
      console.log(
        `${name.padEnd(30)} ${kb(median(runs.map((r) => r.jsBytes))).padStart(9)} ${kb(median(runs.map((r) => r.cssBytes))).padStart(9)} ${`${median(runs.map((r) => r.lcpMs)).toFixed(0)} ms`.padStart(9)} ${usable.padStart(9)}${readable}   (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      );
    }
    console.log('budgets: the live auction page < 150 KB of JavaScript and usable < 3000 ms');
    speed();
  } finally {
    await browser.close();
    await server.close();
    await bench.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
