import { request } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { withCheckCharacter } from '../../server/identity/national-id';
import { changeInitialPassword, DEMO, DEMO_PASSWORD, expect, logIn, masked, test } from './fixtures';

const PANEL = 'panel@demo.lastmile.test';
const XINING_CLERK = 'clerk.xining@demo.lastmile.test';
/** A court beside 青0104 under 青01: neither above nor below it (the court above reads its cases). */
const CHENGBEI_CLERK = 'clerk.chengbei@demo.lastmile.test';

// Refused form posts answer 400 (validation) and 403 (forbidden), and another court's case 404:
// the browser logs each as a failed resource load.
test.use({
  allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of (400|403|404)\b/],
});

/** A valid PNG of one red pixel, built here so the test does not depend on a fixture file. */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const pixels = deflateSync(Buffer.from([0, 0xa4, 0x16, 0x1a])); // filter byte + one RGB pixel
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let sequence = 0;
/** A case number of the demo court (青0104) nobody has used in this run. */
function newCaseNumber() {
  sequence += 1;
  const serial = (Date.now() * 10 + (process.pid % 10) + sequence * 7) % 1_000_000;
  return `(2026)青0104执${serial}号`;
}

/** `YYYY-MM-DDTHH:mm` in Beijing time, what a datetime-local input holds. */
const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);

/** The first page load of a form: wait until the scripts are in, so inputs are React's. */
async function open(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
}

async function createCase(page: Page, caseNumber = newCaseNumber()) {
  await open(page, '/court/cases');
  await page.getByRole('link', { name: '新建案件' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '新建执行案件' })).toBeVisible();
  // The help text shows the format with the court's own code.
  await expect(page.getByLabel('案号')).toHaveAccessibleDescription(/青0104执1号/);
  await page.getByLabel('案号').fill(caseNumber);
  await page.getByLabel('执行依据').fill('(2025)青0104民初88号民事判决书');
  await page.getByLabel('执行标的金额（元）').fill('1,200,000.50');
  const applicant = page.getByRole('group', { name: '申请执行人 1' });
  await applicant.getByLabel('姓名或名称').fill('青海某商贸有限公司');
  await applicant.getByLabel('主体类型').selectOption('company');
  await applicant.getByLabel('证件号码（脱敏）或统一社会信用代码').fill('91630100MA7XXXXX1K');
  await applicant.getByLabel('债权金额（元）').fill('1200000.50');
  const respondent = page.getByRole('group', { name: '被执行人 1' });
  await respondent.getByLabel('姓名或名称').fill('张某');
  await respondent.getByLabel('证件号码（脱敏）或统一社会信用代码').fill('630104********1234');
  await page.getByRole('button', { name: '创建案件' }).click();
  await expect(page).toHaveURL(/\/court\/cases\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: caseNumber })).toBeVisible();
  return page.url();
}

const ASSET_TITLE = '西宁市城西区五四西路某小区 3 号楼 2 单元 501 室住宅';

/** Adds a residential asset appraised at ¥1,000,000.10 (70% = ¥700,000.07 exactly). */
async function addAsset(page: Page) {
  await page.getByLabel('财产类型').selectOption('residential');
  await page.getByLabel('财产名称').fill(ASSET_TITLE);
  await page.getByLabel('省（自治区、直辖市）').selectOption('青海省');
  await page.getByLabel('市', { exact: true }).selectOption('西宁市');
  await page.getByLabel('区（县）').fill('城西区');
  await page.getByLabel('详细地址').fill('五四西路某小区 3 号楼 2 单元 501 室');
  await page
    .getByLabel('财产描述')
    .fill('建筑面积 98.5 平方米，钢混结构，不动产权证号青(2019)西宁市不动产权第0012345号。');
  await page.getByLabel('已知瑕疵').fill('卫生间有渗水痕迹。');
  const first = page.getByRole('group', { name: '权利负担 1' });
  await first.getByLabel('类型').selectOption('mortgage');
  await first.getByLabel('说明').fill('抵押给某银行西宁分行，债权数额 30 万元。');
  await page.getByLabel('评估价或参考价（元）').fill('1000000.10');
  await page.getByLabel('定价依据').selectOption('appraisal_report');
  await page.getByLabel('评估基准日').fill('2026-01-15');
  await page.getByRole('button', { name: '登记财产' }).click();
  await expect(page).toHaveURL(/\/court\/assets\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: ASSET_TITLE })).toBeVisible();
  return page.url();
}

