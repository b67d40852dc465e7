import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../db/backup';
import { createDb } from '../../db/client';
import { jobs } from '../../db/schema/jobs';
import { startServer } from '../../server/main';
import { bidsKey } from '../../server/notifications/reminders';
import { testConfig } from '../support/fixtures';
import { startTestServer } from '../support/server';
import { auctionWorld, START } from '../support/sockets';

/**
 * Backup and restore (issue 19 part 6, docs/operations.md): a running server's database with the
 * demo data and live bids is backed up, restored into a new, empty database, and the app starts
 * on the copy with every auction's chain still verifying and every table's rows all there.
 */
let source: Awaited<ReturnType<typeof startTestServer>>;
let dir: string;
const adminUrl = () => inject('pgAdminUrl');
const created: string[] = [];

async function emptyDatabase() {
  const name = `lastmile_restore_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  created.push(name);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function counts(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const tables = await sql<{ name: string }[]>`
    select relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' order by relname`;
  const out: Record<string, number> = {};
  for (const { name } of tables)
    out[name] = (await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from "${name}"`))[0]!.n;
  await sql.end();
  return out;
}

beforeAll(async () => {
  source = await startTestServer({}, { jobs: 'manual' });
  dir = await mkdtemp(path.join(os.tmpdir(), 'lastmile-backup-'));
}, 180_000);
afterAll(async () => {
  await source.stop();
  await rm(dir, { recursive: true, force: true });
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  for (const name of created) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

describe('backup and restore', () => {
  it('restores into a new database on which the app starts with every chain verifying', async () => {
    // Live bids in the log, besides the demo data's auctions.
    const auctions = await auctionWorld(source.db);
    const { listing, bidder } = await auctions.live();
    const a = await bidder(source.services);
    const bid = await source.services.bidding.placeBid(a.actor, listing.id, {
      amountFen: String(START),
      clientKey: randomUUID(),
    });
    expect(bid.accepted).toBe(true);
    // The accepted bid nudges its outbid scan after the commit (ADR 025): wait for that job, so
    // the backup and the count below see the same rows.
    await expect
      .poll(
        async () =>
          (
            await source.db.db
              .select()
              .from(jobs)
              .where(eq(jobs.key, bidsKey(listing.id)))
          ).length,
      )
      .toBe(1);

    const manifest = await backupDatabase(source.db, path.join(dir, 'one'));
    expect(manifest.tables.find((t) => t.name === 'bids')!.rows).toBeGreaterThan(0);
    const before = await counts(source.config.DATABASE_URL!);
    expect(Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows]))).toEqual(before);

    const url = await emptyDatabase();
    const target = createDb(url, { max: 2 });
    try {
      await restoreDatabase(target, path.join(dir, 'one'));
      // A second restore into the same database is refused and changes nothing.
      await expect(restoreDatabase(target, path.join(dir, 'one'))).rejects.toThrow(/not empty/);
    } finally {
      await target.close();
    }
    expect(await counts(url)).toEqual(before);

    const app = await startServer({
      config: testConfig({ DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', SEED_DEMO_DATA: 'false' }),
      ui: 'none',
      jobs: 'manual',
    });
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const listings = await sql<{ id: string }[]>`select distinct listing_id as id from auction_events`;
      expect(listings.map((l) => l.id)).toContain(listing.id);
      for (const { id } of listings) {
        const { verdict } = await app.services.bidding.chain(id);
        expect(verdict, id).toMatchObject({ ok: true });
      }
      // The sequences stand where they stood: the next number is not one already used.
      const sequences = await sql<{ name: string; value: string | null }[]>`
        select sequencename as name, last_value::text as value from pg_sequences where schemaname = 'public'
        order by sequencename`;
      expect(sequences).toEqual(manifest.sequences);
    } finally {
      await sql.end();
      await app.close();
    }
  }, 180_000);

  it('refuses a folder that is not empty and a target the migrations already reached', async () => {
    await expect(backupDatabase(source.db, path.join(dir, 'one'))).rejects.toThrow(/not empty/);
    await backupDatabase(source.db, path.join(dir, 'two'));
    expect((await readdir(path.join(dir, 'two'))).length).toBeGreaterThan(10);
    await expect(restoreDatabase(source.db, path.join(dir, 'two'))).rejects.toThrow(/not empty/);
  }, 60_000);
});
