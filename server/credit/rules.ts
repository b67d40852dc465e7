/**
 * The rules of the dishonest-debtor list and of consumption restrictions, pure (ADR 019).
 *
 * - 失信规定: SPC Provisions on Publishing the List of Dishonest Debtors (2013, revised 2017).
 * - 限消规定: SPC Provisions on Restricting High Consumption by Debtors (2010, revised 2015).
 * - 2019 opinion: SPC opinion on good-faith and civilised enforcement (善意文明执行), the grace period.
 *
 * Dates are Beijing calendar dates (`YYYY-MM-DD`); working days follow the State Council's
 * yearly arrangement (server/calendar).
 */
import type { ClosureMode } from '../../db/schema/cases.js';
import type { DeletionGround, RestrictedRole } from '../../db/schema/credit.js';
import { addWorkingDays, BEIJING_OFFSET_MS } from '../calendar/working-days.js';
import { addDays, addMonths, type DateString } from '../cases/time-limit.js';

/** 失信规定 art. 1: the six grounds. */
export const GROUNDS = [1, 2, 3, 4, 5, 6] as const;
export type Ground = (typeof GROUNDS)[number];
export const GROUND_KEYS: Record<Ground, string> = {
  1: 'ableButRefuses', // (1) 有履行能力而拒不履行
  2: 'obstructs', // (2) 以伪造证据、暴力、威胁等方法妨碍、抗拒执行
  3: 'evades', // (3) 以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行
  4: 'reportBreach', // (4) 违反财产报告制度
  5: 'restrictionBreach', // (5) 违反限制消费令
  6: 'settlementRefused', // (6) 无正当理由拒不履行执行和解协议
};

/** 失信规定 art. 2: grounds (2)-(6) list for 2 years; serious cases 1-3 years more. */
export const BASE_TERM_MONTHS = 24;
export const MAX_EXTENSION_YEARS = 3;

/**
 * The term in months, or null when the ground has none. Art. 2: ground (1) has no term (it
 * lasts until a deletion ground of art. 10); grounds (2)-(6): 2 years, extended by 1-3 years for
 * serious violence or threats or several dishonest acts.
 */
export function termMonthsOf(ground: Ground, extensionYears: number): number | null {
  if (ground === 1) return null;
  return BASE_TERM_MONTHS + 12 * Math.min(Math.max(0, Math.trunc(extensionYears)), MAX_EXTENSION_YEARS);
}

/** Whether the extension asked for is one the ground allows (art. 2: none for ground 1, else 0-3 years). */
export function extensionAllowed(ground: Ground, extensionYears: number): boolean {
  if (!Number.isInteger(extensionYears) || extensionYears < 0) return false;
  return ground === 1 ? extensionYears === 0 : extensionYears <= MAX_EXTENSION_YEARS;
}

/**
 * The last day of the term: the period starts the day after the decision (which takes effect
 * when made, art. 5) and ends on the corresponding day, or the month's last day when it has none
 * (Civil Code arts. 201-202): decided 15 March 2024 for 2 years, the last day is 15 March 2026.
 */
export const termLastDay = (decidedOn: DateString, termMonths: number): DateString =>
  addMonths(decidedOn, termMonths);

/** The instant a term has run out: the start (Beijing midnight) of the day after its last day. */
export const termExpiresAt = (lastDay: DateString): Date =>
  new Date(Date.parse(`${addDays(lastDay, 1)}T00:00:00Z`) - BEIJING_OFFSET_MS);

/**
 * 失信规定 arts. 9-10: corrected, revoked or deleted within 3 working days of the ground (the
 * day of the event does not count; holidays and make-up working days per the calendar).
 */
export const REMOVAL_WORKING_DAYS = 3;
export const removalDueAt = (groundAt: Date): Date => addWorkingDays(groundAt, REMOVAL_WORKING_DAYS);

/** 2019 opinion: a grace period of 1-3 months before publication may be given (0: none). */
export const graceAllowed = (months: number) => Number.isInteger(months) && months >= 0 && months <= 3;
export const publishOnOf = (decidedOn: DateString, graceMonths: number): DateString =>
  graceMonths > 0 ? addMonths(decidedOn, graceMonths) : decidedOn;

