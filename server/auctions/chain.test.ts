import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, genesisHash, verifyChain } from './chain';

/** The worked example of docs/realtime.md ("The hash of a log entry"): the docs and the code agree. */
describe('the hash of a log entry', () => {
  const listingId = '5b0f8c1e-3d2a-4c6b-9e7f-1a2b3c4d5e6f';
  const entry = {
    listingId,
    seq: 1,
    type: 'bid',
    at: new Date('2026-03-01T02:00:00.123Z'),
    payload: {
      code: '7KQ2',
      amountFen: '70000000',
      priorityRank: null,
      source: 'live',
      currentEndAt: '2026-03-02T02:00:00.000Z',
      extended: false,
      extensionCount: 0,
    },
  };

  it('matches the documented genesis, canonical JSON and hash', () => {
    expect(genesisHash(listingId)).toBe('b3f07e9cbfdbc89439e380e81b49cfa70a036600c795f908f4bac5b11c33d781');
    expect(canonicalJson({ ...entry, at: entry.at.toISOString() })).toBe(
      '{"at":"2026-03-01T02:00:00.123Z","listingId":"5b0f8c1e-3d2a-4c6b-9e7f-1a2b3c4d5e6f","payload":{"amountFen":"70000000","code":"7KQ2","currentEndAt":"2026-03-02T02:00:00.000Z","extended":false,"extensionCount":0,"priorityRank":null,"source":"live"},"seq":1,"type":"bid"}',
    );
    expect(entryHash(genesisHash(listingId), entry)).toBe(
      '20fdef28321d011f4e2a40df3ff51b9c1de7de72420a4bbc4a469a432f459840',
    );
  });

  it('changes with a millisecond of the time, and verification finds the entry', () => {
    const prevHash = genesisHash(listingId);
    const hash = entryHash(prevHash, entry);
    const later = { ...entry, at: new Date(entry.at.getTime() + 1) };
    expect(entryHash(prevHash, later)).not.toBe(hash);
    expect(verifyChain(listingId, [{ ...entry, prevHash, hash }])).toMatchObject({ ok: true, head: hash });
    expect(verifyChain(listingId, [{ ...later, prevHash, hash }])).toMatchObject({ ok: false, brokenAt: 1 });
  });
});
