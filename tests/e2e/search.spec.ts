import { expect, test } from './fixtures';

// The public search's Chinese keywords, facets and suggestions (ADR 020) against the demo
// auctions (server/demo/seed-auctions.ts). Other specs may publish more listings on the same
// server, so counts are read from the page, never assumed.

const SHOP = '西宁市城西区五四大街临街商铺（一层）'; // live, 青0104
const COURT = '西宁市城西区人民法院';

test.describe('search that understands Chinese', () => {
  test('a two-character word finds the shop; a facet narrows to the count it showed', async ({ page }) => {
    await page.goto(`/auctions?q=${encodeURIComponent('商铺')}`);
    await expect(page.getByRole('link', { name: SHOP })).toBeVisible();
    // With keywords the order is relevance (title matches first).
    await expect(page.getByLabel('排序')).toHaveValue('relevance');
    const facets = page.getByRole('region', { name: '按条件细分' });
    const typeFacet = facets.getByRole('navigation', { name: '财产类型' });
    const commercial = typeFacet.getByRole('link', { name: /^商业用房（\d+）$/ });
    const count = Number((await commercial.textContent())!.match(/（(\d+)）/)![1]);
    expect(count).toBeGreaterThan(0);
    await commercial.click();
    await expect(page).toHaveURL(/[?&]type=commercial\b/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('商铺');
    await expect(page.getByText(`共 ${count} 件拍品`)).toBeVisible();
    const chosen = page
      .getByRole('region', { name: '按条件细分' })
      .getByRole('navigation', { name: '财产类型' })
      .getByRole('link', { name: /^商业用房/ });
    await expect(chosen).toHaveAttribute('aria-current', 'true');
    // "Any" widens again.
    await page
      .getByRole('region', { name: '按条件细分' })
      .getByRole('navigation', { name: '财产类型' })
      .getByRole('link', { name: '不限' })
      .click();
    await expect(page).not.toHaveURL(/type=/);
  });

  test('one character finds by the court’s name and the place; a county filter narrows', async ({ page }) => {
    await page.goto(
      `/auctions?q=${encodeURIComponent('城西区人民法院')}&district=${encodeURIComponent('城西区')}`,
    );
    await expect(page.getByRole('link', { name: SHOP })).toBeVisible();
    await page.goto(`/auctions?q=${encodeURIComponent('铺')}`);
    await expect(page.getByRole('link', { name: SHOP })).toBeVisible();
    await page.goto(`/auctions?q=${encodeURIComponent('铺')}&district=${encodeURIComponent('不存在区')}`);
    await expect(page.getByText('共 0 件拍品')).toBeVisible();
  });

  test('suggests courts and places as the visitor types', async ({ page }) => {
    await page.goto('/auctions');
    const box = page.getByRole('search', { name: '筛选条件' }).getByLabel('关键词');
    await box.fill('城西');
    // The datalist is the combobox's list; its options come from /auctions/suggest.
    await expect(box).toHaveAttribute('list', 'search-suggestions');
    await expect(page.locator(`#search-suggestions option[value="${COURT}"]`)).toHaveCount(1);
    await expect(page.locator('#search-suggestions option[value="青海省 西宁市 城西区"]')).toHaveCount(1);
    await box.fill('商业');
    await expect(page.locator('#search-suggestions option[value="商业用房"]')).toHaveCount(1);

    const res = await page.request.get(`/auctions/suggest?q=${encodeURIComponent('城西')}`);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { suggestions: { kind: string; labelZh: string }[] };
    expect(body.suggestions).toContainEqual(expect.objectContaining({ kind: 'court', labelZh: COURT }));
    expect((await page.request.get(`/auctions/suggest?q=${'x'.repeat(21)}`)).status()).toBe(400);
  });
});
