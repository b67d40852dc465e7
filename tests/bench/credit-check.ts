/**
 * npm run bench:credit-check — the partners' check (GET /api/v1/credit/check?id=…) with a
 * million listed persons (ADR 019; issue 18's target: p99 < 10 ms at 1,000 checks a second).
 *
 * A fresh database on DATABASE_URL's server (or an embedded one) is migrated by the server (in
 * its own process, tests/bench/bidding-server.ts, so the load generator does not share its CPU
 * time), then filled set-wise in SQL (one INSERT … SELECT generate_series per table: a fixture, not a use
 * case; the three tables' secondary indexes are built after the load, as a bulk load does, with
 * the migration's own definitions): 1,000 cases, 1,000,000 published listings, each with its restriction order in force and
 * the restricted person, under random-looking digests; then 10,000 of them are given the keyed
 * digests of real ID numbers, so half the checks hit. The load is open-loop: requests are sent on
 * a fixed schedule (1,000 a second by default) whatever the answers, and each latency counts from
 * its scheduled send, so a stall shows in the percentiles instead of slowing the sender.
 *
 * The baseline runs alone, after the server is stopped (TOOLCHAIN "Measuring fairly"): the same
 * two index probes straight from postgres.js at the same rate, so the figure above it is what the
 * HTTP stack, the token and the JSON cost.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { loadConfig } from '../../server/config.js';
import { idDigestOf } from '../../server/credit/ids.js';
import { sha256 } from '../../server/identity/crypto.js';
import { withCheckCharacter } from '../../server/identity/national-id.js';
import { benchDatabase, machineSpeed, percentile, sleep } from './support.js';

const PERSONS = Number(process.env.BENCH_PERSONS ?? 1_000_000);
const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const HITS = 10_000;

const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `n ${s.length}  p50 ${percentile(s, 50).toFixed(2)} ms  p95 ${percentile(s, 95).toFixed(2)} ms  p99 ${percentile(s, 99).toFixed(2)} ms  max ${s.at(-1)!.toFixed(2)} ms`;
};

/** Runs `send` RATE times a second for SECONDS (after a 2 s warm-up); latencies from the scheduled instant. */
async function openLoop(label: string, send: (i: number) => Promise<void>) {
  const total = RATE * SECONDS;
  const warm = RATE * 2;
  const latencies: number[] = [];
  const inflight: Promise<void>[] = [];
  let errors = 0;
  const t0 = performance.now();
  for (let i = 0; i < warm + total; i++) {
    const at = t0 + (i * 1000) / RATE;
    const wait = at - performance.now();
    if (wait > 1) await sleep(wait);
    inflight.push(
      send(i).then(
        () => {
          if (i >= warm) latencies.push(performance.now() - at);
        },
        () => {
          errors += 1;
        },
      ),
    );
    if (inflight.length > 5_000) await Promise.all(inflight.splice(0, 2_500));
    if (i > warm && (i - warm) % (RATE * 5) === 0)
      process.stdout.write(`  ${label}: ${(i - warm) / RATE} s\n`);
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - t0) / 1000;
  console.log(
    `${label}: ${fmt(latencies)}  errors ${errors}  achieved ${((warm + total) / elapsed).toFixed(0)}/s`,
  );
  return latencies;
}

