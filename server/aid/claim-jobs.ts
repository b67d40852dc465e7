import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { aidClaims } from '../../db/schema/aid.js';
import { beijingTime } from '../notifications/rules.js';
import { notify } from '../notifications/service.js';
import { recordClaimEvent } from './common.js';
import { isOverdue } from './rules.js';

export const AID_JOBS = { decisionDue: 'aid.decision_due' } as const;

/** The durable job that fires when a claim's decision falls due (scheduled on each submission). */
export const dueJobKey = (claimId: string) => `aid:claim:${claimId}:decision-due`;

/**
 * SLA reminder: when a claim's decision falls due undecided, it is marked and the audit says
 * so once. Idempotent: a claim decided meanwhile, or already marked, is left alone.
 */
export async function decisionDue(tx: Tx, claimId: string, now: Date) {
  const [c] = await tx.select().from(aidClaims).where(eq(aidClaims.id, claimId)).for('update');
  if (!c || !isOverdue(c, now) || c.overdueNotifiedAt) return;
  await tx.update(aidClaims).set({ overdueNotifiedAt: now }).where(eq(aidClaims.id, c.id));
  await recordClaimEvent(tx, c.id, {
    action: 'overdue',
    actorId: null,
    at: now,
    data: { decisionDueAt: c.decisionDueAt?.toISOString() },
  });
  // The desk that must decide now (the insurer once the court has approved) sees it in its queue.
  await notify(tx, {
    organisationId: c.status === 'insurer_review' ? c.insurerId : c.courtId,
    kind: 'aidClaimOverdue',
    params: { number: c.number, due: c.decisionDueAt ? beijingTime(c.decisionDueAt) : '' },
    link: `/aid/claims/${c.id}`,
    dedupeKey: `aid:claim:${c.id}:overdue`,
    at: now,
  });
}

export const aidJobHandlers = {
  [AID_JOBS.decisionDue]: async (job: { payload: Record<string, unknown> }, ctx: { tx: Tx; now: Date }) =>
    decisionDue(ctx.tx, String(job.payload.claimId), ctx.now),
};
