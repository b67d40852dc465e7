import { startServer } from '../../server/main.js';
import { createTestDatabase } from './db.js';
import { testConfig } from './fixtures.js';

/** The real server (HTTP + Socket.IO, no Remix UI) on a random port and a private database. */
export async function startTestServer(env: Record<string, string> = {}) {
  const db = await createTestDatabase();
  const config = testConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SEED_DEMO_DATA: 'true',
    ...env,
  });
  const server = await startServer({ config, ui: 'none' });
  return {
    ...server,
    url: `http://127.0.0.1:${server.port}`,
    async stop() {
      await server.close();
      await db.drop();
    },
  };
}
