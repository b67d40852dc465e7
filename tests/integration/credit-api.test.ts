import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCreditCheckCharacter } from '../../server/identity/credit-code';
import { withCheckCharacter } from '../../server/identity/national-id';
import { actorFor } from '../support/court';
import { startTestServer } from '../support/server';

let server: Awaited<ReturnType<typeof startTestServer>>;
let partnerToken: string;
let courtToken: string;
const controllerId = withCheckCharacter(`63010219680808${String(process.pid % 1000).padStart(3, '0')}`);
const companyCode = withCreditCheckCharacter(
  `91630100MA7${String(process.pid % 1_000_000).padStart(6, '0')}`,
);

beforeAll(async () => {
  server = await startTestServer();
  const s = server.services;
  const admin = await actorFor(s, 'admin@demo.lastmile.test');
  partnerToken = (await s.credit.createPartner(admin, { name: '测试航空', kind: 'airline' })).token;
  const courtAdmin = await actorFor(s, 'court-admin@demo.lastmile.test');
  const clerk = await actorFor(s, 'clerk@demo.lastmile.test');
  const president = await actorFor(s, 'president@demo.lastmile.test');
  courtToken = (await s.apiTokens.issue(courtAdmin, { name: 'cms', actsAs: clerk.userId })).token;
  // A company listed for evading enforcement: its actual controller is restricted with it.
  const c = await s.cases.createCase(clerk, {
    caseNumber: `(2025)青0104执${900_000 + (process.pid % 90_000)}号`,
    basis: '(2025)青0104民初1号',
    filedOn: '2025-10-01',
    amountOwed: '500000',
    parties: [
      { role: 'applicant', kind: 'person', name: '李四', claim: '500000' },
      { role: 'respondent', kind: 'company', name: '青海测试建材有限公司' },
    ],
  });
  const base = {
    subjectKind: 'company',
    name: '青海测试建材有限公司',
    idNumber: companyCode,
    legalRepresentative: '王五',
    ground: 3,
    conduct: '转移主要设备规避执行',
    evidence: '设备转让合同',
    obligation: '支付货款',
    titleNumber: '(2025)青0104民初1号',
    titleIssuer: '西宁市城西区人民法院',
    decisionNumber: '(2025)青0104执1号之一',
  };
  // Without the actual controller named, the order cannot be made (限消规定 art. 3).
  const refused = await s.credit
    .prepareListing(clerk, c.id, {
      ...base,
      persons: [
        { role: 'legal_representative', name: '王五', idNumber: withCheckCharacter('63010219700101301') },
      ],
    })
    .catch((e: { details: { fieldErrors: unknown } }) => e.details.fieldErrors);
  expect(refused).toEqual({ persons: ['credit.errors.missingRole.actual_controller'] });
  const draft = await s.credit.prepareListing(clerk, c.id, {
    ...base,
    persons: [
      { role: 'legal_representative', name: '王五', idNumber: withCheckCharacter('63010219700101301') },
      { role: 'actual_controller', name: '王六', idNumber: controllerId },
    ],
  });
  await s.credit.decideListing(president, draft.id);
});
afterAll(() => server.stop());

const check = (id: string, token: string | null) =>
  fetch(`${server.url}/api/v1/credit/check?id=${encodeURIComponent(id)}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('the partners’ check API', () => {
  it('refuses without a partner token (a court’s token is not one)', async () => {
    expect((await check(controllerId, null)).status).toBe(401);
    const r = await check(controllerId, courtToken);
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('answers a malformed ID with problem details', async () => {
    const r = await check('123', partnerToken);
    expect(r.status).toBe(400);
    expect((await r.json()).code).toBe('validation');
  });

  it('finds the listed company by its credit code, and its actual controller as restricted', async () => {
    const company = await (await check(companyCode, partnerToken)).json();
    expect(company).toMatchObject({ listed: true, restricted: true });
    const controller = await (await check(controllerId, partnerToken)).json();
    expect(controller).toMatchObject({
      listed: false,
      restricted: true,
      restrictions: [{ role: 'actual_controller' }],
    });
    expect(controller.restrictedItems).toContain('flights');
    const nobody = await (await check(withCheckCharacter('63010219900101999'), partnerToken)).json();
    expect(nobody).toMatchObject({ listed: false, restricted: false });
  });
});
