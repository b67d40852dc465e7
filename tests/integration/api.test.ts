import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCreditCheckCharacter } from '../../server/identity/credit-code';
import { actorFor, assetInput, caseInput, courtStaff, listingInput } from '../support/court';
import { nationalId } from '../support/fixtures';
import { startTestServer } from '../support/server';

let server: Awaited<ReturnType<typeof startTestServer>>;
let chengxi: string; // token acting as the Chengxi clerk
let xining: string; // token of another court

beforeAll(async () => {
  server = await startTestServer();
  const s = server.services;
  const admin = await actorFor(s, 'court-admin@demo.lastmile.test');
  const clerk = await actorFor(s, 'clerk@demo.lastmile.test');
  chengxi = (await s.apiTokens.issue(admin, { name: 'case system', actsAs: clerk.userId })).token;
  // The platform admin has no court; issue the other court's token through its clerk's own admin scope:
  // simulate the Xining court admin by giving the Xining clerk's organisation a token directly.
  const xClerk = await actorFor(s, 'clerk.xining@demo.lastmile.test');
  xining = (
    await s.apiTokens.issue({ ...xClerk, roles: ['court_admin'] }, { name: 'x', actsAs: xClerk.userId })
  ).token;
});
afterAll(() => server.stop());

const call = (path: string, token: string | null, init: RequestInit = {}) =>
  fetch(`${server.url}/api/v1${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
      ...init.headers,
    },
  });

describe('court API', () => {
  it('creates a case, an asset and a draft listing, and submits it; money comes back in fen', async () => {
    const c = await call('/cases', chengxi, { method: 'POST', body: JSON.stringify(caseInput()) });
    expect(c.status).toBe(201);
    const kase = await c.json();
    expect(kase.amountOwedFen).toBe('125000000');
    const a = await call(`/cases/${kase.id}/assets`, chengxi, {
      method: 'POST',
      body: JSON.stringify(assetInput()),
    });
    expect(a.status).toBe(201);
    const asset = await a.json();
    const l = await call(`/assets/${asset.id}/listings`, chengxi, {
      method: 'POST',
      body: JSON.stringify(listingInput(new Date())),
    });
    expect(l.status).toBe(201);
    const listing = await l.json();
    expect(listing.startingPriceFen).toBe('70000000');
    const sub = await call(`/listings/${listing.id}/submit`, chengxi, { method: 'POST' });
    expect(sub.status).toBe(200);
    expect((await sub.json()).status).toBe('pending_approval');
  });

  it('answers bad input with problem details naming each field, and writes nothing', async () => {
    const before = (await (await call('/cases', chengxi)).json()).total;
    const r = await call('/cases', chengxi, {
      method: 'POST',
      body: JSON.stringify({ ...caseInput(), caseNumber: 'nonsense', amountOwed: '-1' }),
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    const body = await r.json();
    expect(body.code).toBe('validation');
    expect(Object.keys(body.errors).sort()).toEqual(['amountOwed', 'caseNumber']);
    expect(body.errors.caseNumber[0].message).toMatch(/case number/i);
    expect((await (await call('/cases', chengxi)).json()).total).toBe(before);
  });

  it('applies the law’s rules exactly as the forms do', async () => {
    const kase = await (
      await call('/cases', chengxi, { method: 'POST', body: JSON.stringify(caseInput()) })
    ).json();
    const asset = await (
      await call(`/cases/${kase.id}/assets`, chengxi, { method: 'POST', body: JSON.stringify(assetInput()) })
    ).json();
    const r = await call(`/assets/${asset.id}/listings`, chengxi, {
      method: 'POST',
      body: JSON.stringify(listingInput(new Date(), { startingPrice: '699999.99' })),
    });
    expect(r.status).toBe(400);
    expect((await r.json()).errors.startingPrice[0].key).toBe('rules.startBelow70');
  });

  it('designates priority purchasers by identity: validated like signup, stored sealed, returned masked', async () => {
    const kase = await (
      await call('/cases', chengxi, { method: 'POST', body: JSON.stringify(caseInput()) })
    ).json();
    const asset = await (
      await call(`/cases/${kase.id}/assets`, chengxi, { method: 'POST', body: JSON.stringify(assetInput()) })
    ).json();
    const id = nationalId();
    const code = withCreditCheckCharacter('91630100MA752K8Q1');
    const wrong = (n: string) => `${n.slice(0, 17)}${n[17] === '0' ? '1' : '0'}`;
    const post = (priorityPurchasers: unknown[]) =>
      call(`/assets/${asset.id}/listings`, chengxi, {
        method: 'POST',
        body: JSON.stringify(listingInput(new Date(), { priorityPurchasers })),
      });
    const row = { name: '赵某', rank: 1, rightKind: 'co_owner' };

    const bad = await post([
      { ...row, identityKind: 'person', idNumber: wrong(id) },
      { ...row, identityKind: 'organisation', idNumber: wrong(code) },
      { ...row, idNumber: id },
    ]);
    expect(bad.status).toBe(400);
    const problem = await bad.json();
    expect(Object.keys(problem.errors).sort()).toEqual([
      'priorityPurchasers.0.idNumber',
      'priorityPurchasers.1.idNumber',
      'priorityPurchasers.2.identityKind',
    ]);
    expect(problem.errors['priorityPurchasers.0.idNumber'][0].key).toBe('validation.nationalId');
    expect(problem.errors['priorityPurchasers.1.idNumber'][0].key).toBe('validation.creditCode');
    expect(problem.errors['priorityPurchasers.1.idNumber'][0].message).toMatch(/credit code/);

    const ok = await post([
      { ...row, identityKind: 'person', idNumber: id },
      {
        ...row,
        name: '青海某投资有限公司',
        rank: 2,
        rightKind: 'shareholder',
        identityKind: 'organisation',
        idNumber: code,
      },
    ]);
    expect(ok.status).toBe(201);
    const listing = await ok.json();
    const read = await call(`/listings/${listing.id}`, chengxi);
    const text = await read.text();
    const { purchasers } = JSON.parse(text);
    expect(purchasers).toEqual([
      expect.objectContaining({
        rank: 1,
        identityKind: 'person',
        identityMasked: `${id.slice(0, 3)}***********${id.slice(-4)}`,
      }),
      expect.objectContaining({
        rank: 2,
        identityKind: 'organisation',
        identityMasked: `${code.slice(0, 3)}***********${code.slice(-4)}`,
      }),
    ]);
    for (const secret of [id, code, 'identityCipher', 'identityDigest']) expect(text).not.toContain(secret);
  });

  it('another court’s token gets 404 for this court’s case; no token or a revoked one gets 401', async () => {
    const kase = await (
      await call('/cases', chengxi, { method: 'POST', body: JSON.stringify(caseInput()) })
    ).json();
    // Another court: one beside Chengxi (Xining is above it and reads it, see the lifecycle test).
    expect((await call(`/cases/${kase.id}`, await courtStaffToken())).status).toBe(404);
    expect((await call(`/cases/${kase.id}`, chengxi)).status).toBe(200);
    const none = await call('/cases', null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await call('/cases', 'lm_forged')).status).toBe(401);

    const admin = await actorFor(server.services, 'court-admin@demo.lastmile.test');
    const clerk = await actorFor(server.services, 'clerk@demo.lastmile.test');
    const t = await server.services.apiTokens.issue(admin, { name: 'temp', actsAs: clerk.userId });
    expect((await call('/cases', t.token)).status).toBe(200);
    await server.services.apiTokens.revoke(admin, t.id);
    expect((await call('/cases', t.token)).status).toBe(401);
  });

  it('reads the post-sale desk and one sale as the pages do; another court gets 404, money in fen', async () => {
    const desk = await call('/sales', chengxi);
    expect(desk.status).toBe(200);
    const body = await desk.json();
    // The demo sales (server/demo/seed-sales.ts): rulings due, the overdue one first; handovers due.
    expect(body.rulings.length).toBeGreaterThanOrEqual(3);
    expect(body.rulings[0].sale.rulingOverdueAt).toEqual(expect.any(String));
    expect(body.handovers.length).toBeGreaterThanOrEqual(4);
    expect(body.rulings[0].sale.priceFen).toMatch(/^\d+$/);
    expect(JSON.stringify(body)).not.toContain('rulingStorageKey');

    const issued = body.handovers.find(
      (r: { sale: { status: string } }) => r.sale.status === 'ruling_issued',
    );
    const one = await call(`/sales/${issued.sale.listingId}`, chengxi);
    expect(one.status).toBe(200);
    const sale = await one.json();
    expect(sale.sale.rulingNumber).toMatch(/^\(2026\)青0104执\d+号之一$/);
    expect(sale.steps.map((s: { key: string }) => s.key)).toEqual([
      'hammer',
      'confirmation',
      'balancePaid',
      'ruling',
      'service',
      'handover',
    ]);
    // The token acts as a clerk: he records service and the handover; the ruling is a judge's.
    expect(sale.can).toMatchObject({ recordService: true, issueRuling: false });

    const foreign = await call(`/sales/${issued.sale.listingId}`, xining);
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).code).toBe('not_found');
    const theirs = await (await call('/sales', xining)).json();
    expect([...theirs.rulings, ...theirs.handovers, ...theirs.done]).toEqual([]);
    expect((await call('/sales/not-a-uuid', chengxi)).status).toBe(404);
  });

  it('a clerk cannot issue tokens; tokens are stored hashed', async () => {
    const clerk = await actorFor(server.services, 'clerk@demo.lastmile.test');
    await expect(
      server.services.apiTokens.issue(clerk, { name: 'x', actsAs: clerk.userId }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    const rows = await server.db.sql`select token_hash from api_tokens`;
    expect(rows.every((r) => !String(r.token_hash).startsWith('lm_'))).toBe(true);
  });

  it('serves an OpenAPI 3.1 document generated from the schemas', async () => {
    const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/cases',
        '/cases/{id}/assets',
        '/assets/{id}/listings',
        '/listings/{id}/submit',
        '/sales',
        '/sales/{id}',
      ]),
    );
    expect(doc.components.schemas.CreateCase.properties).toHaveProperty('caseNumber');
    expect(doc.components.schemas.ListingTerms.required).toEqual(
      expect.arrayContaining(['startingPrice', 'deposit']),
    );
    const purchaser = doc.components.schemas.ListingTerms.properties.priorityPurchasers.items;
    expect(purchaser.required).toEqual(expect.arrayContaining(['name', 'rank', 'identityKind', 'idNumber']));
    expect(purchaser.properties.identityKind.enum).toEqual(['person', 'organisation']);
    expect(purchaser.properties.idNumber.description).toMatch(/credit code/);
  });
});

describe('court API: the case lifecycle', () => {
  it('files with a filing date, records measures, refuses 终本 naming the missing conditions, and reads the same as the page', async () => {
    const kase = await (
      await call('/cases', chengxi, {
        method: 'POST',
        body: JSON.stringify({ ...caseInput(), filedOn: '2025-01-02', titleKind: 'non_litigation' }),
      })
    ).json();
    expect(kase).toMatchObject({
      filedOn: '2025-01-02',
      titleKind: 'non_litigation',
      caseType: 'first',
      dueOn: '2025-04-02',
    });
    const m = await call(`/cases/${kase.id}/measures`, chengxi, {
      method: 'POST',
      body: JSON.stringify({
        kind: 'enforcement_notice',
        takenOn: '2025-01-03',
        details: { serviceMethod: 'direct' },
      }),
    });
    expect(m.status).toBe(201);
    const bad = await call(`/cases/${kase.id}/measures`, chengxi, {
      method: 'POST',
      body: JSON.stringify({ kind: 'property_report', takenOn: '2025-01-03', details: { outcome: 'maybe' } }),
    });
    expect(bad.status).toBe(400);
    expect(Object.keys((await bad.json()).errors).sort()).toEqual(['outcome', 'summary']);
    const refused = await call(`/cases/${kase.id}/closure`, chengxi, {
      method: 'POST',
      body: JSON.stringify({
        mode: 'terminated_for_now',
        ruling: 'x',
        unpaid: '1000',
        confirmation: 'applicant_signed',
      }),
    });
    expect(refused.status).toBe(409);
    const problem = await refused.json();
    expect(problem.params.missing.split(',')).toContain('restriction_and_listing');
    expect(problem.errors.conditions.map((e: { key: string }) => e.key)).toContain(
      'zhongbenCondition.restriction_and_listing',
    );
    expect(problem.errors.conditions[0].message).toMatch(/notice/i);
    const read = await (await call(`/cases/${kase.id}`, chengxi)).json();
    expect(read.measures.map((x: { kind: string }) => x.kind)).toEqual(['enforcement_notice']);
    expect(read.checklist.missing).toEqual(problem.params.missing.split(','));
    // Another court's token: not found; its intermediate court reads it (Xining is above Chengxi).
    const other = await courtStaffToken();
    expect((await call(`/cases/${kase.id}`, other)).status).toBe(404);
    const above = await call(`/cases/${kase.id}`, xining);
    expect(above.status).toBe(200);
    expect((await above.json()).readOnly).toBe(true);
    expect((await call(`/cases/${kase.id}/measures`, xining, { method: 'POST', body: '{}' })).status).toBe(
      400,
    );
    expect(
      (
        await call(`/cases/${kase.id}/measures`, xining, {
          method: 'POST',
          body: JSON.stringify({
            kind: 'fine',
            takenOn: '2025-01-03',
            details: { person: 'x', amountFen: '1' },
          }),
        })
      ).status,
    ).toBe(403);
    const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
    expect(doc.paths['/cases/{id}/closure'].post.responses[409]).toBeDefined();
    expect(doc.components.schemas.MeasureDetails_property_report.required).toEqual(['outcome', 'summary']);
  });
});

describe("court API: a case's funds", () => {
  it('reads and writes them with the same rules: claims, a plan refused without money, another court not found', async () => {
    const kase = await (
      await call('/cases', chengxi, { method: 'POST', body: JSON.stringify(caseInput()) })
    ).json();
    const full = await (await call(`/cases/${kase.id}`, chengxi)).json();
    const applicant = full.parties.find((p: { role: string }) => p.role === 'applicant');
    const claim = {
      partyId: applicant.id,
      class: 'ordinary',
      titleNumber: '(2025)青0104民初88号',
      principal: '1250000',
      payeeName: '李四',
      bankName: '中国银行西宁分行',
      accountNumber: '6216600000000001',
    };
    const bad = await call(`/cases/${kase.id}/claims`, chengxi, {
      method: 'POST',
      body: JSON.stringify({ ...claim, class: 'friendship', accountNumber: '12' }),
    });
    expect(bad.status).toBe(400);
    const problem = await bad.json();
    expect(Object.keys(problem.errors).sort()).toEqual(['accountNumber', 'class']);
    expect(problem.errors.accountNumber[0].message).toBe('8 to 34 digits.');
    const ok = await call(`/cases/${kase.id}/claims`, chengxi, {
      method: 'POST',
      body: JSON.stringify(claim),
    });
    expect(ok.status).toBe(201);
    expect((await ok.json()).principalFen).toBe('125000000');
    // A security interest needs its registration date.
    const secured = await call(`/cases/${kase.id}/claims`, chengxi, {
      method: 'POST',
      body: JSON.stringify({ ...claim, class: 'secured' }),
    });
    expect((await secured.json()).errors.registeredOn[0].key).toBe('funds.validation.registeredOn');
    const funds = await (await call(`/cases/${kase.id}/funds`, chengxi)).json();
    expect(funds.claims).toHaveLength(1);
    expect(funds.can.draft).toBe(true);
    // Nothing in the case account: refused, with its English title, nothing written.
    const draft = await call(`/cases/${kase.id}/plans`, chengxi, {
      method: 'POST',
      body: JSON.stringify({ cutoffOn: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10) }),
    });
    expect(draft.status).toBe(409);
    expect((await draft.json()).title).toBe('The case account holds nothing to distribute.');
    expect((await (await call(`/cases/${kase.id}/funds`, chengxi)).json()).plans).toHaveLength(0);
    expect((await call(`/cases/${kase.id}/funds`, xining)).status).toBe(404);
    expect((await call('/payouts', chengxi)).status).toBe(200);
  });
});

/** A token of a court beside Chengxi under Xining: neither above nor below it. */
async function courtStaffToken() {
  const s = server.services;
  const staff = await courtStaff(server.db.db, {
    code: '青0105',
    parentCode: '青01',
    roles: ['court_clerk'],
  });
  return (await s.apiTokens.issue({ ...staff, roles: ['court_admin'] }, { name: 'n', actsAs: staff.userId }))
    .token;
}
