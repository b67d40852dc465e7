/**
 * Working days in China, counted in Beijing time (pure; the data is cn-holidays.ts). Statutory
 * periods in working days start the day after the event, whatever its hour, and end at the end of
 * the last day: "within 3 working days" of a Friday performance before a holiday week ends when
 * the third working day after it ends, make-up working days (调休) included.
 */
import { CN_WORK_CALENDAR, type YearArrangement } from './cn-holidays.js';

export const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The Beijing calendar day of an instant, `YYYY-MM-DD`. */
export const beijingDate = (at: Date) =>
  new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);

const sets = new Map<number, { off: ReadonlySet<string>; work: ReadonlySet<string> }>();
function yearOf(day: string, calendar: Readonly<Record<number, YearArrangement>>) {
  const year = Number(day.slice(0, 4));
  const known = calendar === CN_WORK_CALENDAR ? sets.get(year) : undefined;
  if (known) return known;
  const a = calendar[year];
  if (!a) return null;
  const s = { off: new Set(a.off), work: new Set(a.work) };
  if (calendar === CN_WORK_CALENDAR) sets.set(year, s);
  return s;
}

/** Whether the State Council's arrangement for this day's year is in the data. */
export const isCalendarKnown = (day: string, calendar = CN_WORK_CALENDAR) => yearOf(day, calendar) !== null;

/**
 * A working day: Monday to Friday unless the arrangement gives it off, and a Saturday or Sunday
 * the arrangement makes a working day (调休). A year without data counts Monday to Friday.
 */
export function isWorkingDay(day: string, calendar = CN_WORK_CALENDAR): boolean {
  const y = yearOf(day, calendar);
  if (y?.off.has(day)) return false;
  if (y?.work.has(day)) return true;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The end of the n-th working day after the day of `from` (in Beijing): the day of the event
 * does not count, whatever the hour. Returned as the instant the next day begins in Beijing, so
 * "due" means "before midnight at the end of that day".
 */
export function addWorkingDays(from: Date, n: number, calendar = CN_WORK_CALENDAR): Date {
  let dayStart = Date.parse(`${beijingDate(from)}T00:00:00Z`);
  let counted = 0;
  while (counted < n) {
    dayStart += DAY_MS;
    if (isWorkingDay(new Date(dayStart).toISOString().slice(0, 10), calendar)) counted += 1;
  }
  return new Date(dayStart + DAY_MS - BEIJING_OFFSET_MS);
}
