import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatMoney, formatMoneyShort } from './format';

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

describe('formatMoneyShort', () => {
  it.each([
    [999_999n, 'zh-CN', '¥9,999.99'],
    [1_000_000n, 'zh-CN', '¥1万'],
    [256_200_000n, 'zh-CN', '¥256.2万'],
    [256_205_000n, 'zh-CN', '¥256.21万'],
    [256_204_999n, 'zh-CN', '¥256.2万'],
    [30_500_000_000n, 'zh-CN', '¥3.05亿'],
    [9_999_999_999n, 'zh-CN', '¥10,000万'],
    [99_999_999n, 'en', '¥999,999.99'],
    [256_200_000n, 'en', '¥2.56 million'],
    [123_456_789_000n, 'en', '¥1.23 billion'],
    [-256_200_000n, 'zh-CN', '-¥256.2万'],
  ] as const)('%s fen in %s is %s', (fen, locale, text) => {
    expect(formatMoneyShort(fen, locale)).toBe(text);
  });
});
