/**
 * Live auctions over Socket.IO: watching (room `auction:<id>` + snapshot), resuming after a
 * sequence number, bids and proxies with acknowledgements, the relay of the auction's log to
 * its room, and the watcher count. The contract is events.ts; the guide is docs/realtime.md.
 *
 * Every way in reaches the same services: a bid over the socket is `services.bidding.placeBid`,
 * exactly as from a form. Commit, then broadcast: only what the database holds is relayed, each
 * log entry once, in `auction:events` batches in sequence order; a client that sees a gap asks
 * `auction:resume`.
 */
import { z } from 'zod';
import type { Arrival, LoggedEvent } from '../auctions/bidding.js';
import { type ErrorCode, isDomainError, unauthenticated } from '../errors.js';
import { parseCookies, SESSION_COOKIE } from '../http/cookies.js';
import type { Actor } from '../identity/permissions.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import { fieldErrorsOf, isUuid } from '../validation.js';
import type { Ack, AckError, AuctionEventDto } from './events.js';
import type { IoServer, IoSocket } from './io.js';
import { createPublisher } from './publisher.js';
import { auctionRoom } from './rooms.js';
import { createViewerCounter } from './viewers.js';

// ---- Payloads. Formats of amounts and keys are the engine's to check (one rule, one place);
// here: the shape, the listing id, and bounds against oversized input.
const ListingId = z.uuid({ error: 'validation.listingId' });
const Fen = z.string({ error: 'validation.amount' }).max(32, 'validation.amount');

export const WatchPayload = z.object({ listingId: ListingId });
export const ResumePayload = z.object({
  listingId: ListingId,
  afterSeq: z.int({ error: 'validation.seq' }).min(0, 'validation.seq'),
});
export const BidPayload = z.object({
  listingId: ListingId,
  amountFen: Fen,
  clientKey: z.string({ error: 'validation.clientKey' }).max(128, 'validation.clientKey'),
});
export const ProxyPayload = z.object({ listingId: ListingId, maxFen: Fen });

/**
 * Bids and proxy changes one socket may send: a burst of BID_BURST, then BID_RATE a second. A
 * person clicks a few times a second at most; this stops a runaway or hostile client from
 * filling an auction's rounds for everyone else.
 */
const BID_RATE = 20;
const BID_BURST = 40;

/** About how long a socket's session check holds before its next bid checks it again. */
const RECHECK_MS = 5_000;

/** A log entry as it goes on the wire (times in ms since the epoch). */
export const toEventDto = (e: LoggedEvent): AuctionEventDto => ({
  listingId: e.listingId,
  seq: e.seq,
  type: e.type as AuctionEventDto['type'],
  at: e.at.getTime(),
  payload: e.payload,
});

const invalid = (error: z.ZodError): AckError => ({
  code: 'validation',
  message: 'errors.validation',
  fieldErrors: fieldErrorsOf(error),
});

const failure = (code: ErrorCode, message: string): { ok: false; error: AckError } => ({
  ok: false,
  error: { code, message },
});

/** How far back from the head a status change's log entry is looked for (bids may follow it at once). */
const STATUS_WINDOW = 50;

export interface AuctionRoomsOptions {
  io: IoServer;
  services: Services;
  logger: Logger;
  /** True when a cluster adapter (Redis Streams) joins this process to others. */
  clustered: boolean;
  /** At most one `auction:viewers` per room and process in this interval (ms). */
  viewersIntervalMs?: number;
  /** At most one `auction:events` per room and process in this interval (ms). */
  publishIntervalMs?: number;
}

/**
 * Registers the auction handlers on each connection and relays the EventBus to the rooms.
 * Call once, after the adapter is set (the viewer count listens to the adapter).
 */
