import { describe, expect, it } from 'vitest';
import type { AuctionEventDto } from '../../../server/realtime/events';
import { yuanToFen } from './amounts';
import { applyEvents, type LiveBid, proxyAnswerTo, stateOfSnapshot } from './live-state';
import { answerOf } from './reasons';

const ID = '00000000-0000-4000-8000-000000000001';
const base = stateOfSnapshot({
  listingId: ID,
  status: 'live',
  outcome: null,
  priceFen: null,
  leaderCode: null,
  startingPriceFen: '100000',
  incrementFen: '1000',
  startsAt: 0,
  currentEndAt: 60_000,
  extensionCount: 0,
  bidCount: 0,
  seq: 1,
  registered: 2,
  recentBids: [],
});

const bid = (
  seq: number,
  code: string,
  amountFen: string,
  extra: Record<string, unknown> = {},
): AuctionEventDto => ({
  listingId: ID,
  seq,
  type: 'bid',
  at: 1_000 * seq,
  payload: {
    code,
    amountFen,
    priorityRank: null,
    source: 'live',
    currentEndAt: new Date(60_000).toISOString(),
    extended: false,
    extensionCount: 0,
    ...extra,
  },
});

describe('live auction state', () => {
  it('applies bids in order, newest first in the history', () => {
    const r = applyEvents(base, [bid(2, 'AAAA', '100000'), bid(3, 'BBBB', '101000')]);
    expect(r.gap).toBe(false);
    expect(r.state.seq).toBe(3);
    expect(r.state.priceFen).toBe('101000');
    expect(r.state.leaderCode).toBe('BBBB');
    expect(r.state.bidCount).toBe(2);
    expect(r.state.bids.map((b) => b.code)).toEqual(['BBBB', 'AAAA']);
  });

  it('drops duplicates and waits at a gap until the missing event arrives', () => {
    const first = applyEvents(base, [bid(2, 'AAAA', '100000')]);
    const again = applyEvents(first.state, [bid(2, 'AAAA', '100000')]);
    expect(again.state).toBe(first.state);
    const ahead = applyEvents(first.state, [bid(4, 'AAAA', '102000')]);
    expect(ahead.gap).toBe(true);
    expect(ahead.state.seq).toBe(2);
    const filled = applyEvents(ahead.state, [bid(3, 'BBBB', '101000')], ahead.pending);
    expect(filled.gap).toBe(false);
    expect(filled.pending).toEqual([]);
    expect(filled.state.seq).toBe(4);
    expect(filled.state.leaderCode).toBe('AAAA');
  });

  it('records an extension (art. 20) with the new end and its count', () => {
    const end = new Date(65_000).toISOString();
    const r = applyEvents(base, [
      bid(2, 'AAAA', '100000', { extended: true, extensionCount: 1, currentEndAt: end }),
    ]);
    expect(r.state.currentEndAt).toBe(65_000);
    expect(r.state.extensionCount).toBe(1);
    expect(r.state.lastExtension).toEqual({ seq: 2, at: 2_000, endAt: 65_000 });
  });

  it('reports a status change so the page reloads its data', () => {
    const r = applyEvents(base, [
      {
        listingId: ID,
        seq: 2,
        type: 'status',
        at: 60_000,
        payload: {
          from: 'live',
          to: 'ended',
          outcome: 'failed',
          currentEndAt: new Date(60_000).toISOString(),
        },
      },
    ]);
    expect(r.statusChanged).toBe(true);
    expect(r.state.status).toBe('ended');
    expect(r.state.outcome).toBe('failed');
  });

  it('ignores another auction’s events', () => {
    const r = applyEvents(base, [{ ...bid(2, 'AAAA', '100000'), listingId: 'other' }]);
    expect(r.state).toBe(base);
  });
});

describe('amounts and answers', () => {
  it('reads yuan into fen without floating point', () => {
    expect(yuanToFen('1,618,000')).toBe('161800000');
    expect(yuanToFen(' 1618000.5 ')).toBe('161800050');
    expect(yuanToFen('¥12.34')).toBe('1234');
    expect(yuanToFen('1.234')).toBeNull();
    expect(yuanToFen('')).toBeNull();
    expect(yuanToFen('-5')).toBeNull();
  });

  it('shows only known answers from the query string', () => {
    expect(answerOf(new URLSearchParams('bid=accepted&amount=100000'))).toEqual({
      kind: 'bid',
      accepted: true,
      amountFen: '100000',
    });
    expect(answerOf(new URLSearchParams('bid=bidding.notAbove'))).toEqual({
      kind: 'bid',
      accepted: false,
      reason: 'bidding.notAbove',
    });
    expect(answerOf(new URLSearchParams('bid=errors.internal'))).toBeNull();
    expect(answerOf(new URLSearchParams('proxy=set&max=5000&placed=2'))).toEqual({
      kind: 'proxy',
      accepted: true,
      maxFen: '5000',
      bidsPlaced: 2,
    });
    expect(answerOf(new URLSearchParams('proxy=cancelled'))).toEqual({
      kind: 'proxyCancelled',
      accepted: true,
    });
    expect(answerOf(new URLSearchParams('proxy=bidding.notRegistered'))).toEqual({
      kind: 'proxy',
      accepted: false,
      reason: 'bidding.notRegistered',
    });
  });
});

describe("proxyAnswerTo: an accepted bid another bidder's proxy topped at once", () => {
  const bid = (
    seq: number,
    code: string,
    amountFen: string,
    source: LiveBid['source'] = 'live',
  ): LiveBid => ({
    seq,
    code,
    amountFen,
    at: seq * 1000,
    source,
  });
  it('names the proxy bid that now leads', () => {
    const bids = [bid(8, 'PRXY', '162600000', 'proxy'), bid(7, 'MINE', '161800000')];
    expect(proxyAnswerTo(bids, { seq: 7 }, 'MINE')).toEqual(bids[0]);
  });
  it('nothing to explain while his bid leads, or before the proxy bid arrives', () => {
    expect(proxyAnswerTo([bid(7, 'MINE', '161800000')], { seq: 7 }, 'MINE')).toBeNull();
    expect(proxyAnswerTo([], { seq: 7 }, 'MINE')).toBeNull();
  });
  it('a later live bid by someone else is an ordinary outbid, not a proxy answer', () => {
    const bids = [bid(8, 'OTHR', '162600000'), bid(7, 'MINE', '161800000')];
    expect(proxyAnswerTo(bids, { seq: 7 }, 'MINE')).toBeNull();
  });
  it('his own proxy bidding after him is not an answer to him', () => {
    const bids = [bid(8, 'MINE', '162600000', 'proxy'), bid(7, 'MINE', '161800000')];
    expect(proxyAnswerTo(bids, { seq: 7 }, 'MINE')).toBeNull();
  });
});

describe("answerOf: the confirmation step and the bid's position", () => {
  it('reads ?confirm=<fen> as a bid waiting for confirmation, and nothing else', () => {
    expect(answerOf(new URLSearchParams('confirm=161000000'))).toEqual({
      kind: 'confirm',
      amountFen: '161000000',
    });
    expect(answerOf(new URLSearchParams('confirm=abc'))).toBeNull();
    expect(answerOf(new URLSearchParams('confirm=0'))).toBeNull();
  });
  it('keeps the seq of an accepted bid when the redirect carries one', () => {
    expect(answerOf(new URLSearchParams('bid=accepted&amount=161800000&seq=7'))).toEqual({
      kind: 'bid',
      accepted: true,
      amountFen: '161800000',
      seq: 7,
    });
  });
});
