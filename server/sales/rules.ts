/**
 * After full payment (拍卖、变卖规定 arts. 20, 26-28; ADR 014): the sale's state machine, its
 * deadlines, what the ruling says about the asset's encumbrances, and the steps a page shows.
 * Pure: no database, no clock.
 */
import type { Encumbrance } from '../../db/schema/cases.js';
import type { Sale, SaleStatus } from '../../db/schema/sales.js';

/** Art. 20: the ruling confirming the sale within 10 days of full payment. */
export const RULING_DAYS = 10;
/** Art. 27: the handover within 15 days of the ruling, unless the law prevents it. */
export const HANDOVER_DAYS = 15;

/** The moves the sale may make; everything else is refused by `moveSale`. */
export const SALE_TRANSITIONS: Record<SaleStatus, readonly SaleStatus[]> = {
  // 限购: the court re-checks the promised eligibility before the ruling; a new check may follow a failed one.
  eligibility_check: ['awaiting_ruling', 'eligibility_failed'],
  eligibility_failed: ['awaiting_ruling', 'eligibility_failed'],
  awaiting_ruling: ['ruling_issued'],
  ruling_issued: ['ruling_served'],
  ruling_served: ['handover_scheduled'],
  handover_scheduled: ['handed_over', 'handover_obstructed'],
  // Obstructed (an occupant refuses, a third party objects): the court schedules it again.
  handover_obstructed: ['handover_scheduled'],
  handed_over: [],
};

export const canMoveSale = (from: SaleStatus, to: SaleStatus) => SALE_TRANSITIONS[from].includes(to);

/** Before the ruling: the sale is on the "rulings due" list. */
export const BEFORE_RULING: readonly SaleStatus[] = [
  'eligibility_check',
  'eligibility_failed',
  'awaiting_ruling',
];
/** After the ruling and before the handover: on the "handovers due" list. */
export const AWAITING_HANDOVER: readonly SaleStatus[] = [
  'ruling_issued',
  'ruling_served',
  'handover_scheduled',
  'handover_obstructed',
];

/**
 * Art. 28: security interests (a mortgage) are extinguished by the sale and paid from the price;
 * seizures are lifted. A lease, a right of use or anything else stays on the asset (art. 28 para.
 * 2: one that would impair a prior security interest is removed before the sale, not by the
 * ruling), so the ruling names those as continuing.
 */
export const extinguishedBySale = (e: Pick<Encumbrance, 'kind'>) =>
  e.kind === 'mortgage' || e.kind === 'seizure';

const DIGITS = '〇一二三四五六七八九';

/** 1 → 一, 12 → 十二, 21 → 二十一 (the ordinals of a ruling's number and of its orders). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 0 ? '' : tens === 1 ? '十' : `${DIGITS[tens]}十`}${ones === 0 ? '' : DIGITS[ones]}`;
}

/** The n-th ruling of a case: `(2026)青0104执801号之一` (the case number and its ordinal). */
export const rulingNumberOf = (caseNumber: string, n: number) => `${caseNumber}之${chineseNumeral(n)}`;

const BEIJING_MS = 8 * 3_600_000;

/** The calendar day of a moment in Beijing, as `YYYY-MM-DD` (what a date input holds). */
export const beijingDay = (at: Date) => new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 10);

/** A day as a court document writes it: 二〇二六年三月十二日. */
export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const year = String(y)
    .split('')
    .map((c) => DIGITS[Number(c)])
    .join('');
  return `${year}年${chineseNumeral(m)}月${chineseNumeral(d)}日`;
}

export type SaleStepKey =
  | 'hammer'
  | 'confirmation'
  | 'balancePaid'
  | 'eligibility'
  | 'ruling'
  | 'service'
  | 'handover'
  // The road after the sale (road.ts): the balance from its deadline on, the buyer's title
  // registration, and a bidder's deposit coming back.
  | 'balance'
  | 'title'
  | 'ended'
  | 'depositRelease';
/** done; current: the court's next step; upcoming; blocked: it cannot go on as things stand. */
export type SaleStepState = 'done' | 'current' | 'upcoming' | 'blocked';

