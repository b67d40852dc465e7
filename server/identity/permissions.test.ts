import { describe, expect, it } from 'vitest';
import type { Role } from '../../db/schema/identity';
import { isDomainError } from '../errors';
import { type Actor, can, homePathFor, requirePermission } from './permissions';

const actor = (...roles: Role[]): Actor => ({
  userId: 'u',
  sessionId: 's',
  roles,
  organisationId: 'o',
  orgKind: 'court',
});

describe('permissions', () => {
  it('grants each dashboard to its roles only', () => {
    expect(can(actor('court_clerk'), 'read:court-dashboard')).toBe(true);
    expect(can(actor('bidder'), 'read:court-dashboard')).toBe(false);
    expect(can(actor('insurer_adjuster'), 'read:court-dashboard')).toBe(false);
    expect(can(actor('court_clerk'), 'create:staff-user')).toBe(false);
    expect(can(actor('court_admin'), 'create:staff-user')).toBe(true);
    expect(can(null, 'read:bidder-dashboard')).toBe(false);
  });

  it('throws forbidden for a signed-in user and unauthenticated for nobody', () => {
    try {
      requirePermission(actor('bidder'), 'read:court-dashboard');
      expect.unreachable();
    } catch (e) {
      expect(isDomainError(e) && e.code).toBe('forbidden');
    }
    try {
      requirePermission(null, 'read:court-dashboard');
      expect.unreachable();
    } catch (e) {
      expect(isDomainError(e) && e.code).toBe('unauthenticated');
    }
  });

  it('lands each role on its dashboard', () => {
    expect(homePathFor(['bidder'])).toBe('/me');
    expect(homePathFor(['court_panel'])).toBe('/court');
    expect(homePathFor(['insurer_manager'])).toBe('/insurer');
    expect(homePathFor(['platform_admin'])).toBe('/admin');
  });
});
