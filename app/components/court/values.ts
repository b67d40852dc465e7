import { BEIJING_OFFSET_MS, beijingWallClock } from '../../utils/format';
/**
 * Values for form inputs (not for display: display uses formatMoney / formatDateTime).
 * Pure, so loaders and components share them.
 */

/**
 * A moment as the naive `YYYY-MM-DDTHH:mm` of <input type="datetime-local">, in Beijing time
 * (MomentSchema reads it back as Beijing time whatever the browser's zone).
 */
export function toBeijingInput(value: Date | string | number): string {
  return beijingWallClock(value).toISOString().slice(0, 16);
}

/** Integer fen → the yuan an input shows ("700000.07"; "1200" when whole). Integer arithmetic only. */
export function fenToYuanInput(fen: bigint | number | string): string {
  const v = BigInt(fen);
  const sign = v < 0n ? '-' : '';
  const abs = v < 0n ? -v : v;
  const cents = abs % 100n;
  return `${sign}${abs / 100n}${cents === 0n ? '' : `.${cents.toString().padStart(2, '0')}`}`;
}

/** Beijing wall-clock hour `hour`:00 on the day of `at` plus `days` days. */
export function beijingDayAt(at: Date, days: number, hour: number): Date {
  const local = beijingWallClock(at);
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + days);
  return new Date(midnight + hour * 3_600_000 - BEIJING_OFFSET_MS);
}

/** The next whole `minutes` after `at`. */
export function roundUp(at: Date, minutes: number): Date {
  const step = minutes * 60_000;
  return new Date(Math.ceil(at.getTime() / step) * step);
}
