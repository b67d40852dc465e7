/**
 * 限购 (2022 rule on purchase restrictions): the bidder promised eligibility when he registered;
 * the court re-checks it before the ruling and records the outcome, who and when. A failure
 * blocks the ruling (the result may then be cancelled, online-auction art. 31) and the buyer is
 * told why; a new check may follow, for instance on documents the buyer supplies.
 */
import { eq } from 'drizzle-orm';
import { listings } from '../../db/schema/auctions.js';
import { requireAllowed } from '../affordances.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { notify } from '../notifications/service.js';
import { parseInput } from '../validation.js';
import { decideSaleActions } from './affordances.js';
import type { SaleDeps } from './deps.js';
import { EligibilitySchema } from './schemas.js';
import { lockSale, moveSale } from './transitions.js';

export async function recordEligibility(
  deps: SaleDeps,
  actor: Actor | null,
  listingId: string,
  input: unknown,
) {
  const me = requirePermission(actor, 'manage:sale');
  const courtId = courtOf(me);
  const { outcome, reason } = parseInput(EligibilitySchema, input);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const s = await lockSale(tx, courtId, listingId);
    requireAllowed(decideSaleActions(me, s), 'recordEligibility');
    const passed = outcome === 'passed';
    const moved = await moveSale(
      tx,
      s,
      passed ? 'awaiting_ruling' : 'eligibility_failed',
      {
        eligibilityCheckedAt: now,
        eligibilityCheckedBy: me.userId,
        eligibilityFailureReason: passed ? null : reason!,
      },
      { actorId: me.userId, at: now, data: passed ? { outcome } : { outcome, reason: reason! } },
    );
    if (!passed) {
      const [l] = await tx
        .select({ title: listings.title })
        .from(listings)
        .where(eq(listings.id, s.listingId));
      await notify(tx, {
        userId: s.buyerId,
        kind: 'saleEligibilityFailed',
        params: { title: l!.title, reason: reason! },
        link: '/me/purchases',
        dedupeKey: `sale:${s.id}:eligibility-failed:${now.getTime()}`,
        at: now,
      });
    }
    return moved;
  });
}