export interface SaleStep {
  key: SaleStepKey;
  state: SaleStepState;
  /** When it happened (a moment), or the day (`YYYY-MM-DD`) for what the court records by date. */
  at: Date | null;
  day: string | null;
  /** Its deadline, while it is not done. */
  dueAt: Date | null;
  /** Past its deadline: marked by the deadline's job, not guessed by a clock on the page. */
  overdue: boolean;
  /** The ruling's number; the handover's time and place; why it failed or was obstructed. */
  number?: string;
  scheduledFor?: Date;
  place?: string;
  reason?: string;
  outcome?: 'passed' | 'failed' | 'scheduled' | 'done' | 'obstructed' | 'defaulted';
  /** The balance's amount (fen, as a string: the pages receive it serialised). */
  amountFen?: string;
}

type StepSale = Pick<
  Sale,
  | 'status'
  | 'purchaseRestricted'
  | 'paidAt'
  | 'rulingDueAt'
  | 'rulingOverdueAt'
  | 'eligibilityCheckedAt'
  | 'eligibilityFailureReason'
  | 'rulingNumber'
  | 'rulingIssuedAt'
  | 'servedOn'
  | 'handoverDueAt'
  | 'handoverOverdueAt'
  | 'handoverScheduledFor'
  | 'handoverPlace'
  | 'handedOverOn'
  | 'obstructionReason'
  | 'handoverObstructedAt'
>;

/**
 * Each step from the hammer to the handover, with its date and deadline: what the court's sale
 * page and the buyer's pages both show. `endedAt` is the hammer, when the confirmation of the
 * result (网络竞价成功确认书, online-auction art. 22) is published too.
 */
export function saleSteps(s: StepSale, endedAt: Date): SaleStep[] {
  const none = { at: null, day: null, dueAt: null, overdue: false };
  const steps: SaleStep[] = [
    { key: 'hammer', state: 'done', ...none, at: endedAt },
    { key: 'confirmation', state: 'done', ...none, at: endedAt },
    { key: 'balancePaid', state: 'done', ...none, at: s.paidAt },
  ];
  if (s.purchaseRestricted) {
    steps.push(
      s.status === 'eligibility_check'
        ? { key: 'eligibility', state: 'current', ...none, dueAt: s.rulingDueAt }
        : s.status === 'eligibility_failed'
          ? {
              key: 'eligibility',
              state: 'blocked',
              ...none,
              at: s.eligibilityCheckedAt,
              outcome: 'failed',
              reason: s.eligibilityFailureReason ?? undefined,
            }
          : { key: 'eligibility', state: 'done', ...none, at: s.eligibilityCheckedAt, outcome: 'passed' },
    );
  }
  const issued = s.rulingIssuedAt !== null;
  steps.push(
    issued
      ? { key: 'ruling', state: 'done', ...none, at: s.rulingIssuedAt, number: s.rulingNumber ?? undefined }
      : {
          key: 'ruling',
          state:
            s.status === 'awaiting_ruling'
              ? 'current'
              : s.status === 'eligibility_failed'
                ? 'blocked'
                : 'upcoming',
          ...none,
          dueAt: s.rulingDueAt,
          overdue: s.rulingOverdueAt !== null,
        },
  );
  steps.push(
    s.servedOn !== null
      ? { key: 'service', state: 'done', ...none, day: s.servedOn }
      : { key: 'service', state: s.status === 'ruling_issued' ? 'current' : 'upcoming', ...none },
  );
  const handoverDue = { dueAt: s.handoverDueAt, overdue: s.handoverOverdueAt !== null };
  const handover: SaleStep =
    s.status === 'handed_over'
      ? { key: 'handover', state: 'done', ...none, day: s.handedOverOn, outcome: 'done' }
      : s.status === 'handover_obstructed'
        ? {
            key: 'handover',
            state: 'blocked',
            ...none,
            ...handoverDue,
            at: s.handoverObstructedAt,
            outcome: 'obstructed',
            reason: s.obstructionReason ?? undefined,
          }
        : s.status === 'handover_scheduled'
          ? {
              key: 'handover',
              state: 'current',
              ...none,
              ...handoverDue,
              outcome: 'scheduled',
              scheduledFor: s.handoverScheduledFor ?? undefined,
              place: s.handoverPlace ?? undefined,
            }
          : {
              key: 'handover',
              state: s.status === 'ruling_served' ? 'current' : 'upcoming',
              ...none,
              ...handoverDue,
            };
  steps.push(handover);
  return steps;
}

