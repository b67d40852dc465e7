/**
 * npm run bench:bidding — one hot auction: 1,000 watchers and 200 bidders over Socket.IO.
 *
 * Starts a real PostgreSQL (embedded, or a fresh database on DATABASE_URL's server) and the
 * server in child processes (tests/bench/bidding-server.ts), so this load generator does not
 * share their event loops: one, or BENCH_SERVERS of them joined by the Redis Streams adapter
 * (REDIS_URL, default redis://127.0.0.1:6379, under a prefix of this run). Prepares one live
 * auction with 200 registered bidders whose deposits are held (a fixture of rows), logs them in
 * (real sessions), spreads the 200 bidder sockets over the servers, and the watchers over
 * BENCH_WATCHER_PROCS watcher processes (tests/bench/bidding-watchers.ts), each connecting its
 * sockets to the servers in turn. Then, for each count of BENCH_WATCHER_STEPS (default just
 * BENCH_WATCHERS), it grows the room to that count and offers bids open-loop at each rate of
 * BENCH_RATES. Each bid is the last price its bidder saw plus 1-3 increments, so many are
 * refused as outbid (BENCH_BIDS=contest); with BENCH_BIDS=ladder every bid is one increment
 * above the last one sent, through the first server's bidders, so nearly all offered bids are
 * accepted (the accepted rate is the offered one, as far as the database keeps up).
 *
 * Per step and rate it prints: bids decided per second (accepted and refused), accepted per
 * second, p50/p99 from sending a bid to its acknowledgement, p50/p99 to arrival at the watchers
 * from the bid's server time (its arrival at the server: includes its decision) and from its
 * acceptance (the bidder's acknowledgement, sent after the commit: the fan-out alone), measured
 * by about 400 watchers spread over the biggest room (clocks are the same machine's; how many of
 * the arrivals they expected came within 3 s of the last acknowledgement), the
 * frames each watcher received a second, the servers' CPU, and the load
 * average of the machine (shared with other work: read the figures beside it). Per step: the
 * servers' resident memory over their memory before any watcher, per connected watcher. Then,
 * with the servers and the watchers stopped, it measures the bare hot-row transaction alone
 * (200 concurrent clients: begin, lock the auction row, insert a bid, update the price,
 * commit) on a plain two-table schema on the same PostgreSQL server, and prints both rates and
 * the ratio of the saturated decided rate to it.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { createClient } from 'redis';
import { createDb } from '../../db/client.js';
import { systemClock } from '../../server/clock.js';
import { loadConfig } from '../../server/config.js';
import { hashPassword } from '../../server/identity/crypto.js';
import { createLogger } from '../../server/logger.js';
import { createServices } from '../../server/services.js';
import {
  type BenchClient,
  benchDatabase,
  machineSpeed,
  percentile,
  sleep,
  watchingClient,
} from './support.js';

const WATCHERS = Number(process.env.BENCH_WATCHERS ?? 1_000);
const STEPS = (process.env.BENCH_WATCHER_STEPS ?? String(WATCHERS)).split(',').map(Number);
const SERVERS = Number(process.env.BENCH_SERVERS ?? 1);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WATCHER_PROCS = Number(process.env.BENCH_WATCHER_PROCS ?? Math.ceil(Math.max(...STEPS) / 2_500));
const BIDDERS = Number(process.env.BENCH_BIDDERS ?? 200);
const RATES = (process.env.BENCH_RATES ?? '250,500,1000,2000').split(',').map(Number);
const STEP_MS = Number(process.env.BENCH_STEP_MS ?? 8_000);
const LADDER = process.env.BENCH_BIDS === 'ladder';
/** How long after the last acknowledgement deliveries still count; later ones are reported missing. */
const LATE_MS = 3_000;
const PASSWORD = 'bench-password-1';

