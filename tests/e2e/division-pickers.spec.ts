import { expect, test } from './fixtures';

// Issue 21, "Province and city are free text matched exactly": the search picks a province, then
// one of its cities, from the administrative divisions shipped with the product
// (server/divisions), with and without JavaScript. The demo listings are in 青海省 西宁市.

const SHOP = '西宁市城西区五四大街临街商铺（一层）';
const QINGHAI = [
  '西宁市',
  '海东市',
  '海北藏族自治州',
  '黄南藏族自治州',
  '海南藏族自治州',
  '果洛藏族自治州',
  '玉树藏族自治州',
  '海西蒙古族藏族自治州',
];

const optionsOf = (select: import('@playwright/test').Locator) =>
  select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));

test('choosing a province narrows the cities; a city fills in its province; the search finds the place', async ({
  page,
}) => {
  await page.goto('/auctions');
  const filters = page.getByRole('search', { name: '筛选条件' });
  const province = filters.getByLabel('省份', { exact: true });
  const city = filters.getByLabel('城市', { exact: true });
  await page.waitForFunction(() => Object.keys(document).some((k) => k.startsWith('__reactContainer$')));
  expect(await optionsOf(province)).toHaveLength(31);
  // Every city until a province is chosen, grouped under its province.
  expect((await optionsOf(city)).length).toBeGreaterThan(330);
  await expect(city.locator('optgroup[label="青海省"] option')).toHaveCount(8);

  await province.selectOption('青海省');
  expect(await optionsOf(city)).toEqual(QINGHAI);
  await city.selectOption('西宁市');
  // Another province: the city no longer fits and is cleared.
  await province.selectOption('河南省');
  await expect(city).toHaveValue('');
  expect(await optionsOf(city)).toContain('郑州市');
  expect(await optionsOf(city)).not.toContain('西宁市');

  // A city first: its province is filled in.
  await province.selectOption('');
  await city.selectOption('西宁市');
  await expect(province).toHaveValue('青海省');
  await filters.getByLabel('关键词').fill('五四大街');
  await filters.getByRole('button', { name: '搜索' }).click();
  await expect(page).toHaveURL(/province=%E9%9D%92%E6%B5%B7%E7%9C%81/);
  const url = new URL(page.url());
  expect(url.searchParams.get('province')).toBe('青海省');
  expect(url.searchParams.get('city')).toBe('西宁市');
  await expect(page.getByRole('link', { name: SHOP })).toBeVisible();
  await expect(province).toHaveValue('青海省');
  await expect(city).toHaveValue('西宁市');

  // The everyday short name of an old link ("青海") arrives chosen as its listed name.
  await page.goto(`/auctions?q=${encodeURIComponent('五四大街')}&province=青海&city=西宁`);
  await expect(province).toHaveValue('青海省');
  await expect(city).toHaveValue('西宁市');
  await expect(page.getByRole('link', { name: SHOP })).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the server renders the chosen province’s cities, and the form searches by them', async ({ page }) => {
    await page.goto('/auctions');
    const filters = page.getByRole('search', { name: '筛选条件' });
    const province = filters.getByLabel('省份', { exact: true });
    const city = filters.getByLabel('城市', { exact: true });
    await expect(city.locator('optgroup[label="青海省"] option')).toHaveCount(8);
    await province.selectOption('青海省');
    await city.selectOption('西宁市');
    await filters.getByLabel('关键词').fill('五四大街');
    await filters.getByRole('button', { name: '搜索' }).click();
    await expect(page).toHaveURL(/city=/);
    await expect(page.getByRole('link', { name: SHOP })).toBeVisible();
    // The page came back with only 青海省's cities on offer, 西宁市 chosen.
    expect(await optionsOf(city)).toEqual(QINGHAI);
    await expect(city).toHaveValue('西宁市');
    await expect(province).toHaveValue('青海省');
  });
});
