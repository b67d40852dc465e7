import { expect, expectNoHorizontalScroll, newBidder, signUp, test } from './fixtures';

/** A live demo auction (server/demo/seed-auctions.ts). */
const SHOP = '西宁市城西区五四大街临街商铺（一层）';

test.describe('a bidder registers and pays the deposit with the local simulated gateway', () => {
  // A refused form answers 400 with its errors; the browser logs that as a failed load.
  test.use({
    allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of (400|404)\b/],
  });
  test('notices, a declined card, then a hold: the deposit is held and the bidder has a code', async ({
    page,
  }) => {
    await signUp(page, newBidder());
    await page.goto(`/auctions?q=${encodeURIComponent(SHOP)}`);
    await page.getByRole('link', { name: SHOP }).first().click();
    await page.getByRole('link', { name: '报名参拍' }).click();
    await expect(page.getByRole('heading', { level: 1, name: '报名参拍' })).toBeVisible();

    // Registering without accepting the notices is refused next to the checkbox.
    await page.getByRole('button', { name: '报名并交纳保证金' }).click();
    await expect(page.getByText('请阅读并接受竞买须知和特别提示。')).toBeVisible();
    await page.getByLabel('我已阅读并接受竞买须知和特别提示').check();
    await page.getByRole('button', { name: '报名并交纳保证金' }).click();

    await expect(page).toHaveURL(/\/me\/pay\/deposit\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('pay-status')).toHaveText('待交纳');
    await expect(page.getByTestId('pay-amount')).toHaveText('¥161,000.00');
    await expect(page.getByText('本环境未接入真实支付')).toBeVisible();
    await expect(page.getByRole('timer')).toBeVisible(); // pay before bidding ends, on the server clock

    // The simulator declines: the deposit is still owed, and the page says why.
    await page.getByRole('button', { name: '银行卡支付（模拟）' }).click();
    await expect(page).toHaveURL(/\/pay\/local\/lp_[0-9a-f]{24}$/);
    await expect(page.getByRole('note')).toContainText('模拟支付');
    await page.getByRole('button', { name: '模拟银行卡被拒' }).click();
    await expect(page).toHaveURL(/\/me\/pay\/deposit\//);
    await expect(page.getByTestId('pay-status')).toHaveText('待交纳');
    // In words, never the gateway's code (issue 21: "raw codes such as card_declined shown as text").
    await expect(
      page.getByText('上次支付未成功：发卡行拒绝了这笔支付。请换一张卡或改用银行转账。'),
    ).toBeVisible();
    await expect(page.getByText('card_declined')).toHaveCount(0);

    // A second attempt succeeds: the hold is in place.
    await page.getByRole('button', { name: '银行卡支付（模拟）' }).click();
    await page.getByRole('button', { name: '模拟支付成功' }).click();
    await expect(page.getByTestId('pay-status')).toHaveText('已冻结');
    await expect(page.getByRole('button', { name: '银行卡支付（模拟）' })).toHaveCount(0);

    // My payments: the deposit held, a bidder code, a receipt labelled as simulated.
    await page.getByRole('link', { name: '返回我的支付' }).click();
    const card = page.getByTestId('deposit-card').filter({ hasText: SHOP });
    await expect(card.getByTestId('deposit-status')).toHaveText('已冻结');
    const code = (await card.locator('strong.reference').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[2-9A-Z]{4}$/);
    await page
      .getByRole('link', { name: /^保证金 · ¥161,000\.00/ })
      .first()
      .click();
    await expect(page.getByRole('heading', { level: 1, name: '收据' })).toBeVisible();
    await expect(page.getByRole('note')).toContainText('模拟支付');
    await expect(page.getByText('¥161,000.00')).toBeVisible();

    // The auction page shows the bidder his own code, and no register button.
    await page.goto(`/auctions?q=${encodeURIComponent(SHOP)}`);
    await page.getByRole('link', { name: SHOP }).first().click();
    await expect(page.getByText(`您的竞买号：${code}`)).toBeVisible();
    await expect(page.getByRole('link', { name: '报名参拍' })).toHaveCount(0);

    // Phone width: the payment pages do not scroll sideways.
    await page.setViewportSize({ width: 412, height: 915 });
    await page.goto('/me/payments');
    await expectNoHorizontalScroll(page);
    await card.getByRole('link', { name: '查看' }).click();
    await expectNoHorizontalScroll(page);
  });

  test('the payment pages need a login, and a deposit that is not yours is not found', async ({ page }) => {
    await page.goto('/me/payments');
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fme%2Fpayments$/);
    await signUp(page, newBidder());
    const response = await page.goto('/me/pay/deposit/00000000-0000-4000-8000-000000000000');
    expect(response?.status()).toBe(404);
  });
});
