import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { caseParties, cases } from './cases.js';
import { organisations, users } from './identity.js';

/**
 * Enforcement-aid insurance (执行救助保险): policies a court holds with an insurer, aid claims of
 * creditors in hardship and their review chain, recoveries. The payments to creditors are
 * disbursements (db/schema/disbursements.ts) of purpose `aid_claim` whose subject is the claim.
 * Money is integer fen; the policy limit and every payout also live in the ledger (ADR 006,
 * ADR 009): the columns here that sum money (paid_fen, recovered_fen) are kept in step with the
 * ledger inside the same transaction and exist for listing and reporting.
 */

export const aidCaseType = pgEnum('aid_case_type', [
  'criminal_incidental', // 刑事附带民事
  'personal_injury', // 人身损害赔偿
  'unpaid_wages', // 追索劳动报酬
  'support', // 赡养费、扶养费、抚养费
  'medical', // 医疗费
  'other',
]);

export const aidClaimStatus = pgEnum('aid_claim_status', [
  'draft',
  'submitted',
  'returned', // 退回补正材料
  'court_review', // 执行局审查（入户调查、社区核实）
  'committee_review', // 审判委员会（超出法院审批权限）
  'court_approved',
  'rejected',
  'insurer_review',
  'insurer_approved',
  'declined',
  'payment',
  'paid',
  'closed',
  'withdrawn',
]);

export const aidEligibility = pgEnum('aid_eligibility', ['terminated_without_property', 'other']);
export const aidFiledVia = pgEnum('aid_filed_via', ['clerk', 'oral', 'creditor']);

export const aidDocumentKind = pgEnum('aid_document_kind', [
  'application', // 救助申请书
  'identity', // 身份证明
  'judgment', // 生效法律文书
  'termination_ruling', // 终本裁定
  'hardship', // 生活困难证明
  'harm', // 损害证明
  'bank_account', // 银行账户
]);

export const aidRecoveryKind = pgEnum('aid_recovery_kind', ['subrogation', 'fraud_clawback']);
export const aidRecoverySource = pgEnum('aid_recovery_source', ['case_account', 'external']);
export const aidRecoveryStatus = pgEnum('aid_recovery_status', ['recoverable', 'returned']);

/** One tier of a payout formula: the part of the unpaid amount up to `upToFen` paid at `rateBp`/10000. */
export interface PayoutTier {
  /** Upper bound of the tier in fen, as a decimal string (JSON has no bigint); null = no bound. */
  upToFen: string | null;
  /** Basis points: 10000 = paid in full, 1000 = 10%. */
  rateBp: number;
}
export interface PayoutFormulaJson {
  tiers: PayoutTier[];
  /** Cap per applicant per case, fen as a decimal string. */
  capFen: string;
}

