import { DEMO_PASSWORD, expect, logIn, mailTo, newBidder, signUp, submitLogin, test } from './fixtures';

/**
 * Account basics in Chromium (issue 21 part 7, issue 19; ADR 028): a bidder who forgot his
 * password asks for a link, receives it by e-mail (over SMTP, at the mail catcher), sets a new
 * password and signs in with his mobile number; a clerk an administrator created must set his
 * own password at first sign-in before any other page.
 */
// The wrong password tried on purpose is answered 401.
test.use({ allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 401\b/] });

test('forgot password: the link arrives by e-mail, sets a new password, and the phone number signs in', async ({
  page,
}) => {
  const bidder = newBidder();
  await signUp(page, bidder);
  // Verified because the (simulated) provider said so at sign-up.
  await expect(page.getByTestId('verification-status')).toHaveText('已认证');
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login\?loggedOut=1$/);

  await page.getByRole('link', { name: '忘记密码？' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '找回密码' })).toBeVisible();
  // An unknown address gets the same answer as a real one.
  await page.getByLabel('手机号或电子邮箱').fill('nobody-here@e2e.lastmile.test');
  await page.getByRole('button', { name: '发送重置链接' }).click();
  const sent = page.getByRole('status');
  await expect(sent).toContainText('如果有账户使用该邮箱或手机号码');
  const sameAnswer = await sent.textContent();
  await page.getByLabel('手机号或电子邮箱').fill(bidder.email);
  await page.getByRole('button', { name: '发送重置链接' }).click();
  await expect(page.getByRole('status')).toHaveText(sameAnswer!);

  const [mail] = await mailTo(bidder.email);
  expect(mail!.subject).toBe('重置您的登录密码');
  const link = /https?:\/\/\S+\/reset-password\/[\w-]+/.exec(mail!.text)![0];
  await page.goto(new URL(link).pathname);
  const fresh = `New${bidder.password}`;
  await page.getByLabel('新密码', { exact: true }).fill(fresh);
  await page.getByLabel('再次输入新密码').fill(fresh);
  await page.getByRole('button', { name: '设置新密码' }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);

  // The old password no longer works; the new one does, with the mobile number.
  await submitLogin(page, bidder.phone, bidder.password);
  await expect(page.getByRole('alert')).toContainText('邮箱或密码错误');
  await submitLogin(page, bidder.phone, fresh);
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto('/me');
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();

  // The link was single use.
  await page.goto(new URL(link).pathname);
  await expect(page.getByRole('alert')).toContainText('此重置链接已失效');
});

test('a clerk created by the court administrator sets his own password before any other page', async ({
  page,
}) => {
  const tag = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const email = `clerk-${tag}@e2e.lastmile.test`;
  const initial = `Initial${tag}1`;
  await logIn(page, 'court-admin@demo.lastmile.test', DEMO_PASSWORD);
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto('/staff');
  await page.getByLabel('真实姓名').fill('新书记员');
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码', { exact: true }).fill(initial);
  await page.getByRole('checkbox', { name: '执行书记员' }).check();
  await page.getByRole('button', { name: '创建', exact: true }).click();
  await expect(page.getByRole('main')).toContainText(email);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login\?loggedOut=1$/);

  await logIn(page, email, initial);
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByRole('alert')).toContainText('使用的是初始密码');
  // Every other page leads back here.
  await page.goto('/court/cases');
  await expect(page).toHaveURL(/\/account\/password$/);

  const mine = `Mine${tag}22`;
  await page.getByLabel('当前密码').fill(initial);
  await page.getByLabel('新密码', { exact: true }).fill(mine);
  await page.getByLabel('再次输入新密码').fill(mine);
  await page.getByRole('button', { name: '修改密码' }).click();
  await expect(page).toHaveURL(/\/court/);
  await page.goto('/court/cases');
  await expect(page).toHaveURL(/\/court\/cases$/);
});
