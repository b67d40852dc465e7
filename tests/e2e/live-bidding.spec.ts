import { type Browser, devices, type Page } from '@playwright/test';
import {
  type Bidder,
  browserProblems,
  expect,
  expectNoHorizontalScroll,
  newBidder,
  pixel7,
  signUp,
  test,
} from './fixtures';
import {
  type AcceleratedServer,
  createLiveAuction,
  registerAndPay,
  startAcceleratedServer,
} from './live-auction';

/**
 * Live bidding end to end, under the accelerated rules profile (tests/e2e/live-auction.ts
 * starts its own server). The profile divides every legal duration by one factor, so the
 * 5-minute extension (art. 20) is always 1/288 of the 24-hour minimum window: factor 24 makes
 * the extension 12.5 s ("the last five minutes" are the last 12.5 s) and the window one hour,
 * which the auction spends mostly in the past (its clock is set back when it is published).
 * (Factor 1440 would make the window 60 s but the extension 0.2 s: too short to watch.)
 */
const FACTOR = 24;
/** From publication to the scheduled end: time to register, pay, and bid a few times first. */
const ENDS_IN_MS = 50_000;

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

/** A browser context of its own (one bidder), failing on page errors like fixtures.ts `page`. */
async function openWindow(browser: Browser, phone: boolean): Promise<Window> {
  const context = await browser.newContext({
    ...(phone ? pixel7 : devices['Desktop Chrome']),
    baseURL: server.baseURL,
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  const problems = browserProblems(page);
  return { page, problems, close: () => context.close() };
}

async function bidButton(page: Page, yuan: string) {
  await page.getByRole('button', { name: `出价 ¥${yuan}`, exact: true }).click();
  await page.getByRole('button', { name: '确认出价' }).click();
  await expect(page.getByTestId('bid-message')).toHaveText(`出价成功：¥${yuan}。`);
}

const extensions = async (page: Page) => {
  const text = (await page.getByTestId('extension-count').textContent()) ?? '';
  return Number(/已延时 (\d+) 次/.exec(text)?.[1] ?? 0);
};

test('two bidders register, pay, bid live under codes; a last-minute bid extends both countdowns; the winner sees the confirmation and the balance, the loser the deposit released', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  // Two bidders in two contexts; the second on a phone (412 px wide).
  const a = await openWindow(browser, false);
  const b = await openWindow(browser, true);
  const alice: Bidder = { ...newBidder(), realName: '张竞买' };
  const bob: Bidder = { ...newBidder(), realName: '李竞买' };
  await Promise.all([signUp(a.page, alice), signUp(b.page, bob)]);

  const auction = await createLiveAuction(server, ENDS_IN_MS);
  const [codeA, codeB] = await Promise.all([
    registerAndPay(a.page, auction),
    registerAndPay(b.page, auction),
  ]);
  expect(codeA).not.toBe(codeB);
  await expect(b.page.getByTestId('current-price')).toHaveText('¥7,000.00');
  await expectNoHorizontalScroll(b.page);

  // A opens at the starting price; B sees it at once, under A's code only.
  await bidButton(a.page, '7,000.00');
  await expect(a.page.getByTestId('my-status')).toHaveText(`您的出价领先（竞买号 ${codeA}）。`);
  await expect(b.page.getByTestId('current-price')).toHaveText('¥7,000.00');
  await expect(b.page.getByTestId('leader')).toHaveText(`领先竞买号：${codeA}`);
  await expect(b.page.getByTestId('bid-history').locator('tbody tr')).toHaveCount(1);
  await expect(b.page.getByTestId('bid-history').locator('tbody tr').first()).toContainText(codeA);

  // B types another amount; A is told he was outbid.
  await b.page.getByLabel('其他金额（元）').fill('7100');
  await b.page.getByRole('button', { name: '按此金额出价' }).click();
  await b.page.getByRole('button', { name: '确认出价' }).click();
  await expect(b.page.getByTestId('bid-message')).toHaveText('出价成功：¥7,100.00。');
  await expect(a.page.getByTestId('outbid')).toHaveText(
    `您已被超越：当前价 ¥7,100.00，领先竞买号 ${codeB}。`,
  );
  await expect(a.page.getByTestId('my-status')).toHaveText(`您的出价已被超越（竞买号 ${codeA}）。`);

  // An amount off the increment grid is refused with the rule; the next button is not.
  await a.page.getByLabel('其他金额（元）').fill('7150');
  await a.page.getByRole('button', { name: '按此金额出价' }).click();
  await a.page.getByRole('button', { name: '确认出价' }).click();
  await expect(a.page.getByTestId('bid-message')).toHaveText(/^出价须在当前价基础上增加加价幅度的整数倍/);
  // Without JavaScript the same form posts to the page's action: A bids ¥7,200 from a second,
  // script-less window of his session; a double submit (same key from the page) is one bid.
  const noJs = await browser.newContext({
    ...devices['Desktop Chrome'],
    baseURL: server.baseURL,
    locale: 'zh-CN',
    javaScriptEnabled: false,
    storageState: await a.page.context().storageState(),
  });
  const plain = await noJs.newPage();
  await plain.goto(`/auctions/${auction.id}`);
  const freeBid = plain.locator('form.free-bid');
  const posted = {
    csrf: (await freeBid.locator('input[name=csrf]').getAttribute('value')) ?? '',
    clientKey: (await freeBid.locator('input[name=clientKey]').getAttribute('value')) ?? '',
    intent: 'bid',
    confirmed: '1',
  };
  await plain.getByLabel('其他金额（元）').fill('7200');
  await plain.getByRole('button', { name: '按此金额出价' }).click();
  // The confirmation step works without JavaScript too: the action asks for it first.
  await expect(plain).toHaveURL(new RegExp(`\\?confirm=720000&key=${posted.clientKey}$`));
  await expect(plain.getByTestId('bid-confirm-words')).toHaveText('柒仟贰佰元整');
  await plain.getByRole('button', { name: '确认出价' }).click();
  await expect(plain).toHaveURL(/\?bid=accepted&amount=720000&seq=\d+$/);
  await expect(plain.getByTestId('bid-message')).toHaveText('出价成功：¥7,200.00。');
  const again = await plain.request.post(`/auctions/${auction.id}`, {
    form: { ...posted, amount: '7300' },
    maxRedirects: 0,
  });
  expect(again.status()).toBe(302);
  expect(again.headers().location).toMatch(/\?bid=accepted&amount=720000&seq=\d+$/); // the first answer
  // A proxy set and cancelled by the plain forms (he leads, so it bids nothing).
  await plain.getByLabel('最高出价上限（元）').fill('7500');
  await plain.getByRole('button', { name: '设置委托出价' }).click();
  await expect(plain).toHaveURL(/\?proxy=set&max=750000&placed=0$/);
  await expect(plain.getByTestId('proxy-current')).toHaveText('当前委托上限：¥7,500.00');
  await plain.getByRole('button', { name: '取消委托出价' }).click();
  await expect(plain).toHaveURL(/\?proxy=cancelled$/);
  await expect(plain.getByTestId('bid-message')).toHaveText('委托出价已取消，已代您出的价仍然有效。');
  await expect(plain.getByTestId('proxy-current')).toHaveCount(0);
  await noJs.close();
  await expect(a.page.getByTestId('my-status')).toHaveText(`您的出价领先（竞买号 ${codeA}）。`);
  await expect(b.page.getByTestId('outbid')).toHaveText(
    `您已被超越：当前价 ¥7,200.00，领先竞买号 ${codeA}。`,
  );
  for (const w of [a, b]) {
    const rows = w.page.getByTestId('bid-history').locator('tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toContainText(codeA);
    await expect(rows.nth(0)).toContainText('¥7,200.00');
    await expect(rows.nth(1)).toContainText(codeB);
    await expect(rows.nth(2)).toContainText('¥7,000.00');
  }
  // A proxy maximum below what he must bid next is refused beside the field.
  await b.page.getByLabel('最高出价上限（元）').fill('7200');
  await b.page.getByRole('button', { name: '设置委托出价' }).click();
  await expect(b.page.getByText('委托出价上限不得低于下一个有效出价金额。')).toBeVisible();
  // And again over the socket: B's last-minute bid below then stands unanswered, which it would
  // not if the proxy still bid for A.
  await a.page.getByLabel('最高出价上限（元）').fill('7500');
  await a.page.getByRole('button', { name: '设置委托出价' }).click();
  await expect(a.page.getByTestId('proxy-current')).toHaveText('当前委托上限：¥7,500.00');
  await a.page.getByRole('button', { name: '取消委托出价' }).click();
  await expect(a.page.getByTestId('bid-message')).toHaveText('委托出价已取消，已代您出的价仍然有效。');
  await expect(a.page.getByTestId('proxy-current')).toHaveCount(0);
  // Codes only while bidding (art. 18): neither page names the other bidder.
  await expect(a.page.locator('main')).not.toContainText(bob.realName);
  await expect(b.page.locator('main')).not.toContainText(alice.realName);

  // The last "five minutes" (12.5 s): B bids, and the end moves in both windows.
  await expect(b.page.getByTestId('ending-soon')).toBeVisible({ timeout: 60_000 });
  const before = await extensions(a.page);
  await bidButton(b.page, '7,300.00');
  for (const w of [a, b]) {
    await expect(w.page.getByTestId('extended-cue')).toHaveText('结束时间已顺延 +12.5 秒');
    await expect(w.page.getByTestId('extension-count')).toHaveText(`已延时 ${before + 1} 次`);
    await expect(w.page.getByTestId('current-price')).toHaveText('¥7,300.00');
  }
  await expectNoHorizontalScroll(b.page);

  // Nobody bids again: the auction closes on the server's clock and both pages show the result.
  for (const w of [a, b]) {
    await expect(w.page.getByRole('heading', { name: '拍卖成交' })).toBeVisible({ timeout: 30_000 });
    const confirmation = w.page.getByTestId('confirmation');
    await expect(confirmation.getByRole('heading', { name: '网络竞价成功确认书' })).toBeVisible();
    await expect(confirmation.getByTestId('confirmation-winner')).toHaveText(bob.realName);
    await expect(confirmation.getByTestId('confirmation-code')).toHaveText(codeB);
    await expect(confirmation.getByTestId('confirmation-price')).toHaveText('¥7,300.00');
  }
  await expectNoHorizontalScroll(b.page);

  // The winner: the deposit counts toward the price, the balance is due.
  await expect(b.page.getByTestId('winner-notice')).toBeVisible();
  await expect(b.page.getByTestId('balance-due')).toContainText('应付余款 ¥6,600.00');
  await b.page.getByRole('link', { name: '支付余款' }).click();
  await expect(b.page).toHaveURL(/\/me\/pay\/balance\/[0-9a-f-]{36}$/);
  await expect(b.page.getByText('¥6,600.00').first()).toBeVisible();

  // The loser: his deposit is released (art. 23), right after the close.
  await expect(a.page.getByTestId('winner-notice')).toHaveCount(0);
  await expect(async () => {
    await a.page.reload();
    await expect(a.page.getByTestId('deposit-result')).toContainText('保证金 ¥700.00 已退还', {
      timeout: 1_000,
    });
  }).toPass({ timeout: 20_000 });
  // His road: the end, then the deposit back (art. 23), done; nothing of the winner's.
  await expect(a.page.getByTestId('step-depositRelease')).toContainText('已完成');
  await expect(a.page.getByTestId('step-balance')).toHaveCount(0);

  expect(a.problems, 'bidder A’s browser reported errors').toEqual([]);
  expect(b.problems, 'bidder B’s browser reported errors').toEqual([]);
  await a.close();
  await b.close();
});
