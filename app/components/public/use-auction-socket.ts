import { useRevalidator } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../server/realtime/events';

export type Connection = 'connecting' | 'connected' | 'offline';

const RESYNC_MS = 30_000;

/**
 * Watches one auction live: joins the public room `auction:<id>`, reloads the page's data when
 * the listing changes status (the server's data is the truth, the event only says "look again"),
 * and measures the offset of this browser's clock to the server's (docs/realtime.md).
 *
 * `serverTime` is the loader's reading of the server clock: the first estimate of the offset,
 * replaced by the socket's measurement (which halves the round trip) as soon as there is one.
 * Before hydration both are null: the page then shows fixed times only. A listing that can no
 * longer change (ended, withdrawn) is not watched (`enabled` false).
 */
export function useAuctionSocket(listingId: string, serverTime: number, enabled = true) {
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const [connection, setConnection] = useState<Connection | null>(null);
  const [offset, setOffset] = useState<number | null>(null);
  const measured = useRef(false);

  useEffect(() => {
    if (!measured.current) setOffset(serverTime - Date.now());
  }, [serverTime]);

  useEffect(() => {
    if (!enabled) {
      setConnection(null);
      return;
    }
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ withCredentials: true });
    setConnection('connecting');
    let joinedBefore = false;

    const sync = () => {
      if (!socket.connected) return;
      const sent = Date.now();
      socket.timeout(5_000).emit('time:sync', {}, (err, res) => {
        if (err || !res.ok) return;
        const received = Date.now();
        // The server read its clock about half a round trip before the answer arrived.
        measured.current = true;
        setOffset(res.data.serverTime + (received - sent) / 2 - received);
      });
    };

    socket.on('connect', () => {
      socket.timeout(5_000).emit('room:join', { room: `auction:${listingId}` }, (err, res) => {
        if (err || !res.ok) {
          setConnection('offline');
          return;
        }
        setConnection('connected');
        // Events sent while we were away are lost: read the page again after a reconnection.
        if (joinedBefore) revalidate.current();
        joinedBefore = true;
      });
      sync();
    });
    socket.on('disconnect', () => setConnection('offline'));
    socket.on('connect_error', () => setConnection('offline'));
    socket.on('listing:status', (event) => {
      if (event.listingId === listingId) revalidate.current();
    });
    const timer = setInterval(sync, RESYNC_MS);
    return () => {
      clearInterval(timer);
      socket.disconnect();
    };
  }, [listingId, enabled]);

  return { connection, offset };
}
