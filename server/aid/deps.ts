import type { Database } from '../../db/client.js';
import type { CaseService } from '../cases/service.js';
import type { Clock } from '../clock.js';
import type { DisbursementService } from '../disbursements/service.js';
import type { BlobStorage } from '../storage/storage.js';

/** What every aid use case is given (ADR 010): tests pass a fixed clock or their own storage. */
export interface AidDeps {
  db: Database;
  clock: Clock;
  storage: BlobStorage;
  /** The payments to creditors go out through the disbursements module (purpose `aid_claim`). */
  disbursements: DisbursementService;
  /** Whether a case is closed as 终本, and since when: its closure decides the ground for aid. */
  cases: Pick<CaseService, 'zhongbenOf'>;
}
