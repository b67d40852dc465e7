import { eq } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.js';
import { organisations, users } from '../../db/schema/identity.js';
import { AID_DOCUMENT_KINDS } from '../aid/rules.js';
import { addMonths, beijingDateOf } from '../cases/time-limit.js';
import type { Config } from '../config.js';
import type { Actor } from '../identity/permissions.js';
import type { Logger } from '../logger.js';
import { createServices } from '../services.js';
import { CASE_TYPES, DAY } from './seed-aid-history.js';
import { closeAsZhongben, quietDebtorNumber } from './zhongben.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** This year's policies and live claims in every waiting state, through the real services. */
export async function seedLiveClaims({
  db,
  config,
  logger,
  thisYear,
  courtIds,
}: {
  db: DbHandle;
  config: Config;
  logger: Logger;
  thisYear: number;
  courtIds: string[];
}) {
  let now = Date.now();
  const clock = () => new Date(now);
  const services = createServices({ db, config, clock, logger });
  const actor = async (email: string): Promise<Actor> => {
    const [u] = await db.db.select().from(users).where(eq(users.email, email));
    const [o] = await db.db.select().from(organisations).where(eq(organisations.id, u!.organisationId!));
    return { userId: u!.id, sessionId: 'seed', roles: u!.roles, organisationId: o!.id, orgKind: o!.kind };
  };
  const clerk = await actor('clerk@demo.lastmile.test');
  const chengxiPanel = await actor('panel@demo.lastmile.test');
  const adjuster = await actor('adjuster@demo.lastmile.test');
  const manager = await actor('insurer@demo.lastmile.test');
  const aid = services.aid;
  const policyFor = async (courtId: string, suffix: string) =>
    aid.policies.createPolicy(manager, {
      number: `PICC-QH-JZ-${thisYear}-${suffix}`,
      courtId,
      startsOn: `${thisYear}-01-01`,
      endsOn: `${thisYear}-12-31`,
      premium: '1600000',
      limit: '2400000',
      eligibleCaseTypes: [...CASE_TYPES],
      tiers: [{ upTo: '30000', rate: '100' }, { rate: '10' }],
      cap: '100000',
    });
  const policy = await policyFor(courtIds[0]!, '0104');
  await policyFor(courtIds[1]!, '01');

  const names = [
    '马秀英',
    '韩建国',
    '冶海燕',
    '祁德胜',
    '李春花',
    '赵永红',
    '何志强',
    '鲁玉梅',
    '张晓东',
    '石桂兰',
    '朱明军',
    '杨淑珍',
  ];
  const stages = [
    'draft',
    'submitted',
    'overdue',
    'court_review',
    'committee_review',
    'court_approved',
    'insurer_review',
    'insurer_approved',
    'insurer_approved',
    'returned',
  ] as const;
  let i = 0;
  for (const stage of stages) {
    i += 1;
    now = Date.now() - (stage === 'overdue' ? 20 : stage === 'draft' ? 0 : 3) * DAY;
    const name = names[i - 1]!;
    // A 终本 case, filed five months ago and closed by the book: the ground of the claim.
    const c = await services.cases.createCase(clerk, {
      caseNumber: `(${thisYear - 1})青0104执${6000 + i}号`,
      filedOn: addMonths(beijingDateOf(clock()), -5),
      basis: `(${thisYear - 2})青0104民初${700 + i}号民事判决书`,
      amountOwed: stage === 'committee_review' ? '600000' : '80000',
      parties: [
        {
          role: 'applicant',
          kind: 'person',
          name,
          idNumberMasked: `630104********${2000 + i}`,
          claim: stage === 'committee_review' ? '600000' : '80000',
        },
        {
          role: 'respondent',
          kind: 'person',
          name: `被执行人${i}`,
          idNumberMasked: quietDebtorNumber(`被执行人${i}`),
        },
      ],
    });
    await closeAsZhongben(services, clerk, c.id);
    const full = await services.cases.getCase(clerk, c.id);
    const party = full.parties.find((p) => p.role === 'applicant')!;
    const claim = await aid.claims.createClaim(clerk, {
      caseId: c.id,
      partyId: party.id,
      policyId: policy.id,
      caseType: i % 2 ? 'personal_injury' : 'unpaid_wages',
      unpaid: stage === 'committee_review' ? '600000' : '80000',
      requested: stage === 'committee_review' ? '87000' : '35000',
      hardship: '申请人家庭生活困难，无稳定收入来源。',
      payeeName: name,
      bankName: '中国农业银行西宁城西支行',
      accountNumber: `62284800${String(10_000_000_000 + i)}`,
    });
    if (stage === 'draft') continue;
    for (const kind of AID_DOCUMENT_KINDS)
      await aid.claims.attachDocument(clerk, claim.id, { kind, filename: `${kind}.pdf`, bytes: PDF });
    await aid.claims.submit(clerk, claim.id);
    now += DAY;
    if (stage === 'submitted' || stage === 'overdue') continue;
    if (stage === 'returned') {
      await aid.claims.returnForDocuments(chengxiPanel, claim.id, { reason: '身份证明复印件不清晰，请补充' });
      continue;
    }
    await aid.claims.startCourtReview(chengxiPanel, claim.id);
    if (stage === 'court_review') continue;
    if (stage === 'committee_review') {
      await aid.claims.referToCommittee(chengxiPanel, claim.id, {
        amount: '87000',
        reason: '超出本院审批权限',
      });
      continue;
    }
    await aid.claims.courtApprove(chengxiPanel, claim.id, { amount: '35000' });
    if (stage === 'court_approved') continue;
    await aid.claims.insurerStartReview(adjuster, claim.id);
    if (stage === 'insurer_review') continue;
    await aid.claims.insurerApprove(adjuster, claim.id, {
      amount: i % 2 ? '35000' : '30000',
      reason: i % 2 ? undefined : '申请人已获部分工资',
    });
  }
}
