/**
 * What the auctions module's use cases need (ADR 010): each exported function takes one of these
 * as its first argument, so a test passes a transaction, a fixed clock or no listeners at all.
 * The compositions (listings.ts, bidding.ts, registrations.ts) bind them for `context.services`
 * with `bind` (server/bind.ts).
 */
import type postgres from 'postgres';
import type { Database, Tx } from '../../db/client.js';
import type { ListingStatus } from '../../db/schema/auctions.js';
import type { CaseService } from '../cases/service.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { PaymentService } from '../payments/service.js';
import type { TaxRates } from './disclosure-rules.js';
import type { Cutoff, Intake } from './intake.js';
import type { RulesProfile } from './profile.js';

/** A public auction event as the log stores it and the realtime layer broadcasts it. */
export interface LoggedEvent {
  listingId: string;
  seq: number;
  type: string;
  at: Date;
  payload: Record<string, unknown>;
}

export type StatusChange = {
  listingId: string;
  from: ListingStatus;
  to: ListingStatus;
  /** The public log entry of this change, when it has one: relayed as is, no query needed. */
  event?: LoggedEvent;
};

export interface ListingDeps {
  db: Database;
  clock: Clock;
  profile: RulesProfile;
  /** The PII key users' IDs are sealed with: a priority purchaser's identity is sealed alike (art. 19). */
  piiKey: Buffer;
  /** The rates of the announcement's tax estimate (ADR 029; config TAX_*_BP). */
  taxRates: TaxRates;
  /** The seized assets a listing sells (the cases module), for the court's asset page. */
  assets: Pick<CaseService, 'getAsset'>;
  /** Told after a commit that changed a listing's status (realtime broadcasts it). */
  onStatusChanged?: (event: StatusChange) => void;
  /**
   * Called in the `listing.closed` job committed with a close, or in a withdrawal's transaction,
   * for each listing with its winner or null
   * (read from the auction's log): the payments service applies, releases and opens the balance
   * (art. 23). `held`: the listing's columns disagreed with its log at the close, so nothing
   * may be settled until the court decides (art. 31).
   */
  onClosed?: (
    tx: Tx,
    closings: Array<{
      listingId: string;
      result: { winnerRegistrationId: string; priceFen: bigint } | null;
      held?: boolean;
    }>,
    now: Date,
  ) => Promise<void>;
  /**
   * Resolves once no bid for these listings that reached any server process before `cutoff` is
   * still undecided (ADR 008, "Arrival time"): a close waits for it before it locks the rows.
   */
  bidsSettledBefore?: (listingIds: readonly string[], cutoff: Date) => Promise<void>;
  /**
   * Which of these listings have such a bid from before their own cutoff undecided now, in any
   * process (answered at once, without waiting): a crowd's close comes back for those.
   */
  bidsUnsettledBefore?: (ends: readonly Cutoff[]) => Promise<Set<string>>;
  /** Where a close that refuses to settle says so (closing.ts). */
  logger?: Pick<Logger, 'error'>;
}

export interface BiddingDeps {
  db: Database;
  /** The same pool's postgres.js client: the engine's locked transactions use it directly. */
  sql: postgres.Sql;
  clock: Clock;
  profile: RulesProfile;
  /** Told after the commit, in order: broadcast them (commit, then broadcast). */
  onEvents?: (events: LoggedEvent[]) => void;
  /** This process's bids on their way (intake.ts): stamped on arrival, settled once decided. */
  intake: Intake;
}

export interface RegistrationDeps {
  db: Database;
  clock: Clock;
  payments: Pick<PaymentService, 'openDeposit'>;
}

/** Runs `fn` in a transaction and announces status changes only after the commit. */
export async function inTx<T>(
  deps: ListingDeps,
  fn: (tx: Tx, changed: StatusChange[]) => Promise<T>,
): Promise<T> {
  const changed: StatusChange[] = [];
  const result = await deps.db.transaction((tx) => fn(tx, changed));
  for (const c of changed) deps.onStatusChanged?.(c);
  return result;
}
