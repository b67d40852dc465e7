import type { Locale } from '../../server/http/cookies';

export const TIME_ZONE = 'Asia/Shanghai';
/** China Standard Time is UTC+8 all year (no daylight saving), so wall-clock arithmetic is a fixed shift. */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** An instant shifted so its UTC fields read as the Beijing wall clock (getUTCFullYear() is the Beijing year). */
export const beijingWallClock = (at: Date | string | number) =>
  new Date(new Date(at).getTime() + BEIJING_OFFSET_MS);

/**
 * Integer fen → "¥1,234.56". Pure integer arithmetic: no floating point touches money.
 */
export function formatMoney(fen: bigint | number | string): string {
  let v = BigInt(fen);
  const negative = v < 0n;
  if (negative) v = -v;
  const yuan = (v / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (v % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}¥${yuan}.${cents}`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** Dates are shown in China Standard Time whatever the browser's zone. */
export function formatDateTime(value: Date | string | number, locale: Locale, withSeconds = false): string {
  const key = `${locale}|${withSeconds}`;
  let fmt = dateTimeFormats.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      ...(withSeconds && { second: '2-digit' }),
      hourCycle: 'h23',
    });
    dateTimeFormats.set(key, fmt);
  }
  return fmt.format(new Date(value));
}

export function formatDate(value: Date | string | number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(value));
}
