import { describe, expect, it } from 'vitest';
import { rulesProfile, STATUTORY_DURATIONS } from './profile';
import {
  bidStamp,
  canTransition,
  checkListingTerms,
  courtStatusOf,
  depositBounds,
  isPastEnd,
  type ListingTerms,
  minReauctionPrice,
  minStartingPrice,
  nextValidAmount,
  proxyFloor,
  proxyStep,
  publicStatus,
  suggestedIncrement,
} from './rules';

const statutory = rulesProfile('statutory');
const DAY = 86_400_000;
const announceAt = new Date('2026-03-01T02:00:00Z');

/** Lawful terms for a flat appraised at ¥1,000,000.00 (100,000,000 fen). */
function terms(overrides: Partial<ListingTerms> = {}): ListingTerms {
  const startsAt = new Date(announceAt.getTime() + 30 * DAY);
  return {
    assetType: 'residential',
    appraisalFen: 100_000_000n,
    startingPriceFen: 70_000_000n,
    depositFen: 7_000_000n,
    incrementFen: 700_000n,
    announceAt,
    startsAt,
    endsAt: new Date(startsAt.getTime() + DAY),
    balanceDays: 15,
    ...overrides,
  };
}
const first = { kind: 'first' } as const;

describe('art. 10: starting price at least 70% of the appraisal', () => {
  it('accepts exactly 70% and refuses one fen below', () => {
    expect(checkListingTerms(terms({ startingPriceFen: 70_000_000n }), first, statutory)).toEqual({});
    expect(
      checkListingTerms(terms({ startingPriceFen: 69_999_999n, depositFen: 7_000_000n }), first, statutory),
    ).toEqual({
      startingPrice: ['rules.startBelow70'],
    });
  });

  it('rounds the bound up to the fen', () => {
    expect(minStartingPrice(101n)).toBe(71n); // 70.7 fen → 71
    expect(minStartingPrice(100n)).toBe(70n);
  });
});

describe('art. 17: deposit 5%-20% of the starting price', () => {
  const start = 70_000_000n;
  it('accepts 5% and 20% exactly', () => {
    expect(checkListingTerms(terms({ depositFen: 3_500_000n }), first, statutory)).toEqual({});
    expect(checkListingTerms(terms({ depositFen: 14_000_000n }), first, statutory)).toEqual({});
  });
  it('refuses a fen outside either bound', () => {
    expect(checkListingTerms(terms({ depositFen: 3_499_999n }), first, statutory).deposit).toEqual([
      'rules.depositRange',
    ]);
    expect(checkListingTerms(terms({ depositFen: 14_000_001n }), first, statutory).deposit).toEqual([
      'rules.depositRange',
    ]);
    expect(depositBounds(start)).toEqual({ min: 3_500_000n, max: 14_000_000n });
  });
});

describe('art. 20: bidding lasts at least 24 hours', () => {
  it('accepts 24 h and refuses one second less', () => {
    const startsAt = terms().startsAt;
    expect(
      checkListingTerms(terms({ endsAt: new Date(startsAt.getTime() + DAY) }), first, statutory),
    ).toEqual({});
    expect(
      checkListingTerms(terms({ endsAt: new Date(startsAt.getTime() + DAY - 1000) }), first, statutory)
        .endsAt,
    ).toEqual(['rules.windowUnder24h']);
  });
});

describe('art. 12: announcement lead time', () => {
  it('real estate and property rights: 30 days exactly, not a second less', () => {
    for (const assetType of ['residential', 'land_use_right', 'equity'] as const) {
      const startsAt = new Date(announceAt.getTime() + 30 * DAY);
      expect(
        checkListingTerms(
          terms({ assetType, startsAt, endsAt: new Date(startsAt.getTime() + DAY) }),
          first,
          statutory,
        ),
      ).toEqual({});
      const early = new Date(startsAt.getTime() - 1000);
      expect(
        checkListingTerms(
          terms({ assetType, startsAt: early, endsAt: new Date(early.getTime() + DAY) }),
          first,
          statutory,
        ).startsAt,
      ).toEqual(['rules.announceLead30']);
    }
  });

  it('movables: 15 days', () => {
    const startsAt = new Date(announceAt.getTime() + 15 * DAY);
    const vehicle = terms({ assetType: 'vehicle', startsAt, endsAt: new Date(startsAt.getTime() + DAY) });
    expect(checkListingTerms(vehicle, first, statutory)).toEqual({});
    const early = new Date(startsAt.getTime() - 1);
    expect(
      checkListingTerms(
        { ...vehicle, startsAt: early, endsAt: new Date(early.getTime() + DAY) },
        first,
        statutory,
      ).startsAt,
    ).toEqual(['rules.announceLead15']);
  });
});

