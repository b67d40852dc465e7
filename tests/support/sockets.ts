import { io as connect, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { DbHandle } from '../../db/client.js';
import { startServer } from '../../server/main.js';
import type {
  AuctionEventDto,
  AuctionSnapshot,
  ClientToServerEvents,
  ServerToClientEvents,
} from '../../server/realtime/events.js';
import type { Services } from '../../server/services.js';
import { createTestDatabase } from './db.js';
import { meta, signupInput, testConfig } from './fixtures.js';
import { moneyWorld } from './money.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Sockets opened by a test file, closed with `closeClients()` (afterEach/afterAll). */
const open: Client[] = [];

/** A connected socket.io-client to `url`, signed in when `cookie` is given (the `lm_session` cookie). */
export async function client(
  url: string,
  cookie?: string,
  opts: Partial<ManagerOptions & SocketOptions> = {},
): Promise<Client> {
  const socket: Client = connect(url, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
    forceNew: true,
    ...opts,
  });
  open.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/**
 * `count` app processes on one private database, as a deployment runs them: each its own
 * HTTP server, Socket.IO and services (started one after the other: the first migrates and
 * seeds). With REDIS_URL in `env` their rooms span processes through the Redis Streams adapter.
 */
export async function startCluster(count: number, env: Record<string, string> = {}) {
  const db = await createTestDatabase();
  const nodes: Array<Awaited<ReturnType<typeof startServer>> & { url: string }> = [];
  for (let i = 0; i < count; i++) {
    const config = testConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      SEED_DEMO_DATA: 'true',
      ...env,
    });
    const node = await startServer({ config, ui: 'none' });
    nodes.push({ ...node, url: `http://127.0.0.1:${node.port}` });
  }
  return {
    db,
    nodes,
    async stop() {
      await Promise.all(nodes.map((n) => n.close()));
      await db.drop();
    },
  };
}

export function closeClients() {
  for (const s of open.splice(0)) s.disconnect();
}

/**
 * Live auctions on a server's database, made with the money tests' services (their clock set to
 * each listing's start, so the start job runs); the server's own clock is real: a listing ends
 * 31 days from now, so real-time bids are accepted without extensions.
 */
export async function auctionWorld(db: DbHandle) {
  const w = await moneyWorld(db, { start: new Date() });
  async function live() {
    w.time.set(new Date());
    const { listing } = await w.liveListing();
    /** A signed-up bidder with a live session (the socket's cookie), registered with his deposit held. */
    async function bidder(services: Services) {
      const { token } = await services.identity.signup(signupInput(), meta);
      const actor = (await services.identity.resolveSession(token))!.actor;
      const reg = await w.registeredWithDeposit(listing.id, actor);
      return { actor, token, cookie: `lm_session=${token}`, code: reg.registration.code as string };
    }
    return { listing, bidder };
  }
  return { world: w, live };
}

/** ¥700,000 start and ¥7,000 increment, in fen, as `auctionWorld` makes them. */
export const START = 70_000_000n;
export const INC = 700_000n;

/**
 * A client of one auction as docs/realtime.md tells a third party to write it: watch (snapshot),
 * apply `auction:event`s in sequence order, ignore what it already has, resume after its last
 * seq on a gap and after every reconnection (re-watching when the connection was not recovered).
 */
export class AuctionFeed {
  lastSeq = 0;
  /** Every entry applied, in order: exactly one per seq. */
  readonly applied: AuctionEventDto[] = [];
  /** Every `auction:event` received, duplicates included. */
  readonly received: AuctionEventDto[] = [];
  readonly viewers: number[] = [];
  /** `socket.recovered` at each reconnection. */
  readonly reconnections: boolean[] = [];
  resumes = 0;
  /** Failures of background resumes (a socket closed meanwhile). */
  readonly errors: unknown[] = [];
  snapshot: AuctionSnapshot | null = null;
  private started = false;
  private early: AuctionEventDto[] = [];
  private resuming: Promise<void> | null = null;
  private again = false;

  constructor(
    readonly socket: Client,
    readonly listingId: string,
  ) {
    socket.on('auction:events', (events) => {
      for (const e of events) {
        if (e.listingId !== listingId) continue;
        this.received.push(e);
        if (!this.started) this.early.push(e);
        else this.onEvent(e);
      }
    });
    socket.on('auction:viewers', (v) => {
      if (v.listingId === listingId) this.viewers.push(v.viewers);
    });
    socket.on('connect', () => {
      if (!this.started) return;
      this.reconnections.push(socket.recovered);
      void (async () => {
        if (!socket.recovered) await this.watch();
        await this.resume();
      })().catch((err) => this.errors.push(err));
    });
  }

  async watch(): Promise<AuctionSnapshot> {
    const r = await this.socket.emitWithAck('auction:watch', { listingId: this.listingId });
    if (!r.ok) throw new Error(`watch refused: ${r.error.code}`);
    this.snapshot = r.data;
    if (!this.started) {
      this.started = true;
      this.lastSeq = r.data.seq;
      for (const e of this.early.splice(0)) this.onEvent(e);
    }
    if (r.data.seq > this.lastSeq) await this.resume();
    return r.data;
  }

  private onEvent(e: AuctionEventDto) {
    if (e.seq <= this.lastSeq) return; // had it
    if (e.seq === this.lastSeq + 1) this.apply(e);
    else this.resume().catch((err) => this.errors.push(err)); // a gap: something was missed
  }

  private apply(e: AuctionEventDto) {
    this.applied.push(e);
    this.lastSeq = e.seq;
  }

  /** `auction:resume` from the last seq until a short page; one at a time. */
  resume(): Promise<void> {
    if (this.resuming) {
      this.again = true;
      return this.resuming;
    }
    this.resuming = (async () => {
      try {
        for (;;) {
          this.again = false;
          this.resumes += 1;
          const r = await this.socket.emitWithAck('auction:resume', {
            listingId: this.listingId,
            afterSeq: this.lastSeq,
          });
          if (!r.ok) throw new Error(`resume refused: ${r.error.code}`);
          for (const e of r.data.events) if (e.seq === this.lastSeq + 1) this.apply(e);
          if (r.data.events.length < 1000 && !this.again) return;
        }
      } finally {
        this.resuming = null;
      }
    })();
    return this.resuming;
  }
}

export const seqs = (events: readonly AuctionEventDto[]) => events.map((e) => e.seq);
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
