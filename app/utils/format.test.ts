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
});
