import type { Database, Tx } from '../../db/client.js';
import type { RulesProfile } from '../auctions/profile.js';
import { bind } from '../bind.js';
import type { Clock } from '../clock.js';
import type { BlobStorage } from '../storage/storage.js';
import { attachFile, createAsset, getAsset, readFile } from './assets.js';
import { type ClosedBy, closeCase, closeCaseIn, zhongbenOf } from './closure.js';
import { assignComplaint, openComplaints, receiveComplaint, settleComplaint } from './complaints.js';
import type { CaseDeps } from './deps.js';
import { createCase, resumeCase } from './filing.js';
import { endInterval, extendLimit, startInterval } from './lifecycle.js';
import { attachEvidence, readEvidence, recordMeasure, recordMeasureIn } from './measures.js';
import { type PropertySearchProvider, simulatedPropertySearch } from './property-search.js';
import { caseJobHandlers, dismissResumption } from './research.js';
import { runPropertySearch } from './searches.js';
import { getCase, listCases, overdueView } from './views.js';

/**
 * Enforcement cases (ADR 010, ADR 016): filing and resumption, seized assets, the time limit and
 * its excluded periods, measures with evidence, the online search, closure (终本 by the book),
 * the 6-monthly re-search after 终本, complaints. Composition only: each use case lives in its
 * own file; every query is scoped in scope.ts.
 */
export function createCaseService({
  db,
  clock,
  storage,
  profile,
  propertySearch = simulatedPropertySearch(),
  onClosed,
  onResearched,
}: {
  db: Database;
  clock: Clock;
  storage: BlobStorage;
  profile: RulesProfile;
  propertySearch?: PropertySearchProvider;
  onClosed?: CaseDeps['onClosed'];
  onResearched?: CaseDeps['onResearched'];
}) {
  const deps: CaseDeps = { db, clock, storage, profile, propertySearch, onClosed, onResearched };
  return {
    createCase: bind(deps, createCase),
    resumeCase: bind(deps, resumeCase),
    listCases: bind(deps, listCases),
    getCase: bind(deps, getCase),
    overdue: bind(deps, overdueView),
    createAsset: bind(deps, createAsset),
    getAsset: bind(deps, getAsset),
    attachFile: bind(deps, attachFile),
    readFile: bind(deps, readFile),
    startInterval: bind(deps, startInterval),
    endInterval: bind(deps, endInterval),
    extendLimit: bind(deps, extendLimit),
    recordMeasure: bind(deps, recordMeasure),
    attachEvidence: bind(deps, attachEvidence),
    /**
     * Records a measure inside another module's transaction (the credit module's listing decision
     * and restriction order): the case locked, its details validated for the kind, the audit entry.
     */
    recordMeasureIn: (tx: Tx, by: string, caseId: string, input: unknown, requestId?: string) =>
      recordMeasureIn(deps, tx, by, caseId, input, requestId),
    readEvidence: bind(deps, readEvidence),
    runPropertySearch: bind(deps, runPropertySearch),
    closeCase: bind(deps, closeCase),
    /**
     * Closes a case inside another module's transaction, e.g. the funds module once a case's
     * money is paid out: `closeCaseIn(tx, { system: 'funds' }, caseId, { mode: 'fully_performed',
     * recovered: '12345.67' })` (amounts in yuan, as every input; the ledger cross-check runs).
     */
    closeCaseIn: (tx: Tx, by: ClosedBy, caseId: string, input: unknown, requestId?: string) =>
      closeCaseIn(deps, tx, by, caseId, input, requestId),
    /** Closed as 终本, and when: what makes a case eligible for enforcement aid. */
    zhongbenOf: (caseId: string, d: Database | Tx = db) => zhongbenOf(d, caseId),
    dismissResumption: bind(deps, dismissResumption),
    receiveComplaint: bind(deps, receiveComplaint),
    assignComplaint: bind(deps, assignComplaint),
    settleComplaint: bind(deps, settleComplaint),
    openComplaints: bind(deps, openComplaints),
    /** The online search behind the cases module (the simulated responder unless a real one is given). */
    propertySearch,
    jobHandlers: caseJobHandlers(deps),
  };
}

export type CaseService = ReturnType<typeof createCaseService>;
