import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * Browser tests against the production build (`npm run test:e2e` builds first). The server is
 * started by tests/e2e/start-server.mjs on a fresh database, so every run starts from the seed.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;
const CI = process.env.CI === 'true';

// The system Chromium when there is one (apt's, or CHROMIUM_PATH); otherwise Playwright's own,
// which scripts/ensure-browser.mjs installs.
const systemChromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const executablePath = existsSync(systemChromium) ? systemChromium : undefined;

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  workers: 2, // the machines have 2 cores; the specs share nothing but read-only demo accounts
  reporter: 'list',
  // Generous: two browsers, the server and PostgreSQL share two cores (argon2 logins included).
  timeout: 90_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    locale: 'zh-CN',
    trace: 'on-first-retry',
    launchOptions: executablePath ? { executablePath } : {},
  },
  projects: [
    // tests/e2e/mobile.spec.ts switches to a phone (Pixel 7, also Chromium) with test.use.
    { name: 'chromium', use: devices['Desktop Chrome'] },
  ],
  webServer: {
    command: 'node tests/e2e/start-server.mjs',
    url: `${baseURL}/readyz`,
    env: { E2E_PORT: String(PORT) },
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
  },
});