const ms = (x: number) => (Number.isNaN(x) ? '   -  ' : `${x.toFixed(1).padStart(6)} ms`);
const load = () =>
  `load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;

/** Resident memory (bytes) and CPU time used so far (ms) of a process, from /proc (Linux). */
function usage(pid: number): { rss: number; cpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(status.match(/VmRSS:\s+(\d+) kB/)![1]) * 1024;
  // Fields after the command name: utime and stime are the 12th and 13th (clock ticks, 100/s).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rss, cpuMs: (Number(fields[11]) + Number(fields[12])) * 10 };
}

/** The servers' usage once they have collected their garbage (SIGUSR2) and the watcher counts settled. */
async function settledUsage(pids: number[]) {
  await sleep(1_500);
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  await sleep(500);
  return pids.map(usage);
}

async function startChild(
  url: string,
  redis?: { url: string; prefix: string },
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      // BENCH_PROFILE=<dir>: a CPU profile of the server process, to see where a bid's time goes.
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
      '--expose-gc',
      '--import',
      'tsx',
      'tests/bench/bidding-server.ts',
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: url,
        SEED_DEMO_DATA: 'true',
        NODE_ENV: 'development',
        ...(redis ? { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix } : { REDIS_URL: '' }),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = buf.match(/READY (\d+)/);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { child, port };
}

/** A watcher process (tests/bench/bidding-watchers.ts): grows to a count, and a switch for its recording. */
function startWatchers(bases: string[], listingId: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/bench/bidding-watchers.ts', listingId, bases.join(',')],
    {
      env: {
        ...process.env,
        // About 400 measuring watchers in the biggest room, spread over it.
        BENCH_WATCHER_STRIDE: String(Math.max(1, Math.floor(Math.max(...STEPS) / 400))),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const answer = <T>() =>
    new Promise<T>((resolve, reject) => {
      const exit = (code: number | null) => reject(new Error(`watchers exited with ${code}`));
      child.once('exit', exit);
      child.once('message', (m: T) => {
        child.off('exit', exit);
        resolve(m);
      });
    });
  /** Connects watchers until the process holds `n`; resolves with the count held. */
  const grow = (n: number) => {
    const ready = answer<{ ready: number }>();
    child.send({ target: n });
    return ready.then((m) => m.ready);
  };
  const start = () => void child.send({ record: true });
  /** Stops recording; the bids' arrivals measured since `start` ([seq, server time, arrival]...) and the frames received. */
  const stop = () => {
    const done = answer<{ arrivals: number[]; frames: number; sampled: number }>();
    child.send({ record: false });
    return done;
  };
  return { child, grow, start, stop };
}

async function main() {
  const speed = machineSpeed();
  const bench = await benchDatabase('bidding');
  const { url } = bench;
  const redis = SERVERS > 1 ? { url: REDIS_URL, prefix: `lastmile-bench-${Date.now()}` } : undefined;
  const servers: ChildProcess[] = [];
  const bases: string[] = [];
  // One after the other: each migrates (a no-op after the first) and seeds at start.
  for (let i = 0; i < SERVERS; i++) {
    const { child, port } = await startChild(url, redis);
    servers.push(child);
    bases.push(`http://127.0.0.1:${port}`);
  }
  const pids = servers.map((c) => c.pid!);
  const sql = postgres(url, { max: 4, onnotice: () => {}, types: { bigint: postgres.BigInt } });
  const sockets: BenchClient[] = [];
  const farms: ReturnType<typeof startWatchers>[] = [];
  try {
    // ---- fixture: one live auction ending in an hour, 200 verified bidders with held deposits.
    const [tpl] = await sql<{ id: string }[]>`
      select id from listings where approved_by is not null order by created_at limit 1`;
    const [hot] = await sql<{ id: string }[]>`
      insert into listings (asset_id, case_id, court_id, kind, round, status, title, asset_type, province, city,
        appraisal_fen, starting_price_fen, deposit_fen, increment_fen, announce_at, starts_at, ends_at, current_end_at,
        balance_days, special_notices, taxes, tax_payer, viewing, contact, supervision_line, prepared_by, approved_by,
        approved_at, published_at, last_seq)
      select asset_id, case_id, court_id, 'auction', 1, 'live', '基准热门拍卖', asset_type, province, city,
        100000000, 70000000, 7000000, 100000, now() - interval '2 days', now() - interval '1 day',
        now() + interval '1 hour', now() + interval '1 hour', 15, special_notices, taxes, tax_payer, viewing,
        contact, supervision_line, prepared_by, approved_by, now() - interval '2 days', now() - interval '2 days', 0
      from listings where id = ${tpl!.id}
      returning id`;
    const listingId = hot!.id;
    const hash = await hashPassword(PASSWORD);
    const users = await sql<{ id: string; email: string }[]>`
      insert into users (email, password_hash, real_name, roles, verification)
      select 'hot' || g || '@bench.test', ${hash}, '竞买人' || g, '{bidder}', 'verified'
      from generate_series(1, ${BIDDERS}) g returning id, email`;
    await sql`
      insert into registrations (listing_id, user_id, status, code, notices_accepted_at, activated_at)
      select ${listingId}, u, 'active', 'H' || lpad(n::text, 3, '0'), now(), now()
      from unnest(${sql.array(users.map((u) => u.id))}::uuid[]) with ordinality as t(u, n)`;
    await sql`
      insert into deposits (registration_id, listing_id, court_id, case_id, user_id, required_fen, amount_fen, status, held_at)
      select r.id, r.listing_id, l.court_id, l.case_id, r.user_id, l.deposit_fen, 0, 'held', now()
      from registrations r join listings l on l.id = r.listing_id where r.listing_id = ${listingId}`;

    // ---- sessions through the real login (argon2), a few at a time; sessions live in PostgreSQL,
    // so the server process accepts them.
    const handle = createDb(url, { max: 4 });
    const config = loadConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' });
    const services = createServices({ db: handle, config, clock: systemClock, logger: createLogger(config) });
    const cookies: string[] = [];
    for (let i = 0; i < users.length; i += 10) {
      const batch = await Promise.all(
        users.slice(i, i + 10).map(async (u) => {
          const r = await services.identity.login(
            { email: u.email, password: PASSWORD },
            { ip: '127.0.0.1' },
          );
          return `lm_session=${r.token}`;
        }),
      );
      cookies.push(...batch);
    }
    await handle.close();

    // ---- 200 bidders here, spread over the servers; the watchers in their own processes.
    let lastPrice = 70_000_000n - 100_000n;
    /** BENCH_BIDS=ladder: the last amount sent. */
    let lastSent = lastPrice;
    const bidders = await Promise.all(
      cookies.map(async (cookie, i) => {
        const s = await watchingClient(bases[i % bases.length]!, listingId, cookie);
        sockets.push(s);
        s.on('auction:events', (events) => {
          for (const e of events) {
            if (e.type !== 'bid') continue;
            const p = BigInt(String(e.payload.amountFen));
            if (p > lastPrice) lastPrice = p;
          }
        });
        return s;
      }),
    );
    // Ladder bids go through the first server's bidders: one increment apart in sending order,
    // none is outbid by one sent before it but decided in another process's round.
    const firstServers = bidders.filter((_, i) => i % bases.length === 0);
    const before = await settledUsage(pids);
    for (let i = 0; i < WATCHER_PROCS; i++) farms.push(startWatchers(bases, listingId));
    console.log(
      `one hot auction: ${bidders.length} bidder sockets on ${SERVERS} server process(es) (pids ${pids.join(', ')})${redis ? ` joined through Redis (${redis.url}, prefix ${redis.prefix})` : ''}; watchers held by ${WATCHER_PROCS} process(es); bids: ${LADDER ? 'ladder' : 'contest'}; ${load()}`,
    );

    const curve: Array<{ watchers: number; rate: number; accepted: number; p99: number; perSocket: number }> =
      [];
    const results: Array<{ rate: number; decided: number }> = [];
    for (const step of STEPS) {
      // ---- grow the room to `step` watchers, shared evenly by the watcher processes.
      const t0 = performance.now();
      const held = await Promise.all(
        farms.map((f, i) => f.grow(Math.floor(step / farms.length) + (i < step % farms.length ? 1 : 0))),
      );
      const connected = held.reduce((a, b) => a + b, 0);
      const now = await settledUsage(pids);
      const rss = now.reduce((a, u) => a + u.rss, 0);
      const grown = rss - before.reduce((a, u) => a + u.rss, 0);
      const perSocket = grown / connected;
      console.log(
        `${connected} watchers connected in ${((performance.now() - t0) / 1000).toFixed(1)} s; servers' RSS ${now.map((u) => `${(u.rss / 2 ** 20).toFixed(0)} MB`).join(' + ')}: ${(grown / 2 ** 20).toFixed(0)} MB more than before the watchers, ${(perSocket / 1024).toFixed(1)} KB per connected watcher; ${load()}`,
      );

      // ---- open-loop steps at the offered rates.
      for (const rate of RATES) {
        const acks: number[] = [];
        /** Accepted bids: seq → when the bidder had the acknowledgement (ms since the epoch). */
        const acceptedAt = new Map<number, number>();
        let accepted = 0;
        let refused = 0;
        let errors = 0;
        const inFlight: Promise<void>[] = [];
        for (const f of farms) f.start();
        const lag = monitorEventLoopDelay({ resolution: 5 });
        lag.enable();
        const cpu0 = pids.map(usage);
        const farmCpu0 = farms.map((f) => usage(f.child.pid!));
        const started = performance.now();
        let sent = 0;
        // Sends on a fixed schedule regardless of answers (open loop), in 10 ms ticks.
        while (performance.now() - started < STEP_MS) {
          const due = Math.floor(((performance.now() - started) / 1000) * rate);
          for (; sent < due; sent++) {
            const s = (LADDER ? firstServers : bidders)[sent % (LADDER ? firstServers : bidders).length]!;
            let amount: bigint;
            if (LADDER) {
              amount = (lastPrice > lastSent ? lastPrice : lastSent) + 100_000n;
              lastSent = amount;
            } else amount = lastPrice + BigInt(1 + Math.floor(Math.random() * 3)) * 100_000n;
            const t = performance.now();
            inFlight.push(
              s
                .timeout(30_000)
                .emitWithAck('bid:place', { listingId, amountFen: String(amount), clientKey: randomUUID() })
                .then(
                  (r) => {
                    acks.push(performance.now() - t);
                    if (r.ok && r.data.accepted) {
                      accepted++;
                      acceptedAt.set(r.data.seq, Date.now());
                    } else if (r.ok) refused++;
                    else errors++;
                  },
                  () => {
                    errors++;
                  },
                ),
            );
          }
          await sleep(10);
        }
        await Promise.all(inFlight);
        const seconds = (performance.now() - started) / 1000;
        const cpu = pids.map(usage).map((u, i) => (u.cpuMs - cpu0[i]!.cpuMs) / 10 / seconds);
        const farmCpu = farms.map((f, i) => (usage(f.child.pid!).cpuMs - farmCpu0[i]!.cpuMs) / 10 / seconds);
        await sleep(LATE_MS); // late deliveries
        const answers = await Promise.all(farms.map((f) => f.stop()));
        // From the bid's server time (its arrival: includes the decision) and from its acceptance
        // (the bidder's acknowledgement, sent after the commit: the fan-out alone).
        const delivery: number[] = [];
        const fanOut: number[] = [];
        for (const { arrivals } of answers)
          for (let i = 0; i < arrivals.length; i += 3) {
            const [seq, at, now] = [arrivals[i]!, arrivals[i + 1]!, arrivals[i + 2]!];
            delivery.push(now - at);
            const acked = acceptedAt.get(seq);
            if (acked !== undefined) fanOut.push(now - acked);
          }
        const frames = answers.reduce((a, b) => a + b.frames, 0);
        // Every measuring watcher should see every accepted bid: those that did not arrive in
        // time are missing, and the percentiles are of those that did (a lower bound then).
        const expected = accepted * answers.reduce((a, b) => a + b.sampled, 0);
        lag.disable();
        const decided = (accepted + refused) / seconds;
        results.push({ rate, decided });
        const p99 = percentile(fanOut, 99);
        curve.push({ watchers: connected, rate, accepted: accepted / seconds, p99, perSocket });
        console.log(
          `${String(connected).padStart(6)} watchers, offered ${String(rate).padStart(5)}/s: decided ${decided.toFixed(0).padStart(5)}/s, accepted ${(accepted / seconds).toFixed(0).padStart(4)}/s, errors ${errors}; ack p50 ${ms(percentile(acks, 50))} p99 ${ms(percentile(acks, 99))}; server time to watchers p50 ${ms(percentile(delivery, 50))} p99 ${ms(percentile(delivery, 99))}; acceptance to watchers p50 ${ms(percentile(fanOut, 50))} p99 ${ms(p99)} (${fanOut.length} of ${expected} arrivals measured${fanOut.length < expected ? ', the others later than 3 s after the last acknowledgement' : ''}; ${(frames / seconds / connected).toFixed(1)} frames/s per watcher); servers' CPU ${cpu.map((c) => `${c.toFixed(0)}%`).join(' + ')}, watcher processes' ${farmCpu.map((c) => `${c.toFixed(0)}%`).join(' + ')}; generator loop lag p99 ${ms(lag.percentile(99) / 1e6)}; ${load()}`,
        );
      }
    }
    console.log(
      "curve (watchers, offered/s, accepted/s, p99 acceptance to watcher, servers' RSS per watcher):",
    );
    for (const c of curve)
      console.log(
        `  ${String(c.watchers).padStart(6)}  ${String(c.rate).padStart(5)}  ${c.accepted.toFixed(0).padStart(5)}  ${ms(c.p99)}  ${(c.perSocket / 1024).toFixed(1)} KB`,
      );
    // ---- the baseline: the bare hot-row transaction, measured alone. The product's server (its
    // sockets, job runner and rounds) and the watchers are stopped first, and the transaction runs
    // on a plain two-table schema in a database of its own on the same PostgreSQL server, so the
    // figure is the database's, not contention with the product (TOOLCHAIN.md, "Measuring fairly").
    for (const s of sockets) s.disconnect();
    await sql.end();
    await stopServers(servers);
    // The watchers' processes stay (idle: their sockets have no server any more) until the end.
    const bare = await bareHotRow(bench.url);
    const saturated = Math.max(...results.map((r) => r.decided));
    console.log(
      `bare hot-row transaction alone (plain schema, same server, product stopped, ${bare.clients} clients): ${bare.rate.toFixed(0)}/s`,
    );
    console.log(`saturated decided rate: ${saturated.toFixed(0)}/s`);
    console.log(`saturated decided rate / bare rate: ${(saturated / bare.rate).toFixed(2)}`);
    speed();
  } finally {
    for (const s of sockets) s.disconnect();
    for (const f of farms) if (f.child.connected) f.child.send({ stop: true });
    await sql.end();
    await stopServers(servers);
    if (redis) await dropRedisKeys(redis);
    await bench.drop();
  }
}

