import {
  DeleteListingSchema,
  LiftRestrictionSchema,
  PrepareListingSchema,
  PrepareRestrictionSchema,
  RevokeListingSchema,
  ServiceSchema,
} from '../../credit/schemas.js';
import type { Services } from '../../services.js';
import { type ApiRoute, bodyOf, param, rid } from './route.js';

/** The dishonest-debtor list and consumption restrictions (ADR 019), as the case's credit page. */
export function creditRoutes(s: Services): ApiRoute[] {
  const c = s.credit;
  return [
    {
      method: 'get',
      path: '/cases/:id/credit',
      summary: 'A case’s debtor listings (失信) and restrictions (限高), with what this token may do',
      run: (req, a) => c.caseCredit(a, param(req, 'id')),
    },
    {
      method: 'post',
      path: '/cases/:id/credit/listings',
      summary: 'Prepare a decision to list a debtor as dishonest (a judge decides it)',
      body: { name: 'PrepareDebtorListing', schema: PrepareListingSchema },
      status: 201,
      run: (req, a) => c.prepareListing(a, param(req, 'id'), bodyOf(req)),
    },
    {
      method: 'post',
      path: '/cases/:id/credit/restrictions',
      summary: 'Prepare a consumption restriction order (限制消费令)',
      body: { name: 'PrepareRestriction', schema: PrepareRestrictionSchema },
      status: 201,
      run: (req, a) => c.prepareRestriction(a, param(req, 'id'), bodyOf(req)),
    },
    {
      method: 'post',
      path: '/debtor-listings/:id/decision',
      summary: 'Decide a prepared listing (a judge other than the preparer)',
      run: (req, a) => c.decideListing(a, param(req, 'id'), rid(req)),
    },
    {
      method: 'post',
      path: '/debtor-listings/:id/service',
      summary: 'Record service of the listing decision on the debtor',
      body: { name: 'DebtorListingService', schema: ServiceSchema },
      run: (req, a) => c.recordService(a, param(req, 'id'), bodyOf(req)),
    },
    {
      method: 'post',
      path: '/debtor-listings/:id/deletion',
      summary: 'Delete a listing (performed, settled …) with its ground',
      body: { name: 'DeleteDebtorListing', schema: DeleteListingSchema },
      run: (req, a) => c.deleteListing(a, param(req, 'id'), bodyOf(req)),
    },
    {
      method: 'post',
      path: '/debtor-listings/:id/revocation',
      summary: 'Revoke a listing made in error',
      body: { name: 'RevokeDebtorListing', schema: RevokeListingSchema },
      run: (req, a) => c.revokeListing(a, param(req, 'id'), bodyOf(req)),
    },
    {
      method: 'post',
      path: '/restrictions/:id/signature',
      summary: 'Sign a prepared restriction order (the president)',
      run: (req, a) => c.signRestriction(a, param(req, 'id'), rid(req)),
    },
    {
      method: 'post',
      path: '/restrictions/:id/lifting',
      summary: 'Lift a restriction with its ground',
      body: { name: 'LiftRestriction', schema: LiftRestrictionSchema },
      run: (req, a) => c.liftRestriction(a, param(req, 'id'), bodyOf(req)),
    },
  ];
}
