import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/**
 * A court's listing made through its pages, as court-desk.spec.ts makes one: a case, a residential
 * asset appraised at ¥1,000,000.10, and a first-auction draft announced now with bidding 31 days
 * later (art. 12: 30 days for real estate). The clerk of 青0104 is signed in on `page`.
 */
let sequence = 0;
export function newCaseNumber() {
  sequence += 1;
  const serial = (Date.now() * 10 + (process.pid % 10) + sequence * 13) % 1_000_000;
  return `(2026)青0104执${serial}号`;
}

/** `YYYY-MM-DDTHH:mm` in Beijing time, what a datetime-local input holds. */
export const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);

async function open(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
}

export async function draftListing(page: Page, title: string) {
  await open(page, '/court/cases/new');
  await page.getByLabel('案号').fill(newCaseNumber());
  await page.getByLabel('执行依据').fill('(2025)青0104民初88号民事判决书');
  await page.getByLabel('执行标的金额（元）').fill('1200000');
  const applicant = page.getByRole('group', { name: '申请执行人 1' });
  await applicant.getByLabel('姓名或名称').fill('青海某商贸有限公司');
  await applicant.getByLabel('主体类型').selectOption('company');
  await applicant.getByLabel('证件号码（脱敏）或统一社会信用代码').fill('91630100MA7XXXXX1K');
  await applicant.getByLabel('债权金额（元）').fill('1200000');
  const respondent = page.getByRole('group', { name: '被执行人 1' });
  await respondent.getByLabel('姓名或名称').fill('张某');
  await respondent.getByLabel('证件号码（脱敏）或统一社会信用代码').fill('630104********1234');
  await page.getByRole('button', { name: '创建案件' }).click();
  await expect(page).toHaveURL(/\/court\/cases\/[0-9a-f-]{36}$/);

  await page.waitForLoadState('networkidle');
  await page.getByLabel('财产类型').selectOption('residential');
  await page.getByLabel('财产名称').fill(title);
  await page.getByLabel('省（自治区、直辖市）').selectOption('青海省');
  await page.getByLabel('市', { exact: true }).selectOption('西宁市');
  await page.getByLabel('区（县）').fill('城西区');
  await page.getByLabel('详细地址').fill('五四西路某小区 8 号楼 1 单元 302 室');
  await page.getByLabel('财产描述').fill('建筑面积 89.2 平方米，两室一厅。');
  await page.getByLabel('评估价或参考价（元）').fill('1000000.10');
  await page.getByLabel('定价依据').selectOption('appraisal_report');
  await page.getByLabel('评估基准日').fill('2026-01-15');
  await page.getByRole('button', { name: '登记财产' }).click();
  await expect(page).toHaveURL(/\/court\/assets\/[0-9a-f-]{36}$/);

  await page.waitForLoadState('networkidle');
  const now = Date.now();
  const startsAt = now + 31 * 86_400_000;
  await page.getByLabel('起拍价（元）').fill('700000.07');
  await page.getByLabel('保证金（元）').fill('70000');
  await page.getByLabel('公告发布时间').fill(beijing(now));
  await page.getByLabel('竞价开始时间').fill(beijing(startsAt));
  await page.getByLabel('竞价结束时间').fill(beijing(startsAt + 86_400_000));
  await page.getByLabel('法院联系方式').fill('王书记员 0971-6100000');
  await page.getByLabel('监督电话').fill('0971-6100001');
  await page.getByRole('button', { name: '保存为草稿' }).click();
  await expect(page).toHaveURL(/\/court\/listings\/[0-9a-f-]{36}\?done=draft$/);
  return page.url().replace(/\?.*$/, '');
}
