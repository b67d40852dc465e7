import { eq, inArray, sql } from 'drizzle-orm';
import type { DbHandle, Tx } from '../../db/client.js';
import {
  aidClaimEvents,
  aidClaims,
  aidPaymentBatches,
  aidPayments,
  aidPolicies,
  aidRecoveries,
} from '../../db/schema/aid.js';
import { auditLog } from '../../db/schema/audit.js';
import { caseParties, cases } from '../../db/schema/cases.js';
import { organisations, users } from '../../db/schema/identity.js';
import { ledgerAccounts, ledgerEntries, ledgerTransactions } from '../../db/schema/ledger.js';
import { computePayout, decisionDueAt, formulaToJson, ledgerCodes, STANDARD_FORMULA } from '../aid/rules.js';
import type { Config } from '../config.js';
import type { Actor } from '../identity/permissions.js';
import type { Logger } from '../logger.js';
import { createServices } from '../services.js';

/** The figures of one province's courts over four years (domain "Figures for sizing"). */
export const AID_DEMO = {
  paidFen: 1_284_640_000n, // ¥12,846,400
  cases: 573,
  people: 810,
  refused: 64,
} as const;

const DAY = 86_400_000;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '建国秀英桂兰玉梅海燕志强丽娟国华明军晓东春花永红德胜淑珍文杰雪梅宏伟金凤';
const CASE_TYPES = [
  'personal_injury',
  'unpaid_wages',
  'criminal_incidental',
  'support',
  'medical',
  'other',
] as const;

/** A small deterministic PRNG (mulberry32): the same demo on every machine. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function chunked<T>(rows: T[], size: number, insert: (part: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * Demo enforcement aid, run once (skipped when any aid policy exists):
 *
 * 1. Four past years of history for 青0104 and 青01 with PICC Qinghai: 573 cases, 810 creditors
 *    paid exactly ¥12,846,400, 64 claims refused or declined. Written in bulk (a few thousand
 *    rows a second matter at start-up), but exactly as the services would have left them: the
 *    same statuses, timeline events with one audit entry per transition, payment batches
 *    prepared and approved by two people, and every ledger movement (policy limit opened,
 *    award reserved, sent, confirmed) as balanced double-entry transactions.
 * 2. This year's policies and a dozen live claims in every waiting state, made through the
 *    real services (with the clock moved back where a claim must be overdue), so the queues,
 *    countdowns and payment screens have something to show.
 */
