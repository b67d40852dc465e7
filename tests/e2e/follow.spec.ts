import { devices } from '@playwright/test';
import { browserProblems, expect, newBidder, signUp, test } from './fixtures';
import { type AcceleratedServer, createLiveAuction, startAcceleratedServer } from './live-auction';

/**
 * 关注 (ADR 027) end to end: a signed-in bidder follows a published auction without registering,
 * finds it in 我的拍卖, sees the follower count move, and gets the in-site start reminder when the
 * server's own job runner starts the auction. Under the accelerated rules profile (its own
 * server, tests/e2e/live-auction.ts), so an auction can be announced and start within the test.
 */
const FACTOR = 24;
/** From publication to the start: time to sign up and follow first. */
const STARTS_IN_MS = 30_000;

let server: AcceleratedServer;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startAcceleratedServer(FACTOR);
});
test.afterAll(async () => {
  await server?.stop();
});

test('a bidder follows an announced auction, finds it in my auctions and gets the start reminder', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const auction = await createLiveAuction(server, 0, { startsInMs: STARTS_IN_MS });
  const context = await browser.newContext({
    ...devices['Desktop Chrome'],
    baseURL: server.baseURL,
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  const problems = browserProblems(page);

  // Not signed in: the page offers a sign-in to follow, not the button.
  await page.goto(`/auctions/${auction.id}`);
  await expect(page.getByTestId('followers')).toHaveText('0 人关注');
  await expect(page.getByRole('button', { name: '关注', exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: '登录后关注，开拍和结束前提醒您' })).toBeVisible();

  const bidder = newBidder();
  await signUp(page, bidder);
  await page.goto(`/auctions/${auction.id}`);
  await page.getByLabel('结束前提醒：').selectOption('30');
  await page.getByRole('button', { name: '关注', exact: true }).click();
  await expect(page).toHaveURL(/\?follow=on$/);
  await expect(page.getByRole('status').filter({ hasText: '已关注：开拍时和结束前会提醒您' })).toBeVisible();
  await expect(page.getByTestId('following')).toHaveText('已关注');
  await expect(page.getByTestId('followers')).toHaveText('1 人关注');
  await expect(page.getByLabel('结束前提醒：')).toHaveValue('30');
  // Following again (a repeated post) is still one follow.
  await page.getByRole('button', { name: '保存提醒时间' }).click();
  await expect(page.getByTestId('followers')).toHaveText('1 人关注');

  // 我的拍卖, from the bidder's navigation: the auction, followed, with its start.
  await page.getByRole('banner').getByRole('link', { name: '我的拍卖' }).click();
  await expect(page).toHaveURL(/\/me\/auctions$/);
  const followed = page.getByTestId('group-followed');
  await expect(followed.getByRole('heading', { name: '关注的拍卖' })).toBeVisible();
  const card = followed.getByTestId('my-auction').filter({ hasText: auction.title });
  await expect(card.getByTestId('my-auction-state')).toHaveText('已关注');
  await expect(card).toContainText('开拍时间');

  // The server starts the auction: the start reminder is in his in-site list.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('notices')).toContainText(`您关注或报名的“${auction.title}”已开始竞价`, {
      timeout: 1_000,
    });
  }).toPass({ timeout: 90_000, intervals: [2_000] });
  // Now live: its next deadline is the end.
  await expect(card).toContainText('结束时间');

  // Unfollow from my auctions: gone from the list, and the count back to 0.
  await card.getByRole('button', { name: '取消关注' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已取消关注。' })).toBeVisible();
  await expect(page.getByTestId('my-auction').filter({ hasText: auction.title })).toHaveCount(0);
  await page.goto(`/auctions/${auction.id}`);
  await expect(page.getByTestId('followers')).toHaveText('0 人关注');

  expect(problems, 'the browser reported errors').toEqual([]);
  await context.close();
});
