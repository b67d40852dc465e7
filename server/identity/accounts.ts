/**
 * Account administration (ADR 024): the list of accounts with search and keyset paging,
 * disabling and enabling (the account's sessions end in the same transaction), editing roles,
 * one-time password-reset links, and the audit viewer. Every change writes its audit entry in
 * the transaction that makes it; the rules are in account-rules.ts.
 */
import { and, count, desc, eq, gt, gte, ilike, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { auditLog } from '../../db/schema/audit.js';
import { organisations, passwordResets, type Role, role, sessions, users } from '../../db/schema/identity.js';
import { recordAudit } from '../audit/audit.js';
import type { Clock } from '../clock.js';
import { DomainError, notFound } from '../errors.js';
import { containing, keysetCursor, keysetPage, olderThan } from '../keyset.js';
import { isUuid, parseInput } from '../validation.js';
import {
  type AccountTarget,
  AUDIT_EXPORT_MAX,
  accountAffordances,
  administers,
  assignableRoles,
  rolesRefusal,
} from './account-rules.js';
import { hashPassword, sha256 } from './crypto.js';
import { issueResetToken, type ResetMessage } from './passwords.js';
import { type Actor, requirePermission } from './permissions.js';
import { PasswordSchema } from './schemas.js';

export interface AccountDeps {
  db: Database;
  clock: Clock;
  /** Told after commit which sessions ended, so their live sockets (and open pages) are cut. */
  onSessionRevoked?: (sessionIds: string[]) => void;
  /** The notification channel's sender of reset links (ADR 028). */
  sendResetLink?: (m: ResetMessage) => Promise<unknown>;
  onSendFailed?: (err: unknown) => void;
}

interface Meta {
  requestId?: string;
  /** The page's language: a message's, where the person has not chosen one. */
  locale?: string;
}

export const ACCOUNT_PAGE = 50;
export const AUDIT_PAGE = 50;
/** A reset link works for a day: long enough to reach its owner, short enough to go stale. */
export const RESET_TTL_MS = 24 * 3_600_000;

const NO_ORG = '00000000-0000-0000-0000-000000000000';
const ACCOUNT_STATUSES = ['active', 'disabled', 'locked'] as const;

export const AccountFilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  organisationId: z.uuid().optional().catch(undefined),
  role: z.enum(role.enumValues).optional().catch(undefined),
  status: z.enum(ACCOUNT_STATUSES).optional().catch(undefined),
  before: z.string().max(100).optional().catch(undefined),
});
export type AccountFilter = z.infer<typeof AccountFilterSchema>;

/** The accounts the actor administers: staff of his organisation; for the platform admin, everyone. */
function accountScope(actor: Actor): SQL | undefined {
  return actor.roles.includes('platform_admin')
    ? undefined
    : eq(users.organisationId, actor.organisationId ?? NO_ORG);
}

export async function listAccounts(
  deps: AccountDeps,
  actor: Actor | null,
  input: unknown,
  limit: number = ACCOUNT_PAGE,
) {
  const me = requirePermission(actor, 'manage:user-account');
  const f = AccountFilterSchema.parse(input ?? {});
  const now = deps.clock();
  const where = and(
    accountScope(me),
    f.q
      ? or(
          ilike(users.email, containing(f.q)),
          ilike(users.realName, containing(f.q)),
          ilike(users.phone, containing(f.q)),
        )
      : undefined,
    f.organisationId && me.roles.includes('platform_admin')
      ? eq(users.organisationId, f.organisationId)
      : undefined,
    f.role ? sql`${f.role}::role = any(${users.roles})` : undefined,
    f.status === 'disabled' ? eq(users.disabled, true) : undefined,
    f.status === 'active' ? eq(users.disabled, false) : undefined,
    f.status === 'locked' ? gt(users.lockedUntil, now) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    deps.db
      .select({
        id: users.id,
        email: users.email,
        realName: users.realName,
        roles: users.roles,
        disabled: users.disabled,
        lockedUntil: users.lockedUntil,
        lastLoginAt: users.lastLoginAt,
        createdAt: users.createdAt,
        organisationId: users.organisationId,
        orgKind: organisations.kind,
        orgNameZh: organisations.nameZh,
        orgNameEn: organisations.nameEn,
      })
      .from(users)
      .leftJoin(organisations, eq(organisations.id, users.organisationId))
      .where(
        // Keyset: newest first by creation, ties by id.
        and(where, olderThan(users.createdAt, users.id, f.before)),
      )
      .orderBy(desc(users.createdAt), desc(users.id))
      .limit(limit + 1),
    deps.db.select({ n: count() }).from(users).where(where),
  ]);
  const { rows: shown, next } = keysetPage(rows, limit, (u) => keysetCursor(u.createdAt, u.id));
  return {
    rows: shown.map((u) => ({
      ...u,
      locked: u.lockedUntil !== null && u.lockedUntil > now,
      self: u.id === me.userId,
    })),
    total: total?.n ?? 0,
    next,
    filter: f,
  };
}

