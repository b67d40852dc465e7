import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applicationFeeFen,
  CLAIM_CLASSES,
  type ClaimClass,
  type ClaimInput,
  type CostInput,
  delayInterestFen,
  distribute,
  largestRemainder,
  type Plan,
  type PlanInput,
  type RankedClass,
  STATUTORY_ORDER,
} from './plan';

const claim = (id: string, cls: ClaimClass, principalFen: bigint, more: Partial<ClaimInput> = {}) => ({
  id,
  class: cls,
  principalFen,
  interestFen: 0n,
  delayInterestFen: 0n,
  sequence: Number(id.replace(/\D/g, '')) || 0,
  ...more,
});
const cost = (id: string, amountFen: bigint, kind: CostInput['kind'] = 'appraisal'): CostInput => ({
  id,
  kind,
  amountFen,
});
const plan = (over: Partial<PlanInput>): Plan =>
  distribute({ poolFen: 0n, costs: [], applicationFee: null, claims: [], debtorKind: 'person', ...over });
const allocated = (p: Plan, refId: string | null) =>
  p.lines.filter((l) => l.refId === refId).reduce((s, l) => s + l.allocatedFen, 0n);
const total = (p: Plan) => p.lines.reduce((s, l) => s + l.allocatedFen, 0n);

describe('the application fee by the statutory bands (诉讼费用交纳办法 art. 14)', () => {
  it.each([
    [0n, 0n],
    [1n, 5_000n], // ¥0.01 executed: the flat ¥50
    [1_000_000n, 5_000n], // ¥10,000: still ¥50
    [1_000_001n, 5_000n], // one fen into the 1.5% band: 0.015 fen rounds to nothing
    [1_000_034n, 5_001n], // 34 fen × 1.5% = 0.51 fen rounds up
    [50_000_000n, 740_000n], // ¥500,000: ¥50 + 1.5% of ¥490,000 = ¥7,400
    [500_000_000n, 5_240_000n], // ¥5,000,000: + 1% of ¥4,500,000 = ¥52,400
    [1_000_000_000n, 7_740_000n], // ¥10,000,000: + 0.5% of ¥5,000,000 = ¥77,400
    [2_000_000_000n, 8_740_000n], // ¥20,000,000: + 0.1% of ¥10,000,000 = ¥87,400
  ])('executed %s fen: fee %s fen', (executed, fee) => {
    expect(applicationFeeFen(executed)).toBe(fee);
  });
});

describe('delay interest (加倍部分债务利息): 1.75‱ a day, floored to the fen', () => {
  it('¥100,000 for 100 days is ¥1,750; no days, nothing', () => {
    expect(delayInterestFen(10_000_000n, 100)).toBe(175_000n);
    expect(delayInterestFen(10_000_000n, 0)).toBe(0n);
    expect(delayInterestFen(333n, 1)).toBe(0n);
  });
});

