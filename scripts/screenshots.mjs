// Screenshots of the home, search, announcement and live auction pages at 390 × 844 (a phone)
// and 1280 × 800 (a laptop), for the README (docs/screenshots/). `npm run screenshots` builds,
// then this starts the production server on a fresh database with the demo data (the e2e
// tests' tests/e2e/start-server.mjs), takes each page's first screen, and stops the server.
//
// Chinese needs a CJK font in the browser: Debian's Chromium has none until
// `apt-get install -y fonts-noto-cjk` (TOOLCHAIN.md), which this script runs when it is missing and
// it may (as root); otherwise it says so and stops rather than commit pictures of empty boxes.
import { execSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'docs/screenshots');
const port = process.env.SCREENSHOT_PORT ?? '3190';
const base = `http://127.0.0.1:${port}`;
const SHOP = '西宁市城西区五四大街临街商铺（一层）'; // live (server/demo/seed-auctions.ts)
const MACHINES = '数控机床三台（含配套设备）'; // announced
const SIZES = [
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  { name: 'desktop', viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false },
];
/** JPEG at this quality keeps the eight pictures to a few hundred KB; PNG would be 3-4 times that. */
const QUALITY = 72;

function ensureCjkFont() {
  const fonts = spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
  if (fonts.status === 0 && fonts.stdout.trim()) return;
  if (process.getuid?.() !== 0) {
    console.error('screenshots: no Chinese font; install one first: sudo apt-get install -y fonts-noto-cjk');
    process.exit(1);
  }
  console.log('screenshots: installing fonts-noto-cjk (Chinese would render as empty boxes)');
  execSync('apt-get install -y -qq fonts-noto-cjk', {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

async function waitUntilReady(server) {
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) throw new Error('the server stopped before it was ready');
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the server did not become ready in 5 minutes');
}

/** The page's own address for a listing, from the public search. */
async function listingPath(page, title) {
  await page.goto(`${base}/auctions?q=${encodeURIComponent(title)}`);
  const href = await page.getByRole('link', { name: title, exact: true }).first().getAttribute('href');
  if (!href) throw new Error(`no listing "${title}" in the demo data`);
  return href;
}

async function settle(page) {
  await page.waitForFunction(() => Object.keys(document).some((k) => k.startsWith('__reactContainer$')));
  await page.evaluate(() => document.fonts.ready);
  // Every image on the first screen loaded (photos are lazy below it).
  await page.waitForFunction(() =>
    [...document.images].every((img) => img.complete || img.getBoundingClientRect().top > innerHeight),
  );
  // The countdowns have their first tick.
  await page.waitForTimeout(1500);
}

ensureCjkFont();
mkdirSync(out, { recursive: true });
const server = spawn(process.execPath, [path.join(root, 'tests/e2e/start-server.mjs')], {
  cwd: root,
  env: { ...process.env, E2E_PORT: port, E2E_LOG_LEVEL: 'error' },
  stdio: 'inherit',
});
const systemChromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
let browser;
try {
  await waitUntilReady(server);
  browser = await chromium.launch(existsSync(systemChromium) ? { executablePath: systemChromium } : {});
  const scout = await browser.newPage();
  const pages = {
    home: '/',
    search: '/auctions',
    announcement: await listingPath(scout, MACHINES),
    live: await listingPath(scout, SHOP),
  };
  await scout.close();
  for (const size of SIZES) {
    const { name, ...device } = size;
    const context = await browser.newContext({ ...device, locale: 'zh-CN', baseURL: base });
    const page = await context.newPage();
    // The live page as the demo bidder sees it (registered, deposit held): the bidding panel and,
    // on the phone, the bid bar.
    for (const [what, where] of Object.entries(pages)) {
      if (what === 'live') {
        await page.goto('/login');
        await page.getByLabel('电子邮箱').fill('bidder@demo.lastmile.test');
        await page.getByLabel('密码').fill('Demo2026lastmile');
        await page.getByRole('button', { name: '登录', exact: true }).click();
        await page.waitForURL(/\/me$/);
      }
      await page.goto(where);
      await settle(page);
      const file = path.join(out, `${what}-${name}.jpg`);
      await page.screenshot({ path: file, type: 'jpeg', quality: QUALITY });
      console.log(`screenshots: ${path.relative(root, file)} (${Math.round(statSync(file).size / 1024)} KB)`);
    }
    await context.close();
  }
} finally {
  await browser?.close();
  server.kill('SIGTERM');
}