async function loadTarget(deps: AccountDeps, actor: Actor, userId: string) {
  if (!isUuid(userId)) throw notFound();
  const [row] = await deps.db
    .select({ user: users, org: organisations })
    .from(users)
    .leftJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(users.id, userId))
    .limit(1);
  // Another organisation's account is not found, never "forbidden": its existence is not told.
  if (!row || !administers(actor, row.user)) throw notFound();
  const target: AccountTarget = {
    id: row.user.id,
    organisationId: row.user.organisationId,
    orgKind: row.org?.kind ?? null,
    roles: row.user.roles,
    disabled: row.user.disabled,
  };
  return { ...row, target };
}

/** One account as its admin sees it: what he may do now, its live sessions, its latest audit entries. */
export async function accountDetail(deps: AccountDeps, actor: Actor | null, userId: string) {
  const me = requirePermission(actor, 'manage:user-account');
  const { user, org, target } = await loadTarget(deps, me, userId);
  const now = deps.clock();
  const [[live], [reset], recent] = await Promise.all([
    deps.db
      .select({ n: count() })
      .from(sessions)
      .where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt), gt(sessions.expiresAt, now))),
    deps.db
      .select({ expiresAt: passwordResets.expiresAt, createdAt: passwordResets.createdAt })
      .from(passwordResets)
      .where(
        and(
          eq(passwordResets.userId, user.id),
          isNull(passwordResets.usedAt),
          isNull(passwordResets.voidedAt),
          gt(passwordResets.expiresAt, now),
        ),
      )
      .orderBy(desc(passwordResets.createdAt))
      .limit(1),
    deps.db
      .select({ id: auditLog.id, at: auditLog.at, action: auditLog.action, actor: users.realName })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(and(eq(auditLog.entityType, 'user'), eq(auditLog.entityId, user.id)))
      .orderBy(desc(auditLog.id))
      .limit(10),
  ]);
  return {
    account: {
      id: user.id,
      email: user.email,
      realName: user.realName,
      phone: user.phone,
      roles: user.roles,
      disabled: user.disabled,
      locked: user.lockedUntil !== null && user.lockedUntil > now,
      lockedUntil: user.lockedUntil,
      lastLoginAt: user.lastLoginAt,
      createdAt: user.createdAt,
      organisation: org ? { id: org.id, kind: org.kind, nameZh: org.nameZh, nameEn: org.nameEn } : null,
    },
    liveSessions: live?.n ?? 0,
    pendingReset: reset ?? null,
    recent,
    assignableRoles: assignableRoles(target),
    can: accountAffordances(me, target),
    self: user.id === me.userId,
  };
}

const ReasonSchema = z.object({
  reason: z.string().trim().max(500, { error: 'validation.tooLong' }).optional(),
});

/** Ends every live session of the user inside `tx`; the ids, for the sockets, once committed. */
async function endSessions(
  tx: Parameters<Parameters<Database['transaction']>[0]>[0],
  userId: string,
  at: Date,
) {
  const ended = await tx
    .update(sessions)
    .set({ revokedAt: at })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, at)))
    .returning({ id: sessions.id });
  return ended.map((s) => s.id);
}

/**
 * Disables the account: it cannot log in (login refuses it as it refuses an unknown email), its
 * sessions end now and its open pages are told at once; API tokens acting as it stop working.
 * Disabling a disabled account changes nothing (a retried post).
 */
