import { useCallback, useEffect, useRef, useState } from 'react';
import type { Ack, AuctionEventDto, BidAnswerDto } from '../../../server/realtime/events';
import { openSocket, type PageSocket } from '../../utils/socket';
import { applyEvents, type LiveState, mergeBids, stateOfSnapshot } from '../live/live-state';
import { useCoalescedRevalidate } from '../live/use-coalesced-revalidate';

export type Connection = 'connecting' | 'connected' | 'offline';

export type IoSocket = PageSocket;
/** The socket for one request: its acknowledgement times out after ACK_MS (an error first). */
export type TimedSocket = ReturnType<IoSocket['timeout']>;
export type AckResponse<T> = Parameters<Ack<T>>[0];

const RESYNC_MS = 30_000;
const ACK_MS = 5_000;
/** How long a bid is retried (same client key) before the page says its fate is unknown. */
const BID_RETRY_MS = 30_000;
/** Clock samples kept: the one with the shortest round trip is the most exact. */
const SAMPLES = 5;

/**
 * The socket of an auction page starts to open as soon as the page's scripts run, before the
 * page hydrates, and the hook's effect takes it: the effect runs only once the whole page has
 * hydrated, a second or more on a slow phone, and the connection's round trip overlaps that
 * instead of following it (ADR 034). This module is the auction page's alone, so its evaluation
 * in the browser means an auction page is opening (the first load, or a navigation to one);
 * the hook's first render keeps the socket for an auction that can still change and closes it
 * for one that cannot, and one no hook took (the visitor went elsewhere first) is closed.
 */
let early: { listingId: string; socket: IoSocket } | null = null;
const EARLY_UNTAKEN_MS = 15_000;
const AUCTION_PAGE = /^\/auctions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

function openEarly(listingId: string) {
  if (early?.listingId === listingId) return;
  early?.socket.disconnect();
  const socket = openSocket();
  early = { listingId, socket };
  setTimeout(() => {
    if (early?.socket === socket) dropEarly();
  }, EARLY_UNTAKEN_MS);
}

function dropEarly() {
  early?.socket.disconnect();
  early = null;
}

function takeSocket(listingId: string): IoSocket {
  const socket = early?.listingId === listingId ? early.socket : openSocket();
  if (early?.socket === socket) early = null;
  return socket;
}

if (typeof document !== 'undefined') {
  const listingId = AUCTION_PAGE.exec(window.location.pathname)?.[1];
  if (listingId) openEarly(listingId);
}

/** What became of a request sent over the socket. */
export type SocketResult<T> =
  | { kind: 'ok'; data: T }
  /** Refused: `message` is an i18n key (`bidding.*`, `errors.*`), `fieldErrors` per payload field. */
  | { kind: 'error'; code: string; message: string; fieldErrors?: Record<string, string[]> }
  /** Never acknowledged within the retry window: it may or may not have reached the server. */
  | { kind: 'unknown' }
  /** No socket (before hydration, or a closed auction): the caller posts the form instead. */
  | { kind: 'offline' };

/**
 * Watches one auction live (docs/realtime.md). On every connection it sends `auction:watch`
 * (joins the room, answers with a snapshot) and, when it already holds a state, asks
 * `auction:resume` for what happened since its last sequence number; `auction:event`s are
 * applied in sequence order and a gap triggers a resume. A status change reloads the page's
 * data (the server's data is the truth). The offset of this browser's clock to the server's is
 * measured with `time:sync` (half the round trip, best of the last few samples) and re-measured
 * every 30 s; until then the loader's reading of the server clock is the estimate.
 *
 * `serverTime` is the loader's reading of the server clock. Before hydration the offset is null:
 * the page then shows fixed times only. A listing that can no longer change (ended, withdrawn)
 * is not watched (`enabled` false). `initial` is the loader's snapshot; a newer one from a
 * reload replaces the live state, an older one does not.
 */
