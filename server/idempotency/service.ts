/**
 * Idempotency keys of the court API (ADR 026). A POST that carries `Idempotency-Key` is
 * reserved here before it runs, under the token that sent it; its response is stored when it
 * answers. A repeat gets the stored response and runs nothing; the same key with another
 * request is refused. A reservation whose request never answered (the process died between the
 * work and the store) stays "in progress" until it expires: the write happened at most once, and
 * the client reads the object to learn whether it did.
 */
import { createHash } from 'node:crypto';
import { and, eq, lte, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { idempotencyKeys } from '../../db/schema/idempotency.js';
import type { Clock } from '../clock.js';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** A key: printable ASCII (a UUID or the client's own), at most 255 characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export type Reservation =
  | { kind: 'new' }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

export const requestHash = (method: string, path: string, body: unknown) =>
  createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');

export function createIdempotencyService({ db, clock }: { db: Database; clock: Clock }) {
  /** Reserves (scope, key) for this request, or says what an earlier one with the key left. */
  async function reserve(input: {
    scope: string;
    key: string;
    organisationId: string;
    requestHash: string;
  }): Promise<Reservation> {
    const now = clock();
    // Expired keys are forgotten: this one if it expired, and a few others on the way.
    await db.execute(
      sql`delete from ${idempotencyKeys} where ctid in (select ctid from ${idempotencyKeys} where ${idempotencyKeys.expiresAt} <= ${now.toISOString()}::timestamptz limit 100)`,
    );
    const inserted = await db
      .insert(idempotencyKeys)
      .values({
        scope: input.scope,
        key: input.key,
        organisationId: input.organisationId,
        requestHash: input.requestHash,
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) return { kind: 'new' };
    const [row] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, input.scope), eq(idempotencyKeys.key, input.key)));
    // Expired and deleted between the two statements: try once more.
    if (!row) return reserve(input);
    if (row.requestHash !== input.requestHash) return { kind: 'mismatch' };
    if (row.status === null || row.body === null) return { kind: 'in_progress' };
    return { kind: 'replay', status: row.status, body: row.body };
  }

  /** The response the reserved request gave, for its repeats. */
  async function complete(scope: string, key: string, status: number, body: string) {
    await db
      .update(idempotencyKeys)
      .set({ status, body })
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  }

  /** The request failed unexpectedly (its transaction rolled back): the key may be used again. */
  async function release(scope: string, key: string) {
    await db
      .delete(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  }

  /** Forgets every expired key (tests and maintenance). */
  async function prune() {
    await db.delete(idempotencyKeys).where(lte(idempotencyKeys.expiresAt, clock()));
  }

  return { reserve, complete, release, prune };
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
