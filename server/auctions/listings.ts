import { and, asc, desc, eq, gte, ilike, inArray, lt, lte, notInArray, type SQL, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.js';
import {
  type Listing,
  type ListingStatus,
  listingAmendments,
  listings,
  listingTransitions,
  priorityPurchasers,
  registrations,
} from '../../db/schema/auctions.js';
import { auditLog } from '../../db/schema/audit.js';
import { auctionEvents } from '../../db/schema/bidding.js';
import { assetFiles, assets } from '../../db/schema/cases.js';
import { organisations, users } from '../../db/schema/identity.js';
import { recordAudit } from '../audit/audit.js';
import type { Clock } from '../clock.js';
import { DomainError, forbidden, isDomainError, notFound } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { cancelJob, scheduleJob, scheduleJobs } from '../jobs/runner.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import { appendEvent, nextEntry } from './chain.js';
import type { RulesProfile } from './profile.js';
import {
  canTransition,
  checkListingTerms,
  isMovable,
  minReauctionPrice,
  minStartingPrice,
  publicStatus,
  type RoundContext,
} from './rules.js';
import {
  AMENDABLE,
  AmendSchema,
  ListingTermsSchema,
  ReasonSchema,
  ResumeSchema,
  SearchSchema,
} from './schemas.js';

export const LISTING_JOBS = { start: 'listing.start', end: 'listing.end' } as const;
const jobKey = (id: string, what: 'start' | 'end') => `listing:${id}:${what}`;

/** The listing's durable timer for `what` (one pending job per key: rescheduling moves it). */
const scheduleTimer = (tx: Tx, id: string, what: 'start' | 'end', runAt: Date) =>
  scheduleJob(tx, { kind: LISTING_JOBS[what], key: jobKey(id, what), runAt, payload: { listingId: id } });

const cancelTimers = async (tx: Tx, id: string) => {
  await cancelJob(tx, jobKey(id, 'start'));
  await cancelJob(tx, jobKey(id, 'end'));
};
/** Status changes that enter the auction's public event log. */
const PUBLIC_EVENT_STATUSES = new Set<ListingStatus>([
  'live',
  'suspended',
  'ended',
  'withdrawn',
  'announced',
]);

type StatusChange = {
  listingId: string;
  from: ListingStatus;
  to: ListingStatus;
  /** The public log entry of this change, when it has one: relayed as is, no query needed. */
  event?: { listingId: string; seq: number; type: string; at: Date; payload: Record<string, unknown> };
};

export interface ListingDeps {
  db: Database;
  clock: Clock;
  profile: RulesProfile;
  /** Told after a commit that changed a listing's status (realtime broadcasts it). */
  onStatusChanged?: (event: StatusChange) => void;
  /**
   * Called in the transaction that ends or withdraws listings, each with its winner or null:
   * the payments service applies, releases and opens the balance (art. 23).
   */
  onClosed?: (
    tx: Tx,
    closings: Array<{ listingId: string; result: { winnerRegistrationId: string; priceFen: bigint } | null }>,
    now: Date,
  ) => Promise<void>;
}

/**
 * Auction listings and their lifecycle. Every status change goes through `transition`, which
 * checks the state machine (rules.ts), locks the row, and writes the public timeline entry and
 * the audit entry in the same transaction.
 */
export function createListingService(deps: ListingDeps) {
  const { db, clock, profile } = deps;

  /** Runs `fn` in a transaction and announces status changes only after the commit. */
  async function inTx<T>(fn: (tx: Tx, changed: StatusChange[]) => Promise<T>): Promise<T> {
    const changed: StatusChange[] = [];
    const result = await db.transaction((tx) => fn(tx, changed));
    for (const c of changed) deps.onStatusChanged?.(c);
    return result;
  }

  function courtOf(actor: Actor) {
    if (actor.orgKind !== 'court' || !actor.organisationId) throw forbidden();
    return actor.organisationId;
  }

  /** The listing, locked, if it belongs to the actor's court. */
  async function lockOwn(tx: Tx, actor: Actor, id: string): Promise<Listing> {
    const courtId = courtOf(actor);
    if (!isUuid(id)) throw notFound();
    const [row] = await tx
      .select()
      .from(listings)
      .where(and(eq(listings.id, id), eq(listings.courtId, courtId)))
      .for('update');
    if (!row) throw notFound();
    return row;
  }

  async function transition(
    tx: Tx,
    changed: StatusChange[],
    listing: Listing,
    to: ListingStatus,
    actor: Actor | null,
    opts: { reason?: string | null; patch?: Partial<typeof listings.$inferInsert> } = {},
  ): Promise<Listing> {
    if (!canTransition(listing.status, to))
      throw new DomainError('conflict', 'errors.badTransition', { params: { from: listing.status, to } });
    const now = clock();
    const [updated] = await tx
      .update(listings)
      .set({ ...opts.patch, status: to, updatedAt: now, publicReason: opts.reason ?? listing.publicReason })
      .where(and(eq(listings.id, listing.id), eq(listings.status, listing.status)))
      .returning();
    if (!updated) throw new DomainError('conflict', 'errors.concurrentChange');
    await tx.insert(listingTransitions).values({
      listingId: listing.id,
      from: listing.status,
      to,
      at: now,
      actorId: actor?.userId ?? null,
      reason: opts.reason ?? null,
    });
    await recordAudit(tx, {
      actorId: actor?.userId ?? null,
      action: `listing.${to}`,
      entityType: 'listing',
      entityId: listing.id,
      data: { from: listing.status, to, reason: opts.reason ?? undefined },
    });
    let event: StatusChange['event'];
    if (PUBLIC_EVENT_STATUSES.has(to)) {
      // The auction's public log (chain.ts) carries status changes with the bids, in one sequence.
      event = await appendEvent(
        tx,
        { id: updated.id, lastSeq: listing.lastSeq, lastHash: listing.lastHash },
        'status',
        now,
        {
          from: listing.status,
          to,
          outcome: updated.outcome,
          currentEndAt: updated.currentEndAt.toISOString(),
          reason: opts.reason ?? null,
        },
      );
    }
    changed.push({ listingId: listing.id, from: listing.status, to, event });
    return updated;
  }

  function termsErrors(
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
      profile,
    );
  }

  /** The round a new listing of this asset would be, from the chain so far. */
  async function nextRound(
    tx: Tx,
    assetId: string,
  ): Promise<{ previous: Listing | null; round: RoundContext; n: number; kind: Listing['kind'] }> {
    const chain = await tx
      .select()
      .from(listings)
      .where(eq(listings.assetId, assetId))
      .orderBy(desc(listings.round), desc(listings.createdAt));
    const active = chain.find((l) => l.status !== 'ended' && l.status !== 'withdrawn');
    if (active) throw new DomainError('conflict', 'errors.assetHasActiveListing');
    const last = chain.find((l) => l.status === 'ended');
    if (!last) return { previous: null, round: { kind: 'first' }, n: 1, kind: 'auction' };
    if (last.outcome === 'sold') throw new DomainError('conflict', 'errors.assetSold');
    // A default (悔拍, art. 24) is re-auctioned like a failure, counted from the default.
    const failedAt = last.outcome === 'defaulted' ? last.updatedAt : last.endedAt!;
    if (last.kind === 'auction' && last.round === 1)
      return {
        previous: last,
        round: { kind: 'reauction', previousStartFen: last.startingPriceFen, failedAt },
        n: 2,
        kind: 'auction',
      };
    if (last.kind === 'auction' && last.round === 2)
      // After a failed second auction: the fixed-price sale (变卖) at that auction's price.
      return {
        previous: last,
        round: { kind: 'fixed_price_sale', priceFen: last.startingPriceFen },
        n: 3,
        kind: 'fixed_price_sale',
      };
    throw new DomainError('conflict', 'errors.noFurtherRound');
  }

  /**
   * What the next round of an asset would be and its lawful bounds, for the drafting form; the
   * same `nextRound` that `createDraft` enforces. `available: false` carries the reason key.
   */
  async function planNextRound(actor: Actor, assetId: string) {
    requirePermission(actor, 'read:case');
    const courtId = courtOf(actor);
    if (!isUuid(assetId)) throw notFound();
    return db.transaction(async (tx) => {
      const [asset] = await tx
        .select()
        .from(assets)
        .where(and(eq(assets.id, assetId), eq(assets.courtId, courtId)));
      if (!asset) throw notFound();
      let next: Awaited<ReturnType<typeof nextRound>>;
      try {
        next = await nextRound(tx, asset.id);
      } catch (e) {
        if (isDomainError(e) && e.code === 'conflict')
          return { available: false as const, reason: e.messageKey };
        throw e;
      }
      const d = profile.durations;
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
    });
  }

  /** A clerk prepares the next round for an asset: the first auction, a re-auction or the fixed-price sale. */
  async function createDraft(actor: Actor, assetId: string, input: unknown, requestId?: string) {
    requirePermission(actor, 'create:listing');
    const courtId = courtOf(actor);
    const t = parseInput(ListingTermsSchema, input);
    return inTx(async (tx) => {
      if (!isUuid(assetId)) throw notFound();
      const [asset] = await tx
        .select()
        .from(assets)
        .where(and(eq(assets.id, assetId), eq(assets.courtId, courtId)))
        .for('update');
      if (!asset) throw notFound();
      const next = await nextRound(tx, asset.id);
      const errors = termsErrors(t, asset.type, asset.appraisalFen, next.round);
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
          createdAt: clock(),
          updatedAt: clock(),
        })
        .returning();
      if (t.priorityPurchasers.length)
        await tx
          .insert(priorityPurchasers)
          .values(t.priorityPurchasers.map((p) => ({ ...p, listingId: row!.id })));
      await tx
        .insert(listingTransitions)
        .values({ listingId: row!.id, from: null, to: 'draft', at: clock(), actorId: actor.userId });
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

  async function submit(actor: Actor, id: string) {
    requirePermission(actor, 'create:listing');
    return inTx(async (tx, changed) => {
      const l = await lockOwn(tx, actor, id);
      return transition(tx, changed, l, 'pending_approval', actor, { patch: { submittedAt: clock() } });
    });
  }

  /** art. 27: a panel member other than the preparer approves; the announcement is then published. */
  async function approve(actor: Actor, id: string) {
    requirePermission(actor, 'approve:listing');
    return inTx(async (tx, changed) => {
      const l = await lockOwn(tx, actor, id);
      if (l.preparedBy === actor.userId) throw new DomainError('forbidden', 'errors.selfApproval');
      if (l.status !== 'pending_approval')
        throw new DomainError('conflict', 'errors.badTransition', {
          params: { from: l.status, to: 'announced' },
        });
      const now = clock();
      // The announcement cannot be published in the past: lead times count from the real publication.
      const announceAt = new Date(Math.max(l.announceAt.getTime(), now.getTime()));
      const round = await roundOf(tx, l);
      const errors = termsErrors(
        {
          startingPrice: l.startingPriceFen,
          deposit: l.depositFen,
          increment: l.incrementFen,
          announceAt,
          startsAt: l.startsAt,
          endsAt: l.endsAt,
          balanceDays: l.balanceDays,
        } as ReturnType<typeof ListingTermsSchema.parse>,
        l.assetType,
        l.appraisalFen,
        round,
        announceAt,
      );
      if (Object.keys(errors).length) throw validationError(errors);
      const updated = await transition(tx, changed, l, 'announced', actor, {
        patch: { approvedBy: actor.userId, approvedAt: now, publishedAt: announceAt, announceAt },
      });
      await scheduleTimer(tx, l.id, 'start', l.startsAt);
      return updated;
    });
  }

  async function roundOf(tx: Tx, l: Listing): Promise<RoundContext> {
    if (!l.previousListingId) return { kind: 'first' };
    const [prev] = await tx.select().from(listings).where(eq(listings.id, l.previousListingId));
    if (l.kind === 'fixed_price_sale') return { kind: 'fixed_price_sale', priceFen: prev!.startingPriceFen };
    return { kind: 'reauction', previousStartFen: prev!.startingPriceFen, failedAt: prev!.endedAt! };
  }

  async function returnToDraft(actor: Actor, id: string, input: unknown) {
    requirePermission(actor, 'approve:listing');
    const { reason } = parseInput(ReasonSchema, input);
    return inTx(async (tx, changed) =>
      transition(tx, changed, await lockOwn(tx, actor, id), 'draft', actor, { reason }),
    );
  }

  /** 暂缓/中止 (art. 28): the clock stops; the public sees the reason. */
  async function suspend(actor: Actor, id: string, input: unknown) {
    requirePermission(actor, 'manage:listing');
    const { reason } = parseInput(ReasonSchema, input);
    return inTx(async (tx, changed) => {
      const l = await lockOwn(tx, actor, id);
      // Mid-bidding, the clock freezes: what was left is kept for the resumption (art. 28).
      const remaining =
        l.status === 'live' ? Math.max(0, l.currentEndAt.getTime() - clock().getTime()) : null;
      const updated = await transition(tx, changed, l, 'suspended', actor, {
        reason,
        patch: { suspendedFrom: l.status, remainingMsAtSuspension: remaining },
      });
      await cancelTimers(tx, l.id);
      return updated;
    });
  }

  /** Resumption with new times set by the court; live at once if bidding should already run. */
  async function resume(actor: Actor, id: string, input: unknown) {
    requirePermission(actor, 'manage:listing');
    const t = parseInput(ResumeSchema, input);
    return inTx(async (tx, changed) => {
      const l = await lockOwn(tx, actor, id);
      const now = clock();
      if (!t.startsAt || !t.endsAt) {
        // Continue with the time that was left when bidding was suspended.
        if (l.status !== 'suspended' || l.suspendedFrom !== 'live' || l.remainingMsAtSuspension === null)
          throw validationError({ startsAt: ['validation.required'], endsAt: ['validation.required'] });
        const currentEndAt = new Date(now.getTime() + l.remainingMsAtSuspension);
        const updated = await transition(tx, changed, l, 'live', actor, {
          reason: t.reason ?? null,
          patch: { currentEndAt, suspendedFrom: null, remainingMsAtSuspension: null },
        });
        await scheduleTimer(tx, l.id, 'end', currentEndAt);
        return updated;
      }
      const errors: Record<string, string[]> = {};
      if (t.endsAt.getTime() - t.startsAt.getTime() < profile.durations.biddingWindowMin)
        errors.endsAt = ['rules.windowUnder24h']; // art. 20
      if (t.endsAt <= now) errors.endsAt = [...(errors.endsAt ?? []), 'validation.inFuture'];
      if (Object.keys(errors).length) throw validationError(errors);
      const to: ListingStatus = t.startsAt <= now ? 'live' : 'announced';
      const updated = await transition(tx, changed, l, to, actor, {
        reason: t.reason ?? null,
        patch: {
          startsAt: t.startsAt,
          endsAt: t.endsAt,
          currentEndAt: t.endsAt,
          suspendedFrom: null,
          remainingMsAtSuspension: null,
        },
      });
      if (to === 'announced') await scheduleTimer(tx, l.id, 'start', t.startsAt);
      else await scheduleTimer(tx, l.id, 'end', t.endsAt);
      return updated;
    });
  }

  /** 撤回: ends the listing for good (e.g. the debtor paid in full). */
  async function withdraw(actor: Actor, id: string, input: unknown) {
    requirePermission(actor, 'manage:listing');
    const { reason } = parseInput(ReasonSchema, input);
    return inTx(async (tx, changed) => {
      const l = await lockOwn(tx, actor, id);
      const updated = await transition(tx, changed, l, 'withdrawn', actor, {
        reason,
        patch: { endedAt: clock() },
      });
      await cancelTimers(tx, l.id);
      await deps.onClosed?.(tx, [{ listingId: l.id, result: null }], clock());
      return updated;
    });
  }

  /** A published announcement changes only through a published amendment, which stays visible. */
  async function amend(actor: Actor, id: string, input: unknown) {
    requirePermission(actor, 'manage:listing');
    const data = parseInput(AmendSchema, input);
    return inTx(async (tx) => {
      const l = await lockOwn(tx, actor, id);
      if (!['announced', 'live', 'suspended'].includes(l.status))
        throw new DomainError('conflict', 'errors.notPublished');
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const patch: Partial<Listing> = {};
      for (const f of AMENDABLE) {
        const v = data[f];
        if (v !== undefined && v !== '' && v !== l[f]) {
          changes[f] = { from: l[f], to: v };
          patch[f] = v;
        }
      }
      const now = clock();
      await tx
        .update(listings)
        .set({ ...patch, updatedAt: now })
        .where(eq(listings.id, l.id));
      const [a] = await tx
        .insert(listingAmendments)
        .values({ listingId: l.id, publishedAt: now, text: data.text, changes, actorId: actor.userId })
        .returning();
      await recordAudit(tx, {
        actorId: actor.userId,
        action: 'listing.amended',
        entityType: 'listing',
        entityId: l.id,
        data: { changes },
      });
      return a!;
    });
  }

  // ---- Jobs: `live` and `ended` are reached by time. Idempotent: a late or repeated run changes nothing twice.

  async function startDue(tx: Tx, listingId: string, now: Date) {
    const [l] = await tx.select().from(listings).where(eq(listings.id, listingId)).for('update');
    if (l?.status !== 'announced' || l.startsAt > now) return null;
    const changed: StatusChange[] = [];
    await transition(tx, changed, l, 'live', null);
    await scheduleTimer(tx, l.id, 'end', l.currentEndAt);
    return changed;
  }

  async function endDue(tx: Tx, listingId: string, now: Date) {
    const [l] = await tx.select().from(listings).where(eq(listings.id, listingId)).for('update');
    if (l?.status !== 'live') return null;
    if (l.currentEndAt > now) {
      // Extended meanwhile (art. 20): come back at the new end.
      await scheduleTimer(tx, l.id, 'end', l.currentEndAt);
      return null;
    }
    const changed: StatusChange[] = [];
    // Sold to the leading bid (art. 22); no valid bid: failed (流拍), ready for a re-auction.
    const sold = l.leaderRegistrationId !== null && l.currentPriceFen !== null;
    await transition(tx, changed, l, 'ended', null, {
      patch: { outcome: sold ? 'sold' : 'failed', endedAt: l.currentEndAt },
    });
    await deps.onClosed?.(tx, [{ listingId: l.id, result: resultOf(l) }], now);
    return changed;
  }

  /** Sold to the leading bid (art. 22), else failed (流拍). */
  const resultOf = (l: Listing) =>
    l.leaderRegistrationId !== null && l.currentPriceFen !== null
      ? { winnerRegistrationId: l.leaderRegistrationId, priceFen: l.currentPriceFen }
      : null;

  /**
   * endDue for many listings at once, set-based: a few statements for the whole batch (a
   * thousand auctions may end in the same second). The same effects as endDue on each: the
   * status, the public timeline, the audit entry and the log entry of every close, then the
   * settlement scheduled.
   */
  async function endDueBatch(tx: Tx, listingIds: string[], now: Date) {
    const rows = await tx
      .select()
      .from(listings)
      .where(inArray(listings.id, listingIds))
      .orderBy(asc(listings.id))
      .for('update');
    const live = rows.filter((l) => l.status === 'live');
    // Extended meanwhile (art. 20): come back at the new end.
    const extended = live.filter((l) => l.currentEndAt > now);
    await scheduleJobs(
      tx,
      extended.map((l) => ({
        kind: LISTING_JOBS.end,
        key: jobKey(l.id, 'end'),
        runAt: l.currentEndAt,
        payload: { listingId: l.id },
      })),
    );
    const closing = live.filter((l) => l.currentEndAt <= now);
    if (closing.length === 0) return [];
    const at = clock();
    const closes = closing.map((l) => {
      const outcome = resultOf(l) ? ('sold' as const) : ('failed' as const);
      const entry = nextEntry(l, 'status', at, {
        from: 'live',
        to: 'ended',
        outcome,
        currentEndAt: l.currentEndAt.toISOString(),
        reason: null,
      });
      return { l, outcome, entry };
    });
    await tx.execute(sql`
      update listings as l set status = 'ended', outcome = v.outcome::listing_outcome, ended_at = l.current_end_at,
        updated_at = ${at.toISOString()}::timestamptz, last_seq = v.seq, last_hash = v.hash
      from (values ${sql.join(
        closes.map((c) => sql`(${c.l.id}::uuid, ${c.outcome}, ${c.entry.seq}::int, ${c.entry.hash})`),
        sql`, `,
      )}) as v(id, outcome, seq, hash)
      where l.id = v.id and l.status = 'live'`);
    await tx.insert(listingTransitions).values(
      closes.map(({ l }) => ({
        listingId: l.id,
        from: 'live' as const,
        to: 'ended' as const,
        at,
        actorId: null,
        reason: null,
      })),
    );
    await tx.insert(auditLog).values(
      closes.map(({ l }) => ({
        actorId: null,
        action: 'listing.ended',
        entityType: 'listing',
        entityId: l.id,
        data: { from: 'live', to: 'ended' },
      })),
    );
    await tx.insert(auctionEvents).values(closes.map((c) => c.entry));
    await deps.onClosed?.(
      tx,
      closes.map(({ l }) => ({ listingId: l.id, result: resultOf(l) })),
      now,
    );
    return closes.map(
      (c): StatusChange => ({ listingId: c.l.id, from: 'live', to: 'ended', event: c.entry }),
    );
  }

  type JobCtx = { tx: Tx; now: Date; afterCommit: (fn: () => void) => void };
  const announce = (ctx: JobCtx, changed: StatusChange[] | null) => {
    if (changed)
      ctx.afterCommit(() => {
        for (const c of changed) deps.onStatusChanged?.(c);
      });
  };

  /** Set-based handlers for batches of the same jobs (see JobRunnerOptions.batchHandlers). */
  const batchJobHandlers = {
    [LISTING_JOBS.end]: async (batch: Array<{ payload: Record<string, unknown> }>, ctx: JobCtx) =>
      announce(
        ctx,
        await endDueBatch(
          ctx.tx,
          batch.map((j) => String(j.payload.listingId)),
          ctx.now,
        ),
      ),
  };

  /** Job handlers for the runner; status events go out after the runner's commit. */
  const jobHandlers = {
    [LISTING_JOBS.start]: async (job: { payload: Record<string, unknown> }, ctx: JobCtx) =>
      announce(ctx, await startDue(ctx.tx, String(job.payload.listingId), ctx.now)),
    [LISTING_JOBS.end]: async (job: { payload: Record<string, unknown> }, ctx: JobCtx) =>
      announce(ctx, await endDue(ctx.tx, String(job.payload.listingId), ctx.now)),
  };

  // ---- Court views

  async function listForCourt(actor: Actor, filter: { status?: ListingStatus; assetId?: string } = {}) {
    requirePermission(actor, 'read:case');
    const courtId = courtOf(actor);
    if (filter.assetId !== undefined && !isUuid(filter.assetId)) throw notFound();
    return db
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
  }

  async function getForCourt(actor: Actor, id: string) {
    requirePermission(actor, 'read:case');
    const courtId = courtOf(actor);
    if (!isUuid(id)) throw notFound();
    const [l] = await db
      .select()
      .from(listings)
      .where(and(eq(listings.id, id), eq(listings.courtId, courtId)));
    if (!l) throw notFound();
    const d = await details(l);
    // Names of the court's own staff who acted on it (the court sees who did what; the public does not).
    const ids = [
      l.preparedBy,
      l.approvedBy,
      ...d.timeline.map((t) => t.actorId),
      ...d.amendments.map((a) => a.actorId),
    ];
    const known = [...new Set(ids.filter((id): id is string => id !== null))];
    const staff = known.length
      ? await db
          .select({ id: users.id, realName: users.realName })
          .from(users)
          .where(and(inArray(users.id, known), eq(users.organisationId, courtId)))
      : [];
    return { listing: l, ...d, staffNames: Object.fromEntries(staff.map((u) => [u.id, u.realName])) };
  }

  async function details(l: Listing) {
    const [purchasers, timeline, amendments, chain, files] = await Promise.all([
      db
        .select()
        .from(priorityPurchasers)
        .where(eq(priorityPurchasers.listingId, l.id))
        .orderBy(asc(priorityPurchasers.rank)),
      db
        .select()
        .from(listingTransitions)
        .where(eq(listingTransitions.listingId, l.id))
        .orderBy(asc(listingTransitions.at)),
      db
        .select()
        .from(listingAmendments)
        .where(eq(listingAmendments.listingId, l.id))
        .orderBy(asc(listingAmendments.publishedAt)),
      db
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
      db
        .select()
        .from(assetFiles)
        .where(eq(assetFiles.assetId, l.assetId))
        .orderBy(asc(assetFiles.createdAt)),
    ]);
    const [asset] = await db.select().from(assets).where(eq(assets.id, l.assetId));
    const [court] = await db.select().from(organisations).where(eq(organisations.id, l.courtId));
    return { purchasers, timeline, amendments, chain, files, asset: asset!, court: court! };
  }

  // ---- Public (no login): only published announcements, never a bidder's identity.

  const published = () =>
    and(notInArray(listings.status, ['draft', 'pending_approval']), lte(listings.announceAt, clock()));

  async function search(input: unknown, pageSize = 20) {
    const f = parseInput(SearchSchema, input);
    const conds: (SQL | undefined)[] = [published()];
    if (f.type) conds.push(eq(listings.assetType, f.type));
    if (f.province) conds.push(eq(listings.province, f.province));
    if (f.city) conds.push(eq(listings.city, f.city));
    if (f.court)
      conds.push(sql`${listings.courtId} = (select id from ${organisations} where code = ${f.court})`);
    if (f.minPrice !== undefined) conds.push(gte(listings.startingPriceFen, f.minPrice));
    if (f.maxPrice !== undefined) conds.push(lte(listings.startingPriceFen, f.maxPrice));
    if (f.q) conds.push(ilike(listings.title, `%${f.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`));
    if (f.status === 'upcoming') conds.push(eq(listings.status, 'announced'));
    if (f.status === 'live') conds.push(eq(listings.status, 'live'));
    if (f.status === 'ended') conds.push(eq(listings.status, 'ended'));
    if (f.status === 'sold') conds.push(and(eq(listings.status, 'ended'), eq(listings.outcome, 'sold')));
    if (f.status === 'failed') conds.push(and(eq(listings.status, 'ended'), eq(listings.outcome, 'failed')));
    const order = {
      soonest: [
        sql`case ${listings.status} when 'live' then 0 when 'announced' then 1 when 'suspended' then 2 else 3 end`,
        sql`case when ${listings.status} = 'live' then ${listings.currentEndAt} when ${listings.status} in ('announced', 'suspended') then ${listings.startsAt} end asc nulls last`,
        desc(listings.currentEndAt),
        asc(listings.id),
      ],
      starts_asc: [asc(listings.startsAt), asc(listings.id)],
      starts_desc: [desc(listings.startsAt), asc(listings.id)],
      price_asc: [asc(listings.startingPriceFen), asc(listings.id)],
      price_desc: [desc(listings.startingPriceFen), asc(listings.id)],
      ends_asc: [asc(listings.currentEndAt), asc(listings.id)],
    }[f.sort];
    const where = and(...conds);
    const [rows, [count]] = await Promise.all([
      db
        .select({
          id: listings.id,
          title: listings.title,
          assetType: listings.assetType,
          province: listings.province,
          city: listings.city,
          status: listings.status,
          outcome: listings.outcome,
          kind: listings.kind,
          round: listings.round,
          startingPriceFen: listings.startingPriceFen,
          appraisalFen: listings.appraisalFen,
          depositFen: listings.depositFen,
          startsAt: listings.startsAt,
          currentEndAt: listings.currentEndAt,
          courtNameZh: organisations.nameZh,
          courtNameEn: organisations.nameEn,
          courtCode: organisations.code,
        })
        .from(listings)
        .innerJoin(organisations, eq(organisations.id, listings.courtId))
        .where(where)
        .orderBy(...order)
        .limit(pageSize)
        .offset((f.page - 1) * pageSize),
      db.select({ n: sql<number>`count(*)::int` }).from(listings).where(where),
    ]);
    return {
      filters: f,
      rows: rows.map((r) => ({ ...r, publicStatus: publicStatus(r.status, r.outcome) })),
      total: count?.n ?? 0,
      page: f.page,
      pageSize,
    };
  }

  /** Upcoming and live sales whose bidding starts in [from, to). */
  async function calendar(from: Date, to: Date) {
    return db
      .select({
        id: listings.id,
        title: listings.title,
        status: listings.status,
        startsAt: listings.startsAt,
        startingPriceFen: listings.startingPriceFen,
        assetType: listings.assetType,
        courtNameZh: organisations.nameZh,
        courtNameEn: organisations.nameEn,
      })
      .from(listings)
      .innerJoin(organisations, eq(organisations.id, listings.courtId))
      .where(
        and(
          published(),
          inArray(listings.status, ['announced', 'live']),
          gte(listings.startsAt, from),
          lt(listings.startsAt, to),
        ),
      )
      .orderBy(asc(listings.startsAt))
      .limit(1000);
  }

  async function publicListing(id: string) {
    if (!isUuid(id)) throw notFound();
    const [l] = await db
      .select()
      .from(listings)
      .where(and(eq(listings.id, id), published()));
    if (!l) throw notFound();
    const d = await details(l);
    // Who prepared or approved it, the case and the storage internals stay with the court.
    const {
      preparedBy: _p,
      approvedBy: _a,
      caseId: _c,
      leaderRegistrationId: _r,
      lastHash: _h,
      remainingMsAtSuspension: _m,
      ...listing
    } = l;
    return {
      listing: { ...listing, publicStatus: publicStatus(l.status, l.outcome) },
      confirmation: await confirmationOf(l),
      ...d,
      files: d.files.map(({ storageKey: _k, sha256: _s, uploadedBy: _u, ...f }) => f),
      // The public chain shows published rounds only.
      chain: d.chain.filter((c) => c.status !== 'draft' && c.status !== 'pending_approval'),
      // Names of priority purchasers stay with the court; the public sees that they exist, their rank and right.
      purchasers: d.purchasers.map((p) => ({ rank: p.rank, rightKind: p.rightKind })),
      timeline: d.timeline
        .filter((t) => t.to !== 'draft' && t.to !== 'pending_approval')
        .map(({ actorId: _a, ...t }) => t),
      amendments: d.amendments.map(({ actorId: _a, ...a }) => a),
      serverTime: clock(),
    };
  }

  /**
   * 网络竞价成功确认书 (art. 22): once an auction is sold, the platform publishes the winner's
   * real name, his bidder code and the price. Identities appear only here, only after the end.
   */
  async function confirmationOf(l: Listing) {
    if (
      l.status !== 'ended' ||
      (l.outcome !== 'sold' && l.outcome !== 'defaulted') ||
      !l.leaderRegistrationId
    )
      return null;
    const [w] = await db
      .select({ realName: users.realName, code: registrations.code })
      .from(registrations)
      .innerJoin(users, eq(users.id, registrations.userId))
      .where(eq(registrations.id, l.leaderRegistrationId));
    return w
      ? { winnerName: w.realName, code: w.code, priceFen: l.currentPriceFen!, endedAt: l.endedAt! }
      : null;
  }

  async function courtPage(code: string) {
    const [court] = await db
      .select()
      .from(organisations)
      .where(and(eq(organisations.code, code), eq(organisations.kind, 'court')));
    if (!court) throw notFound();
    const result = await search({ court: code, sort: 'starts_desc' }, 50);
    return { court, ...result };
  }

  return {
    planNextRound,
    createDraft,
    submit,
    approve,
    returnToDraft,
    suspend,
    resume,
    withdraw,
    amend,
    listForCourt,
    getForCourt,
    search,
    calendar,
    publicListing,
    courtPage,
    jobHandlers,
    batchJobHandlers,
  };
}

export type ListingService = ReturnType<typeof createListingService>;
