/**
 * The sales module's surface for `context.services` (ADR 010, ADR 014): after full payment, the
 * ruling confirming the sale and the handover. Each use case lives in a file of its own; this
 * file only binds the dependencies.
 *
 * - `opening.ts` the sale opens in the payments transaction that marks the balance paid
 * - `eligibility.ts` the re-check of a restricted listing's buyer (限购)
 * - `ruling.ts` the ruling (its PDF, `ruling-document.ts`) and its service; the PDF for its readers
 * - `handover.ts` scheduled, done or obstructed
 * - `deadlines.ts` the 10- and 15-day clocks as durable jobs; `transitions.ts` the one status change
 * - `affordances.ts` what a viewer may do now; `views.ts` what the pages and the API read
 * - `road.ts` the road after the sale for its winner (to the title) and the other bidders (their deposits)
 */
import { bind } from '../bind.js';
import { saleJobHandlers } from './deadlines.js';
import type { SaleDeps } from './deps.js';
import { recordEligibility } from './eligibility.js';
import { recordHandover, recordObstruction, scheduleHandover } from './handover.js';
import { openSale } from './opening.js';
import { roadAfterSale } from './road.js';
import { issueRuling, readRuling, recordService } from './ruling.js';
import { courtDesk, mySales, saleForCourt } from './views.js';

export { SALE_JOBS } from './deadlines.js';
export type { SaleDeps } from './deps.js';

export function createSaleService(deps: SaleDeps) {
  return {
    /** In the payments transaction that marks a balance paid (`PaymentDeps.onBalancePaid`). */
    openSale: bind(deps, openSale),
    recordEligibility: bind(deps, recordEligibility),
    issueRuling: bind(deps, issueRuling),
    recordService: bind(deps, recordService),
    scheduleHandover: bind(deps, scheduleHandover),
    recordHandover: bind(deps, recordHandover),
    recordObstruction: bind(deps, recordObstruction),
    readRuling: bind(deps, readRuling),
    courtDesk: bind(deps, courtDesk),
    saleForCourt: bind(deps, saleForCourt),
    mySales: bind(deps, mySales),
    roadAfterSale: bind(deps, roadAfterSale),
    jobHandlers: saleJobHandlers,
  };
}

export type SaleService = ReturnType<typeof createSaleService>;
