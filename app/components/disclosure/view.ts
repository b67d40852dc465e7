import type { ListingService } from '../../../server/auctions/listings';

type ServiceDisclosure = Omit<
  Awaited<ReturnType<ListingService['getForCourt']>>['disclosure'],
  'checklist' | 'complete'
>;

/**
 * The disclosure as the pages carry it: money as decimal strings of fen (no bigint left for the
 * hydration payload), the rest as the service gave it.
 */
export function disclosureView(d: ServiceDisclosure) {
  const e = d.taxEstimate;
  return {
    occupancy: d.occupancy,
    leaseEndsOn: d.leaseEndsOn,
    monthlyRentFen: d.monthlyRentFen === null ? null : d.monthlyRentFen.toString(),
    occupancyNote: d.occupancyNote,
    arrearsDeclared: d.arrearsDeclared,
    arrears: d.arrears.map((a) => ({ ...a, amountFen: a.amountFen.toString() })),
    loanSupported: d.loanSupported,
    purchaseRestricted: d.purchaseRestricted,
    taxPayer: d.taxPayer,
    taxEstimate: e.applicable
      ? {
          applicable: true as const,
          basisFen: e.basisFen.toString(),
          lines: e.lines.map((l) => ({ ...l, amountFen: l.amountFen.toString() })),
          buyerFen: e.buyerFen.toString(),
          sellerFen: e.sellerFen.toString(),
          deviates: e.deviates,
        }
      : e,
  };
}
export type DisclosureView = ReturnType<typeof disclosureView>;
