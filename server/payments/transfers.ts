/**
 * Bank transfers, maker-checker (docs/decisions/007-payments.md): the payer writes his unique
 * reference on the transfer; a clerk records what the court's bank statement shows against it
 * (the amount must match); a different staff member confirms it (the money is then held or paid,
 * through `applyState` as a synthetic snapshot) or rejects it. Who may do which is
 * `affordances.ts`.
 */
import { and, asc, desc, eq, ne } from 'drizzle-orm';
import { users } from '../../db/schema/identity.js';
import { bankTransfers, payments } from '../../db/schema/payments.js';
import { affordancesOf, requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, isUniqueViolation, notFound } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { isUuid, parseInput } from '../validation.js';
import { decideTransferActions, decideTransferDeskActions } from './affordances.js';
import { applyState, bankState } from './apply-state.js';
import type { PaymentDeps } from './deps.js';
import { normaliseTransferReference } from './rules.js';
import { DecideTransferSchema, RecordTransferSchema } from './schemas.js';

/** A clerk records a transfer seen on the court's bank statement against the payer's reference. */
export async function recordTransfer(deps: PaymentDeps, actor: Actor | null, input: unknown) {
  const me = requirePermission(actor, 'record:bank-transfer');
  const courtId = courtOf(me);
  const data = parseInput(RecordTransferSchema, input);
  const reference = normaliseTransferReference(data.reference);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
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
export async function decideTransfer(
  deps: PaymentDeps,
  actor: Actor | null,
  transferId: string,
  input: unknown,
) {
  // The cheap checks first, so a stranger is refused before any row is read.
  const me = requirePermission(actor, 'confirm:bank-transfer');
  const courtId = courtOf(me);
  const { decision, reason } = parseInput(DecideTransferSchema, input);
  if (!isUuid(transferId)) throw notFound();
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const [t] = await tx
      .select()
      .from(bankTransfers)
      .where(and(eq(bankTransfers.id, transferId), eq(bankTransfers.courtId, courtId)))
      .for('update');
    if (!t) throw notFound();
    // Decided once, maker-checker: the rule the desk shows, on the row now locked.
    requireAllowed(decideTransferActions(me, t), decision);
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
      await applyState(deps, tx, p!.id, bankState(p!, { status: 'captured', capturedFen: t.amountFen }), now);
    }
  });
}

/**
 * Transfers awaiting a second staff member (each with what this viewer may do with it), and
 * references still waiting for money.
 */
export async function transferDesk(deps: PaymentDeps, actor: Actor | null) {
  const { db } = deps;
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
  return {
    recorded: recorded.map((r) => ({
      ...r,
      recordedByMe: r.transfer.recordedBy === me.userId,
      can: affordancesOf(decideTransferActions(me, r.transfer)),
    })),
    awaiting,
    recent,
    can: affordancesOf(decideTransferDeskActions(me)),
  };
}
