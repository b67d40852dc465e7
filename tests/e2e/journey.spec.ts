import {
  type Bidder,
  browserProblems,
  expect,
  expectNoHorizontalScroll,
  newBidder,
  pixel7,
  submitSignUp,
  test,
} from './fixtures';
import {
  type AcceleratedServer,
  createLiveAuction,
  registerAndPay,
  startAcceleratedServer,
  winAndPayBalance,
} from './live-auction';
import { practise } from './practice';

/**
 * A new bidder's whole road on a 390 px phone (issue 21, "Done means"), as one person in one
 * browser: he lands on the home page and sees a live auction with a moving countdown, opens it,
 * is asked to sign in to follow, signs up from there and comes back to it, follows it with a
 * reminder five minutes before the end, practises (模拟拍卖, an extension of his own included),
 * registers for the real auction and pays the deposit, confirms a bid, gets the ending-soon
 * reminder, wins at the hammer, pays the balance, and finds the road after the sale with its next
 * steps and no request to pay again.
 *
 * Under the accelerated profile (its own server, tests/e2e/live-auction.ts) so the auction ends
 * within the test; the reminder's five minutes are real minutes (ADR 027), so the auction ends
 * six and a half minutes after it is made, and the reminder comes about when he has bid.
 */
const FACTOR = 24;
const ENDS_IN_MS = 6.5 * 60_000;

let server: AcceleratedServer;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startAcceleratedServer(FACTOR);
});
test.afterAll(async () => {
  await server?.stop();
});

test('on a phone: home → follow → sign up → practise → register → bid → reminder → win → pay → the road after the sale', async ({
  browser,
}) => {
  test.setTimeout(ENDS_IN_MS + 180_000);
  const auction = await createLiveAuction(server, ENDS_IN_MS);
  const context = await browser.newContext({
    ...pixel7,
    viewport: { width: 390, height: 844 },
    baseURL: server.baseURL,
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  const problems = browserProblems(page);

  // The home page: the auction among those live now, its countdown moving.
  await page.goto('/');
  const card = page
    .getByTestId('home-liveNow')
    .getByTestId('listing-card')
    .filter({ hasText: auction.title });
  await expect(card.getByTestId('card-price')).toHaveText('¥7,000.00');
  const clock = card.locator('.countdown-clock');
  await expect(clock).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
  const first = await clock.textContent();
  await expect.poll(() => clock.textContent(), { timeout: 10_000 }).not.toBe(first);
  await expectNoHorizontalScroll(page);

  // He opens it; following asks for an account, and signing up brings him back to the auction.
  await card.getByRole('link', { name: auction.title }).click();
  await expect(page).toHaveURL(new RegExp(`/auctions/${auction.id}$`));
  await page.getByRole('link', { name: '登录后关注，开拍和结束前提醒您' }).click();
  await expect(page).toHaveURL(/\/login\?redirectTo=/);
  await page.getByRole('main').getByRole('link', { name: '注册', exact: true }).click();
  await expect(page).toHaveURL(/\/signup\?redirectTo=/);
  const bidder: Bidder = { ...newBidder(), realName: '周一路' };
  await submitSignUp(page, bidder);
  await expect(page).toHaveURL(new RegExp(`/auctions/${auction.id}$`));

  // Follows it, to be reminded five minutes before the end.
  await page.getByLabel('结束前提醒：').selectOption('5');
  await page.getByRole('button', { name: '关注', exact: true }).click();
  await expect(page.getByTestId('following')).toHaveText('已关注');
  await expect(page.getByTestId('followers')).toHaveText('1 人关注');

  // Practises first (the helper asserts the confirmation, his extension and the result).
  const { extensions } = await practise(page);
  expect(extensions).toBeGreaterThanOrEqual(1);
  await expectNoHorizontalScroll(page);

  // The real auction: registers, pays the deposit, and confirms a bid at the starting price.
  await registerAndPay(page, auction);
  await page.getByRole('button', { name: '出价 ¥7,000.00', exact: true }).click();
  const confirm = page.getByTestId('bid-confirm');
  await expect(confirm).toBeVisible();
  await expect(page.getByTestId('bid-confirm-words')).toHaveText('柒仟元整');
  await confirm.getByRole('button', { name: '确认出价' }).click();
  await expect(page.getByTestId('bid-message')).toHaveText('出价成功：¥7,000.00。');
  await expect(page.getByTestId('my-status')).toContainText('领先');
  await expectNoHorizontalScroll(page);

  // 我的拍卖: he is bidding, and the ending-soon reminder he chose has reached him.
  await page.goto('/me/auctions');
  const mine = page.getByTestId('my-auction').filter({ hasText: auction.title });
  await expect(mine.getByTestId('my-auction-state')).toHaveText('您领先');
  // (Five minutes before the end: a little after the bid, so the page is read again until it comes.)
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('notices')).toContainText(
      `您关注或报名的“${auction.title}”将在约 5 分钟后`,
      { timeout: 1_000 },
    );
  }).toPass({ timeout: auction.endsAt.getTime() - 5 * 60_000 - Date.now() + 60_000, intervals: [2_000] });
  await expectNoHorizontalScroll(page);

  // The hammer: he has won; the confirmation names him and the balance is due.
  await page.goto(`/auctions/${auction.id}`);
  await winAndPayBalance(page, bidder.realName, auction.endsAt.getTime() - Date.now() + 60_000);

  // The road after the sale: the balance done, the next step current, nothing more to pay.
  await page.goto(`/auctions/${auction.id}`);
  const result = page.getByTestId('auction-result');
  await expect(result.getByTestId('step-balance')).toContainText('已完成');
  await expect(result.locator('ol.sale-steps [aria-current="step"]')).toHaveCount(1);
  await expect(result.getByTestId('step-handover')).toBeVisible();
  await expect(page.getByRole('link', { name: '支付余款' })).toHaveCount(0);
  await expect(page.getByRole('main')).not.toContainText('请在期限内支付余款');
  await expectNoHorizontalScroll(page);
  await page.goto('/me/auctions');
  await expect(mine.getByTestId('my-auction-state')).toHaveText('余款已付清');

  expect(problems, 'the browser reported errors').toEqual([]);
  await context.close();
});
