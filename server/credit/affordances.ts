/**
 * What a viewer may do with a listing, a restriction order or a correction request now (ADR 010):
 * decided once here from the status and the viewer's grants; the views return `can`, each action
 * re-checks the same decision on the row it has locked. Pure.
 */
import type { CreditCorrection, CreditListing, CreditRestriction } from '../../db/schema/credit.js';
import type { Decisions } from '../affordances.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, courtIdOf, type Permission, permissionRefusal } from '../identity/permissions.js';

const conflict = (key: string) => new DomainError('conflict', `credit.errors.${key}`);

/** Staff of the record's court with the grant; another court's record does not exist for them. */
function staffRefusal(actor: Actor | null, courtId: string, permission: Permission): DomainError | null {
  return permissionRefusal(actor, permission) ?? (courtIdOf(actor!) === courtId ? null : notFound());
}

export const LISTING_ACTIONS = [
  'decide',
  'serve',
  'correct',
  'delete',
  'revoke',
  'receiveCorrection',
] as const;
export type ListingAction = (typeof LISTING_ACTIONS)[number];

const inForce = (s: CreditListing['status']) => s === 'decided' || s === 'published';

export function decideListingActions(
  actor: Actor | null,
  l: Pick<CreditListing, 'courtId' | 'status' | 'servedOn'>,
): Decisions<ListingAction> {
  const manage = staffRefusal(actor, l.courtId, 'manage:credit');
  const sign = staffRefusal(actor, l.courtId, 'sign:credit');
  const removed = l.status === 'deleted' || l.status === 'revoked' ? conflict('removed') : null;
  return {
    // 失信规定 art. 5: the decision is signed by the court president.
    decide: sign ?? (l.status === 'draft' ? null : conflict('decided')),
    // art. 5: served on the debtor once decided.
    serve:
      manage ??
      removed ??
      (l.status === 'draft' ? conflict('notDecided') : l.servedOn ? conflict('served') : null),
    // art. 9: wrong data corrected; art. 10: deleted on a ground; art. 9: wrongly listed, revoked.
    correct: manage ?? removed ?? (inForce(l.status) ? null : conflict('notDecided')),
    delete: manage ?? removed ?? (inForce(l.status) ? null : conflict('notDecided')),
    revoke: sign ?? removed ?? (inForce(l.status) ? null : conflict('notDecided')),
    // arts. 11-12: the debtor's request, received while the listing stands.
    receiveCorrection: manage ?? removed ?? (inForce(l.status) ? null : conflict('notDecided')),
  };
}

export const RESTRICTION_ACTIONS = ['sign', 'addException', 'lift'] as const;
export type RestrictionAction = (typeof RESTRICTION_ACTIONS)[number];

export function decideRestrictionActions(
  actor: Actor | null,
  r: Pick<CreditRestriction, 'courtId' | 'status' | 'listingId'>,
): Decisions<RestrictionAction> {
  const manage = staffRefusal(actor, r.courtId, 'manage:credit');
  const sign = staffRefusal(actor, r.courtId, 'sign:credit');
  return {
    // 限消规定 art. 5: signed by the president; one issued with a listing is signed with its decision.
    sign: sign ?? (r.status !== 'draft' ? conflict('decided') : r.listingId ? conflict('withListing') : null),
    // art. 3: spending allowed by the court's approval (the president's).
    addException: sign ?? (r.status === 'in_force' ? null : conflict('notInForce')),
    // art. 9: lifted on security, consent or full performance.
    lift: manage ?? (r.status === 'in_force' ? null : conflict('notInForce')),
  };
}

export const CORRECTION_ACTIONS = ['decide', 'appeal', 'decideAppeal'] as const;
export type CorrectionAction = (typeof CORRECTION_ACTIONS)[number];

export function decideCorrectionActions(
  actor: Actor | null,
  c: Pick<CreditCorrection, 'courtId' | 'higherCourtId' | 'status'>,
): Decisions<CorrectionAction> {
  const decide = staffRefusal(actor, c.courtId, 'decide:credit-correction');
  const manage = staffRefusal(actor, c.courtId, 'manage:credit');
  const higher = c.higherCourtId
    ? staffRefusal(actor, c.higherCourtId, 'decide:credit-correction')
    : conflict('noHigherCourt');
  return {
    decide: decide ?? (c.status === 'received' ? null : conflict('correctionDecided')),
    // art. 12: a rejection may go to the next higher court (recorded by the enforcing court's clerk).
    appeal:
      manage ??
      (c.status === 'rejected'
        ? c.higherCourtId
          ? null
          : conflict('noHigherCourt')
        : conflict('notRejected')),
    decideAppeal: higher ?? (c.status === 'appealed' ? null : conflict('notAppealed')),
  };
}