export function createAuctionRooms(opts: AuctionRoomsOptions) {
  const { io, services, logger } = opts;
  const viewers = createViewerCounter(opts);

  /** Maps any failure to an acknowledgement: DomainErrors by their code, anything else logged as internal. */
  function errorOf(err: unknown, event: string): AckError {
    if (isDomainError(err)) {
      const { fieldErrors } = err.details;
      return fieldErrors
        ? { code: err.code, message: err.messageKey, fieldErrors }
        : { code: err.code, message: err.messageKey };
    }
    logger.error({ err, event }, 'socket handler failed');
    return { code: 'internal', message: 'errors.internal' };
  }

  async function respond<T>(ack: Ack<T>, event: string, work: () => Promise<T>) {
    let data: T;
    try {
      data = await work();
    } catch (err) {
      ack({ ok: false, error: errorOf(err, event) });
      return;
    }
    ack({ ok: true, data });
  }

  /**
   * The actor behind a signed-in socket. The handshake resolved it; it is resolved again from
   * the session cookie once its check is older than about RECHECK_MS (jittered, so sockets that
   * connected together do not all re-check together). A revocation disconnects at once through
   * 'session.revoked'; the re-check bounds the damage of a broadcast that was lost: such a
   * session cannot bid once its check is stale, and its socket is cut right after the refusal.
   * A bid waits for the database only when its socket's check is due, not for every bid.
   */
  const checked = new WeakMap<IoSocket, { actor: Actor; until: number }>();
  const checking = new WeakMap<IoSocket, Promise<Actor>>();
  const remember = (socket: IoSocket, actor: Actor) =>
    checked.set(socket, { actor, until: Date.now() + RECHECK_MS * (0.75 + Math.random() / 2) });

  async function recheck(socket: IoSocket): Promise<Actor> {
    const token = parseCookies(socket.handshake.headers.cookie)[SESSION_COOKIE];
    const auth = await services.identity.resolveSession(token);
    if (!auth || auth.actor.sessionId !== socket.data.sessionId) {
      const expired = (socket.data.sessionExpiresAt ?? Number.POSITIVE_INFINITY) <= Date.now();
      setImmediate(() => {
        socket.emit('session:revoked', { reason: expired ? 'expired' : 'revoked' });
        socket.disconnect(true);
      });
      throw unauthenticated();
    }
    socket.data.sessionExpiresAt = auth.session.expiresAt.getTime();
    remember(socket, auth.actor);
    return auth.actor;
  }

  function actorOf(socket: IoSocket): Promise<Actor> {
    if (!socket.data.sessionId) return Promise.reject(unauthenticated());
    const known = checked.get(socket);
    if (known && known.until > Date.now()) return Promise.resolve(known.actor);
    // One check at a time per socket: bids sent meanwhile wait for the same answer.
    let pending = checking.get(socket);
    if (!pending) {
      pending = recheck(socket).finally(() => checking.delete(socket));
      checking.set(socket, pending);
    }
    return pending;
  }

  const buckets = new WeakMap<IoSocket, { tokens: number; at: number }>();
  /** Takes one token from the socket's bucket (refilled at BID_RATE a second); false when empty. */
  function mayPlace(socket: IoSocket): boolean {
    const now = Date.now();
    const b = buckets.get(socket) ?? { tokens: BID_BURST, at: now };
    b.tokens = Math.min(BID_BURST, b.tokens + ((now - b.at) / 1000) * BID_RATE);
    b.at = now;
    buckets.set(socket, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  type Snapshot = Awaited<ReturnType<Services['bidding']['snapshot']>>;
  /** Per auction: the read under way, and the one that sockets joined since its start wait for. */
  const reads = new Map<string, { running: Promise<Snapshot> | null; next: Promise<Snapshot> | null }>();

  /**
   * The snapshot for a socket that has just joined the auction's room: one read per auction at
   * a time, shared. A read is shared only by sockets that joined before it started (those
   * that join while it runs wait for the next one), so an entry committed after a socket's
   * join is in its snapshot or reaches it in the room, never neither. A crowd arriving at a
   * hot auction then costs a read per database round trip instead of one per watcher
   * (bench:bidding at 10,000 watchers, ADR 031).
   */
  function snapshotAfterJoin(listingId: string): Promise<Snapshot> {
    let r = reads.get(listingId);
    if (!r) {
      r = { running: null, next: null };
      reads.set(listingId, r);
    }
    if (r.next) return r.next;
    const state = r;
    const next: Promise<Snapshot> = (state.running ?? Promise.resolve())
      .catch(() => {})
      .then(() => {
        state.running = next;
        state.next = null;
        return services.bidding.snapshot(listingId);
      })
      .finally(() => {
        if (state.running !== next) return;
        state.running = null;
        if (!state.next) reads.delete(listingId);
      });
    state.next = next;
    return next;
  }

  function onConnection(socket: IoSocket) {
    socket.on('auction:watch', (payload, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = WatchPayload.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, error: invalid(parsed.error) });
      const { listingId } = parsed.data;
      const room = auctionRoom(listingId);
      void respond(ack, 'auction:watch', async () => {
        // Join first, then read: an entry committed in between reaches the room, so nothing
        // falls between the snapshot and the live events (the client drops seq <= snapshot.seq).
        await socket.join(room);
        try {
          const snapshot = await snapshotAfterJoin(listingId);
          return { ...snapshot, viewers: viewers.known(room) };
        } catch (err) {
          await socket.leave(room);
          throw err;
        }
      });
    });

    socket.on('auction:unwatch', (payload, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = WatchPayload.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, error: invalid(parsed.error) });
      const { listingId } = parsed.data;
      void respond(ack, 'auction:unwatch', async () => {
        await socket.leave(auctionRoom(listingId));
        return { listingId };
      });
    });

    socket.on('auction:resume', (payload, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = ResumePayload.safeParse(payload);
      if (!parsed.success) return ack({ ok: false, error: invalid(parsed.error) });
      const { listingId, afterSeq } = parsed.data;
      void respond(ack, 'auction:resume', async () => ({
        events: (await services.bidding.eventsAfter(listingId, afterSeq)).map(toEventDto),
      }));
    });

    // Art. 20: a bid is timed when its packet reaches the server, before anything else is done with it.
    socket.on('bid:place', (payload, ack) => {
      const arrival = arrivalOf(payload);
      asBidder(
        socket,
        'bid:place',
        BidPayload,
        payload,
        ack,
        arrival,
        (actor, { listingId, amountFen, clientKey }) =>
          services.bidding.placeBid(actor, listingId, { amountFen, clientKey }, arrival),
      );
    });
    socket.on('proxy:set', (payload, ack) => {
      const arrival = arrivalOf(payload);
      asBidder(socket, 'proxy:set', ProxyPayload, payload, ack, arrival, (actor, { listingId, maxFen }) =>
        services.bidding.setProxy(actor, listingId, { maxFen }, arrival),
      );
    });
    socket.on('proxy:cancel', (payload, ack) =>
      asBidder(socket, 'proxy:cancel', WatchPayload, payload, ack, undefined, (actor, { listingId }) =>
        services.bidding.cancelProxy(actor, listingId),
      ),
    );
  }

  /** A bid's (or proxy order's) arrival, stamped and registered (auctions/intake.ts); none for a payload naming no auction. */
  function arrivalOf(payload: unknown): Arrival | undefined {
    const listingId = (payload as { listingId?: unknown } | null)?.listingId;
    return typeof listingId === 'string' && isUuid(listingId)
      ? services.bidding.arrive(listingId)
      : undefined;
  }

  /**
   * A bidder's request (a bid, a proxy change): signed in, within the socket's rate, a valid
   * payload, in that order; each refusal is acknowledged and changes nothing. Then `work` with
   * the socket's (re-checked) actor. The request's arrival is settled however it ends.
   */
  function asBidder<S extends z.ZodType, T>(
    socket: IoSocket,
    event: string,
    schema: S,
    payload: unknown,
    ack: Ack<T> | undefined,
    arrival: Arrival | undefined,
    work: (actor: Actor, input: z.infer<S>) => Promise<T>,
  ) {
    const refuse = (answer: Parameters<Ack<T>>[0]) => {
      arrival?.settle();
      if (typeof ack === 'function') ack(answer);
    };
    if (typeof ack !== 'function') return refuse(failure('validation', 'errors.validation'));
    if (!socket.data.sessionId) return refuse(failure('unauthenticated', 'errors.unauthenticated'));
    if (!mayPlace(socket)) return refuse(failure('rate_limited', 'errors.tooFast'));
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return refuse({ ok: false, error: invalid(parsed.error) });
    void respond(ack, event, async () => work(await actorOf(socket), parsed.data)).finally(() =>
      arrival?.settle(),
    );
  }

  // ---- Relays: the EventBus speaks after the commit; each entry goes to the room once, in order.
  let closed = false;
  const publisher = createPublisher(io, opts.publishIntervalMs ?? 50);

  /**
   * Entries committed by this process: to its own watchers, and to the other processes (one
   * message through the adapter), each of which publishes them to its own watchers.
   */
  function relayEvents(listingId: string, events: readonly LoggedEvent[]) {
    if (closed) return;
    const dtos = events.map(toEventDto);
    publisher.publish(listingId, dtos);
    if (opts.clustered) io.serverSideEmit('auction:events', listingId, dtos);
  }
  const relayRemote = (listingId: string, dtos: AuctionEventDto[]) => {
    if (!closed && typeof listingId === 'string' && Array.isArray(dtos)) publisher.publish(listingId, dtos);
  };
  io.on('auction:events', relayRemote);

  /**
   * Bids still on their way in other processes (ADR 008, "Arrival time"): a close in any
   * process asks every other one, which answers once its bids that arrived before the cutoff
   * are decided (`bids:settled`), or at once which auctions have such bids (`bids:unsettled`).
   * Without Redis there is one process, and its own intake is all there is.
   */
  const answerSettled = (listingIds: unknown, cutoffMs: unknown, reply: unknown) => {
    if (typeof reply !== 'function') return;
    const ids = Array.isArray(listingIds)
      ? listingIds.filter((id): id is string => typeof id === 'string')
      : [];
    const cutoff = typeof cutoffMs === 'number' ? new Date(cutoffMs) : new Date(0);
    void services.bidding.settledHere(ids, cutoff).then(() => reply(true));
  };
  const answerUnsettled = (ends: unknown, reply: unknown) => {
    if (typeof reply !== 'function') return;
    const asked = (Array.isArray(ends) ? ends : []).flatMap((e: unknown) =>
      Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'number'
        ? [{ listingId: e[0], cutoff: new Date(e[1]) }]
        : [],
    );
    reply(services.bidding.unsettledHere(asked));
  };
  if (opts.clustered) {
    io.on('bids:settled', answerSettled);
    io.on('bids:unsettled', answerUnsettled);
    services.bidding.connectPeers({
      settled: (listingIds, cutoff) =>
        new Promise<void>((resolve) => {
          io.serverSideEmit('bids:settled', [...listingIds], cutoff.getTime(), () => resolve());
        }),
      unsettled: (ends) =>
        new Promise((resolve) => {
          const asked = ends.map((e): [string, number] => [e.listingId, e.cutoff.getTime()]);
          io.serverSideEmit('bids:unsettled', asked, (err: Error | null, answers: unknown[]) => {
            // A process that did not answer may hold such bids: unknown, so the caller waits.
            if (err) return resolve(null);
            resolve(
              answers.flatMap((a) => (Array.isArray(a) ? a.filter((id) => typeof id === 'string') : [])),
            );
          });
        }),
    });
  }

  /**
   * A status change's log entry (the listing service writes it in the transition's
   * transaction) relayed with its seq: read the head, look back a little for the entry of this
   * very transition. Not found (a status without a public entry, or pushed out of the window by
   * a burst of bids): watchers still get `listing:status` and see the gap at the next event.
   */
  async function relayStatus(change: { listingId: string; from: string; to: string; event?: LoggedEvent }) {
    const { listingId, from, to } = change;
    if (change.event) {
      // The listing service hands over the entry it wrote: no query (a thousand auctions may end at once).
      relayEvents(listingId, [change.event]);
      return;
    }
    try {
      const { seq } = await services.bidding.snapshot(listingId);
      const recent = await services.bidding.eventsAfter(listingId, Math.max(0, seq - STATUS_WINDOW));
      for (let i = recent.length - 1; i >= 0; i--) {
        const e = recent[i]!;
        if (e.type === 'status' && e.payload.from === from && e.payload.to === to) {
          relayEvents(listingId, [e]);
          return;
        }
      }
    } catch (err) {
      if (isDomainError(err) && err.code === 'not_found') return; // not public (draft, pending approval)
      logger.error({ err, listingId }, 'status relay failed');
    }
  }

  const unsubscribe = [
    services.events.on('auction.events', ({ listingId, events }) => relayEvents(listingId, events)),
    services.events.on('listing.status', (change) => void relayStatus(change)),
  ];

  return {
    /** The handshake's session check, so the first bids need none. */
    remember,
    /** The socket's actor, re-checked when its check is stale: the practice room asks the same way. */
    actorOf,
    /** The socket's bid rate, shared with the practice room's bids. */
    mayPlace,
    onConnection,
    close() {
      closed = true;
      io.off('auction:events', relayRemote);
      io.off('bids:settled', answerSettled);
      io.off('bids:unsettled', answerUnsettled);
      services.bidding.connectPeers(null);
      publisher.close();
      for (const u of unsubscribe) u();
      viewers.close();
    },
  };
}