export async function disableAccount(
  deps: AccountDeps,
  actor: Actor | null,
  userId: string,
  input: unknown,
  meta: Meta = {},
) {
  const me = requirePermission(actor, 'manage:user-account');
  const { reason } = parseInput(ReasonSchema, input ?? {});
  const { target } = await loadTarget(deps, me, userId);
  if (!accountAffordances(me, target).disable && !target.disabled)
    throw new DomainError('conflict', 'accounts.errors.notSelf');
  const now = deps.clock();
  const ended = await deps.db.transaction(async (tx) => {
    const [changed] = await tx
      .update(users)
      .set({ disabled: true })
      .where(and(eq(users.id, userId), eq(users.disabled, false)))
      .returning({ id: users.id });
    if (!changed) return null;
    const ids = await endSessions(tx, userId, now);
    await recordAudit(tx, {
      actorId: me.userId,
      action: 'user.disabled',
      entityType: 'user',
      entityId: userId,
      data: { reason: reason ?? null, sessionsEnded: ids.length },
      requestId: meta.requestId,
    });
    return ids;
  });
  if (ended && ended.length > 0) deps.onSessionRevoked?.(ended);
  return { changed: ended !== null, sessionsEnded: ended?.length ?? 0 };
}

/** Enables a disabled account again; it logs in with its password (or a reset link). Idempotent. */
export async function enableAccount(
  deps: AccountDeps,
  actor: Actor | null,
  userId: string,
  input: unknown,
  meta: Meta = {},
) {
  const me = requirePermission(actor, 'manage:user-account');
  const { reason } = parseInput(ReasonSchema, input ?? {});
  const { target } = await loadTarget(deps, me, userId);
  if (!accountAffordances(me, target).enable && target.disabled)
    throw new DomainError('conflict', 'accounts.errors.notSelf');
  return deps.db.transaction(async (tx) => {
    const [changed] = await tx
      .update(users)
      .set({ disabled: false })
      .where(and(eq(users.id, userId), eq(users.disabled, true)))
      .returning({ id: users.id });
    if (changed)
      await recordAudit(tx, {
        actorId: me.userId,
        action: 'user.enabled',
        entityType: 'user',
        entityId: userId,
        data: { reason: reason ?? null },
        requestId: meta.requestId,
      });
    return { changed: !!changed };
  });
}

/** Ends the account's sessions without disabling it (a lost phone). */
export async function endAccountSessions(
  deps: AccountDeps,
  actor: Actor | null,
  userId: string,
  meta: Meta = {},
) {
  const me = requirePermission(actor, 'manage:user-account');
  const { target } = await loadTarget(deps, me, userId);
  if (!accountAffordances(me, target).endSessions)
    throw new DomainError('conflict', 'accounts.errors.notSelf');
  const ended = await deps.db.transaction(async (tx) => {
    const ids = await endSessions(tx, userId, deps.clock());
    if (ids.length > 0)
      await recordAudit(tx, {
        actorId: me.userId,
        action: 'user.sessions-ended',
        entityType: 'user',
        entityId: userId,
        data: { sessionsEnded: ids.length },
        requestId: meta.requestId,
      });
    return ids;
  });
  if (ended.length > 0) deps.onSessionRevoked?.(ended);
  return { sessionsEnded: ended.length };
}

const RolesSchema = z.object({
  roles: z.array(z.enum(role.enumValues, { error: 'validation.role' }), { error: 'validation.role' }),
});

/**
 * Sets the account's roles within its organisation's kind. Takes effect at the user's next
 * request (sessions read the roles each time); the old and new sets are in the audit entry.
 */
export async function setAccountRoles(
  deps: AccountDeps,
  actor: Actor | null,
  userId: string,
  input: unknown,
  meta: Meta = {},
) {
  const me = requirePermission(actor, 'manage:user-account');
  const { roles: asked } = parseInput(RolesSchema, input);
  const { target } = await loadTarget(deps, me, userId);
  if (!accountAffordances(me, target).editRoles)
    throw new DomainError('conflict', 'accounts.errors.rolesFixed');
  const roles = [...new Set(asked)] as Role[];
  const refusal = rolesRefusal(me, target, roles);
  if (refusal) throw refusal;
  const same = roles.length === target.roles.length && roles.every((r) => target.roles.includes(r));
  if (same) return { changed: false };
  return deps.db.transaction(async (tx) => {
    await tx.update(users).set({ roles }).where(eq(users.id, userId));
    await recordAudit(tx, {
      actorId: me.userId,
      action: 'user.roles-changed',
      entityType: 'user',
      entityId: userId,
      data: { from: target.roles, to: roles },
      requestId: meta.requestId,
    });
    return { changed: true };
  });
}

/**
 * Issues a one-time reset link for the account and voids any earlier one. The token is returned
 * once, to be shown to the admin who hands it over; only its SHA-256 is kept.
 */
