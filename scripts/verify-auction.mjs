#!/usr/bin/env node
// Verifies an auction's public record against LastMile's signed checkpoints, trusting nothing of
// the server's but the bytes it serves (docs/transparency.md). Node 20+, built-ins only: copy this
// one file anywhere and run it.
//
//   node scripts/verify-auction.mjs <base URL> <auction id> [--state <file>] [--key <base64>]
//   npm run verify -- <base URL> <auction id> [--state <file>] [--key <base64>]
//
// It recomputes the auction's hash chain itself (the canonical JSON and the hashes are written
// again here on purpose), checks the latest checkpoint's Ed25519 signature against the published
// key (or the one pinned with --key, or the one saved in the state file), checks that every leaf
// the log holds for this auction is in that checkpoint's Merkle tree (RFC 6962 inclusion proofs)
// and equals the chain's hash at its sequence number. With --state holding a checkpoint saved
// earlier, it also checks that the log still serves that checkpoint unchanged, that the latest
// tree extends it (consistency proof), that the checkpoints in between link to each other, and
// that this auction's leaves in the saved tree are still there and still match the chain. Then
// it saves the latest checkpoint to the state file.
//
// Exit code: 0 when everything holds; 1 when something does not (the message names it); 2 when it
// could not check (bad arguments, the server unreachable, an unexpected answer).

import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// ---- The definitions (docs/transparency.md), re-implemented ------------------------------------

const sha256hex = (s) => createHash('sha256').update(s, 'utf8').digest('hex');

/** JSON with object keys sorted (by UTF-16 code units) at every level, undefined members left out. */
export function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

export const genesisHash = (listingId) => sha256hex(`lastmile:auction:${listingId}`);

export const entryHash = (prevHash, e) =>
  sha256hex(
    `${prevHash}\n${canonicalJson({ listingId: e.listingId, seq: e.seq, type: e.type, at: e.at, payload: e.payload })}`,
  );

/** Recomputes the chain; returns the hash at each seq (index 0 = the genesis hash). */
export function recomputeChain(listingId, entries) {
  const hashes = [genesisHash(listingId)];
  for (const [i, e] of entries.entries()) {
    const prev = hashes[i];
    if (e.listingId !== listingId)
      throw new Failure(`entry ${i + 1} belongs to another auction (${e.listingId})`);
    if (e.seq !== i + 1) throw new Failure(`the chain skips or repeats: entry ${i + 1} has seq ${e.seq}`);
    if (e.prevHash !== prev)
      throw new Failure(
        `the chain is broken at seq ${e.seq}: its prevHash is not the hash of seq ${e.seq - 1}`,
      );
    const h = entryHash(prev, e);
    if (e.hash !== h)
      throw new Failure(`the chain is broken at seq ${e.seq}: its content does not hash to its hash`);
    hashes.push(h);
  }
  return hashes;
}

export const leafData = (l) =>
  Buffer.from(`lastmile-leaf/v1\n${l.listingId}\n${l.seq}\n${l.headHash}\n`, 'utf8');

const sha = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
export const leafHash = (data) => sha(Buffer.from([0]), data);
const nodeHash = (l, r) => sha(Buffer.from([1]), l, r);

