import type { Role } from '../../db/schema/identity.js';
import { type DomainError, forbidden, unauthenticated } from '../errors.js';

/**
 * Who may do what, as `action:entity` strings. The single table of grants: services call
 * `requirePermission`, and their decide functions (ADR 010) `permissionRefusal`; pages render
 * the `can` those return and decide nothing.
 */
export const PERMISSIONS = [
  'read:bidder-dashboard',
  'read:court-dashboard',
  'read:insurer-dashboard',
  'read:admin-dashboard',
  'read:staff-user',
  'create:staff-user',
  'revoke:session',
  // Account administration (ADR 024): disable and enable, roles, password reset links; the audit viewer
  'manage:user-account',
  'read:audit-log',
  'read:organisation',
  'read:case',
  'create:case',
  // The case lifecycle (server/cases, ADR 016)
  'manage:case',
  'close:case',
  'approve:case-president',
  'manage:complaint',
  // The quality indicators (server/indicators, ADR 018): a court over its own and lower courts, the platform over all
  'read:indicators',
  'create:asset',
  'create:listing',
  'approve:listing',
  'manage:listing',
  'create:api-token',
  // Onboarding (ADR 023): the platform creates, edits, suspends and reinstates courts and insurers;
  // a court's or insurer's administrator registers its webhooks.
  'manage:organisation',
  'manage:webhook',
  'register:auction',
  // The practice auction (模拟拍卖, ADR 033): any bidder account, real name verified or not
  'practice:auction',
  'pay:own',
  'read:payments',
  'record:bank-transfer',
  'confirm:bank-transfer',
  // After full payment (server/sales, ADR 014): the re-check, service and handover; the ruling itself
  'manage:sale',
  'issue:sale-ruling',
  // Case funds (issue 16): the clerk records costs and claims, drafts the plan and prepares its
  // payouts; a second person (a judge of the panel) approves the plan and the batch; the
  // president (the bureau's head) approves a deferral of the 30 days.
  'manage:funds',
  'approve:funds-plan',
  'read:funds-payment',
  'prepare:funds-payment',
  'approve:funds-payment',
  'send:funds-payment',
  'approve:funds-deferral',
  // The dishonest-debtor list and consumption restrictions (server/credit, ADR 019): the clerk
  // prepares, the president signs (失信规定 art. 5, 限消规定 art. 5); a judge decides corrections.
  'manage:credit',
  'sign:credit',
  'decide:credit-correction',
  'manage:credit-partner',
  // Bounties (server/bounties, ADR 022): the clerk records the application and reads and assesses
  // tips (every reading logged); a judge of the panel or the president decides and awards.
  'manage:bounty',
  'decide:bounty',
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
/** Every court role reads its court's quality dashboard (ADR 018): the numbers the court is judged by. */
const INDICATORS: readonly Permission[] = ['read:indicators'];
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
    'practice:auction',
    'pay:own',
    'read:aid-claim:own',
    'create:aid-claim:own',
  ],
  court_clerk: [
    'read:court-dashboard',
    ...INDICATORS,
    'read:case',
    'create:case',
    // Measures, excluded periods, searches, closure and resumption: the clerk records the
    // enforcement judge's work; a panel judge may do it himself.
    'manage:case',
    'close:case',
    'manage:complaint',
    'create:asset',
    'create:listing',
    'manage:listing',
    'read:payments',
    // Maker-checker: either may record a bank transfer; the other confirms it (payments service).
    'record:bank-transfer',
    'confirm:bank-transfer',
    'manage:sale',
    'manage:funds',
    'read:funds-payment',
    'prepare:funds-payment',
    'send:funds-payment',
    'manage:credit',
    'manage:bounty',
    ...AID_COURT,
    'create:aid-claim',
    'close:aid-claim',
    'record:aid-recovery',
  ],
  // art. 27: the collegial panel decides prices and approves the announcement.
  // The ruling confirming a sale (成交裁定) is a judicial act: a judge of the panel signs it, never a clerk.
  // The enforcement bureau reviews aid claims; the committee's decision is recorded by a judge
  // other than the one who referred the claim (no separate committee role yet, ADR 009).
  court_panel: [
    'read:court-dashboard',
    ...INDICATORS,
    'read:case',
    'manage:case',
    'close:case',
    'manage:complaint',
    'approve:listing',
    'manage:listing',
    'read:payments',
    'record:bank-transfer',
    'confirm:bank-transfer',
    'manage:sale',
    'issue:sale-ruling',
    'manage:funds',
    'approve:funds-plan',
    'read:funds-payment',
    'approve:funds-payment',
    'send:funds-payment',
    'manage:credit',
    'decide:credit-correction',
    'manage:bounty',
    'decide:bounty',
    ...AID_COURT,
    'review:aid-claim',
    'decide:aid-committee',
  ],
  court_admin: [
    'read:court-dashboard',
    ...INDICATORS,
    'read:staff-user',
    'create:staff-user',
    'revoke:session',
    'manage:user-account',
    'read:audit-log',
    'read:case',
    'create:api-token',
    'manage:webhook',
    'read:payments',
    'manage:complaint',
    ...AID_COURT,
    'manage:aid-settings',
  ],
  // 院长 (ADR 016): extends the time limit (2000 Provisions art. 6) and approves 终本 when the
  // applicant has not signed (民诉法解释 art. 517); also answers complaints. No other role fits:
  // the court administrator runs accounts, and a panel judge must not approve his own case's limit.
  court_president: [
    'read:court-dashboard',
    ...INDICATORS,
    'read:case',
    'approve:case-president',
    // He closes the 终本 he approves without the applicant's signature.
    'close:case',
    'manage:complaint',
    'read:payments',
    'read:funds-payment',
    'approve:funds-deferral',
    // He signs listing decisions and restriction orders, and decides corrections and appeals.
    'sign:credit',
    'decide:credit-correction',
    'decide:bounty',
    ...AID_COURT,
  ],
  // Maker-checker on payments: the adjuster prepares, the manager approves (and never his own).
  insurer_adjuster: ['read:insurer-dashboard', ...AID_INSURER, 'prepare:aid-payment', 'record:aid-recovery'],
  insurer_manager: [
    'read:insurer-dashboard',
    'read:staff-user',
    'create:staff-user',
    'revoke:session',
    'manage:user-account',
    'read:audit-log',
    ...AID_INSURER,
    'manage:aid-policy',
    'approve:aid-payment',
    'confirm:aid-recovery',
    'manage:webhook',
  ],
  platform_admin: [
    'read:admin-dashboard',
    'read:staff-user',
    'create:staff-user',
    'revoke:session',
    'manage:user-account',
    'read:audit-log',
    'read:organisation',
    'manage:organisation',
    'manage:credit-partner',
    'read:aid-report',
    'read:aid-policy',
    'read:indicators',
  ],
};

