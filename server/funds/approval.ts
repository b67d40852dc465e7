/**
 * A second person approves the final plan (maker-checker, 执行款物管理规定: payout approval by
 * another), and its money leaves the case account in one balanced transaction: costs to the
 * court, each share into its creditor's payable account, disputed amounts into the set-aside
 * account (提存), the surplus into the debtor's. The 30-day countdown stops.
 */
import { eq } from 'drizzle-orm';
import { fundPlanLines } from '../../db/schema/funds.js';
import { requireAllowed } from '../affordances.js';
import { DomainError, isDomainError } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { type EntryInput, ensureAccount, post } from '../ledger/ledger.js';
import type { FundDeps } from './deps.js';
import { settleIfPaid } from './paid.js';
import { markReleased } from './releases.js';
import { decidePlanActions, fundAccounts } from './rules.js';
import { lockPlan, movePlan } from './transitions.js';

export async function approvePlan(deps: FundDeps, actor: Actor | null, planId: string) {
  const me = requirePermission(actor, 'approve:funds-plan');
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const p = await lockPlan(tx, me, planId);
    requireAllowed(decidePlanActions(me, p, { unserved: 0 }), 'approve');
    const lines = await tx.select().from(fundPlanLines).where(eq(fundPlanLines.planId, p.id)).for('update');
    const credit = new Map<string, bigint>();
    const add = (account: string, fen: bigint) => {
      if (fen > 0n) credit.set(account, (credit.get(account) ?? 0n) + fen);
    };
    for (const l of lines) {
      if (l.kind === 'cost') add(fundAccounts.costs(p.courtId), l.allocatedFen);
      else if (l.kind === 'surplus') add(fundAccounts.debtor(p.caseId), l.allocatedFen);
      else {
        add(fundAccounts.payable(p.caseId, l.claimId!), l.allocatedFen - l.setAsideFen);
        add(fundAccounts.setAside(p.caseId), l.setAsideFen);
      }
    }
    const entries: EntryInput[] = [...credit].map(([account, amountFen]) => ({ account, amountFen }));
    for (const e of entries)
      await ensureAccount(tx, {
        code: e.account,
        kind: e.account.startsWith('gateway_clearing:') ? 'gateway_clearing' : 'case_fund',
        allowNegative: e.account.startsWith('gateway_clearing:'),
      });
    const total = entries.reduce((s, e) => s + e.amountFen, 0n);
    if (total > 0n)
      try {
        await post(tx, {
          idempotencyKey: `funds:plan:${p.id}:allot`,
          kind: 'funds.allot',
          description: p.number,
          occurredAt: now,
          entries: [{ account: fundAccounts.caseAccount(p.caseId), amountFen: -total }, ...entries],
        });
      } catch (e) {
        if (isDomainError(e) && e.messageKey === 'ledger.insufficientFunds')
          throw new DomainError('conflict', 'funds.errors.poolShort');
        throw e;
      }
    // Costs are paid to the court in the same stroke.
    for (const l of lines)
      if (l.kind === 'cost' && l.allocatedFen > 0n)
        await tx.update(fundPlanLines).set({ paidFen: l.allocatedFen }).where(eq(fundPlanLines.id, l.id));
    const moved = await movePlan(
      tx,
      p,
      'approved',
      { approvedBy: me.userId, approvedAt: now },
      { actorId: me.userId, at: now, amountFen: total },
    );
    await markReleased(tx, p.caseId, now, me.userId);
    await settleIfPaid(deps, tx, p.id, now, me.userId);
    return moved;
  });
}
