import type { Services } from '../../services.js';
import { type ApiRoute, param } from './route.js';

const DEPOSIT_STATUSES = ['pending', 'held', 'applied', 'released', 'forfeited'] as const;
const q = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Deposits, balances and case accounts (一案一账号), as the court's money pages read them. */
export function moneyRoutes(s: Services): ApiRoute[] {
  const p = s.payments;
  return [
    {
      method: 'get',
      path: '/deposits',
      summary: 'The court’s deposits, newest first, 50 a page, with the totals by status',
      description:
        'Keyset pages: pass the answer’s `next` as `before` for the following page. Filter by `status` or `listingId`. The bidder is named (the court’s own record).',
      query: [
        { name: 'status', schema: { type: 'string', enum: [...DEPOSIT_STATUSES] } },
        { name: 'listingId', schema: { type: 'string', format: 'uuid' } },
        { name: 'before', schema: { type: 'string' }, description: 'The `next` cursor of the previous page' },
      ],
      run: async (req, a) => {
        const found = await p.courtDeposits(a, {
          status: q(req.query.status),
          listingId: q(req.query.listingId),
          before: q(req.query.before),
        });
        return {
          rows: found.rows.map(({ deposit: d, ...r }) => ({
            id: d.id,
            listingId: d.listingId,
            title: r.title,
            bidder: r.bidder,
            code: r.code,
            amountFen: d.amountFen,
            method: r.method,
            status: d.status,
            reference: r.reference,
            createdAt: d.createdAt,
            heldAt: d.heldAt,
            settledAt: d.settledAt,
          })),
          totals: found.totals,
          total: found.total,
          next: found.next,
        };
      },
    },
    {
      method: 'get',
      path: '/listings/:id/balance',
      summary: 'The balance (尾款) of a sold listing: buyer, amount, deadline, state; null when none',
      run: async (req, a) => ({ balance: await p.balanceForCourt(a, param(req, 'id')) }),
    },
    {
      method: 'get',
      path: '/cases/:id/account',
      summary: 'The case account’s statement (一案一账号): every entry and the balance',
      run: (req, a) => p.caseStatement(a, param(req, 'id')),
    },
  ];
}
