import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit';
import { loginAttempts, organisations, sessions, users } from '../../db/schema/identity';
import { jobs } from '../../db/schema/jobs';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../server/demo/seed-accounts';
import { decrypt, keyedDigest } from '../../server/identity/crypto';
import { createJobRunner } from '../../server/jobs/runner';
import { createLogger } from '../../server/logger';
import { createTestDatabase } from '../support/db';
import { buildServices, caught, fakeClock, meta, signupInput, testConfig } from '../support/fixtures';

const config = testConfig();
const piiKey = Buffer.from(config.PII_ENCRYPTION_KEY, 'base64');
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const time = fakeClock();
let services: ReturnType<typeof buildServices>;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoAccounts(db.db, piiKey);
  services = buildServices(db, { clock: time.clock, config });
});
afterAll(() => db.drop());

describe('seed', () => {
  it('is idempotent', async () => {
    const before = await db.db.select({ n: sql<number>`count(*)::int` }).from(users);
    expect((await seedDemoAccounts(db.db, piiKey)).created).toBe(0);
    const after = await db.db.select({ n: sql<number>`count(*)::int` }).from(users);
    expect(after).toEqual(before);
  });

  it('holds courts at three levels in one province, an insurer and the platform', async () => {
    const orgs = await db.db.select().from(organisations);
    const courts = orgs.filter((o) => o.kind === 'court');
    expect(new Set(courts.map((c) => c.courtLevel))).toEqual(new Set(['high', 'intermediate', 'basic']));
    expect(new Set(courts.map((c) => c.province))).toEqual(new Set(['青海省']));
    expect(orgs.some((o) => o.kind === 'insurer')).toBe(true);
    expect(orgs.some((o) => o.kind === 'platform')).toBe(true);
  });
});

describe('signup', () => {
  it('creates a verified bidder (ID check character, one account per ID) with the ID encrypted, digested and masked', async () => {
    const input = signupInput();
    const { userId, token } = await services.identity.signup(input, meta);
    const [u] = await db.db.select().from(users).where(eq(users.id, userId));
    expect(u!.roles).toEqual(['bidder']);
    expect(u!.verification).toBe('verified');
    expect(u!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(u)).not.toContain(input.nationalId);
    expect(decrypt(piiKey, u!.nationalIdCipher!)).toBe(input.nationalId);
    expect(u!.nationalIdDigest).toBe(keyedDigest(piiKey, input.nationalId));
    expect(u!.nationalIdMasked).toBe(
      `${input.nationalId.slice(0, 3)}***********${input.nationalId.slice(-4)}`,
    );
    const resolved = await services.identity.resolveSession(token);
    expect(resolved?.user.id).toBe(userId);
    expect(resolved?.user.nationalIdMasked).toBe(u!.nationalIdMasked);
  });

  it('answers each bad field with its own message and writes nothing', async () => {
    const before = await db.db.select({ n: sql<number>`count(*)::int` }).from(users);
    const e = await caught(
      services.identity.signup(
        {
          email: 'not-an-email',
          password: 'short',
          realName: '',
          nationalId: '110105194912310021',
          phone: '12345',
        },
        meta,
      ),
    );
    expect(e.code).toBe('validation');
    expect(e.details.fieldErrors).toMatchObject({
      email: ['validation.email'],
      password: expect.arrayContaining(['validation.passwordTooShort']),
      realName: ['validation.realName'],
      nationalId: ['validation.nationalId'],
      phone: ['validation.phone'],
    });
    expect(await db.db.select({ n: sql<number>`count(*)::int` }).from(users)).toEqual(before);
  });

  it('refuses a second account for the same email (any case) or the same person', async () => {
    const input = signupInput();
    await services.identity.signup(input, meta);
    const dupEmail = await caught(
      services.identity.signup(signupInput({ email: input.email.toUpperCase() }), meta),
    );
    expect(dupEmail.code).toBe('conflict');
    expect(dupEmail.details.fieldErrors?.email).toEqual(['errors.emailTaken']);
    const dupPerson = await caught(
      services.identity.signup(signupInput({ nationalId: input.nationalId }), meta),
    );
    expect(dupPerson.details.fieldErrors?.nationalId).toEqual(['errors.nationalIdTaken']);
  });
});

