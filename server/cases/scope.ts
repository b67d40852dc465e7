/**
 * Which cases a court's staff member reaches: the one place the cases module scopes its queries
 * (ARCHITECTURE "Authorisation ... in the query layer"). A court reads its own cases and, for a
 * higher court, those of every court below it (organisations.parent_id), read-only; it writes
 * only its own. Anyone who is not a court's staff reaches none (the platform administrator
 * included). A case out of reach is "not found", never "forbidden": no leak of its existence.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { type Case, cases } from '../../db/schema/cases.js';
import { forbidden, notFound } from '../errors.js';
import { type Actor, courtOf } from '../identity/permissions.js';
import { isUuid } from '../validation.js';

/** The actor's court and every court below it, as a subquery of organisation ids. */
export const courtsUnder = (courtId: string) =>
  sql`(with recursive below(id) as (
      select ${courtId}::uuid
      union all
      select o.id from organisations o join below on o.parent_id = below.id
    ) select id from below)`;

/** The condition on `cases` of every case this actor may read. */
export function readableCases(actor: Actor): SQL {
  return sql`${cases.courtId} in ${courtsUnder(courtOf(actor))}`;
}

/** A case the actor may read (his court's, or a court's below it), or not found. */
export async function caseToRead(db: Db, actor: Actor, caseId: string): Promise<Case> {
  const scope = readableCases(actor);
  if (!isUuid(caseId)) throw notFound();
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.id, caseId), scope));
  if (!row) throw notFound();
  return row;
}

/**
 * A case of the actor's own court, locked for the rest of the transaction: a higher court that
 * can read it is refused (read-only), any other court is told it does not exist.
 */
export async function caseToWrite(tx: Db, actor: Actor, caseId: string): Promise<Case> {
  const scope = readableCases(actor);
  if (!isUuid(caseId)) throw notFound();
  const [row] = await tx
    .select()
    .from(cases)
    .where(and(eq(cases.id, caseId), scope))
    .for('update');
  if (!row) throw notFound();
  if (row.courtId !== courtOf(actor)) throw forbidden();
  return row;
}

/** The same lock for the system (a job, another module's use case): no scope, the caller has decided. */
export async function lockCase(tx: Db, caseId: string): Promise<Case> {
  if (!isUuid(caseId)) throw notFound();
  const [row] = await tx.select().from(cases).where(eq(cases.id, caseId)).for('update');
  if (!row) throw notFound();
  return row;
}
