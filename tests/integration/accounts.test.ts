import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit';
import { passwordResets, users } from '../../db/schema/identity';
import { seedDemoAccounts } from '../../server/demo/seed-accounts';
import { type Actor, STAFF_ROLES_BY_ORG_KIND } from '../../server/identity/permissions';
import { StaffRoleSchema } from '../../server/identity/schemas';
import { actorFor } from '../support/court';
import { createTestDatabase } from '../support/db';
import { buildServices, caught, fakeClock, meta, testConfig } from '../support/fixtures';

const config = testConfig();
const piiKey = Buffer.from(config.PII_ENCRYPTION_KEY, 'base64');
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const time = fakeClock(new Date('2026-11-10T02:00:00Z'));
let services: ReturnType<typeof buildServices>;
let platform: Actor;
let courtAdmin: Actor;
let insurerAdmin: Actor;
const revoked: string[][] = [];
const PASSWORD = 'Staff2026password';

let serial = 0;
/** A new staff account of the actor's organisation, with a session of its own. */
async function staffOf(admin: Actor, roles: string[], realName = '测试职员') {
  serial += 1;
  const email = `acct${serial}.${process.pid}@test.lastmile`;
  const { id } = await services.identity.createStaffUser(admin, {
    email,
    password: PASSWORD,
    realName,
    organisationId: admin.organisationId,
    roles,
  });
  const session = await services.identity.login({ email, password: PASSWORD }, meta);
  return { id, email, token: session.token };
}

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, piiKey);
  services = buildServices(db, { clock: time.clock, config });
  services.events.on('session.revoked', ({ sessionIds }) => revoked.push(sessionIds));
  platform = await actorFor(services, 'admin@demo.lastmile.test');
  courtAdmin = await actorFor(services, 'court-admin@demo.lastmile.test');
  insurerAdmin = await actorFor(services, 'insurer@demo.lastmile.test');
});
afterAll(() => db.drop());

describe('the account list', () => {
  it("shows an organisation's admin his own staff only; the platform admin everyone, bidders too", async () => {
    const mine = await services.identity.listAccounts(courtAdmin, {}, 500);
    expect(mine.rows.length).toBeGreaterThan(0);
    expect(mine.rows.every((u) => u.organisationId === courtAdmin.organisationId)).toBe(true);
    const all = await services.identity.listAccounts(platform, { q: 'bidder@demo' });
    expect(all.rows.map((u) => u.email)).toEqual(['bidder@demo.lastmile.test']);
    const insurer = await services.identity.listAccounts(insurerAdmin, { q: 'bidder@demo' });
    expect(insurer.total).toBe(0);
  });

  it('searches by name and pages by keyset with the total of the filtered set, no row twice', async () => {
    for (let i = 0; i < 5; i++) await staffOf(courtAdmin, ['court_clerk'], `翻页书记员${i}`);
    const seen: string[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = await services.identity.listAccounts(courtAdmin, { q: '翻页书记员', before }, 2);
      expect(page.total).toBe(5);
      seen.push(...page.rows.map((r) => r.id));
      before = page.next ?? undefined;
      pages += 1;
    } while (before);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
  });

  it('filters by status: disabled accounts alone', async () => {
    const u = await staffOf(courtAdmin, ['court_clerk'], '停用筛选');
    await services.identity.disableAccount(courtAdmin, u.id, {});
    const page = await services.identity.listAccounts(courtAdmin, { status: 'disabled', q: '停用筛选' });
    expect(page.rows.map((r) => r.id)).toEqual([u.id]);
    const active = await services.identity.listAccounts(courtAdmin, { status: 'active', q: '停用筛选' });
    expect(active.total).toBe(0);
  });
});

