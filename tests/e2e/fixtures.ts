import { test as base, devices, expect, type Page } from '@playwright/test';
import { withCheckCharacter } from '../../server/identity/national-id';

/** One password for every demo account (server/demo/seed-accounts.ts). */
export const DEMO_PASSWORD = 'Demo2026lastmile';
export const DEMO = {
  bidder: 'bidder@demo.lastmile.test',
  clerk: 'clerk@demo.lastmile.test',
} as const;

interface Options {
  /** Console errors this test expects (matched against the message text); any other fails it. */
  allowedConsoleErrors: RegExp[];
}

/**
 * What the browser reports wrong on `page` from now on: uncaught page errors and console errors,
 * except those matching `allowed`. A spec that opens its own context (another server, several
 * windows) asserts the list empty at its end, as the `page` fixture below does.
 */
export function browserProblems(page: Page, allowed: readonly RegExp[] = []): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (allowed.some((re) => re.test(text))) return;
    const { url, lineNumber } = message.location();
    problems.push(`console.error: ${text}${url ? ` (${url}:${lineNumber})` : ''}`);
  });
  return problems;
}

/**
 * `page` that fails the test on an uncaught page error or a console error, like the unit tests'
 * tests/setup/fail-on-console-error.ts. The browser logs a failed resource load (a 4xx page,
 * for instance) as a console error too: a test that expects one says so in allowedConsoleErrors.
 */
export const test = base.extend<Options>({
  allowedConsoleErrors: [[], { option: true }],
  page: async ({ page, allowedConsoleErrors }, use) => {
    const problems = browserProblems(page, allowedConsoleErrors);
    await use(page);
    expect(problems, 'the browser reported errors').toEqual([]);
  },
});

export { expect };

let sequence = 0;

/**
 * A bidder nobody has used: unique email, and a valid resident ID number (GB 11643 check
 * character) whose birth date and sequence digits vary per run and per call, so its digest is
 * unique even on a database that outlives one run.
 */
export function newBidder() {
  sequence += 1;
  const n = Date.now() * 10 + (process.pid % 10) + sequence * 7919;
  const born = new Date(Date.UTC(1950, 0, 1) + (n % 18_000) * 86_400_000); // 1950 .. ~1999
  const birth = born.toISOString().slice(0, 10).replaceAll('-', '');
  const seq = String(Math.floor(n / 18_000) % 1000).padStart(3, '0');
  const nationalId = withCheckCharacter(`630104${birth}${seq}`);
  const tag = `${Date.now().toString(36)}${process.pid.toString(36)}${sequence}`;
  return {
    email: `bidder-${tag}@e2e.lastmile.test`,
    password: `E2e${tag}pass1`,
    realName: '测试竞买人',
    nationalId,
    phone: `139${String(n % 100_000_000).padStart(8, '0')}`,
  };
}
export type Bidder = ReturnType<typeof newBidder>;

/** The first 3 and last 4 characters, asterisks between (what /me must show). */
export const masked = (id: string) => `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;

export async function signUp(page: Page, bidder: Bidder) {
  await page.goto('/signup');
  await submitSignUp(page, bidder);
  await expect(page).toHaveURL(/\/me$/);
}

/** Fills and submits the sign-up form of the page already open (/signup, maybe with redirectTo). */
export async function submitSignUp(page: Page, bidder: Bidder) {
  await page.getByLabel('真实姓名').fill(bidder.realName);
  await page.getByLabel('居民身份证号码').fill(bidder.nationalId);
  await page.getByLabel('手机号码').fill(bidder.phone);
  await page.getByLabel('电子邮箱').fill(bidder.email);
  await page.getByLabel('密码').fill(bidder.password);
  await page.getByRole('button', { name: '注册', exact: true }).click();
}

/** Fills and submits the login form of the page already open (/login, maybe with redirectTo). */
export async function submitLogin(page: Page, email: string, password: string) {
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

export async function logIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await submitLogin(page, email, password);
}

export async function logOut(page: Page) {
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login\?loggedOut=1$/);
  await expect(page.getByRole('status')).toHaveText('您已退出登录。');
  await expect(page.getByRole('button', { name: '退出登录' })).toHaveCount(0);
}

/** A Pixel 7 (Chromium) for the phone-size checks. */
export const { defaultBrowserType: _chromium, ...pixel7 } = devices['Pixel 7'];

/** Fails when the page is wider than the screen (sideways scrolling on a phone). */
export async function expectNoHorizontalScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `page ${page.url()} is wider than the screen`).toBeLessThanOrEqual(innerWidth);
}

/**
 * The e-mails the server sent to `address`, as the mail catcher of start-server.mjs received them
 * over SMTP (ADR 028). Polled: the server sends after it has answered.
 */
export async function mailTo(address: string, count = 1) {
  const view = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100) + 11000}/messages?to=${encodeURIComponent(address)}`;
  let mails: { to: string; subject: string; text: string }[] = [];
  await expect
    .poll(async () => {
      mails = await (await fetch(view)).json();
      return mails.length;
    })
    .toBeGreaterThanOrEqual(count);
  return mails;
}

/**
 * An account an administrator created signs in with its initial password and is held at
 * /account/password until it sets its own (ADR 028); sets `next` and lands on its home page.
 */
export async function changeInitialPassword(page: Page, initial: string, next: string) {
  await expect(page).toHaveURL(/\/account\/password$/);
  await page.getByLabel('当前密码').fill(initial);
  await page.getByLabel('新密码', { exact: true }).fill(next);
  await page.getByLabel('再次输入新密码').fill(next);
  await page.getByRole('button', { name: '修改密码' }).click();
  await expect(page).not.toHaveURL(/\/account\/password/);
}
