import type { Tx } from '../../db/client.js';
import { aidClaimEvents, aidClaims, aidPolicies } from '../../db/schema/aid.js';
import type { auditLog } from '../../db/schema/audit.js';
import { caseParties, cases } from '../../db/schema/cases.js';
import type { Organisation, User } from '../../db/schema/identity.js';
import { computePayout, decisionDueAt, formulaToJson, ledgerCodes, STANDARD_FORMULA } from '../aid/rules.js';
import { closeHistoryCases } from './seed-case-lifecycle.js';

/** The demo figures of one province over four years (domain "Figures for sizing"). */
export const AID_DEMO = {
  paidFen: 1_284_640_000n, // ¥12,846,400
  cases: 573,
  people: 810,
  refused: 64,
} as const;

export const DAY = 86_400_000;
const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '建国秀英桂兰玉梅海燕志强丽娟国华明军晓东春花永红德胜淑珍文杰雪梅宏伟金凤';
export const CASE_TYPES = [
  'personal_injury',
  'unpaid_wages',
  'criminal_incidental',
  'support',
  'medical',
  'other',
] as const;

/** A small deterministic PRNG (mulberry32): the same demo on every machine. */
export function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export async function chunked<T>(rows: T[], size: number, insert: (part: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Who the demo history is about: the insurer, the two courts with a clerk and a judge each. */
export interface AidSeedWorld {
  insurer: Organisation;
  courts: { court: Organisation; clerk: User; panel: User }[];
  adjuster: User;
  manager: User;
  thisYear: number;
  years: number[];
  /** The rules profile's factor: the 6-monthly re-search after 终本 is divided by it. */
  researchFactor?: number;
}

/** A balanced ledger transaction to write in bulk; `payable:<n>` / `transit:<n>` name claim n's accounts. */
export type LedgerLine = { key: string; kind: string; at: Date; entries: [string, bigint][] };
/** A claim's payment (and, once in a while, its failed first attempt). */
export type Pay = {
  claimNo: number;
  policyId: string;
  claimId?: string;
  amountFen: bigint;
  sentAt: Date;
  settledAt: Date;
  failed: boolean;
};

/**
 * Policies, cases, creditors and claims with their timelines, derived from one deterministic
 * plan; returns what the payments and the ledger are written from.
 */
export async function seedAidHistory(
  tx: Tx,
  { insurer, courts, adjuster, manager, thisYear, years, researchFactor = 1 }: AidSeedWorld,
) {
  const rand = prng(20_260_301);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const name = () => `${pick([...SURNAMES])}${pick([...GIVEN])}${rand() < 0.5 ? pick([...GIVEN]) : ''}`;

  // ---- policies and their limits
  const policies: { id: string; courtIdx: number; year: number }[] = [];
  const policyRows = years.flatMap((year) =>
    courts.map((c, courtIdx) => ({
      number: `PICC-QH-JZ-${year}-${courtIdx === 0 ? '0104' : '01'}`,
      insurerId: insurer.id,
      courtId: c.court.id,
      startsOn: `${year}-01-01`,
      endsOn: `${year}-12-31`,
      premiumFen: 160_000_000n,
      limitFen: 240_000_000n,
      eligibleCaseTypes: [...CASE_TYPES],
      formula: formulaToJson(STANDARD_FORMULA),
      createdBy: manager.id,
      createdAt: new Date(Date.UTC(year - 1, 11, 20, 2)),
      courtIdx,
      year,
    })),
  );
  const insertedPolicies = await tx
    .insert(aidPolicies)
    .values(policyRows.map(({ courtIdx: _c, year: _y, ...p }) => p))
    .returning({ id: aidPolicies.id, number: aidPolicies.number });
  for (const [i, p] of insertedPolicies.entries())
    policies.push({ id: p.id, courtIdx: policyRows[i]!.courtIdx, year: policyRows[i]!.year });

  // ---- awards: 810 people, rounded to ¥100, summing to exactly ¥12,846,400
  const raw = Array.from({ length: AID_DEMO.people }, () => 30 + Math.floor(rand() ** 1.6 * 450));
  const target = Number(AID_DEMO.paidFen / 10_000n); // in hundreds of yuan
  const sum = raw.reduce((a, b) => a + b, 0);
  const hundreds = raw.map((r) => Math.max(30, Math.min(500, Math.round((r * target) / sum))));
  let diff = target - hundreds.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % hundreds.length) {
    const step = diff > 0 ? 1 : -1;
    const next = hundreds[i]! + step;
    if (next >= 30 && next <= 500) {
      hundreds[i] = next;
      diff -= step;
    }
  }

  // ---- cases: 573 paid cases holding the 810 people (1 to 3 applicants each), plus refused ones
  const applicantsPerCase = Array.from({ length: AID_DEMO.cases }, (_, i) =>
    i < 25 ? 3 : i < 25 + 187 ? 2 : 1,
  );
  const caseRows: (typeof cases.$inferInsert & {
    courtIdx: number;
    year: number;
    applicants: number;
    refused: boolean;
  })[] = [];
  let serial = 0;
  const addCase = (applicants: number, refused: boolean) => {
    const courtIdx = rand() < 0.62 ? 0 : 1;
    const year = pick(years);
    serial += 1;
    const code = courtIdx === 0 ? '青0104' : '青01';
    caseRows.push({
      courtId: courts[courtIdx]!.court.id,
      caseNumber: `(${year - 1})${code}执${3000 + serial}号`,
      basis: `(${year - 2})${code}民初${500 + serial}号民事判决书`,
      amountOwedFen: 0n,
      createdBy: courts[courtIdx]!.clerk.id,
      createdAt: new Date(Date.UTC(year - 1, Math.floor(rand() * 12), 1 + Math.floor(rand() * 27), 2)),
      courtIdx,
      year,
      applicants,
      refused,
    });
  };
  for (const n of applicantsPerCase) addCase(n, false);
  for (let i = 0; i < AID_DEMO.refused; i++) addCase(1, true);

  let awardIdx = 0;
  type Plan = {
    caseIdx: number;
    partyName: string;
    awardFen: bigint;
    unpaidFen: bigint;
    requestedFen: bigint;
    computedFen: bigint;
    refusal: 'rejected' | 'declined' | null;
    failedOnce: boolean;
    caseType: (typeof CASE_TYPES)[number];
  };
  const plans: Plan[] = [];
  caseRows.forEach((c, caseIdx) => {
    for (let k = 0; k < c.applicants; k++) {
      const awardFen = c.refused
        ? BigInt(10_000 + Math.floor(rand() * 30_000)) * 100n
        : BigInt(hundreds[awardIdx++]!) * 10_000n;
      const extra = BigInt(Math.floor(rand() * 20_000)) * 100n;
      const unpaidFen =
        awardFen <= 3_000_000n ? awardFen + extra : 3_000_000n + (awardFen - 3_000_000n) * 10n + extra;
      const computedFen = computePayout(unpaidFen, STANDARD_FORMULA);
      // Most ask for what the formula gives; some ask for less, some are awarded in part.
      const requestedFen = rand() < 0.7 ? computedFen : awardFen;
      plans.push({
        caseIdx,
        partyName: name(),
        awardFen,
        unpaidFen,
        requestedFen: requestedFen < awardFen ? awardFen : requestedFen,
        computedFen,
        refusal: c.refused ? (rand() < 0.55 ? 'rejected' : 'declined') : null,
        failedOnce: !c.refused && rand() < 0.03,
        caseType: pick(CASE_TYPES),
      });
    }
    c.amountOwedFen = plans.filter((p) => p.caseIdx === caseIdx).reduce((s, p) => s + p.unpaidFen, 0n);
  });

  const insertedCases: { id: string }[] = [];
  await chunked(caseRows, 500, async (part) => {
    insertedCases.push(
      ...(await tx
        .insert(cases)
        .values(part.map(({ courtIdx: _c, year: _y, applicants: _a, refused: _r, ...c }) => c))
        .returning({ id: cases.id })),
    );
  });
  const partyRows = plans.map((p, i) => ({
    caseId: insertedCases[p.caseIdx]!.id,
    role: 'applicant' as const,
    kind: 'person' as const,
    name: p.partyName,
    idNumberMasked: `630${String(100 + (i % 900)).padStart(3, '0')}********${String(1000 + ((i * 37) % 9000)).slice(-4)}`,
    claimFen: p.unpaidFen,
  }));
  const insertedParties: { id: string }[] = [];
  await chunked(partyRows, 500, async (part) => {
    insertedParties.push(...(await tx.insert(caseParties).values(part).returning({ id: caseParties.id })));
  });
  const respondents: { id: string; caseId: string; kind: 'person' | 'company'; name: string }[] = [];
  await chunked(
    insertedCases.map((c, i) => ({
      caseId: c.id,
      role: 'respondent' as const,
      kind: rand() < 0.6 ? ('person' as const) : ('company' as const),
      name: i % 3 === 0 ? `青海某某${pick(['商贸', '建筑', '运输', '餐饮'])}有限公司` : name(),
    })),
    500,
    async (part) => {
      respondents.push(
        ...(await tx.insert(caseParties).values(part).returning({
          id: caseParties.id,
          caseId: caseParties.caseId,
          kind: caseParties.kind,
          name: caseParties.name,
        })),
      );
    },
  );

  // ---- claims, timelines, audit, payments and ledger, all derived from the plan
  const claimRows: (typeof aidClaims.$inferInsert)[] = [];
  const events: (typeof aidClaimEvents.$inferInsert)[] = [];
  const audits: (typeof auditLog.$inferInsert)[] = [];
  const pays: Pay[] = [];
  const ledger: LedgerLine[] = [];
  const workingDaysLater = (from: Date, n: number) =>
    new Date(decisionDueAt(from).getTime() - (10 - n) * DAY * 1.4);
  plans.forEach((p, i) => {
    const c = caseRows[p.caseIdx]!;
    const court = courts[c.courtIdx]!;
    const policy = policies.find((x) => x.courtIdx === c.courtIdx && x.year === c.year)!;
    const submittedAt = new Date(
      Date.UTC(c.year, Math.floor(rand() * 11), 1 + Math.floor(rand() * 27), 1 + Math.floor(rand() * 8)),
    );
    const due = decisionDueAt(submittedAt);
    // 88% decided within the 10 working days.
    const decidedAt =
      rand() < 0.88
        ? workingDaysLater(submittedAt, 3 + Math.floor(rand() * 6))
        : new Date(due.getTime() + (1 + Math.floor(rand() * 6)) * DAY);
    const courtAt = new Date(decidedAt.getTime() - 2 * DAY);
    const reviewAt = new Date(submittedAt.getTime() + DAY);
    const draftAt = new Date(submittedAt.getTime() - 2 * 3_600_000);
    const sentAt = new Date(decidedAt.getTime() + (4 + Math.floor(rand() * 10)) * DAY);
    const settledAt = new Date(sentAt.getTime() + DAY);
    const closedAt = new Date(settledAt.getTime() + 2 * DAY);
    const number = `JZ${c.year}${String(i + 1).padStart(6, '0')}`;
    const partial = p.awardFen < p.requestedFen;
    const status = p.refusal ?? (c.year === thisYear - 1 && rand() < 0.3 ? 'paid' : 'closed');
    claimRows.push({
      number,
      courtId: court.court.id,
      policyId: policy.id,
      insurerId: insurer.id,
      caseId: insertedCases[p.caseIdx]!.id,
      partyId: insertedParties[i]!.id,
      applicantName: p.partyName,
      applicantIdMasked: partyRows[i]!.idNumberMasked,
      caseType: p.caseType,
      eligibility: 'terminated_without_property',
      hardship: pick([
        '因伤丧失劳动能力，家庭无稳定收入。',
        '家中有重病患者，医疗支出巨大。',
        '务工工资长期被拖欠，生活难以为继。',
        '单亲抚养未成年子女，靠低保维持生活。',
      ]),
      unpaidFen: p.unpaidFen,
      requestedFen: p.requestedFen,
      computedFen: p.computedFen,
      courtApprovedFen: p.refusal === 'rejected' ? null : p.requestedFen,
      approvedFen: p.refusal ? null : p.awardFen,
      approvalReason: !p.refusal && partial ? '申请人已从其他渠道获得部分赔偿' : null,
      paidFen: p.refusal ? 0n : p.awardFen,
      payeeName: p.partyName,
      bankName: pick([
        '中国农业银行西宁分行',
        '中国工商银行西宁分行',
        '青海银行',
        '中国邮政储蓄银行西宁分行',
      ]),
      accountNumber: `6228${String(100_000_000_000_000n + BigInt(i) * 7_919n)}`,
      accountVerifiedBy: p.refusal === 'rejected' ? null : court.panel.id,
      accountVerifiedAt: p.refusal === 'rejected' ? null : courtAt,
      status,
      filedVia: rand() < 0.2 ? 'oral' : 'clerk',
      filedBy: court.clerk.id,
      firstSubmittedAt: submittedAt,
      submittedAt,
      decisionDueAt: due,
      decidedAt: p.refusal === 'rejected' ? courtAt : decidedAt,
      courtReviewerId: court.panel.id,
      courtDecidedBy: court.panel.id,
      insurerDecidedBy: p.refusal === 'rejected' ? null : adjuster.id,
      lastReason:
        p.refusal === 'rejected'
          ? '经入户调查，申请人家庭经济状况不符合救助条件'
          : p.refusal === 'declined'
            ? '不属于保险责任范围'
            : null,
      createdAt: draftAt,
      updatedAt: p.refusal ? decidedAt : status === 'paid' ? settledAt : closedAt,
    });
    const steps: [string, string | null, string, Date, string, bigint | null, string | null][] = [
      ['draft', null, 'draft', draftAt, court.clerk.id, p.requestedFen, null],
      ['submitted', 'draft', 'submitted', submittedAt, court.clerk.id, p.requestedFen, null],
      ['court_review', 'submitted', 'court_review', reviewAt, court.panel.id, null, null],
    ];
    if (p.refusal === 'rejected')
      steps.push([
        'rejected',
        'court_review',
        'rejected',
        courtAt,
        court.panel.id,
        null,
        '经入户调查，申请人家庭经济状况不符合救助条件',
      ]);
    else {
      steps.push(
        ['court_approved', 'court_review', 'court_approved', courtAt, court.panel.id, p.requestedFen, null],
        [
          'insurer_review',
          'court_approved',
          'insurer_review',
          new Date(courtAt.getTime() + DAY),
          adjuster.id,
          null,
          null,
        ],
      );
      if (p.refusal === 'declined')
        steps.push([
          'declined',
          'insurer_review',
          'declined',
          decidedAt,
          adjuster.id,
          null,
          '不属于保险责任范围',
        ]);
      else {
        steps.push(
          [
            'insurer_approved',
            'insurer_review',
            'insurer_approved',
            decidedAt,
            adjuster.id,
            p.awardFen,
            partial ? '申请人已从其他渠道获得部分赔偿' : null,
          ],
          [
            'payment',
            'insurer_approved',
            'payment',
            new Date(sentAt.getTime() - 2 * DAY),
            adjuster.id,
            p.awardFen,
            null,
          ],
          ['paid', 'payment', 'paid', settledAt, adjuster.id, p.awardFen, null],
        );
        if (status === 'closed')
          steps.push(['closed', 'paid', 'closed', closedAt, court.clerk.id, null, null]);
        pays.push({
          claimNo: i,
          policyId: policy.id,
          amountFen: p.awardFen,
          sentAt,
          settledAt,
          failed: p.failedOnce,
        });
        ledger.push({
          key: `award:${i}`,
          kind: 'aid.award',
          at: decidedAt,
          entries: [
            [ledgerCodes.limit(policy.id), -p.awardFen],
            [`payable:${i}`, p.awardFen],
          ],
        });
      }
    }
    for (const [action, from, to, at, actorId, amountFen, reason] of steps) {
      events.push({
        claimId: String(i),
        action,
        from: from as never,
        to: to as never,
        at,
        actorId,
        amountFen,
        reason,
      });
      audits.push({
        at,
        actorId,
        action: `aid_claim.${action}`,
        entityType: 'aid_claim',
        entityId: String(i),
        data: { from, to },
      });
    }
  });
  const insertedClaims: { id: string }[] = [];
  await chunked(claimRows, 400, async (part) => {
    insertedClaims.push(...(await tx.insert(aidClaims).values(part).returning({ id: aidClaims.id })));
  });
  const claimId = (i: string | number) => insertedClaims[Number(i)]!.id;
  await chunked(events, 1000, (part) =>
    tx.insert(aidClaimEvents).values(part.map((e) => ({ ...e, claimId: claimId(e.claimId) }))),
  );
  // Each case a real 终本 case, closed before its first claim (the ground of every claim here).
  await closeHistoryCases(
    tx,
    insertedCases.map((c, i) => ({
      id: c.id,
      caseNumber: caseRows[i]!.caseNumber,
      clerkId: courts[caseRows[i]!.courtIdx]!.clerk.id,
      amountOwedFen: caseRows[i]!.amountOwedFen,
      firstClaimAt: new Date(
        Math.min(...claimRows.filter((r) => r.caseId === c.id).map((r) => r.createdAt!.getTime())),
      ),
      debtor: respondents.find((r) => r.caseId === c.id)!,
    })),
    new Date(),
    researchFactor,
  );
  return { policies, claimRows, claimId, pays, ledger, audits };
}
