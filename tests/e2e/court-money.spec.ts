import { readFileSync } from 'node:fs';
import type { Browser, BrowserContextOptions, Page } from '@playwright/test';
import {
  browserProblems,
  DEMO,
  DEMO_PASSWORD,
  expect,
  expectNoHorizontalScroll,
  logIn,
  pixel7,
  test,
} from './fixtures';

const BIDDER2 = 'bidder2@demo.lastmile.test'; // 王五
const PANEL = 'panel@demo.lastmile.test';
const XINING_CLERK = 'clerk.xining@demo.lastmile.test';
/** An announced demo auction of the clerk's court (server/demo/seed-auctions.ts): deposit ¥27,000.00. */
const MACHINES = '数控机床三台（含配套设备）';

/** The payments service's messages, from the catalog that owns them (so rewording does not break this). */
const payments = JSON.parse(readFileSync(new URL('../../app/i18n/money.zh-CN.json', import.meta.url), 'utf8'))
  .payments as Record<string, string>;

// Refused forms answer 400 (a wrong amount, a rejection without reason) and another court's
// case account 404: the browser logs each as a failed resource load.
test.use({
  allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of (400|404)\b/],
});

/** The first page load of a form: wait until the scripts are in, so the form is React's. */
async function open(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
}

/**
 * A second user in a browser context of his own, failing the test on a console error like the
 * `page` fixture does (only the failed loads of refused forms are expected).
 */
async function asUser(browser: Browser, email: string, device: BrowserContextOptions = {}) {
  const context = await browser.newContext({ ...device, locale: 'zh-CN' });
  const page = await context.newPage();
  const problems = browserProblems(page, [/status of (400|404)\b/]);
  await logIn(page, email, DEMO_PASSWORD);
  await expect(page).not.toHaveURL(/\/login/);
  return {
    page,
    close: async () => {
      await context.close();
      expect(problems, `the browser of ${email} reported errors`).toEqual([]);
    },
  };
}

