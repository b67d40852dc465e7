import { describe, expect, it } from 'vitest';
import { beijingTime, channelsFor, kindsFor, yuan } from './rules';

describe('notification rules (ADR 025)', () => {
  it('a bidder sees the bidder kinds, a clerk his desk’s queues, an insurer the overdue claims only', () => {
    expect(kindsFor(['bidder'])).toContain('outbid');
    expect(kindsFor(['bidder'])).not.toContain('saleRulingOverdue');
    expect(kindsFor(['court_clerk'])).toEqual(
      expect.arrayContaining(['aidClaimOverdue', 'saleRulingOverdue', 'balanceDefaulted']),
    );
    expect(kindsFor(['court_clerk'])).not.toContain('outbid');
    expect(kindsFor(['insurer_adjuster'])).toEqual(['aidClaimOverdue']);
    expect(kindsFor(['platform_admin'])).toEqual([]);
  });

  it('his choice wins over the defaults, an empty choice included; no choice keeps the defaults', () => {
    expect(channelsFor('outbid', undefined)).toEqual(['email', 'sms']);
    expect(channelsFor('auctionExtended', {})).toEqual([]);
    expect(channelsFor('outbid', { outbid: [] })).toEqual([]);
    expect(channelsFor('outbid', { outbid: ['sms', 'fax'] })).toEqual(['sms']);
  });

  it('writes Beijing wall time and yuan from fen', () => {
    expect(beijingTime(new Date('2026-12-06T16:30:00Z'))).toBe('2026-12-07 00:30');
    expect(yuan(63_700_000n)).toBe('637,000.00');
    expect(yuan(5n)).toBe('0.05');
  });
});
