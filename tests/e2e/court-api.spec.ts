import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from '@playwright/test';
import { caseInput } from '../support/court';
import { changeInitialPassword, DEMO_PASSWORD, expect, logIn, newBidder, signUp, test } from './fixtures';
import { type AcceleratedServer, startAcceleratedServer } from './live-auction';

/**
 * Issue 19's "done means", in Chromium (ADR 026): the platform admin creates a court and its
 * administrator; he creates a clerk and a panel member on the staff page, registers a webhook
 * and issues a token for each; the court's system (plain fetch here) creates a case, an asset
 * and a listing with the clerk's token, has it approved by the panel member's token, and
 * receives the signed `listing.published`; a bidder buys it and `listing.sold` follows.
 *
 * The accelerated profile (factor 43,200: a day is 2 s) makes the 15 days of notice for a
 * movable (art. 12) 30 s and the 24-hour window 2 s, so the API's own listing goes live and
 * closes while the test runs, on the real clock.
 */
const FACTOR = 43_200;
let server: AcceleratedServer;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startAcceleratedServer(FACTOR);
});
test.afterAll(async () => {
  await server?.stop();
});

async function windowOn(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseURL, locale: 'zh-CN' });
  return context.newPage();
}

interface Event {
  id: string;
  topic: string;
  subject: string;
  priceFen?: string;
  verified: boolean;
}

