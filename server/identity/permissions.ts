import type { Role } from '../../db/schema/identity.js';
import { forbidden, unauthenticated } from '../errors.js';

/**
 * Who may do what, as `action:entity` strings. The single table of grants: services call
 * `requirePermission`; pages use `can` only to decide what to show.
 */
export const PERMISSIONS = [
  'read:bidder-dashboard',
  'read:court-dashboard',
  'read:insurer-dashboard',
  'read:admin-dashboard',
  'read:staff-user',
  'create:staff-user',
  'revoke:session',
  'read:organisation',
  'read:case',
  'create:case',
  'create:asset',
  'create:listing',
  'approve:listing',
  'manage:listing',
  'create:api-token',
  'register:auction',
  'pay:own',
  'read:payments',
  'record:bank-transfer',
  'confirm:bank-transfer',
  // Enforcement aid (server/aid, ADR 009)
  'read:aid-claim',
  'read:aid-claim:own',
  'create:aid-claim',
  'create:aid-claim:own',
  'review:aid-claim',
  'decide:aid-committee',
  'review:aid-claim-insurer',
  'close:aid-claim',
  'read:aid-policy',
  'manage:aid-policy',
  'manage:aid-settings',
  'read:aid-payment',
  'prepare:aid-payment',
  'approve:aid-payment',
  'send:aid-payment',
  'record:aid-recovery',
  'confirm:aid-recovery',
  'read:aid-report',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Aid: the clerk files on the creditor's behalf; the bureau (panel) reviews; insurers decide and pay. */
const AID_COURT: readonly Permission[] = ['read:aid-claim', 'read:aid-policy', 'read:aid-report'];
const AID_INSURER: readonly Permission[] = [
  'read:aid-claim',
  'read:aid-policy',
  'read:aid-report',
  'read:aid-payment',
  'review:aid-claim-insurer',
  'close:aid-claim',
  'send:aid-payment',
];

const GRANTS: Record<Role, readonly Permission[]> = {
  bidder: [
    'read:bidder-dashboard',
    'register:auction',
    'pay:own',
    'read:aid-claim:own',
    'create:aid-claim:own',
  ],
  court_clerk: [
    'read:court-dashboard',
    'read:case',
    'create:case',
    'create:asset',
    'create:listing',
    'manage:listing',
    'read:payments',
    // Maker-checker: either may record a bank transfer; the other confirms it (payments service).
    'record:bank-transfer',
    'confirm:bank-transfer',
    ...AID_COURT,
    'create:aid-claim',
    'close:aid-claim',
    'record:aid-recovery',
  ],
  // art. 27: the collegial panel decides prices and approves the announcement.
  // The enforcement bureau reviews aid claims; the committee's decision is recorded by a judge
  // other than the one who referred the claim (no separate committee role yet, ADR 009).
  court_panel: [
    'read:court-dashboard',
    'read:case',
    'approve:listing',
    'manage:listing',
    'read:payments',
    'record:bank-transfer',
    'confirm:bank-transfer',
    ...AID_COURT,
    'review:aid-claim',
    'decide:aid-committee',
  ],
  court_admin: [
    'read:court-dashboard',
    'read:staff-user',
    'create:staff-user',
    'revoke:session',
    'read:case',
    'create:api-token',
    'read:payments',
    ...AID_COURT,
    'manage:aid-settings',
  ],
  // Maker-checker on payments: the adjuster prepares, the manager approves (and never his own).
  insurer_adjuster: ['read:insurer-dashboard', ...AID_INSURER, 'prepare:aid-payment', 'record:aid-recovery'],
  insurer_manager: [
    'read:insurer-dashboard',
    'read:staff-user',
    'create:staff-user',
    'revoke:session',
    ...AID_INSURER,
    'manage:aid-policy',
    'approve:aid-payment',
    'confirm:aid-recovery',
  ],
  platform_admin: [
    'read:admin-dashboard',
    'read:staff-user',
    'create:staff-user',
    'revoke:session',
    'read:organisation',
    'read:aid-report',
    'read:aid-policy',
  ],
};

/** Roles an organisation of each kind may give its staff. */
export const STAFF_ROLES_BY_ORG_KIND = {
  court: ['court_clerk', 'court_panel', 'court_admin'],
  insurer: ['insurer_adjuster', 'insurer_manager'],
  platform: ['platform_admin'],
} as const satisfies Record<string, readonly Role[]>;

export interface Actor {
  userId: string;
  sessionId: string;
  roles: readonly Role[];
  organisationId: string | null;
  orgKind: 'court' | 'insurer' | 'platform' | null;
}

export function can(actor: Actor | null | undefined, permission: Permission): boolean {
  return !!actor && actor.roles.some((r) => GRANTS[r].includes(permission));
}

export function requireActor(actor: Actor | null | undefined): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}

export function requirePermission(actor: Actor | null | undefined, permission: Permission): Actor {
  const a = requireActor(actor);
  if (!can(a, permission)) throw forbidden();
  return a;
}

/** The dashboard a user lands on after login. */
export function homePathFor(roles: readonly Role[]): string {
  if (roles.includes('platform_admin')) return '/admin';
  if (roles.some((r) => r.startsWith('court_'))) return '/court';
  if (roles.some((r) => r.startsWith('insurer_'))) return '/insurer';
  return '/me';
}
