import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const orgKind = pgEnum('org_kind', ['court', 'insurer', 'platform']);
/** 高级 / 中级 / 基层 people's courts. */
export const courtLevel = pgEnum('court_level', ['high', 'intermediate', 'basic']);

export const organisations = pgTable(
  'organisations',
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: orgKind().notNull(),
    /** Stable short code: for a court its case-number code (e.g. 青0104), for others a slug. */
    code: text().notNull(),
    nameZh: text().notNull(),
    nameEn: text().notNull(),
    courtLevel: courtLevel(),
    parentId: uuid().references((): AnyPgColumn => organisations.id),
    /** GB/T 2260 administrative division code of the seat (e.g. 630104). */
    regionCode: text(),
    province: text(),
    city: text(),
    district: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * Suspended by the platform (ADR 023): its staff's sessions ended, their logins and API tokens
     * refused, its webhooks silent; every record it holds is kept. Null while active.
     */
    suspendedAt: timestamp({ withTimezone: true }),
    suspendedReason: text(),
  },
  (t) => [uniqueIndex('organisations_code_key').on(t.code), index('organisations_parent_idx').on(t.parentId)],
);

export const role = pgEnum('role', [
  'bidder',
  'court_clerk',
  'court_panel',
  'court_admin',
  /** 院长: approves extensions of the time limit and 终本 without the applicant's signature (ADR 016). */
  'court_president',
  'insurer_adjuster',
  'insurer_manager',
  'platform_admin',
]);

export const verificationStatus = pgEnum('verification_status', [
  'unverified',
  'pending',
  'verified',
  'rejected',
]);

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    passwordHash: text().notNull(),
    realName: text().notNull(),
    phone: text(),
    /** AES-256-GCM ciphertext of the national ID number; never leaves the server in clear. */
    nationalIdCipher: text(),
    /** HMAC of the normalised ID, so one person holds one account without storing the ID in clear. */
    nationalIdDigest: text(),
    nationalIdMasked: text(),
    roles: role().array().notNull(),
    organisationId: uuid().references(() => organisations.id),
    verification: verificationStatus().notNull().default('unverified'),
    disabled: boolean().notNull().default(false),
    failedLoginCount: integer().notNull().default(0),
    lockedUntil: timestamp({ withTimezone: true }),
    lastLoginAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid(),
    /**
     * Set when an admin created the account with an initial password (ADR 028): every page but the
     * change-password page leads there until the user sets his own. API tokens are not affected.
     */
    mustChangePassword: boolean().notNull().default(false),
  },
  (t) => [
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    uniqueIndex('users_national_id_digest_key').on(t.nationalIdDigest),
    index('users_organisation_idx').on(t.organisationId),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie token: a leaked table does not yield usable cookies. */
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    ip: text(),
    userAgent: text(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Every login attempt, for per-account and per-IP rate limits and for the audit trail. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    ip: text().notNull(),
    succeeded: boolean().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('login_attempts_ip_at_idx').on(t.ip, t.at),
    // An email without an account is counted from its attempts (ADR 017).
    index('login_attempts_email_at_idx').on(t.email, t.at),
  ],
);

/**
 * One-time password-reset links an admin issues for an account (ADR 024). Only the SHA-256 of the
 * token is kept; a link works once, before it expires, and issuing a new one voids the older.
 */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text().notNull(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    voidedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('password_resets_token_key').on(t.tokenHash),
    index('password_resets_user_idx').on(t.userId),
  ],
);

export type PasswordReset = typeof passwordResets.$inferSelect;

/**
 * Every "forgot password" request (ADR 028), whether or not an account answered to it: the rate
 * limits per address and per identifier are counted from these rows. The identifier is kept as its
 * SHA-256 only (a phone number or e-mail someone typed is not stored in clear).
 */
export const passwordResetRequests = pgTable(
  'password_reset_requests',
  {
    id: uuid().primaryKey().defaultRandom(),
    identifierHash: text().notNull(),
    ip: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('password_reset_requests_ip_at_idx').on(t.ip, t.at),
    index('password_reset_requests_identifier_at_idx').on(t.identifierHash, t.at),
  ],
);

export const verificationOutcome = pgEnum('verification_outcome', ['verified', 'rejected', 'unavailable']);

/**
 * Each real-name verification asked of the identity-verification provider (ADR 028): who, which
 * provider, its answer. `users.verification` is `verified` only after one of these said so.
 */
export const identityVerifications = pgTable(
  'identity_verifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: text().notNull(),
    outcome: verificationOutcome().notNull(),
    /** The provider's reason code for a refusal (`nameMismatch`, `badChecksum`…), never the ID. */
    reason: text(),
    /** The provider's reference for the check, when it gives one. */
    reference: text(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('identity_verifications_user_idx').on(t.userId, t.at)],
);
export type Organisation = typeof organisations.$inferSelect;
export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type Role = (typeof role.enumValues)[number];
export type OrgKind = (typeof orgKind.enumValues)[number];

/** Per-organisation API tokens for the court API (/api/v1); only the SHA-256 is stored. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    organisationId: uuid()
      .notNull()
      .references(() => organisations.id),
    name: text().notNull(),
    tokenHash: text().notNull(),
    /** First characters of the token, to tell tokens apart in lists. */
    prefix: text().notNull(),
    /** The staff member the API acts as (for audit and maker-checker rules). */
    actsAs: uuid()
      .notNull()
      .references(() => users.id),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    /** What the token may do (ADR 023): `read` (GET) and/or `write` (every other method). */
    scopes: text().array().notNull().default(sql`'{read,write}'::text[]`),
    /** After this instant the token is refused; null: until revoked. */
    expiresAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_tokens_hash_key').on(t.tokenHash),
    index('api_tokens_org_idx').on(t.organisationId),
  ],
);

export type ApiToken = typeof apiTokens.$inferSelect;
