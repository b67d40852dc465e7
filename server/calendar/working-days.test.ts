import { describe, expect, it } from 'vitest';
import { CN_WORK_CALENDAR } from './cn-holidays';
import { addWorkingDays, beijingDate, isCalendarKnown, isWorkingDay } from './working-days';

describe('working days (the State Council arrangement as data)', () => {
  it('a public holiday on a weekday is off; a make-up Saturday or Sunday (调休) is worked', () => {
    expect(isWorkingDay('2025-10-08')).toBe(false); // National Day week, a Wednesday
    expect(isWorkingDay('2025-10-11')).toBe(true); // Saturday, 调休
    expect(isWorkingDay('2025-09-28')).toBe(true); // Sunday, 调休
    expect(isWorkingDay('2025-10-12')).toBe(false); // an ordinary Sunday
    expect(isWorkingDay('2025-10-09')).toBe(true); // an ordinary Thursday
  });

  it('3 working days after a performance the day before a holiday week, across the week and a make-up Saturday', () => {
    // Performed on Tuesday 30 Sept 2025 (15:00 Beijing). Oct 1-8 are off; Thu 9, Fri 10 and the
    // make-up Saturday 11 Oct are the three working days: due at the end of Saturday 11 Oct.
    const performed = new Date('2025-09-30T07:00:00Z');
    expect(addWorkingDays(performed, 3).toISOString()).toBe('2025-10-11T16:00:00.000Z');
    // Without the arrangement it would be Friday 3 Oct: the data moves the deadline by eight days.
    expect(addWorkingDays(performed, 3, {}).toISOString()).toBe('2025-10-03T16:00:00.000Z');
  });

  it('the day of the event never counts, whatever the hour in Beijing', () => {
    // 23:30 on Monday 1 Dec 2025 in Beijing is 15:30 UTC; 00:30 on Tuesday is 16:30 UTC Monday.
    expect(addWorkingDays(new Date('2025-12-01T15:30:00Z'), 1).toISOString()).toBe(
      '2025-12-02T16:00:00.000Z',
    );
    expect(addWorkingDays(new Date('2025-12-01T16:30:00Z'), 1).toISOString()).toBe(
      '2025-12-03T16:00:00.000Z',
    );
    expect(beijingDate(new Date('2025-12-01T16:30:00Z'))).toBe('2025-12-02');
  });

  it('every year in the data is consistent: days off are weekdays, make-up days are weekends, none both', () => {
    for (const [year, a] of Object.entries(CN_WORK_CALENDAR)) {
      const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
      for (const d of a.work) {
        expect(d.startsWith(year), d).toBe(true);
        expect([0, 6], `${d} is a make-up working day`).toContain(weekday(d));
        expect(a.off, d).not.toContain(d);
      }
      for (const d of a.off)
        expect(d.startsWith(year) || d.startsWith(String(Number(year) + 1)), d).toBe(true);
    }
  });

  it('a year without data counts Monday to Friday and says so', () => {
    expect(isCalendarKnown('2026-10-01')).toBe(true);
    expect(isCalendarKnown('2031-10-01')).toBe(false);
    expect(isWorkingDay('2031-10-01')).toBe(true); // a Wednesday, no arrangement known yet
  });
});
