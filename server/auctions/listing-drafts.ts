/**
 * Drafting a listing: each round of an asset's sale (ADR 005) is a listing the clerk prepares
 * for the panel's approval. `nextRoundOf` (rules.ts) says which round a new draft is; the
 * round's legal terms are checked with the active rules profile.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type Listing, listings, listingTransitions, priorityPurchasers } from '../../db/schema/auctions.js';
import { type Asset, assets } from '../../db/schema/cases.js';
import { requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { decideAssetActions } from '../cases/rules.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { sealIdentity } from '../identity/real-name.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import { inTx, type ListingDeps } from './deps.js';
import {
  type ChainedRound,
  checkListingTerms,
  isMovable,
  minReauctionPrice,
  minStartingPrice,
  type NextRound,
  nextRoundOf,
  type RoundContext,
} from './rules.js';
import { ListingTermsSchema } from './schemas.js';

/** The round's legal terms (checkListingTerms) for these terms of a listing. */
export function termsErrors(
  deps: ListingDeps,
  t: ReturnType<typeof ListingTermsSchema.parse>,
  assetType: Listing['assetType'],
  appraisalFen: bigint,
  round: RoundContext,
  announceAt = t.announceAt,
) {
  return checkListingTerms(
    {
      assetType,
      appraisalFen,
      startingPriceFen: t.startingPrice,
      depositFen: t.deposit,
      incrementFen: t.increment,
      announceAt,
      startsAt: t.startsAt,
      endsAt: t.endsAt,
      balanceDays: t.balanceDays,
    },
    round,
    deps.profile,
  );
}

/** The rounds of an asset's sale so far, newest first; read under the asset's lock by createDraft. */
export const roundsOf = (tx: Tx, assetId: string) =>
  tx
    .select()
    .from(listings)
    .where(eq(listings.assetId, assetId))
    .orderBy(desc(listings.round), desc(listings.createdAt));

/**
 * What the next round of an asset would be and its lawful bounds, for the drafting form; the
 * same `nextRoundOf` that `createDraft` enforces. `available: false` carries the reason key.
 */
export async function planNextRound(deps: ListingDeps, actor: Actor, assetId: string) {
  requirePermission(actor, 'read:case');
  const courtId = courtOf(actor);
  if (!isUuid(assetId)) throw notFound();
  return deps.db.transaction(async (tx) => {
    const [asset] = await tx
      .select()
      .from(assets)
      .where(and(eq(assets.id, assetId), eq(assets.courtId, courtId)));
    if (!asset) throw notFound();
    return planOf(deps, asset, nextRoundOf(await roundsOf(tx, asset.id)));
  });
}

/** The plan of `next` for this asset (planNextRound), from rounds already read. */
export function planOf(
  deps: ListingDeps,
  asset: Pick<Asset, 'type' | 'appraisalFen'>,
  next: NextRound<ChainedRound>,
) {
  if ('refusal' in next) return { available: false as const, reason: next.refusal };
  const d = deps.profile.durations;
  const movable = isMovable(asset.type);
  const r = next.round;
  return {
    available: true as const,
    kind: r.kind,
    round: next.n,
    /** The lowest lawful starting price (art. 10 / art. 26), or the fixed price of a 变卖. */
    minStartFen:
      r.kind === 'first'
        ? minStartingPrice(asset.appraisalFen)
        : r.kind === 'reauction'
          ? minReauctionPrice(r.previousStartFen)
          : r.priceFen,
    previousStartFen: r.kind === 'reauction' ? r.previousStartFen : null,
    fixedPriceFen: r.kind === 'fixed_price_sale' ? r.priceFen : null,
    /** Announcement lead before bidding (art. 12 / art. 26); none for a fixed-price sale. */
    leadMs:
      r.kind === 'first'
        ? movable
          ? d.announceLeadMovable
          : d.announceLeadProperty
        : r.kind === 'reauction'
          ? movable
            ? d.reauctionLeadMovable
            : d.reauctionLeadProperty
          : 0,
    windowMs: r.kind === 'fixed_price_sale' ? d.fixedSaleWindow : d.biddingWindowMin,
    /** art. 26: the re-auction is announced by then. */
    announceBy: r.kind === 'reauction' ? new Date(r.failedAt.getTime() + d.reauctionWithin) : null,
  };
}

