/**
 * Resident identity card numbers (GB 11643-1999): 17 digits and a check character
 * computed with ISO 7064 MOD 11-2. Pure; shared by the signup form and the service.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function normaliseNationalId(raw: string): string {
  return raw.trim().toUpperCase();
}

export function isValidNationalId(raw: string): boolean {
  const id = normaliseNationalId(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  if (CHECK[sum % 11] !== id[17]) return false;
  // Birth date (YYYYMMDD at 6..14) must be a real date.
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Shown everywhere instead of the number: the first 3 and last 4 characters. */
export function maskNationalId(raw: string): string {
  const id = normaliseNationalId(raw);
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}

/** Appends the right check character to 17 digits (used by tests and demo data). */
export function withCheckCharacter(first17: string): string {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return first17 + CHECK[sum % 11];
}
