import type { Database, Tx } from '../../db/client.js';
import type { Case } from '../../db/schema/cases.js';
import type { RulesProfile } from '../auctions/profile.js';
import type { Clock } from '../clock.js';
import type { BlobStorage } from '../storage/storage.js';
import type { PropertySearchProvider } from './property-search.js';

/** What every cases use case is given (ADR 010): tests pass a fixed clock, a simulated search. */
export interface CaseDeps {
  db: Database;
  clock: Clock;
  storage: BlobStorage;
  /** The profile's factor shrinks the 6-monthly re-search after 终本 in the accelerated profile. */
  profile: RulesProfile;
  /** 网络执行查控: the simulated responder until a real network is connected. */
  propertySearch: PropertySearchProvider;
  /**
   * In the closing transaction, after the case row is closed: other modules follow the closure
   * (the credit module deletes the listings and lifts the restrictions of a performed case,
   * 失信规定 art. 10, 限消规定 art. 9). A throw rolls the closure back.
   */
  onClosed?: (tx: Tx, closed: Case, now: Date) => Promise<void>;
  /**
   * In the transaction of a re-search after 终本 (the n-th, found property or not): the credit
   * module deletes a listing after two empty searches with no lead (失信规定 art. 10(4)).
   */
  onResearched?: (tx: Tx, c: Case, search: { n: number; found: boolean }, now: Date) => Promise<void>;
}
