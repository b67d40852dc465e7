/**
 * Auction listings and their lifecycle, as `context.services.listings`: this file only binds
 * the dependencies of the use cases (ADR 010). Every status change goes through `transition`
 * (listing-lifecycle.ts), which checks the state machine (rules.ts), locks the row, and writes
 * the public timeline entry and the audit entry in the same transaction; every court action
 * re-checks `decideListingActions` (affordances.ts) on the row it has locked.
 */
import { batchJobHandlers, jobHandlers } from './closing.js';
import { bound, type ListingDeps } from './deps.js';
import { createDraft, planNextRound } from './listing-drafts.js';
import { amend, resume, suspend, withdraw } from './listing-lifecycle.js';
import { approve, returnToDraft, submit } from './listing-review.js';
import { getAssetForCourt, getForCourt, listForCourt } from './listing-views.js';
import { calendar, courtPage, publicListing, search } from './public-listings.js';

export type { ListingDeps, StatusChange } from './deps.js';
export { LISTING_JOBS } from './listing-lifecycle.js';

export function createListingService(deps: ListingDeps) {
  return {
    planNextRound: bound(deps, planNextRound),
    createDraft: bound(deps, createDraft),
    submit: bound(deps, submit),
    approve: bound(deps, approve),
    returnToDraft: bound(deps, returnToDraft),
    suspend: bound(deps, suspend),
    resume: bound(deps, resume),
    withdraw: bound(deps, withdraw),
    amend: bound(deps, amend),
    listForCourt: bound(deps, listForCourt),
    getForCourt: bound(deps, getForCourt),
    getAssetForCourt: bound(deps, getAssetForCourt),
    search: bound(deps, search),
    calendar: bound(deps, calendar),
    publicListing: bound(deps, publicListing),
    courtPage: bound(deps, courtPage),
    jobHandlers: jobHandlers(deps),
    batchJobHandlers: batchJobHandlers(deps),
  };
}

export type ListingService = ReturnType<typeof createListingService>;
