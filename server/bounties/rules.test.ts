import { describe, expect, it } from 'vitest';
import {
  decisionDueOf,
  deductionOf,
  isActive,
  normaliseLead,
  normaliseReceipt,
  receiptCodeOf,
  rewardOf,
  scopeCovers,
} from './rules';

const pct = (bp: number, capFen: number | null = null) =>
  ({ rewardKind: 'percent', rewardFen: null, rewardBasisPoints: bp, capFen }) as const;

describe('the reward (财产调查规定 art. 24)', () => {
  it('is nothing until money is recovered through the lead', () => {
    expect(rewardOf(pct(1000), 0)).toBe(0);
    expect(
      rewardOf({ rewardKind: 'fixed', rewardFen: 500_000, rewardBasisPoints: null, capFen: null }, 0),
    ).toBe(0);
    expect(
      rewardOf({ rewardKind: 'fixed', rewardFen: 500_000, rewardBasisPoints: null, capFen: null }, 1),
    ).toBe(500_000);
  });

  it('on a partial recovery is the share of what was recovered, floored to the fen, up to the cap', () => {
    // 10% of ¥12,345.67 recovered = ¥1,234.567 → ¥1,234.56.
    expect(rewardOf(pct(1000), 1_234_567)).toBe(123_456);
    // Cap ¥20,000: 10% of ¥199,999.99 is under it; of ¥200,000.00 it is exactly it; above, the cap.
    expect(rewardOf(pct(1000, 2_000_000), 19_999_999)).toBe(1_999_999);
    expect(rewardOf(pct(1000, 2_000_000), 20_000_000)).toBe(2_000_000);
    expect(rewardOf(pct(1000, 2_000_000), 20_000_001)).toBe(2_000_000);
    expect(rewardOf(pct(1000, 2_000_000), 90_000_000)).toBe(2_000_000);
  });

  it('is deducted up to what the lead recovered; the rest the applicant pays separately', () => {
    expect(deductionOf(500_000, 300_000)).toEqual({ deductedFen: 300_000, applicantPaysFen: 200_000 });
    expect(deductionOf(500_000, 500_000)).toEqual({ deductedFen: 500_000, applicantPaysFen: 0 });
  });
});

describe('the notice', () => {
  it('is decided within 10 days of the written application (art. 21)', () => {
    expect(decisionDueOf('2026-02-25')).toBe('2026-03-07');
  });

  it('shows on the first and the last day of its period, not the day after', () => {
    const n = { status: 'published', publishFrom: '2026-03-01', publishUntil: '2026-05-31' };
    expect(isActive(n, '2026-02-28')).toBe(false);
    expect(isActive(n, '2026-03-01')).toBe(true);
    expect(isActive(n, '2026-05-31')).toBe(true);
    expect(isActive(n, '2026-06-01')).toBe(false);
    expect(isActive({ ...n, status: 'closed' }, '2026-04-01')).toBe(false);
  });

  it('takes only leads of the kind it asks for', () => {
    expect(scopeCovers('property', 'whereabouts')).toBe(false);
    expect(scopeCovers('both', 'whereabouts')).toBe(true);
  });
});

describe('tips', () => {
  it('recognise the same lead whatever the spacing, width and punctuation (art. 23)', () => {
    expect(normaliseLead('被执行人在 城东区 幸福路12号，有一辆车。')).toBe(
      normaliseLead('被执行人在城东区幸福路１２号有一辆车'),
    );
    expect(normaliseLead('幸福路12号')).not.toBe(normaliseLead('幸福路13号'));
  });

  it('get a receipt code the informant can type back loosely', () => {
    const code = receiptCodeOf(new Uint8Array([0xff, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]));
    expect(code).toMatch(/^XS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(normaliseReceipt(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
    expect(normaliseReceipt('XS-1234')).toBeNull();
  });
});
