import { describe, expect, it } from 'vitest';
import type { Actor } from '../identity/permissions';
import {
  BATCH_TRANSITIONS,
  decideBatchActions,
  decideDeskActions,
  decidePaymentActions,
  PAYMENT_TRANSITIONS,
  type PurposePolicy,
} from './rules';

const policy: PurposePolicy = {
  permissions: {
    read: 'read:aid-payment',
    prepare: 'prepare:aid-payment',
    approve: 'approve:aid-payment',
    send: 'send:aid-payment',
  },
  messages: 'aidErrors',
};
const actor = (userId: string, roles: Actor['roles']): Actor => ({
  userId,
  sessionId: 's',
  roles,
  organisationId: 'org',
  orgKind: 'insurer',
});
const maker = actor('maker', ['insurer_adjuster']);
const checker = actor('checker', ['insurer_manager']);

describe('payment and batch state machines', () => {
  it('settled payments lead nowhere; a failure is reissued or cancelled', () => {
    expect(PAYMENT_TRANSITIONS.confirmed).toEqual([]);
    expect(PAYMENT_TRANSITIONS.sent).toEqual(['confirmed', 'failed']);
    expect(PAYMENT_TRANSITIONS.failed).toEqual(['reissued', 'cancelled']);
    expect(BATCH_TRANSITIONS.settled).toEqual([]);
  });
});

describe('what a viewer may do with a batch', () => {
  const batch = { status: 'prepared' as const, preparedBy: 'maker' };

  it('maker-checker: the preparer never approves, nor anyone who prepared one of its payments', () => {
    expect(decideBatchActions(checker, policy, batch, [{ preparedBy: 'maker' }]).approve).toBeNull();
    expect(decideBatchActions(maker, policy, batch, []).approve?.messageKey).toBe('errors.forbidden');
    const both = actor('maker', ['insurer_adjuster', 'insurer_manager']);
    expect(decideBatchActions(both, policy, batch, []).approve?.messageKey).toBe('aidErrors.selfApproval');
    expect(
      decideBatchActions(checker, policy, { ...batch, preparedBy: 'x' }, [{ preparedBy: 'checker' }]).approve
        ?.messageKey,
    ).toBe('aidErrors.selfApproval');
  });

  it('approves a prepared batch once; exports it only once approved, then as often as asked', () => {
    const approved = { ...batch, status: 'approved' as const };
    expect(decideBatchActions(checker, policy, approved, []).approve).toMatchObject({
      code: 'conflict',
      messageKey: 'aidErrors.badBatchTransition',
      details: { params: { from: 'approved', to: 'approved' } },
    });
    expect(decideBatchActions(maker, policy, batch, []).export?.messageKey).toBe(
      'aidErrors.batchNotApproved',
    );
    expect(decideBatchActions(maker, policy, approved, []).export).toBeNull();
    expect(decideBatchActions(maker, policy, { ...batch, status: 'sent' }, []).export).toBeNull();
  });

  it('names the refusals in the purpose’s own catalog', () => {
    const court = { ...policy, messages: 'fundsErrors' };
    const both = actor('maker', ['insurer_adjuster', 'insurer_manager']);
    expect(decideBatchActions(both, court, batch, []).approve?.messageKey).toBe('fundsErrors.selfApproval');
  });
});

describe('what a viewer may do with a payment and at the desk', () => {
  it('a failed payment is reissued or cancelled by a preparer; a sent one is neither', () => {
    expect(decidePaymentActions(maker, policy, { status: 'failed' })).toEqual({
      reissue: null,
      cancel: null,
    });
    const sent = decidePaymentActions(maker, policy, { status: 'sent' });
    expect(sent.reissue?.details.params).toEqual({ from: 'sent', to: 'reissued' });
    expect(sent.cancel?.messageKey).toBe('aidErrors.badPaymentTransition');
    expect(decidePaymentActions(checker, policy, { status: 'failed' }).reissue?.code).toBe('forbidden');
  });

  it('prepares with the prepare permission, imports confirmations with the send permission', () => {
    expect(decideDeskActions(maker, policy)).toEqual({ prepare: null, import: null });
    const desk = decideDeskActions(checker, policy);
    expect(desk.prepare?.code).toBe('forbidden');
    expect(desk.import).toBeNull();
  });
});
