import type { Database, DbHandle } from '../db/client.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { createDashboardService } from './dashboard/service.js';
import { createIdentityService } from './identity/service.js';
import type { Logger } from './logger.js';

export interface ServiceDeps {
  db: DbHandle;
  config: Config;
  clock: Clock;
  logger: Logger;
}

/** The composition of every module's services; built once per process in main.ts. */
export function createServices({ db, config, clock }: ServiceDeps) {
  const sessionRevokedListeners = new Set<(ids: string[]) => void>();
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
    onSessionRevoked: (ids) => {
      for (const listener of sessionRevokedListeners) listener(ids);
    },
  });
  return {
    identity,
    dashboard: createDashboardService({ db: db.db, clock }),
    /** Realtime subscribes here to cut the sockets of revoked sessions. */
    onSessionRevoked(listener: (ids: string[]) => void) {
      sessionRevokedListeners.add(listener);
      return () => sessionRevokedListeners.delete(listener);
    },
    async ping(): Promise<void> {
      await db.sql`select 1`;
    },
  };
}

export type Services = ReturnType<typeof createServices>;
export type { Database };
