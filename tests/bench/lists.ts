/**
 * npm run bench:lists — every growing staff list of issue 22 at 10,000 rows each: accounts, the
 * audit log (ADR 024), cases, the court's listings, deposits, aid claims and aid payment
 * batches. p95 of a page (first page, a search, a filter, a deep keyset page) through the
 * service, beside the baseline: the same page's bare SELECT … ORDER BY … LIMIT straight from
 * postgres.js (what the database alone costs). Target (issue 22): p95 < 200 ms. Rows are made
 * set-wise in SQL, from one template of each made through the services.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createDb } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';
import { loadConfig } from '../../server/config.js';
import { seedDemoAccounts } from '../../server/demo/seed-accounts.js';
import { createLogger } from '../../server/logger.js';
import { createServices } from '../../server/services.js';
import { policyInput } from '../support/aid.js';
import { assetInput, caseInput, listingInput } from '../support/court.js';
import { benchDatabase, machineSpeed, percentile } from './support.js';

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

const speed = machineSpeed();
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
  const actor = async (email: string) => {
    const login = await services.identity.login({ email, password: 'Demo2026lastmile' }, { ip: '127.0.0.1' });
    return (await services.identity.resolveSession(login.token))!.actor;
  };
  const admin = await actor('court-admin@demo.lastmile.test');
  const clerk = await actor('clerk@demo.lastmile.test');
  const adjuster = await actor('adjuster@demo.lastmile.test');
  const manager = await actor('insurer@demo.lastmile.test');

  // Templates through the services, then clones set-wise: one case (with its applicant), one
  // listing; cases, listings, deposits (one per bench user), claims and batches, ROWS of each.
  const tplCase = await services.cases.createCase(clerk, caseInput());
  const tplAsset = await services.cases.createAsset(clerk, tplCase.id, assetInput());
  const tplListing = await services.listings.createDraft(clerk, tplAsset.id, listingInput(new Date()));
  const policy = await services.aid.policies.createPolicy(
    manager,
    policyInput(court!.id, { limit: '1000000000' }),
  );
  console.log(`filling ${ROWS} cases, listings, deposits, aid claims and payment batches …`);
  // A clone writes every column but the generated ones (the case type, the search document).
  const clone = async (table: string, select: string, params: (string | number)[]) => {
    const [cols] = await sql<
      { c: string }[]
    >`select string_agg(quote_ident(column_name), ', ' order by ordinal_position) as c
      from information_schema.columns where table_schema = 'public' and table_name = ${table} and is_generated = 'NEVER'`;
    await sql.unsafe(`insert into ${table} (${cols!.c}) select ${cols!.c} from (${select}) x`, params);
  };
  await clone(
    'cases',
    `select (jsonb_populate_record(c, jsonb_build_object('id', gen_random_uuid(),
       'case_number', '(2024)青0104执' || (100000 + g) || '号', 'created_at', now() - g * interval '1 minute'))).*
     from cases c, generate_series(1, $1::int) g where c.id = $2::uuid`,
    [ROWS, tplCase.id],
  );
  await clone(
    'case_parties',
    `select (jsonb_populate_record(p, jsonb_build_object('id', gen_random_uuid(), 'case_id', c.id,
       'name', '申请人' || substring(c.case_number from 12)))).*
     from case_parties p join cases c on c.case_number like '(2024)青0104执1%'
     where p.case_id = $1::uuid and p.role = 'applicant'`,
    [tplCase.id],
  );
  await clone(
    'listings',
    `select (jsonb_populate_record(l, jsonb_build_object('id', gen_random_uuid(), 'title', '翻页商铺' || g || '号',
       'case_id', c.id, 'created_at', now() - g * interval '1 minute'))).*
     from listings l, generate_series(1, $1::int) g
     join cases c on c.case_number = '(2024)青0104执' || (100000 + g) || '号'
     where l.id = $2::uuid`,
    [ROWS, tplListing.id],
  );
  await sql`insert into registrations (listing_id, user_id, notices_accepted_at)
    select ${tplListing.id}, u.id, now() from users u where u.email like 'bench%@bench.test'`;
  await sql`insert into deposits (registration_id, listing_id, court_id, case_id, user_id, required_fen, amount_fen, status, created_at)
    select r.id, r.listing_id, ${court!.id}, ${tplCase.id}, r.user_id, 7000000, 7000000,
      (array['pending','held','released','applied']::deposit_status[])[1 + (row_number() over ()) % 4],
      now() - (row_number() over ()) * interval '1 minute'
    from registrations r where r.listing_id = ${tplListing.id}`;
  await sql`insert into aid_claims (number, court_id, policy_id, insurer_id, case_id, party_id, applicant_name,
      case_type, eligibility, hardship, unpaid_fen, requested_fen, computed_fen, payee_name, bank_name,
      account_number, status, filed_via, filed_by, submitted_at, decision_due_at, created_at)
    select 'JZ-BENCH-' || p.name, ${court!.id}, ${policy.id}, ${policy.insurerId}, p.case_id, p.id, p.name,
      'personal_injury', 'terminated_without_property', '困难', 8000000, 3500000, 3500000, p.name,
      '农行', '6228480012345678901',
      (array['submitted','insurer_review','paid','closed','draft']::aid_claim_status[])[1 + (row_number() over ()) % 5],
      'clerk', ${clerk.userId}, now() - interval '3 days',
      now() + ((row_number() over ()) % 40 - 20) * interval '1 day', now()
    from case_parties p join cases c on c.id = p.case_id and c.case_number like '(2024)青0104执1%'`;
  await sql`insert into disbursement_batches (number, purpose, payer_id, status, prepared_by, prepared_at)
    select 'PB-BENCH-' || g, 'aid_claim', ${policy.insurerId}, 'settled', ${adjuster.userId}, now() - g * interval '1 hour'
    from generate_series(1, ${ROWS}) g`;
  await sql`analyze`;
  const deep = await services.identity.listAccounts(admin, {}, 5_000);
  const deepAudit = await services.identity.auditEntries(admin, {}, 5_000);
  const deepCases = await services.cases.listCases(clerk, {}, 5_000);
  const deepListing = await services.listings.pageForCourt(clerk, {}, 5_000);
  const deepDeposit = await services.payments.courtDeposits(clerk, {}, 5_000);
  const deepClaim = await services.aid.claims.listClaims(adjuster, {}, 5_000);
  const deepBatch = await services.aid.payments.pageBatches(adjuster, {}, 5_000);

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
    [
      'cases: first page',
      () => services.cases.listCases(clerk),
      () => sql`select * from cases where court_id = ${court!.id} order by created_at desc, id desc limit 21`,
    ],
    [
      'cases: party "申请人10012"',
      () => services.cases.listCases(clerk, { q: '申请人10012' }),
      () =>
        sql`select c.* from cases c where c.court_id = ${court!.id} and exists (select 1 from case_parties p where p.case_id = c.id and p.name ilike '%申请人10012%') limit 20`,
    ],
    [
      'cases: page after 5,000',
      () => services.cases.listCases(clerk, { before: deepCases.next ?? undefined }),
      () =>
        sql`select * from cases where court_id = ${court!.id} order by created_at desc, id desc offset 5000 limit 21`,
    ],
    [
      'listings: first page',
      () => services.listings.pageForCourt(clerk, {}),
      () =>
        sql`select * from listings where court_id = ${court!.id} order by created_at desc, id desc limit 51`,
    ],
    [
      'listings: search "翻页商铺99"',
      () => services.listings.pageForCourt(clerk, { q: '翻页商铺99' }),
      () =>
        sql`select * from listings where court_id = ${court!.id} and title ilike '%翻页商铺99%' order by created_at desc, id desc limit 51`,
    ],
    [
      'listings: page after 5,000',
      () => services.listings.pageForCourt(clerk, { before: deepListing.next ?? undefined }),
      () =>
        sql`select * from listings where court_id = ${court!.id} order by created_at desc, id desc offset 5000 limit 51`,
    ],
    [
      'deposits: first page',
      () => services.payments.courtDeposits(clerk, {}),
      () =>
        sql`select * from deposits where court_id = ${court!.id} order by created_at desc, id desc limit 101`,
    ],
    [
      'deposits: status held',
      () => services.payments.courtDeposits(clerk, { status: 'held' }),
      () =>
        sql`select * from deposits where court_id = ${court!.id} and status = 'held' order by created_at desc, id desc limit 101`,
    ],
    [
      'deposits: page after 5,000',
      () => services.payments.courtDeposits(clerk, { before: deepDeposit.next ?? undefined }),
      () =>
        sql`select * from deposits where court_id = ${court!.id} order by created_at desc, id desc offset 5000 limit 101`,
    ],
    [
      'aid claims: first page',
      () => services.aid.claims.listClaims(adjuster, {}),
      () =>
        sql`select * from aid_claims where insurer_id = ${policy.insurerId} order by decision_due_at, id limit 26`,
    ],
    [
      'aid claims: search "申请人10012"',
      () => services.aid.claims.listClaims(adjuster, { q: '申请人10012' }),
      () =>
        sql`select * from aid_claims where insurer_id = ${policy.insurerId} and applicant_name ilike '%申请人10012%' order by decision_due_at, id limit 26`,
    ],
    [
      'aid claims: page after 5,000',
      () => services.aid.claims.listClaims(adjuster, { before: deepClaim.next ?? undefined }),
      () =>
        sql`select * from aid_claims where insurer_id = ${policy.insurerId} order by decision_due_at, id offset 5000 limit 26`,
    ],
    [
      'aid batches: first page',
      () => services.aid.payments.pageBatches(adjuster, {}),
      () =>
        sql`select * from disbursement_batches where payer_id = ${policy.insurerId} order by prepared_at desc, id desc limit 21`,
    ],
    [
      'aid batches: search "PB-BENCH-99"',
      () => services.aid.payments.pageBatches(adjuster, { q: 'PB-BENCH-99' }),
      () =>
        sql`select * from disbursement_batches where payer_id = ${policy.insurerId} and number ilike '%PB-BENCH-99%' order by prepared_at desc, id desc limit 21`,
    ],
    [
      'aid batches: page after 5,000',
      () => services.aid.payments.pageBatches(adjuster, { before: deepBatch.next ?? undefined }),
      () =>
        sql`select * from disbursement_batches where payer_id = ${policy.insurerId} order by prepared_at desc, id desc offset 5000 limit 21`,
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
      // The machine is shared: each figure beside the load it was measured under.
      `  load ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
  }
  speed();
} finally {
  await handle.sql.end();
  await bench.drop();
}
