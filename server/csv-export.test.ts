import { describe, expect, it } from 'vitest';
import { csvDateTime, csvFilename, csvResponse, fenToYuan, toCsv } from './csv';

/** The file without its BOM, split into lines (each ends in CRLF). */
const lines = (csv: string) => csv.slice(1).split('\r\n');

describe('toCsv', () => {
  it('starts with a UTF-8 byte order mark, so Excel reads Chinese as UTF-8', () => {
    const csv = toCsv(['竞买人'], [['王五']]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(csv.indexOf('\uFEFF', 1)).toBe(-1);
  });

  it('ends every line, the last one too, in CRLF', () => {
    expect(toCsv(['a', 'b'], [['1', '2']])).toBe('\uFEFFa,b\r\n1,2\r\n');
    expect(toCsv(['a'], [])).toBe('\uFEFFa\r\n');
  });

  it('quotes cells holding a comma, a quote or a line break, doubling the quotes', () => {
    const csv = toCsv(['x'], [['a,b'], ['say "hi"'], ['two\nlines'], ['cr\rhere'], ['plain 文本']]);
    expect(lines(csv)).toEqual([
      'x',
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      '"cr\rhere"',
      'plain 文本',
      '',
    ]);
  });

  it('writes null as an empty cell and numbers as they are', () => {
    expect(lines(toCsv(['a', 'b', 'c', 'd'], [[null, 42, 12345678901234567890n, -7]]))[1]).toBe(
      ',42,12345678901234567890,-7',
    );
  });

  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+cmd|calc', "'+1+cmd|calc"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
  ])('turns the formula %j into text', (value, written) => {
    expect(lines(toCsv(['x'], [[value]]))[1]).toBe(written);
  });

  it('leaves plain numbers (negative amounts) and formula characters inside a cell alone', () => {
    expect(lines(toCsv(['x', 'y', 'z'], [['-1234.56', '+5', 'a=b@c']]))[1]).toBe('-1234.56,+5,a=b@c');
  });
});

describe('fenToYuan', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [123456, '1234.56'],
    [-5, '-0.05'],
    [-2700000, '-27000.00'],
    ['700000007', '7000000.07'],
  ])('%s fen → %s', (fen, yuan) => {
    expect(fenToYuan(fen)).toBe(yuan);
  });

  it('keeps every fen beyond 2^53', () => {
    expect(fenToYuan(9_007_199_254_740_993n)).toBe('90071992547409.93');
  });
});

describe('csvDateTime', () => {
  it('writes Beijing wall-clock time, and null as null', () => {
    expect(csvDateTime(new Date('2025-12-31T16:30:05.123Z'))).toBe('2026-01-01 00:30:05');
    expect(csvDateTime('2026-03-01T02:00:00Z')).toBe('2026-03-01 10:00:00');
    expect(csvDateTime(null)).toBeNull();
  });
});

describe('csvFilename', () => {
  it('dates the file by the Beijing calendar', () => {
    // 16:30 UTC on 31 December is already 1 January in Beijing.
    expect(csvFilename('deposits', new Date('2025-12-31T16:30:00Z'))).toBe('deposits-20260101.csv');
    expect(csvFilename('deposits', new Date('2025-12-31T15:59:59Z'))).toBe('deposits-20251231.csv');
  });
});

describe('csvResponse', () => {
  it('is a UTF-8 CSV attachment that caches do not keep', async () => {
    const res = csvResponse(toCsv(['金额'], [['1.00']]), 'deposits-20260101.csv');
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('Content-Disposition')).toBe('attachment; filename="deposits-20260101.csv"');
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});
