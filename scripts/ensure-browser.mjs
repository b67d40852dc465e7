// Makes sure `playwright test` has a Chromium to drive. The system one (apt's /usr/bin/chromium,
// or CHROMIUM_PATH) is preferred; elsewhere Playwright downloads its own build once.
// playwright.config.ts makes the same choice, so what this prints is what the tests use.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

if (existsSync(candidate)) {
  console.log(`e2e: using the system Chromium at ${candidate}`);
  process.exit(0);
}
if (process.env.CHROMIUM_PATH) {
  console.error(`e2e: CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist.`);
  process.exit(1);
}

console.log(
  'e2e: no system Chromium at /usr/bin/chromium; installing Playwright’s own (npx playwright install chromium)',
);
const result = spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
if (result.status !== 0) {
  console.error(
    [
      'e2e: could not install Playwright’s Chromium' +
        (result.error ? ` (${result.error.message})` : ` (exit code ${result.status})`) +
        '.',
      'Install a Chromium yourself and point the tests at it, for example:',
      '  apt-get install -y chromium            # gives /usr/bin/chromium',
      '  CHROMIUM_PATH=/path/to/chrome npm run test:e2e',
    ].join('\n'),
  );
  process.exit(1);
}
console.log('e2e: using Playwright’s own Chromium');
