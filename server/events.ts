import { EventEmitter } from 'node:events';
import type { ListingStatus } from '../db/schema/auctions.js';
import type { LoggedEvent } from './auctions/bidding.js';
import type { PracticeEntry } from './practice/service.js';

/**
 * In-process domain events, emitted after the database commit that caused them ("commit,
 * then broadcast"). The realtime layer relays them to Socket.IO rooms, which the Redis adapter
 * fans out across processes.
 */
export interface DomainEvents {
  'session.revoked': { sessionIds: string[] };
  /** `event`: the change's entry in the auction's public log, when it has one. */
  'listing.status': { listingId: string; from: ListingStatus; to: ListingStatus; event?: LoggedEvent };
  /** Entries appended to an auction's public log (accepted bids, in sequence order). */
  'auction.events': { listingId: string; events: LoggedEvent[] };
  /** New entries of a practice session's log (ADR 033): for its owner's room, never anyone else's. */
  'practice.events': { sessionId: string; events: PracticeEntry[] };
}

export class EventBus {
  private readonly emitter = new EventEmitter();
  emit<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
    this.emitter.emit(name, payload);
  }
  on<K extends keyof DomainEvents>(name: K, listener: (payload: DomainEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
