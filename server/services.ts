import path from 'node:path';
import type { DbHandle } from '../db/client.js';
import { projectRoot } from '../db/paths.js';
import { createAidService } from './aid/service.js';
import { createListingService } from './auctions/listings.js';
import { rulesProfile } from './auctions/profile.js';
import { createCaseService } from './cases/service.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { createDashboardService } from './dashboard/service.js';
import { EventBus } from './events.js';
import { createApiTokenService } from './identity/api-tokens.js';
import { createIdentityService } from './identity/service.js';
import type { Logger } from './logger.js';
import { diskStorage } from './storage/storage.js';

export interface ServiceDeps {
  db: DbHandle;
  config: Config;
  clock: Clock;
  logger: Logger;
}

/** The composition of every module's services; built once per process in main.ts. */
export function createServices({ db, config, clock }: ServiceDeps) {
  const events = new EventBus();
  const profile = rulesProfile(config.RULES_PROFILE, config.RULES_ACCELERATION_FACTOR);
  const storage = diskStorage(path.resolve(projectRoot(), config.UPLOAD_DIR));
  const identity = createIdentityService({
    db: db.db,
    clock,
    piiKey: Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'),
    sessionTtlMs: config.SESSION_TTL_HOURS * 3_600_000,
    loginPolicy: {
      maxFailures: config.LOGIN_MAX_FAILURES,
      lockMs: config.LOGIN_LOCK_MINUTES * 60_000,
      ipMaxFailures: config.LOGIN_IP_MAX_FAILURES,
      ipWindowMs: 15 * 60_000,
    },
    onSessionRevoked: (sessionIds) => events.emit('session.revoked', { sessionIds }),
  });
  const listings = createListingService({
    db: db.db,
    clock,
    profile,
    onStatusChanged: (e) => events.emit('listing.status', e),
  });
  const aid = createAidService({ db: db.db, clock, storage });
  return {
    events,
    profile,
    identity,
    dashboard: createDashboardService({ db: db.db, clock }),
    cases: createCaseService({ db: db.db, clock, storage }),
    apiTokens: createApiTokenService({ db: db.db, clock }),
    listings,
    aid,
    /** Every durable job kind and its handler, for the job runner. */
    jobHandlers: { ...listings.jobHandlers, ...identity.jobHandlers, ...aid.jobHandlers },
    async ping(): Promise<void> {
      await db.sql`select 1`;
    },
  };
}

export type Services = ReturnType<typeof createServices>;
