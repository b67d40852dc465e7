/**
 * 终本 by the book: the five conditions of 终本规定 (法〔2016〕373号) art. 1, and the hearing of
 * the applicant its procedure requires, as a checklist computed from the measures on file. Each
 * condition says whether it is met, what is missing (gap keys under `zhongbenGap.*`), and the
 * dated measures it rests on. Pure: closure.ts refuses 终本 while any condition is missing, and
 * the case page shows the same list.
 */

import { type PropertyCategory, REQUIRED_CATEGORIES } from './schemas.js';
import { addMonths, type DateString } from './time-limit.js';

export const ZHONGBEN_CONDITIONS = [
  'notice_and_report', // art. 1(1), art. 2
  'restriction_and_listing', // art. 1(2)
  'property_search', // art. 1(3), art. 3
  'three_months', // art. 1(4)
  'debtor_whereabouts', // art. 1(5)
  'applicant_heard', // art. 1 (procedure): the applicant told the facts and heard
] as const;
export type ZhongbenCondition = (typeof ZHONGBEN_CONDITIONS)[number];

export interface MeasureFact {
  id: string;
  kind: string;
  takenOn: DateString;
  details: Record<string, unknown>;
  createdAt?: Date;
}

export interface Gap {
  key: string;
  params?: Record<string, string>;
}

export interface ConditionState {
  key: ZhongbenCondition;
  met: boolean;
  gaps: Gap[];
  /** The measures the condition rests on, oldest first. */
  evidence: { id: string; kind: string; takenOn: DateString }[];
}

export interface Checklist {
  conditions: ConditionState[];
  allMet: boolean;
  /** The conditions still missing, in order. */
  missing: ZhongbenCondition[];
}

/** Outcomes of the debtor's report that must be punished (art. 2) and are a listing ground (2017 Provisions art. 1(4)). */
const BAD_REPORTS = ['late', 'refused', 'false_report'];

/** The categories a recorded online search reached for every debtor it searched. */
export function coveredBy(details: Record<string, unknown>): PropertyCategory[] {
  const subjects = (details.subjects as { covered?: PropertyCategory[] }[] | undefined) ?? [];
  if (subjects.length === 0) return [];
  return subjects
    .map((s) => s.covered ?? [])
    .reduce((common, covered) => common.filter((c) => covered.includes(c)));
}

/** Whether a recorded online search found anything that can be disposed of. */
export function foundDisposable(details: Record<string, unknown>): boolean {
  const subjects = (details.subjects as { findings?: { disposable?: boolean }[] }[] | undefined) ?? [];
  return subjects.some((s) => (s.findings ?? []).some((f) => f.disposable));
}

