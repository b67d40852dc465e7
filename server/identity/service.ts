import { and, asc, count, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.js';
import {
  identityVerifications,
  loginAttempts,
  type Organisation,
  organisations,
  type Role,
  sessions,
  type User,
  users,
} from '../../db/schema/identity.js';
import { recordAudit } from '../audit/audit.js';
import { bind } from '../bind.js';
import type { Clock } from '../clock.js';
import { DomainError, forbidden, isUniqueViolation, notFound } from '../errors.js';
import { scheduleJob } from '../jobs/schedule.js';
import { parseInput } from '../validation.js';
import * as accounts from './accounts.js';
import { dummyPasswordHash, hashPassword, newToken, sha256, verifyPassword } from './crypto.js';
import * as passwords from './passwords.js';
import { type Actor, requirePermission, STAFF_ROLES_BY_ORG_KIND } from './permissions.js';
import { sealIdentity } from './real-name.js';
import { CreateStaffSchema, LoginSchema, SignupSchema } from './schemas.js';
import type { IdentityVerifier } from './verification.js';
import * as verification from './verification.js';

export interface IdentityDeps {
  db: Database;
  clock: Clock;
  piiKey: Buffer;
  sessionTtlMs: number;
  loginPolicy: { maxFailures: number; lockMs: number; ipMaxFailures: number; ipWindowMs: number };
  /** Told after a session ends, so live sockets of that session are cut. */
  onSessionRevoked?: (sessionIds: string[]) => void;
  /** The identity-verification provider (ADR 028; config IDENTITY_VERIFIER). */
  verifier: IdentityVerifier;
  /** Sends a password-reset link through the notification channel (ADR 028). */
  sendResetLink?: (m: passwords.ResetMessage) => Promise<unknown>;
  onSendFailed?: (err: unknown) => void;
  resetPolicy?: passwords.ResetPolicy;
}

export interface RequestMeta {
  ip: string;
  userAgent?: string;
  requestId?: string;
}

/** What the rest of the app may know about the signed-in user. Never the ID number in clear. */
export interface CurrentUser {
  id: string;
  email: string;
  realName: string;
  roles: Role[];
  organisationId: string | null;
  organisation: Pick<Organisation, 'id' | 'kind' | 'code' | 'nameZh' | 'nameEn' | 'courtLevel'> | null;
  verification: User['verification'];
  nationalIdMasked: string | null;
  phone: string | null;
  /** An admin-set initial password not yet replaced (ADR 028): pages lead to /account/password. */
  mustChangePassword: boolean;
}

/** The signed-in user as the app may know him; null when disabled. */
function currentUserOf(user: User, org: Organisation | null): CurrentUser | null {
  // A suspended organisation's staff are nobody until it is reinstated (ADR 023).
  if (user.disabled || org?.suspendedAt) return null;
  return {
    id: user.id,
    email: user.email,
    realName: user.realName,
    roles: user.roles,
    organisationId: user.organisationId,
    organisation: org
      ? {
          id: org.id,
          kind: org.kind,
          code: org.code,
          nameZh: org.nameZh,
          nameEn: org.nameEn,
          courtLevel: org.courtLevel,
        }
      : null,
    verification: user.verification,
    nationalIdMasked: user.nationalIdMasked,
    phone: user.phone,
    mustChangePassword: user.mustChangePassword,
  };
}

export function createIdentityService(deps: IdentityDeps) {
  const { db, clock } = deps;

  async function loadCurrentUser(tx: Db, userId: string): Promise<CurrentUser | null> {
    const [row] = await tx
      .select({ user: users, org: organisations })
      .from(users)
      .leftJoin(organisations, eq(organisations.id, users.organisationId))
      .where(eq(users.id, userId))
      .limit(1);
    return row ? currentUserOf(row.user, row.org) : null;
  }

  async function startSession(tx: Db, userId: string, meta: RequestMeta) {
    const token = newToken();
    const expiresAt = new Date(clock().getTime() + deps.sessionTtlMs);
    await tx.insert(sessions).values({
      id: sha256(token),
      userId,
      createdAt: clock(),
      expiresAt,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300),
    });
    return { token, expiresAt };
  }

  /**
   * Bidders sign themselves up under their real name. The identity-verification provider is asked
   * at once (ADR 028) and its answer recorded: `verified` only when it said so, `rejected` with its
   * reason, `unverified` when it could not answer; the account page offers the check again. One
   * account per ID number (digest unique).
   */
  async function signup(input: unknown, meta: RequestMeta) {
    const data = parseInput(SignupSchema, input);
    const passwordHash = await hashPassword(data.password);
    // Sealed as a designated priority purchaser's ID is, so the two digests match (real-name.ts).
    const id = sealIdentity(deps.piiKey, 'person', data.nationalId);
    const answer = await deps.verifier.verify({ realName: data.realName, nationalId: data.nationalId });
    try {
      return await db.transaction(async (tx) => {
        const [user] = await tx
          .insert(users)
          .values({
            email: data.email,
            passwordHash,
            realName: data.realName,
            phone: data.phone,
            nationalIdCipher: id.cipher,
            nationalIdDigest: id.digest,
            nationalIdMasked: id.masked,
            roles: ['bidder'],
            verification:
              answer.outcome === 'verified'
                ? 'verified'
                : answer.outcome === 'rejected'
                  ? 'rejected'
                  : 'unverified',
            createdAt: clock(),
          })
          .returning({ id: users.id });
        await tx.insert(identityVerifications).values({
          userId: user!.id,
          provider: deps.verifier.name,
          outcome: answer.outcome,
          reason: answer.reason ?? null,
          reference: answer.reference ?? null,
          at: clock(),
        });
        await recordAudit(tx, {
          actorId: user!.id,
          action: 'user.signup',
          entityType: 'user',
          entityId: user!.id,
          requestId: meta.requestId,
        });
        const session = await startSession(tx, user!.id, meta);
        return { userId: user!.id, ...session };
      });
    } catch (e) {
      if (isUniqueViolation(e, 'users_email_key'))
        throw new DomainError('conflict', 'errors.emailTaken', {
          fieldErrors: { email: ['errors.emailTaken'] },
        });
      if (isUniqueViolation(e, 'users_national_id_digest_key'))
        throw new DomainError('conflict', 'errors.nationalIdTaken', {
          fieldErrors: { nationalId: ['errors.nationalIdTaken'] },
        });
      throw e;
    }
  }

  /**
   * Login with two limits: per account (N consecutive failures lock it for a while) and per IP
   * (M failures in a window refuse further attempts from that address).
   */
  async function login(input: unknown, meta: RequestMeta) {
    const { email: identifier, password } = parseInput(LoginSchema, input);
    // The attempts are recorded under what was typed (normalised): an e-mail or a phone number.
    const email = identifier.value;
    const policy = deps.loginPolicy;
    const now = clock();

    const [ipFailures] = await db
      .select({ n: count() })
      .from(loginAttempts)
      .where(
        and(
          eq(loginAttempts.ip, meta.ip),
          eq(loginAttempts.succeeded, false),
          gt(loginAttempts.at, new Date(now.getTime() - policy.ipWindowMs)),
        ),
      );
    if ((ipFailures?.n ?? 0) >= policy.ipMaxFailures) {
      throw new DomainError('rate_limited', 'errors.ipRateLimited', {
        params: { minutes: Math.ceil(policy.ipWindowMs / 60_000) },
      });
    }

    const user = await passwords.accountFor(db, identifier);
    const recordAttempt = (succeeded: boolean) =>
      db.insert(loginAttempts).values({ email, ip: meta.ip, succeeded, at: now });

    // An email without a usable account fails, counts and locks exactly as an account does:
    // the answers (attempts left, locked for how long) never tell whether an account exists.
    if (!user || user.disabled) {
      const state = await failuresOfEmail(email, now);
      if (state.lockedUntil && state.lockedUntil > now) {
        await recordAttempt(false);
        throw lockedError(state.lockedUntil, now);
      }
      await verifyPassword(await dummyPasswordHash(), password); // the same time as a real check
      await recordAttempt(false);
      const failures = state.failures + 1;
      if (failures >= policy.maxFailures) throw lockedError(new Date(now.getTime() + policy.lockMs), now);
      throw new DomainError('unauthenticated', 'errors.badCredentialsAttemptsLeft', {
        params: { left: policy.maxFailures - failures },
      });
    }

    if (user.lockedUntil && user.lockedUntil > now) {
      await recordAttempt(false);
      throw lockedError(user.lockedUntil, now);
    }

    const ok = await verifyPassword(user.passwordHash, password);
    // The right password of a suspended organisation's staff member: refused, and told why (ADR 023).
    if (ok && (await organisationSuspended(user.organisationId))) {
      await recordAttempt(false);
      throw new DomainError('unauthenticated', 'errors.organisationSuspended');
    }
    if (!ok) {
      await recordAttempt(false);
      // Atomic increment: concurrent failures are all counted.
      const [after] = await db
        .update(users)
        .set({ failedLoginCount: sql`${users.failedLoginCount} + 1` })
        .where(eq(users.id, user.id))
        .returning({ failures: users.failedLoginCount });
      if (after && after.failures >= policy.maxFailures) {
        const lockedUntil = new Date(now.getTime() + policy.lockMs);
        await db.transaction(async (tx) => {
          await tx.update(users).set({ lockedUntil, failedLoginCount: 0 }).where(eq(users.id, user.id));
          await recordAudit(tx, {
            actorId: null,
            action: 'user.locked',
            entityType: 'user',
            entityId: user.id,
            data: { until: lockedUntil.toISOString(), ip: meta.ip },
            requestId: meta.requestId,
          });
        });
        throw lockedError(lockedUntil, now);
      }
      const left = policy.maxFailures - (after?.failures ?? 0);
      throw new DomainError('unauthenticated', 'errors.badCredentialsAttemptsLeft', { params: { left } });
    }

    return db.transaction(async (tx) => {
      await tx
        .update(users)
        .set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: now })
        .where(eq(users.id, user.id));
      await tx.insert(loginAttempts).values({ email, ip: meta.ip, succeeded: true, at: now });
      await recordAudit(tx, {
        actorId: user.id,
        action: 'user.login',
        entityType: 'user',
        entityId: user.id,
        data: { ip: meta.ip },
        requestId: meta.requestId,
      });
      const session = await startSession(tx, user.id, meta);
      return {
        userId: user.id,
        roles: user.roles,
        mustChangePassword: user.mustChangePassword,
        ...session,
      };
    });
  }

  /**
   * The failure count and lock of an email that has no usable account, replayed from its recorded
   * attempts with the account's own rule: failures count until the limit, which locks for the
   * period and starts the count again; attempts while locked do not count. Attempts are kept for
   * at least a day (the prune job below), the horizon of this replay.
   */
  async function failuresOfEmail(email: string, now: Date) {
    const policy = deps.loginPolicy;
    const horizon = new Date(now.getTime() - Math.max(policy.ipWindowMs, policy.lockMs, 86_400_000));
    const rows = await db
      .select({ at: loginAttempts.at, succeeded: loginAttempts.succeeded })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.email, email), gt(loginAttempts.at, horizon)))
      .orderBy(asc(loginAttempts.at));
    let failures = 0;
    let lockedUntil: Date | null = null;
    for (const a of rows) {
      if (a.succeeded) {
        failures = 0;
        lockedUntil = null;
      } else if (!lockedUntil || a.at >= lockedUntil) {
        lockedUntil = null;
        failures += 1;
        if (failures >= policy.maxFailures) {
          lockedUntil = new Date(a.at.getTime() + policy.lockMs);
          failures = 0;
        }
      }
    }
    return { failures, lockedUntil };
  }

  async function organisationSuspended(organisationId: string | null): Promise<boolean> {
    if (!organisationId) return false;
    const [org] = await db
      .select({ suspendedAt: organisations.suspendedAt })
      .from(organisations)
      .where(eq(organisations.id, organisationId));
    return !!org?.suspendedAt;
  }

  function lockedError(until: Date, now: Date) {
    return new DomainError('locked', 'errors.accountLocked', {
      params: { minutes: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000)) },
    });
  }

  /** Resolves a cookie token to its live session and user; expired, revoked or disabled → null. */
  async function resolveSession(token: string | undefined) {
    if (!token || token.length > 100) return null;
    const id = sha256(token);
    // One query: every page and every socket's session check runs it.
    const [row] = await db
      .select({ session: sessions, user: users, org: organisations })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .leftJoin(organisations, eq(organisations.id, users.organisationId))
      .where(and(eq(sessions.id, id), isNull(sessions.revokedAt), gt(sessions.expiresAt, clock())))
      .limit(1);
    const user = row ? currentUserOf(row.user, row.org) : null;
    if (!row || !user) return null;
    const actor: Actor = {
      userId: user.id,
      sessionId: id,
      roles: user.roles,
      organisationId: user.organisationId,
      orgKind: user.organisation?.kind ?? null,
    };
    return { session: row.session, user, actor };
  }

  async function revokeSessions(ids: string[], reason: string, actorId: string | null) {
    if (ids.length === 0) return;
    await db.transaction(async (tx) => {
      for (const id of ids) {
        const [s] = await tx
          .update(sessions)
          .set({ revokedAt: clock() })
          .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
          .returning({ userId: sessions.userId });
        if (s)
          await recordAudit(tx, {
            actorId,
            action: 'session.revoked',
            entityType: 'user',
            entityId: s.userId,
            data: { reason },
          });
      }
    });
    deps.onSessionRevoked?.(ids);
  }

  /** Logout: the session is revoked in the database, not merely forgotten by the browser. */
  async function logout(actor: Actor) {
    await revokeSessions([actor.sessionId], 'logout', actor.userId);
  }

  /** An admin ends every session of a user of his organisation (the platform admin: anyone). */
  async function revokeUserSessions(actor: Actor, userId: string) {
    requirePermission(actor, 'revoke:session');
    const [target] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
    if (!target || !inScope(actor, target.organisationId)) throw notFound();
    const live = await db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, clock())));
    await revokeSessions(
      live.map((s) => s.id),
      'admin',
      actor.userId,
    );
    return live.length;
  }

  const inScope = (actor: Actor, organisationId: string | null) =>
    actor.roles.includes('platform_admin') ||
    (organisationId !== null && organisationId === actor.organisationId);

  /** Staff accounts are created by an admin of their organisation (or the platform admin). */
  async function createStaffUser(actor: Actor, input: unknown, meta: Partial<RequestMeta> = {}) {
    requirePermission(actor, 'create:staff-user');
    const data = parseInput(CreateStaffSchema, input);
    if (!inScope(actor, data.organisationId)) throw forbidden();
    const [org] = await db
      .select()
      .from(organisations)
      .where(eq(organisations.id, data.organisationId))
      .limit(1);
    if (!org) throw notFound();
    const allowed: readonly Role[] = STAFF_ROLES_BY_ORG_KIND[org.kind];
    const badRole = data.roles.find((r) => !allowed.includes(r));
    if (badRole)
      throw new DomainError('validation', 'errors.validation', {
        fieldErrors: { roles: ['validation.roleForOrg'] },
      });
    const passwordHash = await hashPassword(data.password);
    try {
      return await db.transaction(async (tx) => {
        const [user] = await tx
          .insert(users)
          .values({
            email: data.email,
            passwordHash,
            realName: data.realName,
            phone: data.phone,
            roles: data.roles,
            organisationId: org.id,
            // No identity number was checked: unverified until a verification happens (ADR 028).
            verification: 'unverified',
            // An initial password chosen by the admin: the user sets his own at first sign-in (ADR 028).
            mustChangePassword: true,
            createdBy: actor.userId,
            createdAt: clock(),
          })
          .returning({ id: users.id });
        await recordAudit(tx, {
          actorId: actor.userId,
          action: 'user.created',
          entityType: 'user',
          entityId: user!.id,
          data: { roles: data.roles, organisationId: org.id },
          requestId: meta.requestId,
        });
        return { id: user!.id };
      });
    } catch (e) {
      if (isUniqueViolation(e, 'users_email_key'))
        throw new DomainError('conflict', 'errors.emailTaken', {
          fieldErrors: { email: ['errors.emailTaken'] },
        });
      throw e;
    }
  }

  /** Staff of the organisations the actor administers. */
  async function listStaff(actor: Actor) {
    requirePermission(actor, 'read:staff-user');
    const scope = actor.roles.includes('platform_admin')
      ? sql`${users.organisationId} is not null`
      : eq(users.organisationId, actor.organisationId ?? '00000000-0000-0000-0000-000000000000');
    return db
      .select({
        id: users.id,
        email: users.email,
        realName: users.realName,
        roles: users.roles,
        organisationId: users.organisationId,
        orgNameZh: organisations.nameZh,
        orgNameEn: organisations.nameEn,
        lockedUntil: users.lockedUntil,
        lastLoginAt: users.lastLoginAt,
      })
      .from(users)
      .innerJoin(organisations, eq(organisations.id, users.organisationId))
      .where(scope)
      .orderBy(organisations.code, users.email);
  }

  /** Organisations the actor may create staff in. */
  async function staffOrganisations(actor: Actor) {
    requirePermission(actor, 'create:staff-user');
    const q = db.select().from(organisations);
    const orgs = await (actor.roles.includes('platform_admin')
      ? q.orderBy(organisations.kind, organisations.code)
      : q.where(eq(organisations.id, actor.organisationId ?? '00000000-0000-0000-0000-000000000000')));
    // The roles each may give its staff: what createStaffUser accepts, so the form offers no other.
    return orgs.map((o) => ({ ...o, roles: STAFF_ROLES_BY_ORG_KIND[o.kind] as readonly Role[] }));
  }

  /** Public list of courts (for the home page and court pages). */
  async function listCourts() {
    return db
      .select({
        id: organisations.id,
        code: organisations.code,
        nameZh: organisations.nameZh,
        nameEn: organisations.nameEn,
        courtLevel: organisations.courtLevel,
        province: organisations.province,
        city: organisations.city,
      })
      .from(organisations)
      .where(eq(organisations.kind, 'court'))
      .orderBy(organisations.code);
  }

  /**
   * Login attempts only matter inside the rate-limit windows; older rows are deleted by a daily
   * durable job that reschedules itself (the audit log keeps lockouts and logins).
   */
  const PRUNE_KEY = 'maintenance:prune-login-attempts';
  const jobHandlers = {
    'identity.prune-login-attempts': async (_job: unknown, ctx: { tx: Db; now: Date }) => {
      const horizon = new Date(
        ctx.now.getTime() - Math.max(deps.loginPolicy.ipWindowMs, deps.loginPolicy.lockMs, 86_400_000),
      );
      await ctx.tx.delete(loginAttempts).where(lt(loginAttempts.at, horizon));
      await scheduleJob(ctx.tx, {
        kind: 'identity.prune-login-attempts',
        key: PRUNE_KEY,
        runAt: new Date(ctx.now.getTime() + 86_400_000),
      });
    },
  };
  /** Called at boot: makes sure the daily pruning is scheduled (idempotent by key). */
  const scheduleMaintenance = () =>
    scheduleJob(db, { kind: 'identity.prune-login-attempts', key: PRUNE_KEY, runAt: clock() });

  const passwordDeps: passwords.PasswordDeps = {
    db,
    clock,
    onSessionRevoked: deps.onSessionRevoked,
    sendResetLink: deps.sendResetLink,
    onSendFailed: deps.onSendFailed,
    resetPolicy: deps.resetPolicy ?? passwords.DEFAULT_RESET_POLICY,
  };
  const accountDeps: accounts.AccountDeps = passwordDeps;
  const verificationDeps: verification.VerificationDeps = {
    db,
    clock,
    piiKey: deps.piiKey,
    verifier: deps.verifier,
  };
  return {
    jobHandlers,
    scheduleMaintenance,
    // Account administration and the audit viewer (accounts.ts, ADR 024)
    listAccounts: bind(accountDeps, accounts.listAccounts),
    accountDetail: bind(accountDeps, accounts.accountDetail),
    disableAccount: bind(accountDeps, accounts.disableAccount),
    enableAccount: bind(accountDeps, accounts.enableAccount),
    endAccountSessions: bind(accountDeps, accounts.endAccountSessions),
    setAccountRoles: bind(accountDeps, accounts.setAccountRoles),
    issuePasswordReset: bind(accountDeps, accounts.issuePasswordReset),
    passwordResetLink: bind(accountDeps, accounts.passwordResetLink),
    redeemPasswordReset: bind(accountDeps, accounts.redeemPasswordReset),
    auditEntries: bind(accountDeps, accounts.auditEntries),
    // A person's own password (passwords.ts, ADR 028)
    requestPasswordReset: bind(passwordDeps, passwords.requestPasswordReset),
    changeOwnPassword: bind(passwordDeps, passwords.changeOwnPassword),
    // Real-name verification (verification.ts, ADR 028)
    verificationState: bind(verificationDeps, verification.verificationState),
    verifyIdentity: bind(verificationDeps, verification.verifyIdentity),
    adminOrganisations: bind(accountDeps, accounts.adminOrganisations),
    signup,
    login,
    logout,
    resolveSession,
    revokeUserSessions,
    createStaffUser,
    listStaff,
    staffOrganisations,
    listCourts,
    loadCurrentUser: (userId: string) => loadCurrentUser(db, userId),
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
