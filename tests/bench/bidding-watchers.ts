/**
 * A watcher process of `npm run bench:bidding`: holds its share of the anonymous watchers, in
 * its own process so that reading every broadcast does not delay the bidders' acknowledgements
 * in the load generator (several of these share a big room). Usage:
 * `bidding-watchers.ts <listingId> <base>[,<base>...]`; socket k of this process connects to
 * base k mod n, so each server process gets an equal share.
 *
 * The sockets speak the Engine.IO 4 / Socket.IO 5 protocol over a bare WebSocket (`ws`): open,
 * connect to `/`, `auction:watch` with its acknowledgement, pong to every ping. What the
 * server does is the same as for a browser; the client is cheaper than socket.io-client, which
 * decodes every packet of every socket and would make the load generator, on the same machine,
 * the bottleneck. Every BENCH_WATCHER_STRIDE-th socket (spread over the room: a broadcast
 * reaches sockets in the order they joined) decodes its `auction:events` and measures each
 * bid's arrival (same machine, same clock as the servers and the bidders); the others only count
 * frames.
 *
 * Talks to its parent over IPC: `{ target: n }` grows the process to n watchers (each with its
 * snapshot) and answers `{ ready: n }`; `{ record: true }` starts measuring, `{ record: false }`
 * answers `{ arrivals, frames, sampled }` (seq, server time and arrival of each measured bid,
 * flat; the frames received by all sockets since `record: true`; how many sockets measure).
 */
import WebSocket from 'ws';

const [listingId, bases] = process.argv.slice(2) as [string, string];
const urls = bases.split(',').map((b) => `${b.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
const STRIDE = Math.max(1, Number(process.env.BENCH_WATCHER_STRIDE ?? 25));

const sockets: WebSocket[] = [];
/** Per measured arrival of a bid: its seq, its server time, the arrival (ms since the epoch). */
let arrivals: number[] = [];
let frames = 0;
let recording = false;

const PING = 0x32; // '2'
const EVENTS = '42["auction:events",';

/** One watcher: resolves once its `auction:watch` is acknowledged with a snapshot. */
function watcher(url: string, sampled: boolean): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    let watching = false;
    ws.on('error', reject);
    ws.on('close', () => {
      if (!watching) reject(new Error('closed before watching'));
    });
    ws.on('message', (data: Buffer) => {
      if (data[0] === PING) {
        ws.send('3');
        return;
      }
      if (watching) {
        if (!recording) return;
        frames++;
        if (!sampled) return;
        const text = data.toString();
        if (!text.startsWith(EVENTS)) return;
        const now = Date.now();
        const [, events] = JSON.parse(text.slice(2)) as [
          string,
          Array<{ type: string; seq: number; at: number }>,
        ];
        for (const e of events) if (e.type === 'bid') arrivals.push(e.seq, e.at, now);
        return;
      }
      const text = data.toString();
      if (text.startsWith('0{')) ws.send('40');
      else if (text.startsWith('40')) ws.send(`420${JSON.stringify(['auction:watch', { listingId }])}`);
      else if (text.startsWith('44')) reject(new Error(`connect refused: ${text}`));
      else if (text.startsWith('430')) {
        const [answer] = JSON.parse(text.slice(3)) as [{ ok: boolean; error?: { message: string } }];
        if (!answer.ok) return reject(new Error(`watch refused: ${answer.error?.message}`));
        watching = true;
        resolve(ws);
      }
    });
  });
}

async function grow(target: number) {
  while (sockets.length < target) {
    const from = sockets.length;
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, target - from) }, (_, i) =>
        watcher(urls[(from + i) % urls.length]!, (from + i) % STRIDE === 0),
      ),
    );
    sockets.push(...batch);
  }
}

process.on('message', (m: { target?: number; record?: boolean; stop?: boolean }) => {
  if (m.stop) {
    for (const s of sockets) s.terminate();
    process.exit(0);
  }
  if (m.target !== undefined) {
    grow(m.target).then(
      () => process.send!({ ready: sockets.length }),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  } else if (m.record) {
    arrivals = [];
    frames = 0;
    recording = true;
  } else {
    recording = false;
    process.send!({ arrivals, frames, sampled: Math.ceil(sockets.length / STRIDE) });
  }
});
