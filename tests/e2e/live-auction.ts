/**
 * What tests/e2e/live-bidding.spec.ts needs and the default e2e server cannot give: the
 * accelerated rules profile, and an auction that is live now and ends within a minute.
 *
 * - `startAcceleratedServer` runs the production build (build/server/main.js) a second time,
 *   with RULES_PROFILE=accelerated, on a free port and a fresh database (an embedded PostgreSQL
 *   in a temporary folder, or a new database on TEST_DATABASE_URL / DATABASE_URL). The server
 *   migrates and seeds the demo accounts itself, like tests/e2e/start-server.mjs. Only the
 *   spec that needs it pays for it; the default run's server stays statutory.
 * - `createLiveAuction` publishes a listing through the real services, with a clock set back
 *   so the announcement lead (art. 12) and the 24-hour window (art. 20), both divided by the
 *   factor, lie in the past, as server/demo/seed-auctions.ts does. The server's own job runner
 *   then starts it (the start is due) and closes it at its end, broadcasting both.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { createDb } from '../../db/client';
import { freePort, startEmbeddedPostgres } from '../../db/embedded';
import { users } from '../../db/schema/identity';
import { loadConfig } from '../../server/config';
import { ensureDatabase } from '../../server/database';
import type { Actor } from '../../server/identity/permissions';
import { createLogger } from '../../server/logger';
import { createServices } from '../../server/services';
import { expect } from './fixtures';
import { PRACTICE_E2E_ENV } from './practice';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface AcceleratedServer {
  baseURL: string;
  databaseUrl: string;
  factor: number;
  stop(): Promise<void>;
}

export async function startAcceleratedServer(factor: number): Promise<AcceleratedServer> {
  const entry = path.join(root, 'build/server/main.js');
  if (!existsSync(entry)) throw new Error('build/server/main.js is missing; run `npm run build` first.');
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;

  let databaseUrl: string;
  let dropDatabase: () => Promise<void>;
  const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `lastmile_e2e_live_${Date.now()}_${process.pid}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database "${name}"`);
    } finally {
      await admin.end();
    }
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDatabase = async () => {
      const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    };
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lastmile-e2e-live-'));
    const pg = await startEmbeddedPostgres(path.join(dir, 'pg'));
    databaseUrl = await ensureDatabase(pg.url, 'lastmile');
    dropDatabase = async () => {
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }

  const child: ChildProcess = spawn(process.execPath, [entry], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: '',
      RULES_PROFILE: 'accelerated',
      RULES_ACCELERATION_FACTOR: String(factor),
      SEED_DEMO_DATA: 'true',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      LOGIN_IP_MAX_FAILURES: '1000',
      // The specs' webhook receivers listen on this machine (the SSRF guard's allowance, ADR 028).
      WEBHOOK_ALLOW_PRIVATE: 'true',
      // The practice auction's short round, as on the default e2e server (practice.ts `practise`).
      ...PRACTICE_E2E_ENV,
    },
  });
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  // A worker that dies must not leave the server running.
  const kill = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', kill);

  async function stop() {
    process.off('exit', kill);
    if (!exited) {
      child.kill('SIGTERM'); // graceful once: a second signal would cut its shutdown short
      const timer = setTimeout(kill, 20_000);
      await gone;
      clearTimeout(timer);
    }
    await dropDatabase();
  }

  const deadline = Date.now() + 120_000;
  while (true) {
    if (exited) {
      await dropDatabase();
      throw new Error('the accelerated e2e server exited during startup');
    }
    const ok = await fetch(`${baseURL}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error('the accelerated e2e server did not become ready in 120 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseURL, databaseUrl, factor, stop };
}

export interface LiveAuction {
  id: string;
  title: string;
  startingPriceFen: bigint;
  depositFen: bigint;
  incrementFen: bigint;
  endsAt: Date;
}

/**
 * A vehicle auction at the demo court, live now and ending `endsInMs` from now (start ¥7,000,
 * deposit ¥700, increment ¥100), under purchase restrictions (限购) when asked. Resolves once the
 * server has started it.
 */
