import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, expect, logIn, test } from './fixtures';

// Issue 21, "The auction page led by what a buyer looks at": the photo gallery and the documents
// near the top, then the facts, then the bid record; a full-screen viewer (keyboard, swipe,
// focus kept and returned); on a phone a bid bar fixed at the bottom with the countdown and the
// next step, whose bid opens the confirmation with the amount in capital words. Against the live
// demo shop (server/demo/seed-auctions.ts: three photos and an appraisal report). Nothing here
// bids: bidder-defects.spec.ts counts the shop's bids.

const SHOP = '西宁市城西区五四大街临街商铺（一层）';
const photo = (n: number) => `${SHOP}：第 ${n} 张照片，共 3 张`;

async function openShop(page: Page) {
  await page.goto(`/auctions?q=${encodeURIComponent(SHOP)}`);
  await page.getByRole('link', { name: SHOP }).first().click();
  await expect(page).toHaveURL(/\/auctions\/[0-9a-f-]{36}$/);
  // The address changes before the new page is on the screen: wait for its own heading.
  await expect(page.getByRole('heading', { level: 1, name: SHOP })).toBeVisible();
  await page.waitForFunction(() => Object.keys(document).some((k) => k.startsWith('__reactContainer$')));
}

/** Seriously or critically failing axe rules on the page as it is now. */
async function axeFailures(page: Page) {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

test('photos and documents lead the page, then the facts, then the bid record', async ({ page }) => {
  await openShop(page);
  const headings = await page.locator('main h2[id]').evaluateAll((hs) => hs.map((h) => h.id));
  const at = (id: string) => {
    expect(headings, `a section #${id}`).toContain(id);
    return headings.indexOf(id);
  };
  expect(at('photos')).toBe(0);
  expect(at('documents')).toBe(1);
  for (const fact of ['asset', 'times', 'notices', 'disclosure', 'taxes']) {
    expect(at(fact)).toBeGreaterThan(at('documents'));
    expect(at(fact)).toBeLessThan(at('bids'));
  }
  // On a desktop the gallery is at the top of the page, beside the price and the bidding.
  const gallery = (await page.getByTestId('gallery-main').boundingBox())!;
  const price = (await page.getByTestId('current-price').boundingBox())!;
  expect(gallery.y).toBeLessThan(400);
  expect(gallery.x + gallery.width).toBeLessThanOrEqual(price.x);
  const documents = page.getByRole('region', { name: '文书与材料' });
  await expect(documents.getByRole('link', { name: 'appraisal-report.pdf' })).toHaveAttribute(
    'href',
    /^\/files\/[0-9a-f-]{36}$/,
  );
});

test('the gallery: thumbnails choose, the viewer opens full screen, arrows move, Escape returns', async ({
  page,
}) => {
  await openShop(page);
  const main = page.getByTestId('gallery-main');
  await expect(main.getByRole('img', { name: photo(1) })).toBeVisible();
  // A thumbnail chooses the large photo.
  const thumbs = page.getByRole('list', { name: '全部照片' });
  await thumbs.getByRole('link', { name: '显示第 2 张照片（共 3 张）' }).click();
  await expect(main.getByRole('img', { name: photo(2) })).toBeVisible();
  await expect(thumbs.getByRole('link', { name: '显示第 2 张照片（共 3 张）' })).toHaveAttribute(
    'aria-current',
    'true',
  );

  // By keyboard: the large photo opens the viewer, a modal dialog named by its position.
  await main.focus();
  await page.keyboard.press('Enter');
  const viewer = page.getByRole('dialog', { name: '照片 2 / 3' });
  await expect(viewer).toBeVisible();
  await expect(viewer.getByRole('img', { name: photo(2) })).toBeVisible();
  const box = (await viewer.boundingBox())!;
  expect(box.width).toBe(1280);
  expect(box.height).toBe(720);
  await expect(viewer.getByRole('button', { name: '关闭' })).toBeFocused();
  expect(await axeFailures(page)).toEqual([]);

  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('dialog', { name: '照片 3 / 3' })).toBeVisible();
  await expect(page.getByRole('dialog').getByRole('img', { name: photo(3) })).toBeVisible();
  await page.keyboard.press('ArrowRight'); // from the last back to the first
  await expect(page.getByRole('dialog', { name: '照片 1 / 3' })).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('dialog', { name: '照片 3 / 3' })).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: '上一张' }).click();
  await expect(page.getByRole('dialog', { name: '照片 2 / 3' })).toBeVisible();

  // Focus stays inside: Tab and Shift+Tab go round the viewer's three buttons.
  const inside = () =>
    page.evaluate(
      () => document.activeElement?.closest('dialog') !== null && document.activeElement !== null,
    );
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    expect(await inside(), `focus inside the viewer after ${i + 1} Tab`).toBe(true);
  }
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await inside(), `focus inside the viewer after ${i + 1} Shift+Tab`).toBe(true);
  }

  // A mouse drag sideways is a swipe too (pointer events).
  const stage = (await page.getByRole('dialog').getByRole('img').boundingBox())!;
  const y = stage.y + stage.height / 2;
  await page.mouse.move(stage.x + stage.width * 0.8, y);
  await page.mouse.down();
  await page.mouse.move(stage.x + stage.width * 0.2, y, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByRole('dialog', { name: '照片 3 / 3' })).toBeVisible();

  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(main).toBeFocused();
  // The large photo is the one last seen.
  await expect(main.getByRole('img', { name: photo(3) })).toBeVisible();
});

