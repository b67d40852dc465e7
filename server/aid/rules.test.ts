import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  awardCeiling,
  CLAIM_TRANSITIONS,
  computePayout,
  decisionDueAt,
  formulaErrors,
  formulaFromJson,
  formulaToJson,
  isOverdue,
  missingDocuments,
  monthsBetween,
  needsCommittee,
  STANDARD_FORMULA,
  unscheduledFen,
} from './rules';

const yuan = (n: number) => BigInt(Math.round(n * 100));

describe('payout formula: ¥30,000 in full, then 10% of the excess, capped at ¥100,000', () => {
  const pay = (unpaid: bigint) => computePayout(unpaid, STANDARD_FORMULA);

  it('pays up to ¥30,000 in full, to the fen', () => {
    expect(pay(1n)).toBe(1n);
    expect(pay(yuan(12_345.67))).toBe(yuan(12_345.67));
    expect(pay(yuan(29_999.99))).toBe(yuan(29_999.99));
    expect(pay(yuan(30_000))).toBe(yuan(30_000));
  });

  it('above ¥30,000 adds 10% of the excess, rounded down to the fen', () => {
    expect(pay(yuan(30_000) + 1n)).toBe(yuan(30_000)); // 10% of one fen is less than a fen
    expect(pay(yuan(30_000) + 10n)).toBe(yuan(30_000) + 1n);
    expect(pay(yuan(30_000.19))).toBe(yuan(30_000.01));
    expect(pay(yuan(80_000))).toBe(yuan(35_000));
  });

  it('caps at exactly ¥100,000: reached at ¥730,000 unpaid, never exceeded', () => {
    expect(pay(yuan(729_999.99))).toBe(yuan(99_999.99));
    expect(pay(yuan(730_000))).toBe(yuan(100_000));
    expect(pay(yuan(730_000) + 1n)).toBe(yuan(100_000));
    expect(pay(yuan(5_000_000))).toBe(yuan(100_000));
  });

  it('pays nothing for nothing owed', () => {
    expect(pay(0n)).toBe(0n);
    expect(pay(-5n)).toBe(0n);
  });

  it('takes any tiers: three tiers and a bounded last one', () => {
    const f = {
      tiers: [
        { upToFen: 1_000_000n, rateBp: 10_000 },
        { upToFen: 5_000_000n, rateBp: 5_000 },
        { upToFen: 10_000_000n, rateBp: 2_000 },
      ],
      capFen: 50_000_000n,
    };
    expect(computePayout(1_000_000n, f)).toBe(1_000_000n);
    expect(computePayout(5_000_000n, f)).toBe(3_000_000n);
    expect(computePayout(10_000_000n, f)).toBe(4_000_000n);
    expect(computePayout(99_000_000n, f)).toBe(4_000_000n); // nothing above the last bound
  });

  it('survives its JSON form and refuses malformed formulas', () => {
    expect(formulaFromJson(formulaToJson(STANDARD_FORMULA))).toEqual(STANDARD_FORMULA);
    expect(formulaErrors(STANDARD_FORMULA)).toEqual([]);
    expect(formulaErrors({ tiers: [], capFen: 1n })).toContain('aidValidation.formulaNoTiers');
    expect(
      formulaErrors({
        tiers: [
          { upToFen: 500n, rateBp: 10_000 },
          { upToFen: 400n, rateBp: 100 },
        ],
        capFen: 1n,
      }),
    ).toContain('aidValidation.formulaOrder');
    expect(
      formulaErrors({
        tiers: [
          { upToFen: null, rateBp: 10_000 },
          { upToFen: 400n, rateBp: 100 },
        ],
        capFen: 1n,
      }),
    ).toContain('aidValidation.formulaOpenTier');
    expect(formulaErrors({ tiers: [{ upToFen: null, rateBp: 10_001 }], capFen: 0n })).toEqual([
      'aidValidation.formulaRate',
      'aidValidation.formulaCap',
    ]);
  });

  it('awards at most what was asked and what the formula gives', () => {
    expect(awardCeiling(yuan(20_000), yuan(35_000))).toBe(yuan(20_000));
    expect(awardCeiling(yuan(50_000), yuan(35_000))).toBe(yuan(35_000));
  });

  it('refers an award above the court’s authority to the committee, not one equal to it', () => {
    expect(needsCommittee(yuan(50_000), yuan(50_000))).toBe(false);
    expect(needsCommittee(yuan(50_000) + 1n, yuan(50_000))).toBe(true);
  });
});

