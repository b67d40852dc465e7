/**
 * Case funds, pure (shared/domain/case-funds.md, ADR 015): the plan's state machine, its clocks
 * (15 days to object, 15 to oppose, 15 to sue; 30 days for money to leave the case account), the
 * ledger accounts a distribution books, and what a viewer may do now. No database, no clock.
 */
import type { FundObjection, FundPlan, FundPlanStatus } from '../../db/schema/funds.js';
import type { Decisions } from '../affordances.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, courtIdOf, type Permission, permissionRefusal } from '../identity/permissions.js';

export {
  applicationFeeFen,
  CLAIM_CLASSES,
  COST_KINDS,
  delayInterestFen,
  ROUNDING_RULE,
  RULES,
  STATUTORY_ORDER,
} from './plan.js';

/** 民诉法解释 art. 509: 15 days from his service to object. */
export const OBJECTION_DAYS = 15;
/** Art. 510: 15 days for the others to oppose once told of an objection. */
export const OPPOSITION_DAYS = 15;
/** Art. 510: 15 days for the objector to sue the opposers. */
export const SUIT_DAYS = 15;
/** 执行款物管理规定: the money leaves the case account within 30 days of its arrival. */
export const RELEASE_DAYS = 30;
/** After the reason of a deferral ends, payment within 10 days. */
export const AFTER_DEFERRAL_DAYS = 10;

export const DEFERRAL_REASONS = [
  'distribution_pending',
  'applicant_funds_frozen',
  'applicant_not_collecting',
  'case_suspended',
  'other',
] as const;

/** The purpose of case-fund payouts in the disbursements module. */
export const FUNDS_PURPOSE = 'distribution';

export const PLAN_TRANSITIONS: Record<FundPlanStatus, readonly FundPlanStatus[]> = {
  draft: ['served', 'superseded'],
  served: ['final', 'superseded'],
  final: ['approved', 'superseded'],
  approved: ['paid'],
  paid: [],
  superseded: [],
};
export const canMovePlan = (from: FundPlanStatus, to: FundPlanStatus) => PLAN_TRANSITIONS[from].includes(to);

const BEIJING_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a moment in Beijing. */
export const beijingDay = (at: Date) => new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 10);

/** The first instant of a Beijing day. */
export const beijingMidnight = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - BEIJING_MS);

/**
 * The end of a period of `days` days counted from a Beijing day (the day itself not counted): the
 * instant the day after the last day begins. Served on 3 March, 15 days: an objection on 18 March
 * counts, on 19 March it does not. Under an accelerated profile (`dayMs` shorter than a day), the
 * period is `days × dayMs` from the moment it started.
 */
export function periodEnd(startDay: string, startedAt: Date, days: number, dayMs: number): Date {
  if (dayMs >= DAY_MS) return beijingMidnight(addDays(startDay, days + 1));
  return new Date(startedAt.getTime() + days * dayMs);
}

export const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The plan's number: `<case number>分配之<n>`. */
export const planNumberOf = (caseNumber: string, n: number) => `${caseNumber}分配之${n}`;

/**
 * The ledger accounts of a distribution: the case account (一案一账号) pays into each creditor's
 * payable account when the plan is approved; a payout moves it to in-transit, the bank's
 * confirmation out of the system; a disputed or unclaimable amount waits in the set-aside account
 * (提存); costs go to the court and the surplus waits for the debtor.
 */
export const fundAccounts = {
  caseAccount: (caseId: string) => `case:${caseId}`,
  payable: (caseId: string, claimId: string) => `case_fund:${caseId}:payable:${claimId}`,
  inTransit: (caseId: string, claimId: string) => `case_fund:${caseId}:sent:${claimId}`,
  setAside: (caseId: string) => `case_fund:${caseId}:set_aside`,
  debtor: (caseId: string) => `case_fund:${caseId}:debtor`,
  /** Outside the system: the court's costs revenue, and creditors' bank accounts. */
  costs: (courtId: string) => `gateway_clearing:fund-costs:${courtId}`,
  paidOut: (courtId: string) => `gateway_clearing:fund-paid:${courtId}`,
  forfeited: (courtId: string) => `forfeited_deposits:${courtId}`,
};

/** The bank statement's line for a creditor's payment. */
export const bankMemo = (planNumber: string) => `执行款 ${planNumber}`;

// ---- Affordances ----------------------------------------------------------------------------

const conflict = (key: string) => new DomainError('conflict', `funds.errors.${key}`);

function staffRefusal(actor: Actor | null, courtId: string, permission: Permission): DomainError | null {
  return permissionRefusal(actor, permission) ?? (courtIdOf(actor!) === courtId ? null : notFound());
}

export const PLAN_ACTIONS = ['serve', 'approve', 'redraft'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

/** What a court's staff may do with a plan now. Approval: a second person, never its maker. */
export function decidePlanActions(
  actor: Actor | null,
  plan: Pick<FundPlan, 'status' | 'courtId' | 'draftedBy'>,
  facts: { unserved: number },
): Decisions<PlanAction> {
  const manage = staffRefusal(actor, plan.courtId, 'manage:funds');
  const approve = staffRefusal(actor, plan.courtId, 'approve:funds-plan');
  return {
    serve:
      manage ??
      (plan.status === 'draft' || (plan.status === 'served' && facts.unserved > 0)
        ? null
        : conflict('notServable')),
    approve:
      approve ??
      (plan.status !== 'final'
        ? conflict(plan.status === 'approved' || plan.status === 'paid' ? 'approved' : 'notFinal')
        : plan.draftedBy === actor!.userId
          ? new DomainError('forbidden', 'funds.errors.selfApproval')
          : null),
    redraft:
      manage ?? (['draft', 'served', 'final'].includes(plan.status) ? null : conflict('notRedraftable')),
  };
}

export const OBJECTION_ACTIONS = ['recordOpposition', 'recordSuit', 'decideSuit'] as const;
export type ObjectionAction = (typeof OBJECTION_ACTIONS)[number];

export function decideObjectionActions(
  actor: Actor | null,
  courtId: string,
  o: Pick<FundObjection, 'status' | 'oppositionDueAt' | 'suitDueAt'>,
  now: Date,
): Decisions<ObjectionAction> {
  const manage = staffRefusal(actor, courtId, 'manage:funds');
  return {
    recordOpposition:
      manage ?? (o.status === 'filed' && now < o.oppositionDueAt ? null : conflict('oppositionClosed')),
    recordSuit:
      manage ?? (o.status === 'opposed' && o.suitDueAt && now < o.suitDueAt ? null : conflict('suitClosed')),
    decideSuit: manage ?? (o.status === 'in_suit' ? null : conflict('noSuit')),
  };
}

/** An objection counts when it arrives before the end of the objector's period (day 15 counts). */
export const objectionInTime = (receivedAt: Date, dueAt: Date | null) => dueAt !== null && receivedAt < dueAt;
