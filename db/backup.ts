/**
 * A logical backup of the whole database, and its restore into an empty one (docs/operations.md).
 *
 * Why not only pg_dump: the embedded PostgreSQL that `npm start` and `npm test` run ships the
 * server without its client tools, and a machine's pg_dump refuses a newer server. This needs
 * nothing but the connection: every table of the public schema is copied out with COPY ... TO
 * STDOUT inside ONE repeatable-read, read-only transaction (a consistent snapshot, taken while the
 * app keeps running), gzipped, one file per table, with a manifest naming the migrations the
 * database had and every sequence's position. Production with a matching pg_dump may use it as
 * well (the docs say how); both restore into a database the app starts on.
 *
 * Restore: the empty target is migrated to exactly the backup's migrations (a newer code base
 * migrates it further when it starts), emptied of the rows migrations insert, filled with COPY
 * ... FROM STDIN with triggers and foreign keys held off for the load (session_replication_role =
 * replica: the rows were consistent when copied, and every column a trigger computes was copied
 * too), and its sequences set where they were.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import postgres from 'postgres';
import type { DbHandle } from './client.js';
import { MIGRATIONS_DIR, runMigrations } from './migrate.js';

export const BACKUP_FORMAT = 'lastmile-backup/1';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  takenAt: string;
  /** The migrations applied to the source (their tags, in order). */
  migrations: string[];
  tables: { name: string; rows: number }[];
  sequences: { name: string; value: string | null }[];
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

async function journalOf(dir: string): Promise<Journal> {
  return JSON.parse(await readFile(path.join(dir, 'meta/_journal.json'), 'utf8'));
}

/**
 * A client of one connection to the same database, closed after one COPY. Each table is copied on
 * its own connection: postgres.js (3.4) can leave a connection's socket paused when a COPY's last
 * data and its end arrive together (porsager/postgres#499, fix pending in #1016), and every later
 * query on that connection hangs. The connections share the first one's snapshot.
 */
function sibling({ sql }: DbHandle) {
  const o = sql.options as unknown as {
    host: string[];
    port: number[];
    database: string;
    user: string;
    pass: string | null;
  };
  return postgres({
    host: o.host[0],
    port: o.port[0],
    database: o.database,
    username: o.user,
    password: o.pass ?? undefined,
    max: 1,
    onnotice: () => {},
  });
}

/** Writes the backup into `dir` (created; must not hold an earlier backup). */
export async function backupDatabase(handle: DbHandle, dir: string): Promise<BackupManifest> {
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length) throw new Error(`${dir} is not empty`);
  const journal = await journalOf(MIGRATIONS_DIR);
  return handle.sql.begin('isolation level repeatable read read only', async (tx) => {
    const [{ snapshot }] = (await tx`select pg_export_snapshot() as snapshot`) as unknown as [
      { snapshot: string },
    ];
    const applied = await tx<{ created_at: string }[]>`
      select created_at from drizzle.__drizzle_migrations order by created_at`;
    const when = new Set(applied.map((m) => Number(m.created_at)));
    const migrations = journal.entries.filter((e) => when.has(e.when)).map((e) => e.tag);
    if (migrations.length !== applied.length)
      throw new Error(
        'the database has migrations this code base does not know: back up with the newer release',
      );
    const tables = await tx<{ name: string }[]>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' order by c.relname`;
    const counted: BackupManifest['tables'] = [];
    for (const { name } of tables) {
      const [row] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from public.${ident(name)}`);
      const one = sibling(handle);
      try {
        // Nothing after the COPY on this connection, not even a COMMIT (see `sibling`): the
        // read-only transaction ends with the connection.
        await one.unsafe('begin isolation level repeatable read read only');
        await one.unsafe(`set transaction snapshot '${snapshot.replace(/'/g, "''")}'`);
        await pipeline(
          await one.unsafe(`copy public.${ident(name)} to stdout`).readable(),
          createGzip(),
          createWriteStream(path.join(dir, `${name}.copy.gz`)),
        );
      } finally {
        await one.end({ timeout: 0 });
      }
      counted.push({ name, rows: row!.n });
    }
    const sequences = await tx<{ name: string; value: string | null }[]>`
      select sequencename as name, last_value::text as value from pg_sequences where schemaname = 'public'
      order by sequencename`;
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      takenAt: new Date().toISOString(),
      migrations,
      tables: counted,
      sequences: [...sequences],
    };
    await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  });
}

/** Restores the backup in `dir` into `target`, which must hold no tables yet. */
export async function restoreDatabase(target: DbHandle, dir: string): Promise<BackupManifest> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new Error(`${dir} is not a ${BACKUP_FORMAT} backup`);
  const [{ n }] = (await target.sql`
    select count(*)::int as n from pg_tables where schemaname = 'public'`) as unknown as [{ n: number }];
  if (n > 0) throw new Error('the target database is not empty: restore into a new database');

  // Exactly the backup's migrations: a copy of the folder whose journal stops there.
  const journal = await journalOf(MIGRATIONS_DIR);
  const known = journal.entries.map((e) => e.tag);
  if (manifest.migrations.some((tag, i) => known[i] !== tag))
    throw new Error('the backup was taken by a release whose migrations this code base does not have');
  const folder = await mkdtemp(path.join(os.tmpdir(), 'lastmile-restore-'));
  try {
    await cp(MIGRATIONS_DIR, folder, { recursive: true });
    const upTo = { ...journal, entries: journal.entries.slice(0, manifest.migrations.length) };
    await writeFile(path.join(folder, 'meta/_journal.json'), JSON.stringify(upTo));
    await runMigrations(target, folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }

  await target.sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    const names = manifest.tables.map((t) => `public.${ident(t.name)}`).join(', ');
    // Rows the migrations insert (reference data) are in the backup as they were.
    if (names) await tx.unsafe(`truncate ${names}`);
    for (const t of manifest.tables) {
      await pipeline(
        createReadStream(path.join(dir, `${t.name}.copy.gz`)),
        createGunzip(),
        await tx.unsafe(`copy public.${ident(t.name)} from stdin`).writable(),
      );
      const [row] = await tx.unsafe<{ n: number }[]>(
        `select count(*)::int as n from public.${ident(t.name)}`,
      );
      if (row!.n !== t.rows) throw new Error(`${t.name}: ${row!.n} rows restored, ${t.rows} backed up`);
    }
    for (const s of manifest.sequences)
      if (s.value !== null) await tx.unsafe(`select setval('public.${ident(s.name)}', ${BigInt(s.value)})`);
  });
  return manifest;
}
