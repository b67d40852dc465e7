import type { Page } from '@playwright/test';
import { beijingMonth, formatMonth, shiftMonth } from '../../app/components/public/time';
import { expect, expectNoHorizontalScroll, pixel7, test } from './fixtures';

// The public pages against the demo auctions (server/demo/seed-auctions.ts: one listing in each
// state, made through the real services). Other specs may publish more listings on the same
// server, so nothing here counts on a total or on a page being empty unless its filter makes it so.

const SHOP = '西宁市城西区五四大街临街商铺（一层）'; // live
const FLAT = '西宁市城西区胜利路某小区 5 号楼 1 单元 602 室住宅'; // round 1 failed, round 2 announced
const PARKING = '城西区某小区地下车位 A-108'; // suspended
const MACHINES = '数控机床三台（含配套设备）'; // announced, bidding in about 16 days
const NOTHING = '没有这样的拍品-e2e';

/** A 4xx page is logged by the browser as a failed resource load; those tests expect it. */
const failedLoad = (status: number) =>
  new RegExp(`^Failed to load resource: the server responded with a status of ${status}\\b`);

async function search(page: Page, q: string) {
  await page.goto(`/auctions?q=${encodeURIComponent(q)}`);
  return page.getByRole('article').filter({ has: page.getByRole('heading', { name: q }) });
}

test.describe('auction search', () => {
  test('shows its filters and results, keeps the filters, and has an empty state', async ({ page }) => {
    const response = await page.goto('/auctions');
    expect(response?.status()).toBe(200);
    await expect(page).toHaveTitle('司法拍卖 · 最后一公里');
    await expect(page.getByRole('heading', { level: 1, name: '司法拍卖' })).toBeVisible();
    const filters = page.getByRole('search', { name: '筛选条件' });
    for (const label of [
      '关键词',
      '财产类型',
      '拍卖状态',
      '省份',
      '城市',
      '法院',
      '排序',
      '起拍价下限（元）',
      '起拍价上限（元）',
    ])
      await expect(filters.getByLabel(label, { exact: true })).toBeVisible();
    await expect(page.getByText(/^共 \d+ 件拍品$/)).toBeVisible();
    await expect(page.getByRole('link', { name: SHOP })).toBeVisible();
    // Drafts and listings awaiting approval are the court's business only.
    await expect(page.getByRole('link', { name: '城西区某小区 2 号楼 301 室住宅' })).toHaveCount(0);

    await filters.getByLabel('关键词').fill('商铺');
    await filters.getByLabel('财产类型').selectOption({ label: '商业用房' });
    await filters.getByLabel('拍卖状态').selectOption({ label: '正在进行' });
    await filters.getByLabel('法院').selectOption({ label: '西宁市城西区人民法院' });
    await filters.getByLabel('起拍价下限（元）').fill('1000000.5');
    await filters.getByRole('button', { name: '搜索' }).click();
    await expect(page).toHaveURL(/[?&]type=commercial\b/);
    const url = new URL(page.url());
    expect(url.searchParams.get('q')).toBe('商铺');
    expect(url.searchParams.get('court')).toBe('青0104');
    expect(url.searchParams.get('status')).toBe('live');
    expect(url.searchParams.get('minPrice')).toBe('1000000.5');
    await expect(filters.getByLabel('关键词')).toHaveValue('商铺');
    await expect(filters.getByLabel('财产类型')).toHaveValue('commercial');
    await expect(filters.getByLabel('法院')).toHaveValue('青0104');
    const card = page.getByRole('article').filter({ has: page.getByRole('heading', { name: SHOP }) });
    await expect(card).toContainText('正在进行');
    await expect(card).toContainText('¥1,610,000.00');
    await expect(card).toContainText('西宁市城西区人民法院');

    await filters.getByLabel('起拍价下限（元）').fill('1610000.01');
    await filters.getByRole('button', { name: '搜索' }).click();
    await expect(page.getByText('没有符合条件的拍品。请放宽筛选条件后再试。')).toBeVisible();
    await expect(page.getByText('共 0 件拍品')).toBeVisible();
    await page.getByRole('link', { name: '清除筛选条件' }).first().click();
    await expect(page).toHaveURL(/\/auctions$/);
    await expect(page.getByRole('link', { name: SHOP })).toBeVisible();
  });

  test.describe('malformed queries', () => {
    test.use({ allowedConsoleErrors: [failedLoad(400)] });

    test('answer 400 with the message next to the field, not a 500', async ({ page }) => {
      const response = await page.goto('/auctions?minPrice=abc&type=castle&q=车');
      expect(response?.status()).toBe(400);
      await expect(page.getByRole('alert')).toHaveText('请检查标红的字段。');
      const min = page.getByLabel('起拍价下限（元）');
      await expect(min).toHaveAttribute('aria-invalid', 'true');
      await expect(min).toHaveAccessibleDescription('请输入金额（元），最多两位小数。');
      await expect(page.getByLabel('财产类型')).toHaveAccessibleDescription('此项的取值无效。');
      // What was typed stays, so it can be corrected.
      await expect(min).toHaveValue('abc');
      await expect(page.getByLabel('关键词')).toHaveValue('车');
      await expect(page.getByRole('heading', { name: '搜索结果' })).toHaveCount(0);
    });
  });

  test('switches to English', async ({ page }) => {
    await page.goto('/auctions');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Judicial auctions' })).toBeVisible();
    await expect(page.getByText(/^\d+ listings?$/)).toBeVisible();
    await page.getByRole('button', { name: '中文' }).click();
    await expect(page.getByRole('heading', { level: 1, name: '司法拍卖' })).toBeVisible();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the filter form searches and the announcement renders in full', async ({ page }) => {
    await page.goto('/auctions');
    await page.getByLabel('关键词').fill(NOTHING);
    await page.getByLabel('排序').selectOption({ label: '起拍价从低到高' });
    await page.getByRole('button', { name: '搜索' }).click();
    await expect(page).toHaveURL(/sort=price_asc/);
    await expect(page.getByLabel('关键词')).toHaveValue(NOTHING);
    await expect(page.getByText('没有符合条件的拍品。请放宽筛选条件后再试。')).toBeVisible();

    await (await search(page, SHOP)).getByRole('link', { name: SHOP }).click();
    await expect(page.getByRole('heading', { level: 1, name: SHOP })).toBeVisible();
    await expect(page.getByText('距竞价结束')).toBeVisible();
    await expect(
      page.getByText(/^结束时间：\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}（北京时间）$/),
    ).toBeVisible();
    // No clock to correct without JavaScript: a fixed time, never a countdown from the browser.
    await expect(page.getByRole('timer')).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 2, name: '特别提示' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: '拍卖进程' })).toBeVisible();
  });
});

