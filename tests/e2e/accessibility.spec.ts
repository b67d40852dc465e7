import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { LANG_COOKIE } from '../../server/http/cookies';
import { DEMO, DEMO_PASSWORD, expect, submitLogin, test } from './fixtures';

// Issue 21: axe-core finds no serious or critical violation on any public or bidder page, in
// both languages and at both sizes, and no such page scrolls sideways on a 390 px phone. The
// pages are the routes a visitor or a bidder reaches (app/routes), against the demo data
// (server/demo/seed-*.ts); the staff desks are checked by their own specs.

// The pages are independent: both workers share them (each logs in once in its beforeAll).
test.describe.configure({ mode: 'parallel' });

const SHOP = '西宁市城西区五四大街临街商铺（一层）'; // live; the demo bidder holds its deposit
const MACHINES = '数控机床三台（含配套设备）'; // announced
const SIZES = [
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  { name: 'desktop', viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false },
] as const;
const LANGUAGES = ['zh-CN', 'en'] as const;

/** The id of the listing with this title, from the public search. */
async function listingId(page: Page, title: string, filter = ''): Promise<string> {
  await page.goto(`/auctions?q=${encodeURIComponent(title)}${filter}`);
  const href = await page.getByRole('link', { name: title, exact: true }).first().getAttribute('href');
  return /\/auctions\/([0-9a-f-]{36})$/.exec(href ?? '')![1]!;
}

/** The first link under `path` whose href matches `pattern`. */
async function firstLink(page: Page, path: string, pattern: RegExp): Promise<string> {
  await page.goto(path);
  const hrefs = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const href = hrefs.find((h) => h && pattern.test(h));
  expect(href, `a link matching ${pattern} on ${path}`).toBeTruthy();
  return href!;
}

interface Ids {
  shop: string;
  machines: string;
  sold: string;
  bounty: string;
  court: string;
  receipt: string;
  nextBid: string;
  practice: string;
}
let ids: Ids;
let bidderState: Awaited<ReturnType<BrowserContext['storageState']>>;

