import postgres from 'postgres';
import { createDb, type DbHandle } from '../db/client.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { runMigrations } from '../db/migrate.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

const EMBEDDED_DB_NAME = 'lastmile';

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL with its data in
 * EMBEDDED_PG_DIR. Migrations are applied either way, unless `migrate: false` (a restore
 * migrates the empty database itself, to the backup's migrations).
 */
export async function openDatabase(config: Config, logger: Logger, opts: { migrate?: boolean } = {}) {
  let url = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const started = Date.now();
    const server = await startEmbeddedPostgres(config.EMBEDDED_PG_DIR, {
      log: (line) => logger.debug({ pg: line.trim() }, 'embedded postgres'),
    });
    stopEmbedded = server.stop;
    url = await ensureDatabase(server.url, EMBEDDED_DB_NAME);
    logger.info(
      { dir: config.EMBEDDED_PG_DIR, port: server.port, ms: Date.now() - started },
      'embedded PostgreSQL started',
    );
  }
  const handle: DbHandle = createDb(url, { max: config.DATABASE_POOL_MAX });
  try {
    if (opts.migrate !== false) await runMigrations(handle);
  } catch (error) {
    await handle.close();
    await stopEmbedded?.();
    throw error;
  }
  return {
    handle,
    embedded: stopEmbedded !== undefined,
    async close() {
      await handle.close();
      await stopEmbedded?.();
    },
  };
}

/** Creates `name` on the server behind `adminUrl` if missing; returns its URL. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) await admin.unsafe(`create database "${name.replaceAll('"', '""')}"`);
  } catch (error) {
    // Two processes racing to create it: the loser sees duplicate_database.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
