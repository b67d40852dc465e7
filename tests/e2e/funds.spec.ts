import { readFile } from 'node:fs/promises';
import type { Browser, Page } from '@playwright/test';
import {
  browserProblems,
  DEMO,
  DEMO_PASSWORD,
  expect,
  expectNoHorizontalScroll,
  logIn,
  test,
} from './fixtures';
import { soldCaseWithAid } from './funds-setup';
import { type AcceleratedServer, startAcceleratedServer } from './live-auction';

/**
 * From the hammer to the creditors' bank accounts, end to end under the accelerated profile
 * (issue 16, ADR 015). The sale (auction, balance, ruling, handover) is made through the services
 * as the sales spec drives it through the pages; from there the pages: the clerk records the
 * costs, the mortgagee and three ordinary creditors (one of whom received aid, one who follows
 * online), drafts the plan (its PDF), serves it; nobody objects; when the 15 (accelerated) days
 * have passed a judge approves it; the clerk prepares the batch, the judge approves it, the bank
 * file goes out and the bank's confirmation comes back; the aided creditor's share shows the
 * deduction, the insurer's report the money back, the case closes as fully performed. The
 * creditor and the buyer each see their side. Factor 43,200: a day is 2 s, 15 days 30 s.
 */
const FACTOR = 43_200;
const PANEL = 'panel@demo.lastmile.test';
const INSURER = 'insurer@demo.lastmile.test';
const CREDITOR = 'creditor@demo.lastmile.test';

let server: AcceleratedServer;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startAcceleratedServer(FACTOR);
});
test.afterAll(async () => {
  await server?.stop();
});

interface Window {
  page: Page;
  problems: string[];
  close(): Promise<void>;
}

