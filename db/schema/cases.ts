import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
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

/**
 * The coarse status (ADR 016): open, closed as 终本 (still watched: the 6-monthly re-search), or
 * closed (结案) in any other mode. The closure's mode and date are `closure_mode`/`closed_on`;
 * suspension (中止) and postponement (暂缓) are intervals of `case_intervals`, not statuses.
 */
export const caseStatus = pgEnum('case_status', [
  'open', // 执行中
  'terminated_without_property', // 终结本次执行 (终本)
  'concluded', // 已结案 (any other closure mode)
]);

/** The case number's type character(s) (`CASE_NUMBER`): 执, 执恢, 执保, 执异, 执复, 执监. */
export const caseType = pgEnum('case_type', [
  'first', // 执: first enforcement
  'resumed', // 执恢: resumed enforcement
  'preservation', // 执保
  'objection', // 执异
  'review', // 执复
  'supervision', // 执监
]);

/** What the title enforced is: the time limit is 6 months for litigation titles, 3 for non-litigation ones. */
export const titleKind = pgEnum('title_kind', ['litigation', 'non_litigation']);

/** How a case ended (domain note "Case types and closure modes"). */
export const closureMode = pgEnum('closure_mode', [
  'fully_performed', // 执行完毕
  'settlement_performed', // 和解履行完毕
  'terminated', // 终结执行
  'terminated_for_now', // 终结本次执行程序 (终本)
  'not_enforced', // 不予执行
  'rejected', // 驳回申请
  'withdrawn', // 销案
]);

/** The case number's type, read from the number itself (the type is part of the number). */
const TYPE_OF_NUMBER = sql`case substring(case_number from '(执[恢保异复监]?)[0-9]+号$')
  when '执恢' then 'resumed'::case_type when '执保' then 'preservation'::case_type
  when '执异' then 'objection'::case_type when '执复' then 'review'::case_type
  when '执监' then 'supervision'::case_type else 'first'::case_type end`;

