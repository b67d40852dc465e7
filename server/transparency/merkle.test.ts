import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as standalone from '../../scripts/verify-auction.mjs';
import {
  appendLeaves,
  consistencyRanges,
  EMPTY_ROOT,
  type Hash,
  hashRanges,
  inclusionRanges,
  leafHash,
  nodeHash,
  nodeKey,
  nodesFor,
  rootOfLeaves,
  type StoredNode,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

const hex = (b: Buffer) => b.toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');

// The reference leaves and tree heads of the Certificate Transparency implementations' tests.
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
]
  .map(unhex)
  .map(leafHash);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** RFC 6962 §2.1.1 PATH(m, D[n]), literally, on the leaf hashes. */
function naivePath(m: number, d: Hash[]): Hash[] {
  if (d.length <= 1) return [];
  const k = splitPoint(d.length);
  return m < k
    ? [...naivePath(m, d.slice(0, k)), rootOfLeaves(d.slice(k))]
    : [...naivePath(m - k, d.slice(k)), rootOfLeaves(d.slice(0, k))];
}

/** RFC 6962 §2.1.2 PROOF(m, D[n]) = SUBPROOF(m, D[n], true), literally. */
function naiveProof(m: number, d: Hash[]): Hash[] {
  const sub = (m: number, d: Hash[], b: boolean): Hash[] => {
    if (m === d.length) return b ? [] : [rootOfLeaves(d)];
    const k = splitPoint(d.length);
    return m <= k
      ? [...sub(m, d.slice(0, k), b), rootOfLeaves(d.slice(k))]
      : [...sub(m - k, d.slice(k), false), rootOfLeaves(d.slice(0, k))];
  };
  return sub(m, d, true);
}

/** Builds the stored tree by appends of uneven sizes, as checkpoints do. */
function storedTree(leaves: Hash[]) {
  const nodes = new Map<string, Hash>();
  let frontier: StoredNode[] = [];
  let size = 0;
  const roots: Hash[] = [EMPTY_ROOT];
  let chunk = 1;
  while (size < leaves.length) {
    const next = leaves.slice(size, size + chunk);
    const r = appendLeaves(frontier, size, next);
    for (const n of r.created) {
      expect(nodes.has(nodeKey(n))).toBe(false); // a node is written once
      nodes.set(nodeKey(n), n.hash);
    }
    frontier = r.frontier;
    size = r.size;
    roots[size] = r.root;
    chunk = (chunk % 5) + 1;
  }
  return { nodes, roots };
}

