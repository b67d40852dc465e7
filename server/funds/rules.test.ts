import { describe, expect, it } from 'vitest';
import type { Actor } from '../identity/permissions';
import {
  beijingMidnight,
  canMovePlan,
  decideObjectionActions,
  decidePlanActions,
  objectionInTime,
  periodEnd,
} from './rules';

const DAY = 86_400_000;
const staff = (roles: Actor['roles'], userId = 'u1', organisationId = 'court-a'): Actor => ({
  userId,
  sessionId: 's',
  roles,
  organisationId,
  orgKind: 'court',
});

describe('the 15 days to object (民诉法解释 art. 509)', () => {
  const servedOn = '2026-03-03';
  const dueAt = periodEnd(servedOn, new Date('2026-03-03T02:00:00Z'), 15, DAY);

  it('end at the Beijing midnight after the 15th day: the 18th counts whole, the 19th does not', () => {
    expect(dueAt.toISOString()).toBe('2026-03-18T16:00:00.000Z');
    expect(objectionInTime(new Date('2026-03-18T15:59:59.999Z'), dueAt)).toBe(true); // 23:59:59 on day 15
    expect(objectionInTime(beijingMidnight('2026-03-18'), dueAt)).toBe(true);
    expect(objectionInTime(beijingMidnight('2026-03-19'), dueAt)).toBe(false); // day 16
    expect(objectionInTime(new Date(), null)).toBe(false); // never served
  });

  it('under an accelerated profile, 15 shortened days from the service', () => {
    const at = new Date('2026-03-03T02:00:00Z');
    expect(periodEnd(servedOn, at, 15, 2_000).getTime()).toBe(at.getTime() + 30_000);
  });
});

describe('the plan and its objections: what a viewer may do', () => {
  const plan = { courtId: 'court-a', draftedBy: 'clerk' };
  it('a second person approves a final plan; its maker never, another court never sees it', () => {
    const judge = staff(['court_panel'], 'judge');
    expect(decidePlanActions(judge, { ...plan, status: 'final' }, { unserved: 0 }).approve).toBeNull();
    expect(decidePlanActions(judge, { ...plan, status: 'served' }, { unserved: 0 }).approve?.code).toBe(
      'conflict',
    );
    expect(
      decidePlanActions(staff(['court_panel'], 'clerk'), { ...plan, status: 'final' }, { unserved: 0 })
        .approve?.code,
    ).toBe('forbidden');
    expect(
      decidePlanActions(staff(['court_clerk'], 'c2'), { ...plan, status: 'final' }, { unserved: 0 }).approve
        ?.code,
    ).toBe('forbidden');
    expect(
      decidePlanActions(staff(['court_panel'], 'j', 'court-b'), { ...plan, status: 'final' }, { unserved: 0 })
        .approve?.code,
    ).toBe('not_found');
  });

  it('serves a draft, or a served plan with recipients not yet served', () => {
    const clerk = staff(['court_clerk'], 'clerk');
    expect(decidePlanActions(clerk, { ...plan, status: 'draft' }, { unserved: 3 }).serve).toBeNull();
    expect(decidePlanActions(clerk, { ...plan, status: 'served' }, { unserved: 1 }).serve).toBeNull();
    expect(decidePlanActions(clerk, { ...plan, status: 'served' }, { unserved: 0 }).serve?.code).toBe(
      'conflict',
    );
  });

  it('an opposition within its 15 days, a suit within its 15, a judgment while in suit', () => {
    const clerk = staff(['court_clerk']);
    const now = new Date('2026-04-01T00:00:00Z');
    const later = new Date(now.getTime() + DAY);
    const filed = { status: 'filed' as const, oppositionDueAt: later, suitDueAt: null };
    expect(decideObjectionActions(clerk, 'court-a', filed, now).recordOpposition).toBeNull();
    expect(decideObjectionActions(clerk, 'court-a', filed, later).recordOpposition?.code).toBe('conflict');
    const opposed = { status: 'opposed' as const, oppositionDueAt: now, suitDueAt: later };
    expect(decideObjectionActions(clerk, 'court-a', opposed, now).recordSuit).toBeNull();
    expect(decideObjectionActions(clerk, 'court-a', opposed, later).recordSuit?.code).toBe('conflict');
    expect(
      decideObjectionActions(clerk, 'court-a', { ...opposed, status: 'in_suit' }, later).decideSuit,
    ).toBeNull();
  });

  it('the plan moves only forward; a paid plan never changes', () => {
    expect(canMovePlan('draft', 'served')).toBe(true);
    expect(canMovePlan('served', 'approved')).toBe(false);
    expect(canMovePlan('final', 'approved')).toBe(true);
    expect(canMovePlan('approved', 'superseded')).toBe(false);
    expect(canMovePlan('paid', 'superseded')).toBe(false);
  });
});
