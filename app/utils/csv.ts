/**
 * CSV for spreadsheets (RFC 4180): CRLF line ends, fields quoted when they must be, and a UTF-8
 * byte order mark, without which Excel reads UTF-8 as the local code page and garbles Chinese.
 * Pure: loaders build the rows, `csvResponse` sends them.
 */

import { beijingWallClock } from './format';

export type CsvCell = string | number | bigint | null;

const BOM = '\uFEFF';

/** A plain decimal number ("-1234.56"): a spreadsheet reads it as a number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * CSV formula injection (OWASP): a cell starting with = + - @ (or a tab / carriage return, which
 * some spreadsheets skip before looking for one) may be run as a formula. A leading single quote
 * makes the spreadsheet show it as text. Plain numbers are left alone so amounts stay numbers.
 */
function guard(text: string): string {
  if (/^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text)) return `'${text}`;
  return text;
}

function cell(value: CsvCell): string {
  if (value === null) return '';
  const text = typeof value === 'string' ? guard(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole file: BOM, header, rows; every line (the last one too) ends in CRLF. */
export function toCsv(header: string[], rows: Array<Array<CsvCell>>): string {
  return BOM + [header, ...rows].map((r) => `${r.map(cell).join(',')}\r\n`).join('');
}

/**
 * Integer fen → yuan with two decimals ("-1234.56"), by integer arithmetic: no floating point
 * touches money, and there are no thousands separators (which would split a CSV cell).
 */
export function fenToYuan(fen: bigint | number | string): string {
  const v = BigInt(fen);
  const abs = v < 0n ? -v : v;
  return `${v < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** An instant as Beijing wall-clock time, "YYYY-MM-DD HH:mm:ss" (a spreadsheet reads it as a date). */
export function csvDateTime(at: Date | string | null): string | null {
  return at === null ? null : beijingWallClock(at).toISOString().slice(0, 19).replace('T', ' ');
}

/** `<prefix>-YYYYMMDD.csv`, dated by the Beijing calendar. */
export function csvFilename(prefix: string, at: Date): string {
  return `${prefix}-${beijingWallClock(at).toISOString().slice(0, 10).replaceAll('-', '')}.csv`;
}

/** A download of `csv` named `filename` (ASCII: the callers build it from a prefix and a date). */
export function csvResponse(csv: string, filename: string): Response {
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      // Money and names of bidders: not for shared caches, and not kept.
      'Cache-Control': 'private, no-store',
    },
  });
}
