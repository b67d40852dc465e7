/**
 * The Merkle tree of the transparency log, exactly as RFC 6962 §2.1 (and RFC 9162 §2.1) define
 * it: SHA-256, leaf hash = H(0x00 || leaf data), interior node = H(0x01 || left || right), a tree
 * of n leaves split at the largest power of two below n. Pure: no I/O.
 *
 * Written here rather than taken from npm: no maintained Node package computes RFC 6962 audit
 * and consistency proofs from a stored tree (the CT libraries are Go), the algorithms are short
 * and fully specified, and the tests check every proof for every size against the RFC's
 * recursive definitions. The standalone verifier (scripts/verify-auction.mjs) re-implements the
 * verification half on purpose, so it trusts nothing of ours.
 *
 * Storage: the server keeps the hash of every *perfect* aligned subtree (a node: `level` = log2
 * of its leaf count, `index` = its position among the nodes of that level), written once when
 * its last leaf is appended and never changed. Every subtree that a proof or a root needs is a
 * range [start, end) whose start is aligned, so it is a few perfect nodes folded from the right
 * (`perfectParts`, `foldParts`): a proof reads O(log² n) nodes, never the whole log.
 */
import { createHash } from 'node:crypto';

export type Hash = Buffer;
/** Leaves [start, end), 0-based. */
export interface Range {
  start: number;
  end: number;
}
/** A perfect aligned subtree: leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  level: number;
  index: number;
}
export interface StoredNode extends NodeId {
  hash: Hash;
}

const sha256 = (...parts: Buffer[]): Hash => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Hash = sha256();
export const leafHash = (data: Buffer): Hash => sha256(LEAF, data);
export const nodeHash = (left: Hash, right: Hash): Hash => sha256(NODE, left, right);

/** The largest power of two strictly below n (n > 1): where RFC 6962 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) straight from the RFC's recursive definition (tests, and small trees). */
export function rootOfLeaves(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  const k = splitPoint(leaves.length);
  return nodeHash(rootOfLeaves(leaves.slice(0, k)), rootOfLeaves(leaves.slice(k)));
}

/**
 * The subtrees whose hashes form the audit path of leaf m in a tree of n leaves, in proof order
 * (RFC 6962 §2.1.1 PATH(m, D[n])): the sibling nearest the leaf first.
 */
export function inclusionRanges(m: number, n: number): Range[] {
  if (!(m >= 0 && m < n)) throw new RangeError(`leaf ${m} is not in a tree of ${n}`);
  const path = (m: number, start: number, end: number): Range[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = splitPoint(n);
    return m < k
      ? [...path(m, start, start + k), { start: start + k, end }]
      : [...path(m - k, start + k, end), { start, end: start + k }];
  };
  return path(m, 0, n);
}

/**
 * The subtrees whose hashes prove that the tree of m leaves is a prefix of the tree of n
 * (RFC 6962 §2.1.2 PROOF(m, D[n]), 0 < m <= n), in proof order.
 */
export function consistencyRanges(m: number, n: number): Range[] {
  if (!(m > 0 && m <= n)) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  const subproof = (m: number, start: number, end: number, whole: boolean): Range[] => {
    const n = end - start;
    if (m === n) return whole ? [] : [{ start, end }];
    const k = splitPoint(n);
    return m <= k
      ? [...subproof(m, start, start + k, whole), { start: start + k, end }]
      : [...subproof(m - k, start + k, end, false), { start, end: start + k }];
  };
  return subproof(m, 0, n, true);
}

/**
 * The perfect nodes that make up an aligned range, largest (leftmost) first: the binary digits
 * of its size. Every range of the RFC's recursion starts at a multiple of the smallest power of
 * two >= its size, so each part is aligned.
 */
export function perfectParts({ start, end }: Range): NodeId[] {
  const parts: NodeId[] = [];
  let at = start;
  let size = end - start;
  while (size > 0) {
    let p = 1;
    let level = 0;
    while (p * 2 <= size) {
      p *= 2;
      level += 1;
    }
    if (at % p !== 0) throw new RangeError(`range [${start}, ${end}) is not aligned`);
    parts.push({ level, index: at / p });
    at += p;
    size -= p;
  }
  return parts;
}

/** MTH of a range from its perfect parts (left to right): folded from the right, as the RFC splits. */
export function foldParts(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return EMPTY_ROOT;
  let h = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(hashes[i]!, h);
  return h;
}

export const nodeKey = (n: NodeId) => `${n.level}:${n.index}`;

/** Every node the hashes of these ranges need, without repeats. */
export function nodesFor(ranges: readonly Range[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const r of ranges) for (const n of perfectParts(r)) seen.set(nodeKey(n), n);
  return [...seen.values()];
}

/** The hashes of these ranges, given the stored nodes they need (`nodesFor`). */
export function hashRanges(ranges: readonly Range[], nodes: ReadonlyMap<string, Hash>): Hash[] {
  return ranges.map((r) =>
    foldParts(
      perfectParts(r).map((n) => {
        const h = nodes.get(nodeKey(n));
        if (!h) throw new Error(`transparency: node ${nodeKey(n)} is missing`);
        return h;
      }),
    ),
  );
}

/**
 * Appends leaves to a tree of `size` leaves whose right edge (`frontier`: the perfect parts of
 * [0, size), largest first) is given. Returns every node completed (the leaves themselves at
 * level 0 included), the new frontier and the new root.
 */
export function appendLeaves(frontier: readonly StoredNode[], size: number, leaves: readonly Hash[]) {
  const edge = [...frontier];
  const created: StoredNode[] = [];
  leaves.forEach((hash, i) => {
    let node: StoredNode = { level: 0, index: size + i, hash };
    created.push(node);
    while (edge.length > 0 && edge[edge.length - 1]!.level === node.level) {
      const left = edge.pop()!;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      created.push(node);
    }
    edge.push(node);
  });
  return { created, frontier: edge, size: size + leaves.length, root: foldParts(edge.map((n) => n.hash)) };
}

/** RFC 9162 §2.1.3.2: does `proof` show that `leaf` is leaf `index` of the tree of `size` with `root`? */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Hash,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: is the tree of `size1` with `root1` a prefix of the tree of `size2` with `root2`? */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Hash,
  root2: Hash,
  proof: readonly Hash[],
): boolean {
  if (size1 < 0 || size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0) return proof.length === 0; // the empty tree is a prefix of every tree
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(root1) && sr.equals(root2) && sn === 0;
}

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}
