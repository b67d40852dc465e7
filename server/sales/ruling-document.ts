/**
 * The ruling confirming the sale (成交裁定, 拍卖、变卖规定 arts. 20, 26-28) as a court document:
 * the case, the asset, the buyer, the price, the encumbrances the sale extinguishes and those it
 * leaves, the orders, the judge and the date. Its wording is the zh-CN catalog's
 * (`sales.rulingPdf`): a ruling is issued in Chinese whatever the reader's language (the English
 * catalog holds a translation for reviewers). Pure: the same facts give the same document.
 */
import zh from '../../app/i18n/sales.zh-CN.json' with { type: 'json' };
import type { Encumbrance } from '../../db/schema/cases.js';
import type { CourtDocument } from '../documents/pdf.js';
import { beijingDay, chineseDate, chineseNumeral, extinguishedBySale, yuanText } from './rules.js';

const words = zh.sales.rulingPdf;
const encumbranceNames = zh.sales.encumbranceKind;

const fill = (template: string, params: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => params[k] ?? '');

export interface RulingFacts {
  court: string;
  caseNumber: string;
  number: string;
  applicants: string[];
  respondents: string[];
  buyer: { name: string; idMasked: string | null };
  asset: { title: string; address: string; encumbrances: Encumbrance[] };
  kind: 'auction' | 'fixed_price_sale';
  priceFen: bigint;
  endedAt: Date;
  paidAt: Date;
  /** 限购: when the court re-checked the buyer's eligibility; null when the listing was not restricted. */
  eligibilityCheckedAt: Date | null;
  judge: string;
  issuedAt: Date;
}

const day = (at: Date) => chineseDate(beijingDay(at));

export function rulingDocument(f: RulingFacts): CourtDocument {
  const names = (list: string[]) => list.join(words.nameSeparator);
  const listOf = (es: Encumbrance[]) =>
    es
      .map((e) => fill(words.encumbrance, { kind: encumbranceNames[e.kind], description: e.description }))
      .join(words.listSeparator);
  const extinguished = f.asset.encumbrances.filter(extinguishedBySale);
  const continuing = f.asset.encumbrances.filter((e) => !extinguishedBySale(e));
  const common = { asset: f.asset.title, buyer: f.buyer.name };
  const orders = [
    fill(words.orderOwnership, common),
    words.orderRelease,
    ...(extinguished.length ? [fill(words.orderExtinguished, { list: listOf(extinguished) })] : []),
    ...(continuing.length ? [fill(words.orderContinuing, { list: listOf(continuing) })] : []),
    words.orderHandover,
    words.orderRegistration,
  ].map((text, i) => `${chineseNumeral(i + 1)}、${text}`);
  return {
    title: fill(words.metaTitle, { number: f.number }),
    author: f.court,
    subject: fill(words.subject, { asset: f.asset.title }),
    date: f.issuedAt,
    blocks: [
      { kind: 'heading', text: f.court },
      { kind: 'heading', text: words.kind, size: 26 },
      { kind: 'number', text: f.number },
      { kind: 'line', text: fill(words.applicants, { names: names(f.applicants) }) },
      { kind: 'line', text: fill(words.respondents, { names: names(f.respondents) }) },
      {
        kind: 'line',
        text: f.buyer.idMasked
          ? fill(words.buyerWithId, { name: f.buyer.name, id: f.buyer.idMasked })
          : fill(words.buyer, { name: f.buyer.name }),
      },
      {
        kind: 'paragraph',
        text: fill(words.facts, {
          applicants: names(f.applicants),
          respondents: names(f.respondents),
          caseNumber: f.caseNumber,
          endedOn: day(f.endedAt),
          how: words.how[f.kind],
          asset: f.asset.title,
          address: f.asset.address,
          buyer: f.buyer.name,
          price: yuanText(f.priceFen),
          paidOn: day(f.paidAt),
        }),
      },
      ...(f.eligibilityCheckedAt
        ? [
            {
              kind: 'paragraph' as const,
              text: fill(words.eligibility, { checkedOn: day(f.eligibilityCheckedAt) }),
            },
          ]
        : []),
      { kind: 'paragraph', text: words.basis },
      ...orders.map((text) => ({ kind: 'paragraph' as const, text })),
      { kind: 'paragraph', text: words.effect },
      { kind: 'signature', lines: [fill(words.judge, { name: f.judge }), day(f.issuedAt)] },
    ],
  };
}
