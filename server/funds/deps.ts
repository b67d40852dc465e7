/**
 * What the funds use cases work with (ADR 010, ADR 015): one interface, bound once by
 * `service.ts`, so a test passes its own clock or storage.
 */
import type { Database, Tx } from '../../db/client.js';
import type { RulesProfile } from '../auctions/profile.js';
import type { Clock } from '../clock.js';
import type { DisbursementService } from '../disbursements/service.js';
import type { BlobStorage } from '../storage/storage.js';

/** Aid paid on this case to this creditor, deducted from his share and returned to the insurer (aid's service). */
export type RecoverAid = (
  tx: Tx,
  input: {
    caseId: string;
    partyId: string;
    /** The ledger account the share sits in. */
    fromAccount: string;
    availableFen: bigint;
    /** Once per reference, however often it is called. */
    reference: string;
    at: Date;
    actorId: string | null;
  },
) => Promise<{ recoveredFen: bigint }>;

/** Closes the case in the caller's transaction (the cases service's `closeCaseIn`). */
export type CloseCase = (tx: Tx, by: { system: 'funds' }, caseId: string, input: unknown) => Promise<unknown>;

export interface FundDeps {
  db: Database;
  clock: Clock;
  /** `durations.day`: the 15- and 30-day clocks shrink under the accelerated profile. */
  profile: RulesProfile;
  /** Where the plans' PDFs are kept. */
  storage: BlobStorage;
  /** Payouts to creditors go out through the disbursements module (purpose `distribution`). */
  disbursements: DisbursementService;
  recoverAid: RecoverAid;
  closeCase: CloseCase;
}
