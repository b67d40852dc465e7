/**
 * Structured disclosure of a listing (ADR 029), pure: the estimate of the taxes of the transfer
 * and the clerk's checklist of what the announcement must still say. No database, no clock.
 *
 * Legal basis: the online-auction Provisions art. 14(5) (occupancy and the duties attached to
 * the property are published with the announcement), art. 14(9) (the taxes the transfer may
 * give rise to and who bears them), art. 30 (each party bears the taxes the law puts on it; the
 * court decides only where the law is silent), art. 7(2) (showing the property, 引领查看).
 */
import type { Listing } from '../../db/schema/auctions.js';

/**
 * Rates in basis points (1/10,000). Defaults (ADR 029) are the common ones for a second-hand
 * property: deed tax 3% (契税, the general rate; a buyer's first home may pay 1%-1.5%), VAT 5%
 * on the tax-inclusive price (增值税, simplified method) with its surcharges at 12% of the VAT
 * (城建税 7%, 教育费附加 3%, 地方教育附加 2%), individual income tax at the deemed 1% of the
 * price (个人所得税核定征收), stamp duty 0.05% on each side (印花税).
 */
export interface TaxRates {
  deedBp: number;
  vatBp: number;
  /** Of the VAT, not of the price. */
  vatSurchargeBp: number;
  incomeBp: number;
  stampBp: number;
}

export const DEFAULT_TAX_RATES: TaxRates = {
  deedBp: 300,
  vatBp: 500,
  vatSurchargeBp: 1200,
  incomeBp: 100,
  stampBp: 5,
};

export type TaxName = 'deed' | 'vat' | 'vatSurcharge' | 'income' | 'stampBuyer' | 'stampSeller';
export type TaxSide = 'buyer' | 'seller';
export type TaxPayerRule = Listing['taxPayer'];

/** Real property: a transfer of title registered with the real-estate registry. */
const REAL_PROPERTY = new Set<Listing['assetType']>(['residential', 'commercial', 'land_use_right']);

/** Round half up, in fen: `amount * bp / 10,000`. */
const ofBp = (amountFen: bigint, bp: number) => (amountFen * BigInt(bp) + 5_000n) / 10_000n;

export interface TaxLine {
  tax: TaxName;
  /** Who the law puts it on (art. 30). */
  statutory: TaxSide;
  /** Who pays it under this listing: the statutory side unless the listing says otherwise. */
  payer: TaxSide;
  rateBp: number;
  amountFen: bigint;
}

export type TaxEstimate =
  | {
      applicable: true;
      basisFen: bigint;
      lines: TaxLine[];
      buyerFen: bigint;
      sellerFen: bigint;
      /** The listing puts the taxes on one side instead of each its own (art. 30). */
      deviates: boolean;
    }
  | { applicable: false; reason: 'notRealProperty' };

/**
 * An estimate of the transfer's taxes at the starting price, for real property only (a vehicle's,
 * machinery's or shares' taxes depend on who sells and what it cost, which the court does not
 * know). An estimate: preferential rates, the seller's purchase price, the years held and the
 * local 核定 practice change the real figure, which the tax office decides.
 */
export function estimateTaxes(
  priceFen: bigint,
  assetType: Listing['assetType'],
  rule: TaxPayerRule,
  rates: TaxRates = DEFAULT_TAX_RATES,
): TaxEstimate {
  if (!REAL_PROPERTY.has(assetType)) return { applicable: false, reason: 'notRealProperty' };
  const price = priceFen < 0n ? 0n : priceFen;
  // VAT on a tax-inclusive price: price / (1 + rate) * rate.
  const divisor = BigInt(10_000 + rates.vatBp);
  const vat = (price * BigInt(rates.vatBp) + divisor / 2n) / divisor;
  const raw: Array<Omit<TaxLine, 'payer'>> = [
    { tax: 'deed', statutory: 'buyer', rateBp: rates.deedBp, amountFen: ofBp(price, rates.deedBp) },
    { tax: 'stampBuyer', statutory: 'buyer', rateBp: rates.stampBp, amountFen: ofBp(price, rates.stampBp) },
    { tax: 'vat', statutory: 'seller', rateBp: rates.vatBp, amountFen: vat },
    {
      tax: 'vatSurcharge',
      statutory: 'seller',
      rateBp: rates.vatSurchargeBp,
      amountFen: ofBp(vat, rates.vatSurchargeBp),
    },
    { tax: 'income', statutory: 'seller', rateBp: rates.incomeBp, amountFen: ofBp(price, rates.incomeBp) },
    { tax: 'stampSeller', statutory: 'seller', rateBp: rates.stampBp, amountFen: ofBp(price, rates.stampBp) },
  ];
  const lines = raw.map((l) => ({
    ...l,
    payer:
      rule === 'buyer_all' ? ('buyer' as const) : rule === 'seller_all' ? ('seller' as const) : l.statutory,
  }));
  const sum = (side: TaxSide) => lines.filter((l) => l.payer === side).reduce((s, l) => s + l.amountFen, 0n);
  return {
    applicable: true,
    basisFen: price,
    lines,
    buyerFen: sum('buyer'),
    sellerFen: sum('seller'),
    deviates: rule !== 'each_by_law',
  };
}

export type ChecklistItem = 'occupancy' | 'arrears' | 'taxes' | 'viewing' | 'loan';

/** What the checklist reads of a listing. */
export type DisclosureState = Pick<
  Listing,
  'occupancy' | 'arrearsDeclaredAt' | 'taxes' | 'viewing' | 'loanSupported'
> & {
  /** Viewing slots offered that have not started yet. */
  upcomingSlots: number;
};

/**
 * What the announcement still lacks (art. 14(5), (9), art. 7(2)), in the form's order. Submission
 * is not refused on it (ADR 029): the clerk is warned and the panel sees the same list before it
 * approves; a listing may lawfully offer no viewing (a share, a claim) when its viewing text says so.
 */
export function disclosureChecklist(s: DisclosureState): { item: ChecklistItem; done: boolean }[] {
  return [
    { item: 'occupancy', done: s.occupancy !== null },
    { item: 'arrears', done: s.arrearsDeclaredAt !== null },
    { item: 'taxes', done: s.taxes.trim() !== '' },
    { item: 'viewing', done: s.upcomingSlots > 0 },
    { item: 'loan', done: s.loanSupported !== null },
  ];
}

export const missingOf = (s: DisclosureState) =>
  disclosureChecklist(s)
    .filter((c) => !c.done)
    .map((c) => c.item);