async function stopServers(servers: ChildProcess[]) {
  await Promise.all(
    servers.map((child) => {
      if (child.exitCode !== null) return Promise.resolve();
      child.kill('SIGTERM');
      return new Promise((r) => child.once('exit', r));
    }),
  );
}

/** The adapter's stream and session keys of this run (its pub/sub channels leave nothing behind). */
async function dropRedisKeys(redis: { url: string; prefix: string }) {
  const c = createClient({ url: redis.url });
  await c.connect();
  const keys = [redis.prefix];
  for await (const batch of c.scanIterator({ MATCH: `${redis.prefix}:session:*`, COUNT: 1000 }))
    keys.push(...batch);
  await c.del(keys);
  await c.quit();
}

/**
 * Begin, lock the auction row, insert a bid, move the price, commit: up to 200 clients (as many
 * connections as the server has free, less a margin: a server shared with other work may have
 * fewer) for 5 s on a fresh database holding only `auction` and `bid` (no triggers, foreign
 * keys or extra indexes), next to the bench's database on the same server.
 */
async function bareHotRow(benchUrl: string): Promise<{ rate: number; clients: number }> {
  const admin = postgres(benchUrl, { max: 1, onnotice: () => {} });
  const [room] = await admin<{ free: number }[]>`
    select current_setting('max_connections')::int - (select count(*) from pg_stat_activity)::int as free`;
  const clients = Math.max(1, Math.min(200, room!.free - 10));
  const name = `lastmile_bench_bare_${Date.now()}`;
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(benchUrl);
  url.pathname = `/${name}`;
  const bare = postgres(url.toString(), { max: clients, onnotice: () => {} });
  try {
    await bare.unsafe(`
      create table auction (id int primary key, last_seq int not null, price_fen bigint not null);
      create table bid (auction_id int not null, seq int not null, amount_fen bigint not null,
        at timestamptz not null, primary key (auction_id, seq));
      insert into auction values (1, 0, 70000000);`);
    let commits = 0;
    const until = performance.now() + 5_000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < until) {
          await bare.begin(async (tx) => {
            const [a] = await tx<{ last_seq: number; price_fen: string }[]>`
              select last_seq, price_fen from auction where id = 1 for update`;
            const price = BigInt(a!.price_fen) + 100_000n;
            await tx`insert into bid values (1, ${a!.last_seq + 1}, ${price.toString()}, now())`;
            await tx`update auction set last_seq = ${a!.last_seq + 1}, price_fen = ${price.toString()} where id = 1`;
          });
          commits++;
        }
      }),
    );
    return { rate: commits / ((performance.now() - t0) / 1000), clients };
  } finally {
    await bare.end();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
