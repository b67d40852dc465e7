/**
 * Noto Sans SC for court documents, from the `@fontsource/noto-sans-sc` npm package, so a fresh
 * machine needs no system font. The package ships web fonts: one "chinese-simplified" file per
 * weight (GB 2312 and Latin, 8,000 glyphs) and a hundred unicode-range slices of the whole font.
 * Text is split into runs, each set in the first face that has its glyphs: the main file, then
 * the slice whose unicode-range (from the package's CSS) names the character.
 *
 * The WOFF (zlib) files are unpacked into plain OpenType once per process. Not WOFF2: fontkit
 * reads WOFF2's transformed glyph table back into glyphs many times their size, so a page's
 * subset of a few hundred characters weighed megabytes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';
import { projectRoot } from '../../db/paths.js';

export type Weight = 400 | 700;

const DIR = path.join(projectRoot(), 'node_modules/@fontsource/noto-sans-sc');
const MAIN = 'chinese-simplified';

/** A face a PDF registers: its name in the document and its OpenType bytes. */
export interface Face {
  name: string;
  bytes: Buffer;
}

interface Loaded extends Face {
  font: fontkit.Font;
}

const loaded = new Map<string, Loaded>();

function load(slice: string, weight: Weight): Loaded {
  const name = `NotoSansSC-${slice}-${weight}`;
  let face = loaded.get(name);
  if (!face) {
    const bytes = woffToSfnt(
      readFileSync(path.join(DIR, 'files', `noto-sans-sc-${slice}-${weight}-normal.woff`)),
    );
    face = { name, bytes, font: fontkit.create(bytes) };
    loaded.set(name, face);
  }
  return face;
}

/** The slices and their unicode ranges, read once from the package's CSS for the weight. */
const sliceTables = new Map<Weight, Array<{ slice: string; ranges: Array<[number, number]> }>>();

function slicesOf(weight: Weight) {
  let table = sliceTables.get(weight);
  if (!table) {
    const css = readFileSync(path.join(DIR, `${weight}.css`), 'utf8');
    table = [];
    const face = /noto-sans-sc-([a-z0-9-]+?)-\d00-normal\.woff2\)[^}]*?unicode-range:\s*([^;]+);/g;
    for (const m of css.matchAll(face)) {
      const ranges = m[2]!.split(',').map((r): [number, number] => {
        const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
        return [Number.parseInt(a!, 16), Number.parseInt(b ?? a!, 16)];
      });
      table.push({ slice: m[1]!, ranges });
    }
    sliceTables.set(weight, table);
  }
  return table;
}

/** The face that draws this character: the main file, else the slice that covers it, else the main file's .notdef. */
function faceFor(codePoint: number, weight: Weight): Loaded {
  const main = load(MAIN, weight);
  if (main.font.hasGlyphForCodePoint(codePoint)) return main;
  for (const { slice, ranges } of slicesOf(weight)) {
    if (!ranges.some(([a, b]) => codePoint >= a && codePoint <= b)) continue;
    const face = load(slice, weight);
    if (face.font.hasGlyphForCodePoint(codePoint)) return face;
  }
  return main;
}

/** The text as runs, each with the face that has its glyphs; a space stays in its run when that face has one. */
export function runsOf(text: string, weight: Weight): Array<{ face: Face; text: string }> {
  const runs: Array<{ face: Loaded; text: string }> = [];
  for (const ch of text) {
    const last = runs[runs.length - 1];
    const cp = ch.codePointAt(0)!;
    const face = /\s/.test(ch) && last?.face.font.hasGlyphForCodePoint(cp) ? last.face : faceFor(cp, weight);
    if (last && last.face === face) last.text += ch;
    else runs.push({ face, text: ch });
  }
  return runs;
}

/** WOFF 1.0 → the OpenType file it wraps: each table inflated, the table directory rebuilt. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF file');
  const flavor = woff.readUInt32BE(4);
  const count = woff.readUInt16BE(12);
  const tables: Array<{ tag: number; checksum: number; data: Buffer }> = [];
  for (let i = 0; i < count; i++) {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const compressed = woff.readUInt32BE(at + 8);
    const original = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compressed);
    tables.push({
      tag: woff.readUInt32BE(at),
      checksum: woff.readUInt32BE(at + 16),
      data: compressed < original ? inflateSync(raw) : raw,
    });
  }
  tables.sort((a, b) => a.tag - b.tag);
  const pad = (n: number) => (n + 3) & ~3;
  const headerSize = 12 + 16 * count;
  const out = Buffer.alloc(tables.reduce((n, t) => n + pad(t.data.length), headerSize));
  const selector = Math.floor(Math.log2(count));
  const searchRange = 2 ** selector * 16;
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(count, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(selector, 8);
  out.writeUInt16BE(count * 16 - searchRange, 10);
  let offset = headerSize;
  tables.forEach((t, i) => {
    const record = 12 + i * 16;
    out.writeUInt32BE(t.tag, record);
    out.writeUInt32BE(t.checksum, record + 4);
    out.writeUInt32BE(offset, record + 8);
    out.writeUInt32BE(t.data.length, record + 12);
    t.data.copy(out, offset);
    offset += pad(t.data.length);
  });
  return out;
}
