/**
 * The credit module's surface for `context.services` (ADR 010, ADR 019): the dishonest-debtor
 * list, consumption restriction orders, the public query and the partners. Each use case lives in
 * a file of its own; this file only binds the dependencies.
 *
 * - `listings.ts` prepare, sign (with the restriction order), publish (grace period), serve,
 *   correct, delete, revoke; the case's closure and the term's expiry delete
 * - `restrictions.ts` orders on their own, exceptions, lifting
 * - `corrections.ts` the debtor's request and the higher court's review
 * - `public-query.ts` the public search, rate-limited with a challenge; `partners.ts` the check API
 * - `transitions.ts` the one status change (audit, outbox); `affordances.ts`; `views.ts`
 */
import type { Tx } from '../../db/client.js';
import type { Case } from '../../db/schema/cases.js';
import type { OutboxEvent } from '../../db/schema/outbox.js';
import { bind } from '../bind.js';
import {
  appealCorrection,
  appealsToDecide,
  CORRECTION_DUE_JOB,
  correctionOverdue,
  decideAppeal,
  decideCorrection,
  receiveCorrection,
} from './corrections.js';
import type { CreditDeps } from './deps.js';
import {
  CREDIT_JOBS,
  correctListing,
  decideListing,
  deleteListing,
  expireTerm,
  onCaseClosed,
  onCaseResearched,
  prepareListing,
  publishDue,
  recordService,
  revokeListing,
} from './listings.js';
import {
  authenticatePartner,
  checkId,
  createPartner,
  listPartners,
  partnerData,
  revokePartner,
} from './partners.js';
import { queryOptions, searchPublic } from './public-query.js';
import { addException, liftRestriction, prepareRestriction, signRestriction } from './restrictions.js';
import { caseCredit } from './views.js';

export type { CreditDeps } from './deps.js';
export { CREDIT_JOBS } from './listings.js';
export type { PublicSearch } from './public-query.js';

type Job = { payload: Record<string, unknown> };
type Ctx = { tx: Tx; now: Date };

export function createCreditService(deps: CreditDeps) {
  return {
    prepareListing: bind(deps, prepareListing),
    decideListing: bind(deps, decideListing),
    recordService: bind(deps, recordService),
    correctListing: bind(deps, correctListing),
    deleteListing: bind(deps, deleteListing),
    revokeListing: bind(deps, revokeListing),
    prepareRestriction: bind(deps, prepareRestriction),
    signRestriction: bind(deps, signRestriction),
    addException: bind(deps, addException),
    liftRestriction: bind(deps, liftRestriction),
    receiveCorrection: bind(deps, receiveCorrection),
    decideCorrection: bind(deps, decideCorrection),
    appealCorrection: bind(deps, appealCorrection),
    decideAppeal: bind(deps, decideAppeal),
    appealsToDecide: bind(deps, appealsToDecide),
    caseCredit: bind(deps, caseCredit),
    searchPublic: bind(deps, searchPublic),
    queryOptions: bind(deps, queryOptions),
    createPartner: bind(deps, createPartner),
    listPartners: bind(deps, listPartners),
    revokePartner: bind(deps, revokePartner),
    authenticatePartner: bind(deps, authenticatePartner),
    checkId: bind(deps, checkId),
    /** The cases module's `onClosed`, in the closing transaction (art. 10, 限消规定 art. 9). */
    onCaseClosed: (tx: Tx, closed: Case, now: Date) => onCaseClosed(tx, closed, now),
    /** The cases module's `onResearched`: two empty searches after 终本 delete (art. 10(4)). */
    onCaseResearched,
    /** The outbox dispatcher's `prepare` for credit events: the ID numbers revealed to partners. */
    partnerData: (event: OutboxEvent) => partnerData(deps, event),
    jobHandlers: {
      [CREDIT_JOBS.publish]: (job: Job, ctx: Ctx) =>
        publishDue(ctx.tx, String(job.payload.listingId), ctx.now),
      [CREDIT_JOBS.expiry]: (job: Job, ctx: Ctx) =>
        expireTerm(ctx.tx, String(job.payload.listingId), ctx.now),
      [CORRECTION_DUE_JOB]: (job: Job, ctx: Ctx) =>
        correctionOverdue(ctx.tx, String(job.payload.correctionId), String(job.payload.stage), ctx.now),
    },
  };
}

export type CreditService = ReturnType<typeof createCreditService>;
