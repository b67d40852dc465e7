import { DomainError } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { parseInput } from '../validation.js';
import { lockClaimFor } from './claim-actions.js';
import { postAid, transitionClaim } from './common.js';
import type { AidDeps } from './deps.js';
import { ledgerCodes } from './rules.js';
import { OptionalReasonSchema } from './schemas.js';

/**
 * Closes a paid claim (the applicant has been told the funds arrived), or a claim in payment
 * whose unpaid rest will not be paid (no payment may still be on its way, claim-actions.ts): the
 * rest goes back to the policy limit, with a reason.
 */
export async function close(deps: AidDeps, actor: Actor, id: string, input: unknown, requestId?: string) {
  requirePermission(actor, 'close:aid-claim');
  const { reason } = parseInput(OptionalReasonSchema, input);
  return deps.db.transaction(async (tx) => {
    const { claim: c } = await lockClaimFor(deps, tx, actor, id, 'close');
    const now = deps.clock();
    let released = 0n;
    if (c.status === 'payment') {
      released = (c.approvedFen ?? 0n) - c.paidFen - c.releasedFen;
      if (released > 0n && !reason)
        throw new DomainError('validation', 'aidErrors.closeNeedsReason', {
          fieldErrors: { reason: ['aidErrors.closeNeedsReason'] },
        });
      if (released > 0n)
        await postAid(tx, {
          idempotencyKey: `aid:claim:${c.id}:release`,
          kind: 'aid.release',
          description: c.number,
          occurredAt: now,
          entries: [
            { account: ledgerCodes.payable(c.policyId, c.id), amountFen: -released },
            { account: ledgerCodes.limit(c.policyId), amountFen: released },
          ],
        });
    }
    return transitionClaim(tx, c, 'closed', {
      actorId: actor.userId,
      at: now,
      reason: reason ?? null,
      amountFen: released > 0n ? released : null,
      requestId,
      patch: { releasedFen: c.releasedFen + released },
    });
  });
}