/** The age in whole years on a day, from a `YYYY-MM-DD` birth date. */
export function ageOn(birthDate: DateString, on: DateString): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** GB 11643: the birth date (digits 7-14) and sex (digit 17: odd male, even female) of an ID number. */
export function personOfNationalId(id: string): { birthDate: DateString; sex: 'male' | 'female' } {
  return {
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/**
 * The national list's mask (中国执行信息公开网): the first 10 characters (region and birth
 * year), four asterisks for the month and day, the last 4: 3423011964****3224.
 */
export const maskForList = (id: string): string => `${id.slice(0, 10)}****${id.slice(-4)}`;

export interface ListingFacts {
  ground: Ground;
  subjectKind: 'person' | 'company';
  /** A person's birth date (from the ID number). */
  birthDate: DateString | null;
  /** The day of the decision. */
  on: DateString;
  /** The amount still owed, in fen. */
  owedFen: number;
  /** The value of property seized on the case, in fen. */
  seizedFen: number;
  /** The debtor has given adequate security. */
  securityGiven: boolean;
  /** The debtor is later in the order of performance (顺位在后). */
  laterInOrder: boolean;
}

export type ListingBar = 'minor' | 'securityGiven' | 'seizedCovers' | 'laterInOrder';

/**
 * What bars the listing (失信规定 arts. 3-4): a minor is never listed (art. 4); ground (1) is
 * barred when adequate security is given, when seized property covers the debt, or when the
 * debtor is later in the order of performance (art. 3). Empty: the listing may be decided.
 */
export function listingBars(f: ListingFacts): ListingBar[] {
  const bars: ListingBar[] = [];
  // art. 4: 被执行人为未成年人的，不得将其纳入失信被执行人名单.
  if (f.subjectKind === 'person' && f.birthDate && ageOn(f.birthDate, f.on) < 18) bars.push('minor');
  if (f.ground === 1) {
    // art. 3(1): 提供了充分有效担保的.
    if (f.securityGiven) bars.push('securityGiven');
    // art. 3(2): 已被采取查封、扣押、冻结等措施的财产足以清偿生效法律文书确定债务的.
    if (f.owedFen > 0 && f.seizedFen >= f.owedFen) bars.push('seizedCovers');
    // art. 3(3): 被执行人履行顺序在后，申请执行人未依法先对顺序在前的被执行人申请执行的.
    if (f.laterInOrder) bars.push('laterInOrder');
  }
  return bars;
}

/** How a case's closure deletes its listings (art. 10) and lifts its restrictions (限消规定 art. 9). */
export function deletionGroundOfClosure(mode: ClosureMode): DeletionGround | null {
  switch (mode) {
    case 'fully_performed':
      return 'performed'; // art. 10(1)
    case 'settlement_performed':
      return 'settlement_performed'; // art. 10(1): 执行和解协议履行完毕
    case 'not_enforced':
    case 'rejected':
      return 'enforcement_refused'; // art. 10(5): 人民法院依法裁定不予执行
    case 'terminated':
    case 'withdrawn':
      return 'enforcement_terminated'; // art. 10(6): 人民法院依法裁定终结执行
    default:
      return null; // 终本 keeps the listing until two empty searches (art. 10(3)).
  }
}

/** 限消规定 art. 9: full performance must lift the order, in the scope it was published. */
export const liftsRestriction = (mode: ClosureMode) =>
  mode === 'fully_performed' || mode === 'settlement_performed';

/** The deletion grounds a court may record by hand (the term's expiry is the job's). */
export const MANUAL_DELETION_GROUNDS = [
  'performed',
  'settlement_performed',
  'applicant_request',
  'no_property_after_zhongben',
  'suspended',
  'enforcement_refused',
  'enforcement_terminated',
] as const satisfies readonly DeletionGround[];

/** 失信规定 art. 10 last para.: after a deletion on the applicant's request, his new request within 6 months is refused. */
export const REQUEST_AGAIN_MONTHS = 6;

/** 失信规定 arts. 11-12: a correction request reviewed within 15 days; a rejection appealed within 10, decided within 15. */
export const CORRECTION_REVIEW_DAYS = 15;
export const APPEAL_WINDOW_DAYS = 10;
export const APPEAL_REVIEW_DAYS = 15;

/** 限消规定 art. 3: what a restricted debtor may not pay for with his own property. */
export const RESTRICTED_ITEMS = [
  'flights', // (1) 乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位
  'luxury_hotels', // (2) 在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费
  'real_estate', // (3) 购买不动产或者新建、扩建、高档装修房屋
  'luxury_rental', // (4) 租赁高档写字楼、宾馆、公寓等场所办公
  'vehicles', // (5) 购买非经营必需车辆
  'travel', // (6) 旅游、度假
  'private_school', // (7) 子女就读高收费私立学校
  'insurance_wealth', // (8) 支付高额保费购买保险理财产品
  'high_speed_rail', // (9) 乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位
  'other_non_essential', // 其他非生活和工作必需的消费行为
] as const;
export type RestrictedItem = (typeof RESTRICTED_ITEMS)[number];

/**
 * 限消规定 art. 3 para. 2: a company's order also restricts its legal representative, principal
 * persons in charge, persons directly responsible and actual controller; the order names at
 * least the legal representative and the actual controller (which may be the same person).
 */
export function missingCompanyRoles(roles: readonly RestrictedRole[]): RestrictedRole[] {
  const needed: RestrictedRole[] = ['legal_representative', 'actual_controller'];
  return needed.filter((r) => !roles.includes(r));
}

/** A company's unified social credit code is published whole (art. 6); a person's ID is masked. */
export const publishedIdOf = (kind: 'person' | 'company', id: string) =>
  kind === 'person' ? maskForList(id) : id;