/** The bidder registers for the auction and chooses to pay by bank transfer: his reference. */
async function bidderChoosesBankTransfer(browser: Browser): Promise<string> {
  const bidder = await asUser(browser, BIDDER2);
  try {
    const page = bidder.page;
    await page.goto(`/auctions?q=${encodeURIComponent(MACHINES)}`);
    await page.getByRole('link', { name: MACHINES }).first().click();
    await expect(page).toHaveURL(/\/auctions\/[0-9a-f-]{36}$/);
    await open(page, `${new URL(page.url()).pathname}/register`);
    await page.locator('input[name="acceptNotices"]').check();
    const promise = page.locator('input[name="promiseEligibility"]');
    if ((await promise.count()) > 0) await promise.check();
    await page.locator('form:has(input[name="acceptNotices"]) button[type="submit"]').click();
    await expect(page).toHaveURL(/\/me\/pay\/deposit\/[0-9a-f-]{36}$/);
    await page.waitForLoadState('networkidle');
    await page.locator('button[name="method"][value="bank_transfer"]').click();
    const reference = page.getByTestId('transfer-reference');
    await expect(reference).toHaveText(/^LM-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    return (await reference.textContent())!.trim();
  } finally {
    await bidder.close();
  }
}

test('a clerk records and a second staff member confirms a bank-transfer deposit for another bidder', async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  const reference = await bidderChoosesBankTransfer(browser);
  const bankReference = `ABC${Date.now()}`;

  // The clerk finds the reference waiting for money, with the bidder's name and what he owes.
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/court$/);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '银行到账' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '银行到账' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const waiting = page
    .getByRole('table', { name: '尚未到账的汇款识别码' })
    .getByRole('row', { name: reference });
  await expect(waiting).toContainText('王五');
  await expect(waiting).toContainText('¥27,000.00');

  // A wrong amount is refused, the message beside the amount field.
  const record = page.getByRole('form', { name: '登记到账' });
  await record.getByLabel('汇款识别码').fill(reference.toLowerCase().replaceAll('-', ' '));
  await record.getByLabel('到账金额（元）').fill('26999.99');
  await record.getByLabel('银行流水号').fill(bankReference);
  await record.getByRole('button', { name: '登记到账' }).click();
  const amount = record.getByLabel('到账金额（元）');
  await expect(amount).toHaveAttribute('aria-invalid', 'true');
  await expect(amount).toHaveAccessibleDescription(new RegExp(payments.transferAmountMismatch!));
  await expect(record.getByLabel('汇款识别码')).not.toHaveAttribute('aria-invalid');
  await expect(record.getByLabel('银行流水号')).toHaveValue(bankReference); // what was typed is kept

  // The right amount (typed as the bank statement shows it) is recorded, awaiting a second person.
  await amount.fill('27,000.00');
  await record.getByRole('button', { name: '登记到账' }).click();
  await expect(page.getByRole('status').filter({ hasText: '到账已登记' })).toBeVisible();
  await expect(record.getByLabel('汇款识别码')).toHaveValue(''); // a fresh form for the next one
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: reference }) });
  await expect(card).toContainText('¥27,000.00');
  await expect(card).toContainText(bankReference);
  await expect(card).toContainText('王书记员');
  await expect(card).toContainText('此笔由您登记：须由另一名工作人员复核确认。');
  await expect(card.getByRole('button', { name: '确认到账' })).toHaveCount(0);

  // Forcing the confirmation anyway: the service refuses it, and the desk says why (not a 403 page).
  const transferId = (await card.getByRole('heading').getAttribute('id'))!.replace(/^transfer-/, '');
  const csrf = await page.locator('input[name="csrf"]').first().inputValue();
  const forced = await page.request.post('/court/transfers', {
    form: { csrf, intent: 'confirm', transferId },
    headers: { Origin: new URL(page.url()).origin, 'Sec-Fetch-Site': 'same-origin' },
    maxRedirects: 0,
  });
  expect(forced.status()).toBe(403);
  expect(await forced.text()).toContain(payments.makerChecker);
  await page.reload();
  await expect(card).toContainText('此笔由您登记');

  // A panel member, on his phone, confirms it; a rejection would need a reason.
  const panel = await asUser(browser, PANEL, pixel7);
  try {
    const p = panel.page;
    await open(p, '/court/transfers');
    await expectNoHorizontalScroll(p);
    const theirs = p.getByRole('listitem').filter({ has: p.getByRole('heading', { name: reference }) });
    await expect(theirs).toContainText('王书记员');
    await theirs.getByRole('button', { name: '退回' }).click();
    await expect(theirs.getByLabel('退回理由')).toHaveAccessibleDescription(payments.rejectNeedsReason!);
    await theirs.getByRole('button', { name: '确认到账' }).click();
    await expect(p.getByRole('status').filter({ hasText: '到账已确认。' })).toBeVisible();
    await expect(p.getByRole('heading', { name: reference })).toHaveCount(0);
    await expect(
      p.getByRole('table', { name: '尚未到账的汇款识别码' }).getByRole('row', { name: reference }),
    ).toHaveCount(0);
    const decided = p.getByRole('table', { name: '最近处理的到账' }).getByRole('row', { name: reference });
    await expect(decided).toContainText('已确认');
    await expect(decided).toContainText(bankReference);

    // The court's deposit list: the bidder's deposit is held, with his bidder code; filtered by status.
    await open(p, '/court/deposits');
    await p.getByLabel('状态', { exact: true }).selectOption({ label: '已冻结' });
    await p.getByRole('button', { name: '筛选' }).click();
    await expect(p).toHaveURL(/\/court\/deposits\?status=held$/);
    const row = p.getByRole('table', { name: '保证金明细' }).getByRole('row').filter({ hasText: MACHINES });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('王五');
    await expect(row).toContainText('已冻结');
    await expect(row).toContainText('银行转账');
    await expect(row).toContainText(reference);
    await expect(row).toContainText('¥27,000.00');
    await expect(row.getByRole('cell').nth(1)).toHaveText(/^[2-9A-Z]{4}$/);
    await expect(
      p.getByRole('table', { name: '按状态合计' }).getByRole('row', { name: /已冻结/ }),
    ).toBeVisible();
    await expectNoHorizontalScroll(p);

    // The listing filter: the auction's title leads to its deposits only.
    await row.getByRole('link', { name: MACHINES }).click();
    await expect(p).toHaveURL(/\/court\/deposits\?listingId=[0-9a-f-]{36}$/);
    await expect(p.getByText(`仅显示“${MACHINES}”的保证金。`)).toBeVisible();
    await expectNoHorizontalScroll(p);
  } finally {
    await panel.close();
  }

  // The export: a UTF-8 CSV with a BOM, the same filter, amounts in yuan.
  await open(page, '/court/deposits?status=held');
  const href = await page.getByRole('link', { name: '导出 CSV' }).getAttribute('href');
  expect(href).toBe('/court/deposits.csv?status=held');
  const csv = await page.request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(csv.headers()['content-disposition']).toMatch(/^attachment; filename="deposits-\d{8}\.csv"$/);
  const bytes = await csv.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').split('\r\n');
  expect(lines[0]).toBe(
    '拍卖标的,竞买人,竞买号,金额（元）,缴纳方式,状态,汇款识别码,报名时间（北京时间）,冻结时间（北京时间）,结算时间（北京时间）',
  );
  const line = lines.find((l) => l.includes(reference));
  expect(line).toMatch(new RegExp(`^${MACHINES},王五,[2-9A-Z]{4},27000\\.00,银行转账,已冻结,${reference},`));
  expect(lines.filter((l) => l.includes(',已冻结,')).length).toBe(lines.length - 2); // header, final CRLF
});

test("a case account (一案一账号) and its export; another court's clerk gets 404 for it", async ({
  page,
  browser,
}) => {
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/court$/);
  await page.goto('/court/cases');
  const first = page.getByRole('table').getByRole('link').first();
  const caseNumber = (await first.textContent())!.trim();
  await first.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(caseNumber);
  await page.getByRole('link', { name: '案款账户（一案一账号）' }).click();
  await expect(page).toHaveURL(/\/court\/cases\/[0-9a-f-]{36}\/account$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${caseNumber} 案款账户`);
  await expect(page.getByTestId('closing-balance')).toHaveText(/^-?¥[\d,]+\.\d{2}$/);
  const accountUrl = new URL(page.url()).pathname;

  const csv = await page.request.get(`${accountUrl}.csv`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(csv.headers()['content-disposition']).toMatch(/^attachment; filename="case-account-\d{8}\.csv"$/);
  const text = (await csv.body()).toString('utf8');
  expect(text.startsWith('\uFEFF日期（北京时间）,摘要,金额（元）,余额（元）,备注\r\n,期初余额,,')).toBe(true);
  expect(text).toMatch(/\r\n,期末余额,,-?\d+\.\d{2},\r\n$/);

  const xining = await asUser(browser, XINING_CLERK);
  try {
    const response = await xining.page.goto(accountUrl);
    expect(response?.status()).toBe(404);
    await expect(xining.page.getByRole('alert')).toHaveText('页面不存在。');
    await expect(xining.page.getByRole('main')).not.toContainText(caseNumber);
    expect((await xining.page.request.get(`${accountUrl}.csv`)).status()).toBe(404);
  } finally {
    await xining.close();
  }
});
