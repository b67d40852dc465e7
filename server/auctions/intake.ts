/**
 * Bids on their way through this process (ADR 008, "Arrival time"). Art. 20 times a bid by its
 * arrival at the server, so a bid stamped before an auction's end must be decided before the
 * auction closes, however long it waits: for a session re-check at the socket, for the form's
 * body, or for its round behind a thousand others. Each way in registers an `Arrival` the moment
 * the packet or request reaches it, and the engine settles it once the bid is decided (or the
 * way in refused it before the engine). A close first waits, in every process, for the
 * arrivals before its cutoff (`settledBefore`); a crowd's close first asks which auctions have
 * any (`unsettledBefore`), closes the others at once and comes back for those.
 *
 * This is per-process memory on purpose: it describes work in flight here, which a restart
 * ends anyway (a bid not yet decided was never acknowledged; its client retries, as a new arrival).
 */
import type { Clock } from '../clock.js';

export interface Arrival {
  listingId: string;
  /** The server's time when the bid reached it: the bid's time (art. 20). */
  receivedAt: Date;
  /** The bid was decided, or refused before the engine. Idempotent. */
  settle(): void;
}

type Entry = { receivedAt: Date; settled: Promise<void>; settle: () => void };

export interface Intake {
  /** Stamps and registers a bid (or proxy order) reaching this process for `listingId`. */
  arrive(listingId: string): Arrival;
  /** Resolves once every arrival for these auctions before `cutoff` has settled here. */
  settledBefore(listingIds: readonly string[], cutoff: Date): Promise<void>;
  /** The auctions with an arrival before their own cutoff still unsettled here, now. */
  unsettledBefore(ends: readonly Cutoff[]): string[];
}

/** An auction and the time before which its arrivals count (its end, ADR 008). */
export type Cutoff = { listingId: string; cutoff: Date };

export function createIntake(clock: Clock): Intake {
  const open = new Map<string, Set<Entry>>();
  return {
    arrive(listingId) {
      let release!: () => void;
      const entry: Entry = {
        receivedAt: clock(),
        settled: new Promise<void>((r) => {
          release = r;
        }),
        settle: () => {
          const set = open.get(listingId);
          if (set?.delete(entry) && set.size === 0) open.delete(listingId);
          release();
        },
      };
      const set = open.get(listingId) ?? new Set<Entry>();
      open.set(listingId, set.add(entry));
      return { listingId, receivedAt: entry.receivedAt, settle: entry.settle };
    },
    async settledBefore(listingIds, cutoff) {
      const waits: Promise<void>[] = [];
      for (const id of listingIds)
        for (const e of open.get(id) ?? []) if (e.receivedAt < cutoff) waits.push(e.settled);
      await Promise.all(waits);
    },
    unsettledBefore(ends) {
      return ends
        .filter(({ listingId, cutoff }) =>
          [...(open.get(listingId) ?? [])].some((e) => e.receivedAt < cutoff),
        )
        .map((e) => e.listingId);
    },
  };
}
