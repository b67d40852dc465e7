import { DEMO, DEMO_PASSWORD, expect, expectNoHorizontalScroll, pixel7, submitLogin, test } from './fixtures';

test.use(pixel7);

test('home, login and account pages fit a phone screen, and the login form works by touch', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: '司法拍卖与执行救助一站式平台' })).toBeVisible();
  await expectNoHorizontalScroll(page);

  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: '登录' })).toBeVisible();
  await expectNoHorizontalScroll(page);
  const submit = page.getByRole('button', { name: '登录', exact: true });
  await expect(submit).toBeInViewport();
  const box = await submit.boundingBox();
  expect(box?.height ?? 0, 'a button a finger can hit').toBeGreaterThanOrEqual(32);

  await page.getByLabel('电子邮箱').tap();
  await submitLogin(page, DEMO.bidder, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
  await expectNoHorizontalScroll(page);
});
