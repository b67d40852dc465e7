/**
 * Court documents as PDF (the ruling confirming a sale today; the distribution plan next): A4,
 * Noto Sans SC embedded as subsets (fonts.ts), the layout of a Chinese court document (the
 * court and the document's kind centred, its number, the body with a two-character first-line
 * indent, the signature block on the right).
 *
 * Deterministic: the creation date is the document's own date and the file id is derived from
 * the metadata, so the same input gives the same bytes (its sha256 identifies the document).
 */
import PDFDocument from 'pdfkit';
import { runsOf, type Weight } from './fonts.js';

export type Block =
  /** Centred and bold: the court's name, the document's kind. */
  | { kind: 'heading'; text: string; size?: number }
  /** The document's number, on the right. */
  | { kind: 'number'; text: string }
  /** Body text: justified, its first line indented by two characters. */
  | { kind: 'paragraph'; text: string }
  /** A line without indent: a party (申请执行人：…), a list item. */
  | { kind: 'line'; text: string }
  /** Who signs and when, on the right, after a gap. */
  | { kind: 'signature'; lines: string[] };

export interface CourtDocument {
  /** The document's title in its metadata: the kind and the number, searchable without reading the pages. */
  title: string;
  /** The court that issues it. */
  author: string;
  subject?: string;
  /** The document's own date: its creation date. */
  date: Date;
  blocks: Block[];
}

const BODY = 12;
const LEADING = 7;

/** Renders the document; resolves with the PDF's bytes. */
export function renderPdf(input: CourtDocument): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 72, bottom: 72, left: 80, right: 80 },
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: input.title,
      Author: input.author,
      Subject: input.subject ?? input.title,
      Creator: 'LastMile',
      Producer: 'LastMile (PDFKit)',
      CreationDate: input.date,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const registered = new Set<string>();

  /** Writes `text` in runs of the faces that have its glyphs, as one paragraph. */
  const write = (text: string, weight: Weight, size: number, options: PDFKit.Mixins.TextOptions) => {
    const runs = runsOf(text, weight);
    doc.fontSize(size);
    runs.forEach((run, i) => {
      if (!registered.has(run.face.name)) {
        doc.registerFont(run.face.name, run.face.bytes);
        registered.add(run.face.name);
      }
      doc.font(run.face.name);
      const last = i === runs.length - 1;
      // Later runs continue the paragraph the first one opened, with its options.
      doc.text(run.text, i === 0 ? { ...options, continued: !last } : { continued: !last });
    });
  };

  for (const block of input.blocks) {
    switch (block.kind) {
      case 'heading':
        write(block.text, 700, block.size ?? 20, { align: 'center', lineGap: LEADING });
        doc.moveDown(0.3);
        break;
      case 'number':
        write(block.text, 400, BODY, { align: 'right', lineGap: LEADING });
        doc.moveDown(0.8);
        break;
      case 'paragraph':
        write(block.text, 400, BODY, { align: 'justify', indent: 2 * BODY, lineGap: LEADING });
        doc.moveDown(0.4);
        break;
      case 'line':
        write(block.text, 400, BODY, { align: 'left', lineGap: LEADING });
        break;
      case 'signature':
        doc.moveDown(1.5);
        for (const line of block.lines) write(line, 400, BODY, { align: 'right', lineGap: LEADING });
        break;
    }
  }
  doc.end();
  return done;
}
