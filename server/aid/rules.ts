/**
 * Enforcement-aid rules, pure (no database, no clock): the payout formula, the claim state
 * machine, documents a claim needs, working-day deadlines. One place for each rule; the services
 * enforce them (what a viewer may do now is decided once, in claim-actions.ts). The payments'
 * and batches' state machines are the disbursements module's (server/disbursements/rules.ts).
 * Domain reference: shared/domain/enforcement-aid.md ("Policies", "Claims", "Disbursements").
 */
import type { AidCaseType, AidClaimStatus, AidDocumentKind, PayoutFormulaJson } from '../../db/schema/aid.js';
import { addWorkingDays, BEIJING_OFFSET_MS } from '../calendar/working-days.js';
import { DomainError } from '../errors.js';

export const AID_CASE_TYPES = [
  'criminal_incidental',
  'personal_injury',
  'unpaid_wages',
  'support',
  'medical',
  'other',
] as const satisfies readonly AidCaseType[];

export const AID_DOCUMENT_KINDS = [
  'application',
  'identity',
  'judgment',
  'termination_ruling',
  'hardship',
  'harm',
  'bank_account',
] as const satisfies readonly AidDocumentKind[];

// ---- Payout formula -------------------------------------------------------------------------

export interface PayoutFormula {
  /** Ascending, contiguous tiers; the last one may be unbounded (upToFen null). */
  tiers: { upToFen: bigint | null; rateBp: number }[];
  capFen: bigint;
}

/**
 * The formula seen in practice (domain "Policies"): the unpaid amount up to ¥30,000 in full,
 * above it ¥30,000 + 10% of the excess, at most ¥100,000 per applicant per case.
 */
export const STANDARD_FORMULA: PayoutFormula = {
  tiers: [
    { upToFen: 3_000_000n, rateBp: 10_000 },
    { upToFen: null, rateBp: 1_000 },
  ],
  capFen: 10_000_000n,
};

/**
 * The aid a policy's formula gives for an unpaid amount: each tier pays its rate on the part of
 * the amount inside it, the sum is capped. Integer arithmetic; each tier's share is rounded down
 * to the fen (a creditor is never awarded a fraction the formula does not give).
 */
export function computePayout(unpaidFen: bigint, formula: PayoutFormula): bigint {
  if (unpaidFen <= 0n) return 0n;
  let total = 0n;
  let lower = 0n;
  for (const tier of formula.tiers) {
    const upper = tier.upToFen ?? unpaidFen;
    const top = unpaidFen < upper ? unpaidFen : upper;
    if (top > lower) total += ((top - lower) * BigInt(tier.rateBp)) / 10_000n;
    if (tier.upToFen === null || unpaidFen <= tier.upToFen) break;
    lower = tier.upToFen;
  }
  return total < formula.capFen ? total : formula.capFen;
}

/** Checks a formula's shape; returns the i18n keys of what is wrong (empty when valid). */
export function formulaErrors(formula: PayoutFormula): string[] {
  const errors: string[] = [];
  if (formula.tiers.length === 0) errors.push('aidValidation.formulaNoTiers');
  let previous = 0n;
  formula.tiers.forEach((t, i) => {
    if (!Number.isInteger(t.rateBp) || t.rateBp < 0 || t.rateBp > 10_000)
      errors.push('aidValidation.formulaRate');
    if (t.upToFen === null && i !== formula.tiers.length - 1) errors.push('aidValidation.formulaOpenTier');
    if (t.upToFen !== null && t.upToFen <= previous) errors.push('aidValidation.formulaOrder');
    if (t.upToFen !== null) previous = t.upToFen;
  });
  if (formula.capFen <= 0n) errors.push('aidValidation.formulaCap');
  return [...new Set(errors)];
}

export const formulaToJson = (f: PayoutFormula): PayoutFormulaJson => ({
  tiers: f.tiers.map((t) => ({
    upToFen: t.upToFen === null ? null : t.upToFen.toString(),
    rateBp: t.rateBp,
  })),
  capFen: f.capFen.toString(),
});

