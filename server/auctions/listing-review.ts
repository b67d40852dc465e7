/**
 * The panel's review of a listing (art. 27, maker-checker): the clerk submits the draft, a
 * panel member other than its preparer approves it, which publishes the announcement and sets
 * its start timer, or returns it to draft with an internal reason.
 */
import { type Actor, requirePermission } from '../identity/permissions.js';
import { parseInput, validationError } from '../validation.js';
import type { ListingDeps } from './deps.js';
import { roundOf, termsErrors } from './listing-drafts.js';
import { actOn, scheduleTimer, transition } from './listing-lifecycle.js';
import { type ListingTermsSchema, ReasonSchema } from './schemas.js';

export async function submit(deps: ListingDeps, actor: Actor, id: string) {
  requirePermission(actor, 'create:listing');
  return actOn(deps, actor, id, 'submit', async (tx, changed, l) => {
    return transition(deps, tx, changed, l, 'pending_approval', actor, {
      patch: { submittedAt: deps.clock() },
    });
  });
}

/** art. 27: a panel member other than the preparer approves; the announcement is then published. */
export async function approve(deps: ListingDeps, actor: Actor, id: string) {
  requirePermission(actor, 'approve:listing');
  // art. 27: never the preparer, and only what was submitted (decideListingActions).
  return actOn(deps, actor, id, 'approve', async (tx, changed, l) => {
    const now = deps.clock();
    // The announcement cannot be published in the past: lead times count from the real publication.
    const announceAt = new Date(Math.max(l.announceAt.getTime(), now.getTime()));
    const round = await roundOf(tx, l);
    const errors = termsErrors(
      deps,
      {
        startingPrice: l.startingPriceFen,
        deposit: l.depositFen,
        increment: l.incrementFen,
        announceAt,
        startsAt: l.startsAt,
        endsAt: l.endsAt,
        balanceDays: l.balanceDays,
      } as ReturnType<typeof ListingTermsSchema.parse>,
      l.assetType,
      l.appraisalFen,
      round,
      announceAt,
    );
    if (Object.keys(errors).length) throw validationError(errors);
    const updated = await transition(deps, tx, changed, l, 'announced', actor, {
      patch: { approvedBy: actor.userId, approvedAt: now, publishedAt: announceAt, announceAt },
    });
    await scheduleTimer(tx, l.id, 'start', l.startsAt);
    return updated;
  });
}

export async function returnToDraft(deps: ListingDeps, actor: Actor, id: string, input: unknown) {
  requirePermission(actor, 'approve:listing');
  const { reason } = parseInput(ReasonSchema, input);
  return actOn(deps, actor, id, 'returnToDraft', async (tx, changed, l) => {
    return transition(deps, tx, changed, l, 'draft', actor, { reason });
  });
}
