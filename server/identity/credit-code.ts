/**
 * Unified social credit codes of organisations (统一社会信用代码, GB 32100-2015): 18 characters
 * from 31 (digits and capitals without I, O, S, V, Z); characters 3-8 are the administrative
 * division code, the 18th is a check character computed MOD 31 with the weights 3^i mod 31.
 * Pure; shared by the court's forms, the court API and the services.
 */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function normaliseCreditCode(raw: string): string {
  return raw.trim().toUpperCase();
}

function checkCharacter(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CHARSET.indexOf(first17[i] ?? '');
    if (value < 0) return null;
    sum += value * WEIGHTS[i]!;
  }
  return CHARSET[(31 - (sum % 31)) % 31]!;
}

export function isValidCreditCode(raw: string): boolean {
  const code = normaliseCreditCode(raw);
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  return checkCharacter(code.slice(0, 17)) === code[17];
}

/** Shown instead of the code: the first 3 and last 4 characters, as for ID numbers. */
export function maskCreditCode(raw: string): string {
  const code = normaliseCreditCode(raw);
  return `${code.slice(0, 3)}${'*'.repeat(code.length - 7)}${code.slice(-4)}`;
}

/** Appends the right check character to 17 characters (used by tests and demo data). */
export function withCreditCheckCharacter(first17: string): string {
  const check = checkCharacter(first17);
  if (check === null) throw new Error(`not a credit code body: ${first17}`);
  return first17 + check;
}