test.describe('an announcement', () => {
  test('a live auction: countdown on the server clock, live connection, photos, court link', async ({
    page,
  }) => {
    await (await search(page, SHOP)).getByRole('link', { name: SHOP }).click();
    await expect(page).toHaveURL(/\/auctions\/[0-9a-f-]{36}$/);
    await expect(page).toHaveTitle(`${SHOP} · 最后一公里`);
    const header = page.locator('header.auction-header');
    await expect(header.getByText('正在进行', { exact: true })).toBeVisible();
    await expect(page.getByText('距竞价结束')).toBeVisible();
    await expect(page.getByRole('timer')).toHaveText(/^(\d+ 天 )?\d{2}:\d{2}:\d{2}$/);
    await expect(page.getByRole('status').filter({ hasText: '实时更新已连接' })).toBeVisible();

    const facts = page.getByRole('complementary', { name: '价格与倒计时' });
    await expect(facts).toContainText('¥1,610,000.00');
    await expect(facts).toContainText('¥2,300,000.00');
    await expect(facts).toContainText('成交后 15 日内');
    await expect(page.getByText('按照法律规定由买卖双方各自承担', { exact: false }).first()).toBeVisible();
    await expect(page.getByText('租赁合同已于 2025 年到期')).toBeVisible();

    const photo = page.getByRole('img', { name: `${SHOP}：第 1 张照片，共 3 张` });
    await photo.scrollIntoViewIfNeeded();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

    await page.getByRole('link', { name: '西宁市城西区人民法院' }).first().click();
    await expect(page).toHaveURL(/\/courts\/%E9%9D%920104$/);
    await expect(page.getByRole('heading', { level: 1, name: '西宁市城西区人民法院' })).toBeVisible();
  });

  test('a re-auction links its failed first round, whose priority purchasers stay anonymous', async ({
    page,
  }) => {
    const cards = await search(page, FLAT);
    await expect(cards).toHaveCount(2);
    await cards.filter({ hasText: '二拍' }).getByRole('link', { name: FLAT }).click();
    const rounds = page.getByRole('region', { name: '拍卖轮次' });
    await expect(rounds.getByText('二拍 （本场）')).toBeVisible();
    await expect(rounds.getByText('已流拍')).toBeVisible();
    await rounds.getByRole('link', { name: '一拍' }).click();

    await expect(page.locator('header.auction-header').getByText('已流拍')).toBeVisible();
    await expect(page.getByText('限购', { exact: true })).toBeVisible();
    const priority = page.getByRole('region', { name: '优先购买权' });
    await expect(priority.getByRole('listitem')).toHaveText(['第 1 顺位 · 共有人']);
    expect(await page.content()).not.toContain('刘某某');
    const history = page.getByRole('region', { name: '拍卖进程' });
    await expect(history.getByRole('listitem')).toHaveText([/发布拍卖公告/, /开始竞价/, /竞价结束/]);
    // Nothing left to watch on a finished auction.
    await expect(page.getByRole('timer')).toHaveCount(0);
    await expect(page.getByText('实时更新已连接')).toHaveCount(0);
  });

  test('a suspended auction shows why', async ({ page }) => {
    await (await search(page, PARKING)).getByRole('link', { name: PARKING }).click();
    await expect(page.getByRole('status').filter({ hasText: '本场拍卖已暂缓' })).toContainText(
      '原因：案外人提出执行异议，本院决定暂缓拍卖。',
    );
    const history = page.getByRole('region', { name: '拍卖进程' });
    await expect(history.getByRole('listitem').last()).toContainText('暂缓拍卖');
    await expect(history.getByRole('listitem').last()).toContainText('案外人提出执行异议');
  });
});

