/**
 * The handover (交付, art. 27): within 15 days of the ruling, unless the law prevents it. The
 * court schedules it (when, where), then records it done (the day, a note) or obstructed (why:
 * an occupant refuses, a third party objects), and schedules it again after an obstruction. Each
 * step is in the sale's record with who and when; the buyer sees the record and is told.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { listings } from '../../db/schema/auctions.js';
import type { Sale } from '../../db/schema/sales.js';
import { requireAllowed } from '../affordances.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { notify } from '../notifications/service.js';
import { parseInput, validationError } from '../validation.js';
import { decideSaleActions } from './affordances.js';
import { cancelHandoverDue } from './deadlines.js';
import type { SaleDeps } from './deps.js';
import { beijingDay } from './rules.js';
import { HandoverDoneSchema, ObstructionSchema, ScheduleHandoverSchema } from './schemas.js';
import { lockSale, moveSale } from './transitions.js';

/** `2026-03-20 09:30`, Beijing time: how a notice names the handover's time. */
const beijingMinute = (at: Date) =>
  new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

async function tellBuyer(
  tx: Tx,
  s: Sale,
  kind: string,
  params: Record<string, string>,
  now: Date,
  key: string,
) {
  const [l] = await tx.select({ title: listings.title }).from(listings).where(eq(listings.id, s.listingId));
  await notify(tx, {
    userId: s.buyerId,
    kind,
    params: { title: l!.title, ...params },
    link: '/me/purchases',
    dedupeKey: `sale:${s.id}:${key}`,
    at: now,
  });
}

export async function scheduleHandover(
  deps: SaleDeps,
  actor: Actor | null,
  listingId: string,
  input: unknown,
) {
  const me = requirePermission(actor, 'manage:sale');
  const courtId = courtOf(me);
  const { scheduledFor, place } = parseInput(ScheduleHandoverSchema, input);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const s = await lockSale(tx, courtId, listingId);
    requireAllowed(decideSaleActions(me, s), 'scheduleHandover');
    if (scheduledFor < s.rulingIssuedAt!)
      throw validationError({ scheduledFor: ['sales.validation.beforeRuling'] });
    const moved = await moveSale(
      tx,
      s,
      'handover_scheduled',
      {
        handoverScheduledFor: scheduledFor,
        handoverPlace: place,
        obstructionReason: null,
        handoverObstructedAt: null,
      },
      { actorId: me.userId, at: now, data: { scheduledFor: scheduledFor.toISOString(), place } },
    );
    await tellBuyer(
      tx,
      s,
      'saleHandoverScheduled',
      { at: beijingMinute(scheduledFor), place },
      now,
      `scheduled:${now.getTime()}`,
    );
    return moved;
  });
}

export async function recordHandover(deps: SaleDeps, actor: Actor | null, listingId: string, input: unknown) {
  const me = requirePermission(actor, 'manage:sale');
  const courtId = courtOf(me);
  const { handedOverOn, note } = parseInput(HandoverDoneSchema, input);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const s = await lockSale(tx, courtId, listingId);
    requireAllowed(decideSaleActions(me, s), 'recordHandover');
    if (handedOverOn < beijingDay(s.rulingIssuedAt!))
      throw validationError({ handedOverOn: ['sales.validation.beforeRuling'] });
    if (handedOverOn > beijingDay(now))
      throw validationError({ handedOverOn: ['sales.validation.inFuture'] });
    const moved = await moveSale(
      tx,
      s,
      'handed_over',
      { handedOverOn, handoverNote: note ?? null },
      { actorId: me.userId, at: now, data: { handedOverOn, ...(note && { note }) } },
    );
    await cancelHandoverDue(tx, s.id);
    await tellBuyer(tx, s, 'saleHandedOver', { day: handedOverOn }, now, 'handed-over');
    return moved;
  });
}

export async function recordObstruction(
  deps: SaleDeps,
  actor: Actor | null,
  listingId: string,
  input: unknown,
) {
  const me = requirePermission(actor, 'manage:sale');
  const courtId = courtOf(me);
  const { reason } = parseInput(ObstructionSchema, input);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const s = await lockSale(tx, courtId, listingId);
    requireAllowed(decideSaleActions(me, s), 'recordObstruction');
    const moved = await moveSale(
      tx,
      s,
      'handover_obstructed',
      { obstructionReason: reason, handoverObstructedAt: now },
      { actorId: me.userId, at: now, data: { reason } },
    );
    await tellBuyer(tx, s, 'saleHandoverObstructed', { reason }, now, `obstructed:${now.getTime()}`);
    return moved;
  });
}
