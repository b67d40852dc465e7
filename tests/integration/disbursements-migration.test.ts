import { randomBytes, randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type DbHandle } from '../../db/client';
import { MIGRATIONS_DIR, runMigrations } from '../../db/migrate';
import { disbursementBatches, disbursements } from '../../db/schema/disbursements';
import type { Actor } from '../../server/identity/permissions';
import { buildServices } from '../support/fixtures';

// Migration 0007 renames the aid payment tables into the disbursements module's. Live data must
// survive it: a database holding aid payments at 0006 is migrated and read back as disbursements,
// by the schema and by the aid services.

const adminUrl = () => inject('pgAdminUrl');
let name: string;
let handle: DbHandle;
let tmp: string;

const ids = {
  court: randomUUID(),
  insurer: randomUUID(),
  maker: randomUUID(),
  checker: randomUUID(),
  case: randomUUID(),
  party: randomUUID(),
  policy: randomUUID(),
  claim: randomUUID(),
  batch: randomUUID(),
  failed: randomUUID(),
  reissue: randomUUID(),
};

/** The committed migrations up to and including `lastTag`, as a folder drizzle's migrator reads. */
async function migrationsUpTo(lastTag: string) {
  const dir = path.join(tmp, lastTag);
  await mkdir(path.join(dir, 'meta'), { recursive: true });
  const journal = JSON.parse(await readFile(path.join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8'));
  const last = journal.entries.findIndex((e: { tag: string }) => e.tag === lastTag);
  journal.entries = journal.entries.slice(0, last + 1);
  await writeFile(path.join(dir, 'meta/_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries)
    await copyFile(path.join(MIGRATIONS_DIR, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'lastmile-migrations-'));
  name = `lastmile_mig_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  handle = createDb(url.toString(), { max: 4 });
  await runMigrations(handle, await migrationsUpTo('0006_aid'));

  // Aid as it stood at 0006: a claim in payment, a batch sent to the bank, a payment the bank
  // refused and its reissue on its way.
  const sql = handle.sql;
  await sql`insert into organisations (id, kind, code, name_zh, name_en) values
    (${ids.court}, 'court', ${`mig-court-${name}`}, '某法院', 'A court'),
    (${ids.insurer}, 'insurer', ${`mig-ins-${name}`}, '某保险', 'An insurer')`;
  await sql`insert into users (id, email, password_hash, real_name, roles, organisation_id) values
    (${ids.maker}, ${`maker-${name}@test`}, 'x', '制单', '{insurer_adjuster}', ${ids.insurer}),
    (${ids.checker}, ${`checker-${name}@test`}, 'x', '复核', '{insurer_manager}', ${ids.insurer})`;
  await sql`insert into cases (id, court_id, case_number, basis, amount_owed_fen, status)
    values (${ids.case}, ${ids.court}, '(2025)青0104执1号', '判决书', 8000000, 'terminated_without_property')`;
  await sql`insert into case_parties (id, case_id, role, kind, name, claim_fen)
    values (${ids.party}, ${ids.case}, 'applicant', 'person', '韩某某', 8000000)`;
  await sql`insert into aid_policies (id, number, insurer_id, court_id, starts_on, ends_on, premium_fen, limit_fen,
      eligible_case_types, formula)
    values (${ids.policy}, ${`P-${name}`}, ${ids.insurer}, ${ids.court}, '2026-01-01', '2026-12-31', 100, 10000000,
      '{personal_injury}', ${JSON.stringify({ tiers: [{ upToFen: null, rateBp: 10000 }], capFen: '10000000' })}::jsonb)`;
  await sql`insert into aid_claims (id, number, court_id, policy_id, insurer_id, case_id, party_id, applicant_name,
      case_type, eligibility, hardship, unpaid_fen, requested_fen, computed_fen, court_approved_fen, approved_fen,
      payee_name, bank_name, account_number, status, filed_via, filed_by)
    values (${ids.claim}, 'JZ2026000042', ${ids.court}, ${ids.policy}, ${ids.insurer}, ${ids.case}, ${ids.party},
      '韩某某', 'personal_injury', 'terminated_without_property', '困难', 8000000, 3500000, 3500000, 3500000, 3500000,
      '韩某某', '农业银行', '6228480012345678901', 'payment', 'clerk', ${ids.maker})`;
  await sql`insert into aid_payment_batches (id, number, insurer_id, status, prepared_by, prepared_at, approved_by,
      approved_at, sent_by, sent_at)
    values (${ids.batch}, 'PB20260302-001', ${ids.insurer}, 'sent', ${ids.maker}, now(), ${ids.checker}, now(),
      ${ids.maker}, now())`;
  await sql`insert into aid_payments (id, reference, batch_id, claim_id, insurer_id, payee_name, bank_name,
      account_number, amount_fen, status, failure_reason, prepared_by, approved_by, sent_at, settled_at)
    values (${ids.failed}, 'PB20260302-001-0001', ${ids.batch}, ${ids.claim}, ${ids.insurer}, '韩某某', '农业银行',
      '6228480000000000000', 3500000, 'failed', 'wrong_account', ${ids.maker}, ${ids.checker}, now(), now())`;
  await sql`insert into aid_payments (id, reference, batch_id, claim_id, insurer_id, payee_name, bank_name,
      account_number, amount_fen, status, reissue_of, prepared_by, approved_by, sent_at)
    values (${ids.reissue}, 'PB20260302-001-0002', ${ids.batch}, ${ids.claim}, ${ids.insurer}, '韩某某', '农业银行',
      '6228480012345678901', 3500000, 'sent', ${ids.failed}, ${ids.maker}, ${ids.checker}, now())`;

  await runMigrations(handle); // every committed migration: only 0007 is new here
}, 60_000);

afterAll(async () => {
  await handle?.close();
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
  await rm(tmp, { recursive: true, force: true });
});

describe('migration 0007: aid payments become disbursements', () => {
  it('keeps every row, id, reference, status and link, as purpose aid_claim with the claim as subject', async () => {
    const [batch] = await handle.db
      .select()
      .from(disbursementBatches)
      .where(eq(disbursementBatches.id, ids.batch));
    expect(batch).toMatchObject({
      number: 'PB20260302-001',
      purpose: 'aid_claim',
      payerId: ids.insurer,
      status: 'sent',
      preparedBy: ids.maker,
      approvedBy: ids.checker,
    });
    const rows = await handle.db
      .select()
      .from(disbursements)
      .where(eq(disbursements.batchId, ids.batch))
      .orderBy(disbursements.reference);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      id: ids.failed,
      reference: 'PB20260302-001-0001',
      purpose: 'aid_claim',
      subjectId: ids.claim,
      payerId: ids.insurer,
      amountFen: 3_500_000n,
      status: 'failed',
      failureReason: 'wrong_account',
      memo: '执行救助金 JZ2026000042',
    });
    expect(rows[1]).toMatchObject({ id: ids.reissue, status: 'sent', reissueOf: ids.failed });
    // The old names are gone.
    const [old] =
      await handle.sql`select to_regclass('aid_payments') as a, to_regclass('aid_payment_batches') as b`;
    expect(old).toEqual({ a: null, b: null });
  });

  it('keeps the constraints: one reference, positive amounts, the reissue link; the subject is opaque', async () => {
    const row = {
      batchId: ids.batch as string,
      purpose: 'aid_claim',
      subjectId: ids.claim,
      payerId: ids.insurer,
      payeeName: '韩某某',
      bankName: '农业银行',
      accountNumber: '6228480012345678901',
      amountFen: 100n,
      memo: 'x',
      preparedBy: ids.maker,
    };
    const violated = async (values: typeof row & { reference: string; reissueOf?: string }) => {
      try {
        await handle.db.insert(disbursements).values(values);
        return null;
      } catch (e) {
        return ((e as { cause?: { constraint_name?: string } }).cause ?? (e as { constraint_name?: string }))
          .constraint_name;
      }
    };
    expect(await violated({ ...row, reference: 'PB20260302-001-0001' })).toBe('disbursements_reference_key');
    expect(await violated({ ...row, reference: 'R-ZERO', amountFen: 0n })).toBe('disbursements_amount');
    expect(await violated({ ...row, reference: 'R-LINK', reissueOf: randomUUID() })).toBe(
      'disbursements_reissue_of_disbursements_id_fk',
    );
    // No foreign key to any purpose's table: a subject is whatever the purpose says it is.
    const [other] = await handle.db
      .insert(disbursementBatches)
      .values({
        number: 'FB20260302-001',
        purpose: 'case_funds',
        payerId: ids.court,
        preparedBy: ids.maker,
        preparedAt: new Date(),
      })
      .returning();
    expect(
      await violated({
        ...row,
        batchId: other!.id,
        reference: 'R-OTHER',
        purpose: 'case_funds',
        subjectId: randomUUID(),
      }),
    ).toBe(null);
    const indexes = await handle.sql<{ indexname: string }[]>`
      select indexname from pg_indexes where tablename in ('disbursements', 'disbursement_batches') order by 1`;
    expect(indexes.map((i) => i.indexname)).toEqual([
      'disbursement_batches_number_key',
      'disbursement_batches_payer_idx',
      'disbursement_batches_pkey',
      'disbursements_batch_idx',
      'disbursements_pkey',
      'disbursements_reference_key',
      'disbursements_settled_idx',
      'disbursements_subject_idx',
    ]);
  });

  it('the insurer’s payment desk reads the migrated batch as before, and its bank file carries the memo', async () => {
    const services = buildServices(handle);
    const adjuster: Actor = {
      userId: ids.maker,
      sessionId: 'test',
      roles: ['insurer_adjuster'],
      organisationId: ids.insurer,
      orgKind: 'insurer',
    };
    const got = await services.aid.payments.getBatch(adjuster, ids.batch);
    expect(got.payments.map((p) => [p.reference, p.claimId, p.claimNumber, p.status])).toEqual([
      ['PB20260302-001-0001', ids.claim, 'JZ2026000042', 'failed'],
      ['PB20260302-001-0002', ids.claim, 'JZ2026000042', 'sent'],
    ]);
    expect(got.can).toEqual({ approve: false, export: true });
    const file = await services.aid.payments.exportBatch(adjuster, ids.batch);
    expect(file.csv).toContain(
      'PB20260302-001-0002,韩某某,农业银行,6228480012345678901,35000.00,CNY,执行救助金 JZ2026000042',
    );
    const failed = await services.aid.payments.failedPayments(adjuster);
    expect(failed.map((p) => [p.id, p.can])).toEqual([[ids.failed, { reissue: true, cancel: true }]]);
  });
});
