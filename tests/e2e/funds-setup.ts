import { and, eq, gte, lte } from 'drizzle-orm';
import { createDb } from '../../db/client';
import { aidPolicies } from '../../db/schema/aid';
import { caseParties } from '../../db/schema/cases';
import { organisations, users } from '../../db/schema/identity';
import { balances, payments } from '../../db/schema/payments';
import { requiredDocuments } from '../../server/aid/rules';
import { loadConfig } from '../../server/config';
import type { Actor } from '../../server/identity/permissions';
import { createLogger } from '../../server/logger';
import { createServices } from '../../server/services';
import { PDF } from './cases';
import type { AcceleratedServer } from './live-auction';

const yuan = (fen: bigint) => `${fen / 100n}.${(fen % 100n).toString().padStart(2, '0')}`;

export interface SoldCase {
  caseId: string;
  caseNumber: string;
  listingId: string;
  title: string;
  /** The creditors' parties, by name. */
  parties: Record<string, string>;
}

/**
 * The part of the chain the sales spec already drives through the pages, made here through the
 * services with the clock moved through the past (as the demo seed does): a case of the demo
 * court against a person, with a mortgagee bank and three ordinary creditors; its flat auctioned
 * to the demo bidder at ¥300,000, deposit and balance paid by bank transfer, the ruling issued
 * and served, the handover done. 赵一 received ¥10,000 of enforcement aid on this case from the
 * demo insurer's policy, paid and confirmed by the bank.
 */
