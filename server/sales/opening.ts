/**
 * A sale opens when its balance is paid in full: called by the payments module inside the
 * transaction that marks the balance paid (`onBalancePaid`, composed in server/services.ts), so
 * the sale exists exactly when the payment does. Once per listing: a payment event delivered
 * twice, or a second payment, finds it open and changes nothing.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { listings } from '../../db/schema/auctions.js';
import type { Balance } from '../../db/schema/payments.js';
import { type Sale, sales } from '../../db/schema/sales.js';
import { recordAudit } from '../audit/audit.js';
import { notify } from '../notifications/service.js';
import { scheduleRulingDue } from './deadlines.js';
import type { SaleDeps } from './deps.js';
import { RULING_DAYS } from './rules.js';
import { recordEvent } from './transitions.js';

export async function openSale(deps: SaleDeps, tx: Tx, b: Balance, now: Date): Promise<Sale | null> {
  const [l] = await tx
    .select({
      assetId: listings.assetId,
      title: listings.title,
      purchaseRestricted: listings.purchaseRestricted,
    })
    .from(listings)
    .where(eq(listings.id, b.listingId));
  if (!l) return null;
  // Art. 20: the ruling within 10 days of full payment; the re-check (限购) comes out of the same 10.
  const rulingDueAt = new Date(now.getTime() + RULING_DAYS * deps.profile.durations.day);
  const [s] = await tx
    .insert(sales)
    .values({
      listingId: b.listingId,
      balanceId: b.id,
      courtId: b.courtId,
      caseId: b.caseId,
      assetId: l.assetId,
      registrationId: b.registrationId,
      buyerId: b.userId,
      priceFen: b.priceFen,
      purchaseRestricted: l.purchaseRestricted,
      status: l.purchaseRestricted ? 'eligibility_check' : 'awaiting_ruling',
      paidAt: now,
      rulingDueAt,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: sales.listingId })
    .returning();
  if (!s) return null;
  await recordEvent(tx, s, 'opened', {
    actorId: null,
    at: now,
    data: { rulingDueAt: rulingDueAt.toISOString() },
  });
  await recordAudit(tx, {
    actorId: null,
    action: 'sale.opened',
    entityType: 'sale',
    entityId: s.id,
    data: { listingId: s.listingId, balanceId: b.id, status: s.status, priceFen: s.priceFen.toString() },
  });
  await scheduleRulingDue(tx, s.id, rulingDueAt);
  await notify(tx, {
    userId: s.buyerId,
    kind: 'saleOpened',
    params: { title: l.title },
    link: '/me/purchases',
    dedupeKey: `sale:${s.id}:opened`,
    at: now,
  });
  return s;
}
