/**
 * Disbursement rules, pure (no database, no clock): the payment and batch state machines, the
 * bank files' columns, and what a viewer may do with a payer's desk, a batch or a payment now
 * (ADR 010 affordances). Each purpose (enforcement aid, case-fund payouts) names its own
 * permissions and the catalog its refusals are worded in; the rules are the same for all.
 * Domain reference: shared/domain/enforcement-aid.md ("Disbursements to creditors"),
 * case-funds.md ("Payout approval forms: a second person approves").
 */
import type {
  DisbursementBatchStatus,
  DisbursementFailure,
  DisbursementStatus,
} from '../../db/schema/disbursements.js';
import type { Decisions } from '../affordances.js';
import { DomainError, type ErrorCode } from '../errors.js';
import { type Actor, type Permission, permissionRefusal } from '../identity/permissions.js';

/** Domain "Disbursements": scheduled → approved → sent → confirmed, or failed → reissued | cancelled. */
export const PAYMENT_TRANSITIONS: Record<DisbursementStatus, readonly DisbursementStatus[]> = {
  scheduled: ['approved', 'cancelled'],
  approved: ['sent'],
  sent: ['confirmed', 'failed'],
  confirmed: [],
  failed: ['reissued', 'cancelled'],
  reissued: [],
  cancelled: [],
};
export const canTransitionPayment = (from: DisbursementStatus, to: DisbursementStatus) =>
  PAYMENT_TRANSITIONS[from].includes(to);

/** Payments whose money is still on its way: they block closing what they pay and count as scheduled. */
export const IN_FLIGHT: readonly DisbursementStatus[] = ['scheduled', 'approved', 'sent'];

export const BATCH_TRANSITIONS: Record<DisbursementBatchStatus, readonly DisbursementBatchStatus[]> = {
  prepared: ['approved'],
  approved: ['sent'],
  sent: ['settled'],
  settled: [],
};

/** Columns of the transfer file sent to the bank. */
export const BANK_EXPORT_HEADER = [
  'reference',
  'payee_name',
  'bank_name',
  'account_number',
  'amount',
  'currency',
  'memo',
] as const;
/** Columns of the bank's confirmation file; `status` is SUCCESS or FAILED, `reason` a failure code. */
export const BANK_CONFIRMATION_HEADER = [
  'reference',
  'status',
  'amount',
  'bank_reference',
  'reason',
] as const;

/** The bank's failure codes; anything else is `other`, with the code kept as the note. */
export const FAILURE_CODES: Record<string, DisbursementFailure> = {
  WRONG_ACCOUNT: 'wrong_account',
  PAYEE_UNREACHABLE: 'payee_unreachable',
  DECEASED: 'deceased',
  OTHER: 'other',
};

/** What a purpose calls the steps' permissions, and the catalog its refusals are worded in. */
export interface PurposePolicy {
  permissions: {
    /** See the payer's batches and payments. */
    read: Permission;
    /** Prepare a batch (the maker), reissue or cancel a failed payment. */
    prepare: Permission;
    /** Approve a batch (the checker). */
    approve: Permission;
    /** Export the bank file and import the bank's confirmations. */
    send: Permission;
  };
  /**
   * i18n namespace of the refusals: it must hold `selfApproval`, `batchNotApproved`,
   * `badBatchTransition`, `badPaymentTransition` and `badConfirmationFile`.
   */
  messages: string;
}

export function refusal(
  policy: PurposePolicy,
  code: ErrorCode,
  key: string,
  details: ConstructorParameters<typeof DomainError>[2] = {},
) {
  return new DomainError(code, `${policy.messages}.${key}`, details);
}

export const badPaymentTransition = (
  policy: PurposePolicy,
  from: DisbursementStatus,
  to: DisbursementStatus,
) => refusal(policy, 'conflict', 'badPaymentTransition', { params: { from, to } });
export const badBatchTransition = (
  policy: PurposePolicy,
  from: DisbursementBatchStatus,
  to: DisbursementBatchStatus,
) => refusal(policy, 'conflict', 'badBatchTransition', { params: { from, to } });

export type DeskAction = 'prepare' | 'import';
export type BatchAction = 'approve' | 'export';
export type PaymentAction = 'reissue' | 'cancel';

/** The payer's desk: preparing a batch, importing the bank's confirmations. */
export function decideDeskActions(actor: Actor, policy: PurposePolicy): Decisions<DeskAction> {
  return {
    prepare: permissionRefusal(actor, policy.permissions.prepare),
    import: permissionRefusal(actor, policy.permissions.send),
  };
}

/**
 * A batch: the checker approves a prepared batch, never one he prepared nor one holding a payment
 * he prepared (maker-checker); an approved batch is exported, and exported again as often as
 * needed (the first export sends it).
 */
export function decideBatchActions(
  actor: Actor,
  policy: PurposePolicy,
  batch: { status: DisbursementBatchStatus; preparedBy: string },
  payments: readonly { preparedBy: string }[],
): Decisions<BatchAction> {
  const own = batch.preparedBy === actor.userId || payments.some((p) => p.preparedBy === actor.userId);
  return {
    approve:
      permissionRefusal(actor, policy.permissions.approve) ??
      (own
        ? refusal(policy, 'forbidden', 'selfApproval')
        : BATCH_TRANSITIONS[batch.status].includes('approved')
          ? null
          : badBatchTransition(policy, batch.status, 'approved')),
    export:
      permissionRefusal(actor, policy.permissions.send) ??
      (batch.status === 'prepared' ? refusal(policy, 'conflict', 'batchNotApproved') : null),
  };
}

/** A payment the bank refused is sent again (reissued, to a corrected account) or given up. */
export function decidePaymentActions(
  actor: Actor,
  policy: PurposePolicy,
  payment: { status: DisbursementStatus },
): Decisions<PaymentAction> {
  const move = (to: DisbursementStatus) =>
    permissionRefusal(actor, policy.permissions.prepare) ??
    (canTransitionPayment(payment.status, to) ? null : badPaymentTransition(policy, payment.status, to));
  return { reissue: move('reissued'), cancel: move('cancelled') };
}
