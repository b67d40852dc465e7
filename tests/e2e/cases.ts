import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** The Beijing date `months` months ago (day clamped to 28, so every month has it), `YYYY-MM-DD`. */
export function beijingMonthsAgo(months: number) {
  const now = new Date(Date.now() + 8 * 3_600_000);
  const d = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, Math.min(now.getUTCDate(), 28)),
  );
  return d.toISOString().slice(0, 10);
}

/** A minimal PDF: the server checks the bytes, not the name. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** A debtor the simulated property search finds nothing for (server/cases/property-search.test.ts). */
export const QUIET_DEBTOR = { name: '西宁某某建材有限公司', code: '91630100MA7YYYYY1Y' };

/**
 * Files a case of the demo court through the form, filed `filedMonthsAgo` months ago, its debtor
 * one the network finds nothing for. Returns its number; the page is left on the case.
 */
export async function fileCase(
  page: Page,
  {
    caseNumber,
    filedMonthsAgo = 4,
    amount = '100000',
    applicant = '韩某某',
  }: {
    caseNumber: string;
    filedMonthsAgo?: number;
    amount?: string;
    applicant?: string;
  },
) {
  await page.goto('/court/cases/new');
  await page.waitForLoadState('networkidle');
  await page.getByLabel('案号').fill(caseNumber);
  await page.getByLabel('执行依据', { exact: true }).fill('(2024)青0104民初77号民事判决书');
  await page.getByLabel('立案日期').fill(beijingMonthsAgo(filedMonthsAgo));
  await page.getByLabel('执行标的金额（元）').fill(amount);
  const a = page.getByRole('group', { name: '申请执行人 1' });
  await a.getByLabel('姓名或名称').fill(applicant);
  await a.getByLabel('证件号码（脱敏）或统一社会信用代码').fill('630104********2468');
  await a.getByLabel('债权金额（元）').fill(amount);
  const r = page.getByRole('group', { name: '被执行人 1' });
  await r.getByLabel('姓名或名称').fill(QUIET_DEBTOR.name);
  await r.getByLabel('主体类型').selectOption('company');
  await r.getByLabel('证件号码（脱敏）或统一社会信用代码').fill(QUIET_DEBTOR.code);
  await page.getByRole('button', { name: '创建案件' }).click();
  await expect(page).toHaveURL(/\/court\/cases\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: caseNumber })).toBeVisible();
}

/** Records one measure through the case page: the kind chosen first, then its own form. */
export async function recordMeasure(
  page: Page,
  kind: string,
  fill: (form: ReturnType<Page['getByRole']>) => Promise<void> = async () => {},
) {
  await page.getByRole('form', { name: '选择措施类别' }).getByLabel('措施类别').selectOption({ label: kind });
  await page.getByRole('button', { name: '填写' }).click();
  const form = page.getByRole('form', { name: `记录${kind}` });
  await expect(form).toBeVisible();
  await fill(form);
  await form.getByRole('button', { name: '记录措施' }).click();
  await expect(page.getByRole('status')).toHaveText('执行措施已记录。');
}

/** What 终本 needs, recorded on the open case page; then the case is closed as 终本. */
export async function closeAsZhongben(page: Page, unpaid = '100000') {
  await recordMeasure(page, '执行通知书', async (f) => {
    await f.getByLabel('送达方式').selectOption({ label: '直接送达' });
    await f
      .getByLabel('证据材料（可选）')
      .setInputFiles({ name: '送达回证.pdf', mimeType: 'application/pdf', buffer: PDF });
  });
  await recordMeasure(page, '报告财产令');
  await recordMeasure(page, '财产报告及核查', async (f) => {
    await f.getByLabel('报告及核查结果').selectOption({ label: '如实报告' });
    await f.getByLabel('情况说明').fill('被执行人申报名下无财产，经核查属实。');
  });
  await recordMeasure(page, '限制消费令', async (f) => {
    await f.getByLabel('限制对象').fill(`${QUIET_DEBTOR.name}及其法定代表人`);
  });
  await page
    .getByRole('form', { name: '网络执行查控' })
    .getByRole('button', { name: '网络执行查控' })
    .click();
  await expect(page.getByRole('status')).toHaveText('网络查控已完成，结果已记录。');
  await recordMeasure(page, '约谈申请执行人', async (f) => {
    await f.getByLabel('约谈事项').selectOption({ label: '告知财产调查情况、听取终本意见' });
    await f.getByLabel('情况说明').fill('已告知财产调查情况，申请执行人同意终结本次执行程序。');
  });
  await submitZhongben(page, unpaid);
  await expect(page.getByRole('status')).toHaveText('案件已结案。');
}

/** Fills and submits the closing form for 终本. */
export async function submitZhongben(page: Page, unpaid = '100000') {
  const close = page.getByRole('form', { name: '结案' });
  await close.getByLabel('结案方式').selectOption('terminated_for_now');
  await close.getByLabel('未履行金额（元）').fill(unpaid);
  await close.getByLabel('裁定书文号').fill('(2025)青0104执恢1号之一');
  await close.getByLabel('终本确认方式').selectOption('applicant_signed');
  await close.getByRole('button', { name: '结案' }).click();
}