async function upload(page: Page, kind: string, file: { name: string; mimeType: string; buffer: Buffer }) {
  await page.getByLabel('附件类别').selectOption(kind);
  await page.getByLabel('选择文件').setInputFiles(file);
  await page.getByRole('button', { name: '上传', exact: true }).click();
}

/** The priority purchaser's resident ID (no demo account has it). */
const PURCHASER_ID = withCheckCharacter('63010419700101123');

/**
 * Fills the listing form of the asset page: announced now, bidding 31 days later for one day
 * (art. 12: 30 days for real estate), a 10% deposit, one priority purchaser.
 */
async function fillListing(page: Page, startingPrice: string) {
  const now = Date.now();
  const startsAt = now + 31 * 86_400_000;
  await page.getByLabel('起拍价（元）').fill(startingPrice);
  await page.getByLabel('保证金（元）').fill('70000');
  await page.getByLabel('公告发布时间').fill(beijing(now));
  await page.getByLabel('竞价开始时间').fill(beijing(startsAt));
  await page.getByLabel('竞价结束时间').fill(beijing(startsAt + 86_400_000));
  await page.getByLabel('法院联系方式').fill('王书记员 0971-6100000');
  await page.getByLabel('监督电话').fill('0971-6100001');
  await page.getByLabel('须符合当地购房资格（限购）').check();
  const purchaser = page.getByRole('group', { name: '优先购买权人 1' });
  await purchaser.getByLabel('姓名或名称').fill('李某');
  await purchaser.getByLabel('顺位').selectOption('1');
  await purchaser.getByLabel('权利类型').selectOption('co_owner');
  await purchaser.getByLabel('身份类型').selectOption('person');
  await purchaser.getByLabel('证件号码').fill(PURCHASER_ID);
}

/** Posts `intent` to the page's own action as a hand-made form would, past what the page offers. */
function forge(page: Page, intent: string) {
  return page.evaluate(async (intent) => {
    const csrf = (document.querySelector('input[name=csrf]') as HTMLInputElement).value;
    const r = await fetch(location.pathname, { method: 'POST', body: new URLSearchParams({ csrf, intent }) });
    return { status: r.status, body: await r.text() };
  }, intent);
}

/** The status tags beside the page's title. */
const heading = (page: Page) => page.getByRole('heading', { level: 1 }).locator('..');

