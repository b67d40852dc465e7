import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { organisations, type Role, users } from '../../db/schema/identity.js';
import { DEMO_PASSWORD } from '../../server/demo/seed-accounts.js';
import type { Actor } from '../../server/identity/permissions.js';
import type { Services } from '../../server/services.js';
import { meta } from './fixtures.js';

/** The actor behind a demo account, as a route would get it from the session. */
export async function actorFor(services: Services, email: string) {
  const r = await services.identity.login({ email, password: DEMO_PASSWORD }, meta);
  return (await services.identity.resolveSession(r.token))!.actor;
}

let staffSerial = 0;
/**
 * A court of the test's own under `parentCode` (created once per code) and a staff member of it,
 * as the session layer builds the actor: e.g. a basic court beside 青0104 under 青01.
 */
export async function courtStaff(
  db: Database,
  { code, parentCode, roles = ['court_clerk'] }: { code: string; parentCode: string; roles?: Role[] },
): Promise<Actor & { courtId: string }> {
  const [parent] = await db.select().from(organisations).where(eq(organisations.code, parentCode));
  await db
    .insert(organisations)
    .values({
      kind: 'court',
      code,
      courtLevel: 'basic',
      parentId: parent!.id,
      nameZh: `测试法院${code}`,
      nameEn: `Test court ${code}`,
    })
    .onConflictDoNothing();
  const [court] = await db.select().from(organisations).where(eq(organisations.code, code));
  staffSerial += 1;
  const [user] = await db
    .insert(users)
    .values({
      email: `staff-${code}-${staffSerial}-${process.pid}@test.lastmile`,
      passwordHash: 'x',
      realName: `测试${staffSerial}`,
      roles,
      organisationId: court!.id,
    })
    .returning();
  return {
    userId: user!.id,
    sessionId: 'test',
    roles,
    organisationId: court!.id,
    orgKind: 'court',
    courtId: court!.id,
  };
}

/** The resident ID of the priority purchaser of `listingInput` (GB 11643's own example; no bidder has it). */
export const PURCHASER_ID = '11010519491231002X';

let serial = 0;
// A year the demo data never uses (its cases are numbered (2026)…执801号 onwards and in the aid years), so
// a test case never takes a demo case number whatever the process id.
export const caseNumber = (code = '青0104') => `(2019)${code}执${process.pid % 1000}${++serial}号`;

export const caseInput = (code?: string) => ({
  caseNumber: caseNumber(code),
  basis: '(2025)青0104民初88号民事判决书',
  amountOwed: '1,250,000.00',
  parties: [
    { role: 'applicant', kind: 'person', name: '李四', claim: '1250000' },
    {
      role: 'respondent',
      kind: 'company',
      name: '青海某某商贸有限公司',
      idNumberMasked: '91630100MA7XXXXX0X',
    },
  ],
});

export const assetInput = (overrides: Record<string, unknown> = {}) => ({
  type: 'residential',
  title: '西宁市城西区五四西路某小区 3 号楼 2 单元 501 室',
  province: '青海省',
  city: '西宁市',
  district: '城西区',
  address: '五四西路 68 号',
  description: '建筑面积 98.6 平方米，三室两厅。',
  knownDefects: '厨房墙面有渗水痕迹。',
  encumbrances: [{ kind: 'mortgage', description: '抵押权人：某银行，债权数额 30 万元' }],
  appraisal: '1000000',
  appraisalBasis: 'appraisal_report',
  appraisalDate: '2026-01-15',
  ...overrides,
});

const DAY = 86_400_000;
const local = (d: Date) => d.toISOString();

/** Lawful first-auction terms for a ¥1,000,000 appraisal, announced at `now`. */
export function listingInput(now: Date, overrides: Record<string, unknown> = {}) {
  const startsAt = new Date(now.getTime() + 30 * DAY);
  return {
    startingPrice: '700000',
    deposit: '70000',
    increment: '7000',
    announceAt: local(now),
    startsAt: local(startsAt),
    endsAt: local(new Date(startsAt.getTime() + DAY)),
    balanceDays: '15',
    specialNotices: '按现状拍卖；竞买人参与竞价即视为认可标的物瑕疵。',
    taxes: '过户税费按法律规定各自承担。',
    taxPayer: 'each_by_law',
    viewing: '预约看样：0971-1234567',
    contact: '王书记员 0971-1234567',
    supervisionLine: '0971-7654321',
    purchaseRestricted: 'on',
    priorityPurchasers: [
      { name: '赵某', rank: '1', rightKind: 'co_owner', identityKind: 'person', idNumber: PURCHASER_ID },
    ],
    ...overrides,
  };
}
