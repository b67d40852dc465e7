/**
 * Taking a checkpoint (art. 8, 29): the auction chain heads that moved since their last leaf
 * become new leaves of the transparency log, and the platform signs the new tree's size and
 * root, linked to the checkpoint before. Once anyone holds a checkpoint, rewriting an entry of
 * an auction's log, even re-hashing everything after it and the stored head, no longer fits it:
 * the verifier (scripts/verify-auction.mjs) shows where.
 *
 * When: soon after every close or withdrawal (`checkpointSoon`, in the closing transaction: one
 * checkpoint for the closes of the same second or so), and daily (`transparency.daily`, which
 * covers suspensions and anything else that moved a head). One checkpoint at a time: they hold a
 * transaction-scoped advisory lock, so leaves and checkpoint numbers never interleave.
 */
import { randomUUID } from 'node:crypto';
import { desc, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import {
  transparencyCheckpoints,
  transparencyHeads,
  transparencyLeaves,
  transparencyNodes,
} from '../../db/schema/transparency.js';
import { cancelPendingJobs, scheduleJob } from '../jobs/schedule.js';
import type { TransparencyDeps } from './deps.js';
import { checkpointBody, checkpointHash, GENESIS_CHECKPOINT_HASH, leafData } from './encoding.js';
import { signText } from './keys.js';
import { appendLeaves, leafHash } from './merkle.js';
import { readFrontier } from './tree-store.js';

export const TRANSPARENCY_JOBS = {
  checkpoint: 'transparency.checkpoint',
  daily: 'transparency.daily',
} as const;
const CHECKPOINT_KEY = 'transparency:checkpoint';
const DAILY_KEY = 'transparency:daily';
/** How long after a close its checkpoint comes: the closes of that second share it. */
export const CLOSE_CHECKPOINT_DELAY_MS = 1_000;
const DAY_MS = 24 * 3_600_000;
/** pg_advisory_xact_lock key: one checkpoint at a time, across processes. */
const LOCK_KEY = 0x7472_616e; // 'tran'
/** Rows per insert statement (PostgreSQL takes at most 65,535 parameters). */
const CHUNK = 5_000;

export type CheckpointReason = 'close' | 'daily' | 'manual';

/**
 * In the transaction that closes or withdraws auctions: a checkpoint shortly after. Each closing
 * transaction schedules its own job (a key of its own): a shared one would make concurrent closes
 * wait for each other's commit, and for a checkpoint in progress, on that one row. The first of
 * them to run cancels the others it covers (`takeCheckpoint`).
 */
export async function checkpointSoon(tx: Db, now: Date): Promise<void> {
  await scheduleJob(tx, {
    kind: TRANSPARENCY_JOBS.checkpoint,
    key: `${CHECKPOINT_KEY}:${randomUUID()}`,
    runAt: new Date(now.getTime() + CLOSE_CHECKPOINT_DELAY_MS),
  });
}

/** The daily checkpoint: at boot (a restart may have missed one), then every 24 hours. */
export async function scheduleDaily(deps: TransparencyDeps): Promise<void> {
  await scheduleJob(deps.db, {
    kind: TRANSPARENCY_JOBS.daily,
    key: DAILY_KEY,
    runAt: deps.clock(),
  });
}

/**
 * Appends the moved heads as leaves and signs the new tree. Without moved heads it signs
 * nothing unless `always` (the daily checkpoint: a fresh signature says "nothing changed").
 * With `wait: false` it does not wait for a checkpoint in progress and answers 'busy'. Returns
 * the checkpoint, or null.
 */
export async function takeCheckpoint(
  deps: TransparencyDeps,
  tx: Tx,
  now: Date,
  reason: CheckpointReason,
  { always = false, wait = true }: { always?: boolean; wait?: boolean } = {},
) {
  if (wait) await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
  else {
    const [got] = await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(${LOCK_KEY}) as ok`);
    if (!got?.ok) return 'busy' as const;
  }
  // Every close-triggered job visible now was committed with its close, so the scan below sees
  // that close's head: those jobs are redundant. (READ COMMITTED: each statement sees at least
  // what the statement before it saw.)
  await cancelPendingJobs(tx, TRANSPARENCY_JOBS.checkpoint);
  const [last] = await tx
    .select()
    .from(transparencyCheckpoints)
    .orderBy(desc(transparencyCheckpoints.number))
    .limit(1);
  const size = last?.treeSize ?? 0;
  // Every published auction whose head is not its latest leaf. Drafts have no public log.
  const moved = await tx.execute<{
    id: string;
    last_seq: number;
    last_hash: string;
    leaf_seq: number | null;
  }>(sql`
    select l.id, l.last_seq, l.last_hash, h.seq as leaf_seq
    from listings l left join transparency_heads h on h.listing_id = l.id
    where l.last_hash is not null and l.status not in ('draft', 'pending_approval')
      and (h.listing_id is null or h.seq <> l.last_seq or h.head_hash <> l.last_hash)
    order by l.id`);
  for (const m of moved)
    if (m.leaf_seq !== null && m.leaf_seq >= m.last_seq)
      // A head that did not move forward was rewritten: the new leaf records it for everyone to see.
      deps.logger.error(
        { listingId: m.id, leafSeq: m.leaf_seq, headSeq: m.last_seq },
        'transparency: an auction head changed without moving forward (its log was rewritten)',
      );
  if (moved.length === 0 && !always) return null;

  const leaves = moved.map((m, i) => ({
    index: size + i,
    listingId: m.id,
    seq: m.last_seq,
    headHash: m.last_hash,
    createdAt: now,
  }));
  const tree = appendLeaves(
    await readFrontier(tx, size),
    size,
    leaves.map((l) => leafHash(leafData(l))),
  );
  for (let i = 0; i < leaves.length; i += CHUNK)
    await tx.insert(transparencyLeaves).values(leaves.slice(i, i + CHUNK));
  const nodes = tree.created.map((n) => ({ level: n.level, index: n.index, hash: n.hash.toString('hex') }));
  for (let i = 0; i < nodes.length; i += CHUNK)
    await tx.insert(transparencyNodes).values(nodes.slice(i, i + CHUNK));
  for (let i = 0; i < leaves.length; i += CHUNK)
    await tx
      .insert(transparencyHeads)
      .values(
        leaves
          .slice(i, i + CHUNK)
          .map((l) => ({ listingId: l.listingId, seq: l.seq, headHash: l.headHash, leafIndex: l.index })),
      )
      .onConflictDoUpdate({
        target: transparencyHeads.listingId,
        set: {
          seq: sql`excluded.seq`,
          headHash: sql`excluded.head_hash`,
          leafIndex: sql`excluded.leaf_index`,
        },
      });

  const content = {
    number: (last?.number ?? 0) + 1,
    treeSize: tree.size,
    rootHash: tree.root.toString('hex'),
    previousHash: last?.hash ?? GENESIS_CHECKPOINT_HASH,
    issuedAt: now,
    keyId: deps.key.keyId,
  };
  const body = checkpointBody(content);
  const [checkpoint] = await tx
    .insert(transparencyCheckpoints)
    .values({ ...content, body, signature: signText(deps.key, body), hash: checkpointHash(body), reason })
    .returning();
  return checkpoint!;
}

type JobCtx = { tx: Tx; now: Date };

/** The job handlers: the checkpoint after closes, and the daily one that schedules the next. */
export const checkpointJobHandlers = (deps: TransparencyDeps) => ({
  [TRANSPARENCY_JOBS.checkpoint]: async (_job: unknown, ctx: JobCtx) => {
    // A runner loop never waits for a checkpoint in progress: closes queue behind busy loops.
    if ((await takeCheckpoint(deps, ctx.tx, ctx.now, 'close', { wait: false })) === 'busy')
      await checkpointSoon(ctx.tx, ctx.now);
  },
  [TRANSPARENCY_JOBS.daily]: async (_job: unknown, ctx: JobCtx) => {
    await takeCheckpoint(deps, ctx.tx, ctx.now, 'daily', { always: true });
    await scheduleJob(ctx.tx, {
      kind: TRANSPARENCY_JOBS.daily,
      key: DAILY_KEY,
      runAt: new Date(ctx.now.getTime() + DAY_MS),
    });
  },
});