describe('the plan at its edges', () => {
  it('a pool that does not cover the costs: the costs share it pro rata, no claim gets a fen, nothing goes back', () => {
    const p = plan({
      poolFen: 1_000n,
      costs: [cost('c1', 1_500n), cost('c2', 500n, 'auction')],
      claims: [claim('k1', 'secured', 100_000n, { registeredOn: '2020-01-01' }), claim('k2', 'ordinary', 5n)],
    });
    expect(allocated(p, 'c1')).toBe(750n);
    expect(allocated(p, 'c2')).toBe(250n);
    expect(allocated(p, 'k1')).toBe(0n);
    expect(allocated(p, 'k2')).toBe(0n);
    expect(p.surplusFen).toBe(0n);
    expect(p.lines.find((l) => l.refId === 'k1')!.shortFen).toBe(100_000n);
    expect(p.lines.every((l) => (l.kind === 'cost' ? l.rule === 'cost' : true))).toBe(true);
  });

  it('exactly covers the secured claims: the mortgagees are paid in full, the ordinary creditors nothing', () => {
    const p = plan({
      poolFen: 10_000n + 300_000n + 200_000n,
      costs: [cost('c1', 10_000n)],
      claims: [
        claim('k1', 'secured', 200_000n, { registeredOn: '2021-05-01' }),
        claim('k2', 'secured', 250_000n, { registeredOn: '2019-03-01', interestFen: 50_000n }),
        claim('k3', 'ordinary', 1_000_000n),
      ],
    });
    expect(allocated(p, 'k2')).toBe(300_000n);
    expect(allocated(p, 'k1')).toBe(200_000n);
    expect(allocated(p, 'k3')).toBe(0n);
    expect(p.surplusFen).toBe(0n);
    // Registered first, ranked first (art. 55).
    const rank = (id: string) => p.lines.find((l) => l.refId === id)!.rank;
    expect(rank('k2')).toBeLessThan(rank('k1'));
    expect(p.lines.find((l) => l.refId === 'k1')!.rule).toBe('secured');
  });

  it('the worked example: three ordinary claims of ¥100,000 from ¥200,000 pay ¥66,666.67, ¥66,666.67, ¥66,666.66, not a fen more', () => {
    const claims = ['k1', 'k2', 'k3'].map((id) => claim(id, 'ordinary', 10_000_000n));
    // Rounding each share half up would pay 20,000,001 fen.
    const naive = claims.reduce((s) => s + BigInt(Math.round((10_000_000 * 20_000_000) / 30_000_000)), 0n);
    expect(naive).toBe(20_000_001n);
    const p = plan({ poolFen: 20_000_000n, claims });
    expect(p.lines.map((l) => [l.refId, l.allocatedFen])).toEqual([
      ['k1', 6_666_667n],
      ['k2', 6_666_667n],
      ['k3', 6_666_666n],
    ]);
    expect(total(p)).toBe(20_000_000n);
    expect(p.lines.every((l) => l.rule === 'ordinaryProRata')).toBe(true);
  });

  it('equal remainders: the earlier claim gets the fen, whatever the order given', () => {
    const claims = [
      claim('k7', 'ordinary', 100n),
      claim('k3', 'ordinary', 100n),
      claim('k5', 'ordinary', 100n),
    ];
    const p = plan({ poolFen: 100n, claims });
    expect(allocated(p, 'k3')).toBe(34n);
    expect(allocated(p, 'k5')).toBe(33n);
    expect(allocated(p, 'k7')).toBe(33n);
  });

  it('a larger remainder wins over an earlier claim', () => {
    // 10 fen over 3 and 6: exact 3.33 and 6.67; the fen left goes to the later claim's .67.
    expect(
      largestRemainder(10n, [
        { demandFen: 5n, sequence: 1 },
        { demandFen: 10n, sequence: 2 },
      ]),
    ).toEqual([3n, 7n]);
  });

  it('a company debtor pays ordinary claims in the order of seizure, and the plan says so (art. 514)', () => {
    const p = plan({
      poolFen: 1_500n,
      debtorKind: 'company',
      claims: [
        claim('k1', 'ordinary', 1_000n, { seizureRank: 2 }),
        claim('k2', 'ordinary', 1_000n, { seizureRank: 1 }),
        claim('k3', 'ordinary', 1_000n, { seizureRank: 3 }),
      ],
    });
    expect(allocated(p, 'k2')).toBe(1_000n);
    expect(allocated(p, 'k1')).toBe(500n);
    expect(allocated(p, 'k3')).toBe(0n);
    expect(p.ordinaryRule).toBe('ordinarySeizureOrder');
    expect(p.lines.every((l) => l.rule === 'ordinarySeizureOrder')).toBe(true);
  });

  it('a surplus goes back to the debtor (执行规定 art. 34)', () => {
    const p = plan({
      poolFen: 10_000n,
      costs: [cost('c1', 1_000n)],
      claims: [claim('k1', 'ordinary', 2_000n, { interestFen: 300n, delayInterestFen: 200n })],
    });
    expect(allocated(p, 'k1')).toBe(2_500n);
    expect(p.surplusFen).toBe(6_500n);
    expect(p.lines.at(-1)).toMatchObject({ kind: 'surplus', allocatedFen: 6_500n, rule: 'surplus' });
  });

  it('construction priority covers the price only; its interest is an ordinary claim (建工解释 art. 40)', () => {
    const p = plan({
      poolFen: 5_000n,
      claims: [
        claim('k1', 'construction', 3_000n, { interestFen: 1_000n }),
        claim('k2', 'secured', 1_000n, { registeredOn: '2018-01-01' }),
        claim('k3', 'ordinary', 1_000n),
      ],
    });
    const k1 = p.lines.filter((l) => l.refId === 'k1');
    expect(k1.map((l) => [l.class, l.allocatedFen, l.rule])).toEqual([
      ['construction', 3_000n, 'construction'],
      ['ordinary', 500n, 'constructionInterest'],
    ]);
    expect(allocated(p, 'k2')).toBe(1_000n);
    expect(allocated(p, 'k3')).toBe(500n);
  });

  it("the court's order applies and is shown; labour unranked is an ordinary claim, ranked it comes before", () => {
    const claims = [claim('k1', 'labour', 1_000n), claim('k2', 'ordinary', 1_000n)];
    const statutory = plan({ poolFen: 1_000n, claims });
    expect(statutory.orderSource).toBe('statutory');
    expect([allocated(statutory, 'k1'), allocated(statutory, 'k2')]).toEqual([500n, 500n]);
    const court = plan({ poolFen: 1_000n, claims, courtOrder: [...STATUTORY_ORDER, 'labour'] });
    expect(court.orderSource).toBe('court');
    expect([allocated(court, 'k1'), allocated(court, 'k2')]).toEqual([1_000n, 0n]);
    expect(court.lines.find((l) => l.refId === 'k1')!.rule).toBe('labour');
  });

  it('the application fee is a cost, on what reaches the claims', () => {
    const p = plan({
      poolFen: 60_000_000n,
      costs: [cost('c1', 10_000_000n)],
      applicationFee: { id: 'fee' },
      claims: [claim('k1', 'ordinary', 100_000_000n)],
    });
    // Executed: ¥500,000 (the pool less the appraisal); fee ¥7,400.
    expect(allocated(p, 'fee')).toBe(740_000n);
    expect(p.applicationFeeFen).toBe(740_000n);
    expect(allocated(p, 'k1')).toBe(60_000_000n - 10_000_000n - 740_000n);
    expect(p.lines.find((l) => l.refId === 'fee')!.rule).toBe('applicationFee');
  });
});

