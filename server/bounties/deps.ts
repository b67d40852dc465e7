/**
 * What the bounty use cases work with (ADR 010, ADR 022): one interface, bound once by
 * `service.ts`, so a test passes its own clock.
 */
import type { Database } from '../../db/client.js';
import type { CaseService } from '../cases/service.js';
import type { Clock } from '../clock.js';
import type { FundService } from '../funds/service.js';

export interface BountyDeps {
  db: Database;
  clock: Clock;
  /** Seals a tip's lead and its informant; a key derived from it digests leads and makes receipts. */
  piiKey: Buffer;
  /** The case a notice is on (its court, parties, debt). */
  cases: Pick<CaseService, 'getCase'>;
  /** The reward becomes a cost the distribution deducts (财产调查规定 art. 24). */
  funds: Pick<FundService, 'recordCostIn'>;
}
