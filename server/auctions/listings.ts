/**
 * Auction listings and their lifecycle, as `context.services.listings`: this file only binds
 * the dependencies of the use cases (ADR 010). Every status change goes through `transition`
 * (listing-lifecycle.ts), which checks the state machine (rules.ts), locks the row, and writes
 * the public timeline entry and the audit entry in the same transaction; every court action
 * re-checks `decideListingActions` (affordances.ts) on the row it has locked.
 */
import { bind } from '../bind.js';
import { batchJobHandlers, jobHandlers } from './closing.js';
import type { ListingDeps } from './deps.js';
import { saveDisclosure } from './disclosure.js';
import { homePage } from './home.js';
import { createDraft, planNextRound } from './listing-drafts.js';
import { amend, resume, suspend, withdraw } from './listing-lifecycle.js';
import { approve, returnToDraft, submit } from './listing-review.js';
import { search } from './listing-search.js';
import { getAssetForCourt, getForCourt, listForCourt, pageForCourt } from './listing-views.js';
import { feedAnnouncements, feedCalendar, feedResults } from './public-feed.js';
import { calendar, courtPage, publicListing } from './public-listings.js';
import { suggest } from './search-suggestions.js';
import {
  bookViewing,
  cancelViewing,
  offerViewingSlot,
  publicViewings,
  viewingsForCourt,
} from './viewings.js';

export type { ListingDeps, StatusChange } from './deps.js';
export { LISTING_JOBS } from './listing-lifecycle.js';

export function createListingService(deps: ListingDeps) {
  return {
    planNextRound: bind(deps, planNextRound),
    createDraft: bind(deps, createDraft),
    submit: bind(deps, submit),
    approve: bind(deps, approve),
    returnToDraft: bind(deps, returnToDraft),
    suspend: bind(deps, suspend),
    resume: bind(deps, resume),
    withdraw: bind(deps, withdraw),
    amend: bind(deps, amend),
    /** Structured disclosure and viewings (ADR 029). */
    saveDisclosure: bind(deps, saveDisclosure),
    offerViewingSlot: bind(deps, offerViewingSlot),
    viewingsForCourt: bind(deps, viewingsForCourt),
    publicViewings: bind(deps, publicViewings),
    bookViewing: bind(deps, bookViewing),
    cancelViewing: bind(deps, cancelViewing),
    listForCourt: bind(deps, listForCourt),
    pageForCourt: bind(deps, pageForCourt),
    getForCourt: bind(deps, getForCourt),
    getAssetForCourt: bind(deps, getAssetForCourt),
    search: bind(deps, search),
    suggest: bind(deps, suggest),
    calendar: bind(deps, calendar),
    publicListing: bind(deps, publicListing),
    courtPage: bind(deps, courtPage),
    /** The home page's sections, counts and figures (issue 21). */
    homePage: bind(deps, homePage),
    /** The public JSON feed (ADR 026). */
    feedAnnouncements: bind(deps, feedAnnouncements),
    feedResults: bind(deps, feedResults),
    feedCalendar: bind(deps, feedCalendar),
    jobHandlers: jobHandlers(deps),
    batchJobHandlers: batchJobHandlers(deps),
  };
}

export type ListingService = ReturnType<typeof createListingService>;