test('a clerk lists a seized flat; the clerk cannot approve it, a panel member does', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/court$/);
  const caseUrl = await createCase(page);
  await expect(page.getByRole('row', { name: /青海某商贸有限公司/ })).toContainText('¥1,200,000.50');

  await addAsset(page);
  await expect(page.getByRole('main')).toContainText('¥1,000,000.10');
  await expect(page.getByRole('main')).toContainText('抵押给某银行西宁分行');

  // A photo: stored, listed, and served back as the same PNG.
  await upload(page, 'photo', { name: '客厅.png', mimeType: 'image/png', buffer: tinyPng() });
  await expect(page.getByRole('status')).toHaveText('附件已上传。');
  const photo = page.getByRole('img', { name: `${ASSET_TITLE}，照片 1` });
  await expect(photo).toBeVisible();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
  const src = await photo.getAttribute('src');
  const served = await page.request.get(src!);
  expect(served.status()).toBe(200);
  expect(served.headers()['content-type']).toBe('image/png');
  expect(served.headers()['x-content-type-options']).toBe('nosniff');
  expect(served.headers()['content-disposition']).toContain("filename*=UTF-8''%E5%AE%A2%E5%8E%85.png");
  expect(served.headers()['cache-control']).toContain('private');
  expect(Buffer.from(await served.body())).toEqual(tinyPng());

  // The listing form: prices in yuan, times in Beijing time, lawful bounds as help texts.
  const start = page.getByLabel('起拍价（元）');
  await expect(start).toHaveAccessibleDescription(/¥700,000\.07.*第十条/);
  await expect(page.getByLabel('保证金（元）')).toHaveAccessibleDescription(/¥35,000\.01 至 ¥140,000\.01/);
  await expect(page.getByLabel('加价幅度（元）')).toHaveValue('7000');
  await expect(page.getByLabel('尾款支付期限（日）')).toHaveValue('15');
  await expect(page.getByLabel('特别提示')).toHaveValue(/现状.*代为竞买.*确认书.*保证金不予退还/s);

  await fillListing(page, '700000.06'); // one fen below 70% of the appraisal
  await page.getByRole('button', { name: '保存为草稿' }).click();

  await expect(page.getByRole('alert')).toHaveText('请检查标红的字段。');
  await expect(start).toHaveAttribute('aria-invalid', 'true');
  // Issue 22: the long form takes the clerk to the first field in error.
  await expect(start).toBeFocused();
  await expect(start).toBeInViewport();
  await expect(start).toHaveAccessibleDescription(
    /起拍价不得低于评估价的 70%（《网络司法拍卖规定》第十条）。/,
  );
  await expect(page).toHaveURL(/\/court\/assets\//);

  await start.fill('700000.07'); // exactly 70%
  await page.getByRole('button', { name: '保存为草稿' }).click();
  await expect(page).toHaveURL(/\/court\/listings\/[0-9a-f-]{36}\?done=draft$/);
  const listingUrl = page.url().replace(/\?.*$/, '');
  await expect(page.getByRole('status')).toContainText('草稿已保存');
  const facts = page.getByRole('definition');
  await expect(page.getByRole('main')).toContainText('¥700,000.07');
  await expect(facts.filter({ hasText: '王书记员（本人）' })).toHaveCount(1);
  await expect(page.getByRole('row', { name: /李某/ })).toContainText('共有人');
  // The court sees the purchaser's ID masked, and that he has not registered.
  await expect(page.getByRole('row', { name: /李某/ })).toContainText(masked(PURCHASER_ID));
  await expect(page.getByRole('row', { name: /李某/ })).toContainText('尚未报名');

  await page.getByRole('button', { name: '提交合议庭审批' }).click();
  await expect(page.getByRole('status')).toHaveText('已提交合议庭审批。');
  await expect(heading(page)).toContainText('待审批');

  // The clerk is offered no approval, and a forged approval is refused without changing anything.
  await expect(page.getByRole('button', { name: '审批通过并发布公告' })).toHaveCount(0);
  const forged = await forge(page, 'approve');
  expect(forged.status).toBe(403);
  expect(forged.body).toContain('您无权访问此页面或执行此操作。');
  await page.reload();
  await expect(heading(page)).toContainText('待审批');

  // A panel member of the same court, in his own browser session, approves.
  const panelContext = await browser.newContext({ locale: 'zh-CN' });
  try {
    const panel = await panelContext.newPage();
    await logIn(panel, PANEL, DEMO_PASSWORD);
    await expect(panel).toHaveURL(/\/court$/);
    await panel.goto(listingUrl);
    await panel.getByRole('button', { name: '审批通过并发布公告' }).click();
    await expect(panel.getByRole('status')).toHaveText('审批通过，拍卖公告已发布。');
    await expect(heading(panel)).toContainText('公告中');
    await expect(panel.getByTestId('approved-by')).toContainText('李法官（本人）');
    await expect(panel.getByRole('link', { name: '查看公开拍卖页面' })).toHaveAttribute(
      'href',
      listingUrl.replace(/^.*\/court\/listings\//, '/auctions/'),
    );
    await expect(panel.getByRole('list', { name: '状态记录' })).toContainText('待审批 → 公告中');
  } finally {
    await panelContext.close();
  }

  // Back with the clerk: published, approved by someone else; the case lists its asset.
  await page.reload();
  await expect(heading(page)).toContainText('公告中');
  await expect(page.getByTestId('approved-by')).toContainText('李法官');
  const listingPath = new URL(listingUrl).pathname;
  await page.goto('/court/listings?status=announced');
  await expect(page.locator(`a[href="${listingPath}"]`)).toHaveText(ASSET_TITLE);
  await expect(page.getByRole('table')).not.toContainText('待审批');
  await page.goto('/court/listings?status=pending_approval');
  await expect(page.locator(`a[href="${listingPath}"]`)).toHaveCount(0);
  await page.goto(caseUrl);
  await expect(page.getByRole('link', { name: ASSET_TITLE })).toBeVisible();

  // Published: the public finds it in search, in the calendar on its bidding day, and on its page.
  const publicPath = listingPath.replace('/court/listings/', '/auctions/');
  const anon = await browser.newContext({ locale: 'zh-CN' });
  try {
    const visitor = await anon.newPage();
    await visitor.goto(`/auctions?q=${encodeURIComponent('五四西路')}&status=upcoming`);
    await expect(visitor.locator(`a[href="${publicPath}"]`).first()).toBeVisible();
    const startsAt = new Date(Date.now() + 31 * 86_400_000);
    const month = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
    })
      .format(startsAt)
      .slice(0, 7);
    await visitor.goto(`/calendar?month=${month}`);
    await expect(visitor.locator(`a[href="${publicPath}"]`).first()).toBeVisible();
    await visitor.goto(publicPath);
    await expect(visitor.getByRole('heading', { level: 1 })).toContainText(ASSET_TITLE);
    await expect(visitor.getByRole('main')).toContainText('即将开始');
  } finally {
    await anon.close();
  }

  // The published announcement changes only by amendments; suspension, resumption and withdrawal
  // are public, with their reasons, in the status history.
  await open(page, listingUrl);
  await page.locator('summary', { hasText: '发布更正公告' }).click(); // opens the <details>
  const amend = page.getByRole('form', { name: '发布更正公告' });
  await amend.getByLabel('更正公告正文').fill('看样时间更正为每周二、周四。');
  await amend.getByLabel('看样安排').fill('每周二、周四 9:00–17:00 看样，请提前预约。');
  await amend.getByRole('button', { name: '发布更正公告' }).click();
  await expect(page.getByRole('status')).toHaveText('更正公告已发布。');
  await expect(page.getByRole('list', { name: '更正公告' })).toContainText('更正内容：看样安排');
  await expect(page.getByRole('main')).toContainText('每周二、周四 9:00–17:00 看样');

  const suspend = page.getByRole('form', { name: '暂缓拍卖' });
  await suspend.getByRole('button', { name: '暂缓拍卖' }).click();
  await expect(suspend.getByLabel('公开理由（将向社会公布）')).toHaveAccessibleDescription(/此项为必填项。/);
  await suspend.getByLabel('公开理由（将向社会公布）').fill('案外人提出执行异议，暂缓拍卖。');
  await suspend.getByRole('button', { name: '暂缓拍卖' }).click();
  await expect(page.getByRole('status')).toHaveText('拍卖已暂缓，理由已公开。');
  await expect(heading(page)).toContainText('已暂缓');
  await expect(page.getByRole('list', { name: '状态记录' })).toContainText(
    '理由：案外人提出执行异议，暂缓拍卖。',
  );

  // The public page shows the suspension and its reason.
  const suspendedView = await (await page.request.get(publicPath)).text();
  expect(suspendedView).toContain('已暂缓');
  expect(suspendedView).toContain('案外人提出执行异议，暂缓拍卖。');

  const resume = page.getByRole('form', { name: '恢复拍卖' });
  await resume.getByLabel('公开说明（可选）').fill('执行异议已驳回。');
  await resume.getByRole('button', { name: '恢复拍卖' }).click();
  await expect(page.getByRole('status')).toHaveText('拍卖已恢复。');
  await expect(heading(page)).toContainText('公告中');

  // Resumption restores it for the public too.
  await page.goto(publicPath);
  await expect(page.getByRole('main')).toContainText('即将开始');
  await expect(page.getByRole('main')).toContainText('执行异议已驳回。');
  await open(page, listingUrl);

  const withdraw = page.getByRole('form', { name: '撤回拍卖' });
  await withdraw.getByLabel('公开理由（将向社会公布）').fill('被执行人已全额履行。');
  await withdraw.getByRole('button', { name: '撤回拍卖' }).click();
  await expect(page.getByRole('status')).toHaveText('拍卖已撤回，理由已公开。');
  await expect(heading(page)).toContainText('已撤回');
  await expect(page.getByText('当前状态下您没有可执行的操作。')).toBeVisible();
});

