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
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { caseParties, cases } from './cases.js';
import { organisations, users } from './identity.js';

/**
 * Case funds (server/funds, ADR 015; shared/domain/case-funds.md): what a case owes and to whom,
 * the distribution plan (分配方案) with its objection clocks, and its payment to the creditors
 * through the disbursements module (purpose `distribution`). Money is integer fen.
 */

export const fundCostKind = pgEnum('fund_cost_kind', [
  'appraisal',
  'auction',
  'notice',
  'storage',
  'application_fee',
  'other',
  // 财产调查规定 art. 24: an informant's bounty reward, deducted from the money recovered (ADR 022).
  'bounty_reward',
]);

/** Execution costs (执行费用, 执行规定 art. 34): paid first, to the court's costs account. */
export const fundCosts = pgTable(
  'fund_costs',
  {
    id: uuid().primaryKey().defaultRandom(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    kind: fundCostKind().notNull(),
    amountFen: bigint({ mode: 'bigint' }).notNull(),
    note: text().notNull().default(''),
    recordedBy: uuid()
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index('fund_costs_case_idx').on(t.caseId),
    check('fund_costs_amount', sql`${t.amountFen} > 0`),
    check('fund_costs_no_fee', sql`${t.kind} <> 'application_fee'`),
  ],
);

export const fundClaimClass = pgEnum('fund_claim_class', [
  'construction',
  'tax_before_mortgage',
  'secured',
  'tax_after_mortgage',
  'labour',
  'ordinary',
]);
/** The case's own applicant, or a creditor who joined the distribution (参与分配, 民诉法解释 arts. 506-507). */
export const fundClaimOrigin = pgEnum('fund_claim_origin', ['applicant', 'joined']);

/**
 * A creditor's claim on the case's money. Interest is what the title states to the cut-off date;
 * delay interest (加倍部分债务利息) is computed to the plan's cut-off date from `delayFrom`.
 * `sequence` orders claims by recording: the earlier claim wins a tie of remainders.
 */
export const fundClaims = pgTable(
  'fund_claims',
  {
    id: uuid().primaryKey().defaultRandom(),
    sequence: bigserial({ mode: 'number' }).notNull(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    /** The creditor as a party of the case (an applicant, or added when he joined). */
    partyId: uuid()
      .notNull()
      .references(() => caseParties.id),
    origin: fundClaimOrigin().notNull(),
    class: fundClaimClass().notNull(),
    /** The enforcement title (执行依据) or, for a priority right without one, the right's document. */
    titleNumber: text().notNull(),
    principalFen: bigint({ mode: 'bigint' }).notNull(),
    interestFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    /** Delay interest runs from this day (the day after the performance period ended). */
    delayFrom: date({ mode: 'string' }),
    /** Security interests: created or registered on (art. 55). */
    registeredOn: date({ mode: 'string' }),
    /** Company debtor: the creditor's place in the order of seizure (art. 514). */
    seizureRank: integer(),
    payeeName: text().notNull(),
    bankName: text().notNull(),
    accountNumber: text().notNull(),
    /** Paid to him so far, over every plan (confirmed payments and aid deducted from his share). */
    paidFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    recordedBy: uuid()
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index('fund_claims_case_idx').on(t.caseId, t.sequence),
    check('fund_claims_amounts', sql`${t.principalFen} >= 0 and ${t.interestFen} >= 0 and ${t.paidFen} >= 0`),
    check('fund_claims_secured_registered', sql`${t.class} <> 'secured' or ${t.registeredOn} is not null`),
  ],
);

/** A court's order of the ranked classes (the statutory order when it has none). */
export const fundCourtRules = pgTable('fund_court_rules', {
  courtId: uuid()
    .primaryKey()
    .references(() => organisations.id),
  /** The ranked classes in order, e.g. `['construction','tax_before_mortgage','secured','tax_after_mortgage','labour']`. */
  classOrder: jsonb().$type<string[]>().notNull(),
  updatedBy: uuid()
    .notNull()
    .references(() => users.id),
  updatedAt: timestamp({ withTimezone: true }).notNull(),
});

/**
 * draft (the clerk) → served (a 15-day objection clock per recipient from his service) → final
 * (every clock ran out; a disputed amount stays set aside while its suit runs) → approved for
 * payment (a second person: maker-checker) → paid (every payable share confirmed by the bank).
 * A plan is superseded by a new draft (before approval, or when an unopposed objection revises it).
 */
export const fundPlanStatus = pgEnum('fund_plan_status', [
  'draft',
  'served',
  'final',
  'approved',
  'paid',
  'superseded',
]);

export const fundPlans = pgTable(
  'fund_plans',
  {
    id: uuid().primaryKey().defaultRandom(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    /** `<case number>分配之<n>`. */
    number: text().notNull(),
    status: fundPlanStatus().notNull(),
    poolFen: bigint({ mode: 'bigint' }).notNull(),
    /** Interest and delay interest run to this Beijing day. */
    cutoffOn: date({ mode: 'string' }).notNull(),
    debtorKind: text().notNull(),
    classOrder: jsonb().$type<string[]>().notNull(),
    orderSource: text().notNull(),
    ordinaryRule: text().notNull(),
    applicationFeeFen: bigint({ mode: 'bigint' }).notNull(),
    surplusFen: bigint({ mode: 'bigint' }).notNull(),
    draftedBy: uuid()
      .notNull()
      .references(() => users.id),
    draftedAt: timestamp({ withTimezone: true }).notNull(),
    approvedBy: uuid().references(() => users.id),
    approvedAt: timestamp({ withTimezone: true }),
    documentKey: text(),
    documentSha256: text(),
    finalAt: timestamp({ withTimezone: true }),
    paidAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('fund_plans_number_key').on(t.number),
    index('fund_plans_case_idx').on(t.caseId, t.draftedAt),
    index('fund_plans_court_idx').on(t.courtId, t.status),
    // One live plan per case.
    uniqueIndex('fund_plans_live_key').on(t.caseId).where(sql`status not in ('paid', 'superseded')`),
    check('fund_plans_maker_checker', sql`${t.approvedBy} is null or ${t.approvedBy} <> ${t.draftedBy}`),
  ],
);

/** One line of a plan: a cost, a claim in one class, or the surplus to the debtor; the rule it applied. */
export const fundPlanLines = pgTable(
  'fund_plan_lines',
  {
    id: uuid().primaryKey().defaultRandom(),
    planId: uuid()
      .notNull()
      .references(() => fundPlans.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    kind: text().notNull(),
    costId: uuid().references(() => fundCosts.id),
    claimId: uuid().references(() => fundClaims.id),
    class: text().notNull(),
    rank: integer().notNull(),
    rule: text().notNull(),
    /** For a claim line: its principal, interest and delay interest to the cut-off date. */
    principalFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    interestFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    delayInterestFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    demandFen: bigint({ mode: 'bigint' }).notNull(),
    allocatedFen: bigint({ mode: 'bigint' }).notNull(),
    /** Disputed in a suit, or unreachable payee: set aside (提存). */
    setAsideFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    /** Enforcement aid deducted from this share and returned to the insurer. */
    aidRecoveredFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
    /** Confirmed by the bank (or booked, for costs and the surplus). */
    paidFen: bigint({ mode: 'bigint' }).notNull().default(sql`0`),
  },
  (t) => [
    uniqueIndex('fund_plan_lines_position_key').on(t.planId, t.position),
    index('fund_plan_lines_claim_idx').on(t.claimId),
    check(
      'fund_plan_lines_money',
      sql`${t.allocatedFen} >= 0 and ${t.allocatedFen} <= ${t.demandFen} and ${t.setAsideFen} >= 0 and ${t.paidFen} >= 0 and ${t.aidRecoveredFen} >= 0 and ${t.paidFen} + ${t.aidRecoveredFen} <= ${t.allocatedFen}`,
    ),
  ],
);

/** Who the plan is served on: every creditor of it and the debtor; each has 15 days from his service. */
export const fundPlanRecipients = pgTable(
  'fund_plan_recipients',
  {
    id: uuid().primaryKey().defaultRandom(),
    planId: uuid()
      .notNull()
      .references(() => fundPlans.id, { onDelete: 'cascade' }),
    partyId: uuid()
      .notNull()
      .references(() => caseParties.id),
    role: text().notNull(),
    name: text().notNull(),
    servedOn: date({ mode: 'string' }),
    /** The end of the objection period: 15 days after service, inclusive of the 15th day. */
    objectionDueAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex('fund_plan_recipients_key').on(t.planId, t.partyId)],
);

/**
 * An objection (arts. 509-510): filed → (the others told, 15 days) → revised (nobody opposed) |
 * opposed (15 days to sue) → lapsed (no suit: the plan stands) | in_suit (the disputed amount set
 * aside) → decided.
 */
export const fundObjectionStatus = pgEnum('fund_objection_status', [
  'filed',
  'revised',
  'opposed',
  'lapsed',
  'in_suit',
  'decided',
]);

export const fundObjections = pgTable(
  'fund_objections',
  {
    id: uuid().primaryKey().defaultRandom(),
    planId: uuid()
      .notNull()
      .references(() => fundPlans.id),
    recipientId: uuid()
      .notNull()
      .references(() => fundPlanRecipients.id),
    /** The line it disputes and the amount in dispute (set aside during a suit). */
    lineId: uuid()
      .notNull()
      .references(() => fundPlanLines.id),
    disputedFen: bigint({ mode: 'bigint' }).notNull(),
    reason: text().notNull(),
    status: fundObjectionStatus().notNull(),
    filedAt: timestamp({ withTimezone: true }).notNull(),
    filedBy: uuid()
      .notNull()
      .references(() => users.id),
    oppositionDueAt: timestamp({ withTimezone: true }).notNull(),
    suitDueAt: timestamp({ withTimezone: true }),
    decidedAt: timestamp({ withTimezone: true }),
    /** The suit's result: the amount the objector wins from the disputed line. */
    awardedFen: bigint({ mode: 'bigint' }),
  },
  (t) => [
    index('fund_objections_plan_idx').on(t.planId),
    check('fund_objections_disputed', sql`${t.disputedFen} > 0`),
  ],
);

/** Why the release of a case's money is deferred past its 30 days (执行款物管理规定). */
export const fundDeferralReason = pgEnum('fund_deferral_reason', [
  'distribution_pending',
  'applicant_funds_frozen',
  'applicant_not_collecting',
  'case_suspended',
  'other',
]);

/**
 * A case's money waiting to leave: the 30 days from its arrival, an approved deferral, the mark
 * the durable job sets when the deadline passes (the bureau's overdue queue). One row per case.
 */
export const fundReleases = pgTable('fund_releases', {
  caseId: uuid()
    .primaryKey()
    .references(() => cases.id),
  courtId: uuid()
    .notNull()
    .references(() => organisations.id),
  arrivedAt: timestamp({ withTimezone: true }).notNull(),
  dueAt: timestamp({ withTimezone: true }).notNull(),
  overdueAt: timestamp({ withTimezone: true }),
  deferralReason: fundDeferralReason(),
  deferralNote: text(),
  deferralRequestedBy: uuid().references(() => users.id),
  deferralApprovedBy: uuid().references(() => users.id),
  deferralApprovedAt: timestamp({ withTimezone: true }),
  releasedAt: timestamp({ withTimezone: true }),
});

/** The case's funds timeline: plan, service, objections, payments, aid recovered, closure. */
export const fundEvents = pgTable(
  'fund_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    planId: uuid().references(() => fundPlans.id),
    kind: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    actorId: uuid().references(() => users.id),
    amountFen: bigint({ mode: 'bigint' }),
    data: jsonb().$type<Record<string, string>>().notNull().default({}),
  },
  (t) => [index('fund_events_case_idx').on(t.caseId, t.at)],
);

export type FundCost = typeof fundCosts.$inferSelect;
export type FundClaim = typeof fundClaims.$inferSelect;
export type FundPlan = typeof fundPlans.$inferSelect;
export type FundPlanStatus = (typeof fundPlanStatus.enumValues)[number];
export type FundPlanLine = typeof fundPlanLines.$inferSelect;
export type FundPlanRecipient = typeof fundPlanRecipients.$inferSelect;
export type FundObjection = typeof fundObjections.$inferSelect;
export type FundObjectionStatus = (typeof fundObjectionStatus.enumValues)[number];
export type FundRelease = typeof fundReleases.$inferSelect;
export type FundDeferralReason = (typeof fundDeferralReason.enumValues)[number];
export type FundEvent = typeof fundEvents.$inferSelect;
