import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runsOf } from './fonts';
import { type CourtDocument, renderPdf } from './pdf';

/**
 * A string entry of the PDF's document information (`/Title 13 0 R` … `13 0 obj (…)`), decoded:
 * pdfkit writes text on the pages as glyph ids, but the metadata as PDF strings (UTF-16BE with a
 * byte-order mark when not ASCII). A tiny reader of exactly that, not a PDF parser.
 */
function infoString(pdf: Buffer, key: string): string | null {
  const raw = pdf.toString('latin1');
  const ref = new RegExp(`/${key} (\\d+) 0 R`).exec(raw);
  if (!ref) return null;
  const start = raw.indexOf(`\n${ref[1]} 0 obj\n(`);
  if (start < 0) return null;
  const bytes: number[] = [];
  let depth = 0;
  for (let i = start + `\n${ref[1]} 0 obj\n(`.length; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const next = raw[++i]!;
      const octal = /^[0-7]{1,3}/.exec(raw.slice(i, i + 3));
      if (octal) {
        bytes.push(Number.parseInt(octal[0], 8));
        i += octal[0].length - 1;
      } else
        bytes.push(
          ({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[next] ?? next.charCodeAt(0),
        );
      continue;
    }
    if (c === '(') depth++;
    if (c === ')' && depth-- === 0) break;
    bytes.push(c.charCodeAt(0));
  }
  const b = Buffer.from(bytes);
  if (b[0] === 0xfe && b[1] === 0xff) {
    const le = Buffer.from(b.subarray(2));
    le.swap16();
    return le.toString('utf16le');
  }
  return b.toString('latin1');
}

const ruling: CourtDocument = {
  title: '执行裁定书（2026）青0104执801号之一',
  author: '西宁市城西区人民法院',
  date: new Date('2026-03-12T02:00:00Z'),
  blocks: [
    { kind: 'heading', text: '西宁市城西区人民法院' },
    { kind: 'heading', text: '执 行 裁 定 书', size: 26 },
    { kind: 'number', text: '（2026）青0104执801号之一' },
    { kind: 'line', text: '买受人：张仐侒，居民身份证号码 630***********1234。' },
    {
      kind: 'paragraph',
      text: '本院在执行中，于2026年3月1日在网络司法拍卖平台上公开拍卖被执行人名下的房产，买受人以最高价人民币1,234,567.89元竞得，已全额支付价款。',
    },
    { kind: 'signature', lines: ['执行法官  李法官', '二〇二六年三月十二日'] },
  ],
};

describe('court documents as PDF', () => {
  it('is a PDF whose metadata carries the document number, with the fonts embedded as subsets', async () => {
    const pdf = await renderPdf(ruling);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    expect(infoString(pdf, 'Title')).toBe('执行裁定书（2026）青0104执801号之一');
    expect(infoString(pdf, 'Author')).toBe('西宁市城西区人民法院');
    const raw = pdf.toString('latin1');
    // Embedded TrueType subsets (a six-letter tag + the face's PostScript name): the main regular
    // and bold faces, and the slice that has the two characters the main file lacks (仐侒).
    expect(raw).toMatch(/\/FontFile2 /);
    const faces = new Set([...raw.matchAll(/\/BaseFont \/[A-Z]{6}\+([\w-]+)/g)].map((m) => m[1]!));
    expect([...faces].filter((f) => /^NotoSansSC/.test(f))).toEqual([...faces]);
    expect([...faces].some((f) => f.endsWith('-Regular'))).toBe(true);
    expect([...faces].some((f) => f.endsWith('-Bold'))).toBe(true);
    expect(faces.size).toBe(3);
    expect(raw).not.toContain('/Helvetica');
    // Subsets, not whole fonts: the page's few dozen characters, not the 2.5 MB face.
    expect(pdf.length).toBeLessThan(200_000);
  });

  it('gives the same bytes for the same input (its sha256 identifies it)', async () => {
    const a = await renderPdf(ruling);
    const b = await renderPdf(ruling);
    const sha = (x: Buffer) => createHash('sha256').update(x).digest('hex');
    expect(sha(a)).toBe(sha(b));
    const later = await renderPdf({ ...ruling, date: new Date('2026-03-13T02:00:00Z') });
    expect(sha(later)).not.toBe(sha(a));
  });

  it('sets each character in a face that has its glyph', () => {
    const runs = runsOf('买受人张仐侒 ABC ¥1,234.56', 400);
    expect(runs.map((r) => r.text).join('')).toBe('买受人张仐侒 ABC ¥1,234.56');
    expect(runs.length).toBe(3);
    expect(runs[0]!.face.name).toBe('NotoSansSC-chinese-simplified-400');
    expect(runs[1]!.text.trim()).toBe('仐侒');
    expect(runs[1]!.face.name).not.toBe(runs[0]!.face.name);
  });
});
