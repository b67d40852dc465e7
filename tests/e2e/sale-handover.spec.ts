import { type Browser, devices, type Page } from '@playwright/test';
import {
  type Bidder,
  browserProblems,
  DEMO,
  DEMO_PASSWORD,
  expect,
  expectNoHorizontalScroll,
  logIn,
  newBidder,
  signUp,
  test,
} from './fixtures';
import {
  type AcceleratedServer,
  createLiveAuction,
  startAcceleratedServer,
  winAndPayBalance,
} from './live-auction';

/**
 * After the hammer, end to end under the accelerated profile (ADR 014): a purchase-restricted
 * auction sells, the winner pays the balance with the card simulator, the clerk records the
 * eligibility re-check, a judge issues the ruling (its PDF downloads), the clerk records its
 * service, schedules the handover and records it done; the buyer, on a 390 px phone, follows
 * every step with its date on the auction page and on /me/purchases. Factor 24: a day is an hour,
 * so the ruling's 10 days are 10 hours and nothing falls due while the test runs.
 */
const FACTOR = 24;
const ENDS_IN_MS = 40_000;
const PANEL = 'panel@demo.lastmile.test';

let server: AcceleratedServer;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startAcceleratedServer(FACTOR);
});
test.afterAll(async () => {
  await server?.stop();
});

interface Window {
  page: Page;
  problems: string[];
  close(): Promise<void>;
}

/** A browser context of its own, failing on page errors like fixtures.ts `page`. */
async function openWindow(browser: Browser, phone: boolean): Promise<Window> {
  const context = await browser.newContext({
    ...(phone
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true }
      : devices['Desktop Chrome']),
    baseURL: server.baseURL,
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  const problems = browserProblems(page);
  return { page, problems, close: () => context.close() };
}

/** Today in Beijing as the pages write a date (2026/12/06). */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '/');

