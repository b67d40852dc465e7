import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
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
import { assets, assetType, cases } from './cases.js';
import { organisations, users } from './identity.js';

/** PostgreSQL's text-search document; written by the database (search_index migration), read by search. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const listingKind = pgEnum('listing_kind', ['auction', 'fixed_price_sale']);
export const listingStatus = pgEnum('listing_status', [
  'draft',
  'pending_approval',
  'announced',
  'live',
  'suspended',
  'ended',
  'withdrawn',
]);
/** defaulted: sold, but the winner did not pay the balance (悔拍, art. 24); the asset is re-auctioned. */
export const listingOutcome = pgEnum('listing_outcome', ['sold', 'failed', 'defaulted']);
export const taxPayer = pgEnum('tax_payer', ['each_by_law', 'buyer_all', 'seller_all']);
/** Who occupies the property (art. 14(5): 占有使用 disclosed with the announcement; ADR 029). */
export const occupancyKind = pgEnum('occupancy_kind', ['vacant', 'owner_occupied', 'tenant', 'other']);
export const arrearsKind = pgEnum('arrears_kind', ['property_fees', 'utilities', 'other']);
/** Who settles an arrear: the buyer on top of the price, or the court from the sale's proceeds. */
export const arrearsPayer = pgEnum('arrears_payer', ['buyer', 'proceeds']);

/**
 * One round of sale of an asset: a first auction, a re-auction (round 2), or a fixed-price
 * sale (变卖). Rounds chain through previous_listing_id. Search columns (court, type, place,
 * price) are copied from the asset so the public search reads one table.
 */
