import { DEMO, DEMO_PASSWORD, expect, logIn, newBidder, signUp, test } from './fixtures';

test('a bidder chooses how each notice reaches him, in which language and how long before the end', async ({
  page,
}) => {
  const bidder = newBidder();
  await signUp(page, bidder);
  await page.getByRole('main').getByRole('link', { name: '通知设置' }).click();
  await expect(page).toHaveURL(/\/me\/notifications$/);
  await expect(page.getByRole('heading', { level: 1, name: '通知设置' })).toBeVisible();
  // Where messages go: his account's e-mail and mobile number.
  await expect(page.getByRole('main')).toContainText(`邮箱：${bidder.email}`);
  await expect(page.getByRole('main')).toContainText(`手机：${bidder.phone}`);

  const outbidSms = page.getByRole('checkbox', { name: '出价被超越：短信' });
  const outbidEmail = page.getByRole('checkbox', { name: '出价被超越：邮件' });
  const extendedEmail = page.getByRole('checkbox', { name: '拍卖结束时间顺延：邮件' });
  // The defaults: outbid by e-mail and SMS, an extension in-site only.
  await expect(outbidSms).toBeChecked();
  await expect(outbidEmail).toBeChecked();
  await expect(extendedEmail).not.toBeChecked();
  // Staff queues are not a bidder's.
  await expect(page.getByRole('rowheader', { name: '成交裁定超期' })).toHaveCount(0);

  await outbidSms.uncheck();
  await extendedEmail.check();
  await page.getByLabel('通知语言').selectOption('en');
  await page.getByLabel('关注或报名的拍卖结束前多久提醒').selectOption('60');
  await page.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByRole('status')).toHaveText('通知设置已保存。');

  // Kept: a fresh load shows his choices.
  await page.reload();
  await expect(page.getByRole('checkbox', { name: '出价被超越：短信' })).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: '出价被超越：邮件' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: '拍卖结束时间顺延：邮件' })).toBeChecked();
  await expect(page.getByLabel('通知语言')).toHaveValue('en');
  await expect(page.getByLabel('关注或报名的拍卖结束前多久提醒')).toHaveValue('60');
  await expect(page.getByText('尚未通过邮件或短信发送过通知。')).toBeVisible();
});

test('a court clerk reaches his settings from the header and sees his desk’s queues', async ({ page }) => {
  await logIn(page, DEMO.clerk, DEMO_PASSWORD);
  await page.getByRole('banner').getByRole('link', { name: '通知设置' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '通知设置' })).toBeVisible();
  const kinds = page.getByRole('table', { name: '每类通知的送达方式' });
  await expect(kinds.getByRole('rowheader', { name: '成交裁定超期' })).toBeVisible();
  await expect(kinds.getByRole('rowheader', { name: '司法救助申请超期未决' })).toBeVisible();
  await expect(kinds.getByRole('rowheader', { name: '出价被超越' })).toHaveCount(0);
  // No reminder choice for someone who does not bid.
  await expect(page.getByLabel('关注或报名的拍卖结束前多久提醒')).toHaveCount(0);
  await page.getByRole('checkbox', { name: '成交裁定超期：邮件' }).uncheck();
  await page.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByRole('status')).toHaveText('通知设置已保存。');
  await page.reload();
  await expect(page.getByRole('checkbox', { name: '成交裁定超期：邮件' })).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: '司法救助申请超期未决：邮件' })).toBeChecked();
});
