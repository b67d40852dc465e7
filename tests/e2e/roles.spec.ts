import { DEMO, DEMO_PASSWORD, expect, logIn, test } from './fixtures';

test('a court clerk logs in to the court dashboard of his court', async ({ page }) => {
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/court$/);
  await expect(page.getByRole('heading', { level: 1, name: '法院工作台' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('西宁市城西区人民法院');
  await expect(page.getByRole('link', { name: '法院工作台' })).toBeVisible();
  // Issue 22: the dashboard is a desk to work from, not "coming soon": the demo's sales wait for
  // their rulings, and the queue leads to the post-sale desk.
  await expect(page.getByText('即将上线')).toHaveCount(0);
  const queues = page.getByRole('region', { name: '待办工作' });
  await expect(queues).toBeVisible();
  await queues.getByRole('link', { name: /待作出成交裁定/ }).click();
  await expect(page).toHaveURL(/\/court\/sales$/);
});

test.describe('a bidder on the court dashboard', () => {
  // The 403 document itself is logged by the browser as a failed resource load.
  test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 403/] });

  test('is refused with 403 and a plain message, no stack trace', async ({ page }) => {
    await logIn(page, DEMO.bidder, DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/me$/);

    const response = await page.goto('/court');
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1, name: '出错了' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveText('您无权访问此页面或执行此操作。');
    await expect(page.getByRole('heading', { name: '法院工作台' })).toHaveCount(0);
    const html = await page.content();
    expect(html).not.toMatch(/\bat [\w.<>]+ \(|\.(?:js|ts):\d+:\d+|DomainError|Error: /);
  });
});
