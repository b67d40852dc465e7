import { describe, expect, it } from 'vitest';
import { DEFAULT_TAX_RATES, disclosureChecklist, estimateTaxes, missingOf } from './disclosure-rules';

const amounts = (e: ReturnType<typeof estimateTaxes>) =>
  e.applicable ? Object.fromEntries(e.lines.map((l) => [l.tax, [l.amountFen, l.payer]])) : null;

describe('estimateTaxes (art. 14(9), art. 30; ADR 029)', () => {
  it('a flat at ¥1,000,000: each side its own taxes at the default rates', () => {
    const e = estimateTaxes(100_000_000n, 'residential', 'each_by_law');
    expect(amounts(e)).toEqual({
      deed: [3_000_000n, 'buyer'], // 3%
      stampBuyer: [50_000n, 'buyer'], // 0.05%
      vat: [4_761_905n, 'seller'], // 1,000,000 / 1.05 * 5% = 47,619.0476 yuan, rounded half up
      vatSurcharge: [571_429n, 'seller'], // 12% of the VAT: 571,428.6 fen
      income: [1_000_000n, 'seller'], // deemed 1%
      stampSeller: [50_000n, 'seller'],
    });
    expect(e.applicable && [e.buyerFen, e.sellerFen, e.deviates]).toEqual([3_050_000n, 6_383_334n, false]);
  });

  it('rounds each line half up to the fen, at the edge', () => {
    // Stamp duty 0.05%: 999 fen gives 0.4995 fen (0), 1,000 fen gives 0.5 fen (1).
    expect(amounts(estimateTaxes(999n, 'commercial', 'each_by_law'))!.stampBuyer![0]).toBe(0n);
    expect(amounts(estimateTaxes(1_000n, 'commercial', 'each_by_law'))!.stampBuyer![0]).toBe(1n);
    // VAT 5/105: 21 fen gives exactly 1 fen; 10 fen gives 0.476 (0); 11 fen gives 0.5238 (1).
    expect(amounts(estimateTaxes(21n, 'residential', 'each_by_law'))!.vat![0]).toBe(1n);
    expect(amounts(estimateTaxes(10n, 'residential', 'each_by_law'))!.vat![0]).toBe(0n);
    expect(amounts(estimateTaxes(11n, 'residential', 'each_by_law'))!.vat![0]).toBe(1n);
  });

  it('a price of zero gives zero taxes, not an error', () => {
    const e = estimateTaxes(0n, 'land_use_right', 'each_by_law');
    expect(e.applicable && [e.buyerFen, e.sellerFen]).toEqual([0n, 0n]);
  });

  it('a listing that puts every tax on the buyer (or the seller) is shown as a deviation, same total', () => {
    const law = estimateTaxes(100_000_000n, 'residential', 'each_by_law');
    const buyer = estimateTaxes(100_000_000n, 'residential', 'buyer_all');
    const seller = estimateTaxes(100_000_000n, 'residential', 'seller_all');
    if (!law.applicable || !buyer.applicable || !seller.applicable) throw new Error('applicable');
    expect([buyer.buyerFen, buyer.sellerFen, buyer.deviates]).toEqual([
      law.buyerFen + law.sellerFen,
      0n,
      true,
    ]);
    expect([seller.buyerFen, seller.sellerFen, seller.deviates]).toEqual([
      0n,
      law.buyerFen + law.sellerFen,
      true,
    ]);
    // The statutory side stays visible beside who pays under this listing.
    expect(buyer.lines.find((l) => l.tax === 'vat')).toMatchObject({ statutory: 'seller', payer: 'buyer' });
  });

  it('gives no estimate for what is not real property (a vehicle, machinery, shares)', () => {
    for (const t of ['vehicle', 'machinery', 'equity'] as const)
      expect(estimateTaxes(100_000_000n, t, 'each_by_law')).toEqual({
        applicable: false,
        reason: 'notRealProperty',
      });
  });

  it('uses the configured rates', () => {
    const e = estimateTaxes(100_000_000n, 'residential', 'each_by_law', {
      ...DEFAULT_TAX_RATES,
      deedBp: 100,
      incomeBp: 0,
    });
    expect(amounts(e)!.deed![0]).toBe(1_000_000n);
    expect(amounts(e)!.income![0]).toBe(0n);
  });
});

describe('disclosureChecklist', () => {
  const empty = {
    occupancy: null,
    arrearsDeclaredAt: null,
    taxes: '按法律规定各自承担。',
    viewing: '',
    loanSupported: null,
    upcomingSlots: 0,
  };
  it('names what is missing, in the form order', () => {
    expect(missingOf(empty)).toEqual(['occupancy', 'arrears', 'viewing', 'loan']);
    expect(missingOf({ ...empty, taxes: '  ' })).toContain('taxes');
  });
  it('is complete once each item is stated; "no loan" and "no arrears" count as stated', () => {
    const done = {
      ...empty,
      occupancy: 'vacant' as const,
      arrearsDeclaredAt: new Date(),
      loanSupported: false,
      upcomingSlots: 1,
    };
    expect(disclosureChecklist(done).every((c) => c.done)).toBe(true);
    expect(missingOf({ ...done, upcomingSlots: 0 })).toEqual(['viewing']);
  });
});
