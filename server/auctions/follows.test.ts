import { describe, expect, it } from 'vitest';
import type { Actor } from '../identity/permissions';
import { endingSoonAt, reminderMinutes } from '../notifications/rules';
import { decideFollowActions } from './follows';
import { type MyAuctionFacts, myAuctionState } from './my-auctions';

const actor = {
  userId: 'u',
  sessionId: 's',
  roles: ['bidder'],
  organisationId: null,
  orgKind: null,
} as Actor;
const now = new Date('2026-03-01T02:00:00Z');
const end = new Date('2026-03-02T02:00:00Z');
const start = new Date('2026-03-01T12:00:00Z');

describe('decideFollowActions (ADR 027)', () => {
  it('needs a sign-in, and an auction not yet over to follow; unfollow only what he follows', () => {
    const live = { status: 'live' as const, currentEndAt: end };
    expect(decideFollowActions(null, live, false, now).follow?.code).toBe('unauthenticated');
    expect(decideFollowActions(actor, live, false, now)).toEqual({
      follow: null,
      unfollow: expect.objectContaining({ messageKey: 'follow.notFollowing' }),
    });
    // At the end itself: over.
    expect(decideFollowActions(actor, live, false, end).follow?.messageKey).toBe('follow.closed');
    expect(decideFollowActions(actor, { status: 'ended', currentEndAt: end }, true, now)).toEqual({
      follow: expect.objectContaining({ messageKey: 'follow.closed' }),
      unfollow: null,
    });
  });
});

describe('the ending-soon rule (ADR 027)', () => {
  it('his N on the follow, else his default, else 15; never before now', () => {
    expect(reminderMinutes(60, 5)).toBe(60);
    expect(reminderMinutes(0, 5)).toBe(0);
    expect(reminderMinutes(null, 5)).toBe(5);
    expect(reminderMinutes(undefined, undefined)).toBe(15);
    expect(endingSoonAt(end, 30, now)).toEqual(new Date(end.getTime() - 30 * 60_000));
    expect(endingSoonAt(end, 30, new Date(end.getTime() - 60_000))).toEqual(new Date(end.getTime() - 60_000));
  });
});

describe('myAuctionState (ADR 027)', () => {
  const facts = (
    over: Omit<Partial<MyAuctionFacts>, 'listing'> & { listing?: Partial<MyAuctionFacts['listing']> },
  ) =>
    ({
      registrationId: 'r',
      following: false,
      depositStatus: 'held',
      bid: false,
      leading: false,
      balance: null,
      ...over,
      listing: {
        status: 'live',
        outcome: null,
        startsAt: start,
        currentEndAt: end,
        resultHeldAt: null,
        ...over.listing,
      },
    }) as MyAuctionFacts;

  it('before and during the auction: the start, then the end, is the next deadline', () => {
    expect(myAuctionState(facts({ registrationId: null, listing: { status: 'announced' } }))).toEqual({
      state: 'following',
      group: 'followed',
      next: { kind: 'start', at: start },
    });
    expect(myAuctionState(facts({ depositStatus: 'pending', listing: { status: 'announced' } })).state).toBe(
      'depositDue',
    );
    expect(myAuctionState(facts({}))).toEqual({
      state: 'registered',
      group: 'registered',
      next: { kind: 'end', at: end },
    });
    expect(myAuctionState(facts({ bid: true, leading: true })).state).toBe('leading');
    expect(myAuctionState(facts({ bid: true }))).toMatchObject({ state: 'outbid', group: 'bidding' });
    expect(myAuctionState(facts({ bid: true, listing: { status: 'suspended' } }))).toEqual({
      state: 'suspended',
      group: 'bidding',
      next: null,
    });
  });

  it('after it: won with the balance due, paid, defaulted, lost, held, no sale, withdrawn', () => {
    const ended = { status: 'ended' as const, outcome: 'sold' as const };
    const due = new Date('2026-03-17T02:00:00Z');
    expect(myAuctionState(facts({ listing: ended, balance: { status: 'open', dueAt: due } }))).toEqual({
      state: 'won',
      group: 'won',
      next: { kind: 'balanceDue', at: due },
    });
    expect(myAuctionState(facts({ listing: ended, balance: { status: 'paid', dueAt: due } })).state).toBe(
      'paid',
    );
    expect(
      myAuctionState(facts({ listing: ended, balance: { status: 'defaulted', dueAt: due } })).state,
    ).toBe('defaulted');
    expect(myAuctionState(facts({ listing: ended }))).toEqual({ state: 'lost', group: 'lost', next: null });
    expect(myAuctionState(facts({ listing: { ...ended, resultHeldAt: end } })).state).toBe('held');
    expect(myAuctionState(facts({ listing: { status: 'ended', outcome: 'failed' } })).state).toBe('notSold');
    expect(myAuctionState(facts({ registrationId: null, listing: ended })).state).toBe('ended');
    expect(myAuctionState(facts({ listing: { status: 'withdrawn' } }))).toEqual({
      state: 'withdrawn',
      group: 'closed',
      next: null,
    });
  });
});