async function startChild(url: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/bidding-server.ts'], {
    env: { ...process.env, DATABASE_URL: url, SEED_DEMO_DATA: 'false' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** The migration's own definitions of the three tables' secondary indexes. */
const MIGRATION = readdirSync('db/migrations').find((f) => f.endsWith('_credit_and_outbox.sql'))!;
const INDEXES = readFileSync(`db/migrations/${MIGRATION}`, 'utf8')
  .split('--> statement-breakpoint')
  .map((x) => x.trim())
  .filter((x) => /^CREATE INDEX "credit_(listings|restrictions|restricted_persons)_/.test(x));

async function main() {
  const speed = machineSpeed();
  const bench = await benchDatabase('credit');
  const config = loadConfig({ ...process.env, DATABASE_URL: bench.url });
  const piiKey = Buffer.from(config.PII_ENCRYPTION_KEY, 'base64');
  const { child, port } = await startChild(bench.url);
  const sql = postgres(bench.url, { max: 1, onnotice: () => {} });
  try {
    const t0 = performance.now();
    const step = async (what: string, q: Promise<unknown>) => {
      const s = performance.now();
      await q;
      console.log(`  ${what} in ${((performance.now() - s) / 1000).toFixed(1)} s`);
    };
    console.log(`seeding ${PERSONS.toLocaleString('en')} listed persons …`);
    for (const ddl of INDEXES)
      await sql.unsafe(ddl.replace(/^CREATE INDEX ("[a-z_]+").*$/s, 'drop index $1'));
    // A fixture consistent by construction: skip the per-row foreign-key triggers while it loads.
    await sql`set session_replication_role = replica`.catch(() =>
      console.log('  (not superuser: foreign keys checked per row)'),
    );
    await step(
      'court',
      sql`insert into organisations (kind, code, name_zh, name_en, court_level, province)
          values ('court', '青9999', '测试法院', 'Bench court', 'basic', '青海省')`,
    );
    await step(
      '1,000 cases',
      sql`insert into cases (court_id, case_number, basis, amount_owed_fen, filed_on)
          select o.id, '(2025)青9999执' || g || '号', '(2024)青9999民初' || g || '号', 10000000, date '2025-01-01'
          from generate_series(1, 1000) g, organisations o where o.code = '青9999'`,
    );
    await step(
      'listings',
      sql`insert into credit_listings (case_id, court_id, status, decision_number, subject_kind, name, sex, birth_date,
            id_sealed, id_digest, id_published, province, ground, conduct, evidence, obligation, title_number, title_issuer,
            unperformed_fen, decided_on, publish_on, published_at)
          select c.id, c.court_id, 'published', '决定' || g, 'person', '被执行人' || g, 'male', date '1970-01-01',
            'sealed', encode(sha256(('filler' || g)::bytea), 'hex'), '6301041970****' || lpad((g % 10000)::text, 4, '0'),
            '青海省', 1, '拒不履行', '证据', '支付欠款', '(2024)', '法院', 10000000, date '2025-06-01', date '2025-06-01', now()
          from generate_series(1, ${PERSONS}) g
          cross join (select array_agg(id) as ids, min(court_id::text)::uuid as court_id from cases) cs
          cross join lateral (select cs.ids[1 + g % 1000] as id, cs.court_id) c`,
    );
    await step(
      'restriction orders',
      sql`insert into credit_restrictions (case_id, court_id, listing_id, status, order_number, subject_kind, name,
            id_published, province, items, issued_on, published_at)
          select l.case_id, l.court_id, l.id, 'in_force', l.decision_number, 'person', l.name, l.id_published, l.province,
            array['flights','high_speed_rail'], date '2025-06-01', now()
          from credit_listings l`,
    );
    await step(
      'restricted persons',
      sql`insert into credit_restricted_persons (restriction_id, role, name, id_sealed, id_digest, id_published, in_force)
          select r.id, 'debtor', l.name, l.id_sealed, l.id_digest, l.id_published, 1
          from credit_restrictions r join credit_listings l on l.id = r.listing_id`,
    );
    // Real ID numbers for a sample, digested with the server's key, so half the checks hit.
    const ids = Array.from({ length: HITS }, (_, i) =>
      withCheckCharacter(
        `6301041970${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i).padStart(3, '0').slice(-3)}`,
      ),
    );
    const digests = ids.map((id) => idDigestOf(piiKey, id));
    await sql`set session_replication_role = default`.catch(() => {});
    await step('indexes', Promise.all(INDEXES.map((ddl) => sql.unsafe(ddl))));
    await step(
      'hit sample',
      sql`with m as (select unnest(${digests}::text[]) as d, generate_series(1, ${HITS}) as g)
          update credit_listings l set id_digest = m.d from m where l.id_digest = encode(sha256(('filler' || m.g)::bytea), 'hex')`,
    );
    await sql`with m as (select unnest(${digests}::text[]) as d, generate_series(1, ${HITS}) as g)
          update credit_restricted_persons p set id_digest = m.d from m where p.id_digest = encode(sha256(('filler' || m.g)::bytea), 'hex')`;
    await step(
      'analyze',
      sql`analyze credit_listings; analyze credit_restricted_persons; analyze credit_restrictions`.simple(),
    );
    const [count] = await sql<
      { n: number }[]
    >`select count(*)::int as n from credit_listings where status = 'published'`;
    console.log(
      `seeded ${count!.n.toLocaleString('en')} listed persons in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const token = 'lmp_bench_token_000000000000000000000000000000000';
    await sql`insert into credit_partners (name, kind, token_hash, token_prefix) values ('Bench airline', 'airline', ${sha256(token)}, ${token.slice(0, 10)})`;
    const misses = Array.from({ length: HITS }, (_, i) =>
      withCheckCharacter(
        `6201021980${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i).padStart(3, '0').slice(-3)}`,
      ),
    );
    const idOf = (i: number) => (i % 2 === 0 ? ids[(i / 2) % HITS]! : misses[((i - 1) / 2) % HITS]!);

    // Correctness first: a hit is listed and restricted, a miss neither.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const get = (id: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.get(
          {
            host: '127.0.0.1',
            port,
            path: `/api/v1/credit/check?id=${id}`,
            agent,
            headers: { authorization: `Bearer ${token}` },
          },
          (res) => {
            let body = '';
            res.on('data', (c) => {
              body += c;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
      });
    const hit = JSON.parse((await get(ids[0]!)).body) as { listed: boolean; restricted: boolean };
    const miss = JSON.parse((await get(misses[0]!)).body) as { listed: boolean };
    if (!hit.listed || !hit.restricted || miss.listed)
      throw new Error(`check answers wrong: ${JSON.stringify({ hit, miss })}`);

    // One at a time first: what a check costs when nothing queues (closed loop, 2,000 checks).
    const serial: number[] = [];
    for (let i = 0; i < 2_200; i++) {
      const s0 = performance.now();
      await get(idOf(i));
      if (i >= 200) serial.push(performance.now() - s0);
    }
    console.log(`\ncheck (HTTP, one at a time): ${fmt(serial)}`);

    console.log(`\nHTTP: GET /api/v1/credit/check at ${RATE}/s for ${SECONDS} s (half hits, half misses)`);
    await openLoop('check (HTTP, full stack)', async (i) => {
      const r = await get(idOf(i));
      if (r.status !== 200) throw new Error(String(r.status));
    });
    agent.destroy();

    // The baseline alone: the server stopped, the same two probes from postgres.js on the same database.
    await stopChild(child);
    const direct = postgres(bench.url, { max: 16, onnotice: () => {} });
    const probe = async (i: number) => {
      const d = idDigestOf(piiKey, idOf(i));
      await Promise.all([
        direct`select l.published_at from credit_listings l join cases c on c.id = l.case_id
               where l.id_digest = ${d} and l.status = 'published' limit 20`,
        direct`select r.order_number from credit_restricted_persons p join credit_restrictions r on r.id = p.restriction_id
               where p.id_digest = ${d} and p.in_force = 1 limit 20`,
      ]);
    };
    for (let i = 0; i < 200; i++) await probe(i);
    console.log(`\nBaseline (server stopped): the two index probes from postgres.js at ${RATE}/s`);
    await openLoop('baseline (SQL only)', probe);
    await direct.end();
    speed();
  } finally {
    await sql.end();
    await stopChild(child);
    await bench.drop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
