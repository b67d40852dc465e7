import { AmendSchema, ReasonSchema, ResumeSchema } from '../../auctions/schemas.js';
import type { Services } from '../../services.js';
import { type ApiRoute, bodyOf, param } from './route.js';

const LISTING_STATUSES = [
  'draft',
  'pending_approval',
  'announced',
  'live',
  'suspended',
  'ended',
  'withdrawn',
] as const;

/**
 * A listing's review and lifecycle (art. 27-31), as the listing page's form does them: the same
 * service calls, so the same permissions and state machine. The token's staff member acts: a
 * panel member's token approves, never the token of the member who prepared the draft.
 */
export function listingRoutes(s: Services): ApiRoute[] {
  const l = s.listings;
  return [
    {
      method: 'get',
      path: '/listings',
      summary: 'The court’s listings, newest change first (200 at most), each with its court status',
      description:
        'Filter by `status` or `assetId`. An ended listing carries `outcome` (`sold`, `failed`, `defaulted`) and `currentPriceFen`: the results. One listing’s sale follows from `/sales/{id}`.',
      query: [
        { name: 'status', schema: { type: 'string', enum: [...LISTING_STATUSES] } },
        { name: 'assetId', schema: { type: 'string', format: 'uuid' } },
      ],
      run: (req, a) =>
        l.listForCourt(a, {
          status: LISTING_STATUSES.find((x) => x === req.query.status),
          assetId: typeof req.query.assetId === 'string' ? req.query.assetId : undefined,
        }),
    },
    {
      method: 'post',
      path: '/listings/:id/approval',
      summary: 'Approve a submitted listing as a panel member, which publishes its announcement (art. 27)',
      description:
        'The token’s staff member must hold the panel role and must not be the one who prepared the draft (403, `errors.selfApproval`). The announcement is published now or at its `announceAt`; webhooks receive `listing.published`.',
      run: (req, a) => l.approve(a, param(req, 'id')),
    },
    {
      method: 'post',
      path: '/listings/:id/return',
      summary: 'Return a submitted listing to its preparer with an internal reason',
      body: { name: 'Reason', schema: ReasonSchema },
      run: (req, a) => l.returnToDraft(a, param(req, 'id'), bodyOf(req)),
    },
    {
      method: 'post',
      path: '/listings/:id/suspension',
      summary: 'Suspend an announced or live auction with a public reason (art. 28); a live clock freezes',
      body: { name: 'Reason', schema: ReasonSchema },
      run: (req, a) => l.suspend(a, param(req, 'id'), bodyOf(req)),
    },
    {
      method: 'post',
      path: '/listings/:id/resumption',
      summary: 'Resume a suspended auction (a new start or the frozen time left)',
      body: { name: 'Resume', schema: ResumeSchema },
      run: (req, a) => l.resume(a, param(req, 'id'), bodyOf(req)),
    },
    {
      method: 'post',
      path: '/listings/:id/withdrawal',
      summary: 'Withdraw (撤回) an auction with a public reason (art. 29); deposits are released',
      body: { name: 'Reason', schema: ReasonSchema },
      run: (req, a) => l.withdraw(a, param(req, 'id'), bodyOf(req)),
    },
    {
      method: 'post',
      path: '/listings/:id/amendments',
      summary: 'Amend the announcement’s notices (a public, dated amendment)',
      description:
        'Only the amendable fields (special notices, taxes, viewing, contact, supervision line) and the amendment’s public `text`. Priority purchasers are designated with the draft’s terms (`POST /assets/{id}/listings`, `priorityPurchasers`).',
      body: { name: 'Amend', schema: AmendSchema },
      run: (req, a) => l.amend(a, param(req, 'id'), bodyOf(req)),
    },
  ];
}
