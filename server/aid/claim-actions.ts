/**
 * What a viewer may do with an aid claim now (ADR 010, `server/affordances.ts`): one function of
 * the claim state machine (rules.ts) and the permissions. `getClaim` returns it as `can`; every
 * action's use case decides again on the claim it has locked and refuses with the error named
 * here, so the page never offers what the service would refuse, nor hides what it would allow.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import {
  type AidClaim,
  type AidClaimStatus,
  type AidRecovery,
  type aidClaims,
  aidRecoveries,
} from '../../db/schema/aid.js';
import { type Decisions, requireAllowed } from '../affordances.js';
import { DomainError, forbidden } from '../errors.js';
import { type Actor, can, permissionRefusal } from '../identity/permissions.js';
import { cancelJob } from '../jobs/schedule.js';
import { dueJobKey } from './claim-jobs.js';
import { lockClaim, transitionClaim, viewerOf } from './common.js';
import type { AidDeps } from './deps.js';
import { AID_PURPOSE, badTransition, canTransitionClaim, DOCUMENTS_OPEN } from './rules.js';

export type ClaimAction =
  | 'submit'
  | 'withdraw'
  | 'upload'
  | 'returnForDocuments'
  | 'startCourtReview'
  | 'referToCommittee'
  | 'courtApprove'
  | 'courtReject'
  | 'insurerStartReview'
  | 'insurerApprove'
  | 'insurerDecline'
  | 'close'
  | 'recordRecovery';

export interface ClaimMoney {
  /** Payments scheduled, approved or sent and not yet settled. */
  inFlightFen: bigint;
  /** Paid and not yet recorded as recovered. */
  recoverableFen: bigint;
}

export const selfApproval = () => new DomainError('forbidden', 'aidErrors.selfApproval');
export const aboveRecoverable = (ceiling: bigint) =>
  new DomainError('validation', 'aidErrors.aboveRecoverable', {
    params: { ceiling: ceiling.toString() },
    fieldErrors: { amount: ['aidErrors.aboveRecoverable'] },
  });

/** The applicant's side: the court's clerks (on his behalf) or the creditor himself. */
function isFilerSide(actor: Actor, claim: Pick<AidClaim, 'applicantUserId'>) {
  const v = viewerOf(actor);
  if (v.kind === 'court') return can(actor, 'create:aid-claim');
  return (
    v.kind === 'creditor' && can(actor, 'create:aid-claim:own') && claim.applicantUserId === actor.userId
  );
}

/**
 * Every action on the claim for this viewer: `null` when allowed now, else its refusal. The
 * actor's scope is not decided here: a claim he may not see is "not found" before this runs.
 */
export function decideClaimActions(
  actor: Actor,
  claim: Pick<AidClaim, 'status' | 'applicantUserId' | 'referredBy' | 'filedBy'>,
  money: ClaimMoney,
): Decisions<ClaimAction> {
  const kind = viewerOf(actor).kind;
  const move = (to: AidClaimStatus) =>
    canTransitionClaim(claim.status, to) ? null : badTransition(claim.status, to);
  const filer = isFilerSide(actor, claim);
  const asFiler = (to: AidClaimStatus) => (filer ? move(to) : forbidden());
  // The enforcement bureau reviews; the insurer's adjusters decide the award.
  const asBureau = (to: AidClaimStatus) =>
    kind === 'court' && can(actor, 'review:aid-claim') ? move(to) : forbidden();
  const asInsurer = (to: AidClaimStatus) =>
    kind === 'insurer' && can(actor, 'review:aid-claim-insurer') ? move(to) : forbidden();
  // Above the court's authority the committee decides, by a judge other than the one who referred it.
  const committee = claim.status === 'committee_review';
  const decider = kind === 'court' && can(actor, committee ? 'decide:aid-committee' : 'review:aid-claim');
  return {
    submit: asFiler('submitted'),
    withdraw: asFiler('withdrawn'),
    upload: !filer
      ? forbidden()
      : DOCUMENTS_OPEN.includes(claim.status)
        ? null
        : new DomainError('conflict', 'aidErrors.documentsClosed'),
    returnForDocuments: asBureau('returned'),
    startCourtReview: asBureau('court_review'),
    referToCommittee: asBureau('committee_review'),
    // Nobody approves a claim he filed.
    courtApprove: !decider
      ? forbidden()
      : committee && claim.referredBy === actor.userId
        ? new DomainError('forbidden', 'aidErrors.committeeNotReferrer')
        : claim.filedBy === actor.userId
          ? selfApproval()
          : move('court_approved'),
    courtReject: decider ? move('rejected') : forbidden(),
    insurerStartReview: asInsurer('insurer_review'),
    insurerApprove: asInsurer('insurer_approved'),
    insurerDecline: asInsurer('declined'),
    // A claim in payment closes only once no money is on its way.
    close:
      permissionRefusal(actor, 'close:aid-claim') ??
      move('closed') ??
      (claim.status === 'payment' && money.inFlightFen > 0n
        ? new DomainError('conflict', 'aidErrors.paymentsInFlight')
        : null),
    recordRecovery:
      permissionRefusal(actor, 'record:aid-recovery') ??
      (money.recoverableFen > 0n ? null : aboveRecoverable(money.recoverableFen)),
  };
}