describe('login and lockout', () => {
  const policy = { max: config.LOGIN_MAX_FAILURES, lockMs: config.LOGIN_LOCK_MINUTES * 60_000 };

  it('logs in a demo account and lands a live session', async () => {
    const r = await services.identity.login(
      { email: 'CLERK@demo.lastmile.test', password: DEMO_PASSWORD },
      meta,
    );
    expect(r.roles).toEqual(['court_clerk']);
    const s = await services.identity.resolveSession(r.token);
    expect(s?.actor.orgKind).toBe('court');
  });

  it('counts failures: one below the limit still lets the right password in and resets the count', async () => {
    const input = signupInput();
    await services.identity.signup(input, meta);
    for (let i = 1; i < policy.max; i++) {
      const e = await caught(
        services.identity.login({ email: input.email, password: 'wrong-password-1' }, meta),
      );
      expect(e.messageKey).toBe('errors.badCredentialsAttemptsLeft');
      expect(e.details.params?.left).toBe(policy.max - i);
    }
    await services.identity.login({ email: input.email, password: input.password }, meta);
    const [u] = await db.db.select().from(users).where(eq(users.email, input.email));
    expect(u!.failedLoginCount).toBe(0);
  });

  it(`locks the account at the ${config.LOGIN_MAX_FAILURES}th failure, refuses the right password while locked, and unlocks after the period`, async () => {
    const input = signupInput();
    await services.identity.signup(input, meta);
    for (let i = 1; i < policy.max; i++) {
      await caught(services.identity.login({ email: input.email, password: 'wrong-password-1' }, meta));
    }
    const locked = await caught(
      services.identity.login({ email: input.email, password: 'wrong-password-1' }, meta),
    );
    expect(locked.code).toBe('locked');
    expect(locked.details.params?.minutes).toBe(config.LOGIN_LOCK_MINUTES);

    const stillLocked = await caught(
      services.identity.login({ email: input.email, password: input.password }, meta),
    );
    expect(stillLocked.code).toBe('locked');

    time.advance(policy.lockMs - 1);
    expect((await caught(services.identity.login(input, meta))).code).toBe('locked');
    time.advance(1);
    const ok = await services.identity.login({ email: input.email, password: input.password }, meta);
    expect(ok.token).toBeTruthy();
    const audit = await db.db.select().from(auditLog).where(eq(auditLog.action, 'user.locked'));
    expect(audit.length).toBeGreaterThan(0);
  });

  it('does not reveal whether an email exists: the same answers, attempt by attempt, and the same lock', async () => {
    const real = signupInput();
    await services.identity.signup(real, meta);
    const unknown = `nobody.${process.pid}@example.test`;
    const answers = async (email: string) => {
      const out: unknown[] = [];
      const attempt = async (password: string) => {
        const e = await caught(services.identity.login({ email, password }, { ...meta, ip: '198.51.100.7' }));
        out.push({ code: e.code, key: e.messageKey, params: e.details.params });
      };
      for (let i = 0; i <= policy.max; i++) await attempt('wrong-password-1'); // one beyond the lock
      time.advance(policy.lockMs / 2);
      await attempt('wrong-password-1'); // still locked, for half the period
      time.advance(policy.lockMs / 2);
      await attempt('wrong-password-1'); // the lock is over: counting again
      return out;
    };
    const start = time.clock();
    const forReal = await answers(real.email);
    time.set(start);
    const forUnknown = await answers(unknown);
    expect(forUnknown).toEqual(forReal);
    expect(forReal[0]).toEqual({
      code: 'unauthenticated',
      key: 'errors.badCredentialsAttemptsLeft',
      params: { left: policy.max - 1 },
    });
    expect(forReal[policy.max - 1]).toMatchObject({ code: 'locked' });
    expect(forReal.at(-2)).toMatchObject({
      code: 'locked',
      params: { minutes: Math.ceil(config.LOGIN_LOCK_MINUTES / 2) },
    });
    expect(forReal.at(-1)).toMatchObject({ params: { left: policy.max - 1 } });
  });

  it('limits failures per IP address across accounts', async () => {
    const strict = buildServices(db, {
      clock: time.clock,
      config: testConfig({ LOGIN_IP_MAX_FAILURES: '3' }),
    });
    const ip = { ...meta, ip: '198.51.100.99' };
    for (let i = 0; i < 3; i++) {
      await caught(strict.identity.login({ email: `nobody${i}@example.test`, password: 'x' }, ip));
    }
    const e = await caught(
      strict.identity.login({ email: 'clerk@demo.lastmile.test', password: DEMO_PASSWORD }, ip),
    );
    expect(e.code).toBe('rate_limited');
    // Another address is unaffected.
    await strict.identity.login({ email: 'clerk@demo.lastmile.test', password: DEMO_PASSWORD }, meta);
  });
});