export async function seedDemoAid({ db, config, logger }: { db: DbHandle; config: Config; logger: Logger }) {
  const [existing] = await db.db.select({ n: sql<number>`count(*)::int` }).from(aidPolicies);
  if ((existing?.n ?? 0) > 0) return 0;
  const started = performance.now();
  const orgRows = await db.db
    .select()
    .from(organisations)
    .where(inArray(organisations.code, ['青0104', '青01', 'picc-qh']));
  const org = (code: string) => orgRows.find((o) => o.code === code)!;
  const userRows = await db.db
    .select()
    .from(users)
    .where(
      inArray(users.email, [
        'clerk@demo.lastmile.test',
        'panel@demo.lastmile.test',
        'clerk.xining@demo.lastmile.test',
        'panel.xining@demo.lastmile.test',
        'adjuster@demo.lastmile.test',
        'insurer@demo.lastmile.test',
      ]),
    );
  const user = (email: string) => userRows.find((u) => u.email === `${email}@demo.lastmile.test`)!;
  if (orgRows.length < 3 || userRows.length < 6) return 0;
  const insurer = org('picc-qh');
  const courts = [
    { court: org('青0104'), clerk: user('clerk'), panel: user('panel') },
    { court: org('青01'), clerk: user('clerk.xining'), panel: user('panel.xining') },
  ];
  const adjuster = user('adjuster');
  const manager = user('insurer');
  const thisYear = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
  const years = [thisYear - 4, thisYear - 3, thisYear - 2, thisYear - 1];

  await db.db.transaction(async (tx) => {
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
        status: 'terminated_without_property',
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
    await chunked(
      insertedCases.map((c, i) => ({
        caseId: c.id,
        role: 'respondent' as const,
        kind: rand() < 0.6 ? ('person' as const) : ('company' as const),
        name: i % 3 === 0 ? `青海某某${pick(['商贸', '建筑', '运输', '餐饮'])}有限公司` : name(),
      })),
      500,
      (part) => tx.insert(caseParties).values(part),
    );

    // ---- claims, timelines, audit, payments and ledger, all derived from the plan
    const claimRows: (typeof aidClaims.$inferInsert)[] = [];
    const events: (typeof aidClaimEvents.$inferInsert)[] = [];
    const audits: (typeof auditLog.$inferInsert)[] = [];
    type Pay = {
      claimNo: number;
      policyId: string;
      claimId?: string;
      amountFen: bigint;
      sentAt: Date;
      settledAt: Date;
      failed: boolean;
    };
    const pays: Pay[] = [];
    const ledger: { key: string; kind: string; at: Date; entries: [string, bigint][] }[] = [];
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

    // Batches: one a month, prepared by the adjuster and approved by the manager (maker-checker).
    const byMonth = new Map<string, Pay[]>();
    for (const p of pays) {
      const m = new Date(p.sentAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
      byMonth.set(m, [...(byMonth.get(m) ?? []), p]);
    }
    const paymentRows: (typeof aidPayments.$inferInsert)[] = [];
    for (const [month, list] of [...byMonth.entries()].sort()) {
      const sentAt = new Date(Math.min(...list.map((p) => p.sentAt.getTime())));
      const [batch] = await tx
        .insert(aidPaymentBatches)
        .values({
          number: `PB${month.replace('-', '')}-H`,
          insurerId: insurer.id,
          status: 'settled',
          preparedBy: adjuster.id,
          preparedAt: new Date(sentAt.getTime() - 2 * DAY),
          approvedBy: manager.id,
          approvedAt: new Date(sentAt.getTime() - DAY),
          sentBy: adjuster.id,
          sentAt,
          settledAt: new Date(Math.max(...list.map((p) => p.settledAt.getTime()))),
        })
        .returning();
      list.forEach((p, n) => {
        const c = claimRows[p.claimNo]!;
        const base = {
          batchId: batch!.id,
          claimId: claimId(p.claimNo),
          insurerId: insurer.id,
          payeeName: c.payeeName,
          bankName: c.bankName,
          accountNumber: c.accountNumber,
          amountFen: p.amountFen,
          preparedBy: adjuster.id,
          approvedBy: manager.id,
          sentAt: p.sentAt,
          createdAt: new Date(p.sentAt.getTime() - 2 * DAY),
        };
        const ref = `${batch!.number}-${String(n + 1).padStart(4, '0')}`;
        if (p.failed) {
          paymentRows.push({
            ...base,
            reference: `${ref}F`,
            status: 'reissued',
            failureReason: 'wrong_account',
            settledAt: new Date(p.sentAt.getTime() + 3_600_000),
            updatedAt: p.sentAt,
          });
          ledger.push(
            {
              key: `sent-f:${p.claimNo}`,
              kind: 'aid.payment_sent',
              at: p.sentAt,
              entries: [
                [`payable:${p.claimNo}`, -p.amountFen],
                [`transit:${p.claimNo}`, p.amountFen],
              ],
            },
            {
              key: `failed:${p.claimNo}`,
              kind: 'aid.payment_failed',
              at: new Date(p.sentAt.getTime() + 3_600_000),
              entries: [
                [`transit:${p.claimNo}`, -p.amountFen],
                [`payable:${p.claimNo}`, p.amountFen],
              ],
            },
          );
        }
        paymentRows.push({
          ...base,
          reference: ref,
          status: 'confirmed',
          bankReference: `BK${ref.replace(/\D/g, '')}`,
          settledAt: p.settledAt,
          updatedAt: p.settledAt,
        });
        ledger.push(
          {
            key: `sent:${p.claimNo}`,
            kind: 'aid.payment_sent',
            at: p.sentAt,
            entries: [
              [`payable:${p.claimNo}`, -p.amountFen],
              [`transit:${p.claimNo}`, p.amountFen],
            ],
          },
          {
            key: `confirmed:${p.claimNo}`,
            kind: 'aid.payment_confirmed',
            at: p.settledAt,
            entries: [
              [`transit:${p.claimNo}`, -p.amountFen],
              [ledgerCodes.paidOut(insurer.id), p.amountFen],
            ],
          },
        );
        audits.push({
          at: p.settledAt,
          actorId: adjuster.id,
          action: 'aid_claim.payment.confirmed',
          entityType: 'aid_claim',
          entityId: String(p.claimNo),
          data: { reference: ref },
        });
      });
    }
    await chunked(paymentRows, 500, (part) => tx.insert(aidPayments).values(part));
    await chunked(audits, 1000, (part) =>
      tx.insert(auditLog).values(part.map((a) => ({ ...a, entityId: claimId(a.entityId) }))),
    );

    // A few recoveries: money later collected on the case and returned to the insurer.
    const recoveries = pays.filter((_, i) => i % 97 === 5).slice(0, 8);
    for (const p of recoveries) {
      const amount = (p.amountFen / 2n / 100n) * 100n;
      const at = new Date(p.settledAt.getTime() + 90 * DAY);
      const c = claimRows[p.claimNo]!;
      await tx.insert(aidRecoveries).values({
        claimId: claimId(p.claimNo),
        courtId: c.courtId,
        insurerId: insurer.id,
        kind: 'subrogation',
        source: 'external',
        amountFen: amount,
        note: '被执行人履行部分款项，已返还保险公司',
        status: 'returned',
        recordedBy: c.filedBy,
        recordedAt: at,
        returnedBy: manager.id,
        returnedAt: new Date(at.getTime() + 5 * DAY),
      });
      await tx
        .update(aidClaims)
        .set({ recoveredFen: amount })
        .where(eq(aidClaims.id, claimId(p.claimNo)));
      ledger.push({
        key: `recovery:${p.claimNo}`,
        kind: 'aid.subrogation',
        at: new Date(at.getTime() + 5 * DAY),
        entries: [
          [ledgerCodes.recoveryReceived(insurer.id), -amount],
          [ledgerCodes.recovered(insurer.id), amount],
        ],
      });
    }
    for (const p of policies)
      ledger.unshift({
        key: `policy:${p.id}`,
        kind: 'aid.policy_opened',
        at: new Date(Date.UTC(p.year - 1, 11, 20, 2)),
        entries: [
          [ledgerCodes.limit(p.id), 240_000_000n],
          [ledgerCodes.cover(insurer.id), -240_000_000n],
        ],
      });
    await writeLedger(tx, ledger, (code) => {
      const m = code.match(/^(payable|transit):(\d+)$/);
      if (!m) return code;
      const i = Number(m[1] === 'payable' ? m[2] : m[2]);
      const policyId = claimRows[i]!.policyId;
      return m[1] === 'payable'
        ? ledgerCodes.payable(policyId, claimId(i))
        : ledgerCodes.inTransit(policyId, claimId(i));
    });
  });
  logger.info({ ms: Math.round(performance.now() - started) }, 'demo aid history seeded');

  await seedLiveClaims({ db, config, logger, thisYear, courtIds: courts.map((c) => c.court.id) });
  return AID_DEMO.people;
}

/** Bulk ledger writes: accounts, transactions and entries, each transaction balanced (the deferred trigger checks at commit). */
async function writeLedger(
  tx: Tx,
  ledger: { key: string; kind: string; at: Date; entries: [string, bigint][] }[],
  resolve: (code: string) => string,
) {
  const codes = new Set<string>();
  for (const t of ledger) for (const [code] of t.entries) codes.add(resolve(code));
  const accountRows = [...codes].map((code) => ({
    code,
    kind: code.startsWith('gateway_clearing:') ? ('gateway_clearing' as const) : ('aid_policy' as const),
    allowNegative: code.startsWith('gateway_clearing:'),
  }));
  const ids = new Map<string, string>();
  await chunked(accountRows, 1000, async (part) => {
    for (const a of await tx.insert(ledgerAccounts).values(part).onConflictDoNothing().returning())
      ids.set(a.code, a.id);
  });
  const missing = [...codes].filter((c) => !ids.has(c));
  if (missing.length)
    for (const a of await tx.select().from(ledgerAccounts).where(inArray(ledgerAccounts.code, missing)))
      ids.set(a.code, a.id);
  const txIds: string[] = [];
  await chunked(ledger, 1000, async (part) => {
    const rows = await tx
      .insert(ledgerTransactions)
      .values(
        part.map((t) => ({
          idempotencyKey: `demo:aid:${t.key}`,
          kind: t.kind,
          occurredAt: t.at,
          createdAt: t.at,
        })),
      )
      .returning({ id: ledgerTransactions.id });
    txIds.push(...rows.map((r) => r.id));
  });
  const entries = ledger.flatMap((t, i) =>
    t.entries.map(([code, amountFen]) => ({
      transactionId: txIds[i]!,
      accountId: ids.get(resolve(code))!,
      amountFen,
      createdAt: t.at,
    })),
  );
  await chunked(entries, 2000, (part) => tx.insert(ledgerEntries).values(part));
}

/** This year's policies and live claims in every waiting state, through the real services. */
async function seedLiveClaims({
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
    const c = await services.cases.createCase(clerk, {
      caseNumber: `(${thisYear - 1})青0104执${6000 + i}号`,
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
        { role: 'respondent', kind: 'person', name: `被执行人${i}`, idNumberMasked: '630104********0000' },
      ],
    });
    const full = await services.cases.getCase(clerk, c.id);
    const party = full.parties.find((p) => p.role === 'applicant')!;
    const claim = await aid.claims.createClaim(clerk, {
      caseId: c.id,
      partyId: party.id,
      policyId: policy.id,
      caseType: i % 2 ? 'personal_injury' : 'unpaid_wages',
      eligibility: 'terminated_without_property',
      unpaid: stage === 'committee_review' ? '600000' : '80000',
      requested: stage === 'committee_review' ? '87000' : '35000',
      hardship: '申请人家庭生活困难，无稳定收入来源。',
      payeeName: name,
      bankName: '中国农业银行西宁城西支行',
      accountNumber: `62284800${String(10_000_000_000 + i)}`,
    });
    if (stage === 'draft') continue;
    for (const kind of [
      'application',
      'identity',
      'judgment',
      'termination_ruling',
      'hardship',
      'harm',
      'bank_account',
    ] as const)
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
