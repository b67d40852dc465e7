import { declineReasonOf } from '../../../server/payments/decline-reasons';
import type { PaymentService } from '../../../server/payments/service';

type DepositView = Awaited<ReturnType<PaymentService['depositView']>>;
type BalanceView = Awaited<ReturnType<PaymentService['balanceView']>>;
type Attempt = DepositView['attempts'][number];

/** JSON for the pay page: bigint money as strings, no internal ids beyond what the page links to. */
function common(v: DepositView | BalanceView) {
  const open = v.attempts.find((a) => a.method === 'bank_transfer' && a.status === 'requires_payment');
  const declined = v.attempts.find((a: Attempt) => a.failureCode !== null && a.status !== 'captured');
  return {
    listing: {
      id: v.listing.id,
      title: v.listing.title,
      status: v.listing.status,
      currentEndAt: v.listing.currentEndAt.toISOString(),
    },
    court: v.court,
    bankAccount: v.bankAccount,
    card: v.card,
    /** Why a card payment would be refused (over one card payment's limit), said before the click. */
    cardRefusal: v.cardRefusal,
    transferReference: open?.reference ?? null,
    transferAwaiting: open
      ? v.transfers.some((t) => t.paymentId === open.id && t.status === 'recorded')
      : false,
    /** A reason the page words, never the gateway's raw code. */
    lastDecline: declineReasonOf(declined?.failureCode ?? null),
    attempts: v.attempts.map((a) => ({
      id: a.id,
      method: a.method,
      status: a.status,
      amountFen: a.amountFen.toString(),
      reference: a.reference,
      createdAt: a.createdAt.toISOString(),
      receipt: a.receipt,
    })),
  };
}

export function depositPage(v: DepositView) {
  const d = v.deposit;
  return {
    target: 'deposit' as const,
    id: d.id,
    status: d.status,
    amountFen: d.amountFen.toString(),
    requiredFen: d.requiredFen.toString(),
    waived: d.amountFen === 0n,
    renewal: d.renewalRequestedAt !== null,
    payable: v.can.pay,
    dueAt: v.listing.currentEndAt.toISOString(),
    ...common(v),
  };
}

export function balancePage(v: BalanceView) {
  const b = v.balance;
  return {
    target: 'balance' as const,
    id: b.id,
    status: b.status,
    amountFen: b.amountFen.toString(),
    priceFen: b.priceFen.toString(),
    depositAppliedFen: b.depositAppliedFen.toString(),
    waived: false,
    renewal: false,
    payable: v.can.pay,
    dueAt: b.dueAt.toISOString(),
    ...common(v),
  };
}

export type PayPage = ReturnType<typeof depositPage> | ReturnType<typeof balancePage>;
