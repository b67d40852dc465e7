/**
 * The balance (余款, art. 23-24): opened for the winner when his deposit is applied, reminded
 * before its deadline, and defaulted (悔拍) when unpaid at it. Paying it is `paying.ts`; the
 * payment that covers it marks it paid in `apply-state.ts`.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { assetBars, listings } from '../../db/schema/auctions.js';
import { balances, type Deposit, deposits } from '../../db/schema/payments.js';
import { recordAudit } from '../audit/audit.js';
import { beijingTime, yuan } from '../notifications/rules.js';
import { notify } from '../notifications/service.js';
import { emitEvent } from '../outbox/events.js';
import { forfeit } from './deposits.js';
import type { PaymentDeps } from './deps.js';
import { balanceDue } from './rules.js';
import { scheduleBalanceDefault, scheduleBalanceReminder, scheduleSettlement } from './scheduling.js';

/** The winner's balance: the price less his deposit, due after the listing's balance period. */
export async function openBalance(
  deps: PaymentDeps,
  tx: Tx,
  listingId: string,
  winner: Deposit,
  priceFen: bigint,
  now: Date,
) {
  const day = deps.profile.durations.day;
  const [l] = await tx.select().from(listings).where(eq(listings.id, listingId));
  const dueAt = new Date(now.getTime() + l!.balanceDays * day);
  const [b] = await tx
    .insert(balances)
    .values({
      listingId,
      registrationId: winner.registrationId,
      courtId: winner.courtId,
      caseId: winner.caseId,
      userId: winner.userId,
      priceFen,
      depositAppliedFen: winner.amountFen,
      amountFen: balanceDue(priceFen, winner.amountFen),
      dueAt,
      createdAt: now,
    })
    .returning();
  for (const days of [3, 1]) {
    const at = new Date(dueAt.getTime() - days * day);
    if (at > now) await scheduleBalanceReminder(tx, b!.id, days, at);
  }
  await scheduleBalanceDefault(tx, b!.id, dueAt);
  // Art. 22-23: the winner learns the price, the balance and its deadline at once.
  await notify(tx, {
    userId: winner.userId,
    kind: 'auctionWon',
    params: {
      title: l!.title,
      price: yuan(priceFen),
      amount: yuan(b!.amountFen),
      deadline: beijingTime(dueAt),
    },
    link: '/me/payments',
    dedupeKey: `balance:${b!.id}:won`,
    at: now,
  });
}

/** The `balance.remind` job: days before the deadline, while the balance is still open. */
export async function remindBalance(tx: Tx, balanceId: string, days: string, now: Date) {
  const [b] = await tx.select().from(balances).where(eq(balances.id, balanceId));
  if (b?.status !== 'open') return;
  await notify(tx, {
    userId: b.userId,
    kind: 'balanceReminder',
    params: { days },
    link: '/me/payments',
    dedupeKey: `balance:${b.id}:remind:${days}`,
    at: now,
  });
}

/** 悔拍 (art. 24): unpaid at the deadline: default, forfeit, bar from the asset, tell the court. */
export async function defaultBalance(tx: Tx, balanceId: string, now: Date) {
  const [b] = await tx.select().from(balances).where(eq(balances.id, balanceId)).for('update');
  if (b?.status !== 'open') return;
  if (b.dueAt > now) {
    await scheduleBalanceDefault(tx, b.id, b.dueAt);
    return;
  }
  await tx.update(balances).set({ status: 'defaulted', defaultedAt: now }).where(eq(balances.id, b.id));
  const [d] = await tx
    .select()
    .from(deposits)
    .where(eq(deposits.registrationId, b.registrationId))
    .for('update');
  if (d) {
    await tx.update(deposits).set({ settlement: 'forfeit' }).where(eq(deposits.id, d.id));
    if (d.status === 'applied') await forfeit(tx, { ...d, settlement: 'forfeit' }, now);
    // Its own key: a settle job of this deposit may be pending and locked by a worker
    // waiting for the deposit row this job holds (rescheduling it would deadlock).
    else await scheduleSettlement(tx, d.id, now, 'forfeit');
  }
  const [l] = await tx
    .update(listings)
    .set({ outcome: 'defaulted', updatedAt: now })
    .where(eq(listings.id, b.listingId))
    .returning({ assetId: listings.assetId, title: listings.title });
  await tx
    .insert(assetBars)
    .values({ assetId: l!.assetId, userId: b.userId, listingId: b.listingId, reason: 'default' })
    .onConflictDoNothing();
  await recordAudit(tx, {
    actorId: null,
    action: 'balance.defaulted',
    entityType: 'balance',
    entityId: b.id,
    data: { listingId: b.listingId, amountFen: b.amountFen.toString() },
  });
  await emitEvent(tx, 'balance.defaulted', {
    audience: [b.courtId],
    subject: { type: 'balance', id: b.id },
    at: now,
    data: { listingId: b.listingId, amountFen: b.amountFen, dueAt: b.dueAt },
  });
  await notify(tx, {
    organisationId: b.courtId,
    kind: 'balanceDefaulted',
    params: { title: l!.title },
    link: `/court/listings/${b.listingId}`,
    dedupeKey: `balance:${b.id}:defaulted:court`,
    at: now,
  });
  await notify(tx, {
    userId: b.userId,
    kind: 'balanceDefaultedBidder',
    params: { title: l!.title },
    link: '/me/payments',
    dedupeKey: `balance:${b.id}:defaulted:bidder`,
    at: now,
  });
}