export async function createLiveAuction(
  server: AcceleratedServer,
  endsInMs: number,
  options: {
    purchaseRestricted?: boolean;
    /** Announced, starting this long from now (the server's job runner starts it then); else live now. */
    startsInMs?: number;
  } = {},
): Promise<LiveAuction> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: server.databaseUrl,
    RULES_PROFILE: 'accelerated',
    RULES_ACCELERATION_FACTOR: String(server.factor),
    LOG_LEVEL: 'warn',
  });
  const db = createDb(server.databaseUrl, { max: 2 });
  try {
    const realNow = Date.now();
    let now = realNow;
    const services = createServices({ db, config, clock: () => new Date(now), logger: createLogger(config) });
    const d = services.profile.durations;
    const later = options.startsInMs !== undefined ? realNow + options.startsInMs : null;
    const endsAt =
      later !== null ? Math.max(realNow + endsInMs, later + d.biddingWindowMin) : realNow + endsInMs;
    // Started a moment ago (or starting later), and the window at least the (accelerated) 24 hours.
    const startsAt = later ?? Math.min(realNow - 1_000, endsAt - d.biddingWindowMin);
    const announceAt = startsAt - d.announceLeadMovable - 1_000;
    now = announceAt;

    const actor = async (email: string): Promise<Actor> => {
      const [u] = await db.db.select().from(users).where(eq(users.email, email));
      const user = await services.identity.loadCurrentUser(u!.id);
      return {
        userId: user!.id,
        sessionId: 'e2e',
        roles: user!.roles,
        organisationId: user!.organisationId,
        orgKind: 'court',
      };
    };
    const clerk = await actor('clerk@demo.lastmile.test');
    const panel = await actor('panel@demo.lastmile.test');
    const n = 1000 + Math.floor(Math.random() * 900_000);
    const title = `竞价测试车辆（青A·E${String(n).slice(-4)}）`;
    const c = await services.cases.createCase(clerk, {
      caseNumber: `(2026)青0104执${n}号`,
      basis: '(2025)青0104民初100号民事判决书',
      amountOwed: '20000',
      parties: [
        { role: 'applicant', kind: 'company', name: '青海某小额贷款有限公司', claim: '20000' },
        { role: 'respondent', kind: 'person', name: '被执行人', idNumberMasked: '630***********1234' },
      ],
    });
    const asset = await services.cases.createAsset(clerk, c.id, {
      type: 'vehicle',
      title,
      province: '青海省',
      city: '西宁市',
      district: '城西区',
      address: '西宁市城西区法院停车场',
      description: '2018 年登记的小型轿车，手续齐全。',
      encumbrances: [{ kind: 'mortgage', description: '抵押权人：青海某小额贷款有限公司' }],
      appraisal: '10000',
      appraisalBasis: 'appraisal_report',
      appraisalDate: '2026-01-10',
    });
    const draft = await services.listings.createDraft(clerk, asset.id, {
      startingPrice: '7000',
      deposit: '700',
      increment: '100',
      announceAt: new Date(announceAt).toISOString(),
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      balanceDays: 15,
      specialNotices: '标的物按现状拍卖，竞买人参与竞价即视为认可标的物现状及瑕疵。',
      taxes: '过户涉及的税费按照法律规定由买卖双方各自承担。',
      taxPayer: 'each_by_law',
      viewing: '请于工作日致电预约看样。',
      contact: '王书记员 0971-6100000',
      supervisionLine: '0971-6100001',
      purchaseRestricted: options.purchaseRestricted ?? false,
    });
    await services.listings.submit(clerk, draft.id);
    await services.listings.approve(panel, draft.id);

    now = Date.now();
    const made = {
      id: draft.id,
      title,
      startingPriceFen: 700_000n,
      depositFen: 70_000n,
      incrementFen: 10_000n,
      endsAt: new Date(endsAt),
    };
    if (later !== null) return made;
    // The start is due: the server's job runner moves it to live (and tells its watchers).
    const until = Date.now() + 15_000;
    while ((await services.listings.publicListing(draft.id)).listing.status !== 'live') {
      if (Date.now() > until) throw new Error('the e2e server did not start the auction');
      await new Promise((r) => setTimeout(r, 200));
    }
    return made;
  } finally {
    await db.close();
  }
}

/**
 * A seized vehicle of a new case at the demo court (appraised ¥10,000), made through the real
 * services, for a spec that then lists it through the court's own forms.
 */
