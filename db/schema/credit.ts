import { sql } from 'drizzle-orm';
import {
  bigint,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { caseMeasures, cases } from './cases.js';
import { organisations, users } from './identity.js';
import { outboxEndpoints } from './outbox.js';

/**
 * The dishonest-debtor list (失信被执行人名单) and consumption restrictions (限制消费令), ADR 019.
 * Identity numbers are never stored in plaintext: sealed (AES-GCM, the PII key), a keyed digest
 * (HMAC-SHA256) for the partners' indexed check, and the masked form the list publishes.
 */
export const creditSubjectKind = pgEnum('credit_subject_kind', ['person', 'company']);

/**
 * draft (prepared by the clerk) → decided (signed by the president, in force, art. 5) →
 * published (at once, or after the grace period) → deleted (art. 10) | revoked (art. 9, wrongly
 * listed). A decided listing may also be deleted or revoked before it is published.
 */
export const creditListingStatus = pgEnum('credit_listing_status', [
  'draft',
  'decided',
  'published',
  'deleted',
  'revoked',
]);

/** Art. 10 (and the term's expiry): why a listing was deleted. */
export const creditDeletionGround = pgEnum('credit_deletion_ground', [
  'performed', // 全部履行完毕
  'settlement_performed', // 和解协议履行完毕
  'applicant_request', // 申请执行人书面申请删除，法院审查同意
  'no_property_after_zhongben', // 终本后两次以上网络查控无财产且无线索
  'suspended', // 因再审或破产等原因中止执行
  'enforcement_refused', // 不予执行
  'enforcement_terminated', // 终结执行
  'term_expired', // 失信期限届满
]);

export const creditListings = pgTable(
  'credit_listings',
  {
    id: uuid().primaryKey().defaultRandom(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    /** The case's `dishonest_listing` measure, written with the decision. */
    measureId: uuid().references(() => caseMeasures.id),
    status: creditListingStatus().notNull().default('draft'),
    /** The decision's number, e.g. `(2025)青0104执123号之一`. */
    decisionNumber: text().notNull(),
    subjectKind: creditSubjectKind().notNull(),
    name: text().notNull(),
    /** A person's sex and birth date come from the ID number (GB 11643); null for a company. */
    sex: text(),
    birthDate: date({ mode: 'string' }),
    idSealed: text().notNull(),
    idDigest: text().notNull(),
    /** What the list shows: an ID masked as the national list masks it, or the credit code whole. */
    idPublished: text().notNull(),
    /** A company's legal representative or person in charge (art. 6). */
    legalRepresentative: text(),
    province: text().notNull(),
    /** Art. 1: the ground (1-6) and the dishonest conduct in words. */
    ground: smallint().notNull(),
    conduct: text().notNull(),
    evidence: text().notNull(),
    /** Art. 2: 24 months for grounds 2-6, plus 12-36 for serious cases; null (ground 1): no term. */
    termMonths: integer(),
    /** Art. 6: the obligation in the title, its issuer and number, and how much is performed. */
    obligation: text().notNull(),
    titleNumber: text().notNull(),
    titleIssuer: text().notNull(),
    performedFen: bigint({ mode: 'number' }).notNull().default(0),
    unperformedFen: bigint({ mode: 'number' }).notNull(),
    /** 2019 opinion: publication may wait 1-3 months. */
    graceMonths: integer().notNull().default(0),
    preparedBy: uuid().references(() => users.id),
    decidedBy: uuid().references(() => users.id),
    decidedOn: date({ mode: 'string' }),
    publishOn: date({ mode: 'string' }),
    publishedAt: timestamp({ withTimezone: true }),
    /** The last day of the term (inclusive, Beijing date). */
    expiresOn: date({ mode: 'string' }),
    servedOn: date({ mode: 'string' }),
    serviceMethod: text(),
    /** Art. 10: when the ground arose, the 3-working-day due instant, the deletion itself. */
    deletionGround: creditDeletionGround(),
    deletionGroundAt: timestamp({ withTimezone: true }),
    deletionDueAt: timestamp({ withTimezone: true }),
    removedAt: timestamp({ withTimezone: true }),
    removalReason: text(),
    version: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('credit_listings_case_idx').on(t.caseId),
    // The partners' check: is this ID on the list now?
    index('credit_listings_published_digest_idx').on(t.idDigest).where(sql`status = 'published'`),
    index('credit_listings_published_name_idx').on(t.name, t.publishedAt).where(sql`status = 'published'`),
    index('credit_listings_court_idx').on(t.courtId, t.createdAt),
  ],
);

export const creditRestrictionStatus = pgEnum('credit_restriction_status', ['draft', 'in_force', 'lifted']);
export const creditRestrictionLift = pgEnum('credit_restriction_lift', [
  'security',
  'consent',
  'full_performance',
]);

/** 限制消费令: the debtor and, for a company, the persons it names (art. 3 of the 2015 Provisions). */
export const creditRestrictions = pgTable(
  'credit_restrictions',
  {
    id: uuid().primaryKey().defaultRandom(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    /** The listing this order was issued with (art. 1: a listed debtor must be restricted). */
    listingId: uuid().references(() => creditListings.id),
    measureId: uuid().references(() => caseMeasures.id),
    status: creditRestrictionStatus().notNull().default('draft'),
    orderNumber: text().notNull(),
    subjectKind: creditSubjectKind().notNull(),
    name: text().notNull(),
    idPublished: text().notNull(),
    province: text().notNull(),
    /** The restricted items (rules.ts RESTRICTED_ITEMS). */
    items: text().array().notNull(),
    preparedBy: uuid().references(() => users.id),
    signedBy: uuid().references(() => users.id),
    issuedOn: date({ mode: 'string' }),
    publishedAt: timestamp({ withTimezone: true }),
    liftedOn: date({ mode: 'string' }),
    liftGround: creditRestrictionLift(),
    liftedBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('credit_restrictions_case_idx').on(t.caseId),
    index('credit_restrictions_listing_idx').on(t.listingId),
    index('credit_restrictions_name_idx').on(t.name).where(sql`status = 'in_force'`),
  ],
);

export const creditRestrictedRole = pgEnum('credit_restricted_role', [
  'debtor',
  'legal_representative',
  'person_in_charge',
  'directly_responsible',
  'actual_controller',
]);

/** Every person an order restricts, the debtor first: what the partners' check looks up. */
export const creditRestrictedPersons = pgTable(
  'credit_restricted_persons',
  {
    id: uuid().primaryKey().defaultRandom(),
    restrictionId: uuid()
      .notNull()
      .references(() => creditRestrictions.id, { onDelete: 'cascade' }),
    role: creditRestrictedRole().notNull(),
    name: text().notNull(),
    idSealed: text().notNull(),
    idDigest: text().notNull(),
    idPublished: text().notNull(),
    /** Copied from the order so the check is one index probe. */
    inForce: smallint().notNull().default(0),
  },
  (t) => [
    index('credit_restricted_persons_digest_idx').on(t.idDigest).where(sql`in_force = 1`),
    index('credit_restricted_persons_order_idx').on(t.restrictionId),
  ],
);

/** Art. 3 (2015 Provisions, last paragraph): spending the court allows, e.g. a named person's own travel. */
export const creditRestrictionExceptions = pgTable('credit_restriction_exceptions', {
  id: uuid().primaryKey().defaultRandom(),
  restrictionId: uuid()
    .notNull()
    .references(() => creditRestrictions.id, { onDelete: 'cascade' }),
  personId: uuid().references(() => creditRestrictedPersons.id),
  item: text().notNull(),
  reason: text().notNull(),
  fromOn: date({ mode: 'string' }).notNull(),
  untilOn: date({ mode: 'string' }).notNull(),
  approvedBy: uuid()
    .notNull()
    .references(() => users.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * A debtor's correction request (arts. 11-12): received → upheld | rejected; a rejection may go
 * to the next higher court (appealed) → appeal_upheld | appeal_rejected. The listing stays meanwhile.
 */
export const creditCorrectionStatus = pgEnum('credit_correction_status', [
  'received',
  'upheld',
  'rejected',
  'appealed',
  'appeal_upheld',
  'appeal_rejected',
]);

export const creditCorrections = pgTable(
  'credit_corrections',
  {
    id: uuid().primaryKey().defaultRandom(),
    listingId: uuid()
      .notNull()
      .references(() => creditListings.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    /** The next higher court, which reviews a rejection. */
    higherCourtId: uuid().references(() => organisations.id),
    status: creditCorrectionStatus().notNull().default('received'),
    applicant: text().notNull(),
    reason: text().notNull(),
    receivedOn: date({ mode: 'string' }).notNull(),
    reviewDueOn: date({ mode: 'string' }).notNull(),
    decidedOn: date({ mode: 'string' }),
    decision: text(),
    decidedBy: uuid().references(() => users.id),
    appealedOn: date({ mode: 'string' }),
    appealDueOn: date({ mode: 'string' }),
    appealDecidedOn: date({ mode: 'string' }),
    appealDecision: text(),
    appealDecidedBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('credit_corrections_listing_idx').on(t.listingId),
    index('credit_corrections_court_idx').on(t.courtId, t.reviewDueOn),
    index('credit_corrections_higher_idx').on(t.higherCourtId, t.appealDueOn),
  ],
);

export const creditPartnerKind = pgEnum('credit_partner_kind', [
  'airline',
  'railway',
  'credit_bureau',
  'other',
]);

/** 联合惩戒 partners: the feed goes to their endpoint; their token asks the check API. */
export const creditPartners = pgTable('credit_partners', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  kind: creditPartnerKind().notNull(),
  /** SHA-256 of the bearer token (`lmp_…`), shown once. */
  tokenHash: text().notNull().unique(),
  tokenPrefix: text().notNull(),
  endpointId: uuid().references(() => outboxEndpoints.id),
  createdBy: uuid().references(() => users.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp({ withTimezone: true }),
});

/** The public query's per-client counter (rate limit, then the challenge): one row per client key. */
export const creditQueryClients = pgTable('credit_query_clients', {
  clientKey: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  count: integer().notNull().default(0),
  /** A solved challenge lets the client past the burst limit until then. */
  clearedUntil: timestamp({ withTimezone: true }),
  meta: jsonb().$type<Record<string, unknown>>().notNull().default({}),
});

export type CreditListing = typeof creditListings.$inferSelect;
export type CreditListingStatus = (typeof creditListingStatus.enumValues)[number];
export type DeletionGround = (typeof creditDeletionGround.enumValues)[number];
export type CreditRestriction = typeof creditRestrictions.$inferSelect;
export type RestrictedPerson = typeof creditRestrictedPersons.$inferSelect;
export type RestrictedRole = (typeof creditRestrictedRole.enumValues)[number];
export type RestrictionLift = (typeof creditRestrictionLift.enumValues)[number];
export type CreditCorrection = typeof creditCorrections.$inferSelect;
export type CreditPartner = typeof creditPartners.$inferSelect;
