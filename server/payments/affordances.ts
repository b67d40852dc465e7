/**
 * What a viewer may do with a deposit, a balance or a bank transfer now (ADR 010, "Affordances
 * from the service", `server/affordances.ts`). Each entity's actions are decided here once, from
 * its state and the viewer's grants: the views return `can: affordancesOf(…)` beside the entity,
 * and the use case re-checks with `requireAllowed(…)` on the row it has read or locked, so a
 * page cannot offer what the service would refuse. Pure: no database, no clock.
 */
import type { ListingStatus } from '../../db/schema/auctions.js';
import type { Balance, BankTransfer, Deposit } from '../../db/schema/payments.js';
import type { Decisions } from '../affordances.js';
import { DomainError, forbidden, notFound, unauthenticated } from '../errors.js';
import { type Actor, courtIdOf, permissionRefusal } from '../identity/permissions.js';

/** A bidder acts on his own deposits and balances; another's does not exist for him, as its lookup says. */
function payerRefusal(actor: Actor | null, ownerId: string): DomainError | null {
  if (!actor) return unauthenticated();
  return permissionRefusal(actor, 'pay:own') ?? (actor.userId === ownerId ? null : notFound());
}

/** Art. 17: a deposit is paid any time before bidding ends; a held one again only to renew a lapsing card hold. */
export function decideDepositActions(
  actor: Actor | null,
  d: Pick<Deposit, 'userId' | 'status' | 'renewalRequestedAt'>,
  listing: { status: ListingStatus; currentEndAt: Date } | undefined,
  now: Date,
): Decisions<'pay'> {
  const refusal = payerRefusal(actor, d.userId);
  if (refusal) return { pay: refusal };
  if (!listing || !['announced', 'live'].includes(listing.status) || listing.currentEndAt <= now) {
    return { pay: new DomainError('conflict', 'payments.listingClosed') };
  }
  const renewing = d.status === 'held' && d.renewalRequestedAt !== null;
  if (d.status !== 'pending' && !renewing)
    return { pay: new DomainError('conflict', 'payments.nothingOwed') };
  return { pay: null };
}

/** Art. 23-24: the balance is paid while open and before its deadline (after it, the default follows). */
export function decideBalanceActions(
  actor: Actor | null,
  b: Pick<Balance, 'userId' | 'status' | 'dueAt'>,
  now: Date,
): Decisions<'pay'> {
  const refusal = payerRefusal(actor, b.userId);
  if (refusal) return { pay: refusal };
  if (b.status !== 'open') return { pay: new DomainError('conflict', 'payments.nothingOwed') };
  if (b.dueAt <= now) return { pay: new DomainError('conflict', 'payments.balanceOverdue') };
  return { pay: null };
}

/**
 * Paying by card: refused before the click when the gateway is missing or the amount is over what
 * one card payment carries (the page disables the button and says why; startPayment re-checks).
 */
export function cardRefusal(
  gateway: { readonly maxAmountFen: bigint } | null | undefined,
  amountFen: bigint,
): DomainError | null {
  if (!gateway) return new DomainError('conflict', 'payments.cardUnavailable');
  if (amountFen > gateway.maxAmountFen)
    return new DomainError('validation', 'payments.cardLimitUseBankTransfer', {
      params: { maxFen: gateway.maxAmountFen.toString() },
    });
  return null;
}

/** The transfer desk: a court's staff with the grant records transfers seen on its bank statement. */
export function decideTransferDeskActions(actor: Actor | null): Decisions<'record'> {
  if (!actor) return { record: unauthenticated() };
  return {
    record: permissionRefusal(actor, 'record:bank-transfer') ?? (courtIdOf(actor) ? null : forbidden()),
  };
}

export type TransferAction = 'confirm' | 'reject';

/** A recorded transfer is confirmed or rejected once, by a staff member of its court other than its recorder. */
export function decideTransferActions(
  actor: Actor | null,
  t: Pick<BankTransfer, 'courtId' | 'status' | 'recordedBy'>,
): Decisions<TransferAction> {
  const refusal = transferRefusal(actor, t);
  return { confirm: refusal, reject: refusal };
}

function transferRefusal(
  actor: Actor | null,
  t: Pick<BankTransfer, 'courtId' | 'status' | 'recordedBy'>,
): DomainError | null {
  if (!actor) return unauthenticated();
  const denied = permissionRefusal(actor, 'confirm:bank-transfer');
  if (denied) return denied;
  const courtId = courtIdOf(actor);
  if (!courtId) return forbidden();
  // Another court's transfer does not exist for this actor, as its lookup says.
  if (courtId !== t.courtId) return notFound();
  if (t.status !== 'recorded') return new DomainError('conflict', 'payments.transferDecided');
  // Maker-checker: whoever recorded the money may not confirm it.
  if (t.recordedBy === actor.userId) return new DomainError('forbidden', 'payments.makerChecker');
  return null;
}