export async function createSeizedVehicle(server: AcceleratedServer): Promise<{ id: string; title: string }> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: server.databaseUrl,
    RULES_PROFILE: 'accelerated',
    RULES_ACCELERATION_FACTOR: String(server.factor),
    LOG_LEVEL: 'warn',
  });
  const db = createDb(server.databaseUrl, { max: 2 });
  try {
    const services = createServices({ db, config, clock: () => new Date(), logger: createLogger(config) });
    const [u] = await db.db.select().from(users).where(eq(users.email, 'clerk@demo.lastmile.test'));
    const clerk: Actor = {
      userId: u!.id,
      sessionId: 'e2e',
      roles: u!.roles,
      organisationId: u!.organisationId,
      orgKind: 'court',
    };
    const n = 1000 + Math.floor(Math.random() * 900_000);
    const title = `优先购买测试车辆（青A·P${String(n).slice(-4)}）`;
    const c = await services.cases.createCase(clerk, {
      caseNumber: `(2026)青0104执${n}号`,
      basis: '(2025)青0104民初101号民事判决书',
      amountOwed: '20000',
      parties: [
        { role: 'applicant', kind: 'company', name: '青海某小额贷款有限公司', claim: '20000' },
        { role: 'respondent', kind: 'person', name: '被执行人', idNumberMasked: '630***********1234' },
      ],
    });
    const asset = await services.cases.createAsset(clerk, c.id, {
      type: 'vehicle',
      title,
      province: '青海省',
      city: '西宁市',
      district: '城西区',
      address: '西宁市城西区法院停车场',
      description: '2019 年登记的小型轿车，与案外人共有。',
      encumbrances: [],
      appraisal: '10000',
      appraisalBasis: 'appraisal_report',
      appraisalDate: '2026-01-10',
    });
    return { id: asset.id, title };
  } finally {
    await db.close();
  }
}

/** Registers for the auction, pays the deposit with the local simulator; returns the bidder code. */
export async function registerAndPay(page: Page, auction: LiveAuction): Promise<string> {
  await page.goto(`/auctions/${auction.id}`);
  await expect(page.getByTestId('my-status')).toHaveText('您尚未报名本场拍卖。');
  // On a phone the sticky bid bar offers the same link as the panel: either will do.
  await page.getByRole('link', { name: '报名参拍' }).first().click();
  await page.getByLabel('我已阅读并接受竞买须知和特别提示').check();
  await page.getByRole('button', { name: '报名并交纳保证金' }).click();
  await expect(page).toHaveURL(/\/me\/pay\/deposit\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('pay-amount')).toHaveText('¥700.00');
  await page.getByRole('button', { name: '银行卡支付（模拟）' }).click();
  await page.getByRole('button', { name: '模拟支付成功' }).click();
  await expect(page.getByTestId('pay-status')).toHaveText('已冻结');

  await page.goto(`/auctions/${auction.id}`);
  await expect(page.getByText('实时更新已连接')).toBeVisible();
  const status = page.getByTestId('my-status');
  await expect(status).toHaveText(/^您的竞买号：[2-9A-Z]{4}，尚未出价。$/);
  return /：([2-9A-Z]{4})，/.exec((await status.textContent()) ?? '')![1]!;
}

/**
 * The hammer, for the bidder `page` who bid the starting price alone on an auction made by
 * createLiveAuction: the confirmation names him, and he pays the ¥6,300 balance (¥7,000 less the
 * ¥700 deposit, art. 23) by card from the winner's notice. Waits up to `timeoutMs` for the end.
 */
export async function winAndPayBalance(page: Page, realName: string, timeoutMs: number) {
  await expect(page.getByRole('heading', { name: '拍卖成交' })).toBeVisible({ timeout: timeoutMs });
  await expect(page.getByTestId('confirmation-winner')).toHaveText(realName);
  await expect(page.getByTestId('balance-due')).toContainText('应付余款 ¥6,300.00');
  // The road's link leads straight to the balance's pay page.
  await page.getByTestId('winner-notice').getByRole('link', { name: '支付余款' }).click();
  await expect(page).toHaveURL(/\/me\/pay\/balance\/[0-9a-f-]{36}$/);
  await page.getByRole('button', { name: '银行卡支付（模拟）' }).click();
  await page.getByRole('button', { name: '模拟支付成功' }).click();
  await expect(page.getByTestId('pay-status')).toHaveText('已付清');
}
