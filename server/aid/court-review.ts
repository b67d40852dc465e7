/**
 * The court's review (domain "Claims"): the enforcement bureau takes the claim up (home visit,
 * community check), asks for documents, approves within the court's authority or refers the
 * claim to the adjudication committee above it, or rejects it.
 */
import type { AidClaim } from '../../db/schema/aid.js';
import { DomainError, forbidden } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { parseInput } from '../validation.js';
import { moveClaim } from './claim-actions.js';
import { viewerOf } from './common.js';
import type { AidDeps } from './deps.js';
import { committeeThreshold } from './policies.js';
import { awardCeiling, needsCommittee } from './rules.js';
import { AmountDecisionSchema, ReasonSchema } from './schemas.js';

/** Court staff only (the claim is scoped to the actor's court when it is locked). */
function requireCourt(actor: Actor, permission?: 'review:aid-claim') {
  if (permission) requirePermission(actor, permission);
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
  requireCourt(actor, 'review:aid-claim');
  const { reason } = parseInput(ReasonSchema, input);
  return moveClaim(
    deps,
    actor,
    id,
    'returnForDocuments',
    'returned',
    { reason, stopsClock: true },
    requestId,
  );
}

/** The bureau takes the claim up (home visit, community check). */
export async function startCourtReview(deps: AidDeps, actor: Actor, id: string, requestId?: string) {
  requireCourt(actor, 'review:aid-claim');
  const patch = () => ({ courtReviewerId: actor.userId });
  return moveClaim(deps, actor, id, 'startCourtReview', 'court_review', { patch }, requestId);
}

/** Above the court's authority the bureau refers the claim, with its proposed award, to the committee. */
export async function referToCommittee(
  deps: AidDeps,
  actor: Actor,
  id: string,
  input: unknown,
  requestId?: string,
) {
  requireCourt(actor, 'review:aid-claim');
  const { amount, reason } = parseInput(AmountDecisionSchema, input);
  return moveClaim(
    deps,
    actor,
    id,
    'referToCommittee',
    'committee_review',
    {
      amountFen: amount,
      reason: reason ?? null,
      before: (_tx, c) => checkAward(c, amount),
      patch: () => ({ referredBy: actor.userId }),
    },
    requestId,
  );
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
  return moveClaim(
    deps,
    actor,
    id,
    'courtApprove',
    'court_approved',
    {
      amountFen: amount,
      reason: reason ?? null,
      async before(tx, c) {
        if (c.status === 'court_review') {
          const threshold = await committeeThreshold(tx, c.courtId);
          if (needsCommittee(amount, threshold))
            throw new DomainError('conflict', 'aidErrors.needsCommittee', {
              params: { threshold: threshold.toString() },
            });
        }
        checkAward(c, amount);
      },
      patch: (now) => ({
        courtApprovedFen: amount,
        courtDecidedBy: actor.userId,
        accountVerifiedBy: actor.userId,
        accountVerifiedAt: now,
      }),
    },
    requestId,
  );
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
  const patch = (now: Date) => ({ decidedAt: now, courtDecidedBy: actor.userId });
  return moveClaim(
    deps,
    actor,
    id,
    'courtReject',
    'rejected',
    { reason, patch, stopsClock: true },
    requestId,
  );
}
