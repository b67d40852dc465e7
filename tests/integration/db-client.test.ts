import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/db';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('the connections the app opens', () => {
  it('speak UTC and never JIT-compile a statement (a batch write spent ~260 ms compiling, ADR 005)', async () => {
    const [row] = await db.sql<{ tz: string; jit: string }[]>`
      select current_setting('timezone') as tz, current_setting('jit') as jit`;
    expect(row).toEqual({ tz: 'UTC', jit: 'off' });
  });
});
