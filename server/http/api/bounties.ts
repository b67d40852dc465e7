import {
  ApplicationSchema,
  AssessSchema,
  AwardSchema,
  CloseSchema,
  DecisionSchema,
} from '../../bounties/schemas.js';
import type { Services } from '../../services.js';
import { type ApiRoute, bodyOf, param, rid } from './route.js';

/** Bounty notices (悬赏执行, ADR 022): the same use cases as the case's bounty page and a tip's page. */
export function bountyRoutes(s: Services): ApiRoute[] {
  const b = s.bounties;
  return [
    {
      method: 'get',
      path: '/bounties',
      summary: 'The court’s bounty notices and the tips waiting for it',
      run: async (_req, a) => ({ notices: await b.courtBounties(a) }),
    },
    {
      method: 'get',
      path: '/cases/:id/bounty',
      summary: 'A case’s bounty applications, notices and tips, with what this token may do',
      run: (req, a) => b.caseBounty(a, param(req, 'id')),
    },
    {
      method: 'post',
      path: '/cases/:id/bounty/applications',
      summary: 'Record a creditor’s application for a bounty notice',
      body: { name: 'BountyApplication', schema: ApplicationSchema },
      status: 201,
      run: (req, a) => b.recordApplication(a, param(req, 'id'), bodyOf(req), rid(req)),
    },
    {
      method: 'post',
      path: '/bounty-applications/:id/decision',
      summary: 'Decide an application (a judge): grant publishes the notice, or refuse',
      body: { name: 'BountyDecision', schema: DecisionSchema },
      run: (req, a) => b.decideApplication(a, param(req, 'id'), bodyOf(req), rid(req)),
    },
    {
      method: 'post',
      path: '/bounty-notices/:id/closure',
      summary: 'Close a published notice with a reason',
      body: { name: 'BountyClose', schema: CloseSchema },
      run: (req, a) => b.closeNotice(a, param(req, 'id'), bodyOf(req), rid(req)),
    },
    {
      method: 'get',
      path: '/bounty-tips/:id',
      summary: 'A tip with its informant (the read is logged)',
      run: (req, a) => b.readTip(a, param(req, 'id')),
    },
    {
      method: 'post',
      path: '/bounty-tips/:id/assessment',
      summary: 'Assess a tip (useful or not)',
      body: { name: 'BountyAssess', schema: AssessSchema },
      run: (req, a) => b.assessTip(a, param(req, 'id'), bodyOf(req), rid(req)),
    },
    {
      method: 'post',
      path: '/bounty-tips/:id/award',
      summary: 'Award the reward from the amount recovered',
      body: { name: 'BountyAward', schema: AwardSchema },
      run: (req, a) => b.awardTip(a, param(req, 'id'), bodyOf(req), rid(req)),
    },
  ];
}
