import { randomBytes, randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { asc } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type DbHandle } from '../../db/client';
import { MIGRATIONS_DIR, runMigrations } from '../../db/migrate';
import { cases } from '../../db/schema/cases';

// Migrations 0010-0011 give cases their lifecycle. Cases entered before it must come through with
// a filing date, a type read from their number, and the closed statuses the old demo seed wrote
// turned into closures.

const adminUrl = () => inject('pgAdminUrl');
let name: string;
let handle: DbHandle;
let tmp: string;
const court = randomUUID();

async function migrationsUpTo(lastTag: string) {
  const dir = path.join(tmp, lastTag);
  await mkdir(path.join(dir, 'meta'), { recursive: true });
  const journal = JSON.parse(await readFile(path.join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8'));
  journal.entries = journal.entries.slice(
    0,
    journal.entries.findIndex((e: { tag: string }) => e.tag === lastTag) + 1,
  );
  await writeFile(path.join(dir, 'meta/_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries)
    await copyFile(path.join(MIGRATIONS_DIR, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'lastmile-case-migrations-'));
  name = `lastmile_casemig_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  handle = createDb(url.toString(), { max: 2 });
  await runMigrations(handle, await migrationsUpTo('0011_sales'));
  const sql = handle.sql;
  await sql`insert into organisations (id, kind, code, name_zh, name_en) values
    (${court}, 'court', ${`mig-${name}`}, '某法院', 'A court')`;
  // Entered at 23:30 UTC: already the next day in Beijing.
  await sql`insert into cases (court_id, case_number, basis, amount_owed_fen, status, created_at, updated_at) values
    (${court}, '(2024)青0104执1号', '判决书', 100, 'open', '2024-03-31T23:30:00Z', '2024-03-31T23:30:00Z'),
    (${court}, '(2024)青0104执恢2号', '判决书', 100, 'open', '2024-05-10T02:00:00Z', '2024-05-10T02:00:00Z'),
    (${court}, '(2024)青0104执保3号', '判决书', 100, 'open', '2024-05-10T02:00:00Z', '2024-05-10T02:00:00Z'),
    (${court}, '(2023)青0104执4号', '判决书', 100, 'terminated_without_property', '2023-02-01T02:00:00Z', '2023-09-15T02:00:00Z'),
    (${court}, '(2023)青0104执5号', '判决书', 100, 'concluded', '2023-02-01T02:00:00Z', '2023-06-30T02:00:00Z')`;
  await runMigrations(handle);
}, 60_000);

afterAll(async () => {
  await handle?.close();
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
  await rm(tmp, { recursive: true, force: true });
});

describe('migrations 0012-0013: existing cases get their lifecycle', () => {
  it('filed on the Beijing day they were entered, typed by their number, closed as their old status said', async () => {
    const rows = await handle.db
      .select({
        caseNumber: cases.caseNumber,
        caseType: cases.caseType,
        filedOn: cases.filedOn,
        dueOn: cases.dueOn,
        status: cases.status,
        closureMode: cases.closureMode,
        closedOn: cases.closedOn,
        zhongbenQualified: cases.zhongbenQualified,
      })
      .from(cases)
      .orderBy(asc(cases.caseNumber));
    expect(rows).toEqual([
      {
        caseNumber: '(2023)青0104执4号',
        caseType: 'first',
        filedOn: '2023-02-01',
        dueOn: null,
        status: 'terminated_without_property',
        closureMode: 'terminated_for_now',
        closedOn: '2023-09-15',
        zhongbenQualified: false,
      },
      {
        caseNumber: '(2023)青0104执5号',
        caseType: 'first',
        filedOn: '2023-02-01',
        dueOn: null,
        status: 'concluded',
        closureMode: 'fully_performed',
        closedOn: '2023-06-30',
        zhongbenQualified: null,
      },
      {
        caseNumber: '(2024)青0104执1号',
        caseType: 'first',
        filedOn: '2024-04-01',
        dueOn: '2024-10-01',
        status: 'open',
        closureMode: null,
        closedOn: null,
        zhongbenQualified: null,
      },
      {
        caseNumber: '(2024)青0104执保3号',
        caseType: 'preservation',
        filedOn: '2024-05-10',
        dueOn: null,
        status: 'open',
        closureMode: null,
        closedOn: null,
        zhongbenQualified: null,
      },
      {
        caseNumber: '(2024)青0104执恢2号',
        caseType: 'resumed',
        filedOn: '2024-05-10',
        dueOn: '2024-11-10',
        status: 'open',
        closureMode: null,
        closedOn: null,
        zhongbenQualified: null,
      },
    ]);
  });
});
