/**
 * The ledger accounts money of deposits and balances moves between (docs/decisions/007-payments.md):
 * `gateway_clearing:<method>` (may go negative: money outside), `bidder_deposit:<registrationId>`,
 * `case:<caseId>` (一案一账号) and `forfeited_deposits:<courtId>`.
 */
import type { Payment } from '../../db/schema/payments.js';

export const clearing = (method: Payment['method']) => `gateway_clearing:${method}`;
export const bidderAccount = (registrationId: string) => `bidder_deposit:${registrationId}`;
export const caseAccount = (caseId: string) => `case:${caseId}`;
export const forfeitAccount = (courtId: string) => `forfeited_deposits:${courtId}`;
