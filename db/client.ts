import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
export type Database = PostgresJsDatabase<Schema>;
/** A database handle or an open transaction: services accept either. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Db = Database | Tx;

export interface DbHandle {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
}

export function createDb(url: string, options: { max?: number } = {}): DbHandle {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // bigint columns (money in fen) come back as JS bigint, never as a lossy number.
    types: { bigint: postgres.BigInt },
    // JIT off: PostgreSQL compiles a statement whose estimate passes jit_above_cost, and a batch
    // write's estimate does (an outbox insert of 90 events spent ~260 ms compiling, ~1 ms
    // running). Our statements are short; none gains from compiling (ADR 005).
    connection: { timezone: 'UTC', application_name: 'lastmile', jit: 'off' },
  });
  const db = drizzle(sql, { schema, casing: 'snake_case' });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