test.describe('auction calendar', () => {
  test('shows the current Beijing month, moves between months, and links its sales', async ({ page }) => {
    // Computed when the test runs; a run straddling Beijing midnight at a month's end could flake.
    const month = beijingMonth(new Date());
    const response = await page.goto('/calendar');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: '拍卖日历' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: formatMonth(month, 'zh-CN') })).toBeVisible();
    await expect(page.getByRole('link', { name: '回到本月' })).toHaveCount(0);

    const nav = page.getByRole('navigation', { name: '切换月份' });
    await nav.getByRole('link', { name: '下个月' }).click();
    const next = shiftMonth(month, 1);
    await expect(page).toHaveURL(new RegExp(`/calendar\\?month=${next}$`));
    await expect(page.getByRole('heading', { level: 2, name: formatMonth(next, 'zh-CN') })).toBeVisible();

    await nav.getByRole('link', { name: '回到本月' }).click();
    await expect(page).toHaveURL(/\/calendar$/);
    await expect(page.getByRole('heading', { level: 2, name: formatMonth(month, 'zh-CN') })).toBeVisible();

    // Bidding on the machines starts about 16 days from now: this month or the next.
    if ((await page.getByRole('link', { name: MACHINES }).count()) === 0)
      await nav.getByRole('link', { name: '下个月' }).click();
    // The innermost list item: the sale, not its day.
    const sale = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('link', { name: MACHINES }) })
      .last();
    await expect(sale).toContainText('即将开始');
    await expect(sale).toContainText('¥270,000.00');
    await sale.getByRole('link', { name: MACHINES }).click();
    await expect(page.getByRole('heading', { level: 1, name: MACHINES })).toBeVisible();
    await expect(page.getByText('距竞价开始')).toBeVisible();

    await page.goto('/calendar?month=2099-12');
    await expect(page.getByText('本月没有即将开始或正在进行的拍卖。')).toBeVisible();
  });

  test.describe('a malformed month', () => {
    test.use({ allowedConsoleErrors: [failedLoad(400)] });

    test('answers 400 with what a month looks like', async ({ page }) => {
      const response = await page.goto('/calendar?month=2026-13');
      expect(response?.status()).toBe(400);
      await expect(page.getByRole('alert')).toHaveText('月份格式应为“2026-12”。');
    });
  });
});

test.describe('unknown auctions and courts', () => {
  test.use({ allowedConsoleErrors: [failedLoad(404)] });

  for (const path of [
    '/auctions/00000000-0000-4000-8000-000000000000',
    '/auctions/not-a-listing',
    `/courts/${encodeURIComponent('不存在')}`,
    '/courts/lastmile', // an organisation, but not a court
  ])
    test(`${decodeURIComponent(path)} is 404`, async ({ page }) => {
      const response = await page.goto(path);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole('alert')).toHaveText('页面不存在。');
    });
});

test('a court page shows the court and its published auctions', async ({ page }) => {
  const response = await page.goto(`/courts/${encodeURIComponent('青01')}`);
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle('西宁市中级人民法院 · 最后一公里');
  await expect(page.getByRole('heading', { level: 1, name: '西宁市中级人民法院' })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: '中级人民法院' })).toBeVisible();
  await expect(page.getByRole('link', { name: '湟中区工业园国有建设用地使用权' })).toBeVisible();
  await expect(page.getByRole('link', { name: SHOP })).toHaveCount(0); // another court's
});

test.describe('on a phone', () => {
  test.use(pixel7);

  test('search, calendar, court and announcement pages fit the screen', async ({ page }) => {
    for (const path of ['/auctions', '/calendar', `/courts/${encodeURIComponent('青0104')}`]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoHorizontalScroll(page);
    }
    await (await search(page, FLAT)).first().getByRole('link', { name: FLAT }).click();
    await expect(page.getByRole('heading', { level: 1, name: FLAT })).toBeVisible();
    await expectNoHorizontalScroll(page);
    await page.goto('/auctions');
    const submit = page.getByRole('button', { name: '搜索' });
    expect((await submit.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(32);
  });
});
