/**
 * Paying a deposit or a balance: by card through the configured gateway (created idempotently on
 * our payment id) or by bank transfer (a unique reference the payer writes on his transfer; a
 * clerk records it, `transfers.ts`). Whether the payer may pay now is `affordances.ts`.
 */
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { listings } from '../../db/schema/auctions.js';
import {
  type Balance,
  balances,
  type Deposit,
  deposits,
  type Payment,
  payments,
} from '../../db/schema/payments.js';
import { requireAllowed } from '../affordances.js';
import { notFound } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { isUuid, parseInput } from '../validation.js';
import { cardRefusal, decideBalanceActions, decideDepositActions } from './affordances.js';
import { applyState } from './apply-state.js';
import { gatewayFor, type PaymentDeps } from './deps.js';
import { newTransferReference } from './rules.js';
import { StartPaymentSchema } from './schemas.js';

/**
 * Starts paying a deposit or a balance, by card (the configured gateway) or bank transfer.
 * A second click reuses the open attempt of the same method instead of creating another.
 */
export async function startPayment(deps: PaymentDeps, actor: Actor | null, input: unknown) {
  const me = requirePermission(actor, 'pay:own');
  const { target, id, method } = parseInput(StartPaymentSchema, input);
  const now = deps.clock();
  const owed =
    target === 'deposit'
      ? await payableDeposit(deps.db, me, id, now)
      : await payableBalance(deps.db, me, id, now);

  if (method === 'card') {
    const refusal = cardRefusal(deps.gateway, owed.amountFen);
    if (refusal) throw refusal;
  }
  const gatewayMethod = method === 'card' ? deps.gateway!.name : 'bank_transfer';
  let payment = await openAttempt(deps.db, target, id, gatewayMethod);
  if (!payment) {
    [payment] = await deps.db
      .insert(payments)
      .values({
        purpose: target,
        depositId: target === 'deposit' ? id : null,
        balanceId: target === 'balance' ? id : null,
        userId: me.userId,
        courtId: owed.courtId,
        method: gatewayMethod,
        reference: method === 'bank_transfer' ? newTransferReference() : null,
        amountFen: owed.amountFen,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
  }
  if (method === 'bank_transfer') return { paymentId: payment!.id, redirectUrl: null, clientSecret: null };
  const created = await createAtGateway(deps, payment!);
  return { paymentId: payment!.id, redirectUrl: created.redirectUrl, clientSecret: created.clientSecret };
}

/** Idempotent on our payment id: calling it again (a retry, reconciliation) yields the same gateway payment. */
export async function createAtGateway(deps: PaymentDeps, p: Payment) {
  const gateway = gatewayFor(deps, p);
  const created = await gateway.create({
    paymentId: p.id,
    amountFen: p.amountFen,
    currency: 'CNY',
    capture: p.purpose === 'deposit' ? 'manual' : 'automatic',
    description: p.purpose === 'deposit' ? `Deposit ${p.depositId}` : `Balance ${p.balanceId}`,
  });
  deps.faults?.afterGatewayCall?.('create');
  await deps.db.transaction(async (tx) => {
    await tx
      .update(payments)
      .set({ gatewayRef: created.ref })
      .where(and(eq(payments.id, p.id), isNull(payments.gatewayRef)));
    await applyState(deps, tx, p.id, created.state, deps.clock());
  });
  return created;
}

async function openAttempt(
  db: Database,
  target: 'deposit' | 'balance',
  id: string,
  method: Payment['method'],
) {
  const [p] = await db
    .select()
    .from(payments)
    .where(
      and(
        target === 'deposit' ? eq(payments.depositId, id) : eq(payments.balanceId, id),
        eq(payments.method, method),
        eq(payments.status, 'requires_payment'),
      ),
    )
    .orderBy(desc(payments.createdAt))
    .limit(1);
  return p;
}

async function payableDeposit(db: Database, me: Actor, id: string, now: Date) {
  const d = await ownDeposit(db, me, id);
  const [l] = await db
    .select({ status: listings.status, currentEndAt: listings.currentEndAt })
    .from(listings)
    .where(eq(listings.id, d.listingId));
  requireAllowed(decideDepositActions(me, d, l, now), 'pay');
  return d;
}

async function payableBalance(db: Database, me: Actor, id: string, now: Date) {
  const b = await ownBalance(db, me, id);
  requireAllowed(decideBalanceActions(me, b, now), 'pay');
  return b;
}

/** The bidder's own deposit; not_found for anyone else's. */
export async function ownDeposit(db: Database, me: Actor, id: string): Promise<Deposit> {
  if (!isUuid(id)) throw notFound();
  const [d] = await db
    .select()
    .from(deposits)
    .where(and(eq(deposits.id, id), eq(deposits.userId, me.userId)));
  if (!d) throw notFound();
  return d;
}

/** The bidder's own balance; not_found for anyone else's. */
export async function ownBalance(db: Database, me: Actor, id: string): Promise<Balance> {
  if (!isUuid(id)) throw notFound();
  const [b] = await db
    .select()
    .from(balances)
    .where(and(eq(balances.id, id), eq(balances.userId, me.userId)));
  if (!b) throw notFound();
  return b;
}
