import { type Browser, devices, type Page } from '@playwright/test';
import {
  type Bidder,
  browserProblems,
  DEMO,
  DEMO_PASSWORD,
  expect,
  logIn,
  masked,
  newBidder,
  signUp,
  test,
} from './fixtures';
import { type AcceleratedServer, createSeizedVehicle, startAcceleratedServer } from './live-auction';

/**
 * A priority purchaser as a real bidder (art. 19, 21, 27), end to end: the clerk designates him by
 * his resident ID in the listing form, a panel member approves, he signs up with that ID,
 * registers, pays the deposit and bids under a P1- code, equal to the leader, and leads; the
 * other bidder gets an ordinary code. The listing goes through the court's forms, so bidding
 * must start soon after its announcement: factor 43,200 makes the 15 days of a movable's
 * announcement (art. 12) 30 s and the 24-hour minimum window 2 s (the window here is longer).
 */
const FACTOR = 43_200;
/** From filling the form to the start: the approval must come with 30 s (the lead) to spare. */
const STARTS_IN_MS = 70_000;

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

/**
 * A browser context of its own, failing on page errors like fixtures.ts `page`; `allowed` are the
 * console errors it expects (the browser logs a refused form post, 400, as one).
 */
async function openWindow(browser: Browser, allowed: RegExp[] = []): Promise<Window> {
  const context = await browser.newContext({
    ...devices['Desktop Chrome'],
    baseURL: server.baseURL,
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  const problems = browserProblems(page, allowed);
  return { page, problems, close: () => context.close() };
}

/** `YYYY-MM-DDTHH:mm:ss` in Beijing time, what the datetime-local inputs read as Beijing time. */
const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19);

/** Registers for the auction and pays the deposit with the local simulator. */
async function registerAndPay(page: Page, listingId: string) {
  await page.goto(`/auctions/${listingId}/register`);
  await page.getByLabel('我已阅读并接受竞买须知和特别提示').check();
  await page.getByRole('button', { name: '报名并交纳保证金' }).click();
  await expect(page).toHaveURL(/\/me\/pay\/deposit\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('pay-amount')).toHaveText('¥700.00');
  await page.getByRole('button', { name: '银行卡支付（模拟）' }).click();
  await page.getByRole('button', { name: '模拟支付成功' }).click();
  await expect(page.getByTestId('pay-status')).toHaveText('已冻结');
}

/** The bidder code the auction page shows its registered bidder. */
async function codeOn(page: Page, listingId: string) {
  await page.goto(`/auctions/${listingId}`);
  const status = page.getByTestId('my-status');
  await expect(status).toHaveText(/^您的竞买号：(P\d-)?[2-9A-Z]{4}，尚未出价。$/);
  return /：((?:P\d-)?[2-9A-Z]{4})，/.exec((await status.textContent()) ?? '')![1]!;
}

test('the court designates a priority purchaser by ID; he signs up, registers, gets P1-, bids equal to the leader and leads; the other bidder gets an ordinary code', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const asset = await createSeizedVehicle(server);
  const purchaser: Bidder = { ...newBidder(), realName: '赵优先' };
  const other: Bidder = { ...newBidder(), realName: '钱竞买' };
  // The clerk's wrong ID number is refused with 400.
  const court = await openWindow(browser, [
    /^Failed to load resource: the server responded with a status of 400\b/,
  ]);
  const panel = await openWindow(browser);
  const him = await openWindow(browser);
  const rival = await openWindow(browser);
  try {
    // The clerk lists the vehicle and designates the co-owner by his resident ID.
    await logIn(court.page, DEMO.clerk, DEMO_PASSWORD);
    await expect(court.page).toHaveURL(/\/court$/);
    await court.page.goto(`/court/assets/${asset.id}`);
    await court.page.waitForLoadState('networkidle');
    const now = Date.now();
    const form = court.page;
    await form.getByLabel('起拍价（元）').fill('7000');
    await form.getByLabel('保证金（元）').fill('700');
    await form.getByLabel('加价幅度（元）').fill('100');
    await form.getByLabel('公告发布时间').fill(beijing(now));
    await form.getByLabel('竞价开始时间').fill(beijing(now + STARTS_IN_MS));
    await form.getByLabel('竞价结束时间').fill(beijing(now + STARTS_IN_MS + 10 * 60_000));
    await form.getByLabel('法院联系方式').fill('王书记员 0971-6100000');
    await form.getByLabel('监督电话').fill('0971-6100001');
    const row = form.getByRole('group', { name: '优先购买权人 1' });
    await row.getByLabel('姓名或名称').fill(purchaser.realName);
    await row.getByLabel('顺位').selectOption('1');
    await row.getByLabel('权利类型').selectOption('co_owner');
    await row.getByLabel('身份类型').selectOption('person');
    // A wrong check character is refused beside the field, and nothing is saved.
    const idField = row.getByLabel('证件号码');
    const wrong = `${purchaser.nationalId.slice(0, 17)}${purchaser.nationalId.endsWith('0') ? '1' : '0'}`;
    await idField.fill(wrong);
    await form.getByRole('button', { name: '保存为草稿' }).click();
    await expect(idField).toHaveAttribute('aria-invalid', 'true');
    await expect(idField).toHaveAccessibleDescription(/身份证号码无效，请核对（含校验位）。/);
    await idField.fill(purchaser.nationalId);
    await form.getByRole('button', { name: '保存为草稿' }).click();
    await expect(form).toHaveURL(/\/court\/listings\/[0-9a-f-]{36}\?done=draft$/);
    const listingId = /listings\/([0-9a-f-]{36})/.exec(form.url())![1]!;
    // The court sees the name and the masked ID, never the number.
    const designated = form.getByRole('row', { name: /赵优先/ });
    await expect(designated).toContainText(`自然人（居民身份证） ${masked(purchaser.nationalId)}`);
    await expect(designated).toContainText('尚未报名');
    expect(await form.content()).not.toContain(purchaser.nationalId);
    await form.getByRole('button', { name: '提交合议庭审批' }).click();
    // (The accelerated profile's banner is a status too: the notice is found by its text.)
    await expect(form.getByText('已提交合议庭审批。')).toBeVisible();

    // A panel member approves it with the rest of the listing (art. 27).
    await logIn(panel.page, 'panel@demo.lastmile.test', DEMO_PASSWORD);
    await expect(panel.page).toHaveURL(/\/court$/);
    await panel.page.goto(`/court/listings/${listingId}`);
    await panel.page.getByRole('button', { name: '审批通过并发布公告' }).click();
    await expect(panel.page.getByText('审批通过，拍卖公告已发布。')).toBeVisible();

    // The public page shows the rank and the kind of right only.
    const publicHtml = await (await fetch(`${server.baseURL}/auctions/${listingId}`)).text();
    expect(publicHtml).toContain('第 1 顺位');
    expect(publicHtml).not.toContain(purchaser.realName);
    expect(publicHtml).not.toContain(masked(purchaser.nationalId));

    // He signs up with the designated ID; the registration page tells him, and he gets P1-.
    await signUp(him.page, purchaser);
    await him.page.goto(`/auctions/${listingId}/register`);
    await expect(him.page.getByTestId('priority-notice')).toContainText('第 1 顺位优先购买权人（共有人）');
    await registerAndPay(him.page, listingId);
    const hisCode = await codeOn(him.page, listingId);
    expect(hisCode).toMatch(/^P1-[2-9A-Z]{4}$/);

    // Anyone else registers as an ordinary bidder: no notice, no P code.
    await signUp(rival.page, other);
    await rival.page.goto(`/auctions/${listingId}/register`);
    await expect(rival.page.getByRole('button', { name: '报名并交纳保证金' })).toBeVisible();
    await expect(rival.page.getByTestId('priority-notice')).toHaveCount(0);
    await registerAndPay(rival.page, listingId);
    const rivalCode = await codeOn(rival.page, listingId);
    expect(rivalCode).toMatch(/^[2-9A-Z]{4}$/);

    // The court sees him registered under his code.
    await court.page.reload();
    await expect(court.page.getByRole('row', { name: /赵优先/ })).toContainText(`已报名，竞买号 ${hisCode}`);

    // Bidding starts on the server's clock; the rival opens at the starting price.
    const open = rival.page.getByRole('button', { name: '出价 ¥7,000.00', exact: true });
    await expect(async () => {
      await rival.page.reload();
      await expect(open).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 90_000 });
    await expect(rival.page.getByText('实时更新已连接')).toBeVisible();
    await open.click();
    await rival.page.getByRole('button', { name: '确认出价' }).click();
    await expect(rival.page.getByTestId('bid-message')).toHaveText('出价成功：¥7,000.00。');
    await expect(rival.page.getByRole('button', { name: /行使优先购买权/ })).toHaveCount(0);

    // He bids the same price with his priority right, and leads.
    await him.page.goto(`/auctions/${listingId}`);
    await expect(him.page.getByText('实时更新已连接')).toBeVisible();
    await him.page.getByRole('button', { name: '以当前价 ¥7,000.00 行使优先购买权' }).click();
    await him.page.getByRole('button', { name: '确认出价' }).click();
    await expect(him.page.getByTestId('bid-message')).toHaveText('出价成功：¥7,000.00。');
    await expect(him.page.getByTestId('my-status')).toHaveText(`您的出价领先（竞买号 ${hisCode}）。`);
    await expect(rival.page.getByTestId('outbid')).toHaveText(
      `您已被超越：当前价 ¥7,000.00，领先竞买号 ${hisCode}。`,
    );
    await expect(rival.page.getByTestId('leader')).toHaveText(`领先竞买号：${hisCode}`);
    // Codes only while bidding (art. 18): the rival's page does not name him.
    await expect(rival.page.locator('main')).not.toContainText(purchaser.realName);

    for (const w of [court, panel, him, rival]) expect(w.problems, 'a browser reported errors').toEqual([]);
  } finally {
    for (const w of [court, panel, him, rival]) await w.close();
  }
});
