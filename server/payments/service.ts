/**
 * The payments module's surface for `context.services` (ADR 010): deposits, balances and the money
 * they move (docs/decisions/007-payments.md). Each use case lives in a file of its own and takes
 * its dependencies as its first argument; this file only binds them.
 *
 * - `apply-state.ts` the one state function every gateway answer and confirmed transfer goes through
 * - `gateway-events.ts` webhooks and simulator events, each processed once
 * - `deposits.ts` the deposit's transitions; `balances.ts` the balance's deadline and default (悔拍)
 * - `settlement.ts` what happens to each deposit when a listing ends; `reconcile.ts` the repair cycle
 * - `paying.ts` starting a payment; `transfers.ts` bank transfers, maker-checker
 * - `affordances.ts` what a viewer may do now; `views.ts` what the pages read
 * - `receipts.ts` a receipt's number, allocated with its money; `receipt-document.ts` its PDF
 * - `scheduling.ts` and `jobs.ts` the durable jobs and their handlers
 */

import { bind } from '../bind.js';
import { applyState } from './apply-state.js';
import { openDeposit } from './deposits.js';
import type { PaymentDeps } from './deps.js';
import { processEvent } from './gateway-events.js';
import { paymentJobHandlers } from './jobs.js';
import { startPayment } from './paying.js';
import { reconcile, scheduleMaintenance } from './reconcile.js';
import { settleListing, settleListings } from './settlement.js';
import { decideTransfer, recordTransfer, transferDesk } from './transfers.js';
import {
  balanceForCourt,
  balanceView,
  caseStatement,
  courtDeposits,
  depositView,
  myPayments,
  receipt,
  receiptPdf,
  returnPathOf,
} from './views.js';

export type { PaymentDeps } from './deps.js';
export { PAYMENT_JOBS } from './scheduling.js';
export type { SettleResult } from './settlement.js';

export function createPaymentService(deps: PaymentDeps) {
  return {
    applyState: bind(deps, applyState),
    processEvent: bind(deps, processEvent),
    // Steps inside the caller's transaction (registering, closing listings): they need no dependencies.
    openDeposit,
    settleListing,
    settleListings,
    startPayment: bind(deps, startPayment),
    recordTransfer: bind(deps, recordTransfer),
    decideTransfer: bind(deps, decideTransfer),
    reconcile: bind(deps, reconcile),
    scheduleMaintenance: bind(deps, scheduleMaintenance),
    myPayments: bind(deps, myPayments),
    depositView: bind(deps, depositView),
    balanceView: bind(deps, balanceView),
    receipt: bind(deps, receipt),
    receiptPdf: bind(deps, receiptPdf),
    returnPathOf: bind(deps, returnPathOf),
    courtDeposits: bind(deps, courtDeposits),
    balanceForCourt: bind(deps, balanceForCourt),
    transferDesk: bind(deps, transferDesk),
    caseStatement: bind(deps, caseStatement),
    jobHandlers: paymentJobHandlers(deps),
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
