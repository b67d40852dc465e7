/**
 * Reads of the stored tree: the nodes a root or a proof needs, a few per request whatever the
 * log's size (merkle.ts explains which).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { type Hash, hashRanges, type NodeId, nodeKey, nodesFor, perfectParts, type Range } from './merkle.js';

/** The stored hashes of these nodes, keyed by `nodeKey`. */
export async function readNodes(db: Db, ids: readonly NodeId[]): Promise<Map<string, Hash>> {
  if (ids.length === 0) return new Map();
  const rows = await db.execute<{ level: number; index: string; hash: string }>(sql`
    select n.level, n.index, n.hash from transparency_nodes n
    join unnest(${sql.raw(`array[${ids.map((i) => i.level).join(',')}]`)}::smallint[],
      ${sql.raw(`array[${ids.map((i) => i.index).join(',')}]`)}::bigint[]) as want(level, index)
      on n.level = want.level and n.index = want.index`);
  return new Map(
    rows.map((r) => [nodeKey({ level: r.level, index: Number(r.index) }), Buffer.from(r.hash, 'hex')]),
  );
}

/** The hashes of these ranges of leaves (each an aligned range, as proofs use). */
export async function hashesOf(db: Db, ranges: readonly Range[]): Promise<Hash[]> {
  return hashRanges(ranges, await readNodes(db, nodesFor(ranges)));
}

/** The right edge of the tree of `size` leaves: its perfect parts, largest first, with hashes. */
export async function readFrontier(db: Db, size: number) {
  const ids = perfectParts({ start: 0, end: size });
  const nodes = await readNodes(db, ids);
  return ids.map((id) => {
    const hash = nodes.get(nodeKey(id));
    if (!hash) throw new Error(`transparency: node ${nodeKey(id)} of the tree of ${size} is missing`);
    return { ...id, hash };
  });
}
