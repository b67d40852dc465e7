import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { identityVerifications, organisations, type Role, users } from '../../db/schema/identity.js';
import { courtBankAccounts } from '../../db/schema/payments.js';
import { hashPassword } from '../identity/crypto.js';
import { withCheckCharacter } from '../identity/national-id.js';
import { sealIdentity } from '../identity/real-name.js';

/** One password for every demo account (documented in README.md). */
export const DEMO_PASSWORD = 'Demo2026lastmile';

export const DEMO_ORGS = [
  {
    code: 'lastmile',
    kind: 'platform',
    nameZh: '最后一公里司法服务平台',
    nameEn: 'LastMile Judicial Services Platform',
  },
  {
    code: '青',
    kind: 'court',
    courtLevel: 'high',
    nameZh: '青海省高级人民法院',
    nameEn: 'Qinghai High People’s Court',
    regionCode: '630000',
    province: '青海省',
    city: '西宁市',
  },
  {
    code: '青01',
    kind: 'court',
    courtLevel: 'intermediate',
    parent: '青',
    nameZh: '西宁市中级人民法院',
    nameEn: 'Xining Intermediate People’s Court',
    regionCode: '630100',
    province: '青海省',
    city: '西宁市',
  },
  {
    code: '青0104',
    kind: 'court',
    courtLevel: 'basic',
    parent: '青01',
    nameZh: '西宁市城西区人民法院',
    nameEn: 'Chengxi District People’s Court, Xining',
    regionCode: '630104',
    province: '青海省',
    city: '西宁市',
    district: '城西区',
  },
  {
    code: '青0105',
    kind: 'court',
    courtLevel: 'basic',
    parent: '青01',
    nameZh: '西宁市城北区人民法院',
    nameEn: 'Chengbei District People’s Court, Xining',
    regionCode: '630105',
    province: '青海省',
    city: '西宁市',
    district: '城北区',
  },
  {
    code: 'picc-qh',
    kind: 'insurer',
    nameZh: '中国人民财产保险股份有限公司青海省分公司',
    nameEn: 'PICC Property and Casualty, Qinghai Branch',
    province: '青海省',
    city: '西宁市',
  },
] as const;

export const DEMO_USERS: ReadonlyArray<{
  email: string;
  realName: string;
  roles: Role[];
  org: (typeof DEMO_ORGS)[number]['code'] | null;
  nationalId17?: string;
  phone?: string;
}> = [
  { email: 'admin@demo.lastmile.test', realName: '平台管理员', roles: ['platform_admin'], org: 'lastmile' },
  { email: 'clerk@demo.lastmile.test', realName: '王书记员', roles: ['court_clerk'], org: '青0104' },
  { email: 'panel@demo.lastmile.test', realName: '李法官', roles: ['court_panel'], org: '青0104' },
  { email: 'court-admin@demo.lastmile.test', realName: '赵主任', roles: ['court_admin'], org: '青0104' },
  { email: 'president@demo.lastmile.test', realName: '周院长', roles: ['court_president'], org: '青0104' },
  { email: 'clerk.xining@demo.lastmile.test', realName: '陈书记员', roles: ['court_clerk'], org: '青01' },
  { email: 'panel.xining@demo.lastmile.test', realName: '马法官', roles: ['court_panel'], org: '青01' },
  // A court beside 青0104 under the same intermediate court: it sees none of 青0104's cases.
  { email: 'clerk.chengbei@demo.lastmile.test', realName: '吴书记员', roles: ['court_clerk'], org: '青0105' },
  { email: 'adjuster@demo.lastmile.test', realName: '刘理赔员', roles: ['insurer_adjuster'], org: 'picc-qh' },
  { email: 'insurer@demo.lastmile.test', realName: '孙经理', roles: ['insurer_manager'], org: 'picc-qh' },
  {
    email: 'bidder@demo.lastmile.test',
    realName: '张三',
    roles: ['bidder'],
    org: null,
    nationalId17: '63010419850612301',
    phone: '13800971234',
  },
  {
    email: 'bidder2@demo.lastmile.test',
    realName: '王五',
    roles: ['bidder'],
    org: null,
    nationalId17: '63010219900318452',
    phone: '13909715678',
  },
  // A creditor of the demo cases (issue 16): follows his share of a distribution, objects online.
  { email: 'creditor@demo.lastmile.test', realName: '刘债权', roles: ['bidder'], org: null },
];

/** Each demo court's account for deposits and balances (shown to bidders paying by transfer). */
export const DEMO_BANK_ACCOUNTS: Record<
  string,
  { bankName: string; accountName: string; accountNo: string }
> = {
  青: {
    bankName: '中国工商银行西宁城中支行',
    accountName: '青海省高级人民法院',
    accountNo: '2805 0100 0920 0012 345',
  },
  青01: {
    bankName: '中国建设银行西宁城西支行',
    accountName: '西宁市中级人民法院',
    accountNo: '6300 1500 0520 5000 1234',
  },
  青0104: {
    bankName: '中国农业银行西宁五四支行',
    accountName: '西宁市城西区人民法院',
    accountNo: '2860 0101 0400 0567 8',
  },
};

/**
 * The demo organisations, their staff, two verified bidders and the courts' bank accounts: what
 * every other demo seed acts as. Idempotent: every row is keyed (organisation code, user email)
 * and skipped when present.
 */
export async function seedDemoAccounts(db: Database, piiKey: Buffer): Promise<{ created: number }> {
  let created = 0;
  const ids = new Map<string, string>();
  for (const o of DEMO_ORGS) {
    const parentId = 'parent' in o ? ids.get(o.parent) : undefined;
    const { parent: _p, ...values } = o as typeof o & { parent?: string };
    const inserted = await db
      .insert(organisations)
      .values({ ...values, parentId })
      .onConflictDoNothing()
      .returning({ id: organisations.id });
    created += inserted.length;
    const [row] = await db.select({ id: organisations.id }).from(organisations).where(sql`code = ${o.code}`);
    ids.set(o.code, row!.id);
    const account = DEMO_BANK_ACCOUNTS[o.code];
    if (account)
      await db
        .insert(courtBankAccounts)
        .values({ courtId: row!.id, ...account })
        .onConflictDoNothing();
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const u of DEMO_USERS) {
    const id = u.nationalId17 ? sealIdentity(piiKey, 'person', withCheckCharacter(u.nationalId17)) : null;
    const inserted = await db
      .insert(users)
      .values({
        email: u.email,
        passwordHash,
        realName: u.realName,
        roles: u.roles,
        organisationId: u.org ? ids.get(u.org) : null,
        // The demo bidders stand as verified by the simulated provider (their verification row is
        // written below); staff hold no ID number and are not "verified" (ADR 028).
        verification: id ? 'verified' : 'unverified',
        phone: u.phone,
        ...(id && { nationalIdCipher: id.cipher, nationalIdDigest: id.digest, nationalIdMasked: id.masked }),
      })
      .onConflictDoNothing()
      .returning({ id: users.id });
    created += inserted.length;
    if (id && inserted[0])
      await db.insert(identityVerifications).values({
        userId: inserted[0].id,
        provider: 'simulated',
        outcome: 'verified',
        reference: 'demo-seed',
      });
  }
  return { created };
}
