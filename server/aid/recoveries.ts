/**
 * Recoveries (issue 5 §5, domain "Recovery"): aid paid becomes recoverable when money is later
 * collected on the case (subrogation) or the aid was obtained by fraud; the insurer confirms
 * what reached it.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { aidClaims, aidRecoveries } from '../../db/schema/aid.js';
import { requireAllowed } from '../affordances.js';
import { DomainError, forbidden, notFound } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { ensureAccount, post } from '../ledger/ledger.js';
import { isUuid, parseInput } from '../validation.js';
import { aboveRecoverable, decideRecoveryActions, lockClaimFor } from './claim-actions.js';
import { lockClaim, postAid, recordClaimEvent, viewerOf } from './common.js';
import type { AidDeps } from './deps.js';
import { ledgerCodes } from './rules.js';
import { RecoverySchema } from './schemas.js';

/** Never more than was paid and not yet recorded as recovered. */
export async function recordRecovery(
  deps: AidDeps,
  actor: Actor,
  claimId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'record:aid-recovery');
  const data = parseInput(RecoverySchema, input);
  return deps.db.transaction(async (tx) => {
    const { claim: c, money } = await lockClaimFor(deps, tx, actor, claimId, 'recordRecovery');
    if (data.amount > money.recoverableFen) throw aboveRecoverable(money.recoverableFen);
    const now = deps.clock();
    const [row] = await tx
      .insert(aidRecoveries)
      .values({
        claimId: c.id,
        courtId: c.courtId,
        insurerId: c.insurerId,
        kind: data.kind,
        source: data.source,
        amountFen: data.amount,
        note: data.note,
        recordedBy: actor.userId,
        recordedAt: now,
      })
      .returning();
    await recordClaimEvent(
      tx,
      c.id,
      {
        action: 'recovery.recorded',
        actorId: actor.userId,
        amountFen: data.amount,
        reason: data.note,
        at: now,
        data: { recoveryId: row!.id, kind: data.kind, source: data.source },
      },
      requestId,
    );
    return row!;
  });
}

/**
 * The insurer confirms the recovered money reached it (a second person: the one who recorded
 * it never confirms it). From the case account (一案一账号) when collected there; the ledger
 * refuses if the case account does not hold it.
 */
export async function confirmRecovery(deps: AidDeps, actor: Actor, recoveryId: string, requestId?: string) {
  requirePermission(actor, 'confirm:aid-recovery');
  const v = viewerOf(actor);
  if (v.kind !== 'insurer') throw forbidden();
  if (!isUuid(recoveryId)) throw notFound();
  return deps.db.transaction(async (tx) => {
    const [r] = await tx
      .select()
      .from(aidRecoveries)
      .where(and(eq(aidRecoveries.id, recoveryId), eq(aidRecoveries.insurerId, v.orgId)))
      .for('update');
    if (!r) throw notFound();
    const c = await lockClaim(tx, actor, r.claimId);
    requireAllowed(decideRecoveryActions(actor, r), 'confirm');
    const now = deps.clock();
    const source =
      r.source === 'case_account'
        ? ledgerCodes.caseAccount(c.caseId)
        : ledgerCodes.recoveryReceived(c.insurerId);
    await postAid(
      tx,
      {
        idempotencyKey: `aid:recovery:${r.id}`,
        kind: r.kind === 'fraud_clawback' ? 'aid.clawback' : 'aid.subrogation',
        description: c.number,
        occurredAt: now,
        entries: [
          { account: source, amountFen: -r.amountFen },
          { account: ledgerCodes.recovered(c.insurerId), amountFen: r.amountFen },
        ],
      },
      [ledgerCodes.recoveryReceived(c.insurerId), ledgerCodes.recovered(c.insurerId)],
      () => new DomainError('conflict', 'aidErrors.caseAccountShort'),
    );
    await tx
      .update(aidRecoveries)
      .set({ status: 'returned', returnedBy: actor.userId, returnedAt: now })
      .where(eq(aidRecoveries.id, r.id));
    await tx
      .update(aidClaims)
      .set({ recoveredFen: c.recoveredFen + r.amountFen, updatedAt: now })
      .where(eq(aidClaims.id, c.id));
    await recordClaimEvent(
      tx,
      c.id,
      {
        action: 'recovery.returned',
        actorId: actor.userId,
        amountFen: r.amountFen,
        at: now,
        data: { recoveryId: r.id },
      },
      requestId,
    );
    return { ...r, status: 'returned' as const };
  });
}

/**
 * Issue 16 §5: a creditor's share of a distribution on a case where he received enforcement aid.
 * The aid paid and not yet recovered comes out of his share (in `fromAccount`, the funds module's
 * account of that share) and is returned to the insurer, recorded as a returned subrogation, in
 * the caller's transaction. Exactly once per `reference`: the ledger's idempotency key decides,
 * so a retried payout finds it done and recovers nothing more.
 */
export async function recoverFromDistribution(
  _deps: AidDeps,
  tx: Tx,
  input: {
    caseId: string;
    partyId: string;
    fromAccount: string;
    availableFen: bigint;
    reference: string;
    at: Date;
    actorId: string | null;
  },
): Promise<{ recoveredFen: bigint }> {
  const claims = await tx
    .select()
    .from(aidClaims)
    .where(and(eq(aidClaims.caseId, input.caseId), eq(aidClaims.partyId, input.partyId)))
    .orderBy(asc(aidClaims.number))
    .for('update');
  let left = input.availableFen;
  let recovered = 0n;
  for (const c of claims) {
    if (left <= 0n || c.paidFen <= 0n) continue;
    const [recorded] = await tx
      .select({ total: sql<string>`coalesce(sum(${aidRecoveries.amountFen}), 0)::text` })
      .from(aidRecoveries)
      .where(eq(aidRecoveries.claimId, c.id));
    const recoverable = c.paidFen - BigInt(recorded?.total ?? '0');
    const amount = recoverable < left ? recoverable : left;
    if (amount <= 0n) continue;
    await ensureAccount(tx, {
      code: ledgerCodes.recovered(c.insurerId),
      kind: 'gateway_clearing',
      allowNegative: true,
    });
    const posted = await post(tx, {
      idempotencyKey: `aid:distribution:${input.reference}:${c.id}`,
      kind: 'aid.subrogation',
      description: c.number,
      occurredAt: input.at,
      entries: [
        { account: input.fromAccount, amountFen: -amount },
        { account: ledgerCodes.recovered(c.insurerId), amountFen: amount },
      ],
    });
    if (posted.replayed) continue;
    const [row] = await tx
      .insert(aidRecoveries)
      .values({
        claimId: c.id,
        courtId: c.courtId,
        insurerId: c.insurerId,
        kind: 'subrogation',
        source: 'case_account',
        amountFen: amount,
        note: input.reference,
        status: 'returned',
        recordedBy: input.actorId ?? c.filedBy,
        recordedAt: input.at,
        returnedBy: input.actorId,
        returnedAt: input.at,
      })
      .returning();
    await tx
      .update(aidClaims)
      .set({ recoveredFen: c.recoveredFen + amount, updatedAt: input.at })
      .where(eq(aidClaims.id, c.id));
    await recordClaimEvent(tx, c.id, {
      action: 'recovery.returned',
      actorId: input.actorId,
      amountFen: amount,
      at: input.at,
      data: { recoveryId: row!.id, source: 'distribution', reference: input.reference },
    });
    left -= amount;
    recovered += amount;
  }
  return { recoveredFen: recovered };
}