test('a new court’s system drives a listing through the API: approved by the panel member’s token, published and sold, each told by a signed webhook', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  // The court's receiver, checking the signature as docs/webhooks.md says.
  let secret = '';
  const got: Event[] = [];
  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['lastmile-signature'])) ?? [];
      const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
      const verified = !!v1 && timingSafeEqual(Buffer.from(v1, 'hex'), Buffer.from(expected, 'hex'));
      const body = JSON.parse(raw);
      got.push({
        id: body.id,
        topic: body.topic,
        subject: body.data.subject.id,
        priceFen: body.data.priceFen,
        verified,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  try {
    // A bidder signs up first (his argon2 hash is the slow part), on the accelerated server.
    const buyer = await windowOn(browser);
    const bidder = { ...newBidder(), realName: '郑买受' };
    await signUp(buyer, bidder);

    // 1. The platform admin creates the court and its first administrator.
    const admin = await windowOn(browser);
    const suffix = String((Date.now() % 90) + 10);
    const code = `青02${suffix}`;
    await logIn(admin, 'admin@demo.lastmile.test', DEMO_PASSWORD);
    await admin.waitForURL(/\/admin$/);
    await admin.goto('/admin/organisations');
    const create = admin.getByRole('form', { name: '新建机构' });
    await create.getByLabel('中文名称').fill(`接口测试县人民法院${suffix}`);
    await create.getByLabel('英文名称').fill(`API Test County Court ${suffix}`);
    await create.getByLabel('机构代码').fill(code);
    await create.getByLabel('法院层级').selectOption('basic');
    await create.getByLabel('上级法院').selectOption({ label: '西宁市中级人民法院 (青01)' });
    await create.getByLabel('行政区划代码').fill('630199');
    await create.getByRole('button', { name: '新建机构' }).click();
    await expect(admin.getByRole('status').filter({ hasText: '机构已创建。' })).toBeVisible();
    const adminEmail = `admin-${code.slice(1)}-${Date.now().toString(36)}@court.e2e.test`;
    const first = admin.getByRole('form', { name: '指定首位管理员' });
    await first.getByLabel('真实姓名').fill('唐主任');
    await first.getByLabel('电子邮箱').fill(adminEmail);
    await first.getByRole('button', { name: '指定首位管理员' }).click();
    const adminPassword = (await admin.getByTestId('initial-password').locator('code').nth(1).textContent())!;

    // 2. Its administrator creates a clerk and a panel member.
    const court = await windowOn(browser);
    await logIn(court, adminEmail, adminPassword);
    // The initial password is the platform admin's choice: he sets his own first (ADR 028).
    await changeInitialPassword(court, adminPassword, `${adminPassword}Own9`);
    await expect(court).toHaveURL(/\/court$/);
    const staff = async (realName: string, role: string) => {
      await court.goto('/staff');
      const form = court.getByRole('form', { name: '新建工作人员账户' });
      await form.getByLabel(role).check();
      await form.getByLabel('真实姓名').fill(realName);
      await form.getByLabel('电子邮箱').fill(`${randomUUID().slice(0, 8)}@court.e2e.test`);
      await form.getByLabel('密码').fill('Court2026staffpass');
      await form.getByRole('button', { name: '创建' }).click();
      await expect(court.getByRole('status').filter({ hasText: '账户已创建。' })).toBeVisible();
      await expect(court.getByRole('row', { name: new RegExp(realName) })).toContainText(role);
    };
    await staff('冯书记员', '执行书记员');
    await staff('韩法官', '合议庭成员');

    // 3. He registers the court system's webhook endpoint, and issues a token for each of them.
    await court.goto('/settings/webhooks');
    const register = court.getByRole('form', { name: '登记接收地址' });
    await register.getByLabel('名称').fill('案管系统');
    await register.getByLabel('接收地址（URL）').fill(hookUrl);
    await register.getByRole('button', { name: '登记接收地址' }).click();
    secret = (await court.getByTestId('webhook-secret').locator('code').textContent())!;
    expect(secret).toMatch(/^whsec_/);
    const issue = async (name: string, actsAs: string) => {
      await court.goto('/court/api-tokens');
      const form = court.getByRole('form', { name: '签发令牌' });
      await form.getByLabel('名称').fill(name);
      await form.getByLabel('代表人员').selectOption({ label: actsAs });
      await form.getByRole('button', { name: '签发令牌' }).click();
      const token = (await court.getByTestId('issued-token').locator('code').textContent())!;
      expect(token).toMatch(/^lm_/);
      return token;
    };
    const clerkToken = await issue('案管系统（书记员）', '冯书记员（执行书记员）');
    const panelToken = await issue('案管系统（合议庭）', '韩法官（合议庭成员）');

    // 4. The court's system: plain fetch, an Idempotency-Key on every POST.
    const api = async (token: string, path: string, body?: unknown) => {
      const r = await fetch(`${server.baseURL}/api/v1${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(body !== undefined && { 'idempotency-key': randomUUID() }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: await r.json() };
    };
    const ok = async (token: string, path: string, body?: unknown) => {
      const r = await api(token, path, body);
      expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
      return r.body;
    };
    const kase = await ok(clerkToken, '/cases', caseInput(code));
    const asset = await ok(clerkToken, `/cases/${kase.id}/assets`, {
      type: 'vehicle',
      title: `接口测试车辆（青B·${suffix}88）`,
      province: '青海省',
      city: '西宁市',
      district: '城西区',
      address: '法院停车场',
      description: '2019 年登记的小型轿车，手续齐全。',
      encumbrances: [],
      appraisal: '10000',
      appraisalBasis: 'appraisal_report',
      appraisalDate: '2026-01-10',
    });
    // Bidding from a minute ahead (the 30 s of notice hold after the approval), for 40 s.
    const startsAt = Date.now() + 60_000;
    const listing = await ok(clerkToken, `/assets/${asset.id}/listings`, {
      startingPrice: '7000',
      deposit: '700',
      increment: '100',
      announceAt: new Date().toISOString(),
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 40_000).toISOString(),
      balanceDays: 15,
      specialNotices: '标的物按现状拍卖。',
      taxes: '税费按法律规定各自承担。',
      taxPayer: 'each_by_law',
      viewing: '请致电预约看样。',
      contact: '冯书记员 0971-6200000',
      supervisionLine: '0971-6200001',
    });
    await ok(clerkToken, `/listings/${listing.id}/submit`, {});
    // The clerk's token cannot approve (art. 27: the panel); the panel member's can.
    expect((await api(clerkToken, `/listings/${listing.id}/approval`, {})).status).toBe(403);
    const approved = await ok(panelToken, `/listings/${listing.id}/approval`, {});
    expect(approved.status).toBe('announced');

    // 5. The signed listing.published reaches the receiver.
    await expect
      .poll(() => got.filter((e) => e.subject === listing.id).map((e) => e.topic), { timeout: 30_000 })
      .toContain('listing.published');
    expect(got.find((e) => e.topic === 'listing.published')).toMatchObject({ verified: true });

    // 6. A bidder registers, pays the deposit and bids once it is live; it sells.
    await buyer.goto(`/auctions/${listing.id}/register`);
    await buyer.getByLabel('我已阅读并接受竞买须知和特别提示').check();
    await buyer.getByRole('button', { name: '报名并交纳保证金' }).click();
    await buyer.getByRole('button', { name: '银行卡支付（模拟）' }).click();
    await buyer.getByRole('button', { name: '模拟支付成功' }).click();
    await expect(buyer.getByTestId('pay-status')).toHaveText('已冻结');
    await buyer.goto(`/auctions/${listing.id}`);
    const bid = buyer.getByRole('button', { name: '出价 ¥7,000.00', exact: true });
    await expect(bid).toBeEnabled({ timeout: 90_000 });
    await bid.click();
    await buyer.getByRole('button', { name: '确认出价' }).click();
    await expect(buyer.getByTestId('bid-message')).toHaveText('出价成功：¥7,000.00。');
    await expect(buyer.getByRole('heading', { name: '拍卖成交' })).toBeVisible({ timeout: 90_000 });

    // 7. The signed listing.sold follows, with the price and no person in it.
    await expect
      .poll(() => got.filter((e) => e.subject === listing.id).map((e) => e.topic), { timeout: 30_000 })
      .toContain('listing.sold');
    const sold = got.find((e) => e.subject === listing.id && e.topic === 'listing.sold')!;
    expect(sold).toMatchObject({ verified: true, priceFen: '700000' });
    // The court's system reads the result through the API as well.
    const result = await ok(clerkToken, `/listings/${listing.id}/balance`);
    expect(result.balance.priceFen).toBe('700000');
  } finally {
    await new Promise((r) => receiver.close(r));
  }
});
