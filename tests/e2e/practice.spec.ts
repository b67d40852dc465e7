import { expect, expectNoHorizontalScroll, newBidder, pixel7, signUp, test } from './fixtures';
import { practise } from './practice';

/**
 * The practice auction (模拟拍卖, issue 21 part 4, ADR 033) on a 390 px phone: a bidder who has
 * just signed up (his real name not verified) finds it from the home page and his menu,
 * practises against the scripted bidders (a confirmed bid, an extension he triggers in the last
 * stretch), wins, and finds the round among his practice rounds and nowhere else.
 */
test.use({ ...pixel7, viewport: { width: 390, height: 844 } });

test('a new bidder on a phone practises from the home page: bids, extends the end and wins', async ({
  page,
}) => {
  await signUp(page, newBidder());

  // The bidder's menu offers it beside his account pages.
  await page.getByRole('button', { name: '菜单' }).click();
  await expect(
    page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '模拟拍卖' }),
  ).toBeVisible();

  await page.goto('/practice');
  await expectNoHorizontalScroll(page);
  const { extensions } = await practise(page);
  expect(extensions).toBeGreaterThanOrEqual(1);
  await expectNoHorizontalScroll(page);

  // His rounds: this one, won.
  await page.goto('/practice');
  const rounds = page.getByRole('table', { name: '我的练习记录，最近的在前' });
  await expect(rounds.getByRole('row')).toHaveCount(2);
  await expect(rounds).toContainText('竞得');
  await expect(page.getByRole('button', { name: '开始练习' })).toBeVisible();

  // Practice reaches no real record: his auctions are still none.
  await page.goto('/me/auctions');
  await expect(page.getByText('您还没有关注或报名任何拍卖。')).toBeVisible();
});

test('someone else’s practice round is not found, and a visitor is asked to sign in first', async ({
  page,
  browser,
}) => {
  await signUp(page, newBidder());
  await page.goto('/practice');
  await page.getByRole('button', { name: '开始练习' }).click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  const url = page.url();

  const other = await browser.newContext({
    ...pixel7,
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
  });
  try {
    const stranger = await other.newPage();
    // A visitor: the practice page explains it and asks for a sign-in; the round itself, a login.
    await stranger.goto('/practice');
    await expect(
      stranger.locator('.practice-start').getByRole('link', { name: '登录', exact: true }),
    ).toBeVisible();
    await expect(stranger.getByRole('button', { name: '开始练习' })).toHaveCount(0);
    await stranger.goto(url);
    await expect(stranger).toHaveURL(/\/login\?redirectTo=/);
    // Another bidder: not found.
    await signUp(stranger, newBidder());
    const answer = await stranger.goto(url);
    expect(answer?.status()).toBe(404);
  } finally {
    await other.close();
  }
});
