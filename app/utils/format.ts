import type { Locale } from '../../server/http/cookies';

export const TIME_ZONE = 'Asia/Shanghai';
/** China Standard Time is UTC+8 all year (no daylight saving), so wall-clock arithmetic is a fixed shift. */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** An instant shifted so its UTC fields read as the Beijing wall clock (getUTCFullYear() is the Beijing year). */
export const beijingWallClock = (at: Date | string | number) =>
  new Date(new Date(at).getTime() + BEIJING_OFFSET_MS);

/** 1234567n → "1,234,567". */
const thousands = (n: bigint) => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * Integer fen → "¥1,234.56". Pure integer arithmetic: no floating point touches money.
 */
export function formatMoney(fen: bigint | number | string): string {
  let v = BigInt(fen);
  const negative = v < 0n;
  if (negative) v = -v;
  const yuan = thousands(v / 100n);
  const cents = (v % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}¥${yuan}.${cents}`;
}

/**
 * A large sum as a headline figure, the way Chinese platforms print one ("¥256.2万", "¥3.05亿";
 * in English "¥2.56 million"): two decimals at most, rounded half up, by integer arithmetic.
 * Below 10,000 yuan (1 million in English) it is formatMoney. For figures, never for amounts owed.
 */
export function formatMoneyShort(fen: bigint | number | string, locale: Locale): string {
  const v = BigInt(fen);
  const units: [bigint, string][] =
    locale === 'en'
      ? [
          [100_000_000_000n, ' billion'],
          [100_000_000n, ' million'],
        ]
      : [
          [10_000_000_000n, '亿'],
          [1_000_000n, '万'],
        ];
  const abs = v < 0n ? -v : v;
  const unit = units.find(([fenPer]) => abs >= fenPer);
  if (!unit) return formatMoney(v);
  const [fenPer, name] = unit;
  const hundredths = (abs * 100n + fenPer / 2n) / fenPer;
  const whole = thousands(hundredths / 100n);
  const decimals = (hundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return `${v < 0n ? '-' : ''}¥${whole}${decimals ? `.${decimals}` : ''}${name}`;
}

/**
 * Dates and times on the Beijing wall clock, whatever the browser's zone, as Intl writes them
 * (zh-CN `2025/01/01 00:30`, en `01/01/2025, 00:30`), by arithmetic on the fixed UTC+8 shift: a
 * phone's first Intl.DateTimeFormat with a time zone loads the zone data, about 50 ms of a
 * page's hydration on a fast CPU and four times that on the slowed phone profile (ADR 034).
 * format.test.ts holds both to Intl's output.
 */
function beijingFields(value: Date | string | number) {
  const at = beijingWallClock(value);
  if (Number.isNaN(at.getTime())) throw new RangeError('Invalid time value');
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    year: String(at.getUTCFullYear()),
    month: two(at.getUTCMonth() + 1),
    day: two(at.getUTCDate()),
    hour: two(at.getUTCHours()),
    minute: two(at.getUTCMinutes()),
    second: two(at.getUTCSeconds()),
  };
}

function dateOf(f: ReturnType<typeof beijingFields>, locale: Locale) {
  return locale === 'en' ? `${f.month}/${f.day}/${f.year}` : `${f.year}/${f.month}/${f.day}`;
}

export function formatDateTime(value: Date | string | number, locale: Locale, withSeconds = false): string {
  const f = beijingFields(value);
  const time = withSeconds ? `${f.hour}:${f.minute}:${f.second}` : `${f.hour}:${f.minute}`;
  return locale === 'en' ? `${dateOf(f, locale)}, ${time}` : `${dateOf(f, locale)} ${time}`;
}

export function formatDate(value: Date | string | number, locale: Locale): string {
  return dateOf(beijingFields(value), locale);
}
