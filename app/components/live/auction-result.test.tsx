import { describe, expect, it } from 'vitest';
import { renderInRoute } from '../../../tests/support/render';
import type { RoadView } from '../sales/road';
import { AuctionResult } from './auction-result';

const confirmation = {
  winnerName: '孙买受',
  code: 'KMPW',
  priceFen: '700000',
  endedAt: '2026-12-06T02:00:00.000Z',
};
const none = { at: null, day: null, dueAt: null, overdue: false };
const ended = { key: 'confirmation' as const, state: 'done' as const, ...none, at: confirmation.endedAt };
const later = (['ruling', 'service', 'handover', 'title'] as const).map((key) => ({
  key,
  state: 'upcoming' as const,
  ...none,
}));
const winner = (balance: RoadView['steps'][number], payBalance: boolean): RoadView => ({
  role: 'winner',
  steps: [ended, balance, ...later],
  settling: false,
  balanceId: '00000000-0000-4000-8000-000000000001',
  ruling: null,
  receipts: [
    { paymentId: '00000000-0000-4000-8000-000000000002', purpose: 'deposit', number: '青0104-2026-000007' },
  ],
  can: { payBalance, readRuling: false },
});
const render = (road: RoadView) =>
  renderInRoute(
    <AuctionResult outcome="sold" confirmation={confirmation} road={road} listingId="l1" locale="zh-CN" />,
  );

describe('the winner on the auction page (the road the service decided)', () => {
  it('with the balance open: told to pay, with the amount, the deadline, the link; the balance is the current step', async () => {
    const html = await render(
      winner(
        { key: 'balance', state: 'current', ...none, dueAt: '2026-12-16T02:00:00.000Z', amountFen: '630000' },
        true,
      ),
    );
    expect(html).toContain('请在期限内支付余款');
    expect(html).toContain('应付余款 ¥6,300.00');
    expect(html).toContain('href="/me/pay/balance/00000000-0000-4000-8000-000000000001"');
    expect(html).toMatch(
      /<li[^>]*data-testid="step-balance"[^>]*aria-current="step"|<li[^>]*aria-current="step"[^>]*data-testid="step-balance"/,
    );
    expect(html).toContain('保证金收据 青0104-2026-000007');
  });

  it('paid in full: never asked to pay again; the ruling is the current step', async () => {
    const road = winner(
      { key: 'balance', state: 'done', ...none, at: '2026-12-07T02:00:00.000Z', amountFen: '630000' },
      false,
    );
    const html = await render({
      ...road,
      steps: road.steps.map((x) =>
        x.key === 'ruling' ? { ...x, state: 'current', dueAt: '2026-12-17T02:00:00.000Z' } : x,
      ),
    });
    expect(html).not.toContain('请在期限内支付余款');
    expect(html).not.toContain('支付余款</a>');
    expect(html).not.toContain('应付余款');
    expect(html).toContain('您已竞得本标的并付清余款');
    expect(html.match(/aria-current="step"/g)).toHaveLength(1);
  });
});
