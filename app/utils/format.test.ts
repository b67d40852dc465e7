import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatMoney } from './format';

describe('formatMoney', () => {
  it.each([
    [0, '¥0.00'],
    [1, '¥0.01'],
    [123456, '¥1,234.56'],
    [100_000_000, '¥1,000,000.00'],
    [-5, '-¥0.05'],
  ])('%s fen → %s', (fen, text) => {
    expect(formatMoney(fen)).toBe(text);
  });

  it('keeps every fen of amounts beyond 2^53', () => {
    expect(formatMoney(9_007_199_254_740_993n)).toBe('¥90,071,992,547,409.93');
  });
});

describe('dates in Asia/Shanghai', () => {
  // 2024-12-31T16:30:00Z is already 1 January 2025, 00:30 in Beijing.
  const instant = new Date('2024-12-31T16:30:00Z');
  it('shows the Beijing wall clock', () => {
    expect(formatDateTime(instant, 'zh-CN')).toBe('2025/01/01 00:30');
    expect(formatDate(instant, 'en')).toBe('01/01/2025');
  });

  it('writes what Intl writes, in both languages, with and without seconds', () => {
    const day = { year: 'numeric', month: '2-digit', day: '2-digit' } as const;
    const minute = { ...day, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    const intl = (locale: string, opts: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', ...opts });
    for (const locale of ['zh-CN', 'en'] as const) {
      const [m, s, d] = [
        intl(locale, minute),
        intl(locale, { ...minute, second: '2-digit' }),
        intl(locale, day),
      ];
      // Two years in steps of 5 h 1 min 1 s: every hour of the day, month and year ends, the leap day.
      for (let t = Date.UTC(2023, 11, 31, 15); t < Date.UTC(2025, 11, 31, 17); t += 18_061_000) {
        expect(formatDateTime(t, locale)).toBe(m.format(t));
        expect(formatDateTime(t, locale, true)).toBe(s.format(t));
        expect(formatDate(t, locale)).toBe(d.format(t));
      }
      expect(formatDateTime(Date.UTC(2024, 1, 28, 16), locale)).toBe(m.format(Date.UTC(2024, 1, 28, 16)));
    }
  });

  it('refuses an instant that is not one, as Intl does', () => {
    expect(() => formatDateTime('not a date', 'zh-CN')).toThrow(RangeError);
    expect(() => formatDate(Number.NaN, 'en')).toThrow(RangeError);
  });
});
