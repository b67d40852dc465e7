/**
 * The legal time limit of an enforcement case (审限), as pure date arithmetic (ADR 016).
 *
 * Provisions on Strictly Enforcing Time Limits (2000) art. 5: an enforcement case is closed
 * within 6 months of filing, a non-litigation one within 3; art. 6: the president may extend it
 * (by up to 3 months), further only with the high court; art. 9: appraisal, audit and
 * asset-clearing periods, suspension until resumption, postponement, auction and sale periods
 * and notice periods are not counted.
 *
 * Dates are Beijing calendar dates (`YYYY-MM-DD`). The period starts the day after filing and
 * its last day is the filing date's corresponding day in the last month, or that month's last
 * day when it has none (Civil Code arts. 201-202): filed 1 January 2024, due 1 July 2024 (day
 * 183 counting the filing day). An excluded interval is half-open, [start, end): a suspension
 * from 3 March resumed on 10 March excludes 7 days; one still running counts up to today and
 * stops the clock. Overlapping intervals count once; only days after filing count.
 */

export type DateString = string;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export const dayNumber = (d: DateString): number => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
export const fromDayNumber = (n: number): DateString => new Date(n * DAY_MS).toISOString().slice(0, 10);
export const addDays = (d: DateString, n: number): DateString => fromDayNumber(dayNumber(d) + n);
export const daysBetween = (from: DateString, to: DateString): number => dayNumber(to) - dayNumber(from);

/** The same day `months` later, or the last day of that month when it has no such day (Civil Code art. 202). */
export function addMonths(d: DateString, months: number): DateString {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromDayNumber(Date.UTC(year, month, Math.min(day, last)) / DAY_MS);
}

/** The Beijing calendar date of an instant (UTC+8, no daylight saving). */
export const beijingDateOf = (at: Date): DateString =>
  new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export interface ExcludedInterval {
  /** Why the clock stopped: a stored kind, or `auction`/`sale` read from a listing. */
  kind: string;
  start: DateString;
  /** Exclusive; null while it lasts. */
  end: DateString | null;
}

export interface TimeLimitInput {
  filedOn: DateString;
  caseType: string | null;
  titleKind: 'litigation' | 'non_litigation';
  extensions: readonly { months: number }[];
  intervals: readonly ExcludedInterval[];
  /** The closure date, when closed: the limit is then judged on it. */
  closedOn?: DateString | null;
  today: DateString;
}

export interface TimeLimit {
  /** Months of the limit: 6 or 3, plus the extensions. */
  months: number;
  /** Days the limit lasts before exclusions: filing date to the due date of the gross period. */
  limitDays: number;
  /** The due date without exclusions. */
  grossDueOn: DateString;
  /** The last day within the limit, net of the excluded days (so far, for an open case). */
  dueOn: DateString;
  /** Excluded days that moved the due date (those after filing and before it). */
  excludedDays: number;
  /** An excluded period runs today: the clock is stopped. */
  paused: boolean;
  /** Open case: days left until the due date (negative when overdue). */
  daysLeft: number | null;
  overdue: boolean;
  /** Closed case: days used, net of excluded days up to the closure, and whether within the limit. */
  netDays: number | null;
  withinLimit: boolean | null;
}

/** Art. 5: the limit applies to enforcement proper; the indicators count first and resumed cases. */
export const LIMITED_TYPES: readonly string[] = ['first', 'resumed'];
export const baseMonths = (titleKind: TimeLimitInput['titleKind']) =>
  titleKind === 'non_litigation' ? 3 : 6;

/**
 * The union of the intervals after filing, sorted and merged, as day numbers; an open interval
 * (or one reaching past today) is cut at `until` when given.
 */
function merged(intervals: readonly ExcludedInterval[], from: number, until: number): [number, number][] {
  const spans = intervals
    .map((i): [number, number] => [
      Math.max(dayNumber(i.start), from),
      i.end === null ? Math.max(until, dayNumber(i.start)) : dayNumber(i.end),
    ])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of spans) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** The time limit of a case now (or at its closure); null when none applies to its type. */
export function timeLimitOf(input: TimeLimitInput): TimeLimit | null {
  if (input.caseType !== null && !LIMITED_TYPES.includes(input.caseType)) return null;
  const filed = dayNumber(input.filedOn);
  const today = dayNumber(input.today);
  const closed = input.closedOn ? dayNumber(input.closedOn) : null;
  const months = baseMonths(input.titleKind) + input.extensions.reduce((s, e) => s + e.months, 0);
  const grossDueOn = addMonths(input.filedOn, months);
  const limitDays = dayNumber(grossDueOn) - filed;
  // The clock of an open case stops today at the latest; a closed case's at its closure.
  const until = closed ?? today;
  const spans = merged(input.intervals, filed + 1, until);
  // Each excluded span that starts before the (moving) due date pushes it by its length.
  let due = filed + limitDays;
  let excluded = 0;
  for (const [s, e] of spans) {
    if (s > due) break;
    due += e - s;
    excluded += e - s;
  }
  const paused =
    closed === null &&
    input.intervals.some((i) => dayNumber(i.start) <= today && (i.end === null || dayNumber(i.end) > today));
  if (closed !== null) {
    const excludedBeforeClosure = spans.reduce(
      (sum, [s, e]) => sum + Math.max(0, Math.min(e, closed) - s),
      0,
    );
    const netDays = closed - filed - excludedBeforeClosure;
    return {
      months,
      limitDays,
      grossDueOn,
      dueOn: fromDayNumber(due),
      excludedDays: excluded,
      paused: false,
      daysLeft: null,
      overdue: false,
      netDays,
      withinLimit: netDays <= limitDays,
    };
  }
  return {
    months,
    limitDays,
    grossDueOn,
    dueOn: fromDayNumber(due),
    excludedDays: excluded,
    paused,
    daysLeft: due - today,
    overdue: today > due,
    netDays: null,
    withinLimit: null,
  };
}

/** A listing's auction or sale period: from its announcement to the end of its bidding or sale (art. 9). */
export function listingInterval(l: {
  kind: 'auction' | 'fixed_price_sale';
  status: string;
  announceAt: Date;
  endedAt: Date | null;
  updatedAt: Date;
}): ExcludedInterval | null {
  if (l.status === 'draft' || l.status === 'pending_approval') return null;
  const end = l.endedAt ?? (l.status === 'withdrawn' ? l.updatedAt : null);
  return {
    kind: l.kind === 'auction' ? 'auction' : 'sale',
    start: beijingDateOf(l.announceAt),
    end: end ? beijingDateOf(end) : null,
  };
}
