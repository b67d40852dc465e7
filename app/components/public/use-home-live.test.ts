import { describe, expect, it } from 'vitest';
import type { AuctionEventDto } from '../../../server/realtime/events';
import { applyCardEvents } from './use-home-live';

const known = {
  a: { seq: 4, priceFen: '700000', currentEndAt: '2026-03-02T02:00:00.000Z', bidCount: 1 },
};
const bid = (seq: number, amountFen: string, currentEndAt = '2026-03-02T02:05:00.000Z'): AuctionEventDto => ({
  listingId: 'a',
  seq,
  type: 'bid',
  at: 0,
  payload: { code: 'AB12', amountFen, currentEndAt, extended: true },
});

describe('a home card follows its auction log', () => {
  it('the next bid is the current price, its end the end, one more in the count', () => {
    const r = applyCardEvents(known, [bid(5, '710000')]);
    expect(r.reload).toBe(false);
    expect(r.known.a).toEqual({
      seq: 5,
      priceFen: '710000',
      currentEndAt: '2026-03-02T02:05:00.000Z',
      bidCount: 2,
    });
  });

  it('entries already in the page data and other auctions change nothing', () => {
    const r = applyCardEvents(known, [bid(4, '700000'), { ...bid(9, '1'), listingId: 'b' }]);
    expect(r).toEqual({ known, reload: false });
  });

  it('a gap or a status change asks for the page data again', () => {
    expect(applyCardEvents(known, [bid(6, '720000')]).reload).toBe(true);
    const status: AuctionEventDto = {
      listingId: 'a',
      seq: 5,
      type: 'status',
      at: 0,
      payload: { to: 'ended' },
    };
    expect(applyCardEvents(known, [status]).reload).toBe(true);
  });

  it('entries out of order are applied in sequence order', () => {
    const r = applyCardEvents(known, [bid(6, '720000'), bid(5, '710000')]);
    expect(r.known.a).toMatchObject({ seq: 6, priceFen: '720000', bidCount: 3 });
    expect(r.reload).toBe(false);
  });
});
