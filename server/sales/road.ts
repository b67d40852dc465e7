/**
 * The road after the sale (issue 21 part 5), as the signed-in viewer of an ended auction sees it:
 * one use case decides whose road it is, its steps with their dates and deadlines (`winnerRoad`,
 * `bidderRoad` in rules.ts) and what he may do next (`can`). The auction page renders it and
 * decides nothing.
 *
 * - the winner: the confirmation (art. 22), the balance by its deadline, paid or defaulted (art.
 *   24), then the ruling, its service, the handover (拍卖、变卖规定 arts. 20, 26, 27) and his
 *   title registration;
 * - a bidder who did not win, or any bidder of a failed or withdrawn auction: his deposit back
 *   within 24 hours of the end (art. 23), with the day it came back;
 * - anyone else (not signed in, no deposit held here, staff): null. A bidder's road is read by
 *   his own user id only: nobody sees another bidder's.
 */
import { and, asc, eq, inArray, isNotNull, or } from 'drizzle-orm';
import { listings, registrations } from '../../db/schema/auctions.js';
import { type Balance, balances, deposits, payments } from '../../db/schema/payments.js';
import { type Sale, sales } from '../../db/schema/sales.js';
import { affordancesOf, type Decisions } from '../affordances.js';
import { DomainError } from '../errors.js';
import { type Actor, can } from '../identity/permissions.js';
import { decideBalanceActions } from '../payments/affordances.js';
import { RECEIPT_STATUSES } from '../payments/rules.js';
import { isUuid } from '../validation.js';
import type { SaleDeps } from './deps.js';
import { bidderRoad, winnerRoad } from './rules.js';

/** Winner: his balance is this listing's; bidder: his deposit goes back; settling: not decided yet. */
export type RoadRole = 'winner' | 'bidder' | 'settling';

type RoadAction = 'payBalance' | 'readRuling';

/** What the viewer may do on his road now: pay the balance (as the pay page decides), read the ruling once issued. Pure. */
export function decideRoadActions(
  actor: Actor,
  b: Pick<Balance, 'userId' | 'status' | 'dueAt'> | null,
  s: Pick<Sale, 'buyerId' | 'rulingStorageKey'> | null,
  now: Date,
): Decisions<RoadAction> {
  return {
    // Arts. 22-24: paid while open and before its deadline.
    payBalance: b ? decideBalanceActions(actor, b, now).pay : conflict('sales.errors.noBalance'),
    // Art. 20: the ruling's PDF, once a judge issued it, for the buyer (readRuling decides the same).
    readRuling:
      s?.rulingStorageKey && s.buyerId === actor.userId ? null : conflict('sales.errors.rulingNotIssued'),
  };
}

const conflict = (key: string) => new DomainError('conflict', key);

/** The viewer's own receipts of this listing: his deposit's and his balance's payments. */
async function receiptsOf(deps: SaleDeps, userId: string, depositId: string, balanceId: string | null) {
  return deps.db
    .select({ paymentId: payments.id, purpose: payments.purpose, number: payments.receiptNumber })
    .from(payments)
    .where(
      and(
        eq(payments.userId, userId),
        inArray(payments.status, RECEIPT_STATUSES),
        isNotNull(payments.receiptNumber),
        or(eq(payments.depositId, depositId), balanceId ? eq(payments.balanceId, balanceId) : undefined),
      ),
    )
    .orderBy(asc(payments.receiptIssuedAt));
}

export async function roadAfterSale(deps: SaleDeps, actor: Actor | null, listingId: string) {
  if (!actor || !can(actor, 'pay:own') || !isUuid(listingId)) return null;
  const { db } = deps;
  const [mine] = await db
    .select({
      status: listings.status,
      endedAt: listings.endedAt,
      resultHeldAt: listings.resultHeldAt,
      purchaseRestricted: listings.purchaseRestricted,
      registrationId: registrations.id,
      deposit: deposits,
    })
    .from(listings)
    .innerJoin(registrations, eq(registrations.listingId, listings.id))
    .innerJoin(deposits, eq(deposits.registrationId, registrations.id))
    .where(and(eq(listings.id, listingId), eq(registrations.userId, actor.userId)));
  // Only after the end, and only for a bidder whose deposit was held (a waived one counts).
  if (!mine || (mine.status !== 'ended' && mine.status !== 'withdrawn') || mine.deposit.status === 'pending')
    return null;
  const d = mine.deposit;
  const endedAt = mine.endedAt ?? d.updatedAt;
  const now = deps.clock();
  if (d.settlement === 'apply' || d.settlement === 'forfeit') {
    const [[b], [s]] = await Promise.all([
      db
        .select()
        .from(balances)
        .where(and(eq(balances.listingId, listingId), eq(balances.registrationId, mine.registrationId))),
      db
        .select()
        .from(sales)
        .where(and(eq(sales.listingId, listingId), eq(sales.buyerId, actor.userId))),
    ]);
    return {
      role: 'winner' as RoadRole,
      steps: winnerRoad({
        endedAt,
        purchaseRestricted: mine.purchaseRestricted,
        balance: b ?? null,
        sale: s ?? null,
      }),
      /** The money still moving after the end: the page looks again while this holds. */
      settling: !b,
      balanceId: b?.id ?? null,
      ruling: s?.rulingNumber ? { number: s.rulingNumber } : null,
      receipts: await receiptsOf(deps, actor.userId, d.id, b?.id ?? null),
      can: affordancesOf(decideRoadActions(actor, b ?? null, s ?? null, now)),
      serverTime: now,
    };
  }
  const none = affordancesOf(decideRoadActions(actor, null, null, now));
  if (d.settlement === null && mine.status === 'ended' && d.status === 'held') {
    // Seconds after the end (or a result the court holds, art. 31): nobody is told yet which road is his.
    return {
      role: 'settling' as RoadRole,
      steps: [],
      settling: mine.resultHeldAt === null,
      balanceId: null,
      ruling: null,
      receipts: [],
      can: none,
      serverTime: now,
    };
  }
  return {
    role: 'bidder' as RoadRole,
    steps: bidderRoad({
      endedAt,
      releaseDueAt: new Date(endedAt.getTime() + deps.profile.durations.depositRelease),
      deposit: d,
    }),
    settling: d.status === 'held',
    balanceId: null,
    ruling: null,
    receipts: await receiptsOf(deps, actor.userId, d.id, null),
    can: none,
    serverTime: now,
  };
}
