import { describe, expect, it } from 'vitest';
import { isValidCreditCode, maskCreditCode, withCreditCheckCharacter } from './credit-code';

describe('unified social credit codes (GB 32100-2015)', () => {
  it('accepts codes with the right check character, in any case', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true); // the standard's published example
    expect(isValidCreditCode('91440300708461136T')).toBe(true);
    expect(isValidCreditCode('9144030071526726XG')).toBe(true);
    expect(isValidCreditCode(' 91350100m000100y43 ')).toBe(true);
  });

  it('handles the edges of the MOD 31 check: a sum divisible by 31 checks with 0, the last value with Y', () => {
    expect(withCreditCheckCharacter('91630100MA7000011')).toBe('91630100MA70000110');
    expect(isValidCreditCode('91630100MA70000110')).toBe(true);
    expect(withCreditCheckCharacter('91630100MA7000001')).toBe('91630100MA7000001Y');
    expect(isValidCreditCode('91630100MA7000001Y')).toBe(true);
  });

  it('refuses a wrong check character, a wrong length, letters outside the set, a non-numeric region', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y430')).toBe(false);
    // I, O, S, V and Z are not in the set, whatever the check character.
    for (const letter of 'IOSVZ') {
      const code = `91350100M${letter}00100Y4`;
      expect(isValidCreditCode(`${code}0`) || isValidCreditCode(`${code}Y`)).toBe(false);
      expect(() => withCreditCheckCharacter(code)).toThrow();
    }
    // Characters 3-8 are the administrative division code: digits only.
    expect(isValidCreditCode(withCreditCheckCharacter('9135A100M000100Y4'))).toBe(false);
    // An ID number is not a credit code (X is not in the set).
    expect(isValidCreditCode('11010519491231002X')).toBe(false);
  });

  it('masks all but the first 3 and last 4 characters', () => {
    expect(maskCreditCode('91350100m000100y43')).toBe('913***********0Y43');
  });
});
