/**
 * When an approved plan is paid (issue 16 §7): every share paid, aid deducted or set aside. Then,
 * when every claim of the case is paid in full and nothing waits set aside, the case closes as
 * fully performed (执行完毕) through the cases service in the same transaction; otherwise each
 * creditor's unpaid remainder is recorded, and he stays owed (民诉法解释 art. 508).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { cases } from '../../db/schema/cases.js';
import { disbursements } from '../../db/schema/disbursements.js';
import { fundObjections, fundPlanLines } from '../../db/schema/funds.js';
import { fenToYuan } from '../csv.js';
import { balanceOf } from '../ledger/ledger.js';
import type { FundDeps } from './deps.js';
import { FUNDS_PURPOSE, fundAccounts } from './rules.js';
import { fundEvent, lockPlanById, movePlan } from './transitions.js';

export async function settleIfPaid(
  deps: FundDeps,
  tx: Tx,
  planId: string,
  now: Date,
  actorId: string | null,
) {
  const p = await lockPlanById(tx, planId);
  if (p?.status !== 'approved') return;
  const lines = await tx.select().from(fundPlanLines).where(eq(fundPlanLines.planId, p.id));
  const claimLines = lines.filter((l) => l.kind === 'claim');
  const open = claimLines.some((l) => l.paidFen + l.aidRecoveredFen + l.setAsideFen < l.allocatedFen);
  if (open) return;
  // A suit still running: its set-aside amount is not settled yet.
  const [suing] = await tx
    .select({ id: fundObjections.id })
    .from(fundObjections)
    .where(and(eq(fundObjections.planId, p.id), eq(fundObjections.status, 'in_suit')));
  if (suing) return;
  const flying = claimLines.length
    ? await tx
        .select({ id: disbursements.id })
        .from(disbursements)
        .where(
          and(
            eq(disbursements.purpose, FUNDS_PURPOSE),
            inArray(
              disbursements.subjectId,
              claimLines.map((l) => l.id),
            ),
            inArray(disbursements.status, ['scheduled', 'approved', 'sent']),
          ),
        )
    : [];
  if (flying.length > 0) return;
  await movePlan(tx, p, 'paid', { paidAt: now }, { actorId, at: now });
  const setAside = claimLines.some((l) => l.setAsideFen > 0n);
  const short = claimLines.filter((l) => l.allocatedFen < l.demandFen);
  const [c] = await tx.select({ closureMode: cases.closureMode }).from(cases).where(eq(cases.id, p.caseId));
  const held = await balanceOf(tx, fundAccounts.caseAccount(p.caseId)).catch(() => 0n);
  // Closed already, or money arrived since the plan: the next plan (or the clerk) closes it.
  if (!setAside && short.length === 0 && c?.closureMode === null && held === 0n) {
    const recovered = claimLines.reduce((s, l) => s + l.allocatedFen, 0n);
    await deps.closeCase(tx, { system: 'funds' }, p.caseId, {
      mode: 'fully_performed',
      recovered: fenToYuan(recovered),
    });
    await fundEvent(tx, p.caseId, p.id, 'case.closed', { actorId, at: now, amountFen: recovered });
  } else if (short.length > 0)
    for (const l of short)
      await fundEvent(tx, p.caseId, p.id, 'remainder', {
        actorId,
        at: now,
        amountFen: l.demandFen - l.allocatedFen,
        data: { claimId: l.claimId ?? '' },
      });
}
