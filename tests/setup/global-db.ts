/**
 * Vitest global setup: one real PostgreSQL for the run, and one migrated template database.
 * Each test file clones the template (`tests/support/db.ts`), so files never disturb each other.
 * Uses TEST_DATABASE_URL or DATABASE_URL when set, else starts an embedded PostgreSQL in a
 * temporary folder that is removed afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../db/client.js';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { runMigrations } from '../../db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let tmp: string | undefined;
  if (!adminUrl) {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'lastmile-test-pg-'));
    const server = await startEmbeddedPostgres(path.join(tmp, 'data'), { persistent: false });
    adminUrl = server.url;
    stopEmbedded = server.stop;
  }
  const template = `lastmile_tpl_${process.pid}_${Date.now()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${template}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${template}`;
  const tpl = createDb(url.toString(), { max: 2 });
  await runMigrations(tpl);
  await tpl.close();

  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);

  return async () => {
    // Clones left behind by a crashed file are dropped with the template.
    const leftovers = await admin<{ datname: string }[]>`
      select datname from pg_database where datname like ${`${template}%`}`;
    for (const { datname } of leftovers)
      await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    await admin.end();
    await stopEmbedded?.();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  };
}
