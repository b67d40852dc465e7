import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from '@playwright/test';
import { assetInput, caseInput, listingInput } from '../support/court';
import {
  changeInitialPassword,
  DEMO_PASSWORD,
  expect,
  expectNoHorizontalScroll,
  logIn,
  submitLogin,
  test,
} from './fixtures';

/**
 * Onboarding, tokens and webhooks in Chromium (issue 19, ADR 023): the platform admin creates a
 * court and its first administrator, who signs in with the password shown once and issues a
 * scoped token; suspension signs him out. A court's administrator registers a webhook whose
 * signed `listing.published` reaches a receiver started here, reads the delivery log and re-sends.
 */

async function open(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
}

async function asUser<T>(browser: Browser, email: string, password: string, run: (page: Page) => Promise<T>) {
  const context = await browser.newContext({ locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    await logIn(page, email, password);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    return await run(page);
  } finally {
    await context.close();
  }
}

// The refused forms answer 400 (a missing higher court, a bad URL) and 401 (a suspended court's login).
test.use({ allowedConsoleErrors: [/the server responded with a status of 40[01]/] });

const unique = () => `${Date.now().toString(36).slice(-4)}${process.pid % 100}`;

test('the platform admin onboards a court; its administrator issues a scoped token; suspension signs him out', async ({
  page,
  browser,
}) => {
  const suffix = String((Date.now() % 90) + 10);
  const code = `青01${suffix}`;
  await logIn(page, 'admin@demo.lastmile.test', DEMO_PASSWORD);
  await page.waitForURL(/\/admin$/);
  await page.getByRole('link', { name: '机构管理' }).first().click();
  await page.waitForLoadState('networkidle');
  const create = page.getByRole('form', { name: '新建机构' });
  await create.getByLabel('中文名称').fill(`测试县人民法院${suffix}`);
  await create.getByLabel('英文名称').fill(`Test County Court ${suffix}`);
  await create.getByLabel('机构代码').fill(code);
  await create.getByLabel('法院层级').selectOption('basic');
  // A basic court must name its intermediate court: refused first, then chosen.
  await create.getByRole('button', { name: '新建机构' }).click();
  await expect(create.getByLabel('上级法院')).toHaveAccessibleDescription(/须指定上级法院/);
  await create.getByLabel('上级法院').selectOption({ label: '西宁市中级人民法院 (青01)' });
  await create.getByLabel('行政区划代码').fill('630199');
  await create.getByRole('button', { name: '新建机构' }).click();
  await expect(page.getByRole('status')).toHaveText('机构已创建。');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`测试县人民法院${suffix}`);
  await expectNoHorizontalScroll(page);

  const email = `admin-${unique()}@court.e2e.test`;
  const first = page.getByRole('form', { name: '指定首位管理员' });
  await first.getByLabel('真实姓名').fill('马主任');
  await first.getByLabel('电子邮箱').fill(email);
  await first.getByRole('button', { name: '指定首位管理员' }).click();
  const shown = page.getByTestId('initial-password');
  await expect(shown).toContainText('仅显示一次');
  const password = (await shown.locator('code').nth(1).textContent())!;
  expect(password).toMatch(/^[A-Za-z2-9]{16}$/);
  // Once: the page reloaded shows it no more, and offers no second first administrator.
  await page.reload();
  await expect(page.getByTestId('initial-password')).toHaveCount(0);
  await expect(page.getByRole('form', { name: '指定首位管理员' })).toHaveCount(0);
  const orgUrl = page.url();

  const context = await browser.newContext({ locale: 'zh-CN' });
  try {
    const courtAdmin = await context.newPage();
    await logIn(courtAdmin, email, password);
    // The initial password is the platform admin's choice: he sets his own first (ADR 028).
    const own = `${password}Own9`;
    await changeInitialPassword(courtAdmin, password, own);
    await expect(courtAdmin).toHaveURL(/\/court$/);
    await courtAdmin.getByRole('link', { name: 'API 令牌' }).first().click();
    await courtAdmin.waitForLoadState('networkidle');
    const issue = courtAdmin.getByRole('form', { name: '签发令牌' });
    await issue.getByLabel('名称').fill('只读对接');
    await issue.getByLabel('写入').uncheck();
    await issue.getByLabel('有效期').selectOption('30');
    await issue.getByRole('button', { name: '签发令牌' }).click();
    const issued = courtAdmin.getByTestId('issued-token');
    await expect(issued).toContainText('无法再次查看');
    const token = (await issued.locator('code').textContent())!;
    expect(token).toMatch(/^lm_/);
    const row = courtAdmin.getByRole('row', { name: /只读对接/ });
    await expect(row).toContainText('读取');
    await expect(row).not.toContainText('写入');
    await expect(row).toContainText('有效');

    const auth = { authorization: `Bearer ${token}` };
    expect((await courtAdmin.request.get('/api/v1/cases', { headers: auth })).status()).toBe(200);
    const write = await courtAdmin.request.post('/api/v1/cases', { headers: auth, data: caseInput(code) });
    expect(write.status()).toBe(403);
    await courtAdmin.reload();
    await expect(courtAdmin.getByRole('row', { name: /只读对接/ })).not.toContainText('从未使用');

    // The platform admin suspends the court: its administrator is signed out and refused.
    await open(page, orgUrl);
    const suspend = page.getByRole('form', { name: '暂停机构' });
    await suspend.getByLabel('暂停原因').fill('机构撤并，暂停使用。');
    await suspend.getByRole('button', { name: '暂停机构' }).click();
    await expect(page.getByRole('status')).toHaveText('机构已暂停，其人员的会话已全部结束。');
    await expect(page.getByRole('main')).toContainText('机构撤并，暂停使用。');
    await courtAdmin.reload();
    await expect(courtAdmin).toHaveURL(/\/login/);
    await submitLogin(courtAdmin, email, own);
    await expect(courtAdmin.getByRole('alert')).toContainText('机构已被暂停');
    expect((await courtAdmin.request.get('/api/v1/cases', { headers: auth })).status()).toBe(401);

    // Reinstated: he signs in again; the token works again.
    await page.getByRole('button', { name: '恢复机构' }).click();
    await expect(page.getByRole('status')).toHaveText('机构已恢复。');
    await logIn(courtAdmin, email, own);
    await expect(courtAdmin).toHaveURL(/\/court$/);
    expect((await courtAdmin.request.get('/api/v1/cases', { headers: auth })).status()).toBe(200);
  } finally {
    await context.close();
  }
});