/** The checklist on `on` (the closing date), from the measures taken by then. */
export function zhongbenChecklist(input: {
  filedOn: DateString;
  on: DateString;
  measures: readonly MeasureFact[];
}): Checklist {
  const ms = input.measures
    .filter((m) => m.takenOn <= input.on)
    .sort((a, b) =>
      a.takenOn === b.takenOn
        ? (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0)
        : a.takenOn < b.takenOn
          ? -1
          : 1,
    );
  const of = (...kinds: string[]) => ms.filter((m) => kinds.includes(m.kind));
  const after = (list: MeasureFact[], from: DateString) => list.filter((m) => m.takenOn >= from);
  const first = (list: MeasureFact[]) => list[0]?.takenOn;
  const conditions: ConditionState[] = [];
  const add = (key: ZhongbenCondition, gaps: Gap[], evidence: MeasureFact[]) =>
    conditions.push({
      key,
      met: gaps.length === 0,
      gaps,
      evidence: evidence.map(({ id, kind, takenOn }) => ({ id, kind, takenOn })),
    });

  // 1. Notice served, report ordered, the report checked; a late, refused or false one punished (art. 2).
  const notices = of('enforcement_notice');
  const orders = of('property_report_order');
  const reports = of('property_report');
  const bad = reports.filter((r) => BAD_REPORTS.includes(String(r.details.outcome)));
  const punished = bad.length ? after(of('fine', 'detention'), first(bad)!) : [];
  add(
    'notice_and_report',
    [
      ...(notices.length ? [] : [{ key: 'noNotice' }]),
      ...(orders.length ? [] : [{ key: 'noReportOrder' }]),
      ...(reports.length ? [] : [{ key: 'noReport' }]),
      ...(bad.length && !punished.length ? [{ key: 'reportNotPunished' }] : []),
    ],
    [...notices, ...orders, ...reports, ...punished],
  );

  // 2. A consumption restriction order; the dishonest-debtor listing where a ground exists.
  const restrictions = of('consumption_restriction');
  const listings = of('dishonest_listing');
  add(
    'restriction_and_listing',
    [
      ...(restrictions.length ? [] : [{ key: 'noRestriction' }]),
      ...(bad.length && !listings.length ? [{ key: 'noListing' }] : []),
    ],
    [...restrictions, ...listings],
  );

  // 3. Exhaustive investigation (art. 3): the network searched for the four required categories
  // (on-site checks where it does not reach), nothing disposable in the latest answer, the
  // applicant's leads checked, a requested audit or bounty done, hidden property searched for.
  const searches = of('online_search');
  const onsite = of('onsite_check');
  const covered = new Set<string>([
    ...searches.flatMap((s) => coveredBy(s.details)),
    ...onsite.flatMap((o) => (o.details.covers as string[] | undefined) ?? []),
  ]);
  const uncovered = REQUIRED_CATEGORIES.filter((c) => !covered.has(c));
  const latest = searches[searches.length - 1];
  const interviews = of('applicant_interview');
  const withLeads = interviews.filter((i) => typeof i.details.leads === 'string' && i.details.leads !== '');
  const leadsChecked = withLeads.length ? after(onsite, withLeads[withLeads.length - 1]!.takenOn) : [];
  const requested = new Set(interviews.flatMap((i) => (i.details.requests as string[] | undefined) ?? []));
  const hidden = onsite.filter((o) => o.details.propertyHidden === true);
  const searchedPremises = hidden.length ? after(of('premises_search'), first(hidden)!) : [];
  const gaps3: Gap[] = [];
  if (!searches.length) gaps3.push({ key: 'noSearch' });
  else if (uncovered.length)
    gaps3.push({ key: 'searchIncomplete', params: { categories: uncovered.join(',') } });
  if (latest && foundDisposable(latest.details)) gaps3.push({ key: 'propertyFound' });
  if (withLeads.length && !leadsChecked.length) gaps3.push({ key: 'leadsUnchecked' });
  if (requested.has('audit') && !of('audit').length) gaps3.push({ key: 'auditNotDone' });
  if (requested.has('bounty') && !of('bounty').length) gaps3.push({ key: 'bountyNotDone' });
  if (hidden.length && !searchedPremises.length) gaps3.push({ key: 'premisesNotSearched' });
  add('property_search', gaps3, [...searches, ...onsite, ...of('audit', 'bounty', 'premises_search')]);

  // 4. At least three months since filing.
  const earliest = addMonths(input.filedOn, 3);
  add('three_months', earliest <= input.on ? [] : [{ key: 'tooEarly', params: { from: earliest } }], []);

  // 5. A debtor who cannot be found (served by public notice) searched for.
  const missing = notices.some((n) => n.details.serviceMethod === 'publication');
  const searched = of('whereabouts_search');
  add('debtor_whereabouts', missing && !searched.length ? [{ key: 'debtorNotSearched' }] : [], [
    ...notices.filter((n) => n.details.serviceMethod === 'publication'),
    ...searched,
  ]);

  // The applicant told the facts and heard on 终本.
  const heard = interviews.filter((i) => i.details.subject === 'zhongben');
  add('applicant_heard', heard.length ? [] : [{ key: 'applicantNotHeard' }], heard);

  const missingKeys = conditions.filter((c) => !c.met).map((c) => c.key);
  return { conditions, allMet: missingKeys.length === 0, missing: missingKeys };
}