/** Every public page, then every page of a signed-in bidder (the demo bidder). */
const PAGES: { who: 'visitor' | 'bidder'; name: string; path: (ids: Ids) => string }[] = [
  { who: 'visitor', name: 'home', path: () => '/' },
  { who: 'visitor', name: 'search', path: () => '/auctions' },
  { who: 'visitor', name: 'search by place', path: () => '/auctions?province=青海省&city=西宁市' },
  { who: 'visitor', name: 'live auction', path: (i) => `/auctions/${i.shop}` },
  { who: 'visitor', name: 'announcement', path: (i) => `/auctions/${i.machines}` },
  { who: 'visitor', name: 'sold auction', path: (i) => i.sold },
  { who: 'visitor', name: 'bid record (chain)', path: (i) => `/auctions/${i.shop}/verify` },
  { who: 'visitor', name: 'court', path: (i) => i.court },
  { who: 'visitor', name: 'calendar', path: () => '/calendar' },
  { who: 'visitor', name: 'credit query', path: () => '/credit' },
  { who: 'visitor', name: 'bounties', path: () => '/bounties' },
  { who: 'visitor', name: 'bounty notice', path: (i) => i.bounty },
  { who: 'visitor', name: 'bounty tip receipt check', path: () => '/bounties/receipt' },
  { who: 'visitor', name: 'login', path: () => '/login' },
  { who: 'visitor', name: 'signup', path: () => '/signup' },
  { who: 'visitor', name: 'forgot password', path: () => '/forgot-password' },
  { who: 'visitor', name: 'reset password (unknown link)', path: () => '/reset-password/not-a-token' },
  { who: 'visitor', name: 'practice auction', path: () => '/practice' },
  { who: 'bidder', name: 'my account', path: () => '/me' },
  { who: 'bidder', name: 'my auctions', path: () => '/me/auctions' },
  { who: 'bidder', name: 'my notifications', path: () => '/me/notifications' },
  { who: 'bidder', name: 'my payments', path: () => '/me/payments' },
  { who: 'bidder', name: 'my purchases', path: () => '/me/purchases' },
  { who: 'bidder', name: 'my funds', path: () => '/me/funds' },
  { who: 'bidder', name: 'a receipt', path: (i) => i.receipt },
  { who: 'bidder', name: 'password', path: () => '/account/password' },
  { who: 'bidder', name: 'live auction with bidding', path: (i) => `/auctions/${i.shop}` },
  {
    who: 'bidder',
    name: 'bid confirmation',
    path: (i) => `/auctions/${i.shop}?confirm=${i.nextBid}&key=a11y-check-key`,
  },
  { who: 'bidder', name: 'register and deposit', path: (i) => `/auctions/${i.machines}/register` },
  { who: 'bidder', name: 'sold auction', path: (i) => i.sold },
  { who: 'bidder', name: 'practice auction', path: () => '/practice' },
  { who: 'bidder', name: 'practice round', path: (i) => i.practice },
];

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, locale: 'zh-CN' });
  const page = await context.newPage();
  const shop = await listingId(page, SHOP);
  const machines = await listingId(page, MACHINES);
  const sold = await firstLink(page, '/auctions?status=sold', /^\/auctions\/[0-9a-f-]{36}$/);
  const bounty = await firstLink(page, '/bounties', /^\/bounties\/[0-9a-f-]{36}$/);
  const court = await firstLink(page, `/auctions/${shop}`, /^\/courts\//);
  await page.goto('/login');
  await submitLogin(page, DEMO.bidder, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/me$/);
  bidderState = await context.storageState();
  const receipt = await firstLink(page, '/me/payments', /^\/me\/receipts\//);
  // The next valid bid, for its confirmation step (live-panel.tsx ConfirmBid) as the action answers it.
  await page.goto(`/auctions/${shop}`);
  const nextBid = await page
    .getByRole('form', { name: '按加价幅度出价' })
    .getByRole('button')
    .first()
    .getAttribute('value');
  // His practice round (模拟拍卖): a new one, or the one still running.
  await page.goto('/practice');
  await page
    .getByRole('button', { name: '开始练习' })
    .or(page.getByRole('link', { name: '继续正在进行的练习' }))
    .click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  const practice = new URL(page.url()).pathname;
  await context.close();
  ids = { shop, machines, sold, bounty, court, receipt, nextBid: nextBid!, practice };
});

async function newContext(
  browser: Browser,
  size: (typeof SIZES)[number],
  lang: (typeof LANGUAGES)[number],
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>,
) {
  const { name: _name, ...device } = size;
  const context = await browser.newContext({ ...device, locale: 'zh-CN', storageState });
  await context.addCookies([{ name: LANG_COOKIE, value: lang, url: test.info().project.use.baseURL! }]);
  return context;
}

/** The serious and critical violations, one line per rule with the first few offending nodes. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 4)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

for (const lang of LANGUAGES) {
  for (const size of SIZES) {
    const phone = size.viewport.width === 390;
    test.describe(`${lang}, ${size.viewport.width}×${size.viewport.height}`, () => {
      for (const p of PAGES) {
        test(`${p.who}: ${p.name} has no serious or critical axe violation${phone ? ' and does not scroll sideways' : ''}`, async ({
          browser,
        }) => {
          const context = await newContext(browser, size, lang, p.who === 'bidder' ? bidderState : undefined);
          try {
            const page = await context.newPage();
            const path = p.path(ids);
            const response = await page.goto(path);
            expect(response?.status(), path).toBeLessThan(400);
            await expect(page.locator('html')).toHaveAttribute('lang', lang);
            // Hydrated: the client's markup (live regions, countdowns, menus) is what is checked.
            await page.waitForFunction(() =>
              Object.keys(document).some((k) => k.startsWith('__reactContainer$')),
            );
            expect.soft(await violations(page), `axe on ${path}`).toEqual([]);
            if (phone) {
              const width = await page.evaluate(() => document.documentElement.scrollWidth);
              expect.soft(width, `${path} is wider than the 390 px screen`).toBeLessThanOrEqual(390);
            }
          } finally {
            await context.close();
          }
        });
      }
    });
  }
}
