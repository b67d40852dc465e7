import { useEffect, useRef, useState } from 'react';
import type { AuctionEventDto } from '../../../server/realtime/events';
import type { PageSocket } from '../../utils/socket';
import { useCoalescedRevalidate } from '../live/use-coalesced-revalidate';
import type { CardLive } from './listing-card';

interface LiveCardSource {
  id: string;
  lastSeq: number;
  currentPriceFen: string | null;
  currentEndAt: string | Date;
  bidCount: number;
}

type Known = CardLive & { seq: number };
const ACK_MS = 5_000;

/** The next state of the cards after some log entries; `reload` when the page's data is stale. */
export function applyCardEvents(
  known: Readonly<Record<string, Known>>,
  events: readonly AuctionEventDto[],
): { known: Record<string, Known>; reload: boolean } {
  const next = { ...known };
  let reload = false;
  let changed = false;
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    const cur = next[e.listingId];
    if (!cur || e.seq <= cur.seq) continue; // not shown, or already in the page's data
    // A missed entry (a gap), or a status change that moves the card to another section.
    if (e.seq > cur.seq + 1 || e.type !== 'bid') {
      reload = true;
      continue;
    }
    const p = e.payload;
    next[e.listingId] = {
      seq: e.seq,
      // art. 20: a bid's amount is the current price; its end is the end after any extension.
      priceFen: typeof p.amountFen === 'string' ? p.amountFen : cur.priceFen,
      currentEndAt: typeof p.currentEndAt === 'string' ? p.currentEndAt : cur.currentEndAt,
      bidCount: cur.bidCount + 1,
    };
    changed = true;
  }
  return { known: changed ? next : (known as Record<string, Known>), reload };
}

/**
 * The home page's live cards over the same socket as the auction page. It joins the public room
 * of each live auction shown (`room:join` `auction:<id>`, which anyone may: no identity is
 * needed or sent for it, server/realtime/io.ts) and applies the rooms' `auction:events`: the
 * current price, the end and the bid count of each card move as bids land. A status change or
 * a missed entry reloads the page's data (the server's is the truth), as does a reconnection.
 * The clock offset is measured once with `time:sync`; until then the loader's reading of the
 * server's clock is the estimate. socket.io-client is fetched only after hydration (a chunk of
 * its own, shared with the auction page), so the page's first script stays small.
 */
export function useHomeLive(cards: readonly LiveCardSource[], serverTime: number) {
  const revalidate = useCoalescedRevalidate();
  const [offset, setOffset] = useState<number | null>(null);
  const [known, setKnown] = useState<Record<string, Known>>({});
  const knownRef = useRef(known);

  useEffect(() => setOffset((o) => o ?? serverTime - Date.now()), [serverTime]);

  // The loader's data is the base; what the socket said before it is dropped with it.
  const key = cards.map((c) => `${c.id}:${c.lastSeq}`).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: the cards' ids and positions are the key
  useEffect(() => {
    const base: Record<string, Known> = {};
    for (const c of cards)
      base[c.id] = {
        seq: c.lastSeq,
        priceFen: c.currentPriceFen,
        currentEndAt: new Date(c.currentEndAt).toISOString(),
        bidCount: c.bidCount,
      };
    knownRef.current = base;
    setKnown(base);
    if (cards.length === 0) return;
    let closed = false;
    let socket: PageSocket | null = null;
    void import('../../utils/socket').then(({ openSocket }) => {
      if (closed) return;
      const s = openSocket();
      socket = s;
      let connections = 0;
      s.on('connect', () => {
        // Entries committed while disconnected were not heard: read the page again.
        if (++connections > 1) revalidate();
        for (const c of cards) s.timeout(ACK_MS).emit('room:join', { room: `auction:${c.id}` }, () => {});
        const sent = Date.now();
        s.timeout(ACK_MS).emit('time:sync', {}, (err, res) => {
          if (err || !res.ok) return;
          const received = Date.now();
          setOffset(res.data.serverTime + (received - sent) / 2 - received);
        });
      });
      s.on('auction:events', (events) => {
        const r = applyCardEvents(knownRef.current, events);
        if (r.known !== knownRef.current) {
          knownRef.current = r.known;
          setKnown(r.known);
        }
        if (r.reload) revalidate();
      });
      s.on('listing:status', () => revalidate());
    });
    return () => {
      closed = true;
      socket?.disconnect();
    };
  }, [key]);

  return { offset, known };
}
