import { bind } from '../bind.js';
import { approveBatch, exportBatch, prepareBatch } from './batches.js';
import { importConfirmations } from './confirmations.js';
import type { DisbursementDeps } from './deps.js';
import { cancelDisbursement, reissueDisbursement } from './failures.js';
import {
  disbursementsOf,
  failedDisbursements,
  getBatch,
  inFlightFen,
  listBatches,
  pageBatches,
} from './views.js';

/**
 * Disbursements (ADR 010): batches, maker-checker, the bank file out and the confirmation file
 * in, failures reissued or cancelled, for any purpose. Every call names its desk (purpose and
 * payer); the purpose's module checks its own permissions and scope first and reaches this
 * module only through this surface. `prepareBatch` runs in the caller's transaction, after it
 * locked what it pays; the reads taking a `Db` run wherever the caller is.
 */
export function createDisbursementService(deps: DisbursementDeps) {
  return {
    prepareBatch: bind(deps, prepareBatch),
    approveBatch: bind(deps, approveBatch),
    exportBatch: bind(deps, exportBatch),
    importConfirmations: bind(deps, importConfirmations),
    reissue: bind(deps, reissueDisbursement),
    cancel: bind(deps, cancelDisbursement),
    listBatches: bind(deps, listBatches),
    pageBatches: bind(deps, pageBatches),
    getBatch: bind(deps, getBatch),
    failed: bind(deps, failedDisbursements),
    disbursementsOf,
    inFlightFen,
  };
}

export type DisbursementService = ReturnType<typeof createDisbursementService>;
export type { ImportResult, Unmatched } from './confirmations.js';
export type {
  Desk,
  DisbursementHook,
  DisbursementItem,
  DisbursementPurpose,
  HookContext,
  Payee,
} from './deps.js';
export { BATCH_PAGE, type BatchFilter } from './views.js';
