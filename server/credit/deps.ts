/**
 * What the credit use cases work with (ADR 010, ADR 019): one interface, bound once by
 * `service.ts`, so a test passes its own clock.
 */
import type { Database } from '../../db/client.js';
import type { CaseService } from '../cases/service.js';
import type { Clock } from '../clock.js';

export interface CreditDeps {
  db: Database;
  clock: Clock;
  /** Seals ID numbers at rest; a key derived from it makes the partners' lookup digest. */
  piiKey: Buffer;
  /** The case a decision is made on (its court, debtor, title, seized property), and its measures. */
  cases: Pick<CaseService, 'getCase' | 'recordMeasureIn'>;
}