describe('disabling an account', () => {
  it('ends its sessions at once, tells the sockets, refuses its login as an unknown one, and audits it', async () => {
    const u = await staffOf(courtAdmin, ['court_clerk']);
    expect(await services.identity.resolveSession(u.token)).not.toBeNull();
    revoked.length = 0;
    const r = await services.identity.disableAccount(courtAdmin, u.id, { reason: '离职' });
    expect(r).toEqual({ changed: true, sessionsEnded: 1 });
    expect(await services.identity.resolveSession(u.token)).toBeNull();
    expect(revoked.flat()).toHaveLength(1);
    const e = await caught(services.identity.login({ email: u.email, password: PASSWORD }, meta));
    expect(e.messageKey).toBe('errors.badCredentialsAttemptsLeft');
    const [entry] = await db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'user.disabled'), eq(auditLog.entityId, u.id)));
    expect(entry).toMatchObject({ actorId: courtAdmin.userId, data: { reason: '离职', sessionsEnded: 1 } });

    // A retried post changes nothing and writes no second entry.
    expect(await services.identity.disableAccount(courtAdmin, u.id, {})).toEqual({
      changed: false,
      sessionsEnded: 0,
    });
    const entries = await db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'user.disabled'), eq(auditLog.entityId, u.id)));
    expect(entries).toHaveLength(1);

    // Enabled again, the password works again.
    expect(await services.identity.enableAccount(courtAdmin, u.id, {})).toEqual({ changed: true });
    const back = await services.identity.login({ email: u.email, password: PASSWORD }, meta);
    expect(back.userId).toBe(u.id);
  });

  it("refuses an admin disabling himself, and another organisation's account is not found", async () => {
    expect(
      (await caught(services.identity.disableAccount(courtAdmin, courtAdmin.userId, {}))).messageKey,
    ).toBe('accounts.errors.notSelf');
    const insurerStaff = await staffOf(insurerAdmin, ['insurer_adjuster']);
    expect((await caught(services.identity.disableAccount(courtAdmin, insurerStaff.id, {}))).code).toBe(
      'not_found',
    );
    const [still] = await db.db.select().from(users).where(eq(users.id, insurerStaff.id));
    expect(still!.disabled).toBe(false);
  });

  it('is refused to a clerk (no grant)', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    const u = await staffOf(courtAdmin, ['court_clerk']);
    expect((await caught(services.identity.disableAccount(clerk, u.id, {}))).code).toBe('forbidden');
  });

  it('lets the platform admin disable a bidder', async () => {
    const bidder = await actorFor(services, 'bidder2@demo.lastmile.test');
    const r = await services.identity.disableAccount(platform, bidder.userId, {});
    expect(r.changed).toBe(true);
    expect(r.sessionsEnded).toBeGreaterThan(0);
    await services.identity.enableAccount(platform, bidder.userId, {});
  });
});

describe('editing roles', () => {
  it("sets roles within the organisation's kind, audited with the old and new sets", async () => {
    const u = await staffOf(courtAdmin, ['court_clerk']);
    await services.identity.setAccountRoles(courtAdmin, u.id, { roles: ['court_clerk', 'court_panel'] });
    const [after] = await db.db.select().from(users).where(eq(users.id, u.id));
    expect(after!.roles).toEqual(['court_clerk', 'court_panel']);
    const [entry] = await db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'user.roles-changed'), eq(auditLog.entityId, u.id)));
    expect(entry!.data).toEqual({ from: ['court_clerk'], to: ['court_clerk', 'court_panel'] });
    // The session reads the new roles at its next request.
    expect((await services.identity.resolveSession(u.token))!.actor.roles).toEqual([
      'court_clerk',
      'court_panel',
    ]);
  });

  it('a court admin creates a court president (院长) account, as every staff role its organisation may give', async () => {
    // The form offers each organisation's roles (STAFF_ROLES_BY_ORG_KIND); creating one must accept them all.
    expect([...StaffRoleSchema.options].sort()).toEqual(Object.values(STAFF_ROLES_BY_ORG_KIND).flat().sort());
    const president = await staffOf(courtAdmin, ['court_president'], '院长测试');
    expect((await services.identity.resolveSession(president.token))!.actor.roles).toEqual([
      'court_president',
    ]);
  });

  it("refuses an insurer's role for a court's staff, and no role at all, changing nothing", async () => {
    const u = await staffOf(courtAdmin, ['court_clerk']);
    const e = await caught(
      services.identity.setAccountRoles(courtAdmin, u.id, { roles: ['insurer_manager'] }),
    );
    expect(e.details.fieldErrors).toEqual({ roles: ['validation.roleForOrg'] });
    const none = await caught(services.identity.setAccountRoles(courtAdmin, u.id, { roles: [] }));
    expect(none.details.fieldErrors).toEqual({ roles: ['validation.role'] });
    const [after] = await db.db.select().from(users).where(eq(users.id, u.id));
    expect(after!.roles).toEqual(['court_clerk']);
  });

  it('refuses an admin taking his own admin role, but lets him add one beside it', async () => {
    const e = await caught(
      services.identity.setAccountRoles(courtAdmin, courtAdmin.userId, { roles: ['court_clerk'] }),
    );
    expect(e.details.fieldErrors).toEqual({ roles: ['accounts.errors.ownAdminRole'] });
    await services.identity.setAccountRoles(courtAdmin, courtAdmin.userId, {
      roles: ['court_admin', 'court_clerk'],
    });
    await services.identity.setAccountRoles(courtAdmin, courtAdmin.userId, { roles: ['court_admin'] });
    const [me] = await db.db.select().from(users).where(eq(users.id, courtAdmin.userId));
    expect(me!.roles).toEqual(['court_admin']);
  });

  it("lets another admin take an admin's role (only his own is protected)", async () => {
    const second = await staffOf(courtAdmin, ['court_admin']);
    await services.identity.setAccountRoles(courtAdmin, second.id, { roles: ['court_clerk'] });
    const [after] = await db.db.select().from(users).where(eq(users.id, second.id));
    expect(after!.roles).toEqual(['court_clerk']);
  });
});

