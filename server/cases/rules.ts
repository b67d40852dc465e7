/**
 * The cases module's pure rules: what a court's staff member may do now with the court's cases
 * and seized assets (ADR 010, server/affordances.ts). The reads the pages call return
 * `affordancesOf` these; the actions re-check the same decisions, so a page never offers what
 * the service would refuse. Here, not beside the service, because auctions decides its drafts
 * by `decideAssetActions` too (a module's rules.ts is public to the others).
 */
import type { Asset, Case, CaseComplaint, ClosureMode } from '../../db/schema/cases.js';
import type { Decisions } from '../affordances.js';
import { type ChainedRound, nextRoundOf } from '../auctions/rules.js';
import { DomainError, forbidden } from '../errors.js';
import { type Actor, courtIdOf, grantedAtCourt as granted } from '../identity/permissions.js';

/** The court's case list: whether this viewer files new cases (for his own court). */
export function decideCaseListActions(actor: Actor): Decisions<'create'> {
  const courtId = courtIdOf(actor);
  return { create: courtId && granted(actor, courtId, 'create:case') ? null : forbidden() };
}

export type CaseAction =
  | 'addAsset'
  | 'recordMeasure'
  | 'search'
  | 'manageIntervals'
  | 'extend'
  | 'close'
  | 'resume'
  | 'dismissResumption'
  | 'receiveComplaint';

/** Closure modes after which enforcement may resume as a new 执恢 case (终本规定 art. 9; 民诉法解释 art. 465). */
export const RESUMABLE: readonly ClosureMode[] = ['terminated_for_now', 'terminated'];

const closedError = () => new DomainError('conflict', 'caseErrors.closed');

/**
 * One case: what this viewer may do with it now. Only the case's own court acts on it (a higher
 * court reads it, read-only); the work on an open case (measures, searches, excluded periods,
 * closure) is the clerk's and the panel's; the president extends the limit; a case closed as 终本
 * or 终结 may be resumed once, as a new case.
 */
export function decideCaseActions(
  actor: Actor,
  kase: Pick<Case, 'courtId' | 'closureMode' | 'caseType' | 'resumptionDueOn'>,
  ctx: { resumed: boolean } = { resumed: false },
): Decisions<CaseAction> {
  const open = kase.closureMode === null;
  const onOpen = (permission: Parameters<typeof granted>[2]) =>
    !granted(actor, kase.courtId, permission) ? forbidden() : open ? null : closedError();
  const resumable =
    kase.closureMode !== null && RESUMABLE.includes(kase.closureMode) && !ctx.resumed
      ? null
      : new DomainError('conflict', 'caseErrors.notResumable');
  return {
    addAsset: onOpen('create:asset'),
    recordMeasure: onOpen('manage:case'),
    search: onOpen('manage:case'),
    manageIntervals: onOpen('manage:case'),
    extend:
      onOpen('approve:case-president') ??
      (kase.caseType === 'first' || kase.caseType === 'resumed'
        ? null
        : new DomainError('conflict', 'caseErrors.noTimeLimit')),
    close: onOpen('close:case'),
    resume: !granted(actor, kase.courtId, 'create:case') ? forbidden() : resumable,
    dismissResumption: !granted(actor, kase.courtId, 'manage:case')
      ? forbidden()
      : kase.resumptionDueOn && !ctx.resumed
        ? null
        : new DomainError('conflict', 'caseErrors.noResumptionDue'),
    receiveComplaint: granted(actor, kase.courtId, 'manage:complaint') ? null : forbidden(),
  };
}

/** One complaint (信访): assigned to a colleague, then settled; settled is final. */
export function decideComplaintActions(
  actor: Actor,
  complaint: Pick<CaseComplaint, 'courtId' | 'status'>,
): Decisions<'assign' | 'settle'> {
  const allowed = granted(actor, complaint.courtId, 'manage:complaint');
  const settled = new DomainError('conflict', 'caseErrors.complaintSettled');
  return {
    assign: !allowed ? forbidden() : complaint.status === 'settled' ? settled : null,
    settle: !allowed ? forbidden() : complaint.status === 'settled' ? settled : null,
  };
}

/**
 * One seized asset: attaching files, and drafting the next round of its sale, which exists
 * while no round is under way and the asset is unsold (art. 26, 变卖; rules.ts `nextRoundOf`).
 */
export function decideAssetActions(
  actor: Actor,
  asset: Pick<Asset, 'courtId'>,
  rounds: readonly ChainedRound[],
): Decisions<'upload' | 'list'> {
  const next = nextRoundOf(rounds);
  return {
    upload: granted(actor, asset.courtId, 'create:asset') ? null : forbidden(),
    list: !granted(actor, asset.courtId, 'create:listing')
      ? forbidden()
      : 'refusal' in next
        ? new DomainError('conflict', next.refusal)
        : null,
  };
}
