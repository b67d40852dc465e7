/**
 * The quality indicators (issue 17 part 5, ADR 018): composition only.
 *
 * - `rules.ts` the definitions as metadata (numerator, denominator, target), the settings the law
 *   leaves open with their defaults, the traffic lights; public (the pages render them)
 * - `queries.ts` the SQL over the case rows; `compute.ts` months, stocks and the rolling window
 * - `dashboard.ts` a court's, a higher court's or the platform's figures and the ranking
 * - `drilldown.ts` the cases behind every figure; `scope.ts` whose figures a viewer reads
 */
import type { Database } from '../../db/client.js';
import { bind } from '../bind.js';
import type { Clock } from '../clock.js';
import { dashboard } from './dashboard.js';
import type { IndicatorDeps } from './deps.js';
import { drillDown } from './drilldown.js';
import { DEFAULT_SETTINGS, type IndicatorSettings } from './rules.js';
import { reachableCourts } from './scope.js';

export function createIndicatorService({
  db,
  clock,
  settings = DEFAULT_SETTINGS,
}: {
  db: Database;
  clock: Clock;
  settings?: IndicatorSettings;
}) {
  const deps: IndicatorDeps = { db, clock, settings };
  return {
    dashboard: bind(deps, dashboard),
    drillDown: bind(deps, drillDown),
    reachableCourts: bind(deps, reachableCourts),
    settings,
  };
}

export type IndicatorService = ReturnType<typeof createIndicatorService>;