describe('sessions', () => {
  it('logout revokes the session in the database and tells listeners', async () => {
    const revoked: string[][] = [];
    services.events.on('session.revoked', ({ sessionIds }) => revoked.push(sessionIds));
    const r = await services.identity.login(
      { email: 'panel@demo.lastmile.test', password: DEMO_PASSWORD },
      meta,
    );
    const s = await services.identity.resolveSession(r.token);
    await services.identity.logout(s!.actor);
    expect(await services.identity.resolveSession(r.token)).toBeNull();
    const [row] = await db.db.select().from(sessions).where(eq(sessions.id, s!.actor.sessionId));
    expect(row!.revokedAt).not.toBeNull();
    expect(revoked).toContainEqual([s!.actor.sessionId]);
  });

  it('expire after their lifetime', async () => {
    const r = await services.identity.login(
      { email: 'panel@demo.lastmile.test', password: DEMO_PASSWORD },
      meta,
    );
    time.advance(config.SESSION_TTL_HOURS * 3_600_000 - 1);
    expect(await services.identity.resolveSession(r.token)).not.toBeNull();
    time.advance(1);
    expect(await services.identity.resolveSession(r.token)).toBeNull();
  });

  it('a disabled user’s live session resolves to nobody, and again once re-enabled', async () => {
    const r = await services.identity.login(
      { email: 'bidder2@demo.lastmile.test', password: DEMO_PASSWORD },
      meta,
    );
    const s = await services.identity.resolveSession(r.token);
    expect(s?.user.email).toBe('bidder2@demo.lastmile.test');
    await db.db.update(users).set({ disabled: true }).where(eq(users.id, s!.user.id));
    expect(await services.identity.resolveSession(r.token)).toBeNull();
    await db.db.update(users).set({ disabled: false }).where(eq(users.id, s!.user.id));
    expect((await services.identity.resolveSession(r.token))?.actor.userId).toBe(s!.user.id);
  });

  it('an unknown or forged token resolves to nobody', async () => {
    expect(await services.identity.resolveSession('forged')).toBeNull();
    expect(await services.identity.resolveSession(undefined)).toBeNull();
  });
});

