import type { OrgKind, Role } from '../../db/schema/identity.js';
import { DomainError } from '../errors.js';
import { type Actor, ADMIN_ROLES, can, STAFF_ROLES_BY_ORG_KIND } from './permissions.js';

/**
 * Account administration (ADR 024), pure: who may do what to an account. The platform admin
 * administers every account (a bidder's too); a court's or an insurer's admin the staff of his
 * own organisation. Nobody disables himself or sends himself a reset link, and nobody takes an
 * administering role from himself.
 */

/** Every role, for the account list's filter (the enum of db/schema/identity.ts, as a value app/ may import). */
export const ALL_ROLES = [
  'bidder',
  'court_clerk',
  'court_panel',
  'court_admin',
  'court_president',
  'insurer_adjuster',
  'insurer_manager',
  'platform_admin',
] as const satisfies readonly Role[];

/** The audit CSV holds at most this many entries, newest first; the page says so when it stops. */
export const AUDIT_EXPORT_MAX = 10_000;

export interface AccountTarget {
  id: string;
  organisationId: string | null;
  orgKind: OrgKind | null;
  roles: readonly Role[];
  disabled: boolean;
}

/** Whether the account is the actor's to administer at all (outside it: not found, never "forbidden"). */
export function administers(actor: Actor, target: Pick<AccountTarget, 'organisationId'>): boolean {
  if (!can(actor, 'manage:user-account')) return false;
  if (actor.roles.includes('platform_admin')) return true;
  return target.organisationId !== null && target.organisationId === actor.organisationId;
}

/** The roles an account may be given: those of its organisation's kind; a bidder's are not edited here. */
export function assignableRoles(target: Pick<AccountTarget, 'orgKind'>): readonly Role[] {
  return target.orgKind ? STAFF_ROLES_BY_ORG_KIND[target.orgKind] : [];
}

/** What the actor may do to the account now: the page renders it, the service checks it again. */
export function accountAffordances(actor: Actor, target: AccountTarget) {
  const mine = administers(actor, target);
  const self = actor.userId === target.id;
  return {
    disable: mine && !self && !target.disabled,
    enable: mine && !self && target.disabled,
    editRoles: mine && assignableRoles(target).length > 0,
    resetPassword: mine && !self && !target.disabled,
    endSessions: mine && !self,
  };
}
export type AccountAffordances = ReturnType<typeof accountAffordances>;

/**
 * Checks a new set of roles for the account; the refusal as a field error, or null. Roles outside
 * the organisation's kind are refused (what createStaffUser refuses), and so is an admin's
 * taking an administering role from himself.
 */
export function rolesRefusal(
  actor: Actor,
  target: AccountTarget,
  roles: readonly Role[],
): DomainError | null {
  const allowed = assignableRoles(target);
  const fail = (key: string) =>
    new DomainError('validation', 'errors.validation', { fieldErrors: { roles: [key] } });
  if (roles.length === 0) return fail('validation.role');
  if (roles.some((r) => !allowed.includes(r))) return fail('validation.roleForOrg');
  if (actor.userId === target.id && ADMIN_ROLES.some((r) => target.roles.includes(r) && !roles.includes(r)))
    return fail('accounts.errors.ownAdminRole');
  return null;
}