export function useAuctionSocket(
  listingId: string,
  serverTime: number,
  enabled = true,
  initial: LiveState | null = null,
) {
  const revalidate = useCoalescedRevalidate();
  const [connection, setConnection] = useState<Connection | null>(null);
  const [offset, setOffset] = useState<number | null>(null);
  const measured = useRef(false);
  const [live, setLive] = useState<LiveState | null>(initial);
  const liveRef = useRef<LiveState | null>(initial);
  const pendingRef = useRef<AuctionEventDto[]>([]);
  const socketRef = useRef<IoSocket | null>(null);
  // In the browser, during hydration: keep the early socket for a live auction, close it for
  // one that can no longer change (above, `early`).
  const started = useRef(false);
  if (!started.current && typeof document !== 'undefined') {
    started.current = true;
    if (enabled) openEarly(listingId);
    else if (early?.listingId === listingId) dropEarly();
  }

  const commit = useCallback((next: LiveState) => {
    liveRef.current = next;
    setLive(next);
  }, []);

  useEffect(() => {
    if (!measured.current) setOffset(serverTime - Date.now());
  }, [serverTime]);

  // A reload of the page's data (after a status change, a form post) brings a fresh snapshot.
  useEffect(() => {
    const cur = liveRef.current;
    if (!initial || cur === initial) return;
    if (!cur || cur.listingId !== initial.listingId || initial.seq > cur.seq) {
      commit({
        ...initial,
        viewers: cur?.viewers ?? initial.viewers,
        lastExtension: cur?.lastExtension ?? null,
      });
    } else if (initial.seq === cur.seq) {
      commit({ ...cur, registered: initial.registered, bids: mergeBids(cur.bids, initial.bids) });
    }
  }, [initial, commit]);

  useEffect(() => {
    if (!enabled) {
      setConnection(null);
      return;
    }
    const socket = takeSocket(listingId);
    socketRef.current = socket;
    setConnection('connecting');
    let resuming = false;
    let again = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;

    const sync = clockSync(socket, (offset) => {
      measured.current = true;
      setOffset(offset);
    });

    /** Applies events in order; true when a sequence number is still missing. */
    const apply = (events: readonly AuctionEventDto[]) => {
      const cur = liveRef.current;
      if (!cur) {
        pendingRef.current.push(...events);
        return false;
      }
      const r = applyEvents(cur, events, pendingRef.current);
      pendingRef.current = r.pending;
      if (r.state !== cur) commit(r.state);
      if (r.statusChanged) revalidate();
      return r.gap;
    };

    const resume = () => {
      const cur = liveRef.current;
      if (!cur || !socket.connected) return;
      if (resuming) {
        again = true;
        return;
      }
      resuming = true;
      socket.timeout(ACK_MS).emit('auction:resume', { listingId, afterSeq: cur.seq }, (err, res) => {
        resuming = false;
        if (err || !res.ok) {
          clearTimeout(retryTimer);
          retryTimer = setTimeout(resume, 1_000);
          return;
        }
        const gap = apply(res.data.events);
        // At most 1000 per answer: repeat until fewer. A gap left over means events in flight.
        if (res.data.events.length >= 1000 || again) {
          again = false;
          resume();
        } else if (gap) {
          clearTimeout(retryTimer);
          retryTimer = setTimeout(resume, 1_000);
        }
      });
    };

    const watch = () => {
      socket.timeout(ACK_MS).emit('auction:watch', { listingId }, (err, res) => {
        if (err) {
          // Not answered (a server without live bidding, or overloaded): status updates only.
          socket.timeout(ACK_MS).emit('room:join', { room: `auction:${listingId}` }, (e, r) => {
            setConnection(e || !r.ok ? 'offline' : 'connected');
          });
          return;
        }
        if (!res.ok) {
          setConnection('offline');
          return;
        }
        setConnection('connected');
        const snap = res.data;
        const cur = liveRef.current;
        if (!cur) {
          commit(stateOfSnapshot(snap));
          apply([]);
        } else {
          commit({ ...cur, registered: snap.registered, viewers: snap.viewers });
          // Whatever happened while we were away comes from the log, in order.
          if (snap.seq > cur.seq) resume();
          if (snap.status !== cur.status && snap.seq <= cur.seq) revalidate();
        }
      });
    };

    const onConnect = () => {
      watch();
      sync();
    };
    socket.on('connect', onConnect);
    socket.on('disconnect', () => setConnection('offline'));
    socket.on('connect_error', () => setConnection('offline'));
    socket.on('listing:status', (event) => {
      if (event.listingId === listingId) revalidate();
    });
    socket.on('auction:events', (events) => {
      if (events[0]?.listingId !== listingId) return;
      if (apply(events)) resume();
    });
    socket.on('auction:viewers', (event) => {
      const cur = liveRef.current;
      if (event.listingId === listingId && cur) commit({ ...cur, viewers: event.viewers });
    });
    socket.on('session:revoked', () => revalidate());
    // The early socket may have connected before its listeners were here.
    if (socket.connected) onConnect();
    const timer = setInterval(sync, RESYNC_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(retryTimer);
      socketRef.current = null;
      socket.disconnect();
    };
  }, [listingId, enabled, commit, revalidate]);

  const request = useCallback(
    <T>(send: (socket: TimedSocket, ack: (err: Error | null, res: AckResponse<T>) => void) => void) =>
      requestWithRetry(() => socketRef.current, send),
    [],
  );

  /** Places a bid over the socket; `clientKey` is fresh per bid and reused for its retries. */
  const placeBid = useCallback(
    (amountFen: string, clientKey: string) =>
      request<BidAnswerDto>((socket, ack) =>
        socket.emit('bid:place', { listingId, amountFen, clientKey }, ack),
      ),
    [listingId, request],
  );

  /** Sets the proxy maximum over the socket (setting the same maximum twice is harmless). */
  const setProxy = useCallback(
    (maxFen: string) =>
      request<{ maxFen: string; bidsPlaced: number }>((socket, ack) =>
        socket.emit('proxy:set', { listingId, maxFen }, ack),
      ),
    [listingId, request],
  );

  /** Cancels the proxy over the socket (cancelling twice is harmless). */
  const cancelProxy = useCallback(
    () => request<{ cancelled: true }>((socket, ack) => socket.emit('proxy:cancel', { listingId }, ack)),
    [listingId, request],
  );

  return { connection, offset, live, placeBid, setProxy, cancelProxy };
}

