/**
 * The funds module's surface for `context.services` (ADR 010, ADR 015): from the money in the
 * case account to each creditor's bank account. Each use case lives in a file of its own; this
 * file only binds the dependencies.
 *
 * - `plan.ts` the pure distribution; `rules.ts` clocks, accounts, affordances
 * - `claims.ts` costs, claims, joining creditors, the court's order
 * - `drafting.ts` the plan from the case account (and forfeited deposits), its PDF (`plan-document.ts`)
 * - `objections.ts` service, objections, opposition, suit, and their clocks as durable jobs
 * - `approval.ts` the second person approves; the money is allotted in the ledger
 * - `payouts.ts` / `payout-hooks.ts` the payout desk over the disbursements module (purpose `distribution`), aid deducted
 * - `releases.ts` the 30 days, deferrals and the overdue queue; `paid.ts` the plan paid, the case closed
 * - `views.ts` what the pages and the API read
 */
import type { Tx } from '../../db/client.js';
import type { Balance } from '../../db/schema/payments.js';
import { bind } from '../bind.js';
import { createDisbursementService } from '../disbursements/service.js';
import { approvePlan } from './approval.js';
import { recordClaim, recordCost, recordCostIn, setCourtOrder } from './claims.js';
import type { FundDeps } from './deps.js';
import { draftPlan } from './drafting.js';
import {
  decideSuit,
  fileObjection,
  objectionJobHandlers,
  recordOpposition,
  recordSuit,
  servePlan,
} from './objections.js';
import { fundPayouts } from './payout-hooks.js';
import * as payouts from './payouts.js';
import {
  approveDeferral,
  endDeferral,
  moneyArrived,
  overdueReleases,
  releaseJobHandlers,
  requestDeferral,
} from './releases.js';
import { caseFunds, caseStory, fundsDesk, myFunds, readPlanDocument } from './views.js';

export type { FundDeps } from './deps.js';

export function createFundService(input: Omit<FundDeps, 'disbursements'>) {
  const deps: FundDeps = { ...input, disbursements: createDisbursementService(input) };
  const pd: payouts.FundsDeps = { ...deps, purpose: fundPayouts(deps) };
  return {
    /** In the payments transaction that marks a balance paid: the 30 days start. */
    moneyArrived: (tx: Tx, b: Pick<Balance, 'caseId' | 'courtId'>, at: Date) =>
      moneyArrived(deps, tx, b.caseId, b.courtId, at),
    recordCost: bind(deps, recordCost),
    /** A cost in the caller's transaction (the bounty reward, 财产调查规定 art. 24). */
    recordCostIn,
    recordClaim: bind(deps, recordClaim),
    setCourtOrder: bind(deps, setCourtOrder),
    draftPlan: bind(deps, draftPlan),
    servePlan: bind(deps, servePlan),
    fileObjection: bind(deps, fileObjection),
    recordOpposition: bind(deps, recordOpposition),
    recordSuit: bind(deps, recordSuit),
    decideSuit: bind(deps, decideSuit),
    approvePlan: bind(deps, approvePlan),
    requestDeferral: bind(deps, requestDeferral),
    approveDeferral: bind(deps, approveDeferral),
    endDeferral: bind(deps, endDeferral),
    overdueReleases: bind(deps, overdueReleases),
    caseFunds: bind(deps, caseFunds),
    /** The case's whole story on one timeline, for the case page. */
    caseStory: bind(deps, caseStory),
    myFunds: bind(deps, myFunds),
    fundsDesk: bind(deps, fundsDesk),
    readPlanDocument: bind(deps, readPlanDocument),
    payouts: {
      readyToPay: bind(pd, payouts.readyToPay),
      createBatch: bind(pd, payouts.createBatch),
      approveBatch: bind(pd, payouts.approveBatch),
      exportBatch: bind(pd, payouts.exportBatch),
      importConfirmations: bind(pd, payouts.importConfirmations),
      reissuePayment: bind(pd, payouts.reissuePayment),
      setAsidePayment: bind(pd, payouts.setAsidePayment),
      getBatch: bind(pd, payouts.getBatch),
      desk: bind(pd, payouts.payoutDesk),
    },
    jobHandlers: { ...objectionJobHandlers, ...releaseJobHandlers },
  };
}

export type FundService = ReturnType<typeof createFundService>;
