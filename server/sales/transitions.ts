/**
 * The one way a sale's status changes (house rule): the state machine (rules.ts), a conditional
 * update, the sale's record (`sale_events`) and the audit entry, in the caller's transaction.
 * Sales are always locked through their court, so another court's sale is "not found".
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type Sale, type SaleStatus, saleEvents, sales } from '../../db/schema/sales.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, notFound } from '../errors.js';
import { isUuid } from '../validation.js';
import { canMoveSale } from './rules.js';

/** The court's sale of this listing, locked for the caller's transaction. */
export async function lockSale(tx: Tx, courtId: string, listingId: string): Promise<Sale> {
  if (!isUuid(listingId)) throw notFound();
  const [s] = await tx
    .select()
    .from(sales)
    .where(and(eq(sales.listingId, listingId), eq(sales.courtId, courtId)))
    .for('update');
  if (!s) throw notFound();
  return s;
}

export interface Move {
  actorId: string | null;
  at: Date;
  /** What the record shows of this step (a reason, a date, a place), as text. */
  data?: Record<string, string>;
}

/** Moves `s` to `to` with `patch`, and writes the step into the sale's record and the audit log. */
export async function moveSale(
  tx: Tx,
  s: Sale,
  to: SaleStatus,
  patch: Partial<Sale>,
  move: Move,
): Promise<Sale> {
  if (!canMoveSale(s.status, to)) throw new DomainError('conflict', 'errors.badTransition');
  const [updated] = await tx
    .update(sales)
    .set({ ...patch, status: to, updatedAt: move.at })
    .where(and(eq(sales.id, s.id), eq(sales.status, s.status)))
    .returning();
  if (!updated) throw new DomainError('conflict', 'errors.concurrentChange');
  await recordEvent(tx, s, to, move);
  await recordAudit(tx, {
    actorId: move.actorId,
    action: `sale.${to}`,
    entityType: 'sale',
    entityId: s.id,
    data: { from: s.status, to, listingId: s.listingId, ...move.data },
  });
  return updated;
}

/** A step of the sale's record that is not a status change (opened, a deadline passed). */
export async function recordEvent(tx: Tx, s: Pick<Sale, 'id'>, kind: string, move: Move) {
  await tx
    .insert(saleEvents)
    .values({ saleId: s.id, kind, at: move.at, actorId: move.actorId, data: move.data ?? {} });
}
