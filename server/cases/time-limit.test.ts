import { describe, expect, it } from 'vitest';
import {
  addMonths,
  type ExcludedInterval,
  listingInterval,
  type TimeLimitInput,
  timeLimitOf,
} from './time-limit';

const base = (over: Partial<TimeLimitInput> = {}): TimeLimitInput => ({
  filedOn: '2024-01-01',
  caseType: 'first',
  titleKind: 'litigation',
  extensions: [],
  intervals: [],
  today: '2024-02-01',
  ...over,
});
const limit = (over: Partial<TimeLimitInput> = {}) => timeLimitOf(base(over))!;

describe('the time limit (2000 Provisions arts. 5, 6, 9)', () => {
  it('is due on day 183 exactly: filed 1 January 2024, the last day is 1 July (Civil Code art. 202)', () => {
    const open = limit({ today: '2024-07-01' });
    expect(open).toMatchObject({ months: 6, limitDays: 182, grossDueOn: '2024-07-01', dueOn: '2024-07-01' });
    expect(open).toMatchObject({ daysLeft: 0, overdue: false });
    expect(limit({ today: '2024-07-02' })).toMatchObject({ daysLeft: -1, overdue: true });
    // Closed on the due day: within; one day later: not.
    expect(limit({ closedOn: '2024-07-01', today: '2024-08-01' })).toMatchObject({
      netDays: 182,
      withinLimit: true,
    });
    expect(limit({ closedOn: '2024-07-02', today: '2024-08-01' })).toMatchObject({
      netDays: 183,
      withinLimit: false,
    });
  });

  it('has no corresponding day at a month end: filed 31 August, due the last day of February', () => {
    expect(limit({ filedOn: '2023-08-31', today: '2023-09-01' }).dueOn).toBe('2024-02-29');
    expect(limit({ filedOn: '2022-08-31', today: '2022-09-01' }).dueOn).toBe('2023-02-28');
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', -1)).toBe('2023-12-31');
  });

  it('is 3 months for a non-litigation title, and grows by an extension', () => {
    expect(limit({ titleKind: 'non_litigation' }).dueOn).toBe('2024-04-01');
    const extended = limit({ extensions: [{ months: 3 }] });
    expect(extended).toMatchObject({ months: 9, dueOn: '2024-10-01' });
    // An overdue case is back within its limit once extended.
    expect(limit({ today: '2024-08-15' }).overdue).toBe(true);
    expect(limit({ today: '2024-08-15', extensions: [{ months: 3 }] }).overdue).toBe(false);
  });

  it('does not count an auction period and a suspension; overlapping days count once', () => {
    const intervals: ExcludedInterval[] = [
      // Auction: announced 1 March, bidding ended 2 April (32 days).
      { kind: 'auction', start: '2024-03-01', end: '2024-04-02' },
      // Suspended 20 March, resumed 10 April: 12 more days beyond the auction's.
      { kind: 'suspension', start: '2024-03-20', end: '2024-04-10' },
    ];
    const l = limit({ intervals, today: '2024-05-01' });
    expect(l.excludedDays).toBe(40);
    expect(l.dueOn).toBe('2024-08-10'); // 1 July + 40 days
    expect(l.paused).toBe(false);
    // Closed 10 August: 222 days after filing, 40 of them excluded: 182 net, within the limit.
    expect(limit({ intervals, closedOn: '2024-08-10', today: '2024-09-01' })).toMatchObject({
      netDays: 182,
      withinLimit: true,
    });
    expect(limit({ intervals, closedOn: '2024-08-11', today: '2024-09-01' }).withinLimit).toBe(false);
  });

  it('stops the clock while a suspension lasts: the days left stay the same', () => {
    const intervals: ExcludedInterval[] = [{ kind: 'suspension', start: '2024-03-01', end: null }];
    const a = limit({ intervals, today: '2024-03-10' });
    const b = limit({ intervals, today: '2024-05-10' });
    expect(a.paused).toBe(true);
    expect(a.daysLeft).toBe(b.daysLeft);
    expect(b.dueOn).toBe('2024-09-09'); // 1 July + the 70 days from 1 March to 10 May
    expect(b.overdue).toBe(false);
  });

  it('an interval after the due date, or before filing, gives no time back', () => {
    const late = limit({
      intervals: [{ kind: 'appraisal', start: '2024-07-05', end: '2024-08-05' }],
      today: '2024-08-20',
    });
    expect(late).toMatchObject({ dueOn: '2024-07-01', excludedDays: 0, overdue: true });
    const early = limit({ intervals: [{ kind: 'notice', start: '2023-12-01', end: '2024-01-02' }] });
    expect(early.excludedDays).toBe(0);
  });

  it('applies to first and resumed enforcement only', () => {
    expect(timeLimitOf(base({ caseType: 'resumed' }))).not.toBeNull();
    for (const caseType of ['preservation', 'objection', 'review', 'supervision'])
      expect(timeLimitOf(base({ caseType }))).toBeNull();
  });
});

describe("a listing's auction or sale period", () => {
  const at = (s: string) => new Date(s);
  const listing = {
    kind: 'auction' as const,
    announceAt: at('2024-02-29T18:00:00Z'), // 1 March in Beijing
    endedAt: at('2024-04-02T02:00:00Z'),
    updatedAt: at('2024-04-02T02:00:00Z'),
  };
  it('runs from the announcement to the end of bidding, in Beijing dates; open while it runs', () => {
    expect(listingInterval({ ...listing, status: 'ended' })).toEqual({
      kind: 'auction',
      start: '2024-03-01',
      end: '2024-04-02',
    });
    expect(listingInterval({ ...listing, status: 'live', endedAt: null })?.end).toBeNull();
    expect(listingInterval({ ...listing, status: 'withdrawn', endedAt: null })?.end).toBe('2024-04-02');
    expect(listingInterval({ ...listing, kind: 'fixed_price_sale', status: 'ended' })?.kind).toBe('sale');
    expect(listingInterval({ ...listing, status: 'draft' })).toBeNull();
  });
});