describe('password reset links', () => {
  it('work once: the new password works, the old does not, every session ends, the lock is lifted', async () => {
    const u = await staffOf(courtAdmin, ['court_clerk']);
    await db.db
      .update(users)
      .set({ lockedUntil: new Date(time.clock().getTime() + 3_600_000) })
      .where(eq(users.id, u.id));
    const { token } = await services.identity.issuePasswordReset(courtAdmin, u.id);
    const [row] = await db.db.select().from(passwordResets).where(eq(passwordResets.userId, u.id));
    expect(row!.tokenHash).not.toContain(token); // only the digest is kept
    expect(await services.identity.passwordResetLink(token)).toMatchObject({ realName: '测试职员' });

    const mismatch = await caught(
      services.identity.redeemPasswordReset(token, { password: 'NewPassword2026', confirm: 'other' }),
    );
    expect(mismatch.details.fieldErrors).toEqual({ confirm: ['accounts.reset.mismatch'] });

    await services.identity.redeemPasswordReset(token, {
      password: 'NewPassword2026',
      confirm: 'NewPassword2026',
    });
    expect(await services.identity.resolveSession(u.token)).toBeNull();
    await caught(services.identity.login({ email: u.email, password: PASSWORD }, meta));
    const ok = await services.identity.login({ email: u.email, password: 'NewPassword2026' }, meta);
    expect(ok.userId).toBe(u.id);

    const again = await caught(
      services.identity.redeemPasswordReset(token, {
        password: 'Another2026pass',
        confirm: 'Another2026pass',
      }),
    );
    expect(again.messageKey).toBe('accounts.reset.invalid');
    expect(await services.identity.passwordResetLink(token)).toBeNull();
    const actions = await db.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entityId, u.id), sql`${auditLog.action} like 'user.password-reset%'`))
      .orderBy(auditLog.id);
    expect(actions.map((a) => a.action)).toEqual(['user.password-reset-issued', 'user.password-reset-used']);
  });

  it('a new link voids the earlier one; a link expires after a day; a disabled account cannot use one', async () => {
    const u = await staffOf(courtAdmin, ['court_clerk']);
    const first = await services.identity.issuePasswordReset(courtAdmin, u.id);
    const second = await services.identity.issuePasswordReset(courtAdmin, u.id);
    expect(await services.identity.passwordResetLink(first.token)).toBeNull();
    expect(await services.identity.passwordResetLink(second.token)).not.toBeNull();

    time.advance(24 * 3_600_000 - 1000);
    expect(await services.identity.passwordResetLink(second.token)).not.toBeNull();
    time.advance(1000);
    expect(await services.identity.passwordResetLink(second.token)).toBeNull();
    const expired = await caught(
      services.identity.redeemPasswordReset(second.token, {
        password: 'NewPassword2026',
        confirm: 'NewPassword2026',
      }),
    );
    expect(expired.code).toBe('not_found');

    const third = await services.identity.issuePasswordReset(courtAdmin, u.id);
    await services.identity.disableAccount(courtAdmin, u.id, {});
    expect(await services.identity.passwordResetLink(third.token)).toBeNull();
    await caught(
      services.identity.redeemPasswordReset(third.token, {
        password: 'NewPassword2026',
        confirm: 'NewPassword2026',
      }),
    );
    const [after] = await db.db.select().from(users).where(eq(users.id, u.id));
    expect(after!.passwordHash).not.toBe('');
    // The failed redemption rolled back: the link is not spent.
    const [reset] = await db.db
      .select()
      .from(passwordResets)
      .where(eq(passwordResets.userId, u.id))
      .orderBy(desc(passwordResets.createdAt))
      .limit(1);
    expect(reset!.usedAt).toBeNull();
    expect((await caught(services.identity.issuePasswordReset(courtAdmin, u.id))).messageKey).toBe(
      'accounts.errors.disabled',
    );
  });
});

