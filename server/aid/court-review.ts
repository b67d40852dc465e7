/**
 * The court's review (domain "Claims"): the enforcement bureau takes the claim up (home visit,
 * community check), asks for documents, approves within the court's authority or refers the
 * claim to the adjudication committee above it, or rejects it.
 */
import type { AidClaim } from '../../db/schema/aid.js';
import { DomainError, forbidden } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { cancelJob } from '../jobs/runner.js';
import { parseInput } from '../validation.js';
import { lockClaimFor } from './claim-actions.js';
import { dueJobKey } from './claim-jobs.js';
import { transitionClaim, viewerOf } from './common.js';
import type { AidDeps } from './deps.js';
import { committeeThreshold } from './policies.js';
import { awardCeiling, needsCommittee } from './rules.js';
import { AmountDecisionSchema, ReasonSchema } from './schemas.js';

/** Court staff only; the claim itself is scoped to the actor's court when it is locked. */
function requireCourt(actor: Actor) {
  if (viewerOf(actor).kind !== 'court') throw forbidden();
}

/** The award never exceeds what was asked nor what the policy's formula gives. */
export function checkAward(c: AidClaim, amount: bigint) {
  const ceiling = awardCeiling(c.requestedFen, c.computedFen);
  if (amount > ceiling)
    throw new DomainError('validation', 'aidErrors.aboveCeiling', {
      params: { ceiling: ceiling.toString() },
      fieldErrors: { amount: ['aidErrors.aboveCeiling'] },
    });
}

/** The enforcement bureau asks for missing or better documents; the applicant resubmits. */
export async function returnForDocuments(
  deps: AidDeps,
  actor: Actor,
  id: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'review:aid-claim');
  requireCourt(actor);
  const { reason } = parseInput(ReasonSchema, input);
  return deps.db.transaction(async (tx) => {
    const { claim: c } = await lockClaimFor(deps, tx, actor, id, 'returnForDocuments');
    const updated = await transitionClaim(tx, c, 'returned', {
      actorId: actor.userId,
      at: deps.clock(),
      reason,
      requestId,
    });
    await cancelJob(tx, dueJobKey(c.id));
    return updated;
  });
}

/** The bureau takes the claim up (home visit, community check). */
export async function startCourtReview(deps: AidDeps, actor: Actor, id: string, requestId?: string) {
  requirePermission(actor, 'review:aid-claim');
  requireCourt(actor);
  return deps.db.transaction(async (tx) => {
    const { claim: c } = await lockClaimFor(deps, tx, actor, id, 'startCourtReview');
    return transitionClaim(tx, c, 'court_review', {
      actorId: actor.userId,
      at: deps.clock(),
      requestId,
      patch: { courtReviewerId: actor.userId },
    });
  });
}

/** Above the court's authority the bureau refers the claim, with its proposed award, to the committee. */
export async function referToCommittee(
  deps: AidDeps,
  actor: Actor,
  id: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'review:aid-claim');
  requireCourt(actor);
  const { amount, reason } = parseInput(AmountDecisionSchema, input);
  return deps.db.transaction(async (tx) => {
    const { claim: c } = await lockClaimFor(deps, tx, actor, id, 'referToCommittee');
    checkAward(c, amount);
    return transitionClaim(tx, c, 'committee_review', {
      actorId: actor.userId,
      at: deps.clock(),
      amountFen: amount,
      reason: reason ?? null,
      requestId,
      patch: { referredBy: actor.userId },
    });
  });
}

/**
 * The court approves an award: the bureau within the court's authority, the adjudication
 * committee above it (domain "Claims"). Nobody approves a claim he filed; the judge who
 * referred a claim does not decide it in committee alone (claim-actions.ts). The payee's
 * account counts as verified by the court from here on.
 */
export async function courtApprove(
  deps: AidDeps,
  actor: Actor,
  id: string,
  input: unknown,
  requestId?: string,
) {
  requireCourt(actor);
  const { amount, reason } = parseInput(AmountDecisionSchema, input);
  return deps.db.transaction(async (tx) => {
    const { claim: c } = await lockClaimFor(deps, tx, actor, id, 'courtApprove');
    if (c.status === 'court_review') {
      const threshold = await committeeThreshold(tx, c.courtId);
      if (needsCommittee(amount, threshold))
        throw new DomainError('conflict', 'aidErrors.needsCommittee', {
          params: { threshold: threshold.toString() },
        });
    }
    checkAward(c, amount);
    const now = deps.clock();
    return transitionClaim(tx, c, 'court_approved', {
      actorId: actor.userId,
      at: now,
      amountFen: amount,
      reason: reason ?? null,
      requestId,
      patch: {
        courtApprovedFen: amount,
        courtDecidedBy: actor.userId,
        accountVerifiedBy: actor.userId,
        accountVerifiedAt: now,
      },
    });
  });
}

export async function courtReject(
  deps: AidDeps,
  actor: Actor,
  id: string,
  input: unknown,
  requestId?: string,
) {
  requireCourt(actor);
  const { reason } = parseInput(ReasonSchema, input);
  return deps.db.transaction(async (tx) => {
    const { claim: c } = await lockClaimFor(deps, tx, actor, id, 'courtReject');
    const now = deps.clock();
    const updated = await transitionClaim(tx, c, 'rejected', {
      actorId: actor.userId,
      at: now,
      reason,
      requestId,
      patch: { decidedAt: now, courtDecidedBy: actor.userId },
    });
    await cancelJob(tx, dueJobKey(c.id));
    return updated;
  });
}
