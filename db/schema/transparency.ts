import {
  bigint,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The transparency log (art. 8, 29: tamper-evident even against whoever runs the database): an
 * append-only RFC 6962 Merkle tree whose leaves are snapshots of auction chain heads, and signed
 * checkpoints of it that anyone may keep. See docs/transparency.md for the encodings.
 *
 * No foreign keys to `listings`: checking one takes a KEY SHARE lock on the listing row, so a
 * checkpoint would wait for every auction that a bid round or a close holds, and a close waiting
 * in turn for the checkpoint deadlocked. Listings are never deleted; the leaves only name them.
 */

/** One leaf: an auction's chain head (listing, seq, hash) when a checkpoint was taken. */
export const transparencyLeaves = pgTable(
  'transparency_leaves',
  {
    /** 0-based position in the log: consecutive, never reused or changed. */
    index: bigint({ mode: 'number' }).primaryKey(),
    /** listings.id, without a foreign key: see the note above the tables. */
    listingId: uuid().notNull(),
    seq: integer().notNull(),
    headHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('transparency_leaves_listing_idx').on(t.listingId, t.index)],
);

/**
 * The hash of every perfect aligned subtree (leaves [index·2^level, (index+1)·2^level)), written
 * once when its last leaf is appended: roots and proofs read a few of these, never every leaf.
 */
export const transparencyNodes = pgTable(
  'transparency_nodes',
  {
    level: smallint().notNull(),
    index: bigint({ mode: 'number' }).notNull(),
    hash: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.index] })],
);

/** The latest leaf of each auction: which heads moved since the last checkpoint. */
export const transparencyHeads = pgTable('transparency_heads', {
  listingId: uuid().primaryKey(),
  seq: integer().notNull(),
  headHash: text().notNull(),
  leafIndex: bigint({ mode: 'number' }).notNull(),
});

/** A signed checkpoint: the tree's size and root, linked to the checkpoint before it. */
export const transparencyCheckpoints = pgTable('transparency_checkpoints', {
  /** 1, 2, 3 … */
  number: bigint({ mode: 'number' }).primaryKey(),
  treeSize: bigint({ mode: 'number' }).notNull(),
  rootHash: text().notNull(),
  /** `hash` of the checkpoint before; 64 zeros for the first. */
  previousHash: text().notNull(),
  issuedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
  keyId: text().notNull(),
  /** The exact text signed (docs/transparency.md), kept as signed. */
  body: text().notNull(),
  /** Ed25519 over `body`, base64. */
  signature: text().notNull(),
  /** sha256(body), hex: what the next checkpoint links to. */
  hash: text().notNull(),
  /** What took it: 'close' (auctions closed), 'daily', 'manual'. Not signed. */
  reason: text().notNull(),
});

export type TransparencyLeaf = typeof transparencyLeaves.$inferSelect;
export type TransparencyCheckpoint = typeof transparencyCheckpoints.$inferSelect;
