/**
 * What the payer's pages read: batches with their totals, one batch with its payments, the failed
 * payments waiting for a decision, each with what this viewer may do now (ADR 010); and, for the
 * purposes, their subjects' payments and the money still on its way. The caller has checked the
 * purpose's read permission and chosen the desk (the payer) from the viewer's organisation.
 */
import { and, asc, count, desc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { type Disbursement, disbursementBatches, disbursements } from '../../db/schema/disbursements.js';
import { affordancesOf } from '../affordances.js';
import { notFound } from '../errors.js';
import type { Actor } from '../identity/permissions.js';
import { containing, keysetCursor, keysetPage, olderThan } from '../keyset.js';
import { isUuid } from '../validation.js';
import type { Desk, DisbursementDeps } from './deps.js';
import { decideBatchActions, decidePaymentActions, IN_FLIGHT } from './rules.js';
import { onDesk } from './transitions.js';

/** A page of a payer's batch list (issue 22: 48 rows on one page pushed the import result away). */
export const BATCH_PAGE = 20;
const BATCH_STATUSES = ['prepared', 'approved', 'sent', 'settled'] as const;
export type BatchFilter = { q?: string; status?: string; before?: string };

/**
 * The payer's batches, newest first, with their counts and totals: a search on the batch number
 * or a payment's reference, a status, a page at a time (keyset) with the count of the whole
 * filtered set; `limit: null` is every row (the CSV).
 */
export async function pageBatches(
  deps: DisbursementDeps,
  desk: Desk,
  actor: Actor,
  filter: BatchFilter = {},
  limit: number | null = BATCH_PAGE,
) {
  const inBatch = sql`p.batch_id = disbursement_batches.id`;
  const q = filter.q?.trim().slice(0, 60);
  const status = BATCH_STATUSES.find((s) => s === filter.status);
  const where = and(
    eq(disbursementBatches.payerId, desk.payerId),
    eq(disbursementBatches.purpose, desk.purpose.name),
    status ? eq(disbursementBatches.status, status) : undefined,
    q
      ? or(
          ilike(disbursementBatches.number, containing(q)),
          sql`exists (select 1 from disbursements p where ${inBatch} and p.reference ilike ${containing(q)})`,
        )
      : undefined,
  );
  const page = deps.db
    .select({
      batch: disbursementBatches,
      count: sql<number>`(select count(*)::int from disbursements p where ${inBatch})`,
      totalFen: sql<string>`(select coalesce(sum(p.amount_fen), 0)::text from disbursements p where ${inBatch})`,
      confirmedFen: sql<string>`(select coalesce(sum(p.amount_fen), 0)::text from disbursements p where ${inBatch} and p.status = 'confirmed')`,
      preparers: sql<
        string[]
      >`(select coalesce(array_agg(distinct p.prepared_by::text), '{}') from disbursements p where ${inBatch})`,
    })
    .from(disbursementBatches)
    .where(and(where, olderThan(disbursementBatches.preparedAt, disbursementBatches.id, filter.before)))
    .orderBy(desc(disbursementBatches.preparedAt), desc(disbursementBatches.id));
  const [rows, [total]] = await Promise.all([
    limit === null ? page : page.limit(limit + 1),
    deps.db.select({ n: count() }).from(disbursementBatches).where(where),
  ]);
  const shown = keysetPage(rows, limit, (r) => keysetCursor(r.batch.preparedAt, r.batch.id));
  return {
    rows: shown.rows.map((r) => ({
      ...r.batch,
      count: r.count,
      totalFen: BigInt(r.totalFen),
      confirmedFen: BigInt(r.confirmedFen),
      can: affordancesOf(
        decideBatchActions(
          actor,
          desk.purpose,
          r.batch,
          r.preparers.map((preparedBy) => ({ preparedBy })),
        ),
      ),
    })),
    total: total?.n ?? 0,
    next: shown.next,
  };
}

/** The payer's latest batches (100), with their counts and totals. */
export async function listBatches(deps: DisbursementDeps, desk: Desk, actor: Actor) {
  return (await pageBatches(deps, desk, actor, {}, 100)).rows;
}

/** One batch and its payments (by reference), with what the viewer may do with it now. */
export async function getBatch(deps: DisbursementDeps, desk: Desk, actor: Actor, batchId: string) {
  if (!isUuid(batchId)) throw notFound();
  const [batch] = await deps.db
    .select()
    .from(disbursementBatches)
    .where(and(eq(disbursementBatches.id, batchId), onDesk(disbursementBatches, desk)));
  if (!batch) throw notFound();
  const payments = await deps.db
    .select()
    .from(disbursements)
    .where(eq(disbursements.batchId, batch.id))
    .orderBy(asc(disbursements.reference));
  const sum = (ps: Disbursement[]) => ps.reduce((s, p) => s + p.amountFen, 0n);
  return {
    batch,
    payments,
    totalFen: sum(payments.filter((p) => p.status !== 'cancelled')),
    confirmedFen: sum(payments.filter((p) => p.status === 'confirmed')),
    /** The maker waits for someone else to approve. */
    awaitingChecker: batch.status === 'prepared' && batch.preparedBy === actor.userId,
    can: affordancesOf(decideBatchActions(actor, desk.purpose, batch, payments)),
  };
}

/** Failed payments waiting for a reissue or a cancellation, the latest first. */
export async function failedDisbursements(deps: DisbursementDeps, desk: Desk, actor: Actor) {
  const rows = await deps.db
    .select()
    .from(disbursements)
    .where(and(onDesk(disbursements, desk), eq(disbursements.status, 'failed')))
    .orderBy(desc(disbursements.settledAt));
  return rows.map((p) => ({ ...p, can: affordancesOf(decidePaymentActions(actor, desk.purpose, p)) }));
}

/** Every payment of these subjects of a purpose, oldest first. */
export function disbursementsOf(db: Db, purpose: string, subjectIds: readonly string[]) {
  if (subjectIds.length === 0) return Promise.resolve([] as Disbursement[]);
  return db
    .select()
    .from(disbursements)
    .where(and(eq(disbursements.purpose, purpose), inArray(disbursements.subjectId, [...subjectIds])))
    .orderBy(asc(disbursements.createdAt));
}

/** Money scheduled, approved or sent and not yet settled, per subject (absent = none). */
export async function inFlightFen(db: Db, purpose: string, subjectIds: readonly string[]) {
  if (subjectIds.length === 0) return new Map<string, bigint>();
  const rows = await db
    .select({
      subjectId: disbursements.subjectId,
      total: sql<string>`coalesce(sum(${disbursements.amountFen}), 0)::text`,
    })
    .from(disbursements)
    .where(
      and(
        eq(disbursements.purpose, purpose),
        inArray(disbursements.subjectId, [...subjectIds]),
        inArray(disbursements.status, [...IN_FLIGHT]),
      ),
    )
    .groupBy(disbursements.subjectId);
  return new Map(rows.map((r) => [r.subjectId, BigInt(r.total)]));
}
