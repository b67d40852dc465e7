import { broadcastSeconds } from '../metrics/metrics.js';
import type { AuctionEventDto } from './events.js';
import type { IoServer } from './io.js';
import { auctionRoom } from './rooms.js';

/** Sockets written in one go (see createPublisher). */
const BROADCAST_CHUNK = 100;

/** Processor time (ms) one event-loop turn spends writing a batch before it yields. */
const SLICE_MS = 8;

/** This process's processor time so far (user and system), in ms. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * A room's next batch waits at least this many times as long as writing its last batch took,
 * so a room's broadcasts hold at most about a quarter of the process's time however many
 * sockets it has (see createPublisher).
 */
const SPREAD = 3;

/** The longest a big room's batch waits (ms): watchers should see a bid within 250 ms (ADR 031). */
const MAX_INTERVAL = 150;

/**
 * Log entries to this process's sockets in their rooms, conflated: a room that has had nothing
 * for `intervalMs` gets an entry at once; entries that follow within the interval wait for its
 * end and go out together, in seq order, as one `auction:events`. Writing to a thousand sockets
 * costs a thousand syscalls whatever the message holds, so a hot auction costs at most
 * 1000 / intervalMs broadcasts a second instead of one per bid, and a quiet one gets no delay.
 *
 * A batch goes out in slices of SLICE_MS of processor time per event-loop turn: written in one
 * go, a thousand sockets held the loop for 20-40 ms under load, and every acknowledgement and
 * database answer waited behind it (bench:bidding's p99 acknowledgement halved when split).
 * The slices are measured in time, not sockets: at a fixed 100 sockets a turn, a room of 5,000
 * took 50 turns, each as long as everything else the process had to do, and on a busy machine
 * watchers got bids seconds late (ADR 031). The next batch of a room waits until the last one
 * has reached every socket, so each socket sees them in order.
 * Sockets that join meanwhile start from their snapshot; those that leave are skipped.
 *
 * Writing a batch costs a write (a system call) per socket, so in a room of thousands a batch
 * costs milliseconds, and twenty of them a second would take most of a process. The interval
 * therefore grows with the room: the next batch waits SPREAD times as long as the writes of the
 * last one took, when that is longer than `intervalMs`, up to MAX_INTERVAL. A big room then gets
 * fewer batches with more entries each, and the process keeps time for bids, acknowledgements
 * and its other rooms (ADR 031).
 */
export function createPublisher(io: IoServer, intervalMs: number) {
  const rooms = new Map<string, { pending: AuctionEventDto[]; timer: NodeJS.Timeout | null }>();
  const adapter = io.of('/').adapter;
  let closed = false;

  function flush(listingId: string) {
    const r = rooms.get(listingId);
    if (!r || closed) return;
    r.timer = null;
    if (r.pending.length === 0) {
      rooms.delete(listingId);
      return;
    }
    const batch = r.pending.sort((a, b) => a.seq - b.seq);
    r.pending = [];
    const ids = [...(adapter.rooms.get(auctionRoom(listingId)) ?? [])];
    /** Processor time spent writing this batch (ms), not counting the turns between its slices. */
    let busy = 0;
    const send = (from: number) => {
      if (closed) return;
      // Chunks until this turn has spent SLICE_MS of processor time (not wall time: a process
      // that the machine descheduled mid-slice still writes its share).
      const start = cpuMs();
      let at = from;
      // Never `to([])`: no rooms means every socket.
      while (at < ids.length && cpuMs() - start < SLICE_MS) {
        io.local.to(ids.slice(at, at + BROADCAST_CHUNK)).emit('auction:events', batch);
        at += BROADCAST_CHUNK;
      }
      busy += cpuMs() - start;
      if (at < ids.length) {
        setImmediate(send, at);
        return;
      }
      // The batch has reached every socket of the room here.
      const now = Date.now();
      if (ids.length) for (const e of batch) broadcastSeconds.observe(Math.max(0, now - e.at) / 1000);
      // Quiet for a whole interval after this: the room is forgotten, and the next entry goes at once.
      r.timer = setTimeout(
        () => flush(listingId),
        Math.max(intervalMs, Math.min(MAX_INTERVAL, busy * SPREAD)),
      );
    };
    send(0);
  }

  return {
    publish(listingId: string, entries: AuctionEventDto[]) {
      const r = rooms.get(listingId);
      if (!r) {
        rooms.set(listingId, { pending: entries, timer: null });
        flush(listingId);
      } else r.pending.push(...entries);
    },
    close() {
      closed = true;
      for (const r of rooms.values()) if (r.timer) clearTimeout(r.timer);
      rooms.clear();
    },
  };
}
