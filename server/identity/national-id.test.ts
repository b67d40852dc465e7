import { describe, expect, it } from 'vitest';
import { isValidNationalId, maskNationalId, withCheckCharacter } from './national-id';

describe('resident ID numbers (GB 11643)', () => {
  it('accepts a number with the right check character, X included', () => {
    expect(isValidNationalId('11010519491231002X')).toBe(true); // the standard's published example
    expect(isValidNationalId('11010519491231002x')).toBe(true);
    expect(isValidNationalId(withCheckCharacter('63010419850612301'))).toBe(true);
  });

  it('refuses a wrong check character, a wrong length and an impossible birth date', () => {
    expect(isValidNationalId('110105194912310021')).toBe(false);
    expect(isValidNationalId('11010519491231002')).toBe(false);
    expect(isValidNationalId(withCheckCharacter('63010419850230301'))).toBe(false); // 30 February
  });

  it('masks all but the first 3 and last 4 characters', () => {
    expect(maskNationalId('11010519491231002x')).toBe('110***********002X');
  });
});
