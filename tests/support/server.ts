import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type StartOptions, startServer } from '../../server/main.js';
import { createTestDatabase } from './db.js';
import { testConfig } from './fixtures.js';

/**
 * The real server (HTTP + Socket.IO) on a random port and a private database. Without a UI by
 * default; `ui: 'build'` serves the Remix production build (built first when missing: `npm test`
 * builds before it runs the tests, so the build matches the sources there).
 */
export async function startTestServer(
  env: Record<string, string> = {},
  opts: { ui?: StartOptions['ui']; jobs?: StartOptions['jobs'] } = {},
) {
  if (opts.ui === 'build' && !existsSync('build/server/index.js'))
    execSync('npm run build', { stdio: 'ignore' });
  const db = await createTestDatabase();
  const config = testConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SEED_DEMO_DATA: 'true',
    ...env,
  });
  const server = await startServer({ config, ui: opts.ui ?? 'none', jobs: opts.jobs });
  return {
    ...server,
    config,
    url: `http://127.0.0.1:${server.port}`,
    async stop() {
      await server.close();
      await db.drop();
    },
  };
}
