/**
 * The transparency log's surface for `context.services` and the job runner (ADR 010: this file
 * only composes). Checkpoints: checkpoint.ts; public reads and proofs: proofs.ts; the tree:
 * merkle.ts; encodings: encoding.ts; the key: keys.ts. Documented for clients in
 * docs/transparency.md.
 */
import type { Db } from '../../db/client.js';
import { checkpointJobHandlers, checkpointSoon, scheduleDaily, takeCheckpoint } from './checkpoint.js';
import type { TransparencyDeps } from './deps.js';
import { publicKeyDocument } from './keys.js';
import {
  checkpointByNumber,
  checkpointsAfter,
  consistencyProof,
  inclusionProof,
  latestCheckpoint,
  leafRange,
  leavesOf,
} from './proofs.js';

export function createTransparencyService(deps: TransparencyDeps) {
  const { db } = deps;
  return {
    /** In a transaction that closes or withdraws auctions: a checkpoint shortly after its commit. */
    checkpointSoon: (tx: Db, now: Date) => checkpointSoon(tx, now),
    /** At boot: the daily checkpoint (now, then every 24 hours). */
    scheduleMaintenance: () => scheduleDaily(deps),
    /** A checkpoint now, whether or not a head moved (operators, tests). */
    checkpointNow: () =>
      db.transaction(async (tx) => {
        const c = await takeCheckpoint(deps, tx, deps.clock(), 'manual', { always: true });
        if (!c || c === 'busy') throw new Error('unreachable: a manual checkpoint waits and always signs');
        return c;
      }),
    publicKey: () => publicKeyDocument(deps.key),
    latest: () => latestCheckpoint(db),
    checkpoint: (number: number) => checkpointByNumber(db, number),
    checkpointsAfter: (after: number, limit?: number) => checkpointsAfter(db, after, limit),
    leavesOf: (listingId: string) => leavesOf(db, listingId),
    leaves: (start: number, limit?: number) => leafRange(db, start, limit),
    inclusion: (number: number, which: { leafIndex: number } | { listingId: string }) =>
      inclusionProof(db, number, which),
    consistency: (from: number, to: number) => consistencyProof(db, from, to),
    jobHandlers: checkpointJobHandlers(deps),
  };
}

export type TransparencyService = ReturnType<typeof createTransparencyService>;
