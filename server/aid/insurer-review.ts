/**
 * The insurer's review (domain "Claims"): its adjuster takes up a claim the court approved and
 * awards it, in full or in part (with a reason), against the policy's aggregate limit, or
 * declines it.
 */
import { eq } from 'drizzle-orm';
import { aidPolicies } from '../../db/schema/aid.js';
import { DomainError, forbidden } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { parseInput } from '../validation.js';
import { moveClaim } from './claim-actions.js';
import { postAid, remainingLimits, viewerOf } from './common.js';
import type { AidDeps } from './deps.js';
import { ledgerCodes } from './rules.js';
import { AmountDecisionSchema, ReasonSchema } from './schemas.js';

const limitExhausted = (remainingFen: bigint) =>
  new DomainError('conflict', 'aidErrors.limitExhausted', { params: { remaining: remainingFen.toString() } });

/** The insurer's adjusters only; the claim is scoped to the insurer's policies when it is locked. */
function requireAdjuster(actor: Actor) {
  requirePermission(actor, 'review:aid-claim-insurer');
  if (viewerOf(actor).kind !== 'insurer') throw forbidden();
}

export async function insurerStartReview(deps: AidDeps, actor: Actor, id: string, requestId?: string) {
  requireAdjuster(actor);
  return moveClaim(deps, actor, id, 'insurerStartReview', 'insurer_review', {}, requestId);
}

/**
 * The insurer's award, in full or in part (with a reason), reserved against the policy's
 * aggregate limit in the same transaction. The policy row is locked first, so two approvals
 * racing for the last of a limit queue: the second sees what the first left and is told the
 * limit is exhausted; the ledger's no-overdraft check is the second line (ADR 006).
 */
export async function insurerApprove(
  deps: AidDeps,
  actor: Actor,
  id: string,
  input: unknown,
  requestId?: string,
) {
  requireAdjuster(actor);
  const { amount, reason } = parseInput(AmountDecisionSchema, input);
  return moveClaim(
    deps,
    actor,
    id,
    'insurerApprove',
    'insurer_approved',
    {
      amountFen: amount,
      reason: reason ?? null,
      stopsClock: true,
      async before(tx, c, now) {
        const courtAward = c.courtApprovedFen ?? 0n;
        if (amount > courtAward)
          throw new DomainError('validation', 'aidErrors.aboveCourtAward', {
            params: { ceiling: courtAward.toString() },
            fieldErrors: { amount: ['aidErrors.aboveCourtAward'] },
          });
        if (amount < courtAward && !reason)
          throw new DomainError('validation', 'aidErrors.partialNeedsReason', {
            fieldErrors: { reason: ['aidErrors.partialNeedsReason'] },
          });
        await tx
          .select({ id: aidPolicies.id })
          .from(aidPolicies)
          .where(eq(aidPolicies.id, c.policyId))
          .for('update');
        const left = (await remainingLimits(tx, [c.policyId])).get(c.policyId) ?? 0n;
        if (amount > left) throw limitExhausted(left);
        await postAid(
          tx,
          {
            idempotencyKey: `aid:claim:${c.id}:award`,
            kind: 'aid.award',
            description: c.number,
            occurredAt: now,
            entries: [
              { account: ledgerCodes.limit(c.policyId), amountFen: -amount },
              { account: ledgerCodes.payable(c.policyId, c.id), amountFen: amount },
            ],
          },
          [],
          () => limitExhausted(left),
        );
      },
      patch: (now) => ({
        approvedFen: amount,
        approvalReason: reason ?? null,
        decidedAt: now,
        insurerDecidedBy: actor.userId,
      }),
    },
    requestId,
  );
}

export async function insurerDecline(
  deps: AidDeps,
  actor: Actor,
  id: string,
  input: unknown,
  requestId?: string,
) {
  requireAdjuster(actor);
  const { reason } = parseInput(ReasonSchema, input);
  const patch = (now: Date) => ({ decidedAt: now, insurerDecidedBy: actor.userId });
  return moveClaim(
    deps,
    actor,
    id,
    'insurerDecline',
    'declined',
    { reason, patch, stopsClock: true },
    requestId,
  );
}
