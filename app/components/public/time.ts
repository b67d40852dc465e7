import type { Locale } from '../../../server/http/cookies';
import { BEIJING_OFFSET_MS, beijingWallClock, TIME_ZONE } from '../../utils/format';

/**
 * Beijing calendar arithmetic for the public pages. China has kept UTC+8 all year since 1991
 * (no daylight saving), so a fixed offset is exact and needs no time-zone database.
 */

/** `YYYY-MM`, months 01-12. */
export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Wall-clock fields of an instant as seen in Beijing. */
function beijingFields(at: Date | string | number) {
  const d = beijingWallClock(at);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The month (`YYYY-MM`) an instant falls in, in Beijing. */
export function beijingMonth(at: Date | string | number): string {
  const { year, month } = beijingFields(at);
  return `${pad(year, 4)}-${pad(month)}`;
}

/** The day (`YYYY-MM-DD`) an instant falls on, in Beijing. */
export function beijingDay(at: Date | string | number): string {
  const { year, month, day } = beijingFields(at);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function parseMonth(month: string): { year: number; month: number } {
  const m = MONTH_PATTERN.exec(month);
  if (!m) throw new RangeError(`not a month: ${month}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

/** [from, to) in UTC instants: Beijing midnight of the 1st to Beijing midnight of the next 1st. */
export function monthRange(month: string): { from: Date; to: Date } {
  const { year, month: m } = parseMonth(month);
  return {
    from: new Date(Date.UTC(year, m - 1, 1) - BEIJING_OFFSET_MS),
    to: new Date(Date.UTC(year, m, 1) - BEIJING_OFFSET_MS),
  };
}

/** The month `delta` months after (or before) `month`. */
export function shiftMonth(month: string, delta: number): string {
  const { year, month: m } = parseMonth(month);
  const index = year * 12 + (m - 1) + delta;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

/** Items grouped by their Beijing day, days in ascending order, items kept in input order. */
export function groupByBeijingDay<T>(items: readonly T[], at: (item: T) => Date | string | number) {
  const days = new Map<string, T[]>();
  for (const item of items) {
    const key = beijingDay(at(item));
    const list = days.get(key);
    if (list) list.push(item);
    else days.set(key, [item]);
  }
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, list]) => ({ day, items: list }));
}

/** "2026年12月" / "December 2026". */
export function formatMonth(month: string, locale: Locale): string {
  const { from } = monthRange(month);
  return new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, year: 'numeric', month: 'long' }).format(
    from,
  );
}

/** "2026年12月5日星期六" / "Saturday, December 5, 2026" for a `YYYY-MM-DD` Beijing day. */
export function formatDay(day: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, dateStyle: 'full' }).format(
    new Date(`${day}T12:00:00+08:00`),
  );
}

/** "09:30" in Beijing. */
export function formatTime(at: Date | string | number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(at));
}

export interface Remaining {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  /** Whole seconds left; 0 once the moment has passed. */
  total: number;
}

/**
 * Time left until `target`, in whole seconds rounded up (a countdown shows 00:00:01 until the
 * last fraction of a second is gone, never 00:00:00 early).
 */
export function remaining(targetMs: number, nowMs: number): Remaining {
  const total = Math.max(0, Math.ceil((targetMs - nowMs) / 1000));
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3_600),
    minutes: Math.floor((total % 3_600) / 60),
    seconds: total % 60,
    total,
  };
}

/** "03:04:05" (the days are shown apart). */
export function clockText(r: Remaining): string {
  return `${pad(r.hours)}:${pad(r.minutes)}:${pad(r.seconds)}`;
}