/** RFC 9162 §2.1.3.2. */
export function verifyInclusion(index, size, leaf, proof, root) {
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
    } else r = nodeHash(r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2. */
export function verifyConsistency(size1, size2, root1, root2, proof) {
  if (size1 < 0 || size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  let p2 = 1;
  while (p2 < size1) p2 *= 2;
  const path = p2 === size1 ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else sr = nodeHash(sr, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(root1) && sr.equals(root2) && sn === 0;
}

export const checkpointBody = (c) =>
  `${['lastmile-checkpoint/v1', c.number, c.treeSize, c.rootHash, c.previousHash, c.issuedAt, c.keyId].join('\n')}\n`;

export const keyIdOf = (raw) => createHash('sha256').update(raw).digest('hex').slice(0, 16);

/** A checkpoint as served, checked on its own: its body, hash, key id and signature. */
export function checkCheckpoint(c, key) {
  const name = `checkpoint #${c.number}`;
  const body = checkpointBody(c);
  if (c.body !== undefined && c.body !== body)
    throw new Failure(`${name}: its body does not match its fields`);
  if (c.hash !== sha256hex(body)) throw new Failure(`${name}: its hash is not sha256 of its body`);
  if (c.keyId !== key.keyId)
    throw new Failure(`${name} names key ${c.keyId}, not the trusted key ${key.keyId}`);
  if (!verify(null, Buffer.from(body, 'utf8'), key.object, Buffer.from(c.signature, 'base64')))
    throw new Failure(`${name}: the signature does not verify with key ${key.keyId}`);
}

// ---- The run ------------------------------------------------------------------------------------

/** Something that should hold does not: exit 1. */
export class Failure extends Error {}
/** Could not check: exit 2. */
class Trouble extends Error {}

const hex = (s) => Buffer.from(s, 'hex');

function trustedKey(raw) {
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length !== 32) throw new Trouble('a public key must be 32 bytes, base64-encoded');
  const object = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: bytes.toString('base64url') },
    format: 'jwk',
  });
  return { raw: bytes.toString('base64'), keyId: keyIdOf(bytes), object };
}

async function getJson(base, pathname) {
  const url = new URL(pathname, base);
  let res;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new Trouble(`cannot reach ${url}: ${error.cause?.message ?? error.message}`);
  }
  if (!res.ok) throw new Trouble(`${url} answered ${res.status}`);
  return res.json();
}

