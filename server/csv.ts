/**
 * CSV for the bank files (server/disbursements) and the aid report exports, RFC 4180: pure, no
 * dependencies. Money goes out as yuan with two decimals computed from integer fen, and comes
 * back in the same way.
 */

/** A cell a spreadsheet would run as a formula (=, +, -, @) is prefixed with ' (CSV injection). */
function cell(value: string | number | bigint | null | undefined, guard = true): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (guard && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows to CSV text, CRLF line ends, a UTF-8 BOM so spreadsheet programs read the Chinese right. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | bigint | null)[])[],
) {
  const lines = [header.map((h) => cell(h)).join(',')];
  for (const r of rows) lines.push(r.map((v) => cell(v, typeof v === 'string')).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Integer fen → "1234.56" (no grouping, no currency sign): what a bank file carries. */
export function fenToYuan(fen: bigint): string {
  const negative = fen < 0n;
  const v = negative ? -fen : fen;
  return `${negative ? '-' : ''}${v / 100n}.${(v % 100n).toString().padStart(2, '0')}`;
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
