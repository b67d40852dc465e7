import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../db/embedded';

describe('embedded PostgreSQL', () => {
  it('keeps its data between starts, and says clearly when its folder is in use', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'lastmile-embedded-'));
    const dir = path.join(tmp, 'pg');
    try {
      const first = await startEmbeddedPostgres(dir);
      const sql = postgres(first.url, { max: 1, onnotice: () => {} });
      await sql`create table kept (v int)`;
      await sql`insert into kept values (42)`;
      await sql.end();

      const error = await startEmbeddedPostgres(dir).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/is in use by process \d+/);
      await first.stop();

      const again = await startEmbeddedPostgres(dir);
      const sql2 = postgres(again.url, { max: 1, onnotice: () => {} });
      expect(await sql2`select v from kept`).toEqual([{ v: 42 }]);
      await sql2.end();
      await again.stop();
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('leaves a process’s exit code alone (a failed test run must not exit 0)', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'lastmile-embedded-'));
    try {
      const script = `
        import { startEmbeddedPostgres } from ${JSON.stringify(path.resolve('db/embedded.ts'))};
        const pg = await startEmbeddedPostgres(${JSON.stringify(path.join(tmp, 'pg'))}, { persistent: false });
        await pg.stop();
        process.exitCode = 3;`;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.stderr).toBe('');
      expect(child.status).toBe(3);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
