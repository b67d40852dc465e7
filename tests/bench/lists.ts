/**
 * npm run bench:lists — the account list and the audit log (ADR 024) at 10,000 rows: p95 of a
 * page (first page, a search, a filter, a deep keyset page) through the service, beside the
 * baseline: the same page's bare SELECT … ORDER BY … LIMIT straight from postgres.js (what the
 * database alone costs). Target (issue 22): p95 < 200 ms. Rows are made set-wise in SQL.
 *
 * The other lists of issue 22 (cases, listings, deposits, claims, batches) are not in this script yet.
 */
import { performance } from 'node:perf_hooks';
import { createDb } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';
import { loadConfig } from '../../server/config.js';
import { seedDemoAccounts } from '../../server/demo/seed-accounts.js';
import { createLogger } from '../../server/logger.js';
import { createServices } from '../../server/services.js';
import { benchDatabase, percentile } from './support.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 60);

async function p95(fn: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return percentile(xs, 95);
}

const bench = await benchDatabase('lists');
const handle = createDb(bench.url, { max: 10 });
try {
  await runMigrations(handle);
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', UPLOAD_DIR: bench.tmp });
  await seedDemoAccounts(handle.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
  const services = createServices({
    db: handle,
    config,
    clock: () => new Date(),
    logger: createLogger(config),
  });
  const sql = handle.sql;
  const [court] = await sql<{ id: string }[]>`select id from organisations where code = '青0104'`;
  console.log(`filling ${ROWS} staff accounts and ${ROWS} audit entries …`);
  await sql`insert into users (email, password_hash, real_name, roles, organisation_id, created_at)
    select 'bench' || g || '@bench.test', 'x', '书记员' || g, '{court_clerk}', ${court!.id}, now() - g * interval '1 minute'
    from generate_series(1, ${ROWS}) g`;
  await sql`insert into audit_log (actor_id, action, entity_type, entity_id, data, at)
    select u.id, (array['user.login','user.disabled','listing.published','case.filed'])[1 + g % 4], 'user', u.id::text,
      jsonb_build_object('n', g), now() - g * interval '1 minute'
    from generate_series(1, ${ROWS}) g join lateral (select id from users where email = 'bench' || g || '@bench.test') u on true`;
  await sql`analyze`;
  const login = await services.identity.login(
    { email: 'court-admin@demo.lastmile.test', password: 'Demo2026lastmile' },
    { ip: '127.0.0.1' },
  );
  const admin = (await services.identity.resolveSession(login.token))!.actor;
  const deep = await services.identity.listAccounts(admin, {}, 5_000);
  const deepAudit = await services.identity.auditEntries(admin, {}, 5_000);

  const cases: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
    [
      'accounts: first page',
      () => services.identity.listAccounts(admin, {}),
      () =>
        sql`select * from users where organisation_id = ${court!.id} order by created_at desc, id desc limit 51`,
    ],
    [
      'accounts: search "书记员99"',
      () => services.identity.listAccounts(admin, { q: '书记员99' }),
      () =>
        sql`select * from users where organisation_id = ${court!.id} and real_name ilike '%书记员99%' order by created_at desc, id desc limit 51`,
    ],
    [
      'accounts: page after 5,000',
      () => services.identity.listAccounts(admin, { before: deep.next ?? undefined }),
      () =>
        sql`select * from users where organisation_id = ${court!.id} order by created_at desc, id desc offset 5000 limit 51`,
    ],
    [
      'audit: first page',
      () => services.identity.auditEntries(admin, {}),
      () => sql`select * from audit_log order by id desc limit 51`,
    ],
    [
      'audit: action user.disabled',
      () => services.identity.auditEntries(admin, { action: 'user.disabled' }),
      () => sql`select * from audit_log where action like 'user.disabled%' order by id desc limit 51`,
    ],
    [
      'audit: actor "书记员12"',
      () => services.identity.auditEntries(admin, { actor: '书记员12' }),
      () =>
        sql`select a.* from audit_log a join users u on u.id = a.actor_id where u.real_name ilike '%书记员12%' order by a.id desc limit 51`,
    ],
    [
      'audit: page after 5,000',
      () => services.identity.auditEntries(admin, { before: deepAudit.next ?? undefined }),
      () => sql`select * from audit_log where id < ${Number(deepAudit.next)} order by id desc limit 51`,
    ],
  ];
  console.log(
    `list (${ROWS} rows)`.padEnd(34),
    'p95 service'.padStart(12),
    'p95 baseline'.padStart(14),
    '  target < 200 ms',
  );
  for (const [name, service, baseline] of cases) {
    const s = await p95(service);
    const b = await p95(baseline);
    console.log(
      name.padEnd(34),
      `${s.toFixed(1)} ms`.padStart(12),
      `${b.toFixed(1)} ms`.padStart(14),
      s < 200 ? '  ok' : '  OVER',
    );
  }
} finally {
  await handle.sql.end();
  await bench.drop();
}
