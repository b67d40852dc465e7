import type { Database } from '../../db/client.js';
import { bind } from '../bind.js';
import type { CaseService } from '../cases/service.js';
import type { Clock } from '../clock.js';
import { createDisbursementService } from '../disbursements/service.js';
import type { BlobStorage } from '../storage/storage.js';
import {
  attachDocument,
  createClaim,
  filingContext,
  readDocument,
  submit,
  withdraw,
} from './claim-filing.js';
import { aidJobHandlers } from './claim-jobs.js';
import { getClaim, listClaims } from './claim-views.js';
import { close } from './closing.js';
import {
  courtApprove,
  courtReject,
  referToCommittee,
  returnForDocuments,
  startCourtReview,
} from './court-review.js';
import type { AidDeps } from './deps.js';
import { insurerApprove, insurerDecline, insurerStartReview } from './insurer-review.js';
import * as payouts from './payouts.js';
import * as policies from './policies.js';
import { confirmRecovery, recordRecovery, recoverFromDistribution } from './recoveries.js';
import { defaultPeriod, report, reportCsv } from './reports.js';

/**
 * The enforcement-aid module (ADR 009, ADR 010): policies, claims and their review, payments to
 * creditors (through the disbursements module), reports. Composition only: each use case lives
 * in its own file and takes the module's dependencies first.
 */
export function createAidService({
  db,
  clock,
  storage,
  cases,
}: {
  db: Database;
  clock: Clock;
  storage: BlobStorage;
  cases: Pick<CaseService, 'zhongbenOf'>;
}) {
  const deps: AidDeps = {
    db,
    clock,
    storage,
    cases,
    disbursements: createDisbursementService({ db, clock }),
  };
  return {
    policies: {
      createPolicy: bind(deps, policies.createPolicy),
      listPolicies: bind(deps, policies.listPolicies),
      policyDesk: bind(deps, policies.policyDesk),
      listCourts: bind(deps, policies.listCourts),
      committeeThreshold: (courtId: string, d: Pick<Database, 'select'> = db) =>
        policies.committeeThreshold(d, courtId),
      getCourtSettings: bind(deps, policies.getCourtSettings),
      setCourtSettings: bind(deps, policies.setCourtSettings),
    },
    claims: {
      createClaim: bind(deps, createClaim),
      attachDocument: bind(deps, attachDocument),
      readDocument: bind(deps, readDocument),
      submit: bind(deps, submit),
      withdraw: bind(deps, withdraw),
      returnForDocuments: bind(deps, returnForDocuments),
      startCourtReview: bind(deps, startCourtReview),
      referToCommittee: bind(deps, referToCommittee),
      courtApprove: bind(deps, courtApprove),
      courtReject: bind(deps, courtReject),
      insurerStartReview: bind(deps, insurerStartReview),
      insurerApprove: bind(deps, insurerApprove),
      insurerDecline: bind(deps, insurerDecline),
      close: bind(deps, close),
      recordRecovery: bind(deps, recordRecovery),
      confirmRecovery: bind(deps, confirmRecovery),
      listClaims: bind(deps, listClaims),
      getClaim: bind(deps, getClaim),
      filingContext: bind(deps, filingContext),
      jobHandlers: aidJobHandlers,
    },
    payments: {
      readyToPay: bind(deps, payouts.readyToPay),
      createBatch: bind(deps, payouts.createBatch),
      approveBatch: bind(deps, payouts.approveBatch),
      exportBatch: bind(deps, payouts.exportBatch),
      importConfirmations: bind(deps, payouts.importConfirmations),
      reissuePayment: bind(deps, payouts.reissuePayment),
      cancelPayment: bind(deps, payouts.cancelPayment),
      listBatches: bind(deps, payouts.listBatches),
      pageBatches: bind(deps, payouts.pageBatches),
      getBatch: bind(deps, payouts.getBatch),
      failedPayments: bind(deps, payouts.failedPayments),
      overview: bind(deps, payouts.overview),
    },
    /** Issue 16 §5: the funds module deducts aid from a creditor's share, in its transaction. */
    recoverFromDistribution: bind(deps, recoverFromDistribution),
    reports: {
      report: bind(deps, report),
      reportCsv: bind(deps, reportCsv),
      defaultPeriod: () => defaultPeriod(deps),
    },
    jobHandlers: aidJobHandlers,
  };
}

export type AidService = ReturnType<typeof createAidService>;
