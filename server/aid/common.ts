/**
 * What the aid use cases share: who is looking (scope), the claim's single transition function,
 * the claim's timeline events, and the ledger postings.
 */

import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { type AidClaim, type AidClaimStatus, aidClaimEvents, aidClaims } from '../../db/schema/aid.js';
import { ledgerAccounts, ledgerEntries } from '../../db/schema/ledger.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, isDomainError, notFound } from '../errors.js';
import type { Actor } from '../identity/permissions.js';
import { ensureAccount, type PostInput, post } from '../ledger/ledger.js';
import { emitEvent } from '../outbox/events.js';
import { isUuid } from '../validation.js';
import { badTransition, canTransitionClaim, INSURER_VISIBLE, ledgerCodes } from './rules.js';

/** Who is looking at aid data, from the actor's organisation: decides every query's scope. */
export type Viewer =
  | { kind: 'court'; orgId: string }
  | { kind: 'insurer'; orgId: string }
  | { kind: 'platform' }
  | { kind: 'creditor'; userId: string };

export function viewerOf(actor: Actor): Viewer {
  if (actor.orgKind === 'court' && actor.organisationId)
    return { kind: 'court', orgId: actor.organisationId };
  if (actor.orgKind === 'insurer' && actor.organisationId)
    return { kind: 'insurer', orgId: actor.organisationId };
  if (actor.orgKind === 'platform') return { kind: 'platform' };
  return { kind: 'creditor', userId: actor.userId };
}

/**
 * The claims a viewer may see, as a WHERE condition: a court its own, an insurer those of its
 * policies once the court has approved them, a creditor his own; the platform sees every claim
 * (for reports). Everything else is "not found", never "forbidden".
 */
export function claimScope(v: Viewer): SQL | undefined {
  switch (v.kind) {
    case 'court':
      return eq(aidClaims.courtId, v.orgId);
    case 'insurer':
      return and(eq(aidClaims.insurerId, v.orgId), inArray(aidClaims.status, [...INSURER_VISIBLE]));
    case 'creditor':
      return eq(aidClaims.applicantUserId, v.userId);
    case 'platform':
      return undefined;
  }
}

/** The claim, locked for the caller's transaction, if the actor may see it. */
export async function lockClaim(tx: Tx, actor: Actor, id: string): Promise<AidClaim> {
  if (!isUuid(id)) throw notFound();
  const [row] = await tx
    .select()
    .from(aidClaims)
    .where(and(eq(aidClaims.id, id), claimScope(viewerOf(actor))))
    .for('update');
  if (!row) throw notFound();
  return row;
}

export interface EventInput {
  action: string;
  from?: AidClaimStatus | null;
  to?: AidClaimStatus | null;
  actorId: string | null;
  amountFen?: bigint | null;
  reason?: string | null;
  data?: Record<string, unknown>;
  at: Date;
}

/** A line on the claim's timeline and the matching audit entry, in the caller's transaction. */
export async function recordClaimEvent(tx: Db, claimId: string, e: EventInput, requestId?: string) {
  await tx.insert(aidClaimEvents).values({
    claimId,
    action: e.action,
    from: e.from ?? null,
    to: e.to ?? null,
    at: e.at,
    actorId: e.actorId,
    amountFen: e.amountFen ?? null,
    reason: e.reason ?? null,
    data: e.data ?? null,
  });
  await recordAudit(tx, {
    actorId: e.actorId,
    action: `aid_claim.${e.action}`,
    entityType: 'aid_claim',
    entityId: claimId,
    data: {
      ...(e.from !== undefined && { from: e.from }),
      ...(e.to !== undefined && { to: e.to }),
      ...(e.amountFen != null && { amountFen: e.amountFen.toString() }),
      ...(e.reason && { reason: e.reason }),
      ...e.data,
    },
    requestId,
  });
}

/**
 * The one way a claim's status changes: checks the state machine (rules.ts), updates the row
 * only if nobody moved it meanwhile, and writes the timeline event and the audit entry in the
 * same transaction. A refused move changes nothing.
 */
export async function transitionClaim(
  tx: Tx,
  claim: AidClaim,
  to: AidClaimStatus,
  opts: {
    actorId: string | null;
    at: Date;
    patch?: Partial<typeof aidClaims.$inferInsert>;
    reason?: string | null;
    amountFen?: bigint | null;
    requestId?: string;
  },
): Promise<AidClaim> {
  if (!canTransitionClaim(claim.status, to)) throw badTransition(claim.status, to);
  const [updated] = await tx
    .update(aidClaims)
    .set({
      ...opts.patch,
      status: to,
      updatedAt: opts.at,
      ...(opts.reason !== undefined && { lastReason: opts.reason }),
    })
    .where(and(eq(aidClaims.id, claim.id), eq(aidClaims.status, claim.status)))
    .returning();
  if (!updated) throw new DomainError('conflict', 'errors.concurrentChange');
  await recordClaimEvent(
    tx,
    claim.id,
    {
      action: to,
      from: claim.status,
      to,
      actorId: opts.actorId,
      amountFen: opts.amountFen,
      reason: opts.reason,
      at: opts.at,
    },
    opts.requestId,
  );
  // A decision on the claim (the court's refusal, the insurer's award or decline) goes to both
  // sides' systems (ADR 023).
  if (to === 'rejected' || to === 'insurer_approved' || to === 'declined')
    await emitEvent(tx, 'aid.claim.decided', {
      audience: [updated.courtId, updated.insurerId],
      subject: { type: 'aid_claim', id: updated.id },
      at: opts.at,
      data: { number: updated.number, decision: to, approvedFen: updated.approvedFen },
    });
  return updated;
}

/** Opens the ledger accounts a posting names (idempotent), then posts in the caller's transaction. */
export async function postAid(
  tx: Tx,
  input: PostInput,
  clearing: readonly string[] = [],
  onShort?: () => DomainError,
) {
  for (const e of input.entries) {
    const isClearing = clearing.includes(e.account);
    await ensureAccount(tx, {
      code: e.account,
      kind: e.account.startsWith('case:') ? 'case' : isClearing ? 'gateway_clearing' : 'aid_policy',
      allowNegative: isClearing,
    });
  }
  try {
    return await post(tx, input);
  } catch (e) {
    if (onShort && isDomainError(e) && e.messageKey === 'ledger.insufficientFunds') throw onShort();
    throw e;
  }
}

/** What is left of each policy's limit: the ledger balances of their `aid_policy:<id>` accounts. */
export async function remainingLimits(db: Db, policyIds: readonly string[]): Promise<Map<string, bigint>> {
  if (policyIds.length === 0) return new Map();
  const codes = policyIds.map((id) => ledgerCodes.limit(id));
  const rows = await db
    .select({
      code: ledgerAccounts.code,
      balance: sql<string>`coalesce(sum(${ledgerEntries.amountFen}), 0)::text`,
    })
    .from(ledgerAccounts)
    .leftJoin(ledgerEntries, eq(ledgerEntries.accountId, ledgerAccounts.id))
    .where(inArray(ledgerAccounts.code, codes))
    .groupBy(ledgerAccounts.code);
  const byCode = new Map(rows.map((r) => [r.code, BigInt(r.balance)]));
  return new Map(policyIds.map((id) => [id, byCode.get(ledgerCodes.limit(id)) ?? 0n]));
}