// ---- The property test -----------------------------------------------------------------------

const RANKED: readonly RankedClass[] = [
  'construction',
  'tax_before_mortgage',
  'secured',
  'tax_after_mortgage',
  'labour',
];
const fen = (max: number) => fc.bigInt({ min: 0n, max: BigInt(max) });
const arbClaim = (i: number) =>
  fc.record({
    id: fc.constant(`k${i}`),
    class: fc.constantFrom(...CLAIM_CLASSES),
    principalFen: fen(5_000_000),
    interestFen: fen(50_000),
    delayInterestFen: fen(50_000),
    registeredOn: fc.constantFrom('2018-01-01', '2019-06-30', '2021-02-14', null),
    seizureRank: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    sequence: fc.constant(i),
  });
const arbInput = fc
  .record({
    poolFen: fen(30_000_000),
    costs: fc.array(fen(500_000), { maxLength: 4 }),
    fee: fc.boolean(),
    claimCount: fc.integer({ min: 0, max: 9 }),
    debtorKind: fc.constantFrom('person', 'company', 'other_organisation' as const),
    courtOrder: fc.option(fc.shuffledSubarray([...RANKED]), { nil: null }),
  })
  .chain((r) =>
    fc.tuple(fc.constant(r), fc.tuple(...Array.from({ length: r.claimCount }, (_, i) => arbClaim(i)))),
  )
  .map(
    ([r, claims]): PlanInput => ({
      poolFen: r.poolFen,
      costs: r.costs.map((a, i) => cost(`c${i}`, a)),
      applicationFee: r.fee ? { id: 'fee' } : null,
      claims,
      debtorKind: r.debtorKind,
      courtOrder: r.courtOrder,
    }),
  );

describe('the plan, for random pools and claims', () => {
  it('pays exactly the pool, never more than a demand, and a later rank only once every earlier rank is paid in full', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const p = distribute(input);
        expect(total(p)).toBe(input.poolFen);
        for (const l of p.lines) {
          expect(l.allocatedFen).toBeGreaterThanOrEqual(0n);
          expect(l.allocatedFen).toBeLessThanOrEqual(l.demandFen);
          expect(l.shortFen).toBe(l.demandFen - l.allocatedFen);
        }
        // Never more than a claim asked for, over all its lines.
        for (const c of input.claims)
          expect(allocated(p, c.id)).toBeLessThanOrEqual(c.principalFen + c.interestFen + c.delayInterestFen);
        // Class order: a line of a later rank gets money only when every earlier line is whole.
        for (const l of p.lines)
          if (l.allocatedFen > 0n) for (const e of p.lines) if (e.rank < l.rank) expect(e.shortFen).toBe(0n);
        // The surplus only when every demand is whole.
        if (p.surplusFen > 0n) expect(p.lines.every((l) => l.shortFen === 0n)).toBe(true);
        // Costs come first, then the ranked classes in the order applied, then the ordinary claims.
        const order = ['cost', ...p.order, 'ordinary'];
        const position = (l: (typeof p.lines)[number]) =>
          l.kind === 'cost' ? 0 : l.kind === 'surplus' ? order.length : Math.max(0, order.indexOf(l.class));
        for (let i = 1; i < p.lines.length; i++)
          expect(position(p.lines[i]!)).toBeGreaterThanOrEqual(position(p.lines[i - 1]!));
      }),
      { numRuns: 400, seed: 16 },
    );
  });

  it('within a pro-rata group, shares differ from the exact proportion by less than one fen', () => {
    fc.assert(
      fc.property(fen(10_000_000), fc.array(fen(3_000_000), { minLength: 1, maxLength: 8 }), (money, ds) => {
        const demands = ds.map((d, i) => ({ demandFen: d, sequence: i }));
        const shares = largestRemainder(money, demands);
        const t = ds.reduce((s, d) => s + d, 0n);
        if (t === 0n) return;
        let m = t;
        if (money < t) m = money;
        expect(shares.reduce((s, x) => s + x, 0n)).toBe(m);
        for (const [i, d] of ds.entries()) {
          const exactTimesT = d * m; // share × t should be within t of this
          expect(shares[i]! * t - exactTimesT).toBeLessThan(t);
          expect(exactTimesT - shares[i]! * t).toBeLessThan(t);
        }
      }),
      { numRuns: 400, seed: 16 },
    );
  });
});
