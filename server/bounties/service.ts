/**
 * The bounties module's surface for `context.services` (ADR 010, ADR 022): bounty notices
 * (悬赏执行, 财产调查规定 arts. 21-24). Each use case lives in a file of its own; this file only
 * binds the dependencies.
 *
 * - `notices.ts` the application recorded, the court's decision, closing early
 * - `tips.ts` a tip sent (receipt code), followed by its code, read (logged), assessed, awarded
 * - `views.ts` the case's page, the court's desk, the public notices; `affordances.ts`
 */
import { bind } from '../bind.js';
import type { BountyDeps } from './deps.js';
import { closeNotice, decideApplication, recordApplication } from './notices.js';
import { assessTip, awardTip, openLeads, readTip, submitTip, tipStatus } from './tips.js';
import { caseBounty, courtBounties, publicNotice, publicNotices } from './views.js';

export type { BountyDeps } from './deps.js';

export function createBountyService(deps: BountyDeps) {
  return {
    recordApplication: bind(deps, recordApplication),
    decideApplication: bind(deps, decideApplication),
    closeNotice: bind(deps, closeNotice),
    submitTip: bind(deps, submitTip),
    tipStatus: bind(deps, tipStatus),
    readTip: bind(deps, readTip),
    assessTip: bind(deps, assessTip),
    awardTip: bind(deps, awardTip),
    caseBounty: bind(deps, caseBounty),
    courtBounties: bind(deps, courtBounties),
    publicNotices: bind(deps, publicNotices),
    publicNotice: bind(deps, publicNotice),
    /** Tips on a case still open, in the caller's transaction (the credit list's "no lead"). */
    openLeads,
  };
}

export type BountyService = ReturnType<typeof createBountyService>;
