/**
 * The tamper-evident event log of an auction (art. 8, 20, 29). Each entry's hash covers the
 * previous entry's hash and the entry's own canonical content, so changing, removing or
 * reordering any entry breaks every hash after it; anyone can recompute the chain from the
 * public entries (`verifyChain`, served at /auctions/:id/chain).
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { listings } from '../../db/schema/auctions.js';
import { auctionEvents } from '../../db/schema/bidding.js';

export interface ChainEntry {
  listingId: string;
  seq: number;
  type: string;
  at: Date;
  payload: Record<string, unknown>;
}

/** JSON with object keys sorted at every level: the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The chain of each auction starts from a hash of its id. */
export const genesisHash = (listingId: string) => sha256(`lastmile:auction:${listingId}`);

export function entryHash(prevHash: string, e: ChainEntry): string {
  return sha256(
    `${prevHash}\n${canonicalJson({ listingId: e.listingId, seq: e.seq, type: e.type, at: e.at.toISOString(), payload: e.payload })}`,
  );
}

export type ChainVerdict = { ok: true; length: number; head: string } | { ok: false; brokenAt: number };

/** Recomputes the chain from its entries in sequence order. */
export function verifyChain(
  listingId: string,
  entries: ReadonlyArray<ChainEntry & { prevHash: string; hash: string }>,
): ChainVerdict {
  let prev = genesisHash(listingId);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.seq !== i + 1 || e.prevHash !== prev || entryHash(prev, e) !== e.hash)
      return { ok: false, brokenAt: e.seq };
    prev = e.hash;
  }
  return { ok: true, length: entries.length, head: prev };
}

/** The entry that would follow the listing's head (the caller holds the row lock and stores it). */
export function nextEntry(
  listing: { id: string; lastSeq: number; lastHash: string | null },
  type: string,
  at: Date,
  payload: Record<string, unknown>,
) {
  const seq = listing.lastSeq + 1;
  const prevHash = listing.lastHash ?? genesisHash(listing.id);
  const hash = entryHash(prevHash, { listingId: listing.id, seq, type, at, payload });
  return { listingId: listing.id, seq, type, at, payload, prevHash, hash };
}

/**
 * Appends an entry under the listing's row lock (the caller holds it): the next sequence number,
 * chained to the last hash, and the listing's head moved. Returns the stored entry.
 */
export async function appendEvent(
  tx: Tx,
  listing: { id: string; lastSeq: number; lastHash: string | null },
  type: string,
  at: Date,
  payload: Record<string, unknown>,
  /** False when the caller writes lastSeq/lastHash itself in its own update of the row. */
  moveHead = true,
) {
  const entry = nextEntry(listing, type, at, payload);
  const { seq, hash } = entry;
  await tx.insert(auctionEvents).values(entry);
  if (moveHead)
    await tx.update(listings).set({ lastSeq: seq, lastHash: hash }).where(eq(listings.id, listing.id));
  listing.lastSeq = seq;
  listing.lastHash = hash;
  return entry;
}
