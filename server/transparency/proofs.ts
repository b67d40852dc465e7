/**
 * The public reads of the transparency log, the way certificate-transparency logs serve them:
 * checkpoints, an auction's leaves, inclusion proofs (this head is leaf i of checkpoint N) and
 * consistency proofs (checkpoint M's tree is a prefix of checkpoint N's). Anyone may call them;
 * they carry chain heads only, never identities.
 */
import { and, asc, desc, eq, gt, gte, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  type TransparencyCheckpoint,
  transparencyCheckpoints,
  transparencyLeaves,
} from '../../db/schema/transparency.js';
import { notFound } from '../errors.js';
import { isUuid, validationError } from '../validation.js';
import { leafData } from './encoding.js';
import { consistencyRanges, inclusionRanges, leafHash } from './merkle.js';
import { hashesOf } from './tree-store.js';

/** A checkpoint as served: everything needed to re-derive its body and check its signature. */
export const checkpointDto = (c: TransparencyCheckpoint) => ({
  number: c.number,
  treeSize: c.treeSize,
  rootHash: c.rootHash,
  previousHash: c.previousHash,
  issuedAt: c.issuedAt.toISOString(),
  keyId: c.keyId,
  signature: c.signature,
  hash: c.hash,
  body: c.body,
});
export type CheckpointDto = ReturnType<typeof checkpointDto>;

const leafDto = (l: {
  index: number;
  listingId: string;
  seq: number;
  headHash: string;
  createdAt: Date;
}) => ({
  index: l.index,
  listingId: l.listingId,
  seq: l.seq,
  headHash: l.headHash,
  leafHash: leafHash(leafData(l)).toString('hex'),
  createdAt: l.createdAt.toISOString(),
});

const positive = (n: number, field: string) => {
  if (!Number.isSafeInteger(n) || n < 0) throw validationError({ [field]: ['validation.invalid'] });
  return n;
};

export async function latestCheckpoint(db: Db): Promise<CheckpointDto> {
  const [c] = await db
    .select()
    .from(transparencyCheckpoints)
    .orderBy(desc(transparencyCheckpoints.number))
    .limit(1);
  if (!c) throw notFound();
  return checkpointDto(c);
}

async function checkpointRow(db: Db, number: number) {
  const [c] = await db
    .select()
    .from(transparencyCheckpoints)
    .where(eq(transparencyCheckpoints.number, positive(number, 'number')));
  if (!c) throw notFound();
  return c;
}

export const checkpointByNumber = async (db: Db, number: number) =>
  checkpointDto(await checkpointRow(db, number));

/** Checkpoints after `after`, oldest first, at most `limit` (1000): to walk the links. */
export async function checkpointsAfter(db: Db, after: number, limit = 100) {
  const rows = await db
    .select()
    .from(transparencyCheckpoints)
    .where(gt(transparencyCheckpoints.number, positive(after, 'after')))
    .orderBy(asc(transparencyCheckpoints.number))
    .limit(Math.min(1000, Math.max(1, limit)));
  return rows.map(checkpointDto);
}

/** Every leaf of one auction, oldest first: its heads as each checkpoint saw them. */
export async function leavesOf(db: Db, listingId: string) {
  if (!isUuid(listingId)) throw notFound();
  const rows = await db
    .select()
    .from(transparencyLeaves)
    .where(eq(transparencyLeaves.listingId, listingId))
    .orderBy(asc(transparencyLeaves.index));
  return rows.map(leafDto);
}

/** Leaves [start, start + limit) of the whole log (limit at most 1000): a mirror rebuilds the tree from these. */
export async function leafRange(db: Db, start: number, limit = 1000) {
  const from = positive(start, 'start');
  const rows = await db
    .select()
    .from(transparencyLeaves)
    .where(
      and(
        gte(transparencyLeaves.index, from),
        lt(transparencyLeaves.index, from + Math.min(1000, Math.max(1, limit))),
      ),
    )
    .orderBy(asc(transparencyLeaves.index));
  return rows.map(leafDto);
}

/**
 * The audit path of a leaf in checkpoint `number`'s tree: the leaf at `leafIndex`, or the latest
 * leaf of `listingId` that the checkpoint covers.
 */
export async function inclusionProof(
  db: Db,
  number: number,
  which: { leafIndex: number } | { listingId: string },
) {
  if ('listingId' in which && !isUuid(which.listingId)) throw notFound();
  const c = await checkpointRow(db, number);
  const [leaf] = await db
    .select()
    .from(transparencyLeaves)
    .where(
      'leafIndex' in which
        ? eq(transparencyLeaves.index, positive(which.leafIndex, 'leafIndex'))
        : and(eq(transparencyLeaves.listingId, which.listingId), lt(transparencyLeaves.index, c.treeSize)),
    )
    .orderBy(desc(transparencyLeaves.index))
    .limit(1);
  if (!leaf || leaf.index >= c.treeSize) throw notFound();
  const proof = await hashesOf(db, inclusionRanges(leaf.index, c.treeSize));
  return {
    checkpoint: c.number,
    treeSize: c.treeSize,
    rootHash: c.rootHash,
    leaf: leafDto(leaf),
    proof: proof.map((h) => h.toString('hex')),
  };
}

/** The consistency proof from checkpoint `from`'s tree to checkpoint `to`'s (from <= to). */
export async function consistencyProof(db: Db, from: number, to: number) {
  if (from > to) throw validationError({ from: ['validation.invalid'] });
  const [a, b] = [await checkpointRow(db, from), await checkpointRow(db, to)];
  const proof =
    a.treeSize === 0 || a.treeSize === b.treeSize
      ? []
      : await hashesOf(db, consistencyRanges(a.treeSize, b.treeSize));
  return {
    from: { number: a.number, treeSize: a.treeSize, rootHash: a.rootHash },
    to: { number: b.number, treeSize: b.treeSize, rootHash: b.rootHash },
    proof: proof.map((h) => h.toString('hex')),
  };
}
