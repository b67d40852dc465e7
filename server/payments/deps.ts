/**
 * What the payments use cases work with (ADR 010): one interface, bound once by `service.ts`, so a
 * test passes its own clock, a fake gateway or a crash between a gateway call and the write after it.
 */
import type { Database, Tx } from '../../db/client.js';
import type { Balance, Payment } from '../../db/schema/payments.js';
import type { RulesProfile } from '../auctions/profile.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { GatewayEvent, PaymentGateway } from './gateway.js';

export interface PaymentDeps {
  db: Database;
  clock: Clock;
  profile: RulesProfile;
  logger: Logger;
  /** The card gateway: Stripe when configured, else the local simulator; none in production without Stripe. */
  gateway: PaymentGateway | null;
  /** In the transaction that marks a balance paid in full: the sale's next steps begin (server/sales). */
  onBalancePaid?: (tx: Tx, balance: Balance, now: Date) => Promise<unknown>;
  /** Tests inject a crash between a gateway call and the database write that follows it. */
  faults?: {
    afterGatewayCall?: (op: string) => void;
    /** True drops a local simulator event, as a lost webhook. */
    dropEvent?: (event: GatewayEvent) => boolean;
  };
}

/** The gateway that holds `p`: this process's, or an error (a payment made on a gateway this process lacks). */
export function gatewayFor(deps: PaymentDeps, p: Payment): PaymentGateway {
  if (!deps.gateway || deps.gateway.name !== p.method) {
    throw new Error(`payment ${p.id} is on gateway ${p.method}, which this process does not have`);
  }
  return deps.gateway;
}