describe('the audit viewer', () => {
  it('filters by actor, action prefix, object and day; pages by keyset with the total', async () => {
    const u = await staffOf(courtAdmin, ['court_clerk'], '审计对象');
    await services.identity.disableAccount(courtAdmin, u.id, {});
    await services.identity.enableAccount(courtAdmin, u.id, {});
    await services.identity.disableAccount(courtAdmin, u.id, {});

    const byObject = await services.identity.auditEntries(courtAdmin, { entityType: 'user', entityId: u.id });
    expect(byObject.rows.map((r) => r.action)).toEqual([
      'user.disabled',
      'user.enabled',
      'user.disabled',
      'user.login',
      'user.created',
    ]);
    const disables = await services.identity.auditEntries(courtAdmin, { entityId: u.id, action: 'user.dis' });
    expect(disables.total).toBe(2);
    const byActor = await services.identity.auditEntries(courtAdmin, { actor: '赵主任', entityId: u.id });
    expect(byActor.total).toBe(4);
    expect(byActor.rows.every((r) => r.actorId === courtAdmin.userId)).toBe(true);

    const page1 = await services.identity.auditEntries(courtAdmin, { entityId: u.id }, 2);
    expect(page1.total).toBe(5);
    const page2 = await services.identity.auditEntries(courtAdmin, { entityId: u.id, before: page1.next }, 2);
    const page3 = await services.identity.auditEntries(courtAdmin, { entityId: u.id, before: page2.next }, 2);
    expect([...page1.rows, ...page2.rows, ...page3.rows].map((r) => r.id)).toEqual(
      byObject.rows.map((r) => r.id),
    );
    expect(page3.next).toBeNull();

    // Days of the Beijing calendar (the log is stamped by the database's clock): the entries'
    // own day finds them, the day before does not.
    const at = new Date(byObject.rows[0]!.at);
    const day = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const today = await services.identity.auditEntries(courtAdmin, {
      entityId: u.id,
      from: day(at),
      to: day(at),
    });
    expect(today.total).toBe(5);
    const yesterday = day(new Date(at.getTime() - 86_400_000 * 2));
    const before = await services.identity.auditEntries(courtAdmin, { entityId: u.id, to: yesterday });
    expect(before.total).toBe(0);
  });

  it("shows an organisation's admin his own organisation only; the platform admin filters by organisation", async () => {
    const theirs = await staffOf(insurerAdmin, ['insurer_adjuster']);
    await services.identity.disableAccount(insurerAdmin, theirs.id, {});
    const court = await services.identity.auditEntries(courtAdmin, { entityId: theirs.id });
    expect(court.total).toBe(0);
    const insurer = await services.identity.auditEntries(insurerAdmin, { entityId: theirs.id });
    expect(insurer.total).toBeGreaterThan(0);
    const platformView = await services.identity.auditEntries(platform, {
      entityId: theirs.id,
      organisationId: insurerAdmin.organisationId!,
    });
    expect(platformView.rows.map((r) => r.action)).toContain('user.disabled');
    const wrongOrg = await services.identity.auditEntries(platform, {
      entityId: theirs.id,
      action: 'user.disabled',
      organisationId: courtAdmin.organisationId!,
    });
    expect(wrongOrg.total).toBe(0);
  });

  it('is refused to a clerk', async () => {
    const clerk = await actorFor(services, 'clerk@demo.lastmile.test');
    expect((await caught(services.identity.auditEntries(clerk, {}))).code).toBe('forbidden');
  });
});
