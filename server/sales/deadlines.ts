/**
 * The sale's two clocks as durable jobs (server/jobs): the ruling due 10 days after full payment
 * (art. 20) and the handover 15 days after the ruling (art. 27). At the deadline the job marks the
 * sale overdue (the court's overdue lists) and tells the court; a step taken in time cancels it.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { listings } from '../../db/schema/auctions.js';
import { sales } from '../../db/schema/sales.js';
import { recordAudit } from '../audit/audit.js';
import { cancelJob, scheduleJob } from '../jobs/schedule.js';
import { notify } from '../notifications/service.js';
import { AWAITING_HANDOVER, BEFORE_RULING } from './rules.js';
import { recordEvent } from './transitions.js';

export const SALE_JOBS = { rulingDue: 'sale.ruling-due', handoverDue: 'sale.handover-due' } as const;

const rulingKey = (saleId: string) => `sale:${saleId}:ruling-due`;
const handoverKey = (saleId: string) => `sale:${saleId}:handover-due`;

export const scheduleRulingDue = (tx: Tx, saleId: string, at: Date) =>
  scheduleJob(tx, { kind: SALE_JOBS.rulingDue, key: rulingKey(saleId), runAt: at, payload: { saleId } });
export const cancelRulingDue = (tx: Tx, saleId: string) => cancelJob(tx, rulingKey(saleId));

export const scheduleHandoverDue = (tx: Tx, saleId: string, at: Date) =>
  scheduleJob(tx, { kind: SALE_JOBS.handoverDue, key: handoverKey(saleId), runAt: at, payload: { saleId } });
export const cancelHandoverDue = (tx: Tx, saleId: string) => cancelJob(tx, handoverKey(saleId));

type Clock = 'ruling' | 'handover';

/** The `sale.ruling-due` / `sale.handover-due` job: still not done at the deadline → overdue, once. */
export async function markOverdue(tx: Tx, saleId: string, which: Clock, now: Date) {
  const [s] = await tx.select().from(sales).where(eq(sales.id, saleId)).for('update');
  if (!s) return;
  const ruling = which === 'ruling';
  const open = (ruling ? BEFORE_RULING : AWAITING_HANDOVER).includes(s.status);
  const dueAt = ruling ? s.rulingDueAt : s.handoverDueAt;
  if (!open || !dueAt || (ruling ? s.rulingOverdueAt : s.handoverOverdueAt)) return;
  if (dueAt > now) {
    // Run early (a moved clock, a rescheduled job): come back at the deadline.
    if (ruling) await scheduleRulingDue(tx, s.id, dueAt);
    else await scheduleHandoverDue(tx, s.id, dueAt);
    return;
  }
  await tx
    .update(sales)
    .set(ruling ? { rulingOverdueAt: now, updatedAt: now } : { handoverOverdueAt: now, updatedAt: now })
    .where(eq(sales.id, s.id));
  const kind = ruling ? 'ruling_overdue' : 'handover_overdue';
  await recordEvent(tx, s, kind, { actorId: null, at: now, data: { dueAt: dueAt.toISOString() } });
  await recordAudit(tx, {
    actorId: null,
    action: `sale.${kind}`,
    entityType: 'sale',
    entityId: s.id,
    data: { listingId: s.listingId, status: s.status, dueAt: dueAt.toISOString() },
  });
  const [l] = await tx.select({ title: listings.title }).from(listings).where(eq(listings.id, s.listingId));
  await notify(tx, {
    organisationId: s.courtId,
    kind: ruling ? 'saleRulingOverdue' : 'saleHandoverOverdue',
    params: { title: l?.title ?? '' },
    link: `/court/sales/${s.listingId}`,
    dedupeKey: `sale:${s.id}:${kind}`,
    at: now,
  });
}

type Job = { payload: Record<string, unknown> };
type Ctx = { tx: Tx; now: Date };

/** The handlers of the sales' durable jobs, for the job runner. */
export const saleJobHandlers = {
  [SALE_JOBS.rulingDue]: (job: Job, ctx: Ctx) =>
    markOverdue(ctx.tx, String(job.payload.saleId), 'ruling', ctx.now),
  [SALE_JOBS.handoverDue]: (job: Job, ctx: Ctx) =>
    markOverdue(ctx.tx, String(job.payload.saleId), 'handover', ctx.now),
};
