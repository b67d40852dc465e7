import { describe, expect, it } from 'vitest';
import type { AidClaimStatus } from '../../db/schema/aid';
import type { Actor } from '../identity/permissions';
import { type ClaimAction, decideClaimActions, decideRecoveryActions } from './claim-actions';
import { decideQueueActions } from './claim-views';
import { decidePolicyDeskActions } from './policies';
import { CLAIM_STATUSES, CLAIM_TRANSITIONS, DOCUMENTS_OPEN } from './rules';

const staff = (userId: string, orgKind: Actor['orgKind'], roles: Actor['roles']): Actor => ({
  userId,
  sessionId: 's',
  roles,
  organisationId: 'org',
  orgKind,
});
const clerk = staff('clerk', 'court', ['court_clerk']);
const panel = staff('panel', 'court', ['court_panel']);
const adjuster = staff('adjuster', 'insurer', ['insurer_adjuster']);
const manager = staff('manager', 'insurer', ['insurer_manager']);
const creditor = staff('creditor', null, ['bidder']);
const claim = (status: AidClaimStatus) => ({
  status,
  applicantUserId: 'creditor',
  referredBy: 'panel',
  filedBy: 'clerk',
});
const money = { inFlightFen: 0n, recoverableFen: 0n };

/** The action of each role that moves a claim to `to`. */
const MOVES: [ClaimAction, Actor, AidClaimStatus][] = [
  ['submit', clerk, 'submitted'],
  ['withdraw', creditor, 'withdrawn'],
  ['returnForDocuments', panel, 'returned'],
  ['startCourtReview', panel, 'court_review'],
  ['referToCommittee', panel, 'committee_review'],
  ['courtReject', panel, 'rejected'],
  ['insurerStartReview', adjuster, 'insurer_review'],
  ['insurerApprove', adjuster, 'insurer_approved'],
  ['insurerDecline', manager, 'declined'],
  ['close', clerk, 'closed'],
];

describe('what a viewer may do with a claim', () => {
  it.each(MOVES)('%s is offered exactly where the state machine allows it', (action, who, to) => {
    for (const from of CLAIM_STATUSES) {
      const refusal = decideClaimActions(who, claim(from), money)[action];
      if (CLAIM_TRANSITIONS[from].includes(to)) expect(refusal, `${action} from ${from}`).toBeNull();
      else expect(refusal?.details.params, `${action} from ${from}`).toEqual({ from, to });
    }
  });

  it('never offers a role what it may not do: the clerk does not review, the court does not award', () => {
    expect(decideClaimActions(clerk, claim('court_review'), money).courtApprove?.code).toBe('forbidden');
    expect(decideClaimActions(panel, claim('insurer_review'), money).insurerApprove?.code).toBe('forbidden');
    expect(decideClaimActions(adjuster, claim('court_review'), money).courtApprove?.code).toBe('forbidden');
    expect(decideClaimActions(adjuster, claim('draft'), money).submit?.code).toBe('forbidden');
    // A creditor acts only on his own claim.
    expect(
      decideClaimActions(creditor, { ...claim('draft'), applicantUserId: 'x' }, money).submit?.code,
    ).toBe('forbidden');
  });

  it('in committee, the judge who referred the claim does not decide it; nobody approves his own filing', () => {
    expect(decideClaimActions(panel, claim('committee_review'), money).courtApprove?.messageKey).toBe(
      'aidErrors.committeeNotReferrer',
    );
    expect(
      decideClaimActions(staff('judge2', 'court', ['court_panel']), claim('committee_review'), money)
        .courtApprove,
    ).toBeNull();
    expect(
      decideClaimActions(panel, { ...claim('court_review'), filedBy: 'panel' }, money).courtApprove
        ?.messageKey,
    ).toBe('aidErrors.selfApproval');
  });

  it('documents are open while the applicant’s side holds the claim', () => {
    for (const s of CLAIM_STATUSES) {
      const refusal = decideClaimActions(clerk, claim(s), money).upload;
      if (DOCUMENTS_OPEN.includes(s)) expect(refusal).toBeNull();
      else expect(refusal?.messageKey).toBe('aidErrors.documentsClosed');
    }
  });

  it('closes a claim in payment only with nothing in flight; records recoveries only of what was paid', () => {
    expect(
      decideClaimActions(adjuster, claim('payment'), { ...money, inFlightFen: 1n }).close?.messageKey,
    ).toBe('aidErrors.paymentsInFlight');
    expect(decideClaimActions(adjuster, claim('payment'), money).close).toBeNull();
    expect(decideClaimActions(clerk, claim('paid'), money).recordRecovery?.messageKey).toBe(
      'aidErrors.aboveRecoverable',
    );
    expect(
      decideClaimActions(clerk, claim('paid'), { ...money, recoverableFen: 5n }).recordRecovery,
    ).toBeNull();
    expect(
      decideClaimActions(panel, claim('paid'), { ...money, recoverableFen: 5n }).recordRecovery?.code,
    ).toBe('forbidden');
  });

  it('a recovery is confirmed by the insurer’s manager, not by whoever recorded it, and once', () => {
    const r = { status: 'recoverable' as const, recordedBy: 'clerk' };
    expect(decideRecoveryActions(manager, r).confirm).toBeNull();
    expect(decideRecoveryActions(adjuster, r).confirm?.code).toBe('forbidden');
    expect(decideRecoveryActions(manager, { ...r, recordedBy: 'manager' }).confirm?.messageKey).toBe(
      'aidErrors.selfApproval',
    );
    expect(decideRecoveryActions(manager, { ...r, status: 'returned' }).confirm?.messageKey).toBe(
      'aidErrors.recoveryDone',
    );
  });

  it('the queue links to filing, the payment desk, policies and reports by the permission each page checks', () => {
    const offered = (a: Actor) =>
      Object.entries(decideQueueActions(a))
        .filter(([, refusal]) => refusal === null)
        .map(([action]) => action);
    expect(offered(clerk)).toEqual(['file', 'policies', 'reports']);
    expect(offered(panel)).toEqual(['policies', 'reports']);
    expect(offered(adjuster)).toEqual(['pay', 'policies', 'reports']);
    expect(offered(creditor)).toEqual([]);
  });

  it('policies are issued by an insurer’s manager; the committee threshold is set by a court’s administrator', () => {
    const courtAdmin = staff('admin', 'court', ['court_admin']);
    expect(decidePolicyDeskActions(manager)).toEqual({ create: null, settings: expect.anything() });
    expect(decidePolicyDeskActions(courtAdmin)).toEqual({ create: expect.anything(), settings: null });
    expect(decidePolicyDeskActions(adjuster).create?.code).toBe('forbidden');
    expect(decidePolicyDeskActions(clerk).settings?.code).toBe('forbidden');
    // The grant alone is not enough: the threshold is a court's own setting.
    const platformWithGrant = staff('p', 'platform', ['court_admin']);
    expect(decidePolicyDeskActions(platformWithGrant).settings?.code).toBe('forbidden');
  });
});
