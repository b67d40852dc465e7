import type { Database } from '../../db/client.js';
import type { Clock } from '../clock.js';
import type { IndicatorSettings } from './rules.js';

/** What every indicator use case is given (ADR 010): tests pass a fixed clock and their own settings. */
export interface IndicatorDeps {
  db: Database;
  clock: Clock;
  /** The definitions the law leaves open (ADR 018), from the configuration over the defaults. */
  settings: IndicatorSettings;
}
