import { readFile } from 'node:fs/promises';
import { DEMO, DEMO_PASSWORD, expect, logIn, test } from './fixtures';

// Issue 22, "The case list has 408 cases over 21 pages and no search": the court's case list
// pages by keyset (ADR 030), finds a case by a party's name, and exports the filtered set as CSV.
test('a clerk pages through the cases, finds one by a party and exports what he found', async ({ page }) => {
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/court$/);
  await page.goto('/court/cases');
  const caption = page.getByRole('table').locator('caption');
  await expect(caption).toHaveText(/^本院执行案件，本页 20 件，共 \d+ 件$/);
  const firstPage = await page.getByRole('rowheader').allTextContents();
  expect(firstPage).toHaveLength(20);

  const pager = page.getByRole('navigation', { name: '执行案件分页' });
  await pager.getByRole('link', { name: '下一页' }).click();
  await expect(page).toHaveURL(/[?&]before=/);
  await expect(pager.getByRole('link', { name: '第一页' })).toBeVisible();
  const secondPage = await page.getByRole('rowheader').allTextContents();
  expect(secondPage).toHaveLength(20);
  expect(secondPage.filter((n) => firstPage.includes(n))).toEqual([]);

  // A search starts again from the first page, with the total of what it found.
  await page.getByLabel('案号或当事人').fill('被执行人21');
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/q=/);
  await expect(page).not.toHaveURL(/before=/);
  await expect(page.getByRole('link', { name: '(2026)青0104执901号' })).toBeVisible();
  const found = Number((await caption.textContent())!.match(/共 (\d+) 件/)![1]);
  const shown = await page.getByRole('rowheader').allTextContents();

  // The export: the filtered set, Chinese headers, amounts in yuan, times in Beijing time.
  const exportLink = page.getByRole('link', { name: '导出 CSV' });
  await expect(exportLink).toHaveAttribute('href', /^\/court\/cases\.csv\?q=/);
  const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
  expect(download.suggestedFilename()).toMatch(/^cases-\d{8}\.csv$/);
  const lines = (await readFile((await download.path())!, 'utf8')).split('\r\n').filter(Boolean);
  expect(lines[0]).toBe(
    '\uFEFF案号,承办法院,案件类型,执行依据,执行标的金额（元）,案件状态,立案日期,届满日,结案方式,结案日期,查封财产,创建时间（北京时间）',
  );
  expect(lines).toHaveLength(found + 1);
  const numbers = lines.slice(1).map((l) => l.split(',')[0]);
  expect(numbers).toContain('(2026)青0104执901号');
  expect(numbers.slice(0, shown.length)).toEqual(shown);
  const row = lines.find((l) => l.startsWith('(2026)青0104执901号,'))!.split(',');
  expect(row[4]).toMatch(/^\d+\.\d{2}$/);
  expect(row[11]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
});
