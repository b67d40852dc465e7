/**
 * The watcher half of `npm run bench:bidding`, in its own process so that decoding every
 * broadcast for 1,000 sockets does not delay the bidders' acknowledgements in the load
 * generator. Connects BENCH_WATCHERS anonymous watchers to the auction given on the command
 * line; 50 of them, spread over the room (a broadcast reaches sockets in the order they
 * joined), measure each bid's delivery from its server time (same machine, same clock).
 *
 * Talks to its parent over IPC: sends `{ ready }` once every watcher has its snapshot; on
 * `{ record: true }` starts measuring, on `{ record: false }` answers `{ delivery }` (ms).
 */
import { type BenchClient, watchingClient } from './support.js';

const [base, listingId] = process.argv.slice(2) as [string, string];
const WATCHERS = Number(process.env.BENCH_WATCHERS ?? 1_000);
const SAMPLE = 50;

const sockets: BenchClient[] = [];
let delivery: number[] = [];
let recording = false;

for (let i = 0; i < WATCHERS; i += 50) {
  await Promise.all(
    Array.from({ length: Math.min(50, WATCHERS - i) }, async (_, k) => {
      const s = await watchingClient(base, listingId);
      sockets.push(s);
      if ((i + k) % Math.max(1, Math.floor(WATCHERS / SAMPLE)) === 0)
        s.on('auction:events', (events) => {
          if (!recording) return;
          const now = Date.now();
          for (const e of events) if (e.type === 'bid') delivery.push(now - e.at);
        });
    }),
  );
}

process.on('message', (m: { record?: boolean; stop?: boolean }) => {
  if (m.stop) {
    for (const s of sockets) s.disconnect();
    process.exit(0);
  }
  if (m.record) {
    delivery = [];
    recording = true;
  } else {
    recording = false;
    process.send!({ delivery });
  }
});
process.send!({ ready: sockets.length });
