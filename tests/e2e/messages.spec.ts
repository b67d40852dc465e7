import { expect, pixel7, test } from './fixtures';

// Messages on the wire (ADR 004): a page ships the messages it rendered; the browser fetches a
// language's whole catalog (the messages.<locale> chunk) only when it needs more.

const SHOP = '西宁市城西区五四大街临街商铺（一层）'; // live in the demo data
const catalogChunk = /\/assets\/messages\.(zh-CN|en)-[\w-]+\.js$/;

test.describe('on a phone', () => {
  test.use(pixel7);

  test('the live auction page works from the messages it shipped, and a navigation fetches the rest', async ({
    page,
  }) => {
    const chunks: string[] = [];
    page.on('request', (r) => {
      if (catalogChunk.test(new URL(r.url()).pathname)) chunks.push(new URL(r.url()).pathname);
    });
    await page.goto(`/auctions?q=${encodeURIComponent(SHOP)}`);
    const href = await page.getByRole('link', { name: SHOP }).first().getAttribute('href');
    chunks.length = 0;
    await page.goto(href!);
    await expect(page).toHaveTitle(`${SHOP} · 最后一公里`);
    // Shown only once the page runs its script: the connection state.
    await expect(page.getByRole('status').filter({ hasText: '实时更新已连接' })).toBeVisible();
    await expect(page.getByRole('timer')).toHaveText(/^(\d+ 天 )?\d{2}:\d{2}:\d{2}$/);
    expect(chunks).toEqual([]);
    // The HTML carried them in a script that removed itself before hydration.
    expect(await page.evaluate(() => '__lmMessages' in window)).toBe(true);
    expect(await page.locator('script', { hasText: '__lmMessages' }).count()).toBe(0);

    // A client-side navigation to a page with other messages: its text, never a key.
    await page.getByRole('navigation').getByRole('link', { name: '拍卖日历' }).click();
    await expect(page).toHaveURL(/\/calendar/);
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(/^calendar\./);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/拍卖日历/);
    expect(chunks.every((c) => c.includes('messages.zh-CN'))).toBe(true);
    expect(chunks.length).toBeGreaterThan(0);
    await expect(page.locator('body')).not.toContainText(/\b(common|calendar|nav|publicStatus)\.[a-zA-Z]+/);
  });
});

test('switching language fetches the other catalog, and the whole page follows', async ({ page }) => {
  await page.goto('/calendar');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/calendar/i);
  await expect(page.locator('body')).not.toContainText(/[\u4e00-\u9fff]{2,}日历/);
  await expect(page.locator('body')).not.toContainText(/\b(common|calendar|nav)\.[a-zA-Z]+/);
});