async function openWindow(browser: Browser, phone = false): Promise<Window> {
  const context = await browser.newContext({
    ...(phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : {}),
    baseURL: server.baseURL,
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const problems = browserProblems(page);
  return { page, problems, close: () => context.close() };
}

/** Logs in and waits until the login is through (the home page of the role). */
async function signIn(page: Page, email: string) {
  await logIn(page, email, DEMO_PASSWORD);
  await expect(page).not.toHaveURL(/\/login/);
}

const done = (page: Page, text: string) =>
  expect(page.getByRole('status').filter({ hasText: text })).toBeVisible();

async function recordClaim(
  page: Page,
  c: { party: string; cls: string; principal: string; registeredOn?: string; email?: string },
) {
  const form = page.getByRole('form', { name: '记录债权' });
  await form.getByLabel('债权人', { exact: true }).selectOption({ label: c.party });
  await form.getByLabel('类别').selectOption({ label: c.cls });
  await form.getByLabel('执行依据').fill('(2025)青0104民初300号民事判决书');
  await form.getByLabel('本金（元）').fill(c.principal);
  if (c.registeredOn) await form.getByLabel('担保物权设立或登记日').fill(c.registeredOn);
  if (c.email) await form.getByLabel('债权人平台账户邮箱（选填）').fill(c.email);
  await form.getByLabel('收款人').fill(c.party);
  await form.getByLabel('开户行').fill('中国工商银行西宁分行');
  await form.getByLabel('账号').fill(`62220200${String(c.principal).padStart(10, '0')}`);
  const claims = page.getByRole('table', { name: '债权' });
  const before = await claims
    .getByRole('row')
    .count()
    .catch(() => 0);
  await form.getByRole('button', { name: '记录债权' }).click();
  await done(page, '已记录债权。');
  // The page came back with the claim in the table (the notice may be the previous one's).
  await expect(claims.getByRole('row')).toHaveCount(Math.max(before, 1) + 1);
  await page.waitForLoadState('networkidle');
}

test('a sold case is distributed: costs, a mortgagee and three creditors (one aided) paid, aid returned, the case closed', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const sold = await soldCaseWithAid(server);
  const court = await openWindow(browser);
  const judge = await openWindow(browser);
  const clerk = court.page;
  await logIn(clerk, DEMO.clerk, DEMO_PASSWORD);
  await expect(clerk).toHaveURL(/\/court$/);
  await clerk.goto(`/court/cases/${sold.caseId}`);
  await clerk.getByRole('link', { name: '执行款分配' }).click();
  await expect(clerk).toHaveURL(new RegExp(`/court/cases/${sold.caseId}/funds$`));
  await clerk.waitForLoadState('networkidle');
  // The sale's ¥300,000 is in the case account.
  await expect(clerk.getByTestId('case-balance')).toHaveText('¥300,000.00');

  // Costs and claims.
  const cost = clerk.getByRole('form', { name: '记录执行费用' });
  await cost.getByLabel('种类').selectOption({ label: '评估费' });
  await cost.getByLabel('金额（元）').fill('2000');
  await cost.getByRole('button', { name: '记录执行费用' }).click();
  await done(clerk, '已记录执行费用。');
  await recordClaim(clerk, {
    party: '青海某银行股份有限公司',
    cls: '担保物权',
    principal: '100000',
    registeredOn: '2019-04-01',
  });
  await recordClaim(clerk, { party: '赵一', cls: '普通债权', principal: '30000' });
  await recordClaim(clerk, { party: '钱二', cls: '普通债权', principal: '30000', email: CREDITOR });
  await recordClaim(clerk, { party: '孙三', cls: '普通债权', principal: '30000' });

  // The plan: costs (with the application fee by the scale), the mortgage, the three pro rata, the surplus.
  await clerk
    .getByRole('form', { name: '拟定分配方案' })
    .getByRole('button', { name: '拟定分配方案' })
    .click();
  await done(clerk, '已拟定分配方案。');
  const lines = clerk.getByRole('table', { name: '分配明细' });
  await expect(lines).toContainText('申请执行费按标准计算（诉讼费用交纳办法第14条）');
  await expect(lines).toContainText('担保物权按设立或登记先后受偿（执行规定第55条）');
  await expect(lines).toContainText('清偿后的剩余款项退还被执行人（执行规定第34条）');
  // ¥190,000 executed: ¥50 + 1.5% of ¥180,000 = ¥2,750.
  await expect(lines.getByRole('row', { name: /申请执行费/ })).toContainText('¥2,750.00');
  const [pdf] = await Promise.all([
    clerk.waitForEvent('download'),
    clerk.getByRole('link', { name: '下载分配方案（PDF）' }).click(),
  ]);
  expect((await readFile((await pdf.path())!)).subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // Served on everyone today; nobody objects.
  await clerk.getByRole('form', { name: '记录送达' }).getByRole('button', { name: '记录送达' }).click();
  await done(clerk, '已记录送达。');
  await expect(clerk.getByRole('heading', { level: 1 }).locator('..')).toContainText('已送达，异议期中');
  // The clerk who drafted it never approves.
  await expect(clerk.getByRole('form', { name: '审批分配方案' })).toHaveCount(0);

  // The creditor follows online: his share and the 15 days to object.
  const creditorWindow = await openWindow(browser, true);
  await signIn(creditorWindow.page, CREDITOR);
  await creditorWindow.page.goto('/me/funds');
  const mine = creditorWindow.page.getByTestId('my-plan').filter({ hasText: sold.caseNumber });
  await expect(mine.getByTestId('my-share')).toHaveText('¥30,000.00');
  await expect(mine.getByRole('form', { name: '对分配方案提出异议' })).toBeVisible();
  await expectNoHorizontalScroll(creditorWindow.page);

  // 15 accelerated days later the objection periods are over: a judge approves.
  await logIn(judge.page, PANEL, DEMO_PASSWORD);
  await expect(judge.page).toHaveURL(/\/court$/);
  await expect
    .poll(
      async () => {
        await judge.page.goto(`/court/cases/${sold.caseId}/funds`);
        return judge.page.getByRole('form', { name: '审批分配方案' }).count();
      },
      { timeout: 90_000, intervals: [2_000] },
    )
    .toBe(1);
  await judge.page.waitForLoadState('networkidle');
  await judge.page
    .getByRole('form', { name: '审批分配方案' })
    .getByRole('button', { name: '审批分配方案' })
    .click();
  await done(judge.page, '分配方案已审批，款项已划拨。');
  await expect(judge.page.getByTestId('case-balance')).toHaveText('¥0.00');

  // The payout desk: the clerk prepares, the judge approves, the bank file goes out.
  await clerk.goto('/court/funds/payouts');
  await clerk.waitForLoadState('networkidle');
  await clerk.getByRole('button', { name: '生成付款批次' }).click();
  await done(clerk, '已生成付款批次。');
  await judge.page.goto('/court/funds/payouts');
  await judge.page.waitForLoadState('networkidle');
  // The newest batch (first row): ours; the demo's own batch waits below it.
  const newest = (page: Page) => page.getByRole('table', { name: '付款批次' }).getByRole('row').nth(1);
  await newest(judge.page)
    .getByRole('button', { name: /^审批批次 FD/ })
    .click();
  await done(judge.page, '批次已审批。');
  await clerk.reload();
  await clerk.waitForLoadState('networkidle');
  const [bankFile] = await Promise.all([
    clerk.waitForEvent('download'),
    newest(clerk)
      .getByRole('button', { name: /^导出银行文件 FD/ })
      .click(),
  ]);
  const csv = (await readFile((await bankFile.path())!)).toString('utf8');
  const rows = csv
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(','));
  // Four creditors; 赵一's share less his ¥10,000 of aid.
  expect(rows).toHaveLength(4);
  const zhao = rows.find((r) => r[1] === '赵一')!;
  expect(zhao[4]).toBe('20000.00');
  const confirmation = `reference,status,amount,bank_reference,reason\r\n${rows
    .map((r) => `${r[0]},SUCCESS,${r[4]},BANK-${r[0]},`)
    .join('\r\n')}\r\n`;
  await clerk.goto('/court/funds/payouts');
  await clerk.waitForLoadState('networkidle');
  await clerk.getByLabel('回执文件（CSV）').setInputFiles({
    name: 'confirmation.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(confirmation),
  });
  await clerk.getByRole('button', { name: '导入', exact: true }).click();
  await expect(clerk.getByTestId('imported')).toHaveText('已确认 4 笔，失败 0 笔。');

  // The plan is paid, 赵一's line shows the deduction, the case is closed as fully performed.
  await clerk.goto(`/court/cases/${sold.caseId}/funds`);
  await expect(clerk.getByRole('heading', { level: 1 }).locator('..')).toContainText('已支付');
  const zhaoLine = clerk.getByRole('table', { name: '分配明细' }).getByRole('row', { name: /赵一/ });
  await expect(zhaoLine).toContainText('¥10,000.00');
  await expect(zhaoLine).toContainText('¥20,000.00');
  const timeline = clerk.getByTestId('funds-timeline');
  for (const step of [
    '拟定分配方案',
    '方案送达',
    '异议期届满，方案确定',
    '分配方案审批通过，款项划拨',
    '扣回执行救助金，退还保险人',
    '银行确认到账',
    '案件执行完毕结案',
  ])
    await expect(timeline).toContainText(step);
  await clerk.goto(`/court/cases/${sold.caseId}`);
  await expect(clerk.locator('main')).toContainText('执行完毕');
  // The case page tells the whole story: the auction, the sale's steps, the funds, the closure.
  const story = clerk.getByTestId('case-story');
  for (const step of [
    '拍卖公告（第1次拍卖）',
    '余款付清',
    '成交后：',
    '拟定分配方案',
    '扣回执行救助金，退还保险人',
    '案件执行完毕结案',
  ])
    await expect(story).toContainText(step);

  // The insurer's report shows the money back.
  const insurer = await openWindow(browser);
  await signIn(insurer.page, INSURER);
  await insurer.page.goto('/aid/reports');
  await expect(insurer.page.getByTestId('report-recovered')).not.toHaveText('¥0.00');

  // The creditor sees his payment; the buyer his purchase handed over.
  await creditorWindow.page.goto('/me/funds');
  await expect(mine.getByTestId('my-paid')).toHaveText('¥30,000.00');
  await expect(mine.getByRole('table', { name: '我的收款' })).toContainText('¥30,000.00');
  await expect(mine.getByRole('form', { name: '对分配方案提出异议' })).toHaveCount(0);
  const buyer = await openWindow(browser, true);
  await signIn(buyer.page, DEMO.bidder);
  await buyer.page.goto('/me/purchases');
  await expect(
    buyer.page
      .getByTestId('purchase')
      .filter({ hasText: sold.title })
      .getByRole('list', { name: '交付记录' }),
  ).toContainText('完成交付');

  for (const w of [court, judge, creditorWindow, insurer, buyer]) expect(w.problems).toEqual([]);
  for (const w of [court, judge, creditorWindow, insurer, buyer]) await w.close();
});
