/**
 * The byte strings the transparency log hashes and signs (docs/transparency.md). Each is a few
 * lines, every line ending in "\n", whose fields (a UUID, decimal integers, lower-case hex, an
 * ISO 8601 UTC time) can hold no newline: one encoding per value, and no two values share one.
 * Pure; the standalone verifier (scripts/verify-auction.mjs) re-implements it on purpose.
 */
import { createHash } from 'node:crypto';

export const LEAF_VERSION = 'lastmile-leaf/v1';
export const CHECKPOINT_VERSION = 'lastmile-checkpoint/v1';
/** What the first checkpoint links to. */
export const GENESIS_CHECKPOINT_HASH = '0'.repeat(64);

export interface LeafContent {
  listingId: string;
  seq: number;
  headHash: string;
}

/** The leaf's data, hashed as RFC 6962 leaf input: the auction, the head's seq and its hash. */
export const leafData = (l: LeafContent) =>
  Buffer.from(`${LEAF_VERSION}\n${l.listingId}\n${l.seq}\n${l.headHash}\n`, 'utf8');

export interface CheckpointContent {
  number: number;
  treeSize: number;
  rootHash: string;
  previousHash: string;
  issuedAt: Date;
  keyId: string;
}

/** The exact text an Ed25519 checkpoint signature covers. */
export const checkpointBody = (c: CheckpointContent) =>
  `${[CHECKPOINT_VERSION, c.number, c.treeSize, c.rootHash, c.previousHash, c.issuedAt.toISOString(), c.keyId].join('\n')}\n`;

/** What the next checkpoint's previousHash holds. */
export const checkpointHash = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex');
