/**
 * What every benchmark needs: a real PostgreSQL (embedded in a temporary folder, or a fresh
 * database on DATABASE_URL's server), cleaned up afterwards, and percentiles.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { io as connect, type Socket } from 'socket.io-client';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { ensureDatabase } from '../../server/database.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/realtime/events.js';

export interface BenchDatabase {
  /** A fresh, empty database: the server migrates it at start. */
  url: string;
  /** A temporary folder for uploads and the like, removed with the database. */
  tmp: string;
  drop(): Promise<void>;
}

export async function benchDatabase(name: string): Promise<BenchDatabase> {
  let adminUrl = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  const tmp = await mkdtemp(path.join(os.tmpdir(), `lastmile-bench-${name}-`));
  if (!adminUrl) {
    const pg = await startEmbeddedPostgres(path.join(tmp, 'pg'), { persistent: false });
    adminUrl = pg.url;
    stop = pg.stop;
  }
  const dbName = `lastmile_bench_${name}_${Date.now()}`;
  const url = await ensureDatabase(adminUrl, dbName);
  return {
    url,
    tmp,
    async drop() {
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
      await admin.end();
      await stop?.();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * The machine's speed at the moment, as the time of a fixed task on one core: 300,000 chained
 * SHA-256 digests. On the shared 2-core machine of ADR 036 it took from 190 to 600 ms within
 * one hour, so a latency printed without it cannot be compared with another run's.
 */
function cpuReferenceMs(): number {
  const t0 = performance.now();
  let h = 'lastmile';
  for (let i = 0; i < 300_000; i++) h = createHash('sha256').update(h).digest('hex');
  return performance.now() - t0;
}

/** Call when a bench starts; the function it returns prints the speed then and now, after the figures. */
export function machineSpeed(): (indent?: string) => void {
  const before = cpuReferenceMs();
  return (indent = '') =>
    console.log(
      `${indent}machine speed, a fixed task on one core (300,000 chained SHA-256): ${before.toFixed(0)} ms before the run, ${cpuReferenceMs().toFixed(0)} ms after`,
    );
}

/** The p-th percentile of already measured values (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export type BenchClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A Socket.IO client (signed in with `cookie`, else anonymous) that watches the auction. */
export async function watchingClient(base: string, listingId: string, cookie?: string): Promise<BenchClient> {
  const s: BenchClient = connect(base, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('connect_error', reject);
    });
    const snap = await s.emitWithAck('auction:watch', { listingId });
    if (!snap.ok) throw new Error(`watch refused: ${snap.error.message}`);
    return s;
  } catch (err) {
    s.disconnect();
    throw err;
  }
}

/**
 * The settings a bench that serves pages gives the app, and a line saying how React renders.
 * The npm script sets NODE_ENV=production, as a deployment does: React and the router then load
 * their production builds (the development build of React's server renderer checks every
 * element and property, and made a search page ~20 ms slower). The app's own settings stay a
 * bench's (NODE_ENV development: demo data, no production secrets).
 */
export function servedAsDeployed() {
  const production = process.env.NODE_ENV === 'production';
  console.log(
    production
      ? 'React: production build (NODE_ENV=production, as deployed)'
      : 'React: DEVELOPMENT build (run through the npm script, which sets NODE_ENV=production)',
  );
  return { NODE_ENV: 'development' };
}