export type RecoveryAction = 'confirm';

/** The insurer confirms recovered money reached it: a second person, never the one who recorded it. */
export function decideRecoveryActions(
  actor: Actor,
  recovery: Pick<AidRecovery, 'status' | 'recordedBy'>,
): Decisions<RecoveryAction> {
  return {
    confirm:
      !can(actor, 'confirm:aid-recovery') || viewerOf(actor).kind !== 'insurer'
        ? forbidden()
        : recovery.status !== 'recoverable'
          ? new DomainError('conflict', 'aidErrors.recoveryDone')
          : recovery.recordedBy === actor.userId
            ? selfApproval()
            : null,
  };
}

/** The claim's money that decides actions, read in the caller's transaction. */
export async function claimMoney(deps: AidDeps, db: Db, claim: AidClaim): Promise<ClaimMoney> {
  const flight = await deps.disbursements.inFlightFen(db, AID_PURPOSE, [claim.id]);
  const [recorded] = await db
    .select({ total: sql<string>`coalesce(sum(${aidRecoveries.amountFen}), 0)::text` })
    .from(aidRecoveries)
    .where(eq(aidRecoveries.claimId, claim.id));
  return {
    inFlightFen: flight.get(claim.id) ?? 0n,
    recoverableFen: claim.paidFen - BigInt(recorded?.total ?? '0'),
  };
}

/** The claim, locked, once `action` is allowed on it for this actor now (else its refusal). */
export async function lockClaimFor(deps: AidDeps, tx: Tx, actor: Actor, id: string, action: ClaimAction) {
  const claim = await lockClaim(tx, actor, id);
  const money = await claimMoney(deps, tx, claim);
  requireAllowed(decideClaimActions(actor, claim, money), action);
  return { claim, money };
}

export interface ClaimMove {
  reason?: string | null;
  amountFen?: bigint | null;
  /** What else the move writes on the claim (who decided, when, the award …). */
  patch?: (now: Date) => Partial<typeof aidClaims.$inferInsert>;
  /** The move's own checks and writes (input against the claim, ledger), before the status changes. */
  before?: (tx: Tx, claim: AidClaim, now: Date) => Promise<void> | void;
  /** A decision or a return stops the 10-working-day clock: its reminder is cancelled. */
  stopsClock?: boolean;
}

/** A claim moves by `action` to `to`: locked, the action decided for this actor, one transition. */
export async function moveClaim(
  deps: AidDeps,
  actor: Actor,
  id: string,
  action: ClaimAction,
  to: AidClaimStatus,
  move: ClaimMove,
  requestId?: string,
) {
  return deps.db.transaction(async (tx) => {
    const { claim } = await lockClaimFor(deps, tx, actor, id, action);
    const now = deps.clock();
    await move.before?.(tx, claim, now);
    const updated = await transitionClaim(tx, claim, to, {
      actorId: actor.userId,
      at: now,
      requestId,
      ...(move.reason !== undefined && { reason: move.reason }),
      ...(move.amountFen !== undefined && { amountFen: move.amountFen }),
      ...(move.patch && { patch: move.patch(now) }),
    });
    if (move.stopsClock) await cancelJob(tx, dueJobKey(claim.id));
    return updated;
  });
}
