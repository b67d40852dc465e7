/**
 * 我的拍卖 (ADR 027): the auctions a bidder follows or registered for, each with where it stands
 * for him and his next deadline (the start, the end, the balance due), decided here once
 * (myAuctionState, pure) so the page only renders it. The loser sees when his deposit was
 * released (art. 23). Only his own rows: the query is scoped by his user id.
 */
import { and, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { follows, type Listing, listings, registrations } from '../../db/schema/auctions.js';
import { balances, deposits } from '../../db/schema/payments.js';
import { type Actor, requireActor } from '../identity/permissions.js';
import type { RegistrationDeps } from './deps.js';

export type MyAuctionState =
  | 'following'
  | 'depositDue'
  | 'registered'
  | 'leading'
  | 'outbid'
  | 'suspended'
  | 'won'
  | 'paid'
  | 'defaulted'
  | 'lost'
  | 'held'
  | 'notSold'
  | 'ended'
  | 'withdrawn';
export type MyAuctionGroup = 'followed' | 'registered' | 'bidding' | 'won' | 'lost' | 'closed';
export type DeadlineKind = 'start' | 'end' | 'balanceDue';

export interface MyAuctionFacts {
  listing: Pick<Listing, 'status' | 'outcome' | 'startsAt' | 'currentEndAt' | 'resultHeldAt'>;
  registrationId: string | null;
  following: boolean;
  depositStatus: string | null;
  bid: boolean;
  leading: boolean;
  balance: { status: 'open' | 'paid' | 'defaulted'; dueAt: Date } | null;
}

/**
 * Pure: where the auction stands for him, which list it belongs in, and the next deadline he
 * must watch. Art. 23: the winner's deposit is applied and a balance opened (the balance row is
 * how the winner is known), the others' deposits are released.
 */
export function myAuctionState(f: MyAuctionFacts): {
  state: MyAuctionState;
  group: MyAuctionGroup;
  next: { kind: DeadlineKind; at: Date } | null;
} {
  const l = f.listing;
  const registered = f.registrationId !== null;
  if (l.status === 'withdrawn')
    return { state: 'withdrawn', group: registered ? 'closed' : 'followed', next: null };
  if (l.status === 'announced') {
    const state = !registered ? 'following' : f.depositStatus === 'held' ? 'registered' : 'depositDue';
    return { state, group: registered ? 'registered' : 'followed', next: { kind: 'start', at: l.startsAt } };
  }
  if (l.status === 'live' || l.status === 'suspended') {
    const next = l.status === 'live' ? { kind: 'end' as const, at: l.currentEndAt } : null;
    if (!registered)
      return { state: l.status === 'live' ? 'following' : 'suspended', group: 'followed', next };
    if (l.status === 'suspended')
      return { state: 'suspended', group: f.bid ? 'bidding' : 'registered', next };
    if (f.bid) return { state: f.leading ? 'leading' : 'outbid', group: 'bidding', next };
    return { state: f.depositStatus === 'held' ? 'registered' : 'depositDue', group: 'registered', next };
  }
  // Ended.
  if (!registered) return { state: 'ended', group: 'followed', next: null };
  if (f.balance) {
    if (f.balance.status === 'open')
      return { state: 'won', group: 'won', next: { kind: 'balanceDue', at: f.balance.dueAt } };
    return { state: f.balance.status === 'paid' ? 'paid' : 'defaulted', group: 'won', next: null };
  }
  if (l.resultHeldAt) return { state: 'held', group: 'closed', next: null };
  if (l.outcome === 'sold' || l.outcome === 'defaulted') return { state: 'lost', group: 'lost', next: null };
  return { state: 'notSold', group: 'closed', next: null };
}

const LIMIT = 200;

/** His auctions, those with a deadline ahead first (soonest first), then the rest newest first. */
export async function myAuctions(deps: RegistrationDeps, actorIn: Actor | null) {
  const actor = requireActor(actorIn);
  const now = deps.clock();
  const regs = await deps.db
    .select({
      l: listings,
      registrationId: registrations.id,
      code: registrations.code,
      deposit: {
        status: deposits.status,
        settlement: deposits.settlement,
        amountFen: deposits.amountFen,
        settledAt: deposits.settledAt,
      },
      balance: { status: balances.status, dueAt: balances.dueAt, amountFen: balances.amountFen },
      bid: sql<boolean>`exists (select 1 from bids b where b.registration_id = ${registrations.id})`,
      following: sql<boolean>`exists (select 1 from follows f where f.listing_id = ${listings.id} and f.user_id = ${actor.userId})`,
    })
    .from(registrations)
    .innerJoin(listings, eq(listings.id, registrations.listingId))
    .leftJoin(deposits, eq(deposits.registrationId, registrations.id))
    .leftJoin(balances, eq(balances.registrationId, registrations.id))
    .where(eq(registrations.userId, actor.userId))
    .orderBy(desc(registrations.createdAt))
    .limit(LIMIT);
  const registeredIds = regs.map((r) => r.l.id);
  const followed = await deps.db
    .select({ l: listings })
    .from(follows)
    .innerJoin(listings, eq(listings.id, follows.listingId))
    .where(
      and(
        eq(follows.userId, actor.userId),
        registeredIds.length ? notInArray(follows.listingId, registeredIds) : undefined,
        inArray(listings.status, ['announced', 'live', 'suspended', 'ended', 'withdrawn']),
      ),
    )
    .orderBy(desc(follows.createdAt))
    .limit(LIMIT);

  const shape = (
    l: Listing,
    mine: Omit<MyAuctionFacts, 'listing'>,
    extra: {
      code: string | null;
      deposit: {
        status: string;
        settlement: string | null;
        amountFen: bigint;
        settledAt: Date | null;
      } | null;
      balanceFen: bigint | null;
    },
  ) => {
    const s = myAuctionState({ listing: l, ...mine });
    const lost = s.group === 'lost' || s.group === 'closed';
    return {
      listingId: l.id,
      title: l.title,
      status: l.status,
      ...s,
      following: mine.following,
      registered: mine.registrationId !== null,
      code: extra.code,
      priceFen: (l.currentPriceFen ?? l.startingPriceFen).toString(),
      balanceFen: extra.balanceFen?.toString() ?? null,
      // Art. 23: when his deposit was (or is being) given back; shown to whoever did not win.
      deposit:
        extra.deposit && lost
          ? {
              status: extra.deposit.status,
              amountFen: extra.deposit.amountFen.toString(),
              releasedAt: extra.deposit.status === 'released' ? extra.deposit.settledAt : null,
              releasing: extra.deposit.status === 'held' && extra.deposit.settlement === 'release',
            }
          : null,
      can: {
        // The deposit or balance to pay: /me/payments; the road after the sale: /me/purchases.
        pay: s.state === 'depositDue' || s.state === 'won',
        followSale: s.state === 'paid',
        unfollow: mine.following,
      },
    };
  };
  const rows = [
    ...regs.map((r) =>
      shape(
        r.l,
        {
          registrationId: r.registrationId,
          following: r.following,
          depositStatus: r.deposit?.status ?? null,
          bid: r.bid,
          leading: r.l.leaderRegistrationId === r.registrationId,
          balance: r.balance?.status ? { status: r.balance.status, dueAt: r.balance.dueAt } : null,
        },
        {
          code: r.code,
          deposit: r.deposit?.status ? r.deposit : null,
          balanceFen: r.balance?.amountFen ?? null,
        },
      ),
    ),
    ...followed.map((f) =>
      shape(
        f.l,
        {
          registrationId: null,
          following: true,
          depositStatus: null,
          bid: false,
          leading: false,
          balance: null,
        },
        { code: null, deposit: null, balanceFen: null },
      ),
    ),
  ];
  const key = (r: (typeof rows)[number]) => r.next?.at.getTime() ?? Number.POSITIVE_INFINITY;
  rows.sort((a, b) => key(a) - key(b));
  return { auctions: rows, serverTime: now };
}
