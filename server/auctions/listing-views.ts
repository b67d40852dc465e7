/**
 * The court's views of its listings and assets: what the court's pages read, with what this
 * viewer may do now (ADR 010) decided beside each entity by its `decide…Actions`.
 */
import { and, asc, count, desc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import {
  type Listing,
  type ListingStatus,
  listingAmendments,
  listings,
  listingTransitions,
  priorityPurchasers,
  registrations,
} from '../../db/schema/auctions.js';
import { assetFiles, assets, cases } from '../../db/schema/cases.js';
import { organisations, users } from '../../db/schema/identity.js';
import { affordancesOf } from '../affordances.js';
import { decideAssetActions } from '../cases/rules.js';
import { notFound } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { containing, keysetCursor, keysetPage, olderThan } from '../keyset.js';
import { isUuid } from '../validation.js';
import { decideListingActions } from './affordances.js';
import type { ListingDeps } from './deps.js';
import { disclosureOf } from './disclosure.js';
import { planOf } from './listing-drafts.js';
import { courtStatusOf, isClaimableDesignation, nextRoundOf } from './rules.js';

export async function listForCourt(
  deps: ListingDeps,
  actor: Actor,
  filter: { status?: ListingStatus; assetId?: string } = {},
) {
  requirePermission(actor, 'read:case');
  const courtId = courtOf(actor);
  if (filter.assetId !== undefined && !isUuid(filter.assetId)) throw notFound();
  const now = deps.clock();
  const rows = await deps.db
    .select()
    .from(listings)
    .where(
      and(
        eq(listings.courtId, courtId),
        filter.status ? eq(listings.status, filter.status) : undefined,
        filter.assetId ? eq(listings.assetId, filter.assetId) : undefined,
      ),
    )
    .orderBy(desc(listings.updatedAt))
    .limit(200);
  return rows.map((l) => ({ ...l, courtStatus: courtStatusOf(l, now) }));
}

/** A page of the court's listings list (issue 22). */
export const LISTING_PAGE = 50;

/**
 * The court's listings list: a search over the title and the case number, a status, a page at a
 * time (keyset, newest first) with the count of the whole filtered set; `limit: null` reads them
 * all (the CSV export). The status is the stored one ("announced" covers the not-yet-public ones,
 * which the row shows as scheduled).
 */
export async function pageForCourt(
  deps: ListingDeps,
  actor: Actor,
  filter: { q?: string; status?: ListingStatus; before?: string } = {},
  limit: number | null = LISTING_PAGE,
) {
  requirePermission(actor, 'read:case');
  const courtId = courtOf(actor);
  const q = filter.q?.trim();
  const where = and(
    eq(listings.courtId, courtId),
    filter.status ? eq(listings.status, filter.status) : undefined,
    q
      ? or(
          ilike(listings.title, containing(q)),
          sql`${listings.caseId} in (select c.id from cases c where c.court_id = ${courtId} and c.case_number ilike ${containing(q)})`,
        )
      : undefined,
  );
  const page = deps.db
    .select({
      id: listings.id,
      title: listings.title,
      round: listings.round,
      status: listings.status,
      announceAt: listings.announceAt,
      outcome: listings.outcome,
      startingPriceFen: listings.startingPriceFen,
      startsAt: listings.startsAt,
      currentEndAt: listings.currentEndAt,
      createdAt: listings.createdAt,
      caseNumber: cases.caseNumber,
    })
    .from(listings)
    .innerJoin(cases, eq(cases.id, listings.caseId))
    .where(and(where, olderThan(listings.createdAt, listings.id, filter.before)))
    .orderBy(desc(listings.createdAt), desc(listings.id));
  const [rows, [total]] = await Promise.all([
    limit === null ? page : page.limit(limit + 1),
    deps.db.select({ n: count() }).from(listings).where(where),
  ]);
  const now = deps.clock();
  const shown = keysetPage(rows, limit, (l) => keysetCursor(l.createdAt, l.id));
  return {
    rows: shown.rows.map((l) => ({ ...l, courtStatus: courtStatusOf(l, now) })),
    total: total?.n ?? 0,
    next: shown.next,
  };
}

export async function getForCourt(deps: ListingDeps, actor: Actor, id: string) {
  requirePermission(actor, 'read:case');
  const courtId = courtOf(actor);
  if (!isUuid(id)) throw notFound();
  const [l] = await deps.db
    .select()
    .from(listings)
    .where(and(eq(listings.id, id), eq(listings.courtId, courtId)));
  if (!l) throw notFound();
  const d = await details(deps, l);
  // Names of the court's own staff who acted on it (the court sees who did what; the public does not).
  const ids = [
    l.preparedBy,
    l.approvedBy,
    ...d.timeline.map((t) => t.actorId),
    ...d.amendments.map((a) => a.actorId),
  ];
  const known = [...new Set(ids.filter((id): id is string => id !== null))];
  const [staff, claims, disclosure] = await Promise.all([
    known.length
      ? deps.db
          .select({ id: users.id, realName: users.realName })
          .from(users)
          .where(and(inArray(users.id, known), eq(users.organisationId, courtId)))
      : [],
    claimsOf(deps, d.purchasers),
    disclosureOf(deps.db, l, deps.clock(), deps.taxRates),
  ]);
  return {
    listing: { ...l, courtStatus: courtStatusOf(l, deps.clock()) },
    ...d,
    /**
     * The court sees whom it designated (name, masked identity) and whether he has registered,
     * with his bidder code once his deposit is held, as it sees every bidder's on its deposits.
     */
    purchasers: d.purchasers.map((p) => ({
      ...p,
      claimable: isClaimableDesignation(p.identityKind),
      registration: claims.get(p.id) ?? null,
    })),
    staffNames: Object.fromEntries(staff.map((u) => [u.id, u.realName])),
    /** Occupancy, arrears, tax estimate, loan support and the checklist of what is missing (ADR 029). */
    disclosure,
    /** What this viewer may do with it now; the actions re-check the same decisions. */
    can: affordancesOf(decideListingActions(actor, l)),
    /** The public sees it (its announcement is out): the court's page links to the public one. */
    isPublic: l.publishedAt !== null && l.publishedAt <= deps.clock(),
  };
}

/** What the court's and the public's listing pages both show (each then hides what is not theirs). */
export async function details(deps: ListingDeps, l: Listing) {
  const [purchasers, timeline, amendments, chain, files] = await Promise.all([
    // Never the sealed identity (cipher, digest): the masked number at most, and to the court only.
    deps.db
      .select({
        id: priorityPurchasers.id,
        rank: priorityPurchasers.rank,
        rightKind: priorityPurchasers.rightKind,
        name: priorityPurchasers.name,
        identityKind: priorityPurchasers.identityKind,
        identityMasked: priorityPurchasers.identityMasked,
      })
      .from(priorityPurchasers)
      .where(eq(priorityPurchasers.listingId, l.id))
      .orderBy(asc(priorityPurchasers.rank)),
    deps.db
      .select()
      .from(listingTransitions)
      .where(eq(listingTransitions.listingId, l.id))
      .orderBy(asc(listingTransitions.at)),
    deps.db
      .select()
      .from(listingAmendments)
      .where(eq(listingAmendments.listingId, l.id))
      .orderBy(asc(listingAmendments.publishedAt)),
    deps.db
      .select({
        id: listings.id,
        round: listings.round,
        kind: listings.kind,
        status: listings.status,
        outcome: listings.outcome,
        startingPriceFen: listings.startingPriceFen,
        startsAt: listings.startsAt,
      })
      .from(listings)
      .where(eq(listings.assetId, l.assetId))
      .orderBy(asc(listings.round), asc(listings.createdAt)),
    deps.db
      .select()
      .from(assetFiles)
      .where(eq(assetFiles.assetId, l.assetId))
      .orderBy(asc(assetFiles.createdAt)),
  ]);
  const [asset] = await deps.db.select().from(assets).where(eq(assets.id, l.assetId));
  const [court] = await deps.db.select().from(organisations).where(eq(organisations.id, l.courtId));
  return { purchasers, timeline, amendments, chain, files, asset: asset!, court: court! };
}

/** The registrations that claimed these priority purchasers (art. 19, 21), by purchaser. */
async function claimsOf(deps: ListingDeps, purchasers: Array<{ id: string }>) {
  const rows = purchasers.length
    ? await deps.db
        .select({
          purchaserId: registrations.priorityPurchaserId,
          status: registrations.status,
          code: registrations.code,
          registeredAt: registrations.createdAt,
        })
        .from(registrations)
        .where(
          inArray(
            registrations.priorityPurchaserId,
            purchasers.map((p) => p.id),
          ),
        )
    : [];
  return new Map(rows.map(({ purchaserId, ...r }) => [purchaserId!, r]));
}

/**
 * The court's asset page: the asset with its files, the rounds of its sale, the plan of the
 * next one for the drafting form, and what this viewer may do with the asset now.
 */
export async function getAssetForCourt(deps: ListingDeps, actor: Actor, assetId: string) {
  const [asset, rounds] = await Promise.all([
    deps.assets.getAsset(actor, assetId),
    listForCourt(deps, actor, { assetId }),
  ]);
  const next = nextRoundOf(rounds);
  const decisions = decideAssetActions(actor, asset, rounds);
  return {
    asset,
    rounds,
    /** The round under way, if any: the next one waits for its end. */
    inProgressId: 'active' in next ? next.active.id : null,
    plan: planOf(deps, asset, next),
    can: affordancesOf(decisions),
    /** Why a viewer who drafts rounds may not draft one now (one under way, sold, none left). */
    listRefusal: decisions.list?.code === 'conflict' ? decisions.list.messageKey : null,
  };
}
