/**
 * The clerk drafts the plan (issue 16 §3) from the money in the case account (一案一账号), the
 * forfeited deposits of the case brought in first (悔拍, online-auction art. 24: they pay the
 * costs, then the debt, in the same waterfall), the costs and claims recorded, interest to the
 * cut-off date, and the court's order of the ranked classes. The pure `distribute` decides every
 * line; the PDF is generated and stored with its sha256. A new draft supersedes a live plan not
 * yet approved (a revision).
 */
import { createHash } from 'node:crypto';
import { and, asc, count, eq, inArray, notInArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { caseParties } from '../../db/schema/cases.js';
import {
  type FundClaim,
  fundClaims,
  fundCosts,
  fundCourtRules,
  fundPlanLines,
  fundPlanRecipients,
  fundPlans,
} from '../../db/schema/funds.js';
import { organisations, users } from '../../db/schema/identity.js';
import { deposits } from '../../db/schema/payments.js';
import { renderPdf } from '../documents/pdf.js';
import { DomainError } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { balanceOf, ensureAccount, post } from '../ledger/ledger.js';
import { parseInput, validationError } from '../validation.js';
import type { FundDeps } from './deps.js';
import { type ClaimInput, type DebtorKind, delayInterestFen, distribute, type RankedClass } from './plan.js';
import { planDocument } from './plan-document.js';
import { beijingDay, daysBetween, fundAccounts, planNumberOf } from './rules.js';
import { DraftSchema } from './schemas.js';
import { caseToWrite, fundEvent, movePlan } from './transitions.js';

/** What a claim still asks for at the cut-off: paid money settles interest first, then principal (民法典 art. 561). */
export function outstanding(c: FundClaim, cutoffOn: string) {
  const days = c.delayFrom && c.delayFrom <= cutoffOn ? daysBetween(c.delayFrom, cutoffOn) + 1 : 0;
  const delay = delayInterestFen(c.principalFen, days);
  let paid = c.paidFen;
  const take = (x: bigint) => {
    const t = paid < x ? paid : x;
    paid -= t;
    return x - t;
  };
  const delayLeft = take(delay);
  const interestLeft = take(c.interestFen);
  const principalLeft = take(c.principalFen);
  return { principalFen: principalLeft, interestFen: interestLeft, delayInterestFen: delayLeft };
}

/** Art. 24: the case's forfeited deposits move from the court's forfeit account into the case account, once each. */
async function bringInForfeits(tx: Tx, caseId: string, courtId: string, actorId: string, now: Date) {
  const rows = await tx
    .select()
    .from(deposits)
    .where(and(eq(deposits.caseId, caseId), eq(deposits.status, 'forfeited')));
  for (const d of rows) {
    if (d.amountFen <= 0n) continue;
    await ensureAccount(tx, { code: fundAccounts.caseAccount(caseId), kind: 'case' });
    const posted = await post(tx, {
      idempotencyKey: `funds:forfeit-in:${d.id}`,
      kind: 'funds.forfeit_in',
      description: caseId,
      occurredAt: now,
      entries: [
        { account: fundAccounts.forfeited(courtId), amountFen: -d.amountFen },
        { account: fundAccounts.caseAccount(caseId), amountFen: d.amountFen },
      ],
    });
    if (!posted.replayed)
      await fundEvent(tx, caseId, null, 'forfeit.included', {
        actorId,
        at: now,
        amountFen: d.amountFen,
        data: { depositId: d.id },
      });
  }
}

export async function draftPlan(deps: FundDeps, actor: Actor | null, caseId: string, input: unknown) {
  const me = requirePermission(actor, 'manage:funds');
  const { cutoffOn } = parseInput(DraftSchema, input);
  const now = deps.clock();
  if (cutoffOn > beijingDay(now)) throw validationError({ cutoffOn: ['funds.validation.cutoffInFuture'] });
  let stored: string | null = null;
  try {
    return await deps.db.transaction(async (tx) => {
      const c = await caseToWrite(tx, me, caseId);
      const [live] = await tx
        .select()
        .from(fundPlans)
        .where(and(eq(fundPlans.caseId, c.id), notInArray(fundPlans.status, ['paid', 'superseded'])))
        .for('update');
      if (live && live.status === 'approved') throw new DomainError('conflict', 'funds.errors.planApproved');
      if (live) await movePlan(tx, live, 'superseded', {}, { actorId: me.userId, at: now });

      await bringInForfeits(tx, c.id, c.courtId, me.userId, now);
      await ensureAccount(tx, { code: fundAccounts.caseAccount(c.id), kind: 'case' });
      const poolFen = await balanceOf(tx, fundAccounts.caseAccount(c.id));
      if (poolFen <= 0n) throw new DomainError('conflict', 'funds.errors.nothingToDistribute');

      // Costs and the application fee already paid by an earlier plan are not asked again.
      const earlier = await tx
        .select({ costId: fundPlanLines.costId, class: fundPlanLines.class })
        .from(fundPlanLines)
        .innerJoin(fundPlans, eq(fundPlans.id, fundPlanLines.planId))
        .where(and(eq(fundPlans.caseId, c.id), inArray(fundPlans.status, ['approved', 'paid'])));
      const paidCosts = new Set(earlier.map((l) => l.costId).filter(Boolean));
      const feePaid = earlier.some((l) => l.class === 'application_fee');
      const costs = (
        await tx.select().from(fundCosts).where(eq(fundCosts.caseId, c.id)).orderBy(asc(fundCosts.recordedAt))
      ).filter((x) => !paidCosts.has(x.id));
      const claims = await tx
        .select()
        .from(fundClaims)
        .where(eq(fundClaims.caseId, c.id))
        .orderBy(asc(fundClaims.sequence));
      if (claims.length === 0) throw new DomainError('conflict', 'funds.errors.noClaims');
      const parties = await tx
        .select()
        .from(caseParties)
        .where(eq(caseParties.caseId, c.id))
        .orderBy(asc(caseParties.name));
      const debtor = parties.find((p) => p.role === 'respondent');
      const debtorKind: DebtorKind = debtor?.kind === 'company' ? 'company' : 'person';
      const [rule] = await tx.select().from(fundCourtRules).where(eq(fundCourtRules.courtId, c.courtId));
      const owed = new Map(claims.map((k) => [k.id, outstanding(k, cutoffOn)]));
      const claimInputs: ClaimInput[] = claims.map((k) => ({
        id: k.id,
        class: k.class,
        ...owed.get(k.id)!,
        registeredOn: k.registeredOn,
        seizureRank: k.seizureRank,
        sequence: k.sequence,
      }));
      const plan = distribute({
        poolFen,
        costs: costs.map((x) => ({
          id: x.id,
          kind: x.kind as Exclude<typeof x.kind, 'application_fee'>,
          amountFen: x.amountFen,
        })),
        applicationFee: feePaid ? null : { id: 'application_fee' },
        claims: claimInputs,
        debtorKind,
        courtOrder: (rule?.classOrder as RankedClass[] | undefined) ?? null,
      });

      const [{ n } = { n: 0 }] = await tx
        .select({ n: count() })
        .from(fundPlans)
        .where(eq(fundPlans.caseId, c.id));
      const number = planNumberOf(c.caseNumber, n + 1);
      const [court] = await tx
        .select({ name: organisations.nameZh })
        .from(organisations)
        .where(eq(organisations.id, c.courtId));
      const [clerk] = await tx.select({ name: users.realName }).from(users).where(eq(users.id, me.userId));
      const partyName = new Map(parties.map((p) => [p.id, p.name]));
      const claimById = new Map(claims.map((k) => [k.id, k]));
      const pdf = await renderPdf(
        planDocument({
          court: court?.name ?? '',
          caseNumber: c.caseNumber,
          number,
          applicants: parties.filter((p) => p.role === 'applicant').map((p) => p.name),
          respondents: parties.filter((p) => p.role === 'respondent').map((p) => p.name),
          poolFen,
          cutoffOn,
          order: plan.order,
          orderSource: plan.orderSource,
          lines: plan.lines.map((l) => ({
            kind: l.kind,
            who: l.kind === 'claim' ? (partyName.get(claimById.get(l.refId!)!.partyId) ?? '') : '',
            class: l.class,
            demandFen: l.demandFen,
            allocatedFen: l.allocatedFen,
            rule: l.rule,
          })),
          clerk: clerk?.name ?? '',
          draftedAt: now,
        }),
      );
      const { key, sha256 } = await deps.storage.put(pdf);
      stored = key;
      const [row] = await tx
        .insert(fundPlans)
        .values({
          caseId: c.id,
          courtId: c.courtId,
          number,
          status: 'draft',
          poolFen,
          cutoffOn,
          debtorKind,
          classOrder: [...plan.order],
          orderSource: plan.orderSource,
          ordinaryRule: plan.ordinaryRule,
          applicationFeeFen: plan.applicationFeeFen,
          surplusFen: plan.surplusFen,
          draftedBy: me.userId,
          draftedAt: now,
          documentKey: key,
          documentSha256: sha256,
          updatedAt: now,
        })
        .returning();
      await tx.insert(fundPlanLines).values(
        plan.lines.map((l, i) => {
          const k = l.kind === 'claim' ? claimById.get(l.refId!) : undefined;
          const o = k ? owed.get(k.id)! : undefined;
          const interestOnly = l.rule === 'constructionInterest';
          return {
            planId: row!.id,
            position: i + 1,
            kind: l.kind,
            costId: l.kind === 'cost' && l.refId !== 'application_fee' ? l.refId : null,
            claimId: k?.id ?? null,
            class: l.class,
            rank: l.rank,
            rule: l.rule,
            principalFen: o && !interestOnly ? o.principalFen : 0n,
            interestFen: o && (interestOnly || k!.class !== 'construction') ? o.interestFen : 0n,
            delayInterestFen: o && (interestOnly || k!.class !== 'construction') ? o.delayInterestFen : 0n,
            demandFen: l.demandFen,
            allocatedFen: l.allocatedFen,
          };
        }),
      );
      // Served on every creditor of the plan and the debtor (art. 509).
      const recipients = new Set(claims.map((k) => k.partyId));
      for (const p of parties) if (p.role === 'respondent') recipients.add(p.id);
      await tx
        .insert(fundPlanRecipients)
        .values(
          parties
            .filter((p) => recipients.has(p.id))
            .map((p) => ({ planId: row!.id, partyId: p.id, role: p.role, name: p.name })),
        );
      await fundEvent(tx, c.id, row!.id, 'plan.draft', {
        actorId: me.userId,
        at: now,
        amountFen: poolFen,
        data: { number, sha256: createHash('sha256').update(pdf).digest('hex') },
      });
      return row!;
    });
  } catch (e) {
    if (stored) await deps.storage.delete(stored);
    throw e;
  }
}
