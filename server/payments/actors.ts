/**
 * Who acts on payments: the refusals `requirePermission` would throw, as values for the decide
 * functions (`affordances.ts`), and the court a staff member acts for.
 */
import { type DomainError, forbidden, unauthenticated } from '../errors.js';
import { type Actor, can, type Permission } from '../identity/permissions.js';

/** What `requirePermission(actor, permission)` would throw, or null. */
export function permissionRefusal(actor: Actor | null, permission: Permission): DomainError | null {
  if (!actor) return unauthenticated();
  return can(actor, permission) ? null : forbidden();
}

/** The court a staff member acts for; null for anyone who is not a court's staff. */
export const courtIdOf = (actor: Actor): string | null =>
  actor.orgKind === 'court' && actor.organisationId ? actor.organisationId : null;

export function courtOf(actor: Actor): string {
  const courtId = courtIdOf(actor);
  if (!courtId) throw forbidden();
  return courtId;
}
