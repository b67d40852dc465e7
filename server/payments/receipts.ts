/**
 * Receipt numbers (issue 21): a receipt is numbered `<court code>-<year>-<sequence>` once, in the
 * transaction that first records its payment's money held or taken (`applyState`). The court's
 * counter row for the year is incremented with an upsert, whose row lock orders concurrent
 * payments of one court: the numbers are sequential and unique, and a rolled-back transaction
 * gives its number back before anyone saw it. The payment row is locked by the caller, so a
 * retried event or webhook finds the number already set and allocates nothing.
 */
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { organisations } from '../../db/schema/identity.js';
import { type Payment, payments, receiptSequences } from '../../db/schema/payments.js';
import { beijingYear, RECEIPT_STATUSES, receiptNumberOf } from './rules.js';

/** Numbers `p`'s receipt if it has money and no number yet; `p` must be locked by the caller. */
export async function numberReceipt(tx: Tx, p: Payment, now: Date): Promise<Payment> {
  if (p.receiptNumber !== null || !RECEIPT_STATUSES.includes(p.status)) return p;
  const year = beijingYear(now);
  const [seq] = await tx
    .insert(receiptSequences)
    .values({ courtId: p.courtId, year, last: 1 })
    .onConflictDoUpdate({
      target: [receiptSequences.courtId, receiptSequences.year],
      set: { last: sql`${receiptSequences.last} + 1` },
    })
    .returning({ last: receiptSequences.last });
  const [court] = await tx
    .select({ code: organisations.code })
    .from(organisations)
    .where(eq(organisations.id, p.courtId));
  const [numbered] = await tx
    .update(payments)
    .set({ receiptNumber: receiptNumberOf(court!.code, year, seq!.last), receiptIssuedAt: now })
    .where(eq(payments.id, p.id))
    .returning();
  return numbered!;
}
