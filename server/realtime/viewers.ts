import type { AuctionRoomsOptions } from './auction-room.js';
import { AUCTION_PREFIX } from './rooms.js';

/**
 * Watchers per auction, across processes, without a message per join. Each process knows its
 * own sockets in a room (the adapter's local rooms); when its membership changes, it asks the
 * other processes for theirs (one `serverSideEmit` with acknowledgement, answered with a number,
 * not with socket descriptions as `fetchSockets` would) and broadcasts the sum to the room, at
 * most once per interval per room and process: a thousand watchers joining within a second
 * cause two broadcasts per process, not a million messages. A snapshot reports the local count
 * plus the other processes' counts as last learnt; the next `auction:viewers` corrects it.
 */
export function createViewerCounter(
  opts: Pick<AuctionRoomsOptions, 'io' | 'logger' | 'clustered' | 'viewersIntervalMs'>,
) {
  const { io, logger, clustered } = opts;
  const interval = opts.viewersIntervalMs ?? 1000;
  const adapter = io.of('/').adapter;
  const local = (room: string) => adapter.rooms.get(room)?.size ?? 0;
  /** The other processes' watchers per room, as last counted. */
  const remote = new Map<string, number>();
  type State = { timer: NodeJS.Timeout | null; running: boolean; dirty: boolean; last: number };
  const states = new Map<string, State>();
  let closed = false;

  // Another process counting a room asks for ours.
  io.on('viewers:count', (room, reply) => {
    if (typeof reply === 'function') reply(typeof room === 'string' ? local(room) : 0);
  });

  function countRemote(room: string): Promise<number> {
    if (!clustered) return Promise.resolve(0);
    return new Promise((resolve) => {
      io.serverSideEmit('viewers:count', room, (err: Error | null, counts: unknown[]) => {
        // A process that went away without saying so times out: count those that answered.
        if (err) logger.warn({ err, room }, 'viewer count incomplete');
        const sum = (counts ?? []).reduce<number>(
          (s, n) => s + (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0),
          0,
        );
        remote.set(room, sum);
        resolve(sum);
      });
    });
  }

  function schedule(room: string, s: State) {
    const delay = Math.max(0, s.last + interval - Date.now());
    s.timer = setTimeout(() => void flush(room, s), delay);
    s.timer.unref();
  }

  async function flush(room: string, s: State) {
    s.timer = null;
    s.running = true;
    s.dirty = false;
    s.last = Date.now();
    try {
      const viewers = local(room) + (await countRemote(room));
      if (!closed)
        io.to(room).emit('auction:viewers', { listingId: room.slice(AUCTION_PREFIX.length), viewers });
    } catch (err) {
      logger.error({ err, room }, 'viewer count failed');
    } finally {
      s.running = false;
      if (closed) {
        // nothing more
      } else if (s.dirty) schedule(room, s);
      else if (local(room) === 0) {
        states.delete(room);
        remote.delete(room);
      }
    }
  }

  function changed(room: string) {
    if (closed || !room.startsWith(AUCTION_PREFIX)) return;
    let s = states.get(room);
    if (!s) {
      s = { timer: null, running: false, dirty: false, last: 0 };
      states.set(room, s);
    }
    if (s.running) s.dirty = true;
    else if (!s.timer) schedule(room, s);
  }

  adapter.on('join-room', changed);
  adapter.on('leave-room', changed);

  return {
    /** Best current knowledge: this process exactly, the others as last counted. */
    known: (room: string) => local(room) + (remote.get(room) ?? 0),
    close() {
      closed = true;
      adapter.off('join-room', changed);
      adapter.off('leave-room', changed);
      for (const s of states.values()) if (s.timer) clearTimeout(s.timer);
      states.clear();
    },
  };
}
