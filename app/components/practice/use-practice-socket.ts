import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  AuctionEventDto,
  BidAnswerDto,
  PracticeEventDto,
  PracticeSnapshot,
} from '../../../server/realtime/events';
import { openSocket } from '../../utils/socket';
import { applyEvents, type LiveState, stateOfSnapshot } from '../live/live-state';
import { useCoalescedRevalidate } from '../live/use-coalesced-revalidate';
import {
  type Connection,
  clockSync,
  type IoSocket,
  requestWithRetry,
  type SocketResult,
} from '../public/use-auction-socket';

const RESYNC_MS = 30_000;
const ACK_MS = 5_000;

/**
 * A practice session as the live page's state (live-state.ts), so the live page's components
 * render it unchanged: the session's id stands for the listing's, its bidders for the
 * registrations. Every entry of it is practice (ADR 033).
 */
export function practiceLiveState(s: PracticeSnapshot, previous?: LiveState | null): LiveState {
  return stateOfSnapshot(
    {
      listingId: s.sessionId,
      status: s.status,
      outcome: s.outcome,
      priceFen: s.priceFen,
      leaderCode: s.leaderCode,
      startingPriceFen: s.startingPriceFen,
      incrementFen: s.incrementFen,
      startsAt: s.startsAt,
      currentEndAt: s.currentEndAt,
      extensionCount: s.extensionCount,
      bidCount: s.bidCount,
      seq: s.seq,
      registered: s.bidders,
      recentBids: s.recentBids,
    },
    previous,
  );
}

const asAuctionEvents = (events: readonly PracticeEventDto[]): AuctionEventDto[] =>
  events.map(({ sessionId, ...e }) => ({ ...e, listingId: sessionId }));

/**
 * Watches one's own practice session live, as useAuctionSocket watches an auction: on every
 * connection `practice:watch` (joins its room, answers with the session caught up to now), its
 * `practice:events` applied in sequence order, `practice:resume` after a gap, the clock's offset
 * measured with `time:sync`. The end reloads the page's data (its result and explanation).
 */
export function usePracticeSocket(
  sessionId: string,
  serverTime: number,
  enabled: boolean,
  initial: LiveState,
) {
  const revalidate = useCoalescedRevalidate();
  const [connection, setConnection] = useState<Connection | null>(null);
  const [offset, setOffset] = useState<number | null>(null);
  const measured = useRef(false);
  const [live, setLive] = useState<LiveState>(initial);
  const liveRef = useRef<LiveState>(initial);
  const pendingRef = useRef<AuctionEventDto[]>([]);
  const socketRef = useRef<IoSocket | null>(null);

  const commit = useCallback((next: LiveState) => {
    liveRef.current = next;
    setLive(next);
  }, []);

  useEffect(() => {
    if (!measured.current) setOffset(serverTime - Date.now());
  }, [serverTime]);

  // A reload of the page's data (after the end, a form post) brings a newer state.
  useEffect(() => {
    const cur = liveRef.current;
    if (initial !== cur && initial.seq > cur.seq) commit({ ...initial, lastExtension: cur.lastExtension });
  }, [initial, commit]);

  useEffect(() => {
    if (!enabled) {
      setConnection(null);
      return;
    }
    const socket: IoSocket = openSocket();
    socketRef.current = socket;
    setConnection('connecting');
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const sync = clockSync(socket, (o) => {
      measured.current = true;
      setOffset(o);
    });

    const apply = (events: readonly AuctionEventDto[]) => {
      const r = applyEvents(liveRef.current, events, pendingRef.current);
      pendingRef.current = r.pending;
      if (r.state !== liveRef.current) commit(r.state);
      if (r.statusChanged) revalidate();
      return r.gap;
    };

    const resume = () => {
      if (!socket.connected) return;
      socket
        .timeout(ACK_MS)
        .emit('practice:resume', { sessionId, afterSeq: liveRef.current.seq }, (err, res) => {
          if (err || !res.ok) {
            clearTimeout(retryTimer);
            retryTimer = setTimeout(resume, 1_000);
            return;
          }
          const gap = apply(asAuctionEvents(res.data.events));
          if (gap || res.data.events.length >= 1000) {
            clearTimeout(retryTimer);
            retryTimer = setTimeout(resume, gap ? 1_000 : 0);
          }
        });
    };

    socket.on('connect', () => {
      sync();
      socket.timeout(ACK_MS).emit('practice:watch', { sessionId }, (err, res) => {
        if (err || !res.ok) {
          setConnection('offline');
          return;
        }
        setConnection('connected');
        const snap = res.data;
        if (snap.seq > liveRef.current.seq) {
          const next = practiceLiveState(snap, liveRef.current);
          commit(next);
          apply([]);
          if (snap.status !== 'live') revalidate();
        }
      });
    });
    socket.on('disconnect', () => setConnection('offline'));
    socket.on('connect_error', () => setConnection('offline'));
    socket.on('practice:events', (events) => {
      if (events[0]?.sessionId !== sessionId) return;
      if (apply(asAuctionEvents(events))) resume();
    });
    socket.on('session:revoked', () => revalidate());
    const timer = setInterval(sync, RESYNC_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(retryTimer);
      socketRef.current = null;
      socket.disconnect();
    };
  }, [sessionId, enabled, commit, revalidate]);

  const placeBid = useCallback(
    (amountFen: string, clientKey: string) =>
      requestWithRetry<BidAnswerDto>(
        () => socketRef.current,
        (socket, ack) => socket.emit('practice:bid', { sessionId, amountFen, clientKey }, ack),
      ),
    [sessionId],
  );
  const setProxy = useCallback(
    (maxFen: string) =>
      requestWithRetry<{ maxFen: string; bidsPlaced: number }>(
        () => socketRef.current,
        (socket, ack) => socket.emit('practice:proxySet', { sessionId, maxFen }, ack),
      ),
    [sessionId],
  );
  const cancelProxy = useCallback(
    (): Promise<SocketResult<{ cancelled: true }>> =>
      requestWithRetry<{ cancelled: true }>(
        () => socketRef.current,
        (socket, ack) => socket.emit('practice:proxyCancel', { sessionId }, ack),
      ),
    [sessionId],
  );

  return { connection, offset, live, placeBid, setProxy, cancelProxy };
}