test('an upload whose bytes are not an image is refused, whatever its name says', async ({ page }) => {
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/court$/);
  await createCase(page);
  await addAsset(page);
  await page.waitForLoadState('networkidle');
  await upload(page, 'photo', {
    name: 'photo.png',
    mimeType: 'image/png',
    buffer: Buffer.from('This is plain text, renamed to look like a PNG.\n'),
  });
  const file = page.getByLabel('选择文件');
  await expect(file).toHaveAttribute('aria-invalid', 'true');
  await expect(file).toHaveAccessibleDescription(/文件类型不符：照片限 JPEG\/PNG\/WebP，文书限 PDF 或图片。/);
  await expect(page.getByText('暂无照片或附件。')).toBeVisible();
});

test("another court's clerk gets 404 for this court's case, asset and files", async ({
  page,
  browser,
  request,
}) => {
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/court$/);
  const caseUrl = await createCase(page);
  const assetUrl = await addAsset(page);
  await upload(page, 'photo', { name: 'p.png', mimeType: 'image/png', buffer: tinyPng() });
  const src = await page.getByRole('img').first().getAttribute('src');

  const other = await browser.newContext({ locale: 'zh-CN' });
  try {
    const chengbei = await other.newPage();
    await logIn(chengbei, CHENGBEI_CLERK, DEMO_PASSWORD);
    await expect(chengbei).toHaveURL(/\/court$/);
    for (const url of [caseUrl, assetUrl]) {
      const response = await chengbei.goto(url);
      expect(response?.status()).toBe(404);
      await expect(chengbei.getByRole('alert')).toHaveText('页面不存在。');
      await expect(chengbei.getByRole('main')).not.toContainText('张某');
    }
    expect((await chengbei.request.get(src!)).status()).toBe(404);
    // Not published yet: anonymous visitors do not see the photo either.
    expect((await request.get(src!)).status()).toBe(404);
  } finally {
    await other.close();
  }
  // The court above reads the case, read-only, but not the asset's working files.
  const above = await browser.newContext({ locale: 'zh-CN' });
  try {
    const xining = await above.newPage();
    await logIn(xining, XINING_CLERK, DEMO_PASSWORD);
    await expect(xining).toHaveURL(/\/court$/);
    expect((await xining.goto(caseUrl))?.status()).toBe(200);
    await expect(xining.getByText('本案由西宁市城西区人民法院承办，贵院只能查阅。')).toBeVisible();
    await expect(xining.getByRole('form', { name: '结案' })).toHaveCount(0);
    expect((await xining.goto(assetUrl))?.status()).toBe(404);
    expect((await xining.request.get(src!)).status()).toBe(404);
  } finally {
    await above.close();
  }
});