describe('art. 26: re-auction', () => {
  const failedAt = new Date(announceAt.getTime() - 10 * DAY);
  const reauction = { kind: 'reauction', previousStartFen: 70_000_000n, failedAt } as const;
  const re = (o: Partial<ListingTerms> = {}) => {
    const startsAt = new Date(announceAt.getTime() + 15 * DAY);
    return terms({
      startingPriceFen: 56_000_000n,
      depositFen: 5_600_000n,
      startsAt,
      endsAt: new Date(startsAt.getTime() + DAY),
      ...o,
    });
  };

  it('accepts a cut of exactly 20% and refuses a fen more', () => {
    expect(checkListingTerms(re(), reauction, statutory)).toEqual({});
    expect(
      checkListingTerms(re({ startingPriceFen: 55_999_999n }), reauction, statutory).startingPrice,
    ).toEqual(['rules.reauctionCutOver20']);
    expect(minReauctionPrice(70_000_000n)).toBe(56_000_000n);
  });

  it('ignores the 70% rule of the first auction (56% of the appraisal is lawful here)', () => {
    expect(checkListingTerms(re(), reauction, statutory).startingPrice).toBeUndefined();
  });

  it('real estate 15 days ahead, movables 7', () => {
    const short = new Date(announceAt.getTime() + 15 * DAY - 1);
    expect(
      checkListingTerms(
        re({ startsAt: short, endsAt: new Date(short.getTime() + DAY) }),
        reauction,
        statutory,
      ).startsAt,
    ).toEqual(['rules.reauctionLead15']);
    const s7 = new Date(announceAt.getTime() + 7 * DAY);
    expect(
      checkListingTerms(
        re({ assetType: 'machinery', startsAt: s7, endsAt: new Date(s7.getTime() + DAY) }),
        reauction,
        statutory,
      ),
    ).toEqual({});
  });

  it('within 30 days of the failure', () => {
    const late = { ...reauction, failedAt: new Date(announceAt.getTime() - 30 * DAY - 1) };
    expect(checkListingTerms(re(), late, statutory).announceAt).toEqual(['rules.reauctionWithin30']);
    const onTime = { ...reauction, failedAt: new Date(announceAt.getTime() - 30 * DAY) };
    expect(checkListingTerms(re(), onTime, statutory)).toEqual({});
  });
});

describe('fixed-price sale (变卖)', () => {
  it('at the second auction’s price, full deposit, 60 days', () => {
    const startsAt = announceAt;
    const sale = terms({
      startingPriceFen: 56_000_000n,
      depositFen: 56_000_000n,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 60 * DAY),
    });
    const round = { kind: 'fixed_price_sale', priceFen: 56_000_000n } as const;
    expect(checkListingTerms(sale, round, statutory)).toEqual({});
    expect(checkListingTerms({ ...sale, depositFen: 5_600_000n }, round, statutory).deposit).toEqual([
      'rules.fixedSaleDeposit',
    ]);
    expect(
      checkListingTerms({ ...sale, startingPriceFen: 50_000_000n, depositFen: 50_000_000n }, round, statutory)
        .startingPrice,
    ).toEqual(['rules.fixedSalePrice']);
  });
});

describe('rules profiles', () => {
  it('accelerated divides every legal duration by the factor', () => {
    const fast = rulesProfile('accelerated', 60);
    expect(fast.durations.biddingWindowMin).toBe(24 * 60_000);
    expect(fast.durations.extension).toBe(5_000);
    expect(fast.durations.announceLeadProperty).toBe(STATUTORY_DURATIONS.announceLeadProperty / 60);
    expect(rulesProfile('statutory', 60).durations).toEqual(STATUTORY_DURATIONS);
  });

  it('the 24-hour minimum becomes 24 minutes under a factor of 60', () => {
    const fast = rulesProfile('accelerated', 60);
    const startsAt = new Date(announceAt.getTime() + 12 * 3_600_000); // 30 days / 60
    const t = terms({ startsAt, endsAt: new Date(startsAt.getTime() + 24 * 60_000) });
    expect(checkListingTerms(t, first, fast)).toEqual({});
    expect(checkListingTerms({ ...t, endsAt: new Date(t.endsAt.getTime() - 1) }, first, fast).endsAt).toEqual(
      ['rules.windowUnder24h'],
    );
  });
});

