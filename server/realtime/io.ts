import type http from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { parseCookies, SESSION_COOKIE } from '../http/cookies.js';
import type { Logger } from '../logger.js';
import { socketsConnected } from '../metrics/metrics.js';
import type { Services } from '../services.js';
import { createAuctionRooms } from './auction-room.js';
import type { AuctionEventDto, ClientToServerEvents, ServerToClientEvents, SocketData } from './events.js';
import { originAllowed } from './origin.js';
import { createPracticeRooms } from './practice-room.js';
import { auctionRoom } from './rooms.js';

/** Between the processes of one deployment (through the Redis adapter): never seen by clients. */
export interface InterServerEvents {
  /** How many sockets of this process are in that room (for the watcher count). */
  'viewers:count': (room: string, reply: (count: number) => void) => void;
  /** Log entries committed by the sending process, for this process's watchers of the auction. */
  'auction:events': (listingId: string, events: AuctionEventDto[]) => void;
  /** A close asks: answer once no bid for these auctions that reached this process before the cutoff is undecided. */
  'bids:settled': (listingIds: string[], cutoffMs: number, reply: (done: true) => void) => void;
  /** A crowd's close asks, answered at once: which of these auctions has such a bid here now. */
  'bids:unsettled': (
    ends: Array<[listingId: string, cutoffMs: number]>,
    reply: (listingIds: string[]) => void,
  ) => void;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const RoomPayload = z.object({
  room: z
    .string()
    .min(3)
    .max(100)
    .regex(/^(auction|user|org):[\w-]+$/),
});

const sessionRoom = (id: string) => `session:${id}`;

/** May this socket join that room? Public rooms (`auction:*`): anyone. Private rooms (`user:`, `org:`): their owner only. */
function mayJoin(data: SocketData, room: string): boolean {
  if (room.startsWith('auction:')) return true;
  if (!data.userId) return false;
  if (room.startsWith('user:')) return room === `user:${data.userId}`;
  if (room.startsWith('org:')) return data.organisationId !== null && room === `org:${data.organisationId}`;
  return false;
}

export async function createRealtime(opts: {
  httpServer: http.Server;
  services: Services;
  logger: Logger;
  redisUrl?: string;
  /**
   * Names the Redis stream, pub/sub channels and session keys of this deployment
   * (`<prefix>`, `<prefix>#...`, `<prefix>:session:`), so deployments or test runs sharing one
   * Redis do not hear each other. Default: the adapter's own names (`socket.io`).
   */
  redisPrefix?: string;
  /** The site's origin as browsers see it (config PUBLIC_ORIGIN); unset: the handshake's own Host. */
  publicOrigin?: string;
}) {
  const { services, logger } = opts;
  const io: IoServer = new Server(opts.httpServer, {
    serveClient: false,
    cors: { origin: false },
    // Every handshake request (polling and the WebSocket upgrade) from a foreign page is refused
    // (403) before the session cookie is looked at (ADR 017).
    allowRequest: (req, callback) => {
      const ok = originAllowed(req, opts.publicOrigin);
      if (!ok) logger.warn({ origin: req.headers.origin }, 'socket handshake from a foreign origin refused');
      callback(null, ok);
    },
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 },
  });

  let redis: ReturnType<typeof createClient> | undefined;
  if (opts.redisUrl) {
    redis = createClient({ url: opts.redisUrl });
    redis.on('error', (err) => logger.error({ err }, 'redis error'));
    await redis.connect();
    const prefix = opts.redisPrefix;
    io.adapter(
      createAdapter(
        redis,
        prefix ? { streamName: prefix, channelPrefix: prefix, sessionKeyPrefix: `${prefix}:session:` } : {},
      ),
    );
    logger.info('socket.io rooms span processes through Redis Streams');
  }

  const auctions = createAuctionRooms({ io, services, logger, clustered: redis !== undefined });
  const practice = createPracticeRooms({
    io,
    services,
    logger,
    actorOf: auctions.actorOf,
    mayPlace: auctions.mayPlace,
  });

  // The handshake reuses the HTTP session cookie. No cookie: an anonymous watcher.
  io.use(async (socket, next) => {
    try {
      const token = parseCookies(socket.handshake.headers.cookie)[SESSION_COOKIE];
      const auth = token ? await services.identity.resolveSession(token) : null;
      socket.data = {
        userId: auth?.user.id ?? null,
        sessionId: auth?.actor.sessionId ?? null,
        organisationId: auth?.user.organisationId ?? null,
        sessionExpiresAt: auth ? auth.session.expiresAt.getTime() : null,
      };
      if (auth) auctions.remember(socket, auth.actor);
      next();
    } catch (err) {
      logger.error({ err }, 'socket handshake failed');
      next(new Error('internal'));
    }
  });

  io.on('connection', (socket: IoSocket) => {
    socketsConnected.inc();
    socket.on('disconnect', () => socketsConnected.dec());
    const { sessionId } = socket.data;
    if (sessionId) void socket.join(sessionRoom(sessionId));

    // A session that expires while connected is cut at its next event.
    socket.use((_packet, next) => {
      const exp = socket.data.sessionExpiresAt;
      if (exp !== null && exp <= Date.now()) {
        socket.emit('session:revoked', { reason: 'expired' });
        socket.disconnect(true);
        return;
      }
      next();
    });

    socket.on('room:join', (payload, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = RoomPayload.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, error: { code: 'validation', message: 'invalid room' } });
      const { room } = parsed.data;
      if (!mayJoin(socket.data, room)) {
        const code = socket.data.userId ? 'forbidden' : 'unauthenticated';
        return ack({ ok: false, error: { code, message: `not allowed to join ${room}` } });
      }
      void socket.join(room);
      ack({ ok: true, data: { room } });
    });

    socket.on('room:leave', (payload, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = RoomPayload.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, error: { code: 'validation', message: 'invalid room' } });
      void socket.leave(parsed.data.room);
      ack({ ok: true, data: { room: parsed.data.room } });
    });

    socket.on('time:sync', (_payload, ack) => {
      if (typeof ack === 'function') ack({ ok: true, data: { serverTime: Date.now() } });
    });

    auctions.onConnection(socket);
    practice.onConnection(socket);
  });

  // A revoked session loses its sockets on every process (the adapter fans this out).
  const unsubscribe = [
    services.events.on('session.revoked', ({ sessionIds }) => {
      for (const id of sessionIds) {
        io.to(sessionRoom(id)).emit('session:revoked', { reason: 'revoked' });
        io.in(sessionRoom(id)).disconnectSockets(true);
      }
    }),
    // The page's cue to reload; the log entry of the change follows in `auction:events` (auction-room.ts).
    services.events.on('listing.status', ({ listingId, to }) => {
      io.to(auctionRoom(listingId)).emit('listing:status', { listingId, status: to, at: Date.now() });
    }),
  ];

  return {
    io,
    async close() {
      for (const u of unsubscribe) u();
      auctions.close();
      practice.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await redis?.quit().catch(() => {});
    },
  };
}