/** 执行案件. The number is unique nationally: `(2024)青0104执123号`. */
export const cases = pgTable(
  'cases',
  {
    id: uuid().primaryKey().defaultRandom(),
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    caseNumber: text().notNull(),
    caseType: caseType().generatedAlwaysAs(TYPE_OF_NUMBER),
    /** 执行依据: the judgment or other instrument enforced. */
    basis: text().notNull(),
    titleKind: titleKind().notNull().default('litigation'),
    /** The amount applied for (申请执行标的). */
    amountOwedFen: bigint({ mode: 'bigint' }).notNull(),
    currency: text().notNull().default('CNY'),
    status: caseStatus().notNull().default('open'),
    /** 立案日期, a Beijing calendar date: the time limit counts from it. */
    filedOn: date({ mode: 'string' }).notNull().default(sql`(now() at time zone 'Asia/Shanghai')::date`),
    /**
     * The net due date (time-limit.ts), kept on every change the cases module makes; never
     * earlier than the truth (an auction or suspension still under way can only move it later),
     * so `due_on < today` finds every overdue case. Frozen at closure. Null: no limit applies.
     */
    dueOn: date({ mode: 'string' }),
    /** Property found (seized, found by a search, or money recovered): the within-limit indicator's population. */
    propertyFound: boolean().notNull().default(false),
    closureMode: closureMode(),
    closedOn: date({ mode: 'string' }),
    closedBy: uuid().references(() => users.id),
    /** Money the applicants received, for every closure that recovered some (执行完毕: required). */
    recoveredFen: bigint({ mode: 'bigint' }),
    /** 终本: the unpaid amount the ruling states. */
    unpaidFen: bigint({ mode: 'bigint' }),
    /** The closing ruling's number, or the reason of a closure without one. */
    closureRuling: text(),
    closureReason: text(),
    /** Frozen at closure: days excluded from the time limit, net days used, and whether within it. */
    excludedDays: integer(),
    netDays: integer(),
    withinLimit: boolean(),
    /** 终本: every condition met with dated evidence at closure (the 终本合格率 numerator); the checklist itself in `closureChecklist`. */
    zhongbenQualified: boolean(),
    closureChecklist: jsonb().$type<unknown>(),
    /** 执恢: the closed case this one resumes. */
    resumedFromId: uuid().references((): AnyPgColumn => cases.id),
    /** 终本: a re-search found property; the court checks and resumes within 7 days (ADR 016). */
    resumptionDueOn: date({ mode: 'string' }),
    resumptionMeasureId: uuid(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cases_number_key').on(t.caseNumber),
    index('cases_court_idx').on(t.courtId, t.createdAt),
    index('cases_court_due_idx').on(t.courtId, t.dueOn).where(sql`closed_on is null`),
    index('cases_court_closed_idx').on(t.courtId, t.closedOn),
    uniqueIndex('cases_resumed_from_key').on(t.resumedFromId),
    // The quality dashboard's one grouped read of the cases (ADR 018), answered from this index
    // alone: an index-only scan reads a few MB where the rows' pages are ten times more.
    index('cases_indicators_idx').on(
      t.courtId,
      t.filedOn,
      t.closedOn,
      t.dueOn,
      t.caseType,
      t.closureMode,
      t.propertyFound,
      t.withinLimit,
      t.zhongbenQualified,
      t.netDays,
      t.recoveredFen,
      t.amountOwedFen,
    ),
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

/**
 * Periods the time limit does not count (2000 Provisions art. 9; domain note "Time limits"),
 * each with its reason; half-open [starts_on, ends_on) in Beijing dates, ends_on null while it
 * lasts (a suspension until resumption). Auction and sale periods are not stored: they are read
 * from the case's listings (time-limit.ts).
 */
export const intervalKind = pgEnum('case_interval_kind', [
  'appraisal', // 评估
  'audit', // 审计
  'asset_clearing', // 清产核资
  'suspension', // 中止执行
  'postponement', // 暂缓执行
  'notice', // 公告期间
]);

export const caseIntervals = pgTable(
  'case_intervals',
  {
    id: uuid().primaryKey().defaultRandom(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    kind: intervalKind().notNull(),
    startsOn: date({ mode: 'string' }).notNull(),
    endsOn: date({ mode: 'string' }),
    reason: text().notNull(),
    recordedBy: uuid().references(() => users.id),
    endedBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_intervals_case_idx').on(t.caseId, t.startsOn)],
);

/** Who approved an extension: the president (up to 3 months), or the high court beyond (art. 6). */
export const extensionAuthority = pgEnum('case_extension_authority', ['president', 'high_court']);

/** Extensions of the time limit (审限延长), each approved and dated. */
export const caseExtensions = pgTable(
  'case_extensions',
  {
    id: uuid().primaryKey().defaultRandom(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    months: integer().notNull(),
    authority: extensionAuthority().notNull(),
    /** The high court's approval (its document number); null for the president's own. */
    reference: text(),
    reason: text().notNull(),
    approvedBy: uuid()
      .notNull()
      .references(() => users.id),
    approvedOn: date({ mode: 'string' }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_extensions_case_idx').on(t.caseId)],
);

/**
 * Enforcement measures (执行措施), the evidence of every 终本 condition. `details` is validated
 * per kind (schemas.ts `MEASURE_DETAILS`). Issue 18's decisions (the dishonest-debtor listing,
 * consumption restrictions, bounties) attach to the measures of kinds `dishonest_listing`,
 * `consumption_restriction` and `bounty` by their id.
 */
export const measureKind = pgEnum('case_measure_kind', [
  'enforcement_notice', // 执行通知书
  'property_report_order', // 报告财产令
  'property_report', // 被执行人报告财产 (and its check)
  'online_search', // 网络执行查控 (recorded by the search, never typed)
  'onsite_check', // 现场调查
  'premises_search', // 搜查
  'seizure', // 查封、扣押、冻结
  'consumption_restriction', // 限制消费令
  'dishonest_listing', // 纳入失信被执行人名单
  'applicant_interview', // 约谈、听取申请执行人意见
  'bounty', // 悬赏
  'audit', // 审计调查
  'whereabouts_search', // 查找下落不明的被执行人
  'fine', // 罚款
  'detention', // 拘留
  'criminal_referral', // 移送涉嫌拒执犯罪
]);

export const caseMeasures = pgTable(
  'case_measures',
  {
    id: uuid().primaryKey().defaultRandom(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    kind: measureKind().notNull(),
    /** The day the measure was taken (Beijing date), not the day it was typed in. */
    takenOn: date({ mode: 'string' }).notNull(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    note: text(),
    /** Null when the system took it (the 6-monthly re-search after 终本). */
    takenBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_measures_case_idx').on(t.caseId, t.takenOn)],
);

/** Evidence of a measure (the served notice, the report, the search's return); bytes behind server/storage. */
export const caseFiles = pgTable(
  'case_files',
  {
    id: uuid().primaryKey().defaultRandom(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    measureId: uuid().references(() => caseMeasures.id, { onDelete: 'cascade' }),
    filename: text().notNull(),
    contentType: text().notNull(),
    size: integer().notNull(),
    sha256: text().notNull(),
    storageKey: text().notNull(),
    uploadedBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_files_measure_idx').on(t.measureId), index('case_files_case_idx').on(t.caseId)],
);

export const complaintStatus = pgEnum('case_complaint_status', ['received', 'assigned', 'settled']);
export const complaintChannel = pgEnum('case_complaint_channel', ['visit', 'letter', 'phone', 'online']);

/** 执行信访: received, assigned to a staff member, settled, within a time limit (ADR 016). */
export const caseComplaints = pgTable(
  'case_complaints',
  {
    id: uuid().primaryKey().defaultRandom(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    /** The case's court, copied so the court's complaint queue is one indexed column. */
    courtId: uuid()
      .notNull()
      .references(() => organisations.id),
    status: complaintStatus().notNull().default('received'),
    channel: complaintChannel().notNull(),
    complainant: text().notNull(),
    summary: text().notNull(),
    receivedOn: date({ mode: 'string' }).notNull(),
    dueOn: date({ mode: 'string' }).notNull(),
    receivedBy: uuid().references(() => users.id),
    assignedTo: uuid().references(() => users.id),
    assignedAt: timestamp({ withTimezone: true }),
    settledOn: date({ mode: 'string' }),
    outcome: text(),
    settledBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('case_complaints_case_idx').on(t.caseId),
    index('case_complaints_court_due_idx').on(t.courtId, t.dueOn).where(sql`status <> 'settled'`),
  ],
);

export type Case = typeof cases.$inferSelect;
export type CaseParty = typeof caseParties.$inferSelect;
export type Asset = typeof assets.$inferSelect;
export type AssetFile = typeof assetFiles.$inferSelect;
export type AssetType = (typeof assetType.enumValues)[number];
export type CaseStatus = (typeof caseStatus.enumValues)[number];
export type CaseType = (typeof caseType.enumValues)[number];
export type TitleKind = (typeof titleKind.enumValues)[number];
export type ClosureMode = (typeof closureMode.enumValues)[number];
export type IntervalKind = (typeof intervalKind.enumValues)[number];
export type MeasureKind = (typeof measureKind.enumValues)[number];
export type CaseInterval = typeof caseIntervals.$inferSelect;
export type CaseExtension = typeof caseExtensions.$inferSelect;
export type CaseMeasure = typeof caseMeasures.$inferSelect;
export type CaseFile = typeof caseFiles.$inferSelect;
export type CaseComplaint = typeof caseComplaints.$inferSelect;
export type ComplaintStatus = (typeof complaintStatus.enumValues)[number];
