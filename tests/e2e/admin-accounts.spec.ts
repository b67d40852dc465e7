import { readFile } from 'node:fs/promises';
import {
  DEMO_PASSWORD,
  expect,
  expectNoHorizontalScroll,
  logIn,
  newBidder,
  pixel7,
  signUp,
  submitLogin,
  test,
} from './fixtures';

/**
 * Issue 22, "the platform admin disables an account and the user's open page is signed out"
 * (ADR 024): the user's page leaves for the login page the moment the admin disables him, his
 * password no longer opens the account, the act is in the audit log (and its CSV); re-enabled,
 * the admin hands him a one-time reset link that sets a new password once.
 */
test('the platform admin disables an account, its open page is signed out, and a reset link brings it back', async ({
  browser,
  page,
}) => {
  test.slow(); // two browsers and four argon2 logins on a shared machine
  const bidder = newBidder();
  const userContext = await browser.newContext();
  const user = await userContext.newPage();
  await signUp(user, bidder);
  await user.goto('/me/payments');
  await expect(user.getByRole('heading', { level: 1 })).toBeVisible();

  await logIn(page, 'admin@demo.lastmile.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/admin$/);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '账户管理' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '账户管理' })).toBeVisible();
  await page.getByLabel('姓名、邮箱或手机号').fill(bidder.email);
  await page.getByRole('button', { name: '查找' }).click();
  await expect(page.getByRole('status')).toHaveText('共 1 个账户');
  await page.getByRole('link', { name: bidder.realName }).click();
  await expect(page.getByTestId('account-status')).toHaveText('正常');

  await page.getByLabel('原因（记入审计日志）').fill('冒用身份');
  await page.getByRole('button', { name: '停用账户' }).click();
  await expect(page.getByRole('status').first()).toContainText('账户已停用');
  await expect(page.getByTestId('account-status')).toHaveText('已停用');

  // The user's open page goes to the login page by itself, told why.
  await expect(user).toHaveURL(/\/login\?signedOut=1/);
  await expect(user.getByRole('status')).toHaveText('您的会话已被结束，请重新登录。');
  await submitLogin(user, bidder.email, bidder.password);
  await expect(user.getByRole('alert')).toBeVisible();
  await expect(user).toHaveURL(/\/login/);

  // The act is in the audit log, with who, why and when; the CSV holds it in Chinese.
  await page.getByRole('link', { name: '查看此账户的全部审计记录' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '审计日志' })).toBeVisible();
  const disabledRow = page.getByRole('row').filter({ hasText: 'user.disabled' });
  await expect(disabledRow).toContainText('平台管理员');
  await expect(disabledRow).toContainText('冒用身份');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '导出 CSV（按当前筛选）' }).click(),
  ]);
  const csv = await readFile((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe(
    '\uFEFF时间（北京时间）,操作人,操作人邮箱,所属机构,操作,对象类型,对象编号,详情,请求编号',
  );
  expect(csv).toContain('user.disabled');

  // Enabled again, and a reset link shown once to the admin sets a new password once.
  await page.goBack();
  await page.getByRole('button', { name: '恢复账户' }).click();
  await expect(page.getByTestId('account-status')).toHaveText('正常');
  await page.getByRole('button', { name: '生成重置链接' }).click();
  const link = await page.getByLabel('重置链接').inputValue();
  expect(link).toMatch(/\/reset-password\/[\w-]{40,}$/);

  await user.goto(link);
  await user.getByLabel('新密码', { exact: true }).fill('Reset2026newpass');
  await user.getByLabel('再次输入新密码').fill('Reset2026newpass');
  await user.getByRole('button', { name: '设置新密码' }).click();
  await expect(user).toHaveURL(/\/login\?reset=1$/);
  await expect(user.getByRole('status')).toHaveText('密码已更新，请用新密码登录。');
  await submitLogin(user, bidder.email, 'Reset2026newpass');
  await expect(user).toHaveURL(/\/me$/);
  await user.goto(link);
  await expect(user.getByRole('alert')).toContainText('此重置链接已失效');
  await userContext.close();
});

test.describe('a refused form', () => {
  // The refusal is the action's 400 answer, which the browser logs as a failed load.
  test.use({
    allowedConsoleErrors: [/^Failed to load resource: the server responded with a status of 400\b/],
  });
  test('a court admin finds his own staff only, and cannot take his own admin role', async ({ page }) => {
    await logIn(page, 'court-admin@demo.lastmile.test', DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/court$/);
    await page.goto('/admin/users');
    await expect(page.getByRole('row').filter({ hasText: 'clerk@demo.lastmile.test' })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: 'insurer@demo.lastmile.test' })).toHaveCount(0);
    await page.getByRole('link', { name: '赵主任' }).click();
    await expect(page.getByText('这是您本人的账户')).toBeVisible();
    await expect(page.getByRole('button', { name: '停用账户' })).toHaveCount(0);
    const roles = page.getByRole('group', { name: '角色' });
    await roles.getByLabel('法院管理员').uncheck();
    await roles.getByLabel('执行书记员').check();
    await page.getByRole('button', { name: '保存角色' }).click();
    await expect(page.getByText('不能取消自己的管理员角色。')).toBeVisible();
    await expect(page.getByRole('main')).toContainText('法院管理员');
  });
});

test.describe('on a phone', () => {
  test.use({ ...pixel7 });
  test('the account list and the audit log fit the screen', async ({ page }) => {
    await logIn(page, 'admin@demo.lastmile.test', DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/admin$/);
    await page.goto('/admin/users');
    await expect(page.getByRole('heading', { level: 1, name: '账户管理' })).toBeVisible();
    await expectNoHorizontalScroll(page);
    await page.goto('/admin/audit');
    await expect(page.getByRole('heading', { level: 1, name: '审计日志' })).toBeVisible();
    await expectNoHorizontalScroll(page);
  });
});