/** Verifies; returns the report lines and the state to save. Throws Failure or Trouble. */
export async function verifyAuction({ base, listingId, state, pinnedKey, log = () => {} }) {
  // The key: pinned by the user, else saved with the state, else as published now.
  const published = await getJson(base, '/.well-known/lastmile-checkpoint-key');
  if (published.algorithm !== 'Ed25519')
    throw new Failure(`the published key is ${published.algorithm}, not Ed25519`);
  const trusted = trustedKey(pinnedKey ?? state?.key?.publicKey ?? published.publicKey);
  if (published.publicKey !== trusted.raw)
    throw new Failure(
      `the published key ${published.keyId} is not the ${pinnedKey ? 'pinned' : 'saved'} key ${trusted.keyId}`,
    );
  log(`key ${trusted.keyId} (Ed25519)${pinnedKey ? ', pinned' : state ? ', as saved' : ', as published'}`);

  // The chain, recomputed here.
  const chain = await getJson(base, `/auctions/${listingId}/chain`);
  const entries = chain.entries ?? [];
  const hashes = recomputeChain(listingId, entries);
  const length = entries.length;
  log(`chain: ${length} entries recomputed, head ${hashes[length]} at seq ${length}`);

  // The latest checkpoint.
  const latest = await getJson(base, '/transparency/checkpoints/latest');
  checkCheckpoint(latest, trusted);
  log(
    `checkpoint #${latest.number}: tree of ${latest.treeSize}, root ${latest.rootHash}, signed ${latest.issuedAt}`,
  );

  // Every leaf of this auction in the latest tree: included, and equal to the chain at its seq.
  const { leaves } = await getJson(base, `/transparency/auctions/${listingId}/leaves`);
  const covered = leaves.filter((l) => l.index < latest.treeSize);
  /** The first entry that may have changed: after the latest leaf below `seq` that still matches. */
  const sinceLastGood = (seq) =>
    1 + Math.max(0, ...leaves.filter((x) => x.seq < seq && hashes[x.seq] === x.headHash).map((x) => x.seq));
  const matchChain = (l, where) => {
    if (l.listingId !== listingId) throw new Failure(`leaf ${l.index} belongs to another auction`);
    if (l.seq > length)
      throw new Failure(
        `entries were removed: ${where} committed seq ${l.seq} (head ${l.headHash}), the chain now has ${length} entries`,
      );
    if (hashes[l.seq] !== l.headHash)
      throw new Failure(
        `the log was rewritten in entries ${sinceLastGood(l.seq)}..${l.seq}: ${where} committed head ` +
          `${l.headHash} at seq ${l.seq}, the chain now gives ${hashes[l.seq]}`,
      );
  };
  for (const l of covered) {
    const proof = await getJson(
      base,
      `/transparency/checkpoints/${latest.number}/inclusion?leafIndex=${encodeURIComponent(l.index)}`,
    );
    const leaf = { listingId: l.listingId, seq: l.seq, headHash: l.headHash };
    if (
      proof.leaf.listingId !== leaf.listingId ||
      proof.leaf.seq !== leaf.seq ||
      proof.leaf.headHash !== leaf.headHash
    )
      throw new Failure(`leaf ${l.index}: the proof is for other content than the leaf listed`);
    if (
      !verifyInclusion(
        l.index,
        latest.treeSize,
        leafHash(leafData(leaf)),
        proof.proof.map(hex),
        hex(latest.rootHash),
      )
    )
      throw new Failure(`leaf ${l.index} (seq ${l.seq}) is not in checkpoint #${latest.number}'s tree`);
    matchChain(l, `leaf ${l.index} of checkpoint #${latest.number}`);
  }
  const newest = covered.at(-1);
  if (newest) {
    log(
      `checkpoint #${latest.number} holds ${covered.length} leaves of this auction, the newest at seq ${newest.seq}`,
    );
    if (newest.seq < length)
      log(`entries ${newest.seq + 1}..${length} are not in a checkpoint yet (the next one covers them)`);
  } else if (length > 0) log(`no checkpoint covers this auction yet (the next one will)`);

  // Against the checkpoint saved earlier.
  const saved = state?.checkpoint;
  if (saved) {
    const when = state.savedAt ? ` (saved ${state.savedAt})` : '';
    checkCheckpoint(saved, trusted);
    if (saved.number > latest.number)
      throw new Failure(
        `the log went back: latest checkpoint #${latest.number}, saved #${saved.number}${when}`,
      );
    const again = await getJson(base, `/transparency/checkpoints/${saved.number}`);
    if (again.hash !== saved.hash)
      throw new Failure(
        `checkpoint #${saved.number} is no longer the one saved${when}: root ${again.rootHash} now, ${saved.rootHash} then; the log's history was rewritten`,
      );
    // The links from the saved checkpoint to the latest.
    let prev = saved;
    while (prev.number < latest.number) {
      const page = await getJson(base, `/transparency/checkpoints?after=${prev.number}&limit=1000`);
      if (page.checkpoints.length === 0)
        throw new Trouble(`checkpoints after #${prev.number} are not served`);
      for (const c of page.checkpoints) {
        if (c.number > latest.number) break;
        checkCheckpoint(c, trusted);
        if (c.number !== prev.number + 1 || c.previousHash !== prev.hash)
          throw new Failure(`checkpoint #${c.number} does not link to checkpoint #${prev.number}`);
        if (c.treeSize < prev.treeSize)
          throw new Failure(`checkpoint #${c.number}'s tree is smaller than #${prev.number}'s`);
        prev = c;
      }
    }
    if (prev.hash !== latest.hash)
      throw new Failure(`the checkpoints do not lead to the latest #${latest.number}`);
    const consistency = await getJson(
      base,
      `/transparency/consistency?from=${saved.number}&to=${latest.number}`,
    );
    if (
      !verifyConsistency(
        saved.treeSize,
        latest.treeSize,
        hex(saved.rootHash),
        hex(latest.rootHash),
        consistency.proof.map(hex),
      )
    )
      throw new Failure(
        `checkpoint #${latest.number}'s tree does not extend the saved checkpoint #${saved.number}${when}: leaves were changed or removed`,
      );
    // This auction's leaves in the saved tree: still there, proven against the SAVED root.
    const before = leaves.filter((l) => l.index < saved.treeSize);
    const remembered = state.auctions?.[listingId] ?? [];
    for (const r of remembered) {
      if (r.index >= saved.treeSize) continue;
      const l = before.find((x) => x.index === r.index);
      if (!l || l.seq !== r.seq || l.headHash !== r.headHash)
        throw new Failure(
          `leaf ${r.index} (seq ${r.seq}, head ${r.headHash}) seen${when} is ${l ? 'changed' : 'no longer listed'}`,
        );
    }
    for (const l of before) {
      const proof = await getJson(
        base,
        `/transparency/checkpoints/${saved.number}/inclusion?leafIndex=${encodeURIComponent(l.index)}`,
      );
      const leaf = { listingId: l.listingId, seq: l.seq, headHash: l.headHash };
      if (
        !verifyInclusion(
          l.index,
          saved.treeSize,
          leafHash(leafData(leaf)),
          proof.proof.map(hex),
          hex(saved.rootHash),
        )
      )
        throw new Failure(
          `leaf ${l.index} (seq ${l.seq}) is not in the saved checkpoint #${saved.number}'s tree${when}`,
        );
      matchChain(l, `leaf ${l.index} of the saved checkpoint #${saved.number}${when}`);
    }
    log(
      `consistent with the saved checkpoint #${saved.number}${when}: linked through ${latest.number - saved.number} checkpoint(s) since, ` +
        `${before.length} leaves of this auction proven in its tree`,
    );
  }

  const auctions = { ...(state?.auctions ?? {}) };
  auctions[listingId] = covered.map((l) => ({ index: l.index, seq: l.seq, headHash: l.headHash }));
  return {
    head: { seq: length, hash: hashes[length] },
    newState: {
      version: 1,
      base,
      savedAt: new Date().toISOString(),
      key: { keyId: trusted.keyId, publicKey: trusted.raw },
      checkpoint: latest,
      auctions,
    },
  };
}