test.describe('on a 390 px phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('a swipe moves through the photos in the full-screen viewer', async ({ page }) => {
    await openShop(page);
    await page.getByTestId('gallery-main').tap();
    const viewer = page.getByRole('dialog', { name: '照片 1 / 3' });
    await expect(viewer).toBeVisible();
    const box = (await viewer.boundingBox())!;
    expect(box.width).toBe(390);
    // A finger moving right to left (touch events, which the browser turns into pointer events).
    const img = (await viewer.getByRole('img').boundingBox())!;
    const cdp = await page.context().newCDPSession(page);
    const y = img.y + img.height / 2;
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: type === 'touchEnd' ? [] : [{ x, y }],
      });
    await touch('touchStart', 320);
    for (const x of [280, 220, 160, 100]) await touch('touchMove', x);
    await touch('touchEnd', 100);
    await expect(page.getByRole('dialog', { name: '照片 2 / 3' })).toBeVisible();
    // (A synthetic tap right after synthetic touch moves gets no click from Chromium: a click closes.)
    await page.getByRole('dialog').getByRole('button', { name: '关闭' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.getByTestId('gallery-main').getByRole('img', { name: photo(2) })).toBeVisible();
  });

  test('a visitor: the bar keeps the countdown and the price in view and offers to register', async ({
    page,
  }) => {
    await openShop(page);
    const bar = page.getByRole('region', { name: '出价栏' });
    await expect(bar).toBeVisible();
    await expect(bar.getByTestId('bar-clock')).toHaveText(/^距结束 (\d+ 天 )?\d{2}:\d{2}:\d{2}$/);
    const first = await bar.getByTestId('bar-clock').textContent();
    await expect(bar.getByTestId('bar-clock')).not.toHaveText(first!); // it ticks
    await expect(bar).toContainText('¥1,610,000.00');
    // Still at the bottom of the screen at the end of the page.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const box = (await bar.boundingBox())!;
    expect(Math.round(box.y + box.height)).toBe(844);
    await expect(bar).toBeInViewport();
    // Registering starts with signing in, and comes back to the registration.
    await bar.getByRole('link', { name: '报名参拍' }).tap();
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fauctions%2F[0-9a-f-]{36}%2Fregister$/);
  });

  test("a bidder's bar bids the next amount through the confirmation, in capital words", async ({ page }) => {
    await logIn(page, DEMO.bidder, DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/me$/);
    await openShop(page);
    const bar = page.getByRole('region', { name: '出价栏' });
    const bid = bar.getByRole('button', { name: /^立即出价 ¥[\d,]+\.\d{2}$/ });
    await expect(bid).toBeVisible();
    const amountFen = await bid.getAttribute('value');
    expect(await page.getByTestId('bid-confirm').count()).toBe(0);
    await bid.tap();
    // The existing confirmation step: the amount in figures and capitals, in view above the bar.
    const confirm = page.getByTestId('bid-confirm');
    await expect(confirm).toBeVisible();
    await expect(confirm.locator('input[name="amountFen"]')).toHaveValue(amountFen!);
    await expect(page.getByTestId('bid-confirm-words')).toHaveText(/^[零壹贰叁肆伍陆柒捌玖拾佰仟万亿]+元整$/);
    const submit = confirm.getByRole('button', { name: '确认出价' });
    await expect(submit).toBeInViewport();
    const barTop = (await bar.boundingBox())!.y;
    const submitBox = (await submit.boundingBox())!;
    expect(submitBox.y + submitBox.height).toBeLessThanOrEqual(barTop);
    // Nothing is bid until it is confirmed.
    await confirm.getByRole('link', { name: '取消' }).tap();
    await expect(confirm).toHaveCount(0);
  });
});

test.describe('on a desktop', () => {
  test('there is no bid bar: the bidding panel is in view', async ({ page }) => {
    await openShop(page);
    await expect(page.getByRole('region', { name: '出价栏' })).toBeHidden();
    await expect(page.getByTestId('current-price')).toBeInViewport();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });

  test('every photo is a link to its full-size file; the bar posts to the confirmation step', async ({
    page,
  }) => {
    await logIn(page, DEMO.bidder, DEMO_PASSWORD);
    await page.goto(`/auctions?q=${encodeURIComponent(SHOP)}`);
    await page.getByRole('link', { name: SHOP }).first().click();
    const main = page.getByTestId('gallery-main');
    await expect(main).toHaveAttribute('href', /^\/files\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('list', { name: '全部照片' }).getByRole('link')).toHaveCount(3);
    const bar = page.getByRole('region', { name: '出价栏' });
    await bar.getByRole('button', { name: /^立即出价/ }).click();
    await expect(page).toHaveURL(/[?&]confirm=\d+/);
    await expect(page.getByTestId('bid-confirm-words')).toHaveText(/元整$/);
  });
});
