import type { ListingService } from '../../../server/auctions/listings';
import { publicStatus } from '../../../server/auctions/rules';
import { disclosureView } from '../disclosure/view';

type SearchRow = Awaited<ReturnType<ListingService['search']>>['rows'][number];

/**
 * A search row (or a home page section's, the same columns) as the public card needs it. Money
 * goes out as a decimal string of fen (no floating point, and no bigint left for the hydration
 * payload to carry).
 */
export function cardOf(r: SearchRow) {
  return {
    id: r.id,
    title: r.title,
    assetType: r.assetType,
    province: r.province,
    city: r.city,
    status: r.status,
    publicStatus: r.publicStatus,
    kind: r.kind,
    round: r.round,
    startingPriceFen: r.startingPriceFen.toString(),
    appraisalFen: r.appraisalFen.toString(),
    depositFen: r.depositFen.toString(),
    startsAt: r.startsAt,
    currentEndAt: r.currentEndAt,
    /** The engine's standing price; null before the first bid. */
    currentPriceFen: r.currentPriceFen?.toString() ?? null,
    bidCount: r.bidCount,
    lastSeq: r.lastSeq,
    registered: r.registered,
    followers: r.followers,
    photoId: r.photoId,
    purchaseRestricted: r.purchaseRestricted,
    loanSupported: r.loanSupported === true,
    court: { code: r.courtCode, nameZh: r.courtNameZh, nameEn: r.courtNameEn },
  };
}
export type CardListing = ReturnType<typeof cardOf>;

/** The path of a court's page; court codes are Chinese (青0104), so encoded. */
export const courtPath = (code: string) => `/courts/${encodeURIComponent(code)}`;
export const auctionPath = (id: string) => `/auctions/${encodeURIComponent(id)}`;

type PublicListing = Awaited<ReturnType<ListingService['publicListing']>>;

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/**
 * The announcement page's data: the public fields of the listing, its asset and court, and
 * nothing the court keeps to itself (who prepared or approved it, the case, purchasers' names).
 */
export function publicAuctionOf(p: PublicListing) {
  const l = p.listing;
  return {
    listing: {
      id: l.id,
      title: l.title,
      assetType: l.assetType,
      province: l.province,
      city: l.city,
      status: l.status,
      publicStatus: l.publicStatus,
      kind: l.kind,
      round: l.round,
      startingPriceFen: l.startingPriceFen.toString(),
      appraisalFen: l.appraisalFen.toString(),
      depositFen: l.depositFen.toString(),
      incrementFen: l.incrementFen.toString(),
      publishedAt: l.publishedAt ?? l.announceAt,
      startsAt: l.startsAt,
      endsAt: l.endsAt,
      currentEndAt: l.currentEndAt,
      endedAt: l.endedAt,
      /** The close found its standing at odds with the log: the result waits for the court (art. 31). */
      resultHeld: l.resultHeldAt !== null,
      balanceDays: l.balanceDays,
      specialNotices: l.specialNotices,
      taxes: l.taxes,
      taxPayer: l.taxPayer,
      viewing: l.viewing,
      contact: l.contact,
      supervisionLine: l.supervisionLine,
      purchaseRestricted: l.purchaseRestricted,
      loanSupported: l.loanSupported,
      publicReason: l.publicReason,
    },
    /** Occupancy, arrears, loan support and the tax estimate (art. 14(5), (9); ADR 029). */
    disclosure: disclosureView(p.disclosure),
    asset: {
      district: p.asset.district,
      address: p.asset.address,
      description: p.asset.description,
      knownDefects: p.asset.knownDefects,
      encumbrances: p.asset.encumbrances.map((e) => ({ kind: e.kind, description: e.description })),
      appraisalBasis: p.asset.appraisalBasis,
      appraisalDate: p.asset.appraisalDate,
    },
    court: {
      code: p.court.code,
      nameZh: p.court.nameZh,
      nameEn: p.court.nameEn,
      courtLevel: p.court.courtLevel,
    },
    photos: p.files.filter((f) => f.kind === 'photo').map((f) => ({ id: f.id })),
    documents: p.files
      .filter((f) => f.kind !== 'photo')
      .map((f) => ({ id: f.id, kind: f.kind, filename: f.filename, size: f.size })),
    purchasers: p.purchasers.map((x) => ({ rank: x.rank, rightKind: x.rightKind })),
    timeline: p.timeline.map((x) => ({ id: x.id, from: x.from, to: x.to, at: x.at, reason: x.reason })),
    amendments: p.amendments.map((a) => ({
      id: a.id,
      publishedAt: a.publishedAt,
      text: a.text,
      changes: Object.entries(a.changes).map(([field, c]) => ({ field, from: text(c.from), to: text(c.to) })),
    })),
    chain: p.chain.map((c) => ({
      id: c.id,
      round: c.round,
      kind: c.kind,
      publicStatus: publicStatus(c.status, c.outcome),
      startingPriceFen: c.startingPriceFen.toString(),
      startsAt: c.startsAt,
      current: c.id === l.id,
    })),
    serverTime: p.serverTime.getTime(),
  };
}
export type PublicAuction = ReturnType<typeof publicAuctionOf>;
