import { describe, expect, it } from 'vitest';
import * as standalone from '../../scripts/verify-auction.mjs';
import { entryHash, genesisHash } from '../auctions/chain';
import { checkpointBody, checkpointHash, leafData } from './encoding';
import { signingKeyFrom, signText } from './keys';
import { appendLeaves, hashRanges, inclusionRanges, leafHash, nodeKey, verifyInclusion } from './merkle';

/** The worked example of docs/transparency.md, computed by the server's code and the verifier's. */
describe('docs/transparency.md worked example', () => {
  const listingId = '0b1e8a52-3f6c-4d7e-9a10-5c2b7e4f9d31';
  const entry = {
    listingId,
    seq: 1,
    type: 'status',
    at: new Date('2026-11-02T01:00:00.000Z'),
    payload: {
      from: 'pending_approval',
      to: 'announced',
      outcome: null,
      currentEndAt: '2026-12-03T02:00:00.000Z',
      reason: null,
    },
  };
  const head = '0b4a83949c499be10df02be4e8d5e62909d958d33ef9ffde35142b3ac639b039';

  it('chain entry, leaf, tree, proof and signed checkpoint', () => {
    const genesis = 'b8b2be39ac9e6ee42b6aa29764369511d8d1851feb7d2d180c3b00466048b766';
    expect(genesisHash(listingId)).toBe(genesis);
    expect(standalone.genesisHash(listingId)).toBe(genesis);
    expect(entryHash(genesis, entry)).toBe(head);
    expect(
      standalone.recomputeChain(listingId, [
        { ...entry, at: entry.at.toISOString(), prevHash: genesis, hash: head },
      ]),
    ).toEqual([genesis, head]);

    const data = leafData({ listingId, seq: 1, headHash: head });
    expect(data.toString()).toBe(`lastmile-leaf/v1\n${listingId}\n1\n${head}\n`);
    expect(standalone.leafData({ listingId, seq: 1, headHash: head })).toEqual(data);
    const leaf = leafHash(data);
    expect(leaf.toString('hex')).toBe('edb1465f101fedea6987495501e71afcd3284da4b7994afd6426784dbd4648cb');

    const tree = appendLeaves([], 0, [leaf, leafHash(Buffer.from('b')), leafHash(Buffer.from('c'))]);
    const root = '30d446ec114ce84b90495b856436b3067dcfc5eb345dcc2df68d8a2c92fd844c';
    expect(tree.root.toString('hex')).toBe(root);
    const nodes = new Map(tree.created.map((n) => [nodeKey(n), n.hash]));
    const proof = hashRanges(inclusionRanges(0, 3), nodes);
    expect(proof.map((h) => h.toString('hex'))).toEqual([
      '57eb35615d47f34ec714cacdf5fd74608a5e8e102724e80b24b287c0c27b6a31',
      '597fcb31282d34654c200d3418fca5705c648ebf326ec73d8ddef11841f876d8',
    ]);
    expect(verifyInclusion(0, 3, leaf, proof, tree.root)).toBe(true);

    // The example key is the tests' seed (32 bytes of 0x2a): never a real one.
    const key = signingKeyFrom(Buffer.alloc(32, 0x2a).toString('base64'));
    expect(key.publicKeyRaw.toString('base64')).toBe('GX9rI+FshTLGq8g4+s1ep4m+DHaykgM0A5v6iz02jWE=');
    expect(key.keyId).toBe('b600306cfa76723f');
    const content = {
      number: 1,
      treeSize: 3,
      rootHash: root,
      previousHash: '0'.repeat(64),
      issuedAt: new Date('2026-12-03T02:00:01.000Z'),
      keyId: key.keyId,
    };
    const body = checkpointBody(content);
    expect(body).toBe(
      `lastmile-checkpoint/v1\n1\n3\n${root}\n${'0'.repeat(64)}\n2026-12-03T02:00:01.000Z\nb600306cfa76723f\n`,
    );
    expect(standalone.checkpointBody({ ...content, issuedAt: '2026-12-03T02:00:01.000Z' })).toBe(body);
    expect(checkpointHash(body)).toBe('42ab605a901d05c941771a94630b62e9c3d850cbe12557f2c4f4e5d1c04696cb');
    // Ed25519 signatures are deterministic.
    expect(signText(key, body)).toBe(
      'ssPuvdVvSY9AbrVPEez/iKJRRd9QjbPl+XFXqjELI/WrFR2STNRgWyTHZ3Z5D7XnCyXWsLeDJKQEO+tjxgUgAQ==',
    );
  });
});
