import type { Database, Tx } from '../../db/client.js';
import type { Disbursement, DisbursementStatus } from '../../db/schema/disbursements.js';
import type { Clock } from '../clock.js';
import type { PurposePolicy } from './rules.js';

/** What every disbursement use case is given: the database and the clock. */
export interface DisbursementDeps {
  db: Database;
  clock: Clock;
}

/** Who acts and when, for a purpose's hook: it runs in the transaction of the change. */
export interface HookContext {
  tx: Tx;
  at: Date;
  actorId: string | null;
  requestId?: string;
}

/**
 * Called right after a disbursement was scheduled (`from` null) or moved to the status it is
 * registered for, in the same transaction: where a purpose books its ledger entries and moves its
 * own records. A hook that throws undoes the whole change.
 */
export type DisbursementHook = (
  ctx: HookContext,
  d: Disbursement,
  from: DisbursementStatus | null,
) => Promise<void>;

/**
 * Why money is paid out: enforcement aid to a creditor (`aid_claim`), case funds to a creditor
 * after a sale (the distribution issue). The module stores `name` on every row and never looks
 * at the subject it pays; the purpose's hooks do.
 */
export interface DisbursementPurpose extends PurposePolicy {
  /** Stored as `purpose` on batches and disbursements. */
  name: string;
  /** Batch numbers read `<prefix><Beijing day>-NNN`, counted per payer and day. */
  batchPrefix: string;
  hooks: Partial<Record<DisbursementStatus, DisbursementHook>>;
}

/** A payer's disbursements of one purpose: every read and write is scoped to it. */
export interface Desk {
  purpose: DisbursementPurpose;
  payerId: string;
}

/** Where the money goes and what the payee's statement says. */
export interface Payee {
  payeeName: string;
  bankName: string;
  accountNumber: string;
}

export interface DisbursementItem extends Payee {
  /** The purpose's record this pays (an aid claim's id). */
  subjectId: string;
  amountFen: bigint;
  memo: string;
  /** The failed disbursement this one sends again. */
  reissueOf?: string;
}
