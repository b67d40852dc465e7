import {
  bigint,
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
import { organisations, users } from './identity.js';

export const caseStatus = pgEnum('case_status', [
  'open', // 执行中
  'terminated_without_property', // 终结本次执行 (终本)
  'concluded', // 执行完毕
]);

/** 执行案件. The number is unique nationally: `(2024)青0104执123号`. */
export const cases = pgTable(
  'cases',
  {
    id: uuid().primaryKey().defaultRandom(),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    caseNumber: text().notNull(),
    /** 执行依据: the judgment or other instrument enforced. */
    basis: text().notNull(),
    amountOwedFen: bigint({ mode: 'bigint' }).notNull(),
    currency: text().notNull().default('CNY'),
    status: caseStatus().notNull().default('open'),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cases_number_key').on(t.caseNumber),
    index('cases_court_idx').on(t.courtId, t.createdAt),
  ],
);

export const partyRole = pgEnum('party_role', ['applicant', 'respondent']);
export const partyKind = pgEnum('party_kind', ['person', 'company']);

/** Applicant creditors (申请执行人) and debtors (被执行人). */
export const caseParties = pgTable(
  'case_parties',
  {
    id: uuid().primaryKey().defaultRandom(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    role: partyRole().notNull(),
    kind: partyKind().notNull(),
    name: text().notNull(),
    /** Masked ID number (persons) or the unified social credit code (companies). */
    idNumberMasked: text(),
    /** For applicants: the part of the debt owed to this creditor (deposit exemption, art. 17 note). */
    claimFen: bigint({ mode: 'bigint' }),
    /** The party's own account on the platform, when he has one. */
    userId: uuid().references(() => users.id),
  },
  (t) => [index('case_parties_case_idx').on(t.caseId)],
);

export const assetType = pgEnum('asset_type', [
  'residential',
  'commercial',
  'land_use_right',
  'vehicle',
  'equity',
  'machinery',
  'other_movable',
]);
export const appraisalBasis = pgEnum('appraisal_basis', ['appraisal_report', 'price_inquiry', 'agreement']);

export interface Encumbrance {
  kind: 'mortgage' | 'lease' | 'occupancy' | 'seizure' | 'other';
  description: string;
}

/** 查封财产 on a case. */
export const assets = pgTable(
  'assets',
  {
    id: uuid().primaryKey().defaultRandom(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    type: assetType().notNull(),
    title: text().notNull(),
    province: text().notNull(),
    city: text().notNull(),
    district: text(),
    address: text().notNull(),
    description: text().notNull(),
    knownDefects: text(),
    encumbrances: jsonb().$type<Encumbrance[]>().notNull().default([]),
    appraisalFen: bigint({ mode: 'bigint' }).notNull(),
    appraisalBasis: appraisalBasis().notNull(),
    appraisalDate: date({ mode: 'string' }).notNull(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('assets_case_idx').on(t.caseId), index('assets_court_idx').on(t.courtId)],
);

export const fileKind = pgEnum('file_kind', ['photo', 'judgment', 'appraisal_report', 'other']);

/** Photos and documents; the bytes live behind the storage interface (server/storage). */
export const assetFiles = pgTable(
  'asset_files',
  {
    id: uuid().primaryKey().defaultRandom(),
    assetId: uuid()
      .notNull()
      .references(() => assets.id, { onDelete: 'cascade' }),
    kind: fileKind().notNull(),
    filename: text().notNull(),
    contentType: text().notNull(),
    size: integer().notNull(),
    sha256: text().notNull(),
    storageKey: text().notNull(),
    uploadedBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('asset_files_asset_idx').on(t.assetId)],
);

export type Case = typeof cases.$inferSelect;
export type CaseParty = typeof caseParties.$inferSelect;
export type Asset = typeof assets.$inferSelect;
export type AssetFile = typeof assetFiles.$inferSelect;
export type AssetType = (typeof assetType.enumValues)[number];
