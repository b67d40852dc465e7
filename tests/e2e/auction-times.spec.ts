import { expect, test } from './fixtures';

/** A live demo auction (server/demo/seed-auctions.ts): its start job ran after its start. */
const SHOP = '西宁市城西区五四大街临街商铺（一层）';

// Issue 21, "Times disagree": the timeline said 开始竞价 01:21 where the facts box said 开拍时间
// 23:21, and 发布拍卖公告 01:34 against 公告发布时间 01:40. Each moment is now one column, formatted once.
test('the timeline and the facts box give the same times for the same moments', async ({ page }) => {
  await page.goto(`/auctions?q=${encodeURIComponent(SHOP)}`);
  await page.getByRole('link', { name: SHOP }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(SHOP);
  const timeline = page.getByRole('region', { name: '拍卖进程' });
  for (const [event, fact] of [
    ['发布拍卖公告', '公告发布时间'],
    ['开始竞价', '开拍时间'],
  ] as const) {
    const inFacts = page.locator('dl.facts dt', { hasText: fact }).locator('xpath=following-sibling::dd[1]');
    const inTimeline = timeline.getByRole('listitem').filter({ hasText: event }).locator('time');
    await expect(inFacts).toHaveCount(1);
    await expect(inTimeline).toHaveCount(1);
    expect(await inTimeline.getAttribute('datetime'), event).toBe(
      await inFacts.locator('time').getAttribute('datetime'),
    );
    await expect(inTimeline).toHaveText((await inFacts.textContent())!);
  }
});