/** The winner's balance as the road reads it (payments' `balances` row). */
export interface RoadBalance {
  status: 'open' | 'paid' | 'defaulted';
  amountFen: bigint;
  dueAt: Date;
  paidAt: Date | null;
  defaultedAt: Date | null;
}

const NONE = { at: null, day: null, dueAt: null, overdue: false };

/**
 * The winner's road after the hammer, one timeline from the confirmation (art. 22) to the title:
 * the balance with its deadline (paid, or defaulted: 悔拍, art. 24, where the road ends), then the
 * sale's steps once it is paid (`saleSteps`: the re-check, the ruling within 10 days, its service
 * when ownership passes, the handover within 15 days of the ruling), and the buyer's own title
 * registration with the served ruling. Before full payment the sale's steps are still to come.
 * `balance` is null while the settlement opens it (seconds after the end).
 */
export function winnerRoad(input: {
  endedAt: Date;
  purchaseRestricted: boolean;
  balance: RoadBalance | null;
  sale: StepSale | null;
}): SaleStep[] {
  const { balance: b, sale } = input;
  const balance: SaleStep =
    b === null
      ? { key: 'balance', state: 'current', ...NONE }
      : b.status === 'paid'
        ? { key: 'balance', state: 'done', ...NONE, at: b.paidAt, amountFen: b.amountFen.toString() }
        : b.status === 'defaulted'
          ? {
              key: 'balance',
              state: 'blocked',
              ...NONE,
              at: b.defaultedAt,
              outcome: 'defaulted',
              amountFen: b.amountFen.toString(),
            }
          : { key: 'balance', state: 'current', ...NONE, dueAt: b.dueAt, amountFen: b.amountFen.toString() };
  const head: SaleStep[] = [{ key: 'confirmation', state: 'done', ...NONE, at: input.endedAt }, balance];
  if (b?.status === 'defaulted') return head;
  const after: SaleStep[] = sale
    ? saleSteps(sale, input.endedAt).filter((s) => !['hammer', 'confirmation', 'balancePaid'].includes(s.key))
    : [
        ...(input.purchaseRestricted
          ? [{ key: 'eligibility' as const, state: 'upcoming' as const, ...NONE }]
          : []),
        { key: 'ruling', state: 'upcoming', ...NONE },
        { key: 'service', state: 'upcoming', ...NONE },
        { key: 'handover', state: 'upcoming', ...NONE },
      ];
  // Art. 26: ownership passed on service; the registry records it on the buyer's application with
  // the ruling. The platform does not learn the registry's act, so this step is never "done" here:
  // it is the buyer's next step once the court's are.
  const title: SaleStep = {
    key: 'title',
    state: sale?.status === 'handed_over' ? 'current' : 'upcoming',
    ...NONE,
  };
  return [...head, ...after, title];
}

/**
 * A bidder who did not win: the end, then his deposit back within 24 hours of it (art. 23), done
 * when it was released. `releaseDueAt` is the end plus the rules profile's 24 hours.
 */
export function bidderRoad(input: {
  endedAt: Date;
  releaseDueAt: Date;
  deposit: { status: string; settledAt: Date | null; amountFen: bigint };
}): SaleStep[] {
  const { deposit: d } = input;
  const amountFen = d.amountFen.toString();
  return [
    { key: 'ended', state: 'done', ...NONE, at: input.endedAt },
    d.status === 'released'
      ? { key: 'depositRelease', state: 'done', ...NONE, at: d.settledAt, amountFen }
      : { key: 'depositRelease', state: 'current', ...NONE, dueAt: input.releaseDueAt, amountFen },
  ];
}

/** Integer fen as a court document writes yuan: 1,234,567.89 (integer arithmetic only). */
export function yuanText(fen: bigint): string {
  const sign = fen < 0n ? '-' : '';
  const abs = fen < 0n ? -fen : fen;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${whole}.${(abs % 100n).toString().padStart(2, '0')}`;
}
