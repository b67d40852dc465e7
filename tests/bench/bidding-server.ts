/**
 * The server process of `npm run bench:bidding`: the real server (HTTP + Socket.IO + jobs, no
 * UI) on DATABASE_URL, in its own process so the load generator does not share its CPU time.
 * Prints `READY <port>` once listening; stops on SIGTERM. On SIGUSR2 (started with --expose-gc)
 * it collects its garbage, so the bench reads resident memory that live objects hold.
 */
import { loadConfig } from '../../server/config.js';
import { startServer } from '../../server/main.js';

const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
const server = await startServer({ config, ui: 'none' });
console.log(`READY ${server.port}`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
