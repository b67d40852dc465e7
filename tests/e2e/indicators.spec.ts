import type { Page } from '@playwright/test';
import { closeAsZhongben, fileCase, submitZhongben } from './cases';
import { DEMO, DEMO_PASSWORD, expect, expectNoHorizontalScroll, logIn, test } from './fixtures';

// A refused closing answers 409 (conflict): the browser logs the failed load.
test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 409\b/] });

const caseNumber = () => `(2025)青0104执${(Date.now() * 10 + (process.pid % 10) + 3) % 1_000_000}号`;

/** The 终本 closures the dashboard counts this period (the denominator of 终本 qualified). */
async function zhongbenClosures(page: Page) {
  await page.goto('/court/indicators');
  const card = page.getByTestId('indicator-zhongben_qualified');
  await expect(card.getByRole('heading', { name: '终本合格率' })).toBeVisible();
  const den = card.getByRole('definition').nth(1).getByRole('link');
  return Number((await den.textContent())!.replace(/,/g, ''));
}

test('a clerk closes a case as 终本 by the book: the dashboard counts it and its drill-down lists it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await page.waitForURL(/\/court$/);
  const before = await zhongbenClosures(page);

  const number = caseNumber();
  await fileCase(page, { caseNumber: number, filedMonthsAgo: 4 });
  // Too early: nothing is on file yet; the refusal names what is missing.
  await submitZhongben(page);
  const close = page.getByRole('form', { name: '结案' });
  await expect(close.getByRole('alert')).toHaveText('尚不具备终本条件，缺少下列条件：');
  await expect(close.getByTestId('close-missing').getByRole('listitem')).toContainText([
    '已发出限制消费令，依法纳入失信名单',
  ]);
  await closeAsZhongben(page);
  await expect(page.getByTestId('closure')).toContainText('终结本次执行程序（终本）');

  // The dashboard's count moved (other specs may close cases of this court too: at least by one).
  const after = await zhongbenClosures(page);
  expect(after).toBeGreaterThanOrEqual(before + 1);
  await expect(page.getByTestId('indicator-zhongben_qualified')).toContainText('达标');

  // Its numerator lists the case, qualified; the page links to it.
  await page
    .getByTestId('indicator-zhongben_qualified')
    .getByRole('definition')
    .first()
    .getByRole('link')
    .click();
  await expect(page.getByRole('heading', { level: 1, name: '终本合格率：计入分子的' })).toBeVisible();
  const row = page.getByRole('row', { name: new RegExp(number.replace(/[()]/g, '\\$&')) });
  await expect(row).toContainText('终结本次执行程序（终本）');
  await row.getByRole('link', { name: number }).click();
  await expect(page.getByRole('heading', { level: 1, name: number })).toBeVisible();

  // The CSV of the drill-down carries it too.
  await page.goBack();
  const csv = await page.request.get(
    (await page.getByRole('link', { name: '导出 CSV' }).getAttribute('href'))!,
  );
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(await csv.text()).toContain(number);
});

test('the dashboard: traffic lights in words, tables beside the charts, the higher court ranks its courts; it fits a phone', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page, 'clerk.xining@demo.lastmile.test', DEMO_PASSWORD);
  await page.waitForURL(/\/court$/);
  await page.goto('/court/indicators');
  await expect(page.getByRole('heading', { level: 1, name: '执行质效指标' })).toBeVisible();
  for (const name of [
    '有财产可供执行案件法定审限内实际执结率',
    '终本合格率',
    '执行信访办结率',
    '近三年总体执结率',
  ])
    await expect(page.getByRole('heading', { level: 3, name })).toBeVisible();
  // Each core indicator's months as a table named by its heading.
  await expect(page.getByRole('table', { name: '终本合格率：按月' })).toBeVisible();
  // The intermediate court over 青0104 and 青0105 ranks them.
  const ranking = page.getByRole('table', { name: '法院排名' });
  await expect(ranking.getByRole('rowheader', { name: /青0104/ })).toBeVisible();
  await expect(ranking.getByRole('rowheader', { name: /青0105/ })).toBeVisible();
  await expectNoHorizontalScroll(page);
  // A court out of reach is not found.
  const other = await page.request.get('/court/indicators?court=00000000-0000-4000-8000-000000000000');
  expect(other.status()).toBe(404);
});
