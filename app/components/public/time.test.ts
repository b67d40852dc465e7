import { describe, expect, it } from 'vitest';
import {
  beijingDay,
  beijingMonth,
  clockText,
  formatDay,
  formatMonth,
  groupByBeijingDay,
  monthRange,
  remaining,
  shiftMonth,
} from './time';

describe('Beijing months and days', () => {
  it('puts an instant in its Beijing month, not its UTC month', () => {
    // 2026-11-30T16:00Z is already 1 December 00:00 in Beijing.
    expect(beijingMonth(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12');
    expect(beijingMonth(new Date('2026-11-30T15:59:59.999Z'))).toBe('2026-11');
    expect(beijingDay(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01');
    expect(beijingDay(new Date('2026-11-30T15:59:59.999Z'))).toBe('2026-11-30');
    // New Year in Beijing is still 31 December in UTC.
    expect(beijingMonth('2026-12-31T16:30:00Z')).toBe('2027-01');
  });

  it('spans a month from Beijing midnight of the 1st to Beijing midnight of the next 1st', () => {
    expect(monthRange('2026-12')).toEqual({
      from: new Date('2026-11-30T16:00:00Z'),
      to: new Date('2026-12-31T16:00:00Z'),
    });
    // February of a leap year, and a year boundary.
    expect(monthRange('2028-02').to).toEqual(new Date('2028-02-29T16:00:00Z'));
    expect(monthRange('2027-01').from).toEqual(monthRange('2026-12').to);
  });

  it('refuses what is not a month', () => {
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-01', '2026-01-01', ''])
      expect(() => monthRange(bad)).toThrow(RangeError);
  });

  it('steps over year boundaries', () => {
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2027-01', -1)).toBe('2026-12');
    expect(shiftMonth('2026-06', -18)).toBe('2024-12');
    expect(shiftMonth('2026-06', 0)).toBe('2026-06');
  });

  it('groups by Beijing day in day order, keeping the order within a day', () => {
    const items = [
      { id: 'b', at: '2026-12-01T01:00:00Z' }, // 1 Dec 09:00 Beijing
      { id: 'a', at: '2026-11-30T16:00:00Z' }, // 1 Dec 00:00 Beijing
      { id: 'z', at: '2026-11-30T15:59:00Z' }, // 30 Nov 23:59 Beijing
    ];
    expect(groupByBeijingDay(items, (i) => i.at)).toEqual([
      { day: '2026-11-30', items: [items[2]] },
      { day: '2026-12-01', items: [items[0], items[1]] },
    ]);
  });

  it('names months and days in both languages', () => {
    expect(formatMonth('2026-12', 'zh-CN')).toBe('2026年12月');
    expect(formatMonth('2026-12', 'en')).toBe('December 2026');
    expect(formatDay('2026-12-05', 'zh-CN')).toBe('2026年12月5日星期六');
    expect(formatDay('2026-12-05', 'en')).toBe('Saturday, December 5, 2026');
  });
});

describe('countdown', () => {
  it('splits the time left and rounds partial seconds up', () => {
    const now = Date.UTC(2026, 0, 1);
    const r = remaining(now + 2 * 86_400_000 + 3 * 3_600_000 + 4 * 60_000 + 5_000 - 300, now);
    expect(r).toEqual({ days: 2, hours: 3, minutes: 4, seconds: 5, total: 183_845 });
    expect(clockText(r)).toBe('03:04:05');
    expect(remaining(now + 1, now).total).toBe(1);
  });

  it('stops at zero once the moment has passed', () => {
    expect(remaining(1_000, 5_000)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 0, total: 0 });
    expect(clockText(remaining(1_000, 1_000))).toBe('00:00:00');
  });
});
