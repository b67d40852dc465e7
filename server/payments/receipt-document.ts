/**
 * A receipt as a PDF (issue 21), laid out by `server/documents/pdf.ts` like the court's other
 * documents: the court, 收据, its number, then one line per fact. Its wording is the zh-CN
 * catalog's (`receipt`, `pay`, `myPayments`): the court issues it in Chinese whatever the reader's
 * language, as it does a ruling. Pure: the same receipt gives the same bytes (its date is the
 * receipt's own).
 */
import zh from '../../app/i18n/money.zh-CN.json' with { type: 'json' };
import type { CourtDocument } from '../documents/pdf.js';
import type { ReceiptReferenceKind } from './views.js';

const words = zh.receipt;

export interface ReceiptFacts {
  number: string;
  issuedAt: Date;
  purpose: 'deposit' | 'balance';
  method: keyof typeof zh.pay.method;
  amountFen: bigint;
  payer: string;
  title: string;
  court: { nameZh: string };
  references: Array<{ kind: ReceiptReferenceKind; value: string }>;
}

/** Integer fen as yuan with thousands separators: ¥1,234,567.89 (integer arithmetic only). */
const yuan = (fen: bigint) =>
  `¥${(fen / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(fen % 100n).toString().padStart(2, '0')}`;

/** The moment in Beijing as `YYYY-MM-DD HH:mm`. */
const beijing = (at: Date) =>
  new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

export function receiptDocument(r: ReceiptFacts): CourtDocument {
  const line = (label: string, value: string) => ({ kind: 'line' as const, text: `${label}：${value}` });
  return {
    title: `${words.title} ${r.number}`,
    author: r.court.nameZh,
    subject: `${zh.myPayments.purpose[r.purpose]} · ${r.title}`,
    date: r.issuedAt,
    blocks: [
      { kind: 'heading', text: r.court.nameZh },
      { kind: 'heading', text: words.title, size: 26 },
      { kind: 'number', text: `${words.number}：${r.number}` },
      line(words.payer, r.payer),
      line(words.payee, r.court.nameZh),
      line(words.for, `${zh.myPayments.purpose[r.purpose]} · ${r.title}`),
      line(zh.pay.amount, yuan(r.amountFen)),
      line(words.method, zh.pay.method[r.method]),
      ...r.references.map((x) => line(words.ref[x.kind], x.value)),
      line(words.at, beijing(r.issuedAt)),
      ...(r.method === 'local' ? [{ kind: 'paragraph' as const, text: zh.simulator.banner }] : []),
      { kind: 'signature', lines: [r.court.nameZh, beijing(r.issuedAt).slice(0, 10)] },
    ],
  };
}