export async function issuePasswordReset(
  deps: AccountDeps,
  actor: Actor | null,
  userId: string,
  meta: Meta = {},
) {
  const me = requirePermission(actor, 'manage:user-account');
  const { user, target } = await loadTarget(deps, me, userId);
  if (!accountAffordances(me, target).resetPassword)
    throw new DomainError(
      'conflict',
      target.disabled ? 'accounts.errors.disabled' : 'accounts.errors.notSelf',
    );
  const now = deps.clock();
  const link = await deps.db.transaction(async (tx) => {
    // The same rule as a link the person asks for himself (passwords.ts).
    const issued = await issueResetToken(tx, { userId, createdBy: me.userId, now, ttlMs: RESET_TTL_MS });
    await recordAudit(tx, {
      actorId: me.userId,
      action: 'user.password-reset-issued',
      entityType: 'user',
      entityId: userId,
      // The reset's id, never the token.
      data: { resetId: issued.resetId, expiresAt: issued.expiresAt.toISOString() },
      requestId: meta.requestId,
    });
    return issued;
  });
  // Sent to the account's e-mail through the notification channel (ADR 028), as a link the person
  // asks for is; still shown once to the admin, for a person whose mail does not arrive.
  const sentTo = deps.sendResetLink ? maskEmail(user.email) : null;
  deps
    .sendResetLink?.({
      userId,
      channel: 'email',
      address: user.email,
      name: user.realName,
      token: link.token,
      expiresAt: link.expiresAt,
      locale: meta.locale ?? 'zh-CN',
      reference: link.resetId,
    })
    .catch((err) => deps.onSendFailed?.(err));
  return { token: link.token, expiresAt: link.expiresAt, sentTo };
}

/** "zhang***@example.cn": whose it is, not the whole of it. */
const maskEmail = (email: string) => {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, Math.min(3, local.length))}***@${domain}`;
};

/** The live reset a token names, or null (unknown, used, voided, expired, or its account disabled). */
async function liveReset(deps: AccountDeps, token: string) {
  if (!token || token.length > 100) return null;
  const [row] = await deps.db
    .select({ reset: passwordResets, user: users })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(
      and(
        eq(passwordResets.tokenHash, sha256(token)),
        isNull(passwordResets.usedAt),
        isNull(passwordResets.voidedAt),
        gt(passwordResets.expiresAt, deps.clock()),
        eq(users.disabled, false),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** For the reset page: whose link it is (the name only), or null when it no longer works. */
export async function passwordResetLink(deps: AccountDeps, token: string) {
  const row = await liveReset(deps, token);
  return row ? { realName: row.user.realName, expiresAt: row.reset.expiresAt } : null;
}

const NewPasswordSchema = z
  .object({ password: PasswordSchema, confirm: z.string({ error: 'validation.required' }) })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], error: 'accounts.reset.mismatch' });

/**
 * Sets the new password through a live link: the link is spent, every session of the account
 * ends (whoever held one has to log in with the new password) and a lock from failed attempts
 * is lifted. A spent or expired link changes nothing.
 */
export async function redeemPasswordReset(deps: AccountDeps, token: string, input: unknown, meta: Meta = {}) {
  const { password } = parseInput(NewPasswordSchema, input);
  const passwordHash = await hashPassword(password);
  const now = deps.clock();
  const ended = await deps.db.transaction(async (tx) => {
    const [spent] = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResets.tokenHash, sha256(token)),
          isNull(passwordResets.usedAt),
          isNull(passwordResets.voidedAt),
          gt(passwordResets.expiresAt, now),
        ),
      )
      .returning({ id: passwordResets.id, userId: passwordResets.userId });
    if (!spent) throw new DomainError('not_found', 'accounts.reset.invalid');
    const [user] = await tx
      .update(users)
      .set({ passwordHash, failedLoginCount: 0, lockedUntil: null, mustChangePassword: false })
      .where(and(eq(users.id, spent.userId), eq(users.disabled, false)))
      .returning({ id: users.id });
    // A disabled account's link does nothing (the update above is rolled back with the throw).
    if (!user) throw new DomainError('not_found', 'accounts.reset.invalid');
    const ids = await endSessions(tx, user.id, now);
    await recordAudit(tx, {
      actorId: user.id,
      action: 'user.password-reset-used',
      entityType: 'user',
      entityId: user.id,
      data: { resetId: spent.id, sessionsEnded: ids.length },
      requestId: meta.requestId,
    });
    return ids;
  });
  if (ended.length > 0) deps.onSessionRevoked?.(ended);
  return { ok: true as const };
}

/** yyyy-mm-dd, a day of the Beijing calendar. */
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00+08:00`)));

