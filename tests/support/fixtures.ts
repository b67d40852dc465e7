import os from 'node:os';
import path from 'node:path';
import type { DbHandle } from '../../db/client.js';
import type { PropertySearchProvider } from '../../server/cases/property-search.js';
import type { Clock } from '../../server/clock.js';
import type { Config } from '../../server/config.js';
import { loadConfig } from '../../server/config.js';
import { type DomainError, isDomainError } from '../../server/errors.js';
import { withCheckCharacter } from '../../server/identity/national-id.js';
import { createLogger } from '../../server/logger.js';
import { createServices } from '../../server/services.js';

/** The tests' checkpoint signing key (an Ed25519 seed): tests never generate one into .data/. */
export const TEST_CHECKPOINT_KEY = Buffer.alloc(32, 0x2a).toString('base64');

/** Test configuration: quiet logs, uploads in a temporary folder, a fixed checkpoint key. */
export const testConfig = (overrides: Record<string, string> = {}): Config =>
  loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    UPLOAD_DIR: path.join(os.tmpdir(), `lastmile-test-uploads-${process.pid}`),
    CHECKPOINT_SIGNING_KEY: TEST_CHECKPOINT_KEY,
    ...overrides,
  });

/** A settable clock for rules that depend on time. */
export function fakeClock(start = new Date('2026-03-01T02:00:00Z')) {
  let now = start.getTime();
  const clock: Clock = () => new Date(now);
  return {
    clock,
    advance(ms: number) {
      now += ms;
    },
    set(d: Date) {
      now = d.getTime();
    },
  };
}

export function buildServices(
  db: DbHandle,
  opts: { clock?: Clock; config?: Config; propertySearch?: PropertySearchProvider } = {},
) {
  const config = opts.config ?? testConfig();
  return createServices({
    db,
    config,
    clock: opts.clock ?? (() => new Date()),
    logger: createLogger(config),
    propertySearch: opts.propertySearch,
  });
}

let seq = 0;
/** Valid, unique resident ID numbers (GB 11643 check character included). */
export function nationalId(): string {
  seq += 1;
  const serial = String((process.pid * 1000 + seq) % 1000).padStart(3, '0');
  const day = String((seq % 28) + 1).padStart(2, '0');
  return withCheckCharacter(`630104199001${day}${serial}`.slice(0, 17));
}

export function signupInput(overrides: Record<string, string> = {}) {
  seq += 1;
  return {
    email: `bidder${seq}.${process.pid}@example.test`,
    password: 'correct-horse-42',
    realName: '测试竞买人',
    nationalId: nationalId(),
    phone: '13912345678',
    ...overrides,
  };
}

export const meta = { ip: '203.0.113.7', userAgent: 'vitest' };

/** The DomainError a call fails with (any other outcome fails the test). */
export async function caught(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}