export const listings = pgTable(
  'listings',
  {
    id: uuid().primaryKey().defaultRandom(),
    assetId: uuid()
      .notNull()
      .references(() => assets.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    kind: listingKind().notNull().default('auction'),
    round: integer().notNull().default(1),
    previousListingId: uuid().references((): AnyPgColumn => listings.id),
    status: listingStatus().notNull().default('draft'),
    outcome: listingOutcome(),
    /** Status before a suspension, to resume into. */
    suspendedFrom: listingStatus(),

    title: text().notNull(),
    assetType: assetType().notNull(),
    province: text().notNull(),
    city: text().notNull(),
    /** The county or district (区/县), copied from the asset like province and city, for the region filter. */
    district: text(),
    appraisalFen: bigint({ mode: 'bigint' }).notNull(),

    startingPriceFen: bigint({ mode: 'bigint' }).notNull(),
    depositFen: bigint({ mode: 'bigint' }).notNull(),
    incrementFen: bigint({ mode: 'bigint' }).notNull(),
    currency: text().notNull().default('CNY'),
    /** When the announcement is (to be) published; art. 12 lead times count from here. */
    announceAt: timestamp({ withTimezone: true }).notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    /** The end after extensions (art. 20); equals ends_at until someone bids in the last 5 minutes. */
    currentEndAt: timestamp({ withTimezone: true }).notNull(),
    balanceDays: integer().notNull(),
    /** Bidding state, written only by the bidding engine under this row's lock (art. 20). */
    currentPriceFen: bigint({ mode: 'bigint' }),
    leaderRegistrationId: uuid(),
    leaderPriorityRank: integer(),
    bidCount: integer().notNull().default(0),
    extensionCount: integer().notNull().default(0),
    /** The auction's event log: last sequence number and hash (tamper-evident chain, art. 8). */
    lastSeq: integer().notNull().default(0),
    lastHash: text(),
    /** A suspension mid-bidding freezes the clock: what was left when it stopped (art. 28). */
    remainingMsAtSuspension: bigint({ mode: 'number' }),
    specialNotices: text().notNull(),
    taxes: text().notNull(),
    taxPayer: taxPayer().notNull(),
    viewing: text().notNull(),
    contact: text().notNull(),
    supervisionLine: text().notNull(),
    purchaseRestricted: boolean().notNull().default(false),
    /**
     * Structured disclosure (art. 14(5), (9); ADR 029), entered by the clerk while the listing is a
     * draft. Null means "not stated yet": the clerk's checklist (disclosure-rules.ts) names it.
     */
    occupancy: occupancyKind(),
    /** The lease of a tenant-occupied property: its end and monthly rent. */
    leaseEndsOn: date({ mode: 'string' }),
    monthlyRentFen: bigint({ mode: 'bigint' }),
    /** Anything the kind does not say (required for `other`). */
    occupancyNote: text(),
    /** When the clerk declared the arrears (listing_arrears rows, possibly none); null: not declared. */
    arrearsDeclaredAt: timestamp({ withTimezone: true }),
    /** Partner banks lend for it (按揭/贷款支持); null: not stated. */
    loanSupported: boolean(),

    preparedBy: uuid()
      .notNull()
      .references(() => users.id),
    submittedAt: timestamp({ withTimezone: true }),
    approvedBy: uuid().references(() => users.id),
    approvedAt: timestamp({ withTimezone: true }),
    publishedAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    /**
     * Set by the close when the standing columns disagreed with the auction's log (closing.ts):
     * nothing was settled and the confirmation is withheld until the court decides (art. 31).
     */
    resultHeldAt: timestamp({ withTimezone: true }),
    publicReason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * The public search's document (ADR 020): CJK bigrams and single characters, Latin words and
     * numbers, of the title (weight A), the place and the court's name (B) and the asset's
     * description and address (C). Kept by the listings_search_doc trigger; never written here.
     */
    searchDoc: tsvector(),
  },
  (t) => [
    // The words' document and the facet document (listing_facets() in the search_facets
    // migration: one lexeme per value a filter chooses) in one GIN index, so a search's
    // keywords and filters are intersected inside one index scan (ADR 020).
    index('listings_search_idx').using(
      'gin',
      t.searchDoc,
      sql`listing_facets(${t.status}, ${t.outcome}, ${t.assetType}, ${t.province}, ${t.city}, ${t.district}, ${t.courtId}, ${t.kind}, ${t.round}, ${t.purchaseRestricted})`,
    ),
    // The sort orders' keyset indexes (ADR 020): each ends in id, the tiebreak.
    index('listings_soonest_idx').on(
      sql`(case ${t.status} when 'live' then 0 when 'announced' then 1 when 'suspended' then 2 else 3 end)`,
      sql`(case when ${t.status} = 'live' then ${t.currentEndAt} when ${t.status} in ('announced', 'suspended') then ${t.startsAt} else '9999-12-31 00:00:00+00'::timestamptz end)`,
      sql`${t.currentEndAt} desc`,
      t.id,
    ),
    index('listings_starts_id_idx').on(t.startsAt, t.id),
    index('listings_price_id_idx').on(t.startingPriceFen, t.id),
    index('listings_ends_id_idx').on(t.currentEndAt, t.id),
    index('listings_status_start_idx').on(t.status, t.startsAt),
    index('listings_court_idx').on(t.courtId, t.startsAt),
    index('listings_asset_idx').on(t.assetId, t.round),
    index('listings_type_idx').on(t.assetType, t.startsAt),
    index('listings_place_idx').on(t.province, t.city, t.district),
  ],
);

export const priorityRight = pgEnum('priority_right', ['co_owner', 'lessee', 'shareholder', 'other']);

/** Whose real-name identity a priority purchaser is: a resident ID number or a unified social credit code. */
export const identityKind = pgEnum('identity_kind', ['person', 'organisation']);

/**
 * 优先购买权人 designated by the panel (art. 19, 21, 27): rank 1 is the highest. The identity is
 * sealed as users' IDs are (server/identity/real-name.ts): the bidder whose verified ID has this
 * digest registers as this purchaser, and one registration at most claims a row
 * (`registrations_priority_purchaser_key`). Rows designated before identities were recorded have
 * none and cannot be claimed.
 */
export const priorityPurchasers = pgTable(
  'priority_purchasers',
  {
    id: uuid().primaryKey().defaultRandom(),
    listingId: uuid()
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    rank: integer().notNull(),
    rightKind: priorityRight().notNull(),
    identityKind: identityKind(),
    /** AES-256-GCM ciphertext of the ID number or credit code; never leaves the server in clear. */
    identityCipher: text(),
    /** HMAC of the normalised number with the PII key: what a bidder's verified ID is matched by. */
    identityDigest: text(),
    identityMasked: text(),
  },
  (t) => [
    index('priority_purchasers_listing_idx').on(t.listingId),
    uniqueIndex('priority_purchasers_listing_identity_key').on(t.listingId, t.identityDigest),
    check(
      'priority_purchasers_identity_whole',
      sql`num_nonnulls(${t.identityKind}, ${t.identityCipher}, ${t.identityDigest}, ${t.identityMasked}) in (0, 4)`,
    ),
  ],
);

/** The public status timeline: one row per transition, with the public reason. */
export const listingTransitions = pgTable(
  'listing_transitions',
  {
    id: uuid().primaryKey().defaultRandom(),
    listingId: uuid()
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    from: listingStatus(),
    to: listingStatus().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    actorId: uuid().references(() => users.id),
    reason: text(),
  },
  (t) => [index('listing_transitions_listing_idx').on(t.listingId, t.at)],
);

/** A published announcement changes only through amendments, which stay visible. */
export const listingAmendments = pgTable(
  'listing_amendments',
  {
    id: uuid().primaryKey().defaultRandom(),
    listingId: uuid()
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    publishedAt: timestamp({ withTimezone: true }).notNull(),
    text: text().notNull(),
    changes: jsonb().$type<Record<string, { from: unknown; to: unknown }>>().notNull(),
    actorId: uuid()
      .notNull()
      .references(() => users.id),
  },
  (t) => [index('listing_amendments_listing_idx').on(t.listingId, t.publishedAt)],
);

/** The arrears declared with a listing's disclosure (property fees, utilities, other), in fen. */
export const listingArrears = pgTable(
  'listing_arrears',
  {
    id: uuid().primaryKey().defaultRandom(),
    listingId: uuid()
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    kind: arrearsKind().notNull(),
    description: text().notNull(),
    amountFen: bigint({ mode: 'bigint' }).notNull(),
    payer: arrearsPayer().notNull(),
  },
  (t) => [
    uniqueIndex('listing_arrears_listing_position_key').on(t.listingId, t.position),
    check('listing_arrears_amount_positive', sql`${t.amountFen} > 0`),
  ],
);

/**
 * 看样 (art. 7(2): 展示拍卖财产，引领查看): a viewing the court offers, with a place and a number
 * of seats. `booked` is the count of viewing_bookings, kept by the booking's conditional update,
 * so two bookings of the last seat cannot both succeed (the check below is the floor under it).
 */
export const viewingSlots = pgTable(
  'viewing_slots',
  {
    id: uuid().primaryKey().defaultRandom(),
    listingId: uuid()
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    place: text().notNull(),
    capacity: integer().notNull(),
    booked: integer().notNull().default(0),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('viewing_slots_listing_idx').on(t.listingId, t.startsAt),
    check(
      'viewing_slots_seats',
      sql`${t.capacity} > 0 and ${t.booked} >= 0 and ${t.booked} <= ${t.capacity}`,
    ),
    check('viewing_slots_times', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** A user's booking of a viewing: one per listing and user (a second booking of the same slot is the first). */
export const viewingBookings = pgTable(
  'viewing_bookings',
  {
    id: uuid().primaryKey().defaultRandom(),
    slotId: uuid()
      .notNull()
      .references(() => viewingSlots.id, { onDelete: 'cascade' }),
    listingId: uuid()
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('viewing_bookings_listing_user_key').on(t.listingId, t.userId),
    index('viewing_bookings_slot_idx').on(t.slotId),
  ],
);

export type ListingArrear = typeof listingArrears.$inferSelect;
export type ViewingSlot = typeof viewingSlots.$inferSelect;
export type Listing = typeof listings.$inferSelect;
export type ListingStatus = (typeof listingStatus.enumValues)[number];
export type PriorityPurchaser = typeof priorityPurchasers.$inferSelect;
export type ListingTransition = typeof listingTransitions.$inferSelect;
export type ListingAmendment = typeof listingAmendments.$inferSelect;

export const registrationStatus = pgEnum('registration_status', ['awaiting_deposit', 'active']);

/**
 * A bidder's registration for one listing (art. 17-18): notices accepted, eligibility promised
 * where the listing is restricted, and, once the deposit is held, an anonymous bidder code unique
 * within the listing. Bids show the code only; the real name stays on the server until the end.
 */
export const registrations = pgTable(
  'registrations',
  {
    id: uuid().primaryKey().defaultRandom(),
    listingId: uuid()
      .notNull()
      .references(() => listings.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    status: registrationStatus().notNull().default('awaiting_deposit'),
    /** Anonymous bidder code, assigned when the deposit is first held. */
    code: text(),
    /** Set for a priority purchaser designated by the court (art. 19, 21). */
    priorityPurchaserId: uuid().references(() => priorityPurchasers.id),
    noticesAcceptedAt: timestamp({ withTimezone: true }).notNull(),
    /** 限购: the bidder promised purchase eligibility (checked again by the court before the ruling). */
    eligibilityPromised: boolean().notNull().default(false),
    activatedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('registrations_listing_user_key').on(t.listingId, t.userId),
    uniqueIndex('registrations_listing_code_key').on(t.listingId, t.code),
    // art. 19, 21: a designated purchaser's right is exercised by one registration only.
    uniqueIndex('registrations_priority_purchaser_key').on(t.priorityPurchaserId),
    index('registrations_user_idx').on(t.userId, t.createdAt),
  ],
);

/** 悔拍 (art. 24): a winner who did not pay may not bid on that asset again. */
export const assetBars = pgTable(
  'asset_bars',
  {
    id: uuid().primaryKey().defaultRandom(),
    assetId: uuid()
      .notNull()
      .references(() => assets.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    listingId: uuid()
      .notNull()
      .references(() => listings.id),
    reason: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('asset_bars_asset_user_key').on(t.assetId, t.userId)],
);

export type Registration = typeof registrations.$inferSelect;

/**
 * 关注: a signed-in user follows an auction without registering (ADR 027). One row per user and
 * listing (following twice is one follow); unfollowing deletes it. He gets the start and the
 * ending-soon reminders like a registered bidder, at his own N for this auction when he chose one.
 */
export const follows = pgTable(
  'follows',
  {
    id: uuid().primaryKey().defaultRandom(),
    listingId: uuid()
      .notNull()
      .references(() => listings.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    /** Minutes before the end for this auction's ending-soon reminder; null = his default (notification settings). */
    endingSoonMinutes: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('follows_listing_user_key').on(t.listingId, t.userId),
    index('follows_user_idx').on(t.userId, t.createdAt),
  ],
);

export type Follow = typeof follows.$inferSelect;
