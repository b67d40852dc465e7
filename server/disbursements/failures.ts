/**
 * A payment the bank refused (wrong account, payee unreachable, deceased) is sent again or given
 * up (domain "Disbursements": failed → reissued | cancelled).
 */
import { requireAllowed } from '../affordances.js';
import type { Actor } from '../identity/permissions.js';
import { prepareBatch } from './batches.js';
import type { Desk, DisbursementDeps, Payee } from './deps.js';
import { decidePaymentActions } from './rules.js';
import { lockDisbursement, moveDisbursement } from './transitions.js';

/**
 * Sent again, to a corrected account when the bank said it was wrong: a new payment in a batch
 * of its own, which must be approved by someone else like any other. The purpose's `reissued`
 * hook sees the old payment move, its `scheduled` hook the new one (with `reissueOf`).
 */
export async function reissueDisbursement(
  deps: DisbursementDeps,
  desk: Desk,
  actor: Actor,
  id: string,
  account: Partial<Payee>,
  requestId?: string,
) {
  return deps.db.transaction(async (tx) => {
    const p = await lockDisbursement(tx, desk, id);
    requireAllowed(decidePaymentActions(actor, desk.purpose, p), 'reissue');
    await moveDisbursement({ tx, at: deps.clock(), actorId: actor.userId, requestId }, desk, p, 'reissued');
    const { batch, disbursements } = await prepareBatch(
      deps,
      tx,
      desk,
      actor,
      [
        {
          subjectId: p.subjectId,
          payeeName: account.payeeName ?? p.payeeName,
          bankName: account.bankName ?? p.bankName,
          accountNumber: account.accountNumber ?? p.accountNumber,
          amountFen: p.amountFen,
          memo: p.memo,
          reissueOf: p.id,
        },
      ],
      requestId,
    );
    return { batch, disbursement: disbursements[0]! };
  });
}

/** A failed (or not yet approved) payment is given up; what it was for stays owed. */
export async function cancelDisbursement(
  deps: DisbursementDeps,
  desk: Desk,
  actor: Actor,
  id: string,
  requestId?: string,
) {
  return deps.db.transaction(async (tx) => {
    const p = await lockDisbursement(tx, desk, id);
    requireAllowed(decidePaymentActions(actor, desk.purpose, p), 'cancel');
    return moveDisbursement({ tx, at: deps.clock(), actorId: actor.userId, requestId }, desk, p, 'cancelled');
  });
}
