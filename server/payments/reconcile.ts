/**
 * Reconciliation (every 10 minutes): the gateway is the source of truth. Each open or unsettled
 * card payment is compared with its gateway, what the gateway says is applied, lost creations and
 * failed settlements are carried out, and what still differs is reported (`reconciliation_runs`).
 */
import { and, asc, eq, isNotNull, notInArray, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.js';
import { ledgerAccounts, ledgerEntries, ledgerTransactions } from '../../db/schema/ledger.js';
import { deposits, type Payment, payments, reconciliationRuns } from '../../db/schema/payments.js';
import { scheduleJob } from '../jobs/schedule.js';
import { clearing } from './accounts.js';
import { applyState } from './apply-state.js';
import type { PaymentDeps } from './deps.js';
import { netHeldFen } from './gateway.js';
import { createAtGateway } from './paying.js';
import { PAYMENT_JOBS } from './scheduling.js';
import { settleDeposit } from './settlement.js';

const RECONCILE_KEY = 'payments:reconcile';
const RECONCILE_EVERY_MS = 10 * 60_000;
/** A payment without a gateway ref this old lost its creation answer (crash): reconciliation recovers it. */
const CREATE_GRACE_MS = 60_000;

/**
 * Compares each open or unsettled card payment with its gateway, applies what the gateway
 * says (the source of truth), recovers creations whose answer was lost, carries out decided
 * settlements whose job failed, then reports every payment whose ledger booking still
 * differs from the gateway's net amount.
 */
export async function reconcile(deps: PaymentDeps, opts: { now?: Date } = {}) {
  const { db, clock } = deps;
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
          await createAtGateway(deps, p);
          repaired += 1;
          continue;
        }
        const state = await gateway.retrieve(p.gatewayRef);
        const before = p.bookedFen;
        const after = await db.transaction((tx) => applyState(deps, tx, p.id, state, now));
        if (after.bookedFen !== before || after.status !== p.status) repaired += 1;
        // A decided settlement the gateway has not carried out yet (its job failed): do it now.
        if (after.depositId) {
          const [d] = await db.select().from(deposits).where(eq(deposits.id, after.depositId));
          if (
            d?.settlement &&
            d.paymentId === p.id &&
            !['released', 'forfeited', 'applied'].includes(d.status)
          ) {
            await db.transaction((tx) => settleDeposit(deps, tx, d.id, now));
            repaired += 1;
          }
        }
        const final = await gateway.retrieve(p.gatewayRef);
        const ledgerFen = await bookedInLedger(db, p.id, p.method);
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
  if (differences.length > 0) deps.logger.warn({ differences }, 'reconciliation found differences');
  return run!;
}

/** What the ledger holds as brought in by one payment: minus its clearing account's entries for it. */
async function bookedInLedger(db: Database, paymentId: string, method: Payment['method']): Promise<bigint> {
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

/** Starts the reconciliation cycle (at boot; the job reschedules itself). */
export const scheduleMaintenance = (deps: PaymentDeps) =>
  scheduleJob(deps.db, { kind: PAYMENT_JOBS.reconcile, key: RECONCILE_KEY, runAt: deps.clock() });

/** The `payments.reconcile` job: the next run is scheduled first, then this one starts. */
export async function reconcileJob(deps: PaymentDeps, tx: Tx, now: Date) {
  await scheduleJob(tx, {
    kind: PAYMENT_JOBS.reconcile,
    key: RECONCILE_KEY,
    runAt: new Date(now.getTime() + RECONCILE_EVERY_MS),
  });
  // Gateway calls run outside the job's transaction: reconcile opens its own per payment.
  setImmediate(() => {
    reconcile(deps).catch((e: unknown) => deps.logger.error({ err: e }, 'reconciliation failed'));
  });
}