function parseArgs(argv) {
  const positional = [];
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--state' || a === '--key') opts[a.slice(2)] = argv[++i];
    else if (a === '-h' || a === '--help') opts.help = true;
    else positional.push(a);
  }
  return { positional, opts };
}

const USAGE =
  'usage: verify-auction <base URL> <auction id> [--state <file>] [--key <base64 Ed25519 public key>]';

async function main() {
  const { positional, opts } = parseArgs(process.argv.slice(2));
  if (opts.help) return console.log(USAGE);
  const [base, listingId] = positional;
  if (!base || !listingId || !/^[0-9a-f-]{36}$/i.test(listingId)) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  let state;
  if (opts.state) {
    try {
      state = JSON.parse(await readFile(opts.state, 'utf8'));
    } catch (error) {
      if (error.code !== 'ENOENT')
        throw new Trouble(`cannot read the state file ${opts.state}: ${error.message}`);
    }
  }
  const { head, newState } = await verifyAuction({
    base,
    listingId: listingId.toLowerCase(),
    state,
    pinnedKey: opts.key,
    log: (line) => console.log(`  ✓ ${line}`),
  });
  if (opts.state) {
    const tmp = `${opts.state}.tmp`;
    await writeFile(tmp, `${JSON.stringify(newState, null, 2)}\n`);
    await rename(tmp, opts.state);
    console.log(`  saved checkpoint #${newState.checkpoint.number} to ${opts.state}`);
  }
  console.log(`OK: auction ${listingId}: head ${head.hash} at seq ${head.seq}`);
}

const isEntry = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  main().catch((error) => {
    if (error instanceof Failure) {
      console.error(`FAILED: ${error.message}`);
      process.exitCode = 1;
    } else {
      console.error(
        `could not verify: ${error instanceof Trouble ? error.message : (error?.stack ?? error)}`,
      );
      process.exitCode = 2;
    }
  });
}
