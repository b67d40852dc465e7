import { describe, expect, it } from 'vitest';
import type { Role } from '../../db/schema/identity';
import { affordancesOf } from '../affordances';
import type { DomainError } from '../errors';
import type { Actor } from '../identity/permissions';
import {
  cardRefusal,
  decideBalanceActions,
  decideDepositActions,
  decideTransferActions,
  decideTransferDeskActions,
} from './affordances';

const COURT = 'court-1';
const actor = (userId: string, role: Role, organisationId: string | null = COURT): Actor => ({
  userId,
  sessionId: 's',
  roles: [role],
  organisationId,
  orgKind: role === 'bidder' ? null : role.startsWith('court_') ? 'court' : 'insurer',
});
/** The code and message of a refusal, or null: what the page's `can` and the action's error come from. */
const why = (refusal: DomainError | null) => refusal && `${refusal.code} ${refusal.messageKey}`;

describe('bank transfer actions (maker-checker)', () => {
  const recorded = { courtId: COURT, status: 'recorded' as const, recordedBy: 'clerk' };

  it('a second staff member of the court may confirm or reject; the recorder may do neither', () => {
    expect(affordancesOf(decideTransferActions(actor('panel', 'court_panel'), recorded))).toEqual({
      confirm: true,
      reject: true,
    });
    const mine = decideTransferActions(actor('clerk', 'court_clerk'), recorded);
    expect(why(mine.confirm)).toBe('forbidden payments.makerChecker');
    expect(why(mine.reject)).toBe('forbidden payments.makerChecker');
  });

  it('refuses a decided transfer, another court’s, and anyone without the grant, in the order the action checks', () => {
    const panel = actor('panel', 'court_panel');
    expect(why(decideTransferActions(panel, { ...recorded, status: 'confirmed' }).confirm)).toBe(
      'conflict payments.transferDecided',
    );
    // Decided by the recorder's colleague already: "decided" comes before maker-checker.
    expect(
      why(decideTransferActions(actor('clerk', 'court_clerk'), { ...recorded, status: 'rejected' }).reject),
    ).toBe('conflict payments.transferDecided');
    expect(why(decideTransferActions(actor('panel', 'court_panel', 'court-2'), recorded).confirm)).toBe(
      'not_found errors.notFound',
    );
    expect(why(decideTransferActions(actor('admin', 'court_admin'), recorded).confirm)).toBe(
      'forbidden errors.forbidden',
    );
    expect(why(decideTransferActions(actor('b', 'bidder', null), recorded).confirm)).toBe(
      'forbidden errors.forbidden',
    );
    expect(why(decideTransferActions(null, recorded).confirm)).toBe('unauthenticated errors.unauthenticated');
  });

  it('the desk: court staff with the grant record transfers', () => {
    expect(affordancesOf(decideTransferDeskActions(actor('clerk', 'court_clerk')))).toEqual({ record: true });
    expect(affordancesOf(decideTransferDeskActions(actor('admin', 'court_admin')))).toEqual({
      record: false,
    });
    expect(affordancesOf(decideTransferDeskActions(null))).toEqual({ record: false });
  });
});

describe('paying a deposit or a balance', () => {
  const now = new Date('2026-03-01T02:00:00Z');
  const later = new Date('2026-03-08T02:00:00Z');
  const bidder = actor('bidder', 'bidder', null);
  const live = { status: 'live' as const, currentEndAt: later };
  const deposit = { userId: 'bidder', status: 'pending' as const, renewalRequestedAt: null };

  it('art. 17: a pending deposit until bidding ends; a held one only to renew its hold', () => {
    expect(why(decideDepositActions(bidder, deposit, live, now).pay)).toBeNull();
    expect(why(decideDepositActions(bidder, deposit, { ...live, currentEndAt: now }, now).pay)).toBe(
      'conflict payments.listingClosed',
    );
    expect(why(decideDepositActions(bidder, deposit, { ...live, status: 'ended' }, now).pay)).toBe(
      'conflict payments.listingClosed',
    );
    expect(why(decideDepositActions(bidder, { ...deposit, status: 'held' }, live, now).pay)).toBe(
      'conflict payments.nothingOwed',
    );
    const renewing = { ...deposit, status: 'held' as const, renewalRequestedAt: now };
    expect(why(decideDepositActions(bidder, renewing, live, now).pay)).toBeNull();
    expect(why(decideDepositActions(actor('other', 'bidder', null), deposit, live, now).pay)).toBe(
      'not_found errors.notFound',
    );
  });

  it('art. 23-24: an open balance before its deadline', () => {
    const balance = { userId: 'bidder', status: 'open' as const, dueAt: later };
    expect(why(decideBalanceActions(bidder, balance, now).pay)).toBeNull();
    expect(why(decideBalanceActions(bidder, balance, later).pay)).toBe('conflict payments.balanceOverdue');
    expect(why(decideBalanceActions(bidder, { ...balance, status: 'paid' }, now).pay)).toBe(
      'conflict payments.nothingOwed',
    );
    expect(why(decideBalanceActions(null, balance, now).pay)).toBe('unauthenticated errors.unauthenticated');
  });
});

describe('card payment, said before the click', () => {
  const gateway = { maxAmountFen: 99_999_999n };
  it("allowed up to the gateway's limit for one payment, refused one fen over it, with the limit", () => {
    expect(cardRefusal(gateway, 99_999_999n)).toBeNull();
    const over = cardRefusal(gateway, 149_700_000n); // the issue's ¥1,497,000 balance
    expect(why(over)).toBe('validation payments.cardLimitUseBankTransfer');
    expect(over?.details.params).toEqual({ maxFen: '99999999' });
  });
  it('refused without a card gateway', () => {
    expect(why(cardRefusal(null, 1n))).toBe('conflict payments.cardUnavailable');
  });
});
