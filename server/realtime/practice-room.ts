/**
 * The practice auction over Socket.IO (模拟拍卖, ADR 033): a session's owner watches it (room
 * `practice:<sessionId>`, joined only through `practice:watch` after the service found the
 * session his), resumes after a sequence number, bids and sets or cancels a proxy. Every
 * request is the service's (`services.practice`), which checks who is asking: anyone else's
 * session, or none, is `not_found`; a socket without a session is `unauthenticated`. Commit,
 * then broadcast: the session's new entries reach its room after their commit
 * (`practice.events` on the event bus), through the Redis adapter when clustered.
 */
import { z } from 'zod';
import { isDomainError } from '../errors.js';
import type { Actor } from '../identity/permissions.js';
import type { Logger } from '../logger.js';
import { eventView } from '../practice/service.js';
import type { Services } from '../services.js';
import { fieldErrorsOf } from '../validation.js';
import type { Ack, AckError } from './events.js';
import type { IoServer, IoSocket } from './io.js';

const SessionId = z.uuid({ error: 'validation.sessionId' });
const Fen = z.string({ error: 'validation.amount' }).max(32, 'validation.amount');
const WatchPayload = z.object({ sessionId: SessionId });
const ResumePayload = z.object({
  sessionId: SessionId,
  afterSeq: z.int({ error: 'validation.seq' }).min(0, 'validation.seq'),
});
const BidPayload = z.object({
  sessionId: SessionId,
  amountFen: Fen,
  clientKey: z.string({ error: 'validation.clientKey' }).max(128, 'validation.clientKey'),
});
const ProxyPayload = z.object({ sessionId: SessionId, maxFen: Fen });

/** The room of one practice session: its owner's sockets only. */
export const practiceRoom = (sessionId: string) => `practice:${sessionId}`;

export interface PracticeRoomsOptions {
  io: IoServer;
  services: Services;
  logger: Logger;
  /** The socket's actor, re-checked like a bidder's (auction-room.ts). */
  actorOf: (socket: IoSocket) => Promise<Actor>;
  /** The socket's request rate, shared with its real bids. */
  mayPlace: (socket: IoSocket) => boolean;
}

export function createPracticeRooms(opts: PracticeRoomsOptions) {
  const { io, services, logger } = opts;

  function errorOf(err: unknown, event: string): AckError {
    if (isDomainError(err)) {
      const { fieldErrors } = err.details;
      return fieldErrors
        ? { code: err.code, message: err.messageKey, fieldErrors }
        : { code: err.code, message: err.messageKey };
    }
    logger.error({ err, event }, 'practice socket handler failed');
    return { code: 'internal', message: 'errors.internal' };
  }

  /**
   * One request, in the contract's order: an acknowledgement to answer, a signed-in socket,
   * within its rate (bids and proxies), a valid payload; then the service with the socket's
   * actor, and its answer or its error acknowledged.
   */
  function handle<S extends z.ZodType, T>(
    socket: IoSocket,
    event: string,
    schema: S,
    payload: unknown,
    ack: Ack<T> | undefined,
    opt: { limited: boolean },
    work: (actor: Actor, input: z.infer<S>) => Promise<T>,
  ) {
    if (typeof ack !== 'function') return;
    if (!socket.data.sessionId)
      return ack({ ok: false, error: { code: 'unauthenticated', message: 'errors.unauthenticated' } });
    if (opt.limited && !opts.mayPlace(socket))
      return ack({ ok: false, error: { code: 'rate_limited', message: 'errors.tooFast' } });
    const parsed = schema.safeParse(payload);
    if (!parsed.success)
      return ack({
        ok: false,
        error: { code: 'validation', message: 'errors.validation', fieldErrors: fieldErrorsOf(parsed.error) },
      });
    void (async () => {
      try {
        ack({ ok: true, data: await work(await opts.actorOf(socket), parsed.data) });
      } catch (err) {
        ack({ ok: false, error: errorOf(err, event) });
      }
    })();
  }

  function onConnection(socket: IoSocket) {
    socket.on('practice:watch', (payload, ack) =>
      handle(socket, 'practice:watch', WatchPayload, payload, ack, { limited: false }, async (actor, p) => {
        // Only the owner is answered (not_found otherwise), so he is found first, then joins,
        // then reads: an entry committed after the join reaches the room, one before it is in
        // the snapshot, never neither (the page drops seq <= snapshot.seq).
        await services.practice.session(actor, p.sessionId);
        await socket.join(practiceRoom(p.sessionId));
        return services.practice.session(actor, p.sessionId);
      }),
    );
    socket.on('practice:resume', (payload, ack) =>
      handle(
        socket,
        'practice:resume',
        ResumePayload,
        payload,
        ack,
        { limited: false },
        async (actor, p) => ({
          events: (await services.practice.eventsAfter(actor, p.sessionId, p.afterSeq)).map((e) =>
            eventView(p.sessionId, e),
          ),
        }),
      ),
    );
    // Art. 20 as in a real auction: the bid's time is its packet's arrival, stamped first.
    socket.on('practice:bid', (payload, ack) => {
      const receivedAt = services.practice.arrive();
      handle(socket, 'practice:bid', BidPayload, payload, ack, { limited: true }, (actor, p) =>
        services.practice.placeBid(
          actor,
          p.sessionId,
          { amountFen: p.amountFen, clientKey: p.clientKey },
          receivedAt,
        ),
      );
    });
    socket.on('practice:proxySet', (payload, ack) => {
      const receivedAt = services.practice.arrive();
      handle(socket, 'practice:proxySet', ProxyPayload, payload, ack, { limited: true }, (actor, p) =>
        services.practice.setProxy(actor, p.sessionId, { maxFen: p.maxFen }, receivedAt),
      );
    });
    socket.on('practice:proxyCancel', (payload, ack) =>
      handle(socket, 'practice:proxyCancel', WatchPayload, payload, ack, { limited: true }, (actor, p) =>
        services.practice.cancelProxy(actor, p.sessionId),
      ),
    );
  }

  // Commit, then broadcast: to the session's room (its owner's sockets on every process).
  const unsubscribe = services.events.on('practice.events', ({ sessionId, events }) => {
    io.to(practiceRoom(sessionId)).emit(
      'practice:events',
      events.map((e) => eventView(sessionId, e)),
    );
  });

  return {
    onConnection,
    close() {
      unsubscribe();
    },
  };
}
