import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { cases } from './cases.js';
import { fundCosts } from './funds.js';
import { organisations, users } from './identity.js';

/**
 * Bounty notices (悬赏执行, 财产调查规定 arts. 21-24; ADR 022): the applicant's written application
 * recorded by the court, decided within 10 days, published for a period; tips registered in the
 * order of arrival, confidential to the case's court (every reading logged); the reward computed
 * from what the lead recovered and deducted as a cost of the case's distribution.
 */

/** applied (the written application, recorded) → published (approved) | rejected; published → closed. */
export const bountyNoticeStatus = pgEnum('bounty_notice_status', [
  'applied',
  'published',
  'rejected',
  'closed',
]);
export const bountyRewardKind = pgEnum('bounty_reward_kind', ['fixed', 'percent']);
export const bountyScope = pgEnum('bounty_scope', ['property', 'whereabouts', 'both']);

export const bountyNotices = pgTable(
  'bounty_notices',
  {
    id: uuid().primaryKey().defaultRandom(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    status: bountyNoticeStatus().notNull().default('applied'),
    /** Art. 21: the applicant, the date of his written application, the court's 10 days. */
    applicantName: text().notNull(),
    appliedOn: date({ mode: 'string' }).notNull(),
    decisionDueOn: date({ mode: 'string' }).notNull(),
    /** Art. 22: the amount or formula: a fixed sum, or basis points of the money recovered, with a cap. */
    rewardKind: bountyRewardKind().notNull(),
    rewardFen: bigint({ mode: 'number' }),
    rewardBasisPoints: integer(),
    capFen: bigint({ mode: 'number' }),
    scope: bountyScope().notNull(),
    channels: text().array().notNull(),
    /** The conditions for claiming, as the notice prints them. */
    terms: text().notNull(),
    /** What the notice publishes of the debtor (the photo is not kept). */
    debtorName: text().notNull(),
    debtorIdPublished: text().notNull(),
    lastKnownAddress: text().notNull(),
    unpaidFen: bigint({ mode: 'number' }).notNull(),
    publishFrom: date({ mode: 'string' }).notNull(),
    publishUntil: date({ mode: 'string' }).notNull(),
    preparedBy: uuid().references(() => users.id),
    decidedBy: uuid().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    rejectionReason: text(),
    closedAt: timestamp({ withTimezone: true }),
    closedReason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index('bounty_notices_case_idx').on(t.caseId),
    index('bounty_notices_published_idx').on(t.publishUntil).where(sql`status = 'published'`),
    check(
      'bounty_notices_formula',
      sql`(${t.rewardKind} = 'fixed' and ${t.rewardFen} > 0) or (${t.rewardKind} = 'percent' and ${t.rewardBasisPoints} between 1 and 10000)`,
    ),
    check('bounty_notices_period', sql`${t.publishUntil} >= ${t.publishFrom}`),
  ],
);

export const bountyLeadKind = pgEnum('bounty_lead_kind', ['property', 'whereabouts']);
/** received → valid (verified) → awarded; or invalid (with its outcome). */
export const bountyTipStatus = pgEnum('bounty_tip_status', ['received', 'valid', 'invalid', 'awarded']);
export const bountyTipOutcome = pgEnum('bounty_tip_outcome', [
  'not_useful', // the lead led nowhere
  'already_known', // art. 24: the court already held the lead
  'duplicate', // art. 23: an earlier tip gave the same lead
  'ineligible', // art. 24: the applicant's agent, a person obliged to report
]);

export const bountyTips = pgTable(
  'bounty_tips',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Art. 23: the order of arrival by the server's clock; the first of identical leads counts. */
    seq: bigserial({ mode: 'number' }).notNull().unique(),
    noticeId: uuid()
      .notNull()
      .references(() => bountyNotices.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
    /** The sender's form key: a retried submission finds its tip and its receipt again. */
    submissionKey: uuid().notNull(),
    /** SHA-256 of the receipt code the informant follows his tip with. */
    receiptHash: text().notNull().unique(),
    leadKind: bountyLeadKind().notNull(),
    /** Art. 23: the lead and the informant are confidential: sealed with the PII key. */
    leadSealed: text().notNull(),
    /** A keyed digest of the lead as normalised: identical leads are found by it. */
    leadDigest: text().notNull(),
    informantSealed: text().notNull(),
    informantUserId: uuid().references(() => users.id),
    /** The informant declared he is neither the applicant's agent nor obliged to report (art. 24). */
    declaredEligible: boolean().notNull(),
    status: bountyTipStatus().notNull().default('received'),
    outcome: bountyTipOutcome(),
    /** The earlier tip that gave the same lead (art. 23). */
    duplicateOfId: uuid(),
    assessmentNote: text(),
    assessedBy: uuid().references(() => users.id),
    assessedAt: timestamp({ withTimezone: true }),
    /** The money recovered through the lead, the reward it earns, and what the distribution deducts. */
    recoveredFen: bigint({ mode: 'number' }),
    rewardFen: bigint({ mode: 'number' }),
    deductedFen: bigint({ mode: 'number' }),
    fundCostId: uuid().references(() => fundCosts.id),
    awardedBy: uuid().references(() => users.id),
    awardedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique('bounty_tips_submission').on(t.noticeId, t.submissionKey),
    index('bounty_tips_notice_idx').on(t.noticeId, t.seq),
    index('bounty_tips_court_pending_idx').on(t.courtId).where(sql`status = 'received'`),
  ],
);

/** Every reading of a tip's content and informant by staff (art. 23): who, when, why. */
export const bountyTipAccess = pgTable(
  'bounty_tip_access',
  {
    id: uuid().primaryKey().defaultRandom(),
    tipId: uuid()
      .notNull()
      .references(() => bountyTips.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    purpose: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('bounty_tip_access_tip_idx').on(t.tipId, t.at)],
);

export type BountyNotice = typeof bountyNotices.$inferSelect;
export type BountyTip = typeof bountyTips.$inferSelect;
export type BountyTipOutcome = (typeof bountyTipOutcome.enumValues)[number];