describe('working days (Beijing, Monday to Friday; holidays not modelled)', () => {
  // Monday 2 March 2026, 10:00 Beijing.
  const monday = new Date('2026-03-02T02:00:00Z');

  it('a claim submitted on a Monday is due by the end of the Monday two weeks later', () => {
    // Tue 3 … Fri 6 (4), Mon 9 … Fri 13 (9), Mon 16 (10): due at midnight Beijing ending 16 March.
    expect(decisionDueAt(monday).toISOString()).toBe('2026-03-16T16:00:00.000Z');
  });

  it('the day of submission never counts, whatever the hour; weekends are skipped', () => {
    // Friday 6 March 23:59 Beijing → Mon 9 is day 1 → Fri 20 is day 10.
    expect(decisionDueAt(new Date('2026-03-06T15:59:00Z')).toISOString()).toBe('2026-03-20T16:00:00.000Z');
    // Saturday 7 March → the same.
    expect(decisionDueAt(new Date('2026-03-07T04:00:00Z')).toISOString()).toBe('2026-03-20T16:00:00.000Z');
    // Friday 6 March 00:30 Beijing (still Thursday in UTC) is a Friday submission too.
    expect(decisionDueAt(new Date('2026-03-05T16:30:00Z')).toISOString()).toBe('2026-03-20T16:00:00.000Z');
  });

  it('takes a holiday table when one is given', () => {
    const due = addWorkingDays(monday, 10, { 2026: { source: 'test', off: ['2026-03-05'], work: [] } });
    expect(due.toISOString()).toBe('2026-03-17T16:00:00.000Z');
  });

  it('counts the national holidays and the make-up working days (调休): a claim before the National Day week', () => {
    // Submitted Monday 22 Sept 2025: working days 23-26, 28 (Sunday, 调休), 29, 30 Sept, then
    // 9, 10, 11 (Saturday, 调休) Oct: due at the end of Saturday 11 Oct 2025.
    expect(decisionDueAt(new Date('2025-09-22T02:00:00Z')).toISOString()).toBe('2025-10-11T16:00:00.000Z');
  });

  it('is overdue from the first instant after the 10th working day, and only while undecided', () => {
    const due = decisionDueAt(monday);
    const claim = { status: 'court_review' as const, decisionDueAt: due };
    expect(isOverdue(claim, new Date(due.getTime() - 1))).toBe(false);
    expect(isOverdue(claim, due)).toBe(true);
    expect(isOverdue({ ...claim, status: 'insurer_approved' }, due)).toBe(false);
    expect(isOverdue({ ...claim, decisionDueAt: null }, due)).toBe(false);
  });
});

describe('state machines and documents', () => {
  it('terminal claim states lead nowhere', () => {
    for (const s of ['rejected', 'declined', 'closed', 'withdrawn'] as const)
      expect(CLAIM_TRANSITIONS[s]).toEqual([]);
  });

  it('asks for the 终本 ruling only when the case was closed without property, harm only for harm cases', () => {
    expect(missingDocuments('unpaid_wages', 'other', [])).toEqual([
      'application',
      'identity',
      'judgment',
      'hardship',
      'bank_account',
    ]);
    expect(missingDocuments('personal_injury', 'terminated_without_property', ['application'])).toEqual([
      'identity',
      'judgment',
      'hardship',
      'bank_account',
      'termination_ruling',
      'harm',
    ]);
  });

  it('schedules only what is neither paid, released nor in flight', () => {
    expect(unscheduledFen({ approvedFen: 1000n, paidFen: 300n, releasedFen: 0n, inFlightFen: 200n })).toBe(
      500n,
    );
    expect(unscheduledFen({ approvedFen: null, paidFen: 0n, releasedFen: 0n, inFlightFen: 0n })).toBe(0n);
    expect(unscheduledFen({ approvedFen: 1000n, paidFen: 1000n, releasedFen: 0n, inFlightFen: 0n })).toBe(0n);
  });

  it('lists months of a period', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});