export const formulaFromJson = (f: PayoutFormulaJson): PayoutFormula => ({
  tiers: f.tiers.map((t) => ({ upToFen: t.upToFen === null ? null : BigInt(t.upToFen), rateBp: t.rateBp })),
  capFen: BigInt(f.capFen),
});

/** The most a claim may be awarded: the formula's amount, and never more than was asked for. */
export const awardCeiling = (requestedFen: bigint, computedFen: bigint) =>
  requestedFen < computedFen ? requestedFen : computedFen;

/** Above the court's authority the adjudication committee decides (domain "Claims": e.g. > ¥50,000). */
export const DEFAULT_COMMITTEE_THRESHOLD_FEN = 5_000_000n;
export const needsCommittee = (amountFen: bigint, thresholdFen: bigint) => amountFen > thresholdFen;

// ---- Claim state machine --------------------------------------------------------------------

/**
 * The review chain (issue 5 §3, domain "Claims"): draft → submitted ⇄ returned → court review →
 * (committee above the court's authority) → court approved | rejected → insurer review → insurer
 * approved (full or partial) | declined → payment → paid → closed. A claim in payment whose
 * unpaid rest can no longer be paid (e.g. the payee died without heirs) may be closed, giving the
 * rest back to the policy limit.
 */
export const CLAIM_TRANSITIONS: Record<AidClaimStatus, readonly AidClaimStatus[]> = {
  draft: ['submitted', 'withdrawn'],
  submitted: ['returned', 'court_review', 'withdrawn'],
  returned: ['submitted', 'withdrawn'],
  court_review: ['returned', 'committee_review', 'court_approved', 'rejected'],
  committee_review: ['court_approved', 'rejected'],
  court_approved: ['insurer_review'],
  rejected: [],
  insurer_review: ['insurer_approved', 'declined'],
  insurer_approved: ['payment'],
  declined: [],
  payment: ['paid', 'closed'],
  paid: ['closed'],
  closed: [],
  withdrawn: [],
};

export const CLAIM_STATUSES = Object.keys(CLAIM_TRANSITIONS) as AidClaimStatus[];

export const canTransitionClaim = (from: AidClaimStatus, to: AidClaimStatus) =>
  CLAIM_TRANSITIONS[from].includes(to);

/** The refusal of a move the state machine does not allow. */
export const badTransition = (from: AidClaimStatus, to: AidClaimStatus) =>
  new DomainError('conflict', 'aidErrors.badTransition', { params: { from, to } });

/** Claims still waiting for the decision on aid (the 10-working-day clock runs). */
export const AWAITING_DECISION: readonly AidClaimStatus[] = [
  'submitted',
  'court_review',
  'committee_review',
  'court_approved',
  'insurer_review',
];

/** What an insurer sees of a court's claims: from the court's approval on, never the court's own work in progress. */
export const INSURER_VISIBLE: readonly AidClaimStatus[] = [
  'court_approved',
  'insurer_review',
  'insurer_approved',
  'declined',
  'payment',
  'paid',
  'closed',
];

/** Claims that count as decided for approval and rejection rates. */
export const APPROVED_STATUSES: readonly AidClaimStatus[] = ['insurer_approved', 'payment', 'paid', 'closed'];
export const REFUSED_STATUSES: readonly AidClaimStatus[] = ['rejected', 'declined'];

/** Documents the applicant must have supplied before the claim can be submitted (domain "Claims"). */
export function requiredDocuments(
  caseType: AidCaseType,
  eligibility: 'terminated_without_property' | 'other',
): AidDocumentKind[] {
  const kinds: AidDocumentKind[] = ['application', 'identity', 'judgment', 'hardship', 'bank_account'];
  if (eligibility === 'terminated_without_property') kinds.push('termination_ruling');
  // Harm is what these claims are about; a wage or support claim proves the debt by the judgment.
  if (caseType === 'criminal_incidental' || caseType === 'personal_injury' || caseType === 'medical')
    kinds.push('harm');
  return kinds;
}

