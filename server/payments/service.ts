/**
 * Deposits, balance payments and the money they move. One function, `applyState`, turns what a
 * gateway says about a payment (a Stripe webhook, a local simulator event, a retrieve during
 * reconciliation, a confirmed bank transfer) into our state: the payment's mirror, the ledger
 * booking of exactly the money the gateway holds for it, and the deposit or balance that
 * follows from it, all in one database transaction.
 *
 * Ledger (see docs/decisions/007-payments.md): money a payment brings in is booked from
 * `gateway_clearing:<method>` to `bidder_deposit:<registrationId>` (a deposit) or to
 * `case:<caseId>` (a balance, 一案一账号); a release books it back. Applying the winner's deposit
 * moves it to the case's account; a forfeit (悔拍) moves it on to `forfeited_deposits:<courtId>`.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, ne, notInArray, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.js';
import { assetBars, listings, priorityPurchasers, registrations } from '../../db/schema/auctions.js';
import { cases } from '../../db/schema/cases.js';
import { organisations, users } from '../../db/schema/identity.js';
import { ledgerAccounts, ledgerEntries, ledgerTransactions } from '../../db/schema/ledger.js';
import {
  type Balance,
  balances,
  bankTransfers,
  courtBankAccounts,
  type Deposit,
  depositStatus,
  deposits,
  gatewayEvents,
  type Payment,
  payments,
  reconciliationRuns,
} from '../../db/schema/payments.js';
import type { RulesProfile } from '../auctions/profile.js';
import { recordAudit } from '../audit/audit.js';
import type { Clock } from '../clock.js';
import { DomainError, forbidden, isUniqueViolation, notFound } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { cancelJob, scheduleJob, scheduleJobs } from '../jobs/runner.js';
import { ensureAccount, post, statement } from '../ledger/ledger.js';
import type { Logger } from '../logger.js';
import { notify } from '../notifications/service.js';
import { isUuid, parseInput } from '../validation.js';
import {
  GATEWAY_STATUS_RANK,
  type GatewayEvent,
  type GatewayPaymentState,
  netHeldFen,
  type PaymentGateway,
} from './gateway.js';
import {
  balanceDue,
  canMoveDeposit,
  newBidderCode,
  newTransferReference,
  normaliseTransferReference,
} from './rules.js';
import { DecideTransferSchema, RecordTransferSchema, StartPaymentSchema } from './schemas.js';

export const PAYMENT_JOBS = {
  settleListing: 'listing.settle',
  settle: 'deposit.settle',
  holdCheck: 'deposit.hold-check',
  cancelPayment: 'payment.cancel',
  remind: 'balance.remind',
  default: 'balance.default',
  reconcile: 'payments.reconcile',
} as const;

const RECONCILE_KEY = 'payments:reconcile';
const RECONCILE_EVERY_MS = 10 * 60_000;
/** A payment without a gateway ref this old lost its creation answer (crash): reconciliation recovers it. */
const CREATE_GRACE_MS = 60_000;
const DAY_MS = 86_400_000;

const FINAL_DEPOSIT = ['released', 'forfeited'] as const;

export interface PaymentDeps {
  db: Database;
  clock: Clock;
  profile: RulesProfile;
  logger: Logger;
  /** The card gateway: Stripe when configured, else the local simulator; none in production without Stripe. */
  gateway: PaymentGateway | null;
  /** Tests inject a crash between a gateway call and the database write that follows it. */
  faults?: {
    afterGatewayCall?: (op: string) => void;
    /** True drops a local simulator event, as a lost webhook. */
    dropEvent?: (event: GatewayEvent) => boolean;
  };
}

export type SettleResult = { winnerRegistrationId: string; priceFen: bigint } | null;

const isDepositStatus = (s: string | undefined): s is Deposit['status'] =>
  s !== undefined && (depositStatus.enumValues as readonly string[]).includes(s);

const clearing = (method: Payment['method']) => `gateway_clearing:${method}`;
const bidderAccount = (registrationId: string) => `bidder_deposit:${registrationId}`;
const caseAccount = (caseId: string) => `case:${caseId}`;
const forfeitAccount = (courtId: string) => `forfeited_deposits:${courtId}`;

