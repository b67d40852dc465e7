/**
 * The bidding engine: one function decides every bid, from the socket, the HTTP form and the
 * proxy bidder alike, inside a PostgreSQL transaction that locks the auction's row. The
 * server's clock decides the time of a bid (art. 20); rules are in rules.ts; every accepted bid
 * gets the auction's next sequence number and enters the hash-chained event log (chain.ts).
 *
 * Bids that arrive while the auction's lock is held wait and are decided together in the next
 * transaction, one after another in arrival order, exactly as if each had its own (a "round",
 * `runRounds`): the lock and the commit, which bound a hot auction's rate, are paid once per
 * round. No answer leaves before its round has committed.
 *
 * Proxy bids (a maximum the system bids up to, one increment at a time) are real bids placed
 * by the engine in the same transaction, right after the bid that outbid them, at the same
 * server time; they follow every rule and extend the end like any bid. Ties between a live bid
 * and a proxy: a proxy only ever places actual bids, and a later bid equal to the current price
 * is refused (unless a priority purchaser's), so the bid PLACED first at a price stands: a
 * live bid at exactly a proxy's maximum leads, because the proxy had not placed that amount.
 *
 * This file composes it (ADR 010): bidding-engine.ts decides (rounds, proxies, placeBid,
 * setProxy, cancelProxy), bid-statements.ts holds the locked transaction's plain postgres.js
 * statements, bidding-views.ts the public reads of the log and the bidder's own standing.
 */
import { bind } from '../bind.js';
import type { Actor } from '../identity/permissions.js';
import { cancelProxy, newWaitingBids, placeBid, setProxy } from './bidding-engine.js';
import { chain, eventsAfter, myStanding, snapshot } from './bidding-views.js';
import type { BiddingDeps } from './deps.js';
import { type Arrival, type Cutoff, createIntake } from './intake.js';

export type { BidAnswer, BidGate } from './bid-statements.js';
export { BidSchema, ProxySchema } from './bidding-engine.js';
export type { BiddingDeps, LoggedEvent } from './deps.js';
export type { Arrival } from './intake.js';

/** How long a close waits for bids still on their way before it closes without them (ADR 008). */
export const SETTLE_LIMIT_MS = 3_000;

/** The other processes of a deployment, asked by a close (ADR 008, "Arrival time"). */
type Peers = {
  /** Resolves once none of them holds an undecided bid for these auctions from before `cutoff`. */
  settled(listingIds: readonly string[], cutoff: Date): Promise<void>;
  /** The auctions for which any of them holds such a bid now (answered at once); null when one did not answer. */
  unsettled(ends: readonly Cutoff[]): Promise<string[] | null>;
};

/**
 * The engine as `context.services.bidding`. The waiting bids and the bids on their way are this
 * process's state: one of each per service instance, shared by every bid it decides (ADR 008:
 * one round runner per auction and process).
 */
export function createBiddingService(base: Omit<BiddingDeps, 'intake'>) {
  const deps: BiddingDeps = { ...base, intake: createIntake(base.clock) };
  const waitingBids = newWaitingBids();
  let peers: Peers | null = null;
  return {
    placeBid: (actor: Actor | null, listingId: string, input: unknown, arrival?: Arrival) =>
      placeBid(deps, waitingBids, actor, listingId, input, arrival),
    setProxy: bind(deps, setProxy),
    cancelProxy: bind(deps, cancelProxy),
    eventsAfter: bind(deps, eventsAfter),
    chain: bind(deps, chain),
    snapshot: bind(deps, snapshot),
    myStanding: bind(deps, myStanding),
    /** The way in (socket packet, form request) stamps a bid here the moment it reaches the server. */
    arrive: (listingId: string) => deps.intake.arrive(listingId),
    /** This process's share of `settledBefore`, asked by the other processes. */
    settledHere: (listingIds: readonly string[], cutoff: Date) =>
      deps.intake.settledBefore(listingIds, cutoff),
    /**
     * Resolves once every bid for these auctions that reached any process before `cutoff` is
     * decided, or after SETTLE_LIMIT_MS (a process that died took its undecided bids with it:
     * they were never acknowledged). `complete` says which.
     */
    async settledBefore(listingIds: readonly string[], cutoff: Date) {
      const all = Promise.all([
        deps.intake.settledBefore(listingIds, cutoff),
        peers?.settled(listingIds, cutoff),
      ]);
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<false>((r) => {
        timer = setTimeout(() => r(false), SETTLE_LIMIT_MS);
      });
      try {
        return { complete: await Promise.race([all.then(() => true as const), limit]) };
      } finally {
        clearTimeout(timer);
      }
    },
    /** This process's share of `unsettledBefore`, asked by the other processes. */
    unsettledHere: (ends: readonly Cutoff[]) => deps.intake.unsettledBefore(ends),
    /**
     * The auctions that still have a bid from before their cutoff undecided in any process: a
     * crowd's close leaves them for a moment instead of waiting for them. Every auction, when a
     * process did not answer (its share is unknown).
     */
    async unsettledBefore(ends: readonly Cutoff[]): Promise<Set<string>> {
      const theirs = peers ? await peers.unsettled(ends) : [];
      if (theirs === null) return new Set(ends.map((e) => e.listingId));
      return new Set([...deps.intake.unsettledBefore(ends), ...theirs]);
    },
    /** The realtime layer, when clustered, asks the other processes for their share. */
    connectPeers(ask: Peers | null) {
      peers = ask;
    },
  };
}

export type BiddingService = ReturnType<typeof createBiddingService>;