describe('suggested increment', () => {
  it.each([
    [5_000_000n, 100_000n], // ¥50,000 × 2% = ¥1,000
    [10_000_000n, 200_000n], // ¥100,000 × 2% = ¥2,000 (the bound belongs to the 2% band)
    [56_000_000n, 560_000n], // ¥560,000 × 1% = ¥5,600
    [320_000_000n, 1_600_000n], // ¥3.2M × 0.5% = ¥16,000
    [12_345_678n, 120_000n], // ¥123,456.78 × 1% ≈ ¥1,234 → ¥1,200
    [1_000n, 100n], // at least ¥1
  ])('%s fen → %s fen', (start, inc) => {
    expect(suggestedIncrement(start)).toBe(inc);
  });
});

describe('listing state machine', () => {
  it('allows the lawful path and nothing backwards from the end', () => {
    expect(canTransition('draft', 'pending_approval')).toBe(true);
    expect(canTransition('pending_approval', 'announced')).toBe(true);
    expect(canTransition('announced', 'live')).toBe(true);
    expect(canTransition('live', 'ended')).toBe(true);
    expect(canTransition('draft', 'announced')).toBe(false); // approval cannot be skipped
    expect(canTransition('ended', 'live')).toBe(false);
    expect(canTransition('withdrawn', 'announced')).toBe(false);
    expect(canTransition('announced', 'ended')).toBe(false);
  });

  it('shows drafts to nobody and ended auctions as sold or failed', () => {
    expect(publicStatus('draft', null)).toBeNull();
    expect(publicStatus('pending_approval', null)).toBeNull();
    expect(publicStatus('announced', null)).toBe('upcoming');
    expect(publicStatus('ended', 'sold')).toBe('sold');
    expect(publicStatus('ended', 'failed')).toBe('failed');
  });
});

describe('courtStatusOf (issue 22: an approved listing before its announcement is not 公告中)', () => {
  const at = new Date('2026-12-01T02:00:00Z');
  it('is scheduled until the announcement, announced from its instant', () => {
    expect(courtStatusOf({ status: 'announced', announceAt: new Date(at.getTime() + 1) }, at)).toBe(
      'scheduled',
    );
    expect(courtStatusOf({ status: 'announced', announceAt: at }, at)).toBe('announced');
    expect(courtStatusOf({ status: 'live', announceAt: new Date(at.getTime() + 1) }, at)).toBe('live');
  });
});

describe('bidding rules the engine and the practice auction share (art. 20, ADR 008)', () => {
  const bidTerms = { startingPriceFen: 10_000n, incrementFen: 100n };
  const lead = (registrationId: string, priceFen: bigint) => ({
    priceFen,
    registrationId,
    priorityRank: null,
  });
  const end = new Date('2026-03-01T02:00:00Z');

  it('a bid at the end itself is past it; a millisecond before is not', () => {
    expect(isPastEnd(end, end)).toBe(true);
    expect(isPastEnd(new Date(end.getTime() - 1), end)).toBe(false);
    expect(isPastEnd(new Date(end.getTime() + 1), end)).toBe(true);
  });

  it("a bid decided after a later entry takes that entry's time", () => {
    const earlier = new Date(end.getTime() - 5);
    expect(bidStamp(end, earlier)).toEqual(end);
    expect(bidStamp(earlier, end)).toEqual(end);
    expect(bidStamp(null, earlier)).toEqual(earlier);
  });

  it('the next valid amount is the start, then one increment above the price', () => {
    expect(nextValidAmount(bidTerms, null)).toBe(10_000n);
    expect(nextValidAmount(bidTerms, lead('a', 10_300n))).toBe(10_400n);
  });

  it('a proxy floor is the next amount, or the price itself for the leader', () => {
    expect(proxyFloor(bidTerms, lead('a', 10_300n), 'a')).toBe(10_300n);
    expect(proxyFloor(bidTerms, lead('a', 10_300n), 'b')).toBe(10_400n);
    expect(proxyFloor(bidTerms, null, 'b')).toBe(10_000n);
  });

  it('the earliest proxy that is not leading and reaches the next amount bids exactly it', () => {
    const proxies = [
      { registrationId: 'a', maxFen: 20_000n },
      { registrationId: 'b', maxFen: 10_399n },
      { registrationId: 'c', maxFen: 10_400n },
    ];
    // a leads: b cannot reach 10,400 (one fen short), c can.
    expect(proxyStep(bidTerms, lead('a', 10_300n), proxies)).toEqual({
      proxy: proxies[2],
      amountFen: 10_400n,
    });
    // c leads: a is earlier than b and reaches it.
    expect(proxyStep(bidTerms, lead('c', 10_400n), proxies)).toEqual({
      proxy: proxies[0],
      amountFen: 10_500n,
    });
    // Nobody but the leader can go on.
    expect(proxyStep(bidTerms, lead('a', 10_400n), proxies.slice(1))).toBeNull();
    // Before any bid, the first proxy bids the start.
    expect(proxyStep(bidTerms, null, proxies)?.amountFen).toBe(10_000n);
  });
});
