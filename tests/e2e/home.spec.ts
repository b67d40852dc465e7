import { devices } from '@playwright/test';
import { type Bidder, expect, expectNoHorizontalScroll, newBidder, pixel7, signUp, test } from './fixtures';
import {
  type AcceleratedServer,
  createLiveAuction,
  registerAndPay,
  startAcceleratedServer,
} from './live-auction';

/**
 * The home page is alive (issue 21 part 1): a visitor on a 390 px phone, with no account and
 * no session, sees a live auction with its current price and a moving countdown, and the price
 * moves when a bidder bids in another browser. Its own accelerated server (live-auction.ts):
 * the default e2e server's demo auctions are shared with the other specs.
 */
const FACTOR = 24;
let server: AcceleratedServer;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startAcceleratedServer(FACTOR);
});
test.afterAll(async () => {
  await server?.stop();
});

test('a visitor on a phone sees a live auction tick and its price move as a bid lands', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const auction = await createLiveAuction(server, 10 * 60_000);
  const visitorContext = await browser.newContext({
    ...pixel7,
    viewport: { width: 390, height: 844 },
    baseURL: server.baseURL,
    locale: 'zh-CN',
  });
  const bidderContext = await browser.newContext({
    ...devices['Desktop Chrome'],
    baseURL: server.baseURL,
    locale: 'zh-CN',
  });
  const problems: string[] = [];
  try {
    const visitor = await visitorContext.newPage();
    visitor.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    visitor.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
    });
    await visitor.goto('/');
    await expect(
      visitor.getByRole('heading', { level: 1, name: '司法拍卖与执行救助一站式平台' }),
    ).toBeVisible();
    expect(await visitorContext.cookies(), 'the visitor has no session').not.toContainEqual(
      expect.objectContaining({ name: expect.stringMatching(/session/i) }),
    );
    // The search box goes to the search page.
    await expect(visitor.getByRole('search', { name: '搜索拍品' }).getByLabel('关键词')).toBeVisible();

    const liveNow = visitor.getByTestId('home-liveNow');
    await expect(liveNow.getByRole('heading', { level: 2, name: '正在拍卖' })).toBeVisible();
    const card = liveNow.getByTestId('listing-card').filter({ hasText: auction.title });
    await expect(card.getByRole('heading', { level: 3, name: auction.title })).toBeVisible();
    await expect(card.getByText('起拍价（尚无出价）')).toBeVisible();
    await expect(card.getByTestId('card-price')).toHaveText('¥7,000.00');
    await expect(card).toContainText('出价 0 次');

    // The countdown runs on the server's clock once the page is hydrated: it moves.
    const clock = card.locator('.countdown-clock');
    await expect(clock).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
    const first = await clock.textContent();
    await expect.poll(() => clock.textContent(), { timeout: 10_000 }).not.toBe(first);
    await expectNoHorizontalScroll(visitor);

    // A bidder registers, pays and bids ¥7,100 in another browser.
    const bidder = await bidderContext.newPage();
    const who: Bidder = newBidder();
    await signUp(bidder, who);
    await registerAndPay(bidder, auction);
    await bidder.getByLabel('其他金额（元）').fill('7100');
    await bidder.getByRole('button', { name: '按此金额出价' }).click();
    await bidder.getByRole('button', { name: '确认出价' }).click();
    await expect(bidder.getByTestId('bid-message')).toHaveText('出价成功：¥7,100.00。');

    // The visitor's card shows the current price, not the start, without a reload.
    await expect(card.getByTestId('card-price')).toHaveText('¥7,100.00');
    await expect(card.getByText('当前价', { exact: true })).toBeVisible();
    await expect(card).toContainText('出价 1 次');
    // The same card in "ending soon" moved with it.
    const ending = visitor.getByTestId('home-endingSoon').getByTestId('listing-card').filter({
      hasText: auction.title,
    });
    await expect(ending.getByTestId('card-price')).toHaveText('¥7,100.00');
    await expectNoHorizontalScroll(visitor);
    // Counts by type link to the search with the same total.
    const vehicles = visitor.getByTestId('home-by-type').getByRole('link', { name: /^机动车/ });
    const label = (await vehicles.textContent()) ?? '';
    const count = Number(/（(\d+)）/.exec(label)?.[1]);
    await vehicles.click();
    await expect(visitor).toHaveURL(/\/auctions\?type=vehicle$/);
    await expect(visitor.getByText(`共 ${count} 件拍品`)).toBeVisible();
    expect(problems).toEqual([]);
  } finally {
    await visitorContext.close();
    await bidderContext.close();
  }
});
