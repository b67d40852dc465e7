import { describe, expect, it } from 'vitest';
import { activeNavItem, navFor } from './header';

const bidder = ['/', '/auctions', '/calendar', ...navFor(['bidder']).map((i) => i.to)];
const clerk = ['/', '/auctions', '/calendar', ...navFor(['court_clerk']).map((i) => i.to)];

describe('activeNavItem: one underlined item per page', () => {
  it('the deposit page belongs to "my payments" only, not also to "my account"', () => {
    expect(activeNavItem('/me/pay/deposit/0b1e8a52-3f6c-4d7e-9a10-5c2b7e4f9d31', bidder)).toBe(
      '/me/payments',
    );
    expect(activeNavItem('/me/payments', bidder)).toBe('/me/payments');
    expect(activeNavItem('/me/receipts/x', bidder)).toBe('/me/payments');
    expect(activeNavItem('/me', bidder)).toBe('/me');
    expect(activeNavItem('/me/purchases', bidder)).toBe('/me/purchases');
  });
  it('the longest path wins among staff items; home only at the root', () => {
    expect(activeNavItem('/court/cases/abc', clerk)).toBe('/court/cases');
    expect(activeNavItem('/court', clerk)).toBe('/court');
    expect(activeNavItem('/', clerk)).toBe('/');
    expect(activeNavItem('/auctions/abc', clerk)).toBe('/auctions');
    expect(activeNavItem('/login', clerk)).toBeNull();
  });
  it('the staff navigation has more than a phone shows inline (hence the menu)', () => {
    expect(clerk.length).toBeGreaterThan(9);
  });
});