/** Roles an organisation of each kind may give its staff. */
export const STAFF_ROLES_BY_ORG_KIND = {
  court: ['court_clerk', 'court_panel', 'court_admin', 'court_president'],
  insurer: ['insurer_adjuster', 'insurer_manager'],
  platform: ['platform_admin'],
} as const satisfies Record<string, readonly Role[]>;

/**
 * The roles that administer accounts (each his organisation's, the platform admin everyone's). An
 * admin may not take such a role from himself (ADR 024): an organisation is never left without
 * its administrator by a slip of his own hand.
 */
export const ADMIN_ROLES = [
  'platform_admin',
  'court_admin',
  'insurer_manager',
] as const satisfies readonly Role[];

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

/** What `requirePermission(actor, permission)` throws, as a value (for a decide function), or null. */
export function permissionRefusal(
  actor: Actor | null | undefined,
  permission: Permission,
): DomainError | null {
  if (!actor) return unauthenticated();
  return can(actor, permission) ? null : forbidden();
}

export function requirePermission(actor: Actor | null | undefined, permission: Permission): Actor {
  const refusal = permissionRefusal(actor, permission);
  if (refusal) throw refusal;
  return actor!;
}

/** The court a staff member acts for; null for anyone who is not a court's staff. */
export const courtIdOf = (actor: Actor): string | null =>
  actor.orgKind === 'court' && actor.organisationId ? actor.organisationId : null;

/** The court a staff member acts for: a court's records are its own, anyone else is refused before any query. */
export function courtOf(actor: Actor): string {
  const courtId = courtIdOf(actor);
  if (!courtId) throw forbidden();
  return courtId;
}

/** Staff of this court with the grant: another court's records are never theirs, whatever their roles. */
export const grantedAtCourt = (actor: Actor, courtId: string, permission: Permission): boolean =>
  courtIdOf(actor) === courtId && can(actor, permission);

/** The dashboard a user lands on after login. */
export function homePathFor(roles: readonly Role[]): string {
  if (roles.includes('platform_admin')) return '/admin';
  if (roles.some((r) => r.startsWith('court_'))) return '/court';
  if (roles.some((r) => r.startsWith('insurer_'))) return '/insurer';
  return '/me';
}