interface Delivery {
  id: string;
  topic: string;
  subject: string;
  verified: boolean;
}

test("a court's webhook receives the signed listing.published; the log shows it and re-sends it", async ({
  page,
  browser,
}) => {
  let secret = '';
  const got: Delivery[] = [];
  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      // docs/webhooks.md's check, as a court's system would write it.
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['lastmile-signature'])) ?? [];
      const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
      const verified = !!v1 && timingSafeEqual(Buffer.from(v1, 'hex'), Buffer.from(expected, 'hex'));
      const body = JSON.parse(raw);
      got.push({ id: body.id, topic: body.topic, subject: body.data.subject.id, verified });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  try {
    await logIn(page, 'court-admin@demo.lastmile.test', DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/court$/);
    await page.getByRole('link', { name: 'Webhook 推送' }).first().click();
    await page.waitForLoadState('networkidle');
    const register = page.getByRole('form', { name: '登记接收地址' });
    await register.getByLabel('名称').fill(`案管系统${unique()}`);
    await register.getByLabel('接收地址（URL）').fill('ftp://example.test/hooks');
    await register.getByRole('button', { name: '登记接收地址' }).click();
    await expect(register.getByLabel('接收地址（URL）')).toHaveAccessibleDescription(/有效的 http\(s\) 地址/);
    await register.getByLabel('接收地址（URL）').fill(url);
    await register.getByRole('button', { name: '登记接收地址' }).click();
    const shown = page.getByTestId('webhook-secret');
    await expect(shown).toContainText('仅显示这一次');
    secret = (await shown.locator('code').textContent())!;
    expect(secret).toMatch(/^whsec_/);

    // The court's system drafts a listing through the API with a token acting as the clerk.
    await open(page, '/court/api-tokens');
    const issue = page.getByRole('form', { name: '签发令牌' });
    await issue.getByLabel('名称').fill('案管系统');
    await issue.getByLabel('代表人员').selectOption({ label: '王书记员（执行书记员）' });
    await issue.getByRole('button', { name: '签发令牌' }).click();
    const token = (await page.getByTestId('issued-token').locator('code').textContent())!;
    const headers = { authorization: `Bearer ${token}` };
    const post = async (path: string, data: unknown) => {
      const r = await page.request.post(`/api/v1${path}`, { headers, data });
      expect(r.status(), `${path}: ${await r.text()}`).toBeLessThan(300);
      return r.json();
    };
    const c = await post('/cases', caseInput());
    const asset = await post(`/cases/${c.id}/assets`, assetInput());
    const draft = await post(
      `/assets/${asset.id}/listings`,
      // Announced from tomorrow: the 30 days of notice (art. 12) still hold when the panel approves minutes later.
      listingInput(new Date(Date.now() + 86_400_000), { purchaseRestricted: false, priorityPurchasers: [] }),
    );
    await post(`/listings/${draft.id}/submit`, {});

    // A panel member approves on the page: published, and the court's endpoint is told.
    await asUser(browser, 'panel@demo.lastmile.test', DEMO_PASSWORD, async (panel) => {
      await open(panel, `/court/listings/${draft.id}`);
      await panel.getByRole('button', { name: '审批通过并发布公告' }).click();
      await expect(panel.getByRole('status')).toHaveText('审批通过，拍卖公告已发布。');
    });
    await expect.poll(() => got.filter((d) => d.subject === draft.id).length).toBe(1);
    const published = got.find((d) => d.subject === draft.id)!;
    expect(published).toMatchObject({ topic: 'listing.published', verified: true });

    // The delivery log shows it delivered; re-send posts the same event again.
    await open(page, '/settings/webhooks');
    await page
      .getByRole('link', { name: /案管系统/ })
      .first()
      .click();
    await page.waitForLoadState('networkidle');
    const entry = page.getByRole('row', { name: /拍卖公告发布/ }).first();
    await expect(entry).toContainText('已送达');
    await expect(entry).toContainText('204');
    await entry.getByRole('button', { name: '重新发送' }).click();
    await expect(page.getByRole('status')).toContainText('已安排重新发送');
    await expect.poll(() => got.filter((d) => d.id === published.id).length).toBe(2);
    expect(got.filter((d) => d.id === published.id).every((d) => d.verified)).toBe(true);
    await expectNoHorizontalScroll(page);
  } finally {
    await new Promise((r) => receiver.close(r));
  }
});
