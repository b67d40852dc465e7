import { expect, logIn, logOut, masked, newBidder, signUp, submitLogin, test } from './fixtures';

test('a bidder signs up, sees only his masked ID, logs out and in, and switches language', async ({
  page,
}) => {
  const bidder = newBidder();
  await signUp(page, bidder);

  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
  await expect(page.getByText(`${bidder.realName}，您好`)).toBeVisible();
  const maskedId = masked(bidder.nationalId);
  expect(maskedId).toMatch(/^\d{3}\*{11}\d{3}[\dX]$/);
  await expect(page.getByRole('main')).toContainText(maskedId);
  // Not on the page, nor anywhere in the HTML (hydration data included).
  expect(await page.content()).not.toContain(bidder.nationalId);

  await logOut(page);
  await submitLogin(page, bidder.email, bidder.password);
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText(maskedId);
  expect(await page.content()).not.toContain(bidder.nationalId);

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeVisible();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeVisible();
  await page.goto('/');
  await expect(
    page.getByRole('heading', { level: 1, name: 'Judicial auctions and enforcement aid in one place' }),
  ).toBeVisible();
  await page.getByRole('link', { name: 'My account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeVisible();

  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
});

test('anonymous visitors of /me are sent to log in, and come back to /me afterwards', async ({ page }) => {
  await page.goto('/me');
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fme$/);
  await expect(page.getByRole('heading', { level: 1, name: '登录' })).toBeVisible();

  await submitLogin(page, 'bidder@demo.lastmile.test', 'Demo2026lastmile');
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
});

test.describe('login lockout', () => {
  // The refused logins answer 401 and 423, which the browser logs as failed resource loads.
  test.use({
    allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of (401|423)\b/],
  });

  test('five wrong passwords lock the account, and then even the right one is refused', async ({ page }) => {
    const bidder = newBidder();
    await signUp(page, bidder);
    await logOut(page);

    const alert = page.getByRole('alert');
    /** Submits the login form and returns the status of the answer to that post. */
    const attempt = async (password: string) => {
      const answer = page.waitForResponse(
        (r) => new URL(r.url()).pathname.startsWith('/login') && r.request().method() === 'POST',
      );
      await submitLogin(page, bidder.email, password);
      return (await answer).status();
    };

    for (const left of [4, 3, 2, 1]) {
      expect(await attempt(`${bidder.password}-wrong`)).toBe(401);
      await expect(alert).toHaveText(`邮箱或密码错误。再失败 ${left} 次，账户将被暂时锁定。`);
    }
    expect(await attempt(`${bidder.password}-wrong`)).toBe(423);
    await expect(alert).toContainText('账户已锁定');
    await expect(alert).toHaveText('登录失败次数过多，账户已锁定，请 15 分钟后再试。');

    // The right password no longer opens the account, in this page or a fresh one.
    expect(await attempt(bidder.password)).toBe(423);
    await expect(alert).toHaveText('登录失败次数过多，账户已锁定，请 15 分钟后再试。');
    await expect(page).toHaveURL(/\/login/);
    await logIn(page, bidder.email, bidder.password);
    await expect(alert).toContainText('账户已锁定');
    await page.goto('/me');
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fme$/);
  });
});
