import { describe, expect, it } from 'vitest';
import { renderInRoute } from '../../../tests/support/render';
import { AuctionResult, type MyResult } from './auction-result';

const confirmation = {
  winnerName: '孙买受',
  code: 'KMPW',
  priceFen: '700000',
  endedAt: '2026-12-06T02:00:00.000Z',
};
const winner = (balance: MyResult['balance']): MyResult => ({
  code: 'KMPW',
  depositId: null,
  depositStatus: 'applied',
  depositSettlement: null,
  depositAmountFen: '70000',
  balance,
  sale: null,
});
const render = (me: MyResult) =>
  renderInRoute(<AuctionResult outcome="sold" confirmation={confirmation} me={me} locale="zh-CN" />);

describe('the winner on the auction page', () => {
  it('with the balance open: told to pay, with the amount, the deadline and the link', async () => {
    const html = await render(
      winner({ amountFen: '630000', dueAt: '2026-12-16T02:00:00.000Z', status: 'open' }),
    );
    expect(html).toContain('请在期限内支付余款');
    expect(html).toContain('应付余款 ¥6,300.00');
    expect(html).toContain('href="/me/payments"');
  });

  it('paid in full (even before his sale record is readable): never asked to pay again', async () => {
    const html = await render(
      winner({ amountFen: '630000', dueAt: '2026-12-16T02:00:00.000Z', status: 'paid' }),
    );
    expect(html).not.toContain('请在期限内支付余款');
    expect(html).not.toContain('支付余款</a>');
    expect(html).not.toContain('应付余款');
    expect(html).toContain('您已竞得本标的并付清余款');
  });
});
