import { describe, expect, it } from 'vitest';
import { fenToYuan, parseCsv, toCsv, yuanToFen } from './csv';

describe('CSV', () => {
  it('round-trips quotes, commas, new lines and Chinese; guards formula cells', () => {
    const text = toCsv(
      ['a', 'b'],
      [
        ['张三, "老张"', '=1+1'],
        ['x\ny', 5],
      ],
    );
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['张三, "老张"', "'=1+1"],
      ['x\ny', '5'],
    ]);
  });

  it('money as yuan text, exact both ways', () => {
    expect(fenToYuan(123_456n)).toBe('1234.56');
    expect(fenToYuan(5n)).toBe('0.05');
    expect(yuanToFen('1,234.5')).toBe(123_450n);
    expect(yuanToFen('¥30000')).toBe(3_000_000n);
    expect(yuanToFen('1.234')).toBeNull();
    expect(yuanToFen('-1')).toBeNull();
  });
});
