/**
 * What a case owes and to whom (issue 16 §2): execution costs (执行规定 art. 34; the application
 * fee is computed by the plan from the statutory scale, never entered), creditors' claims with
 * their class and title, and creditors joining the distribution (参与分配, 民诉法解释 arts.
 * 506-507): only against a person or an "other organisation", with a title, and before the
 * debtor's property is fully executed (no plan approved yet). The court's order of the ranked
 * classes is its own rule; the statutory order applies without one.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { caseParties } from '../../db/schema/cases.js';
import { fundClaims, fundCosts, fundCourtRules, fundPlans } from '../../db/schema/funds.js';
import { users } from '../../db/schema/identity.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { parseInput, validationError } from '../validation.js';
import type { FundDeps } from './deps.js';
import { ClaimSchema, CostSchema, CourtOrderSchema } from './schemas.js';
import { caseToWrite, fundEvent } from './transitions.js';

export async function recordCost(deps: FundDeps, actor: Actor | null, caseId: string, input: unknown) {
  const me = requirePermission(actor, 'manage:funds');
  const data = parseInput(CostSchema, input);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const c = await caseToWrite(tx, me, caseId);
    return recordCostIn(tx, {
      caseId: c.id,
      kind: data.kind,
      amountFen: data.amount,
      note: data.note,
      by: me.userId,
      now,
    });
  });
}

export interface CostEntry {
  caseId: string;
  kind: (typeof fundCosts.$inferInsert)['kind'];
  amountFen: bigint;
  note: string;
  by: string;
  now: Date;
}

/**
 * Records a cost in the caller's transaction, the caller having checked the case is its
 * actor's: the clerk's form above, and the bounties module's award (财产调查规定 art. 24, a
 * `bounty_reward` the next plan deducts before the creditors; ADR 022).
 */
export async function recordCostIn(tx: Tx, e: CostEntry) {
  const [row] = await tx
    .insert(fundCosts)
    .values({
      caseId: e.caseId,
      kind: e.kind,
      amountFen: e.amountFen,
      note: e.note,
      recordedBy: e.by,
      recordedAt: e.now,
    })
    .returning();
  await fundEvent(tx, e.caseId, null, 'cost.recorded', {
    actorId: e.by,
    at: e.now,
    amountFen: e.amountFen,
    data: { kind: e.kind },
  });
  await recordAudit(tx, {
    actorId: e.by,
    action: 'fund_cost.recorded',
    entityType: 'fund_cost',
    entityId: row!.id,
    data: { caseId: e.caseId, kind: e.kind, amountFen: e.amountFen.toString() },
  });
  return row!;
}

export async function recordClaim(deps: FundDeps, actor: Actor | null, caseId: string, input: unknown) {
  const me = requirePermission(actor, 'manage:funds');
  const data = parseInput(ClaimSchema, input);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const c = await caseToWrite(tx, me, caseId);
    const parties = await tx.select().from(caseParties).where(eq(caseParties.caseId, c.id));
    let partyId = data.partyId;
    const joining = !partyId;
    if (partyId) {
      const p = parties.find((x) => x.id === partyId);
      if (p?.role !== 'applicant') throw validationError({ partyId: ['funds.validation.party'] });
    } else {
      // Art. 506: joining only against a natural person or an "other organisation"; a company
      // debtor's creditors are paid in the order of seizure (art. 514) or go to bankruptcy.
      const debtor = parties.find((x) => x.role === 'respondent');
      if (debtor?.kind === 'company' && data.class === 'ordinary')
        throw new DomainError('conflict', 'funds.errors.joiningCompany');
      // Art. 507: before the debtor's property is fully executed.
      const [done] = await tx
        .select({ id: fundPlans.id })
        .from(fundPlans)
        .where(and(eq(fundPlans.caseId, c.id), eq(fundPlans.status, 'approved')));
      if (done) throw new DomainError('conflict', 'funds.errors.joiningTooLate');
      const [p] = await tx
        .insert(caseParties)
        .values({
          caseId: c.id,
          role: 'applicant',
          kind: data.joiningKind ?? 'person',
          name: data.joiningName!,
          claimFen: data.principal,
        })
        .returning();
      partyId = p!.id;
    }
    if (data.creditorEmail) {
      const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.email, data.creditorEmail));
      if (!u) throw validationError({ creditorEmail: ['funds.validation.noAccount'] });
      await tx.update(caseParties).set({ userId: u.id }).where(eq(caseParties.id, partyId!));
    }
    const [row] = await tx
      .insert(fundClaims)
      .values({
        caseId: c.id,
        partyId: partyId!,
        origin: joining ? 'joined' : 'applicant',
        class: data.class,
        titleNumber: data.titleNumber,
        principalFen: data.principal,
        interestFen: data.interest,
        delayFrom: data.delayFrom ?? null,
        registeredOn: data.registeredOn ?? null,
        seizureRank: data.seizureRank ?? null,
        payeeName: data.payeeName,
        bankName: data.bankName,
        accountNumber: data.accountNumber.replaceAll(' ', ''),
        recordedBy: me.userId,
        recordedAt: now,
      })
      .returning();
    await fundEvent(tx, c.id, null, joining ? 'claim.joined' : 'claim.recorded', {
      actorId: me.userId,
      at: now,
      amountFen: data.principal,
      data: { claimId: row!.id, class: data.class, titleNumber: data.titleNumber },
    });
    await recordAudit(tx, {
      actorId: me.userId,
      action: joining ? 'fund_claim.joined' : 'fund_claim.recorded',
      entityType: 'fund_claim',
      entityId: row!.id,
      data: { caseId: c.id, class: data.class, principalFen: data.principal.toString() },
    });
    return row!;
  });
}

/** The court's own order of the ranked classes (e.g. labour above the ordinary claims). */
export async function setCourtOrder(deps: FundDeps, actor: Actor | null, input: unknown) {
  const me = requirePermission(actor, 'approve:funds-plan');
  const courtId = courtOf(me);
  const { order } = parseInput(CourtOrderSchema, input);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    await tx
      .insert(fundCourtRules)
      .values({ courtId, classOrder: order, updatedBy: me.userId, updatedAt: now })
      .onConflictDoUpdate({
        target: fundCourtRules.courtId,
        set: { classOrder: order, updatedBy: me.userId, updatedAt: now },
      });
    await recordAudit(tx, {
      actorId: me.userId,
      action: 'fund_court_rule.set',
      entityType: 'organisation',
      entityId: courtId,
      data: { order },
    });
    return { order };
  });
}
