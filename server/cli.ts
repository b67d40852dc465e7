/**
 * Database chores: `migrate`, `seed`, `backup <dir>`, `restore <dir>` (into an empty database:
 * docs/operations.md), `reset` (wipes the embedded database's data folder,
 * or drops and recreates the schema of DATABASE_URL's database). An entry point like main.ts,
 * so it lives in server/: db/ is the bottom floor and imports nothing from here.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { backupDatabase, restoreDatabase } from '../db/backup.js';
import { projectRoot } from '../db/paths.js';
import { loadConfig } from './config.js';
import { openDatabase } from './database.js';
import { seedDemoData } from './demo/seed.js';
import { createLogger } from './logger.js';

const command = process.argv[2];
const config = loadConfig();
const logger = createLogger(config);

async function main() {
  switch (command) {
    case 'migrate': {
      const db = await openDatabase(config, logger);
      await db.close();
      console.log('migrations applied');
      return;
    }
    case 'seed': {
      const db = await openDatabase(config, logger);
      const { accounts, listings, sales, people } = await seedDemoData({ db: db.handle, config, logger });
      await db.close();
      console.log(
        `demo data: ${accounts} account rows, ${listings} listings, ${sales} sales, ${people} aid people created`,
      );
      return;
    }
    case 'backup':
    case 'restore': {
      const dir = process.argv[3];
      if (!dir) throw new Error(`usage: tsx server/cli.ts ${command} <folder>`);
      const db = await openDatabase(config, logger, { migrate: command === 'backup' });
      try {
        const m =
          command === 'backup' ? await backupDatabase(db.handle, dir) : await restoreDatabase(db.handle, dir);
        const rows = m.tables.reduce((s, t) => s + t.rows, 0);
        console.log(
          `${command}: ${m.tables.length} tables, ${rows} rows, ${m.migrations.length} migrations (${dir})`,
        );
      } finally {
        await db.close();
      }
      return;
    }
    case 'reset': {
      if (config.NODE_ENV === 'production') throw new Error('db:reset is refused when NODE_ENV=production');
      if (config.DATABASE_URL) {
        const db = await openDatabase(config, logger);
        await db.handle.sql.unsafe(
          'drop schema public cascade; drop schema if exists drizzle cascade; create schema public;',
        );
        await db.close();
        console.log('schema dropped; the next start migrates and seeds again');
      } else {
        const dir = path.resolve(projectRoot(), config.EMBEDDED_PG_DIR);
        await rm(dir, { recursive: true, force: true });
        console.log(`removed ${dir}; the next start initialises a fresh database`);
      }
      return;
    }
    default:
      console.error('usage: tsx server/cli.ts migrate|seed|backup <dir>|restore <dir>|reset');
      process.exitCode = 2;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