test('a restricted auction sells and is paid; the court re-checks, rules (PDF), serves and hands over; the buyer follows each step', async ({
  browser,
}) => {
  test.setTimeout(200_000);
  const buyerWindow = await openWindow(browser, true);
  const court = await openWindow(browser, false);
  const judge = await openWindow(browser, false);
  const buyer = buyerWindow.page;
  const bidder: Bidder = { ...newBidder(), realName: '孙买受' };
  await signUp(buyer, bidder);
  const auction = await createLiveAuction(server, ENDS_IN_MS, { purchaseRestricted: true });

  // Registers with the eligibility promise (限购), pays the deposit, bids the starting price.
  await buyer.goto(`/auctions/${auction.id}/register`);
  await buyer.getByLabel('我已阅读并接受竞买须知和特别提示').check();
  await buyer.getByLabel(/我承诺具备本标的所在地的购房资格/).check();
  await buyer.getByRole('button', { name: '报名并交纳保证金' }).click();
  await expect(buyer).toHaveURL(/\/me\/pay\/deposit\/[0-9a-f-]{36}$/);
  await buyer.getByRole('button', { name: '银行卡支付（模拟）' }).click();
  await buyer.getByRole('button', { name: '模拟支付成功' }).click();
  await expect(buyer.getByTestId('pay-status')).toHaveText('已冻结');
  await buyer.goto(`/auctions/${auction.id}`);
  await expect(buyer.getByText('实时更新已连接')).toBeVisible();
  await buyer.getByRole('button', { name: '出价 ¥7,000.00', exact: true }).click();
  await buyer.getByRole('button', { name: '确认出价' }).click();
  await expect(buyer.getByTestId('bid-message')).toHaveText('出价成功：¥7,000.00。');

  // The hammer: the confirmation names him; he pays the balance by card.
  await winAndPayBalance(buyer, bidder.realName, 90_000);

  // Paid in full: the auction page shows the steps; the re-check and the ruling are due.
  await buyer.goto(`/auctions/${auction.id}`);
  const result = buyer.getByTestId('auction-result');
  await expect(result.getByTestId('step-balance')).toContainText('已完成');
  await expect(result.getByRole('link', { name: '支付余款' })).toHaveCount(0);
  // One timeline, one current step: the re-check.
  await expect(result.locator('ol.sale-steps [aria-current="step"]')).toHaveCount(1);
  await expect(result.getByTestId('step-eligibility')).toHaveAttribute('aria-current', 'step');
  await expect(result.getByTestId('step-eligibility')).toContainText('办理中');
  await expect(result.getByTestId('due-ruling')).toContainText('期限：');
  await expect(result.getByTestId('step-handover')).toContainText('裁定作出后 15 日内');
  await expectNoHorizontalScroll(buyer);

  // The clerk: the sale is on the desk's rulings due; the ruling waits for the re-check.
  await logIn(court.page, DEMO.clerk, DEMO_PASSWORD);
  await expect(court.page).toHaveURL(/\/court$/);
  await court.page
    .getByRole('navigation', { name: '主导航' })
    .getByRole('link', { name: '成交后事务' })
    .click();
  await expect(court.page.getByRole('heading', { level: 1, name: '成交后事务' })).toBeVisible();
  const row = court.page
    .getByRole('table', { name: '待作出成交裁定' })
    .getByRole('row', { name: auction.title });
  await expect(row).toContainText(bidder.realName);
  await expect(row).toContainText('待复核购买资格');
  await row.getByRole('link', { name: auction.title }).click();
  await expect(court.page).toHaveURL(new RegExp(`/court/sales/${auction.id}$`));
  await court.page.waitForLoadState('networkidle');
  await expect(court.page.getByTestId('buyer-name')).toHaveText(bidder.realName);
  await expect(court.page.getByRole('button', { name: '作出成交裁定' })).toHaveCount(0);
  const recheck = court.page.getByRole('form', { name: '登记购买资格复核' });
  await recheck.getByRole('radio', { name: '符合购买资格', exact: true }).check();
  await recheck.getByRole('button', { name: '登记购买资格复核' }).click();
  await expect(court.page.getByRole('status').filter({ hasText: '已登记购买资格复核结果。' })).toBeVisible();
  await expect(court.page.getByTestId('step-eligibility')).toContainText('复核通过');
  // A clerk does not issue rulings.
  await expect(court.page.getByRole('form', { name: '作出成交裁定' })).toHaveCount(0);

  // A judge issues the ruling; its PDF downloads.
  await logIn(judge.page, PANEL, DEMO_PASSWORD);
  await expect(judge.page).toHaveURL(/\/court$/);
  await judge.page.goto(`/court/sales/${auction.id}`);
  await judge.page.waitForLoadState('networkidle');
  await judge.page
    .getByRole('form', { name: '作出成交裁定' })
    .getByRole('button', { name: '作出成交裁定' })
    .click();
  await expect(judge.page.getByRole('status').filter({ hasText: '已作出成交裁定。' })).toBeVisible();
  const number = (await judge.page.getByTestId('ruling-number').textContent())!.trim();
  expect(number).toMatch(/^\(2026\)青0104执\d+号之一$/);
  const [download] = await Promise.all([
    judge.page.waitForEvent('download'),
    judge.page.getByRole('link', { name: '下载成交裁定书（PDF）' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`成交裁定书${number}.pdf`);
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile((await download.path())!);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(bytes.toString('latin1')).toMatch(/\/FontFile2 /);

  // The clerk records service (ownership passes), schedules the handover and records it done.
  await court.page.reload();
  await court.page.waitForLoadState('networkidle');
  await court.page
    .getByRole('form', { name: '登记裁定送达' })
    .getByRole('button', { name: '登记裁定送达' })
    .click();
  await expect(
    court.page.getByRole('status').filter({ hasText: '已登记裁定送达，所有权已转移。' }),
  ).toBeVisible();
  const schedule = court.page.getByRole('form', { name: '安排交付' });
  await schedule.getByLabel('交付地点').fill('西宁市城西区人民法院停车场');
  await schedule.getByRole('button', { name: '安排交付' }).click();
  await expect(
    court.page.getByRole('status').filter({ hasText: '已安排交付，买受人会收到通知。' }),
  ).toBeVisible();
  await expect(court.page.getByTestId('step-handover')).toContainText('西宁市城西区人民法院停车场');
  const done = court.page.getByRole('form', { name: '登记交付完成' });
  await done.getByLabel('备注（可选）').fill('车钥匙两把、行驶证已交买受人。');
  await done.getByRole('button', { name: '登记交付完成' }).click();
  await expect(court.page.getByRole('status').filter({ hasText: '已登记交付完成。' })).toBeVisible();
  await expect(court.page.getByRole('heading', { level: 1 }).locator('..')).toContainText('已交付');
  await expect(court.page.getByRole('list', { name: '办理记录' })).toContainText('王书记员');
  await expect(court.page.getByRole('list', { name: '办理记录' })).toContainText('李法官');
  // The court's listing page leads here.
  await court.page.goto(`/court/listings/${auction.id}`);
  // Issue 22: the sold listing's desk names the buyer (the auction has ended), the balance's state
  // and the next step.
  const sold = court.page.getByRole('region', { name: '成交与余款' });
  await expect(sold).toContainText(bidder.realName);
  await expect(sold).toContainText('已付清');
  await expect(sold.getByRole('link', { name: '成交裁定与交付' })).toHaveAttribute(
    'href',
    `/court/sales/${auction.id}`,
  );
  await court.page.getByRole('link', { name: '成交后事务（成交裁定与交付）' }).click();
  await expect(court.page).toHaveURL(new RegExp(`/court/sales/${auction.id}$`));

  // The buyer sees each step with its date, on the auction page and among his purchases.
  await buyer.goto(`/auctions/${auction.id}`);
  for (const step of ['confirmation', 'balance', 'eligibility', 'ruling', 'service', 'handover'])
    await expect(result.getByTestId(`step-${step}`)).toContainText('已完成');
  // What is left is the buyer's own title registration (art. 26), the one current step.
  await expect(result.getByTestId('step-title')).toHaveAttribute('aria-current', 'step');
  await expect(result.getByTestId('step-ruling')).toContainText(number);
  await expect(result.getByTestId('step-service')).toContainText(today());
  await expect(result.getByTestId('step-handover')).toContainText(today());
  await expect(result).not.toContainText('王书记员');
  await expectNoHorizontalScroll(buyer);
  // On the phone the navigation sits behind its menu button.
  await buyer.getByRole('button', { name: '菜单' }).click();
  await buyer.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的成交' }).click();
  await expect(buyer).toHaveURL(/\/me\/purchases$/);
  const card = buyer.getByTestId('purchase').filter({ hasText: auction.title });
  await expect(card.getByTestId('step-ruling')).toContainText(number);
  await expect(card.getByRole('list', { name: '交付记录' })).toContainText('完成交付');
  const pdf = await buyer.request.get(`/sales/${auction.id}/ruling.pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).equals(bytes)).toBe(true);
  await expectNoHorizontalScroll(buyer);

  for (const w of [buyerWindow, court, judge]) expect(w.problems).toEqual([]);
  await buyerWindow.close();
  await court.close();
  await judge.close();
});
