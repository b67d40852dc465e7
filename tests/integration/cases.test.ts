import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetFiles } from '../../db/schema/cases';
import { seedDemoAccounts } from '../../server/demo/seed-accounts';
import { actorFor, assetInput, caseInput, courtStaff } from '../support/court';
import { createTestDatabase } from '../support/db';
import { buildServices, caught, testConfig } from '../support/fixtures';

const config = testConfig();
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let services: ReturnType<typeof buildServices>;

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
  services = buildServices(db, { config: testConfig() });
});
afterAll(() => db.drop());

describe('enforcement cases', () => {
  it('a clerk files a case under his court’s code; amounts are integer fen', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const c = await services.cases.createCase(clerk, caseInput());
    expect(c.amountOwedFen).toBe(125_000_000n);
    const full = await services.cases.getCase(clerk, c.id);
    expect(full.parties.map((p) => p.role).sort()).toEqual(['applicant', 'respondent']);
    expect(full.parties.find((p) => p.role === 'applicant')!.claimFen).toBe(125_000_000n);
  });

  it('validates the case number format and the court code', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const bad = await caught(
      services.cases.createCase(clerk, { ...caseInput(), caseNumber: '2024青0104执123' }),
    );
    expect(bad.details.fieldErrors?.caseNumber).toEqual(['validation.caseNumber']);
    const other = await caught(services.cases.createCase(clerk, caseInput('青01')));
    expect(other.details.fieldErrors?.caseNumber).toEqual(['validation.caseNumberCourt']);
    // Full-width parentheses are the same number.
    const input = caseInput();
    await services.cases.createCase(clerk, input);
    const dup = await caught(
      services.cases.createCase(clerk, {
        ...input,
        caseNumber: input.caseNumber.replace('(', '（').replace(')', '）'),
      }),
    );
    expect(dup.details.fieldErrors?.caseNumber).toEqual(['validation.caseNumberTaken']);
  });

  it('needs an applicant and a debtor, and a well-formed amount', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const e = await caught(
      services.cases.createCase(clerk, {
        ...caseInput(),
        amountOwed: '12.345',
        parties: [caseInput().parties[1]],
      }),
    );
    expect(e.details.fieldErrors).toMatchObject({
      amountOwed: ['validation.amount'],
      parties: ['validation.needApplicant'],
    });
  });

  it('a clerk of court A never sees court B’s cases or assets (404, not 403)', async () => {
    const a = await actorFor(services, 'clerk@demo.lastmile.test');
    // B: a court beside A under the same intermediate court (a court above A reads its cases,
    // see case-lifecycle.test.ts).
    const b = await courtStaff(db.db, { code: '青0105', parentCode: '青01' });
    const c = await services.cases.createCase(a, caseInput());
    const asset = await services.cases.createAsset(a, c.id, assetInput());
    expect((await caught(services.cases.getCase(b, c.id))).code).toBe('not_found');
    expect((await caught(services.cases.getAsset(b, asset.id))).code).toBe('not_found');
    expect((await caught(services.cases.createAsset(b, c.id, assetInput()))).code).toBe('not_found');
    const listed = await services.cases.listCases(b);
    expect(listed.rows.map((r) => r.id)).not.toContain(c.id);
  });

  it('bidders, insurers and panel members cannot file cases', async () => {
    for (const email of [
      'bidder@demo.lastmile.test',
      'adjuster@demo.lastmile.test',
      'panel@demo.lastmile.test',
    ]) {
      const actor = await actorFor(services, email);
      expect((await caught(services.cases.createCase(actor, caseInput()))).code).toBe('forbidden');
    }
  });
});

describe('what the court may do now (affordances, ADR 010)', () => {
  it('the case list and a case offer filing and asset registration to the clerk only, as the service allows', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const panel = await actorFor(services, 'panel@demo.lastmile.test');
    const c = await services.cases.createCase(clerk, caseInput());
    expect((await services.cases.listCases(clerk)).can).toEqual({ create: true });
    expect((await services.cases.listCases(panel)).can).toEqual({ create: false });
    expect((await services.cases.getCase(clerk, c.id)).can).toEqual({
      addAsset: true,
      recordMeasure: true,
      search: true,
      manageIntervals: true,
      extend: false,
      close: true,
      resume: false,
      dismissResumption: false,
      receiveComplaint: true,
    });
    // The panel judge does the enforcement work too, but registers no assets.
    expect((await services.cases.getCase(panel, c.id)).can).toEqual({
      addAsset: false,
      recordMeasure: true,
      search: true,
      manageIntervals: true,
      extend: false,
      close: true,
      resume: false,
      dismissResumption: false,
      receiveComplaint: true,
    });
    expect((await caught(services.cases.createAsset(panel, c.id, assetInput()))).code).toBe('forbidden');
    const asset = await services.cases.createAsset(clerk, c.id, assetInput());
    const upload = { kind: 'photo' as const, filename: 'p.png', bytes: PNG };
    expect((await caught(services.cases.attachFile(panel, asset.id, upload))).code).toBe('forbidden');
    expect((await services.cases.attachFile(clerk, asset.id, upload)).kind).toBe('photo');
  });
});

describe('asset files', () => {
  it('stores a photo recognised by its bytes, and refuses a disguised or oversized file', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const c = await services.cases.createCase(clerk, caseInput());
    const asset = await services.cases.createAsset(clerk, c.id, assetInput());
    const f = await services.cases.attachFile(clerk, asset.id, {
      kind: 'photo',
      filename: 'room.png',
      bytes: PNG,
    });
    expect(f.contentType).toBe('image/png');
    expect(f.size).toBe(PNG.length);
    const back = await services.cases.readFile(clerk, f.id);
    expect(Buffer.compare(back.bytes, PNG)).toBe(0);

    const fake = await caught(
      services.cases.attachFile(clerk, asset.id, {
        kind: 'photo',
        filename: 'x.png',
        bytes: Buffer.from('hello'),
      }),
    );
    expect(fake.details.fieldErrors?.file).toEqual(['validation.fileType']);
    const pdfAsPhoto = await caught(
      services.cases.attachFile(clerk, asset.id, {
        kind: 'photo',
        filename: 'x.pdf',
        bytes: Buffer.from('%PDF-1.7'),
      }),
    );
    expect(pdfAsPhoto.details.fieldErrors?.file).toEqual(['validation.fileType']);
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
    expect(
      (
        await caught(
          services.cases.attachFile(clerk, asset.id, { kind: 'photo', filename: 'big.png', bytes: big }),
        )
      ).details.fieldErrors?.file,
    ).toEqual(['validation.fileTooLarge']);
    expect(await db.db.select().from(assetFiles).where(eq(assetFiles.assetId, asset.id))).toHaveLength(1);
  });

  it('files of an unpublished asset are hidden from the public and from other courts', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const other = await actorFor(services, 'clerk.xining@demo.lastmile.test');
    const c = await services.cases.createCase(clerk, caseInput());
    const asset = await services.cases.createAsset(clerk, c.id, assetInput());
    const f = await services.cases.attachFile(clerk, asset.id, {
      kind: 'photo',
      filename: 'a.png',
      bytes: PNG,
    });
    expect((await caught(services.cases.readFile(null, f.id))).code).toBe('not_found');
    expect((await caught(services.cases.readFile(other, f.id))).code).toBe('not_found');
  });
});