test('a staff member who is both clerk and panel member cannot approve the listing he prepared', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  // The court's administrator gives one person both roles (demo data keeps them apart).
  const tag = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const email = `clerk-panel-${tag}@e2e.lastmile.test`;
  const password = `E2e${tag}pass1`;
  const admin = await browser.newContext({ locale: 'zh-CN' });
  try {
    const adminPage = await admin.newPage();
    await logIn(adminPage, 'court-admin@demo.lastmile.test', DEMO_PASSWORD);
    await expect(adminPage).toHaveURL(/\/court$/);
    await open(adminPage, '/staff');
    await adminPage.getByRole('checkbox', { name: '执行书记员' }).check();
    await adminPage.getByRole('checkbox', { name: '合议庭成员' }).check();
    await adminPage.getByLabel('真实姓名').fill('周法官');
    await adminPage.getByLabel('电子邮箱').fill(email);
    await adminPage.getByLabel('密码').fill(password);
    await adminPage.getByRole('button', { name: '创建' }).click();
    await expect(adminPage.getByRole('status')).toHaveText('账户已创建。');
  } finally {
    await admin.close();
  }

  await logIn(page, email, password);
  // Created by the administrator: his own password first (ADR 028).
  await changeInitialPassword(page, password, `${password}Own9`);
  await expect(page).toHaveURL(/\/court$/);
  await createCase(page);
  await addAsset(page);
  await fillListing(page, '700000.07');
  await page.getByRole('button', { name: '保存为草稿' }).click();
  await expect(page).toHaveURL(/\/court\/listings\/[0-9a-f-]{36}\?done=draft$/);
  await page.getByRole('button', { name: '提交合议庭审批' }).click();
  await expect(heading(page)).toContainText('待审批');

  // He is a panel member, but art. 27 wants another one: the service decides the page offers no
  // approval, and refuses a forged one with its reason, changing nothing.
  await expect(page.getByRole('button', { name: '审批通过并发布公告' })).toHaveCount(0);
  const forged = await forge(page, 'approve');
  expect(forged.status).toBe(403);
  expect(forged.body).toContain('审批人不能是拍卖公告的制作人。');
  expect(forged.body).toContain('返回该拍卖公告');
  await page.reload();
  await expect(heading(page)).toContainText('待审批');
  await expect(page.getByTestId('approved-by')).toHaveText('尚未审批');
});

