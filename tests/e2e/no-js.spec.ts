import { DEMO, DEMO_PASSWORD, expect, submitLogin, test } from './fixtures';

// Forms are plain HTML posts first: they must work with JavaScript off (the browser then sends
// the Origin of a same-origin post only if the Referrer-Policy allows it, see server/http/app.ts).
test.use({ javaScriptEnabled: false });

test('without JavaScript, the login form posts and signs in, and the language switch works', async ({
  page,
}) => {
  await page.goto('/login');
  await submitLogin(page, DEMO.bidder, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('button', { name: '中文' })).toBeVisible();
});

test('without JavaScript, following and unfollowing an auction are plain form posts', async ({ page }) => {
  const MACHINES = '数控机床三台（含配套设备）'; // announced (demo data)
  await page.goto(`/auctions?q=${encodeURIComponent(MACHINES)}`);
  await page.getByRole('link', { name: MACHINES }).first().click();
  const auction = page.url();
  // Not signed in: the follow leads to the login page, and back to the auction.
  await page.getByRole('link', { name: '登录后关注，开拍和结束前提醒您' }).click();
  await submitLogin(page, DEMO.bidder, DEMO_PASSWORD);
  await expect(page).toHaveURL(auction);
  const before = Number((await page.getByTestId('followers').textContent())?.match(/\d+/)?.[0]);
  await page.getByRole('button', { name: '关注', exact: true }).click();
  await expect(page).toHaveURL(`${auction}?follow=on`);
  await expect(page.getByTestId('following')).toHaveText('已关注');
  await expect(page.getByTestId('followers')).toHaveText(`${before + 1} 人关注`);
  await page.getByRole('button', { name: '取消关注' }).click();
  await expect(page).toHaveURL(`${auction}?follow=off`);
  await expect(page.getByTestId('following')).toHaveCount(0);
  await expect(page.getByTestId('followers')).toHaveText(`${before} 人关注`);
});