const N = 40;
const leaves = Array.from({ length: N }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
const tree = storedTree(leaves);

describe('RFC 6962 Merkle tree', () => {
  it('matches the reference tree heads of the CT implementations', () => {
    expect(hex(EMPTY_ROOT)).toBe(CT_ROOTS[0]);
    for (let n = 1; n <= 8; n++) expect(hex(rootOfLeaves(CT_LEAVES.slice(0, n)))).toBe(CT_ROOTS[n]);
    const stored = storedTree(CT_LEAVES);
    for (let n = 1; n <= 8; n++) if (stored.roots[n]) expect(hex(stored.roots[n]!)).toBe(CT_ROOTS[n]);
    // Their audit path of leaf 0 in the tree of 8.
    expect(hashRanges(inclusionRanges(0, 8), stored.nodes).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
  });

  it('hashes with the 0x00 leaf and 0x01 node prefixes', () => {
    const a = Buffer.from('a');
    expect(leafHash(a)).toEqual(
      createHash('sha256')
        .update(Buffer.from([0, 0x61]))
        .digest(),
    );
    expect(nodeHash(leafHash(a), leafHash(a))).toEqual(
      createHash('sha256')
        .update(Buffer.concat([Buffer.from([1]), leafHash(a), leafHash(a)]))
        .digest(),
    );
  });

  it('the appended tree has the RFC root at every size it passed through', () => {
    for (let n = 1; n <= N; n++)
      if (tree.roots[n]) expect(tree.roots[n]).toEqual(rootOfLeaves(leaves.slice(0, n)));
  });

  it('every inclusion proof of every size 1..N is the RFC PATH and verifies; a wrong one does not', () => {
    for (let n = 1; n <= N; n++) {
      const root = rootOfLeaves(leaves.slice(0, n));
      for (let m = 0; m < n; m++) {
        const ranges = inclusionRanges(m, n);
        for (const n of nodesFor(ranges)) expect(tree.nodes.has(nodeKey(n))).toBe(true);
        const proof = hashRanges(ranges, tree.nodes);
        expect(proof).toEqual(naivePath(m, leaves.slice(0, n)));
        expect(verifyInclusion(m, n, leaves[m]!, proof, root)).toBe(true);
        expect(verifyInclusion(m, n, leafHash(Buffer.from('other')), proof, root)).toBe(false);
        if (n > 1) {
          expect(verifyInclusion((m + 1) % n, n, leaves[m]!, proof, root)).toBe(false);
          expect(verifyInclusion(m, n, leaves[m]!, proof.slice(1), root)).toBe(false);
          expect(verifyInclusion(m, n, leaves[m]!, [...proof, root], root)).toBe(false);
        }
      }
    }
  });

  it('every consistency proof 1 <= m <= n <= N is the RFC PROOF and verifies; a wrong one does not', () => {
    for (let n = 1; n <= N; n++) {
      const root2 = rootOfLeaves(leaves.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const root1 = rootOfLeaves(leaves.slice(0, m));
        const proof = hashRanges(consistencyRanges(m, n), tree.nodes);
        expect(proof).toEqual(naiveProof(m, leaves.slice(0, n)));
        expect(verifyConsistency(m, n, root1, root2, proof)).toBe(true);
        // A rewritten history: the old root no longer fits the new tree.
        const forged = rootOfLeaves([leafHash(Buffer.from('x')), ...leaves.slice(1, m)]);
        expect(verifyConsistency(m, n, forged, root2, proof)).toBe(false);
        if (proof.length > 0) {
          const bent = proof.map((p, i) => (i === proof.length - 1 ? leafHash(p) : p));
          expect(verifyConsistency(m, n, root1, root2, bent)).toBe(false);
        }
        if (m < n) expect(verifyConsistency(m, n, root1, root1, proof)).toBe(false);
      }
    }
  });

  it('refuses ranges outside the tree', () => {
    expect(() => inclusionRanges(3, 3)).toThrow(RangeError);
    expect(() => consistencyRanges(0, 3)).toThrow(RangeError);
    expect(() => consistencyRanges(4, 3)).toThrow(RangeError);
    expect(verifyConsistency(0, 5, EMPTY_ROOT, tree.roots[5] ?? EMPTY_ROOT, [])).toBe(true);
  });

  it('the standalone verifier (scripts/verify-auction.mjs) judges every proof as this module does', () => {
    for (let n = 1; n <= 24; n++) {
      const root2 = rootOfLeaves(leaves.slice(0, n));
      for (let m = 0; m < n; m++) {
        const proof = hashRanges(inclusionRanges(m, n), tree.nodes);
        expect(standalone.verifyInclusion(m, n, leaves[m]!, proof, root2)).toBe(true);
        expect(standalone.verifyInclusion(m, n, leaves[(m + 1) % n]!, proof, root2)).toBe(n === 1);
        const root1 = rootOfLeaves(leaves.slice(0, m + 1));
        const consistency = hashRanges(consistencyRanges(m + 1, n), tree.nodes);
        expect(standalone.verifyConsistency(m + 1, n, root1, root2, consistency)).toBe(true);
        expect(standalone.verifyConsistency(m + 1, n, leafHash(root1), root2, consistency)).toBe(false);
      }
    }
    expect(standalone.leafHash(Buffer.alloc(0)).toString('hex')).toBe(CT_ROOTS[1]);
  });
});
