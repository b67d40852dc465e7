/**
 * What the sales use cases work with (ADR 010): one interface, bound once by `service.ts`, so a
 * test passes its own clock or storage.
 */
import type { Database } from '../../db/client.js';
import type { RulesProfile } from '../auctions/profile.js';
import type { Clock } from '../clock.js';
import type { BlobStorage } from '../storage/storage.js';

export interface SaleDeps {
  db: Database;
  clock: Clock;
  /** `durations.day`: the 10 and 15 days of arts. 20 and 27 shrink under the accelerated profile. */
  profile: RulesProfile;
  /** Where the rulings' PDFs are kept. */
  storage: BlobStorage;
}
