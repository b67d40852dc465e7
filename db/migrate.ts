import path from 'node:path';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type { DbHandle } from './client.js';
import { projectRoot } from './paths.js';

export const MIGRATIONS_DIR = path.join(projectRoot(), 'db/migrations');

// Several processes may boot at once: one advisory lock serialises the migrations.
const MIGRATION_LOCK = 7_310_001;

export async function runMigrations({ db, sql }: DbHandle, dir = MIGRATIONS_DIR): Promise<void> {
  const conn = await sql.reserve();
  try {
    await conn`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(db, { migrationsFolder: dir });
  } finally {
    await conn`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    conn.release();
  }
}