export async function soldCaseWithAid(server: AcceleratedServer): Promise<SoldCase> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: server.databaseUrl,
    RULES_PROFILE: 'accelerated',
    RULES_ACCELERATION_FACTOR: String(server.factor),
    LOG_LEVEL: 'warn',
  });
  const db = createDb(server.databaseUrl, { max: 2 });
  try {
    const realNow = Date.now();
    let now = realNow;
    const clock = () => new Date(now);
    const logger = createLogger(config);
    const services = createServices({ db, config, clock, logger });
    const d = services.profile.durations;
    const actor = async (email: string): Promise<Actor> => {
      const [u] = await db.db.select().from(users).where(eq(users.email, email));
      const [org] = u!.organisationId
        ? await db.db.select().from(organisations).where(eq(organisations.id, u!.organisationId))
        : [];
      return {
        userId: u!.id,
        sessionId: 'e2e',
        roles: u!.roles,
        organisationId: u!.organisationId,
        orgKind: (org?.kind as Actor['orgKind']) ?? null,
      };
    };
    const [clerk, panel, buyer, adjuster, manager] = await Promise.all(
      ['clerk', 'panel', 'bidder', 'adjuster', 'insurer'].map((e) => actor(`${e}@demo.lastmile.test`)),
    );
    const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
    let transfers = 0;
    async function payByTransfer(target: 'deposit' | 'balance', id: string) {
      const started = await services.payments.startPayment(buyer!, { target, id, method: 'bank_transfer' });
      const [p] = await db.db.select().from(payments).where(eq(payments.id, started.paymentId));
      const t = await services.payments.recordTransfer(clerk!, {
        reference: p!.reference!,
        amount: yuan(p!.amountFen),
        bankReference: `E2E-FUNDS-${realNow}-${++transfers}`,
        receivedOn: day(now),
      });
      await services.payments.decideTransfer(panel!, t.id, { decision: 'confirm' });
    }

    // Live now, ending in a few seconds (as createLiveAuction): the server's own runner closes it.
    const endsAt = realNow + 8_000;
    const startsAt = Math.min(realNow - 1_000, endsAt - d.biddingWindowMin);
    const announceAt = startsAt - d.announceLeadProperty - 1_000;
    const live = () => {
      now = Date.now();
    };
    now = announceAt;
    const n = 2000 + Math.floor(Math.random() * 900_000);
    const caseNumber = `(2026)青0104执${n}号`;
    const c = await services.cases.createCase(clerk!, {
      caseNumber,
      basis: '(2025)青0104民初300号民事判决书',
      amountOwed: '190000',
      parties: [
        { role: 'applicant', kind: 'company', name: '青海某银行股份有限公司', claim: '100000' },
        { role: 'applicant', kind: 'person', name: '赵一', claim: '30000' },
        { role: 'applicant', kind: 'person', name: '钱二', claim: '30000' },
        { role: 'applicant', kind: 'person', name: '孙三', claim: '30000' },
        { role: 'respondent', kind: 'person', name: '周某', idNumberMasked: '630***********4321' },
      ],
    });
    const title = `住宅一套（城西区分配测试路 ${n} 号）`;
    const asset = await services.cases.createAsset(clerk!, c.id, {
      type: 'residential',
      title,
      province: '青海省',
      city: '西宁市',
      district: '城西区',
      address: `分配测试路 ${n} 号`,
      description: '建筑面积 80 平方米。',
      encumbrances: [{ kind: 'mortgage', description: '抵押权人：青海某银行股份有限公司' }],
      appraisal: '400000',
      appraisalBasis: 'appraisal_report',
      appraisalDate: day(announceAt - 10 * d.day),
    });
    const draft = await services.listings.createDraft(clerk!, asset.id, {
      startingPrice: '300000',
      deposit: '30000',
      increment: '3000',
      announceAt: new Date(announceAt).toISOString(),
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      balanceDays: 15,
      specialNotices: '标的物按现状拍卖。',
      taxes: '过户涉及的税费按照法律规定由买卖双方各自承担。',
      taxPayer: 'each_by_law',
      viewing: '请于工作日致电预约看样。',
      contact: '王书记员 0971-6100000',
      supervisionLine: '0971-6100001',
      purchaseRestricted: false,
    });
    await services.listings.submit(clerk!, draft.id);
    await services.listings.approve(panel!, draft.id);
    const reg = await services.registrations.register(buyer!, draft.id, {
      acceptNotices: true,
      promiseEligibility: true,
    });
    live();
    const until = Date.now() + 20_000;
    while ((await services.listings.publicListing(draft.id)).listing.status !== 'live') {
      if (Date.now() > until) throw new Error('the e2e server did not start the auction');
      await new Promise((r) => setTimeout(r, 200));
    }
    await payByTransfer('deposit', reg.deposit.id);
    live();
    await services.bidding.placeBid(buyer!, draft.id, { amountFen: '30000000', clientKey: `e2e-funds-${n}` });
    // The server closes it and settles; the balance appears.
    let b: typeof balances.$inferSelect | undefined;
    while (!b) {
      if (Date.now() > until + 30_000) throw new Error('the e2e server did not settle the auction');
      await new Promise((r) => setTimeout(r, 250));
      [b] = await db.db.select().from(balances).where(eq(balances.listingId, draft.id));
    }
    live();
    await payByTransfer('balance', b.id);
    live();
    await services.sales.issueRuling(panel!, draft.id);
    await services.sales.recordService(clerk!, draft.id, { servedOn: day(now) });
    await services.sales.scheduleHandover(clerk!, draft.id, {
      scheduledFor: new Date(now + 60_000).toISOString(),
      place: '标的现场',
    });
    await services.sales.recordHandover(clerk!, draft.id, { handedOverOn: day(now), note: '钥匙已交付。' });

    // 赵一's enforcement aid: filed, reviewed, awarded and paid on this case.
    const parties = await db.db.select().from(caseParties).where(eq(caseParties.caseId, c.id));
    const partyId = (name: string) => parties.find((p) => p.name === name)!.id;
    const [policy] = await db.db
      .select()
      .from(aidPolicies)
      .where(
        and(
          eq(aidPolicies.courtId, clerk!.organisationId!),
          lte(aidPolicies.startsOn, day(realNow)),
          gte(aidPolicies.endsOn, day(realNow)),
        ),
      );
    live();
    const claim = await services.aid.claims.createClaim(clerk!, {
      caseId: c.id,
      partyId: partyId('赵一'),
      policyId: policy!.id,
      caseType: 'personal_injury',
      eligibilityNote: '执行中生活困难，先行救助',
      unpaid: '30000',
      requested: '10000',
      hardship: '申请人因伤致残，家庭无其他收入来源。',
      payeeName: '赵一',
      bankName: '中国农业银行西宁城西支行',
      accountNumber: '6228480012345678901',
    });
    for (const kind of requiredDocuments(claim.caseType, claim.eligibility))
      await services.aid.claims.attachDocument(clerk!, claim.id, {
        kind,
        filename: `${kind}.pdf`,
        bytes: PDF,
      });
    const a = services.aid;
    await a.claims.submit(clerk!, claim.id);
    await a.claims.startCourtReview(panel!, claim.id);
    await a.claims.courtApprove(panel!, claim.id, { amount: '10000' });
    await a.claims.insurerStartReview(adjuster!, claim.id);
    await a.claims.insurerApprove(adjuster!, claim.id, { amount: '10000' });
    const batch = await a.payments.createBatch(adjuster!, { claimIds: [claim.id] });
    await a.payments.approveBatch(manager!, batch.id);
    await a.payments.exportBatch(adjuster!, batch.id);
    const { payments: paid } = await a.payments.getBatch(adjuster!, batch.id);
    await a.payments.importConfirmations(
      adjuster!,
      `reference,status,amount,bank_reference,reason\r\n${paid
        .map((p) => `${p.reference},SUCCESS,${yuan(p.amountFen)},E2E-${p.reference},`)
        .join('\r\n')}\r\n`,
    );
    return {
      caseId: c.id,
      caseNumber,
      listingId: draft.id,
      title,
      parties: Object.fromEntries(parties.filter((p) => p.role === 'applicant').map((p) => [p.name, p.id])),
    };
  } finally {
    await db.close();
  }
}
