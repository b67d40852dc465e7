import type { Database } from '../../db/client.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { SigningKey } from './keys.js';

/** What the transparency use cases need (ADR 010): tests pass a transaction, a clock, a key. */
export interface TransparencyDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  key: SigningKey;
}
