import {
  DEMO,
  DEMO_PASSWORD,
  expect,
  expectNoHorizontalScroll,
  logIn,
  pixel7,
  submitLogin,
  test,
} from './fixtures';

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

test.describe('staff pages on a 390 px phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('lists and forms fit the screen; a wide table scrolls inside its frame', async ({ page, browser }) => {
    await logIn(page, DEMO.clerk, DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/court$/);
    const paths = [
      '/court',
      '/court/cases',
      '/court/cases/new',
      '/court/listings',
      '/court/deposits',
      '/court/sales',
    ];
    for (const path of [...paths, '/aid/policies', '/aid/claims/new']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoHorizontalScroll(page);
    }
    await page.goto('/court/cases');
    const cases = page.getByRole('table', { name: /本院执行案件/ });
    await expect(cases).toBeVisible();
    const frame = page.locator('.table-wrap').filter({ has: cases });
    expect(
      await frame.evaluate((el) => el.scrollWidth > el.clientWidth),
      'the table scrolls in its frame',
    ).toBe(true);
    await page.getByRole('table').getByRole('link').first().click();
    await expect(page.getByRole('table', { name: '当事人' })).toBeVisible();
    await expectNoHorizontalScroll(page);
    // A demo sale with its steps, record and action forms (server/demo/seed-sales.ts).
    await page.goto('/court/sales');
    await page.getByRole('table', { name: '待交付' }).getByRole('link').first().click();
    await expect(page.getByRole('list', { name: '进度' })).toBeVisible();
    await expectNoHorizontalScroll(page);

    // The administrators' pages: the staff list (with its per-row form) and the organisations.
    for (const [email, path] of [
      ['court-admin@demo.lastmile.test', '/staff'],
      ['admin@demo.lastmile.test', '/admin'],
    ] as const) {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
      try {
        const admin = await context.newPage();
        await logIn(admin, email, DEMO_PASSWORD);
        await expect(admin).not.toHaveURL(/\/login/);
        await admin.goto(path);
        await expect(admin.getByRole('heading', { level: 1 })).toBeVisible();
        await expect(admin.getByRole('table')).toBeVisible();
        await expectNoHorizontalScroll(admin);
      } finally {
        await context.close();
      }
    }
  });
});