/** A clerk prepares the next round for an asset: the first auction, a re-auction or the fixed-price sale. */
export async function createDraft(
  deps: ListingDeps,
  actor: Actor,
  assetId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'create:listing');
  const courtId = courtOf(actor);
  const t = parseInput(ListingTermsSchema, input);
  return inTx(deps, async (tx) => {
    if (!isUuid(assetId)) throw notFound();
    const [asset] = await tx
      .select()
      .from(assets)
      .where(and(eq(assets.id, assetId), eq(assets.courtId, courtId)))
      .for('update');
    if (!asset) throw notFound();
    const rounds = await roundsOf(tx, asset.id);
    requireAllowed(decideAssetActions(actor, asset, rounds), 'list');
    const next = nextRoundOf(rounds);
    if ('refusal' in next) throw new DomainError('conflict', next.refusal); // refused just above
    const errors = termsErrors(deps, t, asset.type, asset.appraisalFen, next.round);
    if (Object.keys(errors).length) throw validationError(errors);
    const [row] = await tx
      .insert(listings)
      .values({
        assetId: asset.id,
        caseId: asset.caseId,
        courtId,
        kind: next.kind,
        round: next.n,
        previousListingId: next.previous?.id,
        title: asset.title,
        assetType: asset.type,
        province: asset.province,
        city: asset.city,
        district: asset.district,
        appraisalFen: asset.appraisalFen,
        startingPriceFen: t.startingPrice,
        depositFen: t.deposit,
        incrementFen: t.increment,
        announceAt: t.announceAt,
        startsAt: t.startsAt,
        endsAt: t.endsAt,
        currentEndAt: t.endsAt,
        balanceDays: t.balanceDays,
        specialNotices: t.specialNotices,
        taxes: t.taxes,
        taxPayer: t.taxPayer,
        viewing: t.viewing,
        contact: t.contact,
        supervisionLine: t.supervisionLine,
        purchaseRestricted: t.purchaseRestricted,
        preparedBy: actor.userId,
        createdAt: deps.clock(),
        updatedAt: deps.clock(),
      })
      .returning();
    if (t.priorityPurchasers.length)
      await tx.insert(priorityPurchasers).values(
        t.priorityPurchasers.map(({ idNumber, ...p }) => {
          // art. 19, 21: the identity the matching bidder is recognised by, sealed: never stored in clear.
          const id = sealIdentity(deps.piiKey, p.identityKind, idNumber);
          return {
            ...p,
            listingId: row!.id,
            identityCipher: id.cipher,
            identityDigest: id.digest,
            identityMasked: id.masked,
          };
        }),
      );
    await tx
      .insert(listingTransitions)
      .values({ listingId: row!.id, from: null, to: 'draft', at: deps.clock(), actorId: actor.userId });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'listing.draft',
      entityType: 'listing',
      entityId: row!.id,
      requestId,
    });
    return row!;
  });
}

/** The round an existing listing is, for re-checking its terms (approval). */
export async function roundOf(tx: Tx, l: Listing): Promise<RoundContext> {
  if (!l.previousListingId) return { kind: 'first' };
  const [prev] = await tx.select().from(listings).where(eq(listings.id, l.previousListingId));
  if (l.kind === 'fixed_price_sale') return { kind: 'fixed_price_sale', priceFen: prev!.startingPriceFen };
  return { kind: 'reauction', previousStartFen: prev!.startingPriceFen, failedAt: prev!.endedAt! };
}