test('an upload over 25 MB is refused from its Content-Length, before the body is read', async ({ page }) => {
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/court$/);
  await createCase(page);
  const assetUrl = await addAsset(page);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  // The headers only, as a browser's form post sends them first: the answer comes from the declared
  // length alone, before a byte of the body is sent (sending it would race the closed connection).
  const boundary = 'lastmile-e2e';
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const url = new URL(assetUrl);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          cookie,
          accept: 'text/html',
          origin: url.origin,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(26 * 1024 * 1024),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.flushHeaders();
  });
  expect(answer.status).toBe(413);
  expect(answer.body).toContain('请求内容过大（上限 25 MB）。');
  await page.reload();
  await expect(page.getByText('暂无照片或附件。')).toBeVisible();
});

// Issue 22, "Done means": a clerk works from his desk: the dashboard's queue, a case found by a
// party's name, the sold listing's desk (buyer, balance, next step) and that next step.
test('a clerk goes from his queue to a case found by a party, its sold listing and its next step', async ({
  page,
}) => {
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/court$/);
  await page
    .getByRole('region', { name: '待办工作' })
    .getByRole('link', { name: /待作出成交裁定/ })
    .click();
  await expect(page).toHaveURL(/\/court\/sales$/);

  // The demo's first sale: a car, its respondent 被执行人21, the buyer 张三 paid in full.
  await page.goto('/court/cases');
  await page.getByLabel('案号或当事人').fill('被执行人21');
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/q=/);
  await page.getByRole('link', { name: '(2026)青0104执901号' }).click();
  await page.getByRole('link', { name: '小型轿车一辆（青A·S8801）' }).first().click();
  await expect(page).toHaveURL(/\/court\/assets\//);
  await page.locator('a[href^="/court/listings/"]').first().click();
  await expect(page).toHaveURL(/\/court\/listings\/[0-9a-f-]{36}$/);
  const listingId = new URL(page.url()).pathname.split('/').at(-1)!;

  const desk = page.getByRole('region', { name: '成交与余款' });
  await expect(desk).toContainText('张三');
  await expect(desk).toContainText('已付清');
  await desk.getByRole('link', { name: '成交裁定与交付' }).click();
  await expect(page).toHaveURL(`/court/sales/${listingId}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('小型轿车一辆（青A·S8801）');
});