export function createPaymentService(deps: PaymentDeps) {
  const { db, clock, profile, logger } = deps;

  // ---------------------------------------------------------------- the one state function

  /**
   * Moves `payment` forward to what the gateway reports, books the money difference, and lets
   * its deposit or balance follow. Stale snapshots (a lower rank than the payment's status) are
   * ignored, so duplicated and out-of-order events change nothing. Locks the payment row, then
   * its deposit / balance row (always in that order).
   */
  async function applyState(
    tx: Tx,
    paymentId: string,
    state: GatewayPaymentState,
    now: Date,
  ): Promise<Payment> {
    const [p] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
    if (!p) throw notFound();
    const from = GATEWAY_STATUS_RANK[p.status];
    const to = GATEWAY_STATUS_RANK[state.status];
    if (to === from && state.status !== p.status) {
      logger.warn({ paymentId, have: p.status, got: state.status }, 'conflicting terminal gateway states');
    }
    // Forward only: a later status, or more refunded in the same status. Anything else is a
    // duplicate or a stale snapshot that arrived out of order, and changes nothing.
    const forward = to > from || (state.status === p.status && state.refundedFen > p.refundedFen);
    let next: Payment = p;
    if (forward) {
      const net = netHeldFen(state);
      const delta = net - p.bookedFen;
      let bookings = p.bookings;
      if (delta !== 0n) {
        bookings += 1;
        const target = await targetAccount(tx, p);
        await ensureAccount(tx, { code: clearing(p.method), kind: 'gateway_clearing', allowNegative: true });
        await post(tx, {
          idempotencyKey: `payment:${p.id}:${bookings}`,
          kind: delta > 0n ? `${p.purpose}.in` : `${p.purpose}.out`,
          description: `${p.method} ${state.ref}`,
          occurredAt: now,
          entries: [
            { account: clearing(p.method), amountFen: -delta },
            { account: target, amountFen: delta },
          ],
        });
      }
      const [updated] = await tx
        .update(payments)
        .set({
          status: state.status,
          gatewayRef: p.gatewayRef ?? state.ref,
          authorizedFen: state.authorizedFen,
          capturedFen: state.capturedFen,
          refundedFen: state.refundedFen,
          bookedFen: net,
          bookings,
          // Money held or taken: an earlier decline of this payment no longer applies.
          failureCode:
            state.status === 'authorized' || state.status === 'captured'
              ? null
              : (state.failureCode ?? p.failureCode),
          authorizationExpiresAt: state.authorizationExpiresAt,
          updatedAt: now,
        })
        .where(eq(payments.id, p.id))
        .returning();
      next = updated!;
    } else if (state.status === p.status && state.failureCode && state.failureCode !== p.failureCode) {
      // A declined card on a payment the payer may still retry: record why, nothing else moves.
      const [updated] = await tx
        .update(payments)
        .set({ failureCode: state.failureCode, updatedAt: now })
        .where(eq(payments.id, p.id))
        .returning();
      next = updated!;
    }
    if (next.depositId) await followDeposit(tx, next, now);
    else if (next.balanceId) await followBalance(tx, next, now);
    return next;
  }
  async function targetAccount(tx: Tx, p: Payment): Promise<string> {
    if (p.depositId) {
      const [d] = await tx.select().from(deposits).where(eq(deposits.id, p.depositId));
      const code = bidderAccount(d!.registrationId);
      await ensureAccount(tx, { code, kind: 'bidder_deposit' });
      return code;
    }
    const [b] = await tx.select().from(balances).where(eq(balances.id, p.balanceId!));
    const code = caseAccount(b!.caseId);
    await ensureAccount(tx, { code, kind: 'case' });
    return code;
  }

  async function moveDeposit(
    tx: Tx,
    d: Deposit,
    to: Deposit['status'],
    now: Date,
    patch: Partial<Deposit> = {},
  ) {
    if (!canMoveDeposit(d.status, to)) {
      throw new DomainError('conflict', 'payments.badDepositTransition', { params: { from: d.status, to } });
    }
    const [updated] = await tx
      .update(deposits)
      .set({ ...patch, status: to, updatedAt: now })
      .where(eq(deposits.id, d.id))
      .returning();
    await recordAudit(tx, {
      actorId: null,
      action: `deposit.${to}`,
      entityType: 'deposit',
      entityId: d.id,
      data: { from: d.status, amountFen: d.amountFen.toString() },
    });
    return updated!;
  }

  /** The deposit follows the payment that holds it (`deposits.payment_id`). */
  async function followDeposit(tx: Tx, p: Payment, now: Date) {
    const [d] = await tx.select().from(deposits).where(eq(deposits.id, p.depositId!)).for('update');
    if (!d) return;
    const net = p.bookedFen;
    const current = d.paymentId === p.id;

    if (d.status === 'pending' && net >= d.amountFen && net > 0n) {
      await moveDeposit(tx, d, 'held', now, { paymentId: p.id, heldAt: now, renewalRequestedAt: null });
      await activateRegistration(tx, d.registrationId, now);
      await scheduleHoldCheck(tx, d, p);
      // Paid on a page opened before the end, completed after it: nothing to bid on any more.
      const [l] = await tx
        .select({ status: listings.status })
        .from(listings)
        .where(eq(listings.id, d.listingId));
      if (l && (l.status === 'ended' || l.status === 'withdrawn')) {
        await tx.update(deposits).set({ settlement: 'release' }).where(eq(deposits.id, d.id));
        await scheduleJob(tx, {
          kind: PAYMENT_JOBS.settle,
          key: `deposit:${d.id}:settle`,
          runAt: now,
          payload: { depositId: d.id },
        });
      }
      return;
    }
    if (
      d.status === 'held' &&
      !current &&
      d.renewalRequestedAt !== null &&
      net >= d.amountFen &&
      p.status === 'authorized'
    ) {
      // A renewed hold replaced a lapsing one: switch to it, then release the old one. Only while
      // a renewal is asked for: the switch clears it, so the replaced hold, re-applied before its
      // cancel job ran (reconciliation, a late webhook), cannot switch back and cancel the new one.
      const old = d.paymentId;
      await tx
        .update(deposits)
        .set({ paymentId: p.id, renewalRequestedAt: null, updatedAt: now })
        .where(eq(deposits.id, d.id));
      if (old)
        await scheduleJob(tx, {
          kind: PAYMENT_JOBS.cancelPayment,
          key: `payment:${old}:cancel`,
          runAt: now,
          payload: { paymentId: old },
        });
      await scheduleHoldCheck(tx, d, p);
      return;
    }
    if (!current) {
      // Money for a deposit that another payment already holds (a second attempt completed,
      // a transfer on top of a card hold): given back.
      if (net > 0n) await scheduleReturn(tx, p.id, now);
      return;
    }

    let settled = d;
    if (
      d.status === 'held' &&
      (d.settlement === 'apply' || d.settlement === 'forfeit') &&
      p.capturedFen >= d.amountFen
    ) {
      settled = await applyToPrice(tx, d, now);
    }
    if (settled.status === 'applied' && settled.settlement === 'forfeit') {
      await forfeit(tx, settled, now);
    } else if (d.status === 'held' && d.settlement === 'release' && net === 0n) {
      await moveDeposit(tx, d, 'released', now, { settledAt: now });
    } else if (d.status === 'held' && d.settlement === null && net < d.amountFen) {
      // The hold lapsed or was cancelled outside our control: the bidder must pay again to bid.
      await moveDeposit(tx, d, 'pending', now, { renewalRequestedAt: now });
      await notify(tx, {
        userId: d.userId,
        kind: 'depositLapsed',
        link: `/me/pay/deposit/${d.id}`,
        dedupeKey: `deposit:${d.id}:lapsed:${p.id}`,
        at: now,
      });
    }
  }

  /** Art. 23: the winner's deposit counts toward the price: it moves to the case's account. */
  async function applyToPrice(tx: Tx, d: Deposit, now: Date): Promise<Deposit> {
    if (d.amountFen > 0n) {
      await ensureAccount(tx, { code: caseAccount(d.caseId), kind: 'case' });
      await post(tx, {
        idempotencyKey: `deposit:${d.id}:apply`,
        kind: 'deposit.apply',
        occurredAt: now,
        entries: [
          { account: bidderAccount(d.registrationId), amountFen: -d.amountFen },
          { account: caseAccount(d.caseId), amountFen: d.amountFen },
        ],
      });
    }
    return moveDeposit(tx, d, 'applied', now, { settledAt: now });
  }

  /** 悔拍 (art. 24): the deposit already counted toward the price is kept by the court instead. */
  async function forfeit(tx: Tx, d: Deposit, now: Date) {
    if (d.amountFen > 0n) {
      await ensureAccount(tx, { code: forfeitAccount(d.courtId), kind: 'forfeited_deposits' });
      await post(tx, {
        idempotencyKey: `deposit:${d.id}:forfeit`,
        kind: 'deposit.forfeit',
        occurredAt: now,
        entries: [
          { account: caseAccount(d.caseId), amountFen: -d.amountFen },
          { account: forfeitAccount(d.courtId), amountFen: d.amountFen },
        ],
      });
    }
    await moveDeposit(tx, d, 'forfeited', now, { settledAt: now });
  }

  async function followBalance(tx: Tx, p: Payment, now: Date) {
    const [b] = await tx.select().from(balances).where(eq(balances.id, p.balanceId!)).for('update');
    if (b && b.status !== 'open' && b.paymentId !== p.id && p.bookedFen > 0n) {
      // Paid after the default (悔拍) or a second time: given back.
      await scheduleReturn(tx, p.id, now);
      return;
    }
    if (b?.status !== 'open' || p.capturedFen - p.refundedFen < b.amountFen) return;
    await tx
      .update(balances)
      .set({ status: 'paid', paidAt: now, paymentId: p.id })
      .where(eq(balances.id, b.id));
    await cancelJob(tx, `balance:${b.id}:default`);
    await recordAudit(tx, {
      actorId: null,
      action: 'balance.paid',
      entityType: 'balance',
      entityId: b.id,
      data: { amountFen: b.amountFen.toString(), paymentId: p.id },
    });
    await notify(tx, {
      organisationId: b.courtId,
      kind: 'balancePaid',
      params: { listingId: b.listingId },
      link: `/court/listings/${b.listingId}`,
      dedupeKey: `balance:${b.id}:paid`,
      at: now,
    });
  }

  /** Art. 17-18: once the deposit is held, the bidder receives his anonymous code and may bid. */
  async function activateRegistration(tx: Tx, registrationId: string, now: Date) {
    const [reg] = await tx
      .select({ status: registrations.status, code: registrations.code, rank: priorityPurchasers.rank })
      .from(registrations)
      .leftJoin(priorityPurchasers, eq(priorityPurchasers.id, registrations.priorityPurchaserId))
      .where(eq(registrations.id, registrationId));
    if (!reg || reg.status === 'active') return;
    // A priority purchaser's code carries his rank (art. 19, 21), e.g. P1-7KQ2.
    const draw = () => (reg.rank ? `P${reg.rank}-${newBidderCode()}` : newBidderCode());
    for (let attempt = 0; ; attempt++) {
      try {
        await tx.transaction((sp) =>
          sp
            .update(registrations)
            .set({ status: 'active', code: reg.code ?? draw(), activatedAt: now })
            .where(eq(registrations.id, registrationId)),
        );
        return;
      } catch (e) {
        // Another bidder of this auction drew the same code: draw again.
        if (attempt < 20 && isUniqueViolation(e, 'registrations_listing_code_key')) continue;
        throw e;
      }
    }
  }

  /** Gives back whatever a payment holds (a durable job: the gateway is called outside this transaction). */
  async function scheduleReturn(tx: Tx, paymentId: string, now: Date) {
    await scheduleJob(tx, {
      kind: PAYMENT_JOBS.cancelPayment,
      key: `payment:${paymentId}:cancel`,
      runAt: now,
      payload: { paymentId },
    });
  }

  /** Card holds last days: check a day before this one lapses whether the auction outlasts it. */
  async function scheduleHoldCheck(tx: Tx, d: Deposit, p: Payment) {
    if (!p.authorizationExpiresAt) return;
    await scheduleJob(tx, {
      kind: PAYMENT_JOBS.holdCheck,
      key: `deposit:${d.id}:hold-check`,
      runAt: new Date(p.authorizationExpiresAt.getTime() - DAY_MS),
      payload: { depositId: d.id, paymentId: p.id },
    });
  }

  // ---------------------------------------------------------------- gateway events

  /** Processes a verified gateway event exactly once (by event id), in one transaction. */
  async function processEvent(
    event: GatewayEvent,
    gatewayName: string,
  ): Promise<'processed' | 'duplicate' | 'unknown'> {
    return db.transaction(async (tx) => {
      const [fresh] = await tx
        .insert(gatewayEvents)
        .values({ id: `${gatewayName}:${event.id}`, gateway: gatewayName, type: event.type, paymentId: null })
        .onConflictDoNothing()
        .returning({ id: gatewayEvents.id });
      if (!fresh) return 'duplicate';
      const payment = await findPayment(tx, gatewayName, event.state);
      if (!payment) {
        // Ours (it carries our id) but not visible yet: fail, roll back the event id, and let
        // the gateway deliver it again. Not ours at all: acknowledge and forget it.
        if (event.state.paymentId && isUuid(event.state.paymentId)) {
          throw new Error(`gateway event ${event.id} for payment ${event.state.paymentId}, not found yet`);
        }
        logger.warn({ ref: event.state.ref, type: event.type }, 'gateway event for an unknown payment');
        return 'unknown';
      }
      await tx.update(gatewayEvents).set({ paymentId: payment.id }).where(eq(gatewayEvents.id, fresh.id));
      await applyState(tx, payment.id, event.state, clock());
      return 'processed';
    });
  }

  async function findPayment(tx: Tx, method: string, state: GatewayPaymentState) {
    const [byRef] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.method, method as Payment['method']), eq(payments.gatewayRef, state.ref)));
    if (byRef) return byRef;
    // The event can arrive before we stored the ref (or the creation's answer was lost): the
    // gateway carries our id in its metadata.
    if (state.paymentId && isUuid(state.paymentId)) {
      const [byId] = await tx.select().from(payments).where(eq(payments.id, state.paymentId));
      if (byId && byId.method === method) return byId;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- deposits and balances: opening and settling

  /**
   * Opens the deposit of a new registration, in the registration's transaction. A zero amount
   * (the applicant creditor whose claim covers it) is held at once with nothing to book.
   */
  async function openDeposit(
    tx: Tx,
    input: {
      registrationId: string;
      listingId: string;
      courtId: string;
      caseId: string;
      userId: string;
      requiredFen: bigint;
      amountFen: bigint;
    },
    now: Date,
  ): Promise<Deposit> {
    const [d] = await tx
      .insert(deposits)
      .values({ ...input, status: 'pending', createdAt: now, updatedAt: now })
      .returning();
    if (input.amountFen > 0n) return d!;
    const held = await moveDeposit(tx, d!, 'held', now, { heldAt: now });
    await activateRegistration(tx, input.registrationId, now);
    return held;
  }

  /**
   * Called in the transaction that ends or withdraws listings: schedules their settlement as
   * durable jobs, so the close itself stays short when a thousand auctions end in one second;
   * the money follows within seconds (art. 23 allows 24 hours).
   */
  async function settleListings(
    tx: Tx,
    closings: Array<{ listingId: string; result: SettleResult }>,
    now: Date,
  ) {
    await scheduleJobs(
      tx,
      closings.map(({ listingId, result }) => ({
        kind: PAYMENT_JOBS.settleListing,
        key: `listing:${listingId}:settle`,
        runAt: now,
        payload: result
          ? {
              listingId,
              winnerRegistrationId: result.winnerRegistrationId,
              priceFen: result.priceFen.toString(),
            }
          : { listingId },
      })),
    );
  }

  const settleListing = (tx: Tx, listingId: string, result: SettleResult, now: Date) =>
    settleListings(tx, [{ listingId, result }], now);

  /**
   * The settlement of an ended listing: the winner's deposit is applied to the price, every
   * other held deposit released (art. 23), each by a durable job; with a winner, the balance
   * opens, due after the listing's balance period, with reminders and a default deadline.
   */
  async function settleNow(tx: Tx, listingId: string, result: SettleResult, now: Date) {
    const held = await tx
      .select()
      .from(deposits)
      .where(and(eq(deposits.listingId, listingId), eq(deposits.status, 'held')))
      .for('update');
    for (const d of held) {
      // Already decided (paid after the end: released by its own job, which may be running and
      // waiting for this row; rescheduling its key here would deadlock with it).
      if (d.settlement !== null) continue;
      const settlement = result && d.registrationId === result.winnerRegistrationId ? 'apply' : 'release';
      await tx.update(deposits).set({ settlement, updatedAt: now }).where(eq(deposits.id, d.id));
      await scheduleJob(tx, {
        kind: PAYMENT_JOBS.settle,
        key: `deposit:${d.id}:settle`,
        runAt: now,
        payload: { depositId: d.id },
      });
    }
    if (!result) return;
    const winner = held.find((d) => d.registrationId === result.winnerRegistrationId);
    if (!winner) throw new DomainError('conflict', 'payments.winnerWithoutDeposit');
    const [l] = await tx.select().from(listings).where(eq(listings.id, listingId));
    const dueAt = new Date(now.getTime() + l!.balanceDays * profile.durations.day);
    const [b] = await tx
      .insert(balances)
      .values({
        listingId,
        registrationId: winner.registrationId,
        courtId: winner.courtId,
        caseId: winner.caseId,
        userId: winner.userId,
        priceFen: result.priceFen,
        depositAppliedFen: winner.amountFen,
        amountFen: balanceDue(result.priceFen, winner.amountFen),
        dueAt,
        createdAt: now,
      })
      .returning();
    for (const days of [3, 1]) {
      const at = new Date(dueAt.getTime() - days * profile.durations.day);
      if (at > now)
        await scheduleJob(tx, {
          kind: PAYMENT_JOBS.remind,
          key: `balance:${b!.id}:remind:${days}`,
          runAt: at,
          payload: { balanceId: b!.id, days },
        });
    }
    await scheduleJob(tx, {
      kind: PAYMENT_JOBS.default,
      key: `balance:${b!.id}:default`,
      runAt: dueAt,
      payload: { balanceId: b!.id },
    });
  }

  /** A synthetic gateway snapshot for money that moves outside a gateway (bank transfers). */
  const bankState = (p: Payment, patch: Partial<GatewayPaymentState>): GatewayPaymentState => ({
    ref: p.reference ?? p.id,
    paymentId: p.id,
    status: p.status,
    amountFen: p.amountFen,
    authorizedFen: p.authorizedFen,
    capturedFen: p.capturedFen,
    refundedFen: p.refundedFen,
    authorizationExpiresAt: null,
    failureCode: null,
    ...patch,
  });

  /** Carries out a decided settlement: the gateway first (idempotent), then our state. */
  async function settleDeposit(tx: Tx, depositId: string, now: Date) {
    const [d] = await tx.select().from(deposits).where(eq(deposits.id, depositId));
    if (!d?.settlement || (FINAL_DEPOSIT as readonly string[]).includes(d.status)) return;
    if (d.status === 'applied' && d.settlement === 'apply') return;
    if (d.amountFen === 0n || !d.paymentId) {
      // Waived (the creditor's claim covers it): nothing is held, so nothing moves at a gateway.
      const [locked] = await tx.select().from(deposits).where(eq(deposits.id, d.id)).for('update');
      if (locked!.status !== 'held') return;
      if (d.settlement === 'release') await moveDeposit(tx, locked!, 'released', now, { settledAt: now });
      else {
        const applied = await applyToPrice(tx, locked!, now);
        if (d.settlement === 'forfeit') await forfeit(tx, applied, now);
      }
      return;
    }
    const [p] = await tx.select().from(payments).where(eq(payments.id, d.paymentId));
    if (!p) return;
    let state: GatewayPaymentState;
    if (p.method === 'bank_transfer') {
      // The court returns a released transfer by bank; a kept one is already in its account.
      state = d.settlement === 'release' ? bankState(p, { refundedFen: p.capturedFen }) : bankState(p, {});
    } else {
      const gateway = gatewayFor(p);
      const key = `deposit:${d.id}:${d.settlement}`;
      if (d.settlement === 'release') {
        state =
          p.capturedFen > 0n
            ? await gateway.refund(p.gatewayRef!, p.capturedFen, key)
            : await gateway.cancel(p.gatewayRef!, key);
      } else {
        state =
          p.capturedFen >= d.amountFen
            ? await gateway.retrieve(p.gatewayRef!)
            : await gateway.capture(p.gatewayRef!, d.amountFen, key);
      }
      deps.faults?.afterGatewayCall?.(`deposit.${d.settlement}`);
    }
    await applyState(tx, p.id, state, now);
  }

  function gatewayFor(p: Payment): PaymentGateway {
    if (!deps.gateway || deps.gateway.name !== p.method) {
      throw new Error(`payment ${p.id} is on gateway ${p.method}, which this process does not have`);
    }
    return deps.gateway;
  }

  // ---------------------------------------------------------------- paying

  /**
   * Starts paying a deposit or a balance, by card (the configured gateway) or bank transfer.
   * A second click reuses the open attempt of the same method instead of creating another.
   */
  async function startPayment(actor: Actor | null, input: unknown) {
    const me = requirePermission(actor, 'pay:own');
    const { target, id, method } = parseInput(StartPaymentSchema, input);
    const now = clock();
    const owed = target === 'deposit' ? await payableDeposit(me, id, now) : await payableBalance(me, id, now);

    if (method === 'card') {
      const gateway = deps.gateway;
      if (!gateway) throw new DomainError('conflict', 'payments.cardUnavailable');
      if (owed.amountFen > gateway.maxAmountFen) {
        throw new DomainError('validation', 'payments.cardLimitUseBankTransfer', {
          params: { maxFen: gateway.maxAmountFen.toString() },
        });
      }
    }
    const gatewayMethod = method === 'card' ? deps.gateway!.name : 'bank_transfer';
    let payment = await openAttempt(target, id, gatewayMethod);
    if (!payment) {
      [payment] = await db
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
    const created = await createAtGateway(payment!);
    return { paymentId: payment!.id, redirectUrl: created.redirectUrl, clientSecret: created.clientSecret };
  }

  /** Idempotent on our payment id: calling it again (a retry, reconciliation) yields the same gateway payment. */
  async function createAtGateway(p: Payment) {
    const gateway = gatewayFor(p);
    const created = await gateway.create({
      paymentId: p.id,
      amountFen: p.amountFen,
      currency: 'CNY',
      capture: p.purpose === 'deposit' ? 'manual' : 'automatic',
      description: p.purpose === 'deposit' ? `Deposit ${p.depositId}` : `Balance ${p.balanceId}`,
    });
    deps.faults?.afterGatewayCall?.('create');
    await db.transaction(async (tx) => {
      await tx
        .update(payments)
        .set({ gatewayRef: created.ref })
        .where(and(eq(payments.id, p.id), isNull(payments.gatewayRef)));
      await applyState(tx, p.id, created.state, clock());
    });
    return created;
  }

  async function openAttempt(target: 'deposit' | 'balance', id: string, method: Payment['method']) {
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

  async function payableDeposit(me: Actor, id: string, now: Date) {
    const d = await ownDeposit(me, id);
    const [l] = await db.select().from(listings).where(eq(listings.id, d.listingId));
    // Art. 17: paid any time before bidding ends.
    if (!l || !['announced', 'live'].includes(l.status) || l.currentEndAt <= now) {
      throw new DomainError('conflict', 'payments.listingClosed');
    }
    const renewing = d.status === 'held' && d.renewalRequestedAt !== null;
    if (d.status !== 'pending' && !renewing) throw new DomainError('conflict', 'payments.nothingOwed');
    return d;
  }

  async function payableBalance(me: Actor, id: string, now: Date) {
    const b = await ownBalance(me, id);
    if (b.status !== 'open') throw new DomainError('conflict', 'payments.nothingOwed');
    if (b.dueAt <= now) throw new DomainError('conflict', 'payments.balanceOverdue');
    return b;
  }

  async function ownDeposit(me: Actor, id: string): Promise<Deposit> {
    if (!isUuid(id)) throw notFound();
    const [d] = await db
      .select()
      .from(deposits)
      .where(and(eq(deposits.id, id), eq(deposits.userId, me.userId)));
    if (!d) throw notFound();
    return d;
  }

  async function ownBalance(me: Actor, id: string): Promise<Balance> {
    if (!isUuid(id)) throw notFound();
    const [b] = await db
      .select()
      .from(balances)
      .where(and(eq(balances.id, id), eq(balances.userId, me.userId)));
    if (!b) throw notFound();
    return b;
  }

  // ---------------------------------------------------------------- bank transfers (maker-checker)

  function courtOf(actor: Actor) {
    if (actor.orgKind !== 'court' || !actor.organisationId) throw forbidden();
    return actor.organisationId;
  }

  /** A clerk records a transfer seen on the court's bank statement against the payer's reference. */
  async function recordTransfer(actor: Actor | null, input: unknown) {
    const me = requirePermission(actor, 'record:bank-transfer');
    const courtId = courtOf(me);
    const data = parseInput(RecordTransferSchema, input);
    const reference = normaliseTransferReference(data.reference);
    const now = clock();
    return db.transaction(async (tx) => {
      const [p] = await tx
        .select()
        .from(payments)
        .where(and(eq(payments.reference, reference), eq(payments.courtId, courtId)))
        .for('update');
      if (!p)
        throw new DomainError('validation', 'errors.validation', {
          fieldErrors: { reference: ['payments.unknownReference'] },
        });
      if (p.status !== 'requires_payment') throw new DomainError('conflict', 'payments.alreadyReceived');
      if (data.amount !== p.amountFen) {
        throw new DomainError('validation', 'errors.validation', {
          fieldErrors: { amount: ['payments.transferAmountMismatch'] },
          params: { expectedFen: p.amountFen.toString() },
        });
      }
      const [open] = await tx
        .select({ id: bankTransfers.id })
        .from(bankTransfers)
        .where(and(eq(bankTransfers.paymentId, p.id), eq(bankTransfers.status, 'recorded')));
      if (open) throw new DomainError('conflict', 'payments.transferAwaitingConfirmation');
      try {
        const [t] = await tx.transaction((sp) =>
          sp
            .insert(bankTransfers)
            .values({
              courtId,
              paymentId: p.id,
              amountFen: data.amount,
              bankReference: data.bankReference,
              receivedOn: data.receivedOn,
              recordedBy: me.userId,
              recordedAt: now,
            })
            .returning(),
        );
        await recordAudit(tx, {
          actorId: me.userId,
          action: 'bank_transfer.recorded',
          entityType: 'bank_transfer',
          entityId: t!.id,
          data: { paymentId: p.id, amountFen: data.amount.toString(), bankReference: data.bankReference },
        });
        return t!;
      } catch (e) {
        if (isUniqueViolation(e, 'bank_transfers_bank_ref_key')) {
          throw new DomainError('validation', 'errors.validation', {
            fieldErrors: { bankReference: ['payments.bankReferenceUsed'] },
          });
        }
        throw e;
      }
    });
  }

  /** A second staff member confirms (the money is then held / paid) or rejects a recorded transfer. */
  async function decideTransfer(actor: Actor | null, transferId: string, input: unknown) {
    const me = requirePermission(actor, 'confirm:bank-transfer');
    const courtId = courtOf(me);
    const { decision, reason } = parseInput(DecideTransferSchema, input);
    if (!isUuid(transferId)) throw notFound();
    const now = clock();
    return db.transaction(async (tx) => {
      const [t] = await tx
        .select()
        .from(bankTransfers)
        .where(and(eq(bankTransfers.id, transferId), eq(bankTransfers.courtId, courtId)))
        .for('update');
      if (!t) throw notFound();
      if (t.status !== 'recorded') throw new DomainError('conflict', 'payments.transferDecided');
      // Maker-checker: whoever recorded the money may not confirm it.
      if (t.recordedBy === me.userId) throw new DomainError('forbidden', 'payments.makerChecker');
      await tx
        .update(bankTransfers)
        .set({
          status: decision === 'confirm' ? 'confirmed' : 'rejected',
          decidedBy: me.userId,
          decidedAt: now,
          rejectReason: reason ?? null,
        })
        .where(eq(bankTransfers.id, t.id));
      await recordAudit(tx, {
        actorId: me.userId,
        action: `bank_transfer.${decision === 'confirm' ? 'confirmed' : 'rejected'}`,
        entityType: 'bank_transfer',
        entityId: t.id,
        data: { paymentId: t.paymentId, reason: reason ?? null },
      });
      if (decision === 'confirm') {
        const [p] = await tx.select().from(payments).where(eq(payments.id, t.paymentId));
        await applyState(tx, p!.id, bankState(p!, { status: 'captured', capturedFen: t.amountFen }), now);
      }
    });
  }

  // ---------------------------------------------------------------- jobs

  const jobHandlers = {
    [PAYMENT_JOBS.settleListing]: async (
      job: { payload: Record<string, unknown> },
      ctx: { tx: Tx; now: Date },
    ) => {
      const p = job.payload;
      const result =
        typeof p.winnerRegistrationId === 'string'
          ? { winnerRegistrationId: p.winnerRegistrationId, priceFen: BigInt(String(p.priceFen)) }
          : null;
      await settleNow(ctx.tx, String(p.listingId), result, ctx.now);
    },

    [PAYMENT_JOBS.settle]: async (job: { payload: Record<string, unknown> }, ctx: { tx: Tx; now: Date }) =>
      settleDeposit(ctx.tx, String(job.payload.depositId), ctx.now),

    /** Gives back what a payment holds: a hold is cancelled, a captured card payment refunded, a transfer returned. */
    [PAYMENT_JOBS.cancelPayment]: async (
      job: { payload: Record<string, unknown> },
      ctx: { tx: Tx; now: Date },
    ) => {
      const [p] = await ctx.tx
        .select()
        .from(payments)
        .where(eq(payments.id, String(job.payload.paymentId)));
      if (!p || p.bookedFen <= 0n) return;
      let state: GatewayPaymentState;
      if (p.method === 'bank_transfer') state = bankState(p, { refundedFen: p.capturedFen });
      else if (!p.gatewayRef) return;
      else if (p.status === 'authorized')
        state = await gatewayFor(p).cancel(p.gatewayRef, `payment:${p.id}:cancel`);
      else if (p.status === 'captured')
        state = await gatewayFor(p).refund(p.gatewayRef, p.capturedFen, `payment:${p.id}:refund`);
      else return;
      await applyState(ctx.tx, p.id, state, ctx.now);
    },

    [PAYMENT_JOBS.holdCheck]: async (
      job: { payload: Record<string, unknown> },
      ctx: { tx: Tx; now: Date },
    ) => {
      const [row] = await ctx.tx
        .select({ d: deposits, endAt: listings.currentEndAt, expires: payments.authorizationExpiresAt })
        .from(deposits)
        .innerJoin(listings, eq(listings.id, deposits.listingId))
        .innerJoin(payments, eq(payments.id, deposits.paymentId))
        .where(eq(deposits.id, String(job.payload.depositId)))
        .for('update', { of: deposits });
      if (row?.d.status !== 'held' || row.d.settlement || row.d.paymentId !== job.payload.paymentId) return;
      if (!row.expires || row.expires > row.endAt) return; // outlasts the auction
      await ctx.tx.update(deposits).set({ renewalRequestedAt: ctx.now }).where(eq(deposits.id, row.d.id));
      await notify(ctx.tx, {
        userId: row.d.userId,
        kind: 'depositRenew',
        link: `/me/pay/deposit/${row.d.id}`,
        dedupeKey: `deposit:${row.d.id}:renew:${row.d.paymentId}`,
        at: ctx.now,
      });
    },

    [PAYMENT_JOBS.remind]: async (job: { payload: Record<string, unknown> }, ctx: { tx: Tx; now: Date }) => {
      const [b] = await ctx.tx
        .select()
        .from(balances)
        .where(eq(balances.id, String(job.payload.balanceId)));
      if (b?.status !== 'open') return;
      await notify(ctx.tx, {
        userId: b.userId,
        kind: 'balanceReminder',
        params: { days: String(job.payload.days) },
        link: '/me/payments',
        dedupeKey: `balance:${b.id}:remind:${job.payload.days}`,
        at: ctx.now,
      });
    },

    /** 悔拍 (art. 24): unpaid at the deadline: default, forfeit, bar from the asset, tell the court. */
    [PAYMENT_JOBS.default]: async (job: { payload: Record<string, unknown> }, ctx: { tx: Tx; now: Date }) => {
      const [b] = await ctx.tx
        .select()
        .from(balances)
        .where(eq(balances.id, String(job.payload.balanceId)))
        .for('update');
      if (b?.status !== 'open') return;
      if (b.dueAt > ctx.now) {
        await scheduleJob(ctx.tx, {
          kind: PAYMENT_JOBS.default,
          key: `balance:${b.id}:default`,
          runAt: b.dueAt,
          payload: { balanceId: b.id },
        });
        return;
      }
      await ctx.tx
        .update(balances)
        .set({ status: 'defaulted', defaultedAt: ctx.now })
        .where(eq(balances.id, b.id));
      const [d] = await ctx.tx
        .select()
        .from(deposits)
        .where(eq(deposits.registrationId, b.registrationId))
        .for('update');
      if (d) {
        await ctx.tx.update(deposits).set({ settlement: 'forfeit' }).where(eq(deposits.id, d.id));
        if (d.status === 'applied') await forfeit(ctx.tx, { ...d, settlement: 'forfeit' }, ctx.now);
        // Its own key: a settle job of this deposit may be pending and locked by a worker
        // waiting for the deposit row this job holds (rescheduling it would deadlock).
        else
          await scheduleJob(ctx.tx, {
            kind: PAYMENT_JOBS.settle,
            key: `deposit:${d.id}:forfeit`,
            runAt: ctx.now,
            payload: { depositId: d.id },
          });
      }
      const [l] = await ctx.tx
        .update(listings)
        .set({ outcome: 'defaulted', updatedAt: ctx.now })
        .where(eq(listings.id, b.listingId))
        .returning({ assetId: listings.assetId, title: listings.title });
      await ctx.tx
        .insert(assetBars)
        .values({ assetId: l!.assetId, userId: b.userId, listingId: b.listingId, reason: 'default' })
        .onConflictDoNothing();
      await recordAudit(ctx.tx, {
        actorId: null,
        action: 'balance.defaulted',
        entityType: 'balance',
        entityId: b.id,
        data: { listingId: b.listingId, amountFen: b.amountFen.toString() },
      });
      await notify(ctx.tx, {
        organisationId: b.courtId,
        kind: 'balanceDefaulted',
        params: { title: l!.title },
        link: `/court/listings/${b.listingId}`,
        dedupeKey: `balance:${b.id}:defaulted:court`,
        at: ctx.now,
      });
      await notify(ctx.tx, {
        userId: b.userId,
        kind: 'balanceDefaultedBidder',
        params: { title: l!.title },
        link: '/me/payments',
        dedupeKey: `balance:${b.id}:defaulted:bidder`,
        at: ctx.now,
      });
    },

    [PAYMENT_JOBS.reconcile]: async (_job: unknown, ctx: { tx: Tx; now: Date }) => {
      await scheduleJob(ctx.tx, {
        kind: PAYMENT_JOBS.reconcile,
        key: RECONCILE_KEY,
        runAt: new Date(ctx.now.getTime() + RECONCILE_EVERY_MS),
      });
      // Gateway calls run outside the job's transaction: reconcile opens its own per payment.
      setImmediate(() => {
        reconcile().catch((e: unknown) => logger.error({ err: e }, 'reconciliation failed'));
      });
    },
  };

  // ---------------------------------------------------------------- reconciliation

  /**
   * Compares each open or unsettled card payment with its gateway, applies what the gateway
   * says (the source of truth), recovers creations whose answer was lost, carries out decided
   * settlements whose job failed, then reports every payment whose ledger booking still
   * differs from the gateway's net amount.
   */
  async function reconcile(opts: { now?: Date } = {}) {
    const startedAt = clock();
    const now = opts.now ?? startedAt;
    const gateway = deps.gateway;
    const differences: Array<{ paymentId: string; gatewayFen: string; ledgerFen: string; note: string }> = [];
    let checked = 0;
    let repaired = 0;
    if (gateway) {
      const unsettled = db
        .select({ id: deposits.paymentId })
        .from(deposits)
        .where(
          and(
            isNotNull(deposits.settlement),
            notInArray(deposits.status, ['released', 'forfeited', 'applied']),
          ),
        );
      const candidates = await db
        .select()
        .from(payments)
        .where(
          and(
            eq(payments.method, gateway.name),
            sql`(${payments.status} in ('requires_payment', 'processing', 'authorized') or ${payments.id} in (${unsettled}) or ${payments.bookedFen} <> ${payments.authorizedFen} + ${payments.capturedFen} - ${payments.refundedFen})`,
          ),
        )
        .orderBy(asc(payments.createdAt))
        .limit(1000);
      for (const p of candidates) {
        checked += 1;
        try {
          if (!p.gatewayRef) {
            if (now.getTime() - p.createdAt.getTime() < CREATE_GRACE_MS) continue;
            await createAtGateway(p);
            repaired += 1;
            continue;
          }
          const state = await gateway.retrieve(p.gatewayRef);
          const before = p.bookedFen;
          const after = await db.transaction((tx) => applyState(tx, p.id, state, now));
          if (after.bookedFen !== before || after.status !== p.status) repaired += 1;
          // A decided settlement the gateway has not carried out yet (its job failed): do it now.
          if (after.depositId) {
            const [d] = await db.select().from(deposits).where(eq(deposits.id, after.depositId));
            if (
              d?.settlement &&
              d.paymentId === p.id &&
              !['released', 'forfeited', 'applied'].includes(d.status)
            ) {
              await db.transaction((tx) => settleDeposit(tx, d.id, now));
              repaired += 1;
            }
          }
          const final = await gateway.retrieve(p.gatewayRef);
          const ledgerFen = await bookedInLedger(p.id, p.method);
          if (ledgerFen !== netHeldFen(final)) {
            differences.push({
              paymentId: p.id,
              gatewayFen: netHeldFen(final).toString(),
              ledgerFen: ledgerFen.toString(),
              note: final.status,
            });
          }
        } catch (e) {
          differences.push({
            paymentId: p.id,
            gatewayFen: '?',
            ledgerFen: p.bookedFen.toString(),
            note: String((e as Error).message).slice(0, 200),
          });
        }
      }
    }
    const [run] = await db
      .insert(reconciliationRuns)
      .values({ startedAt, finishedAt: clock(), checked, repaired, differences })
      .returning();
    if (differences.length > 0) logger.warn({ differences }, 'reconciliation found differences');
    return run!;
  }

  /** What the ledger holds as brought in by one payment: minus its clearing account's entries for it. */
  async function bookedInLedger(paymentId: string, method: Payment['method']): Promise<bigint> {
    const [row] = await db
      .select({ total: sql<string>`coalesce(sum(${ledgerEntries.amountFen}), 0)::text` })
      .from(ledgerEntries)
      .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
      .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
      .where(
        and(
          eq(ledgerAccounts.code, clearing(method)),
          sql`${ledgerTransactions.idempotencyKey} like ${`payment:${paymentId}:%`}`,
        ),
      );
    return -BigInt(row?.total ?? '0');
  }

  const scheduleMaintenance = () =>
    scheduleJob(db, { kind: PAYMENT_JOBS.reconcile, key: RECONCILE_KEY, runAt: clock() });

  // ---------------------------------------------------------------- views

  /** The bidder's deposits, balances and receipts. */
  async function myPayments(actor: Actor | null) {
    const me = requirePermission(actor, 'pay:own');
    const myDeposits = await db
      .select({
        deposit: deposits,
        title: listings.title,
        listingStatus: listings.status,
        endAt: listings.currentEndAt,
        code: registrations.code,
      })
      .from(deposits)
      .innerJoin(listings, eq(listings.id, deposits.listingId))
      .innerJoin(registrations, eq(registrations.id, deposits.registrationId))
      .where(eq(deposits.userId, me.userId))
      .orderBy(desc(deposits.createdAt));
    const myBalances = await db
      .select({ balance: balances, title: listings.title })
      .from(balances)
      .innerJoin(listings, eq(listings.id, balances.listingId))
      .where(eq(balances.userId, me.userId))
      .orderBy(desc(balances.createdAt));
    const receipts = await db
      .select()
      .from(payments)
      .where(and(eq(payments.userId, me.userId), inArray(payments.status, ['authorized', 'captured'])))
      .orderBy(desc(payments.updatedAt));
    return { deposits: myDeposits, balances: myBalances, receipts };
  }

  /** One deposit with what the bidder needs to pay it: attempts, the court's account for transfers. */
  async function depositView(actor: Actor | null, id: string) {
    const me = requirePermission(actor, 'pay:own');
    const d = await ownDeposit(me, id);
    return { deposit: d, ...(await payView(d.listingId, d.courtId, eq(payments.depositId, d.id))) };
  }

  async function balanceView(actor: Actor | null, id: string) {
    const me = requirePermission(actor, 'pay:own');
    const b = await ownBalance(me, id);
    return { balance: b, ...(await payView(b.listingId, b.courtId, eq(payments.balanceId, b.id))) };
  }

  async function payView(listingId: string, courtId: string, which: ReturnType<typeof eq>) {
    const [listing] = await db
      .select({
        id: listings.id,
        title: listings.title,
        status: listings.status,
        currentEndAt: listings.currentEndAt,
      })
      .from(listings)
      .where(eq(listings.id, listingId));
    const attempts = await db.select().from(payments).where(which).orderBy(desc(payments.createdAt));
    const [account] = await db.select().from(courtBankAccounts).where(eq(courtBankAccounts.courtId, courtId));
    const [court] = await db
      .select({ nameZh: organisations.nameZh, nameEn: organisations.nameEn })
      .from(organisations)
      .where(eq(organisations.id, courtId));
    const transfers = attempts.length
      ? await db
          .select()
          .from(bankTransfers)
          .where(
            inArray(
              bankTransfers.paymentId,
              attempts.map((a) => a.id),
            ),
          )
      : [];
    return {
      listing: listing!,
      attempts,
      bankAccount: account ?? null,
      court: court!,
      transfers,
      card: deps.gateway?.name ?? null,
    };
  }

  /** Where the payer of `paymentId` returns after paying; not_found for anyone else's payment. */
  async function returnPathOf(actor: Actor | null, paymentId: string): Promise<string> {
    const me = requirePermission(actor, 'pay:own');
    if (!isUuid(paymentId)) throw notFound();
    const [p] = await db
      .select({ depositId: payments.depositId, balanceId: payments.balanceId })
      .from(payments)
      .where(and(eq(payments.id, paymentId), eq(payments.userId, me.userId)));
    if (!p) throw notFound();
    return p.depositId ? `/me/pay/deposit/${p.depositId}` : `/me/pay/balance/${p.balanceId}`;
  }

  /** The payment of one receipt, the bidder's own. */
  async function receipt(actor: Actor | null, paymentId: string) {
    const me = requirePermission(actor, 'pay:own');
    if (!isUuid(paymentId)) throw notFound();
    const [row] = await db
      .select({ payment: payments, realName: users.realName })
      .from(payments)
      .innerJoin(users, eq(users.id, payments.userId))
      .where(
        and(
          eq(payments.id, paymentId),
          eq(payments.userId, me.userId),
          inArray(payments.status, ['authorized', 'captured']),
        ),
      );
    if (!row) throw notFound();
    const listingId = row.payment.depositId
      ? (
          await db
            .select({ id: deposits.listingId })
            .from(deposits)
            .where(eq(deposits.id, row.payment.depositId))
        )[0]!.id
      : (
          await db
            .select({ id: balances.listingId })
            .from(balances)
            .where(eq(balances.id, row.payment.balanceId!))
        )[0]!.id;
    const [listing] = await db
      .select({ title: listings.title })
      .from(listings)
      .where(eq(listings.id, listingId));
    const [court] = await db
      .select({ nameZh: organisations.nameZh, nameEn: organisations.nameEn })
      .from(organisations)
      .where(eq(organisations.id, row.payment.courtId));
    return { ...row, title: listing!.title, court: court! };
  }

  /** The court's deposits, optionally of one listing or status; bidder names are the court's to see. */
  async function courtDeposits(actor: Actor | null, filter: { listingId?: string; status?: string } = {}) {
    const me = requirePermission(actor, 'read:payments');
    const courtId = courtOf(me);
    return db
      .select({
        deposit: deposits,
        title: listings.title,
        code: registrations.code,
        bidder: users.realName,
        method: payments.method,
        reference: payments.reference,
      })
      .from(deposits)
      .innerJoin(listings, eq(listings.id, deposits.listingId))
      .innerJoin(registrations, eq(registrations.id, deposits.registrationId))
      .innerJoin(users, eq(users.id, deposits.userId))
      .leftJoin(payments, eq(payments.id, deposits.paymentId))
      .where(
        and(
          eq(deposits.courtId, courtId),
          filter.listingId && isUuid(filter.listingId) ? eq(deposits.listingId, filter.listingId) : undefined,
          isDepositStatus(filter.status) ? eq(deposits.status, filter.status) : undefined,
        ),
      )
      .orderBy(desc(deposits.createdAt))
      .limit(500);
  }

  /** Transfers awaiting a second staff member, and references still waiting for money. */
  async function transferDesk(actor: Actor | null) {
    const me = requirePermission(actor, 'record:bank-transfer');
    const courtId = courtOf(me);
    const recorded = await db
      .select({
        transfer: bankTransfers,
        reference: payments.reference,
        purpose: payments.purpose,
        recorder: users.realName,
      })
      .from(bankTransfers)
      .innerJoin(payments, eq(payments.id, bankTransfers.paymentId))
      .innerJoin(users, eq(users.id, bankTransfers.recordedBy))
      .where(and(eq(bankTransfers.courtId, courtId), eq(bankTransfers.status, 'recorded')))
      .orderBy(asc(bankTransfers.recordedAt));
    const awaiting = await db
      .select({ payment: payments, payer: users.realName })
      .from(payments)
      .innerJoin(users, eq(users.id, payments.userId))
      .where(
        and(
          eq(payments.courtId, courtId),
          eq(payments.method, 'bank_transfer'),
          eq(payments.status, 'requires_payment'),
        ),
      )
      .orderBy(asc(payments.createdAt))
      .limit(200);
    const recent = await db
      .select({ transfer: bankTransfers, reference: payments.reference })
      .from(bankTransfers)
      .innerJoin(payments, eq(payments.id, bankTransfers.paymentId))
      .where(and(eq(bankTransfers.courtId, courtId), ne(bankTransfers.status, 'recorded')))
      .orderBy(desc(bankTransfers.decidedAt))
      .limit(20);
    return { recorded, awaiting, recent, me: me.userId };
  }

  /** 一案一账号: the case account's statement, for the court that owns the case. */
  async function caseStatement(actor: Actor | null, caseId: string) {
    const me = requirePermission(actor, 'read:payments');
    const courtId = courtOf(me);
    if (!isUuid(caseId)) throw notFound();
    const [c] = await db
      .select({ id: cases.id, caseNumber: cases.caseNumber })
      .from(cases)
      .where(and(eq(cases.id, caseId), eq(cases.courtId, courtId)));
    if (!c) throw notFound();
    const code = caseAccount(c.id);
    await ensureAccount(db, { code, kind: 'case' });
    return { case: c, statement: await statement(db, code) };
  }

  return {
    applyState,
    processEvent,
    openDeposit,
    settleListing,
    settleListings,
    startPayment,
    recordTransfer,
    decideTransfer,
    reconcile,
    scheduleMaintenance,
    myPayments,
    depositView,
    balanceView,
    receipt,
    returnPathOf,
    courtDeposits,
    transferDesk,
    caseStatement,
    jobHandlers,
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
