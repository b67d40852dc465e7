import type { Page } from '@playwright/test';
import { closeAsZhongben, fileCase, recordMeasure, submitZhongben } from './cases';
import { DEMO, DEMO_PASSWORD, expect, expectNoHorizontalScroll, logIn, test } from './fixtures';

// A refused closing answers 409 (conflict): the browser logs the failed load.
test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 409\b/] });

const caseNumber = () => `(2025)青0104执${(Date.now() * 10 + (process.pid % 10)) % 1_000_000}号`;

async function conditions(page: Page) {
  return page.getByTestId('checklist').getByRole('listitem');
}

test('a clerk files a case, records the measures, is told why 终本 is refused, completes the conditions and closes it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await page.waitForURL(/\/court$/);
  const number = caseNumber();
  await fileCase(page, { caseNumber: number, filedMonthsAgo: 4 });
  // The clock runs: filed four months ago, about two months are left of the six.
  await expect(page.getByTestId('countdown')).toHaveText(/^审限剩余 \d+ 天（\d{4}-\d{2}-\d{2} 届满）$/);
  await expect(await conditions(page)).toHaveCount(6);
  await expect(page.getByTestId('condition-three_months')).toContainText('✓ 已具备');
  await expect(page.getByTestId('condition-notice_and_report')).toContainText('未发出执行通知');

  // Too early: nothing is on file yet. The refusal names each missing condition.
  await submitZhongben(page);
  const close = page.getByRole('form', { name: '结案' });
  await expect(close.getByRole('alert')).toHaveText('尚不具备终本条件，缺少下列条件：');
  await expect(close.getByTestId('close-missing').getByRole('listitem')).toHaveText([
    '已发出执行通知、责令报告财产，并核查报告',
    '已发出限制消费令，依法纳入失信名单',
    '已穷尽财产调查措施',
    '已告知申请执行人并听取意见',
  ]);
  await expect(page.getByTestId('closure')).toHaveCount(0);

  // One measure, with its evidence: the checklist moves, the file is there to open.
  await recordMeasure(page, '执行通知书', async (f) => {
    await f.getByLabel('送达方式').selectOption({ label: '公告送达' });
  });
  const measures = page.getByRole('table', { name: '执行措施' });
  await expect(measures.getByRole('row', { name: /执行通知书/ })).toContainText('公告送达');
  // Served by public notice: the debtor is missing, and must be searched for.
  await expect(page.getByTestId('condition-debtor_whereabouts')).toContainText('被执行人下落不明，尚未查找');
  await recordMeasure(page, '查找被执行人下落', async (f) => {
    await f.getByLabel('情况说明').fill('经公安机关协查，已查找到被执行人住所。');
    await f.getByLabel('已查找到被执行人').check();
  });
  await expect(page.getByTestId('condition-debtor_whereabouts')).toContainText('✓ 已具备');

  // The rest of what 终本 needs, then the closing itself.
  await closeAsZhongben(page);
  await expect(page.getByTestId('closure')).toContainText('终结本次执行程序（终本）');
  await expect(page.getByRole('heading', { level: 1, name: number })).toBeVisible();
  await expect(page.locator('.page-head .tag').first()).toHaveText('终结本次执行');
  for (const item of await (await conditions(page)).all()) await expect(item).toContainText('✓ 已具备');
  await expect(page.getByTestId('countdown')).toHaveText(/^审限内结案：实际用时 \d+ 天/);
  // The search's answer is on file, and the evidence opens.
  await expect(measures.getByRole('row', { name: /网络执行查控/ })).toContainText('未发现财产');
  const evidence = measures.getByRole('link', { name: '送达回证.pdf' });
  const response = await page.request.get((await evidence.getAttribute('href'))!);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/pdf');
  // Closed: nothing more is recorded; it can be resumed as 执恢.
  await expect(page.getByRole('form', { name: '选择措施类别' })).toHaveCount(0);
  await expect(page.getByRole('form', { name: '恢复执行' })).toBeVisible();

  // The list filters: the case is among the court's 终本 cases, not among the open ones.
  await page.goto('/court/cases?status=zhongben');
  await expect(page.getByRole('link', { name: number })).toBeVisible();
  await page.goto('/court/cases?status=open');
  await expect(page.getByRole('link', { name: number })).toHaveCount(0);
});

test('the case page, the filtered list and the overdue list fit a 390 px phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await page.waitForURL(/\/court$/);
  const number = caseNumber();
  await fileCase(page, { caseNumber: number, filedMonthsAgo: 7 });
  // Filed seven months ago: past its six months.
  await expect(page.getByTestId('countdown')).toHaveText(/^已超审限 \d+ 天/);
  await expectNoHorizontalScroll(page);
  await page.goto('/court/overdue');
  await expect(page.getByRole('heading', { level: 1, name: '超期与待办' })).toBeVisible();
  await expect(
    page.getByRole('table', { name: /超审限案件/ }).getByRole('link', { name: number }),
  ).toBeVisible();
  await expectNoHorizontalScroll(page);
  await page.goto('/court/cases?status=overdue&type=first');
  await expect(page.getByRole('link', { name: number })).toBeVisible();
  await expectNoHorizontalScroll(page);
});