export const AuditFilterSchema = z.object({
  /** Part of the actor's name or e-mail. */
  actor: z.string().trim().max(100).optional().catch(undefined),
  actorId: z.uuid().optional().catch(undefined),
  /** An action or its prefix ("user." finds every account action). */
  action: z.string().trim().max(100).optional().catch(undefined),
  entityType: z.string().trim().max(50).optional().catch(undefined),
  entityId: z.string().trim().max(100).optional().catch(undefined),
  /** The actor's organisation (the platform admin's filter; an organisation's admin sees his own). */
  organisationId: z.uuid().optional().catch(undefined),
  from: Day.optional().catch(undefined),
  to: Day.optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

/** The day after a Beijing calendar day, as its first instant. */
const dayStart = (d: string) => new Date(`${d}T00:00:00+08:00`);
const nextDayStart = (d: string) => new Date(dayStart(d).getTime() + 86_400_000);

/**
 * The audit log, newest first, a page at a time (keyset on the entry's id) with the count of the
 * whole filtered set. An organisation's admin reads what his staff did and what was done to his
 * staff's accounts; the platform admin reads everything. `limit: null` for the export (capped).
 */
export async function auditEntries(
  deps: AccountDeps,
  actor: Actor | null,
  input: unknown,
  limit: number | null = AUDIT_PAGE,
) {
  const me = requirePermission(actor, 'read:audit-log');
  const f = AuditFilterSchema.parse(input ?? {});
  const platform = me.roles.includes('platform_admin');
  const orgId = platform ? f.organisationId : (me.organisationId ?? NO_ORG);
  const byOrgStaff = orgId
    ? sql`${auditLog.actorId} in (select u.id from users u where u.organisation_id = ${orgId})`
    : undefined;
  const where = and(
    // An organisation's admin: his staff's acts, and acts on his staff's accounts.
    platform || !orgId
      ? byOrgStaff
      : or(
          byOrgStaff,
          and(
            eq(auditLog.entityType, 'user'),
            sql`${auditLog.entityId} in (select u.id::text from users u where u.organisation_id = ${orgId})`,
          ),
        ),
    f.actorId ? eq(auditLog.actorId, f.actorId) : undefined,
    f.actor
      ? sql`${auditLog.actorId} in (select u.id from users u where u.email ilike ${containing(f.actor)} or u.real_name ilike ${containing(f.actor)})`
      : undefined,
    f.action ? sql`${auditLog.action} like ${`${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : undefined,
    f.entityType ? eq(auditLog.entityType, f.entityType) : undefined,
    f.entityId ? eq(auditLog.entityId, f.entityId) : undefined,
    f.from ? gte(auditLog.at, dayStart(f.from)) : undefined,
    f.to ? lt(auditLog.at, nextDayStart(f.to)) : undefined,
  );
  const page = deps.db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      data: auditLog.data,
      requestId: auditLog.requestId,
      actorId: auditLog.actorId,
      actorName: users.realName,
      actorEmail: users.email,
      orgNameZh: organisations.nameZh,
      orgNameEn: organisations.nameEn,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .leftJoin(organisations, eq(organisations.id, users.organisationId))
    .where(and(where, f.before ? lt(auditLog.id, f.before) : undefined))
    .orderBy(desc(auditLog.id))
    .limit((limit ?? AUDIT_EXPORT_MAX) + 1);
  const [rows, [total]] = await Promise.all([
    page,
    deps.db.select({ n: count() }).from(auditLog).where(where),
  ]);
  const max = limit ?? AUDIT_EXPORT_MAX;
  const more = rows.length > max;
  const shown = more ? rows.slice(0, max) : rows;
  return {
    rows: shown,
    total: total?.n ?? 0,
    next: more ? String(shown.at(-1)!.id) : null,
    filter: f,
    platform,
  };
}

/** Organisations the platform admin filters by (others see their own only). */
export async function adminOrganisations(deps: AccountDeps, actor: Actor | null) {
  const me = requirePermission(actor, 'read:audit-log');
  if (!me.roles.includes('platform_admin')) return [];
  return deps.db
    .select({
      id: organisations.id,
      kind: organisations.kind,
      nameZh: organisations.nameZh,
      nameEn: organisations.nameEn,
    })
    .from(organisations)
    .orderBy(organisations.kind, organisations.code);
}