export const missingDocuments = (
  caseType: AidCaseType,
  eligibility: 'terminated_without_property' | 'other',
  present: readonly AidDocumentKind[],
) => requiredDocuments(caseType, eligibility).filter((k) => !present.includes(k));

/** Documents may be added while the applicant's side holds the claim. */
export const DOCUMENTS_OPEN: readonly AidClaimStatus[] = ['draft', 'returned', 'submitted'];

// ---- Payments -------------------------------------------------------------------------------

/** The disbursement purpose of aid payments: each disbursement's subject is the claim it pays. */
export const AID_PURPOSE = 'aid_claim';

/** The unpaid part of an award not yet in any payment: what a new payment may carry. */
export function unscheduledFen(a: {
  approvedFen: bigint | null;
  paidFen: bigint;
  releasedFen: bigint;
  inFlightFen: bigint;
}): bigint {
  if (a.approvedFen === null) return 0n;
  const rest = a.approvedFen - a.paidFen - a.releasedFen - a.inFlightFen;
  return rest > 0n ? rest : 0n;
}

// ---- Ledger accounts ------------------------------------------------------------------------
// ADR 009. All aid accounts are of kind `aid_policy` (the kind the ledger offers for aid) and
// never go below zero; the outside world is mirrored by gateway_clearing accounts.

export const ledgerCodes = {
  /** What is left of the policy's aggregate limit. */
  limit: (policyId: string) => `aid_policy:${policyId}`,
  /** Awarded to the claim and not yet sent to the bank. */
  payable: (policyId: string, claimId: string) => `aid_policy:${policyId}:claim:${claimId}`,
  /** Sent to the bank and not yet confirmed or failed. */
  inTransit: (policyId: string, claimId: string) => `aid_policy:${policyId}:claim:${claimId}:sent`,
  /** The insurer's cover granted through policies (outside the system). */
  cover: (insurerId: string) => `gateway_clearing:aid-cover:${insurerId}`,
  /** Aid that reached creditors' bank accounts. */
  paidOut: (insurerId: string) => `gateway_clearing:aid-paid:${insurerId}`,
  /** Recovered aid returned to the insurer. */
  recovered: (insurerId: string) => `gateway_clearing:aid-recovered:${insurerId}`,
  /** Recovered money that reached the insurer without passing through a case account. */
  recoveryReceived: (insurerId: string) => `gateway_clearing:aid-recovery-in:${insurerId}`,
  /** 一案一账号: money collected on the case (auction proceeds, debtor payments). */
  caseAccount: (caseId: string) => `case:${caseId}`,
};

// ---- Working days ---------------------------------------------------------------------------
// The national arrangement of holidays and make-up working days (调休) is data in server/calendar.

export { addWorkingDays, beijingDate, isWorkingDay } from '../calendar/working-days.js';

/** Domain "Claims": a decision within 10 working days of the application. */
export const DECISION_WORKING_DAYS = 10;
export const decisionDueAt = (submittedAt: Date) => addWorkingDays(submittedAt, DECISION_WORKING_DAYS);

export const isOverdue = (c: { status: AidClaimStatus; decisionDueAt: Date | string | null }, now: Date) =>
  AWAITING_DECISION.includes(c.status) &&
  c.decisionDueAt !== null &&
  new Date(c.decisionDueAt).getTime() <= now.getTime();

/** The instant a Beijing month (`YYYY-MM`) begins. */
export function monthStart(month: string): Date {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 1) - BEIJING_OFFSET_MS);
}

/** Every month from `from` to `to`, inclusive (`YYYY-MM`). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let guard = 0; guard < 600; guard++) {
    const s = `${y}-${String(m).padStart(2, '0')}`;
    if (s > to) break;
    out.push(s);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/** Bank account numbers shown with all but the last four digits hidden. */
export const maskAccount = (n: string) =>
  n.length <= 4 ? n : `${'*'.repeat(Math.min(12, n.length - 4))}${n.slice(-4)}`;
