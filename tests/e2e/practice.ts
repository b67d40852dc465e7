/**
 * The practice auction (模拟拍卖, ADR 033) as a bidder goes through it, for any spec:
 * `practise(page)` starts from the home page's link, bids with the confirmation (the amount in
 * capital words), triggers an extension by bidding in the last stretch, and reads the result.
 *
 * The e2e servers (start-server.mjs, live-auction.ts `startAcceleratedServer`) run practice
 * rounds of PRACTICE_E2E_ENV: 45 s, extensions of 15 s (art. 20's five minutes at 1/20),
 * scripted answers 5 s after a bid. The lot starts at ¥1,000,000 with a ¥10,000 increment; the
 * scripted bidders stop at 12 increments above the start at most.
 */
import { type Page, test } from '@playwright/test';
import { capitalWords } from '../../app/utils/capital-words';
import { expect } from './fixtures';

export const PRACTICE_E2E_ENV = { PRACTICE_CLOCK_FACTOR: '20', PRACTICE_WINDOW_SECONDS: '45' } as const;

/** The bid that wins: 40 increments above the start, beyond every scripted bidder's limit. */
const WINNING_YUAN = 1_400_000;

export interface PractiseOptions {
  /** The server's practice round (PRACTICE_WINDOW_SECONDS); 45 on the e2e servers. */
  windowSeconds?: number;
  /** Art. 20's extension at the practice clock (300 / PRACTICE_CLOCK_FACTOR); 15 on the e2e servers. */
  extensionSeconds?: number;
}

export interface PractiseResult {
  /** The practice session's page. */
  url: string;
  /** How many times the end had moved once the round ended (the user's extension among them). */
  extensions: number;
}

/**
 * Practises once, from the home page, as the bidder `page` is signed in as (any bidder account,
 * verified or not; he must have no round running). Asserts as it goes: practice marked on the
 * page, a scripted bid arriving live, a quick bid confirmed with its capital words, the end
 * extended by his bid in the last stretch, and the result with what a real auction does next.
 * Leaves the page on the session's result. Extends the running test's timeout by the round's length.
 */
export async function practise(page: Page, opts: PractiseOptions = {}): Promise<PractiseResult> {
  const windowMs = (opts.windowSeconds ?? 45) * 1000;
  const extensionMs = (opts.extensionSeconds ?? 15) * 1000;
  const round = windowMs + 4 * extensionMs + 30_000;
  test.info().setTimeout(test.info().timeout + round);

  await page.goto('/');
  await page.getByRole('link', { name: '模拟拍卖（练习）' }).click();
  await expect(page).toHaveURL(/\/practice$/);
  await expect(page.getByRole('heading', { level: 1, name: '模拟拍卖（练习）' })).toBeVisible();
  await expect(page.getByTestId('practice-banner')).toContainText('无需保证金');
  await page.getByRole('button', { name: '开始练习' }).click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await expect(page).toHaveTitle(/模拟拍卖/);
  await expect(page.getByTestId('practice-banner')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '实时更新已连接' })).toBeVisible();

  // A scripted bidder opens at a tenth of the round: it arrives over the socket, marked 模拟.
  const history = page.getByTestId('bid-history');
  await expect(history.getByRole('row')).toHaveCount(2, { timeout: windowMs / 2 + 10_000 });
  await expect(history).toContainText('模拟');

  // A quick bid asks for its confirmation first, with the amount in capital words.
  const quick = page.locator('.quick-bids').getByRole('button').first();
  const amountFen = (await quick.getAttribute('value'))!;
  await quick.click();
  const confirm = page.getByTestId('bid-confirm');
  await expect(confirm).toBeVisible();
  await expect(page.getByTestId('bid-confirm-words')).toHaveText(capitalWords(amountFen));
  await expect(confirm).toContainText('练习出价');
  await confirm.getByRole('button', { name: '确认出价' }).click();
  await expect(page.getByTestId('bid-message')).toContainText('出价成功');

  // A scripted bidder answers; then, in the last stretch, his bid moves the end (art. 20).
  await expect(page.getByTestId('my-status')).toContainText('已被超越', { timeout: extensionMs + 10_000 });
  await expect(page.getByTestId('ending-soon')).toBeVisible({ timeout: windowMs + 2 * extensionMs });
  const extensions = page.getByTestId('extension-count');
  const before = countIn(await extensions.textContent());
  await page.getByLabel('其他金额（元）').fill(String(WINNING_YUAN));
  await page.getByRole('button', { name: '按此金额出价' }).click();
  await expect(page.getByTestId('bid-confirm-words')).toHaveText(capitalWords(String(WINNING_YUAN * 100)));
  await page.getByTestId('bid-confirm').getByRole('button', { name: '确认出价' }).click();
  await expect(page.getByTestId('my-status')).toContainText('领先');
  await expect(page.getByTestId('extended-cue')).toBeVisible();
  await expect.poll(async () => countIn(await extensions.textContent())).toBeGreaterThan(before);

  // Nobody goes above him: at the end he has won, and is told what a real auction does next.
  const result = page.getByTestId('practice-result');
  await expect(result).toContainText('您以 ¥1,400,000.00 竞得本场模拟拍卖', {
    timeout: 2 * extensionMs + 15_000,
  });
  await expect(result).toContainText('网络竞价成功确认书');
  // The ¥100,000 deposit counts toward the price (art. 23): the balance is the rest.
  await expect(result).toContainText('余款 ¥1,300,000.00');
  return {
    url: page.url(),
    extensions: countIn(await page.getByTestId('practice-extensions').textContent()),
  };
}

/** The number in "已延时 3 次" or "本场共延时 3 次" (0 for "尚未延时…"). */
const countIn = (text: string | null) => Number(/延时\s*(\d+)\s*次/.exec(text ?? '')?.[1] ?? 0);
