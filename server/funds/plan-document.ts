/**
 * The distribution plan (财产分配方案, 民诉法解释 arts. 509-510) as a court document, served on
 * every creditor and the debtor: the pool, the order applied and its source, each line with the
 * rule it applied, the rounding rule, the 15 days to object. Its wording is the zh-CN catalog's
 * (`funds.planPdf`): a plan is issued in Chinese whatever the reader's language. Pure.
 */
import zh from '../../app/i18n/funds.zh-CN.json' with { type: 'json' };
import type { CourtDocument } from '../documents/pdf.js';
import { chineseDate, yuanText } from '../sales/rules.js';
import { beijingDay, ROUNDING_RULE } from './rules.js';

const words = zh.funds.planPdf;
const classNames = zh.funds.class as Record<string, string>;
const ruleNames = zh.funds.rule as Record<string, string>;
const fill = (template: string, params: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => params[k] ?? '');

export interface PlanFacts {
  court: string;
  caseNumber: string;
  number: string;
  applicants: string[];
  respondents: string[];
  poolFen: bigint;
  cutoffOn: string;
  order: readonly string[];
  orderSource: 'statutory' | 'court';
  lines: {
    kind: string;
    who: string;
    class: string;
    demandFen: bigint;
    allocatedFen: bigint;
    rule: string;
  }[];
  clerk: string;
  draftedAt: Date;
}

export function planDocument(f: PlanFacts): CourtDocument {
  const names = (list: string[]) => list.join(words.separator);
  return {
    title: fill(words.metaTitle, { number: f.number }),
    author: f.court,
    subject: f.caseNumber,
    date: f.draftedAt,
    blocks: [
      { kind: 'heading', text: f.court },
      { kind: 'heading', text: words.kind, size: 24 },
      { kind: 'number', text: f.number },
      { kind: 'line', text: fill(words.applicants, { names: names(f.applicants) }) },
      { kind: 'line', text: fill(words.respondents, { names: names(f.respondents) }) },
      { kind: 'paragraph', text: fill(words.facts, { caseNumber: f.caseNumber, pool: yuanText(f.poolFen) }) },
      { kind: 'paragraph', text: fill(words.cutoff, { day: chineseDate(f.cutoffOn) }) },
      {
        kind: 'paragraph',
        text: fill(words.order, {
          order: ['cost', ...f.order, 'ordinary']
            .map((c) => (c === 'cost' ? '执行费用' : classNames[c]))
            .join(' → '),
          source: zh.funds.orderSource[f.orderSource],
        }),
      },
      ...f.lines.map((l, i) => ({
        kind: 'line' as const,
        text:
          l.kind === 'surplus'
            ? fill(words.surplus, {
                n: String(i + 1),
                allocated: yuanText(l.allocatedFen),
                rule: ruleNames[l.rule] ?? l.rule,
              })
            : fill(words.line, {
                n: String(i + 1),
                who: l.who,
                class: classNames[l.class] ?? l.class,
                demand: yuanText(l.demandFen),
                allocated: yuanText(l.allocatedFen),
                short: yuanText(l.demandFen - l.allocatedFen),
                rule: ruleNames[l.rule] ?? l.rule,
              }),
      })),
      { kind: 'paragraph', text: fill(words.rounding, { rule: ROUNDING_RULE }) },
      { kind: 'paragraph', text: words.objection },
      {
        kind: 'signature',
        lines: [fill(words.clerk, { name: f.clerk }), chineseDate(beijingDay(f.draftedAt))],
      },
    ],
  };
}
