/**
 * CSV, RFC 4180: the one helper of every CSV the product writes or reads (bank files, the aid
 * report, the court's exports, the audit log) — pure, no dependencies, so routes import it too.
 * Money goes out as yuan with two decimals computed from integer fen, and comes back the same way;
 * times go out in Beijing wall-clock time.
 */

export type CsvCell = string | number | bigint | null | undefined;

const BOM = '\uFEFF';
/** Beijing is UTC+8 all year (no daylight saving). */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

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
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? guard(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The one CSV writer of the product (bank files, reports, every export; issue 22): a UTF-8 BOM
 * (without it Excel reads UTF-8 as the local code page and garbles Chinese), the header, the
 * rows; every line, the last one too, ends in CRLF.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
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

const beijing = (at: Date | string | number) => new Date(new Date(at).getTime() + BEIJING_OFFSET_MS);

/** An instant as Beijing wall-clock time, "YYYY-MM-DD HH:mm:ss" (a spreadsheet reads it as a date). */
export function csvDateTime(at: Date | string | null): string | null {
  return at === null ? null : beijing(at).toISOString().slice(0, 19).replace('T', ' ');
}

/** `<prefix>-YYYYMMDD.csv`, dated by the Beijing calendar. */
export function csvFilename(prefix: string, at: Date): string {
  return `${prefix}-${beijing(at).toISOString().slice(0, 10).replaceAll('-', '')}.csv`;
}

/** A download of `csv` named `filename` (ASCII: the callers build it from a prefix and a date). */
export function csvResponse(csv: string, filename: string): Response {
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      // Money and names: not for shared caches, and not kept.
      'Cache-Control': 'private, no-store',
    },
  });
}

/** "1234.5" / "1,234.56" / "¥1234" → fen; null when it is not an amount with at most two decimals. */
export function yuanToFen(text: string): bigint | null {
  const m = text
    .trim()
    .replace(/^¥/, '')
    .replace(/,/g, '')
    .match(/^(\d{1,13})(?:\.(\d{1,2}))?$/);
  if (!m) return null;
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

/** Parses CSV text (quoted fields, doubled quotes, CRLF or LF, a leading BOM) into rows of strings. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}