/** Per-court settings of the aid review: the amount above which the adjudication committee decides. */
export const aidCourtSettings = pgTable('aid_court_settings', {
  courtId: uuid()
    .primaryKey()
    .references(() => organisations.id),
  committeeThresholdFen: bigint({ mode: 'bigint' }).notNull(),
  updatedBy: uuid().references(() => users.id),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** 执行救助保险保单: the court is the policyholder, creditors in hardship the beneficiaries. */
export const aidPolicies = pgTable(
  'aid_policies',
  {
    id: uuid().primaryKey().defaultRandom(),
    number: text().notNull(),
    insurerId: uuid()
      .notNull()
      .references(() => organisations.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    /** Claims submitted on these Beijing days (inclusive) are covered. */
    startsOn: date({ mode: 'string' }).notNull(),
    endsOn: date({ mode: 'string' }).notNull(),
    premiumFen: bigint({ mode: 'bigint' }).notNull(),
    /** Aggregate limit; what is left of it is the ledger balance of `aid_policy:<id>`. */
    limitFen: bigint({ mode: 'bigint' }).notNull(),
    currency: text().notNull().default('CNY'),
    eligibleCaseTypes: aidCaseType().array().notNull(),
    formula: jsonb().$type<PayoutFormulaJson>().notNull(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('aid_policies_number_key').on(t.number),
    index('aid_policies_insurer_idx').on(t.insurerId),
    index('aid_policies_court_idx').on(t.courtId),
    check('aid_policies_term', sql`${t.endsOn} >= ${t.startsOn}`),
    check('aid_policies_amounts', sql`${t.limitFen} > 0 and ${t.premiumFen} >= 0`),
  ],
);

/** Human-readable claim numbers (JZ2026000123). */
export const aidClaimSerial = pgSequence('aid_claim_serial', { startWith: 1 });

/** 救助申请: one creditor (申请执行人) of one enforcement case under one policy. */
export const aidClaims = pgTable(
  'aid_claims',
  {
    id: uuid().primaryKey().defaultRandom(),
    number: text().notNull(),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    policyId: uuid()
      .notNull()
      .references(() => aidPolicies.id),
    /** The policy's insurer, copied so insurer scoping is one indexed column. */
    insurerId: uuid()
      .notNull()
      .references(() => organisations.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    partyId: uuid()
      .notNull()
      .references(() => caseParties.id),
    applicantName: text().notNull(),
    applicantIdMasked: text(),
    /** The creditor's own platform account, when he has one (he may then file and follow it himself). */
    applicantUserId: uuid().references(() => users.id),
    caseType: aidCaseType().notNull(),
    eligibility: aidEligibility().notNull(),
    eligibilityNote: text(),
    hardship: text().notNull(),
    /** What the creditor is still owed on the case: the formula's input. */
    unpaidFen: bigint({ mode: 'bigint' }).notNull(),
    requestedFen: bigint({ mode: 'bigint' }).notNull(),
    /** The policy formula applied to unpaid_fen (tiers and cap), recomputed at each submission. */
    computedFen: bigint({ mode: 'bigint' }).notNull(),
    courtApprovedFen: bigint({ mode: 'bigint' }),
    /** The insurer's award: the amount reserved against the policy limit. */
    approvedFen: bigint({ mode: 'bigint' }),
    /** Reason of a partial award (approved < court approved). */
    approvalReason: text(),
    /** Sum of confirmed payments (the ledger's paid-out side for this claim). */
    paidFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    /** Unpaid remainder given back to the policy limit when the claim closed. */
    releasedFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    recoveredFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    payeeName: text().notNull(),
    bankName: text().notNull(),
    accountNumber: text().notNull(),
    accountVerifiedBy: uuid().references(() => users.id),
    accountVerifiedAt: timestamp({ withTimezone: true }),
    status: aidClaimStatus().notNull().default('draft'),
    filedVia: aidFiledVia().notNull(),
    filedBy: uuid()
      .notNull()
      .references(() => users.id),
    firstSubmittedAt: timestamp({ withTimezone: true }),
    submittedAt: timestamp({ withTimezone: true }),
    /** 10 working days after the latest submission (rules.ts decisionDueAt). */
    decisionDueAt: timestamp({ withTimezone: true }),
    /** The final decision: court rejection, insurer approval or decline. */
    decidedAt: timestamp({ withTimezone: true }),
    courtReviewerId: uuid().references(() => users.id),
    referredBy: uuid().references(() => users.id),
    courtDecidedBy: uuid().references(() => users.id),
    insurerDecidedBy: uuid().references(() => users.id),
    overdueNotifiedAt: timestamp({ withTimezone: true }),
    lastReason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('aid_claims_number_key').on(t.number),
    // Once per applicant per case (policy rule): a refused or withdrawn claim does not count.
    uniqueIndex('aid_claims_once_per_applicant')
      .on(t.caseId, t.partyId)
      .where(sql`status not in ('rejected', 'declined', 'withdrawn')`),
    index('aid_claims_court_idx').on(t.courtId, t.status),
    index('aid_claims_insurer_idx').on(t.insurerId, t.status),
    index('aid_claims_policy_idx').on(t.policyId),
    index('aid_claims_applicant_user_idx').on(t.applicantUserId),
    index('aid_claims_due_idx').on(t.decisionDueAt),
    check(
      'aid_claims_amounts',
      sql`${t.requestedFen} > 0 and ${t.unpaidFen} > 0 and ${t.computedFen} >= 0 and ${t.paidFen} >= 0
        and (${t.approvedFen} is null or ${t.paidFen} + ${t.releasedFen} <= ${t.approvedFen})
        and (${t.approvedFen} is null or ${t.approvedFen} <= ${t.courtApprovedFen})
        and (${t.courtApprovedFen} is null or ${t.courtApprovedFen} <= ${t.computedFen})
        and ${t.recoveredFen} <= ${t.paidFen}`,
    ),
  ],
);

export const aidClaimDocuments = pgTable(
  'aid_claim_documents',
  {
    id: uuid().primaryKey().defaultRandom(),
    claimId: uuid()
      .notNull()
      .references(() => aidClaims.id, { onDelete: 'cascade' }),
    kind: aidDocumentKind().notNull(),
    filename: text().notNull(),
    contentType: text().notNull(),
    size: integer().notNull(),
    sha256: text().notNull(),
    storageKey: text().notNull(),
    uploadedBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('aid_claim_documents_claim_idx').on(t.claimId)],
);

/** The claim's timeline: every transition (from/to) and every other event (documents, payments). */
export const aidClaimEvents = pgTable(
  'aid_claim_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    claimId: uuid()
      .notNull()
      .references(() => aidClaims.id, { onDelete: 'cascade' }),
    /** e.g. `submitted`, `court_approved`, `document`, `payment.confirmed`, `recovery.recorded`. */
    action: text().notNull(),
    from: aidClaimStatus(),
    to: aidClaimStatus(),
    at: timestamp({ withTimezone: true }).notNull(),
    actorId: uuid().references(() => users.id),
    amountFen: bigint({ mode: 'bigint' }),
    reason: text(),
    data: jsonb().$type<Record<string, unknown>>(),
  },
  (t) => [index('aid_claim_events_claim_idx').on(t.claimId, t.at)],
);

/** Aid paid that is owed back: subrogation from money later collected on the case, or a fraud claw-back. */
export const aidRecoveries = pgTable(
  'aid_recoveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    claimId: uuid()
      .notNull()
      .references(() => aidClaims.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    insurerId: uuid()
      .notNull()
      .references(() => organisations.id),
    kind: aidRecoveryKind().notNull(),
    source: aidRecoverySource().notNull(),
    amountFen: bigint({ mode: 'bigint' }).notNull(),
    note: text().notNull(),
    status: aidRecoveryStatus().notNull().default('recoverable'),
    recordedBy: uuid()
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp({ withTimezone: true }).notNull(),
    returnedBy: uuid().references(() => users.id),
    returnedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('aid_recoveries_claim_idx').on(t.claimId),
    check('aid_recoveries_amount', sql`${t.amountFen} > 0`),
  ],
);

export type AidPolicy = typeof aidPolicies.$inferSelect;
export type AidClaim = typeof aidClaims.$inferSelect;
export type AidClaimStatus = (typeof aidClaimStatus.enumValues)[number];
export type AidCaseType = (typeof aidCaseType.enumValues)[number];
export type AidDocumentKind = (typeof aidDocumentKind.enumValues)[number];
export type AidClaimDocument = typeof aidClaimDocuments.$inferSelect;
export type AidClaimEvent = typeof aidClaimEvents.$inferSelect;
export type AidRecovery = typeof aidRecoveries.$inferSelect;
