import { describe, expect, it } from 'vitest';
import type { Role } from '../../db/schema/identity';
import { isDomainError } from '../errors';
import {
  type Actor,
  can,
  courtIdOf,
  courtOf,
  grantedAtCourt,
  homePathFor,
  permissionRefusal,
  requirePermission,
} from './permissions';

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

  it('gives the refusal requirePermission would throw as a value, for the decide functions', () => {
    expect(permissionRefusal(actor('court_clerk'), 'create:case')).toBeNull();
    expect(permissionRefusal(actor('bidder'), 'create:case')?.code).toBe('forbidden');
    expect(permissionRefusal(null, 'create:case')?.code).toBe('unauthenticated');
  });

  it("knows a staff member's court, and grants only at that court", () => {
    const insurer: Actor = { ...actor('insurer_manager'), orgKind: 'insurer' };
    expect(courtIdOf(actor('court_clerk'))).toBe('o');
    expect(courtIdOf(insurer)).toBeNull();
    expect(courtOf(actor('court_clerk'))).toBe('o');
    expect(() => courtOf(insurer)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(grantedAtCourt(actor('court_clerk'), 'o', 'create:case')).toBe(true);
    expect(grantedAtCourt(actor('court_clerk'), 'another', 'create:case')).toBe(false);
    expect(grantedAtCourt(actor('court_panel'), 'o', 'create:case')).toBe(false);
  });

  it('lands each role on its dashboard', () => {
    expect(homePathFor(['bidder'])).toBe('/me');
    expect(homePathFor(['court_panel'])).toBe('/court');
    expect(homePathFor(['insurer_manager'])).toBe('/insurer');
    expect(homePathFor(['platform_admin'])).toBe('/admin');
  });
});