/**
 * Measures the offset of this browser's clock to the server's with `time:sync` (half the round
 * trip; the best of the last few samples). Returns the function that takes one sample.
 */
export function clockSync(socket: IoSocket, onOffset: (offset: number) => void) {
  const samples: Array<{ rtt: number; offset: number }> = [];
  return () => {
    if (!socket.connected) return;
    const sent = Date.now();
    socket.timeout(ACK_MS).emit('time:sync', {}, (err, res) => {
      if (err || !res.ok) return;
      const received = Date.now();
      // The server read its clock about half a round trip before the answer arrived.
      samples.push({
        rtt: received - sent,
        offset: res.data.serverTime + (received - sent) / 2 - received,
      });
      if (samples.length > SAMPLES) samples.shift();
      const best = samples.reduce((a, b) => (b.rtt < a.rtt ? b : a));
      onOffset(best.offset);
    });
  };
}

/**
 * Sends a request and retries it unchanged while it is not acknowledged (a timeout, a dropped
 * connection), for up to `BID_RETRY_MS`. Only safe for idempotent requests: a bid carries its
 * client key, so a retry that reaches the server twice gets the first answer.
 */
export async function requestWithRetry<T>(
  current: () => IoSocket | null,
  send: (socket: TimedSocket, ack: (err: Error | null, res: AckResponse<T>) => void) => void,
): Promise<SocketResult<T>> {
  const deadline = Date.now() + BID_RETRY_MS;
  while (Date.now() < deadline) {
    const socket = current();
    if (!socket) return { kind: 'offline' };
    if (!socket.connected) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        socket.once('connect', () => {
          clearTimeout(t);
          resolve();
        });
      });
      continue;
    }
    // A timeout is null: not acknowledged, so sent again.
    const result = await new Promise<SocketResult<T> | null>((resolve) =>
      send(socket.timeout(ACK_MS), (err, res) =>
        resolve(err ? null : res.ok ? { kind: 'ok', data: res.data } : { kind: 'error', ...res.error }),
      ),
    );
    if (result) return result;
  }
  return { kind: 'unknown' };
}
