/**
 * What a court's staff member may do with a listing now (ADR 010, server/affordances.ts): one
 * decision per action, from the state machine (rules.ts `TRANSITIONS`) and the actor's grants.
 * The court's listing page renders `affordancesOf` these; each action re-checks them on the row
 * it has locked, so the page never offers what the service would refuse.
 */
import type { Listing, ListingStatus } from '../../db/schema/auctions.js';
import type { Decisions } from '../affordances.js';
import { DomainError, forbidden } from '../errors.js';
import { type Actor, grantedAtCourt, type Permission } from '../identity/permissions.js';
import { canTransition } from './rules.js';

export type ListingAction =
  | 'submit'
  | 'approve'
  | 'returnToDraft'
  | 'suspend'
  | 'resume'
  | 'withdraw'
  | 'amend'
  | 'disclose'
  | 'offerViewing';

/** A move the state machine does not allow from here. */
export const badTransition = (from: ListingStatus, to: ListingStatus) =>
  new DomainError('conflict', 'errors.badTransition', { params: { from, to } });

/** Only a published announcement has amendments; before that it changes by returning to draft. */
const PUBLISHED: readonly ListingStatus[] = ['announced', 'live', 'suspended'];
/** Viewings are offered until bidding ends: before publication and while it is announced or live. */
const VIEWABLE: readonly ListingStatus[] = ['draft', 'pending_approval', 'announced', 'live'];

export function decideListingActions(
  actor: Actor,
  l: Pick<Listing, 'courtId' | 'status' | 'preparedBy'>,
): Decisions<ListingAction> {
  // The grant first, as each service checks it before anything else; then the state.
  const granted = (permission: Permission, refusal: DomainError | null) =>
    grantedAtCourt(actor, l.courtId, permission) ? refusal : forbidden();
  const move = (to: ListingStatus) => (canTransition(l.status, to) ? null : badTransition(l.status, to));
  return {
    submit: granted('create:listing', move('pending_approval')),
    // art. 27: a panel member other than the preparer approves, and only what was submitted.
    approve: granted(
      'approve:listing',
      l.preparedBy === actor.userId
        ? new DomainError('forbidden', 'errors.selfApproval')
        : l.status === 'pending_approval'
          ? null
          : badTransition(l.status, 'announced'),
    ),
    returnToDraft: granted('approve:listing', move('draft')),
    suspend: granted('manage:listing', move('suspended')),
    // art. 28: only a suspension is resumed (announced again, or live if bidding should run).
    resume: granted('manage:listing', l.status === 'suspended' ? null : badTransition(l.status, 'announced')),
    withdraw: granted('manage:listing', move('withdrawn')),
    amend: granted(
      'manage:listing',
      PUBLISHED.includes(l.status) ? null : new DomainError('conflict', 'errors.notPublished'),
    ),
    // ADR 029: the disclosure is part of the draft the panel approves; after that it changes by
    // returning to draft (before publication) or by a published amendment of its text.
    disclose: granted(
      'create:listing',
      l.status === 'draft' ? null : new DomainError('conflict', 'disclosure.errors.notDraft'),
    ),
    offerViewing: granted(
      'create:listing',
      VIEWABLE.includes(l.status) ? null : new DomainError('conflict', 'disclosure.errors.viewingClosed'),
    ),
  };
}
