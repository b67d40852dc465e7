import { describe, expect, it } from 'vitest';
import { capitalWords } from './capital-words';

describe('capitalWords (大写金额)', () => {
  it.each([
    [161_000_000n, '壹佰陆拾壹万元整'], // the quick bid, ¥1,610,000
    [0n, '零元整'],
    [100n, '壹元整'],
    [1_000n, '壹拾元整'],
    [1_500n, '壹拾伍元整'],
    [10_000_000n, '壹拾万元整'],
    [1_000_500_00n, '壹佰万零伍佰元整'],
    [1_000_500_000n, '壹仟万零伍仟元整'],
    [10_001_000_000n, '壹亿零壹万元整'],
    [10_000_000_000n, '壹亿元整'],
    [100_000_000_000_000n, '壹万亿元整'],
    [1_001_00n, '壹仟零壹元整'],
    [1_010_00n, '壹仟零壹拾元整'],
    [150n, '壹元伍角'],
    [105n, '壹元零伍分'],
    [5n, '伍分'],
    [50n, '伍角'],
    [123_456_789_01n, '壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元零壹分'],
    [999_999_999_99n, '玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
  ])('%s fen → %s', (fen, words) => {
    expect(capitalWords(fen)).toBe(words);
  });

  it('takes the fen strings the pages carry', () => {
    expect(capitalWords('161000000')).toBe('壹佰陆拾壹万元整');
  });

  it('refuses a negative amount and one beyond 16 digits of yuan', () => {
    expect(() => capitalWords(-1n)).toThrow(RangeError);
    expect(() => capitalWords(10n ** 18n)).toThrow(RangeError);
  });
});