describe('staff accounts', () => {
  async function actorFor(email: string) {
    const r = await services.identity.login({ email, password: DEMO_PASSWORD }, meta);
    return (await services.identity.resolveSession(r.token))!.actor;
  }
  const orgId = async (code: string) =>
    (await db.db.select().from(organisations).where(eq(organisations.code, code)))[0]!.id;
  const staff = (organisationId: string, roles: string[]) => ({
    email: `staff${Math.random().toString(36).slice(2)}@example.test`,
    password: 'staff-password-1',
    realName: '新同事',
    organisationId,
    roles,
  });

  it('a court admin creates a clerk in his own court', async () => {
    const admin = await actorFor('court-admin@demo.lastmile.test');
    const input = staff(await orgId('青0104'), ['court_clerk']);
    const { id } = await services.identity.createStaffUser(admin, input);
    const [u] = await db.db.select().from(users).where(eq(users.id, id));
    expect(u!.roles).toEqual(['court_clerk']);
    expect(u!.createdBy).toBe(admin.userId);
    const listed = await services.identity.listStaff(admin);
    expect(listed.map((s) => s.id)).toContain(id);
    expect(new Set(listed.map((s) => s.organisationId))).toEqual(new Set([admin.organisationId]));
  });

  it('a court admin cannot create staff in another court, nor give an insurer role', async () => {
    const admin = await actorFor('court-admin@demo.lastmile.test');
    expect(
      (await caught(services.identity.createStaffUser(admin, staff(await orgId('青01'), ['court_clerk']))))
        .code,
    ).toBe('forbidden');
    const e = await caught(
      services.identity.createStaffUser(admin, staff(await orgId('青0104'), ['insurer_adjuster'])),
    );
    expect(e.details.fieldErrors?.roles).toEqual(['validation.roleForOrg']);
  });

  it('a clerk or a bidder cannot create staff at all', async () => {
    const clerk = await actorFor('clerk@demo.lastmile.test');
    expect(
      (await caught(services.identity.createStaffUser(clerk, staff(await orgId('青0104'), ['court_clerk']))))
        .code,
    ).toBe('forbidden');
    const bidder = await actorFor('bidder@demo.lastmile.test');
    expect((await caught(services.identity.listStaff(bidder))).code).toBe('forbidden');
  });

  it('the platform admin creates insurer staff; an admin revoking a user ends his sessions', async () => {
    const admin = await actorFor('admin@demo.lastmile.test');
    const input = staff(await orgId('picc-qh'), ['insurer_adjuster']);
    const { id } = await services.identity.createStaffUser(admin, input);
    const login = await services.identity.login({ email: input.email, password: input.password }, meta);
    expect(await services.identity.revokeUserSessions(admin, id)).toBe(1);
    expect(await services.identity.resolveSession(login.token)).toBeNull();
    // An insurer manager cannot reach a court's staff.
    const manager = await actorFor('insurer@demo.lastmile.test');
    const clerk = await actorFor('clerk@demo.lastmile.test');
    expect((await caught(services.identity.revokeUserSessions(manager, clerk.userId))).code).toBe(
      'not_found',
    );
  });
});

describe('dashboards are scoped to the role', () => {
  it('court dashboard for court staff only', async () => {
    const r = await services.identity.login(
      { email: 'bidder@demo.lastmile.test', password: DEMO_PASSWORD },
      meta,
    );
    const bidder = (await services.identity.resolveSession(r.token))!.actor;
    expect((await caught(services.dashboard.court(bidder))).code).toBe('forbidden');
    const c = await services.identity.login(
      { email: 'clerk@demo.lastmile.test', password: DEMO_PASSWORD },
      meta,
    );
    const clerk = (await services.identity.resolveSession(c.token))!.actor;
    const d = await services.dashboard.court(clerk);
    expect(d.org.code).toBe('青0104');
    expect(d.parent?.code).toBe('青01');
    expect((await caught(services.dashboard.insurer(clerk))).code).toBe('forbidden');
  });
});

describe('maintenance', () => {
  it('prunes login attempts older than a day, keeps recent ones, and reschedules itself', async () => {
    const runner = createJobRunner({
      db: db.db,
      clock: time.clock,
      logger: createLogger(config),
      handlers: services.jobHandlers,
    });
    await caught(services.identity.login({ email: 'old@example.test', password: 'x' }, meta));
    time.advance(2 * 86_400_000);
    await caught(services.identity.login({ email: 'recent@example.test', password: 'x' }, meta));
    await services.identity.scheduleMaintenance();
    expect(await runner.runDue()).toBe(1);
    const left = await db.db.select({ email: loginAttempts.email }).from(loginAttempts);
    expect(left.map((r) => r.email)).toContain('recent@example.test');
    expect(left.map((r) => r.email)).not.toContain('old@example.test');
    const [next] = await db.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.key, 'maintenance:prune-login-attempts'), eq(jobs.status, 'pending')));
    expect(next!.runAt.getTime()).toBe(time.clock().getTime() + 86_400_000);
  });
});
