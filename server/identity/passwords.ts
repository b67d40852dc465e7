/**
 * A person's own password (ADR 028): "forgot password" by e-mail or SMS, the change of an
 * initial password an admin set, and the one rule every reset link is issued by (the admin's
 * links of ADR 024 included): a random token of which only the SHA-256 is kept, one live link
 * per account (a new one voids the older), single use, expiring.
 */
import { and, count, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Db } from '../../db/client.js';
import {
  organisations,
  passwordResetRequests,
  passwordResets,
  sessions,
  type User,
  users,
} from '../../db/schema/identity.js';
import { recordAudit } from '../audit/audit.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import { parseInput } from '../validation.js';
import { hashPassword, newToken, sha256, verifyPassword } from './crypto.js';
import { type Actor, requireActor } from './permissions.js';
import { type LoginIdentifier, LoginIdentifierSchema, PasswordSchema } from './schemas.js';

/** What is sent to the person: the link's token goes into the message and nowhere else. */
export interface ResetMessage {
  userId: string;
  channel: 'email' | 'sms';
  address: string;
  name: string;
  token: string;
  expiresAt: Date;
  locale: string;
  /** Stable per link (the reset's id): the receiver can drop a copy sent twice. */
  reference: string;
}

export interface PasswordDeps {
  db: Database;
  clock: Clock;
  onSessionRevoked?: (sessionIds: string[]) => void;
  /** The notification channel's sender (server/notifications `sendPasswordReset`). */
  sendResetLink?: (m: ResetMessage) => Promise<unknown>;
  /** A message that could not be sent: logged, never told to the asker. */
  onSendFailed?: (err: unknown) => void;
  resetPolicy: ResetPolicy;
}

export interface ResetPolicy {
  /** "Forgot password" requests one address may make per window, whatever they name. */
  perIp: number;
  /** Requests naming one e-mail or phone number per window, whoever asks. */
  perIdentifier: number;
  windowMs: number;
}

export const DEFAULT_RESET_POLICY: ResetPolicy = { perIp: 10, perIdentifier: 3, windowMs: 3_600_000 };
/** A link the person asked for himself works for an hour (an admin's: a day, ADR 024). */
export const SELF_RESET_TTL_MS = 3_600_000;

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** The one rule every reset link is made by: voids the account's older links, keeps only the hash. */
export async function issueResetToken(
  tx: Tx,
  r: { userId: string; createdBy: string | null; now: Date; ttlMs: number },
) {
  const token = newToken();
  const expiresAt = new Date(r.now.getTime() + r.ttlMs);
  await tx
    .update(passwordResets)
    .set({ voidedAt: r.now })
    .where(
      and(
        eq(passwordResets.userId, r.userId),
        isNull(passwordResets.usedAt),
        isNull(passwordResets.voidedAt),
      ),
    );
  const [row] = await tx
    .insert(passwordResets)
    .values({
      userId: r.userId,
      tokenHash: sha256(token),
      createdBy: r.createdBy,
      createdAt: r.now,
      expiresAt,
    })
    .returning({ id: passwordResets.id });
  return { token, expiresAt, resetId: row!.id };
}

/**
 * The account an identifier names: by e-mail, or by mobile number when exactly one enabled
 * account holds it (numbers were never unique; an ambiguous one names nobody and is answered as
 * an unknown account is). Login and "forgot password" both look people up here.
 */
export async function accountFor(db: Db, identifier: LoginIdentifier): Promise<User | undefined> {
  if (identifier.kind === 'email') {
    const [user] = await db
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${identifier.value}`)
      .limit(1);
    return user;
  }
  const found = await db
    .select()
    .from(users)
    .where(and(eq(users.phone, identifier.value), eq(users.disabled, false)))
    .limit(2);
  return found.length === 1 ? found[0] : undefined;
}

const ForgotSchema = z.preprocess(
  (v) => (v && typeof v === 'object' && 'login' in v ? { ...v, email: (v as { login: unknown }).login } : v),
  z.object({ email: LoginIdentifierSchema }),
);

/**
 * "Forgot password": always the same answer, whether or not an account answers to the e-mail or
 * number (no account enumeration), and the same limits for both (counted from every request).
 * Where an enabled account of an active organisation answers, a one-hour link goes to the address
 * named: the e-mail, or by SMS the phone number. The message is sent after the commit and not
 * awaited, so neither its delay nor its failure shows in the answer.
 */
export async function requestPasswordReset(
  deps: PasswordDeps,
  input: unknown,
  meta: { ip: string; requestId?: string; locale?: string },
): Promise<{ accepted: true }> {
  const { email: identifier } = parseInput(ForgotSchema, input);
  const { db, resetPolicy: policy } = deps;
  const now = deps.clock();
  const since = new Date(now.getTime() - policy.windowMs);
  const identifierHash = sha256(`${identifier.kind}:${identifier.value}`);
  const [[byIp], [byIdentifier]] = await Promise.all([
    db
      .select({ n: count() })
      .from(passwordResetRequests)
      .where(and(eq(passwordResetRequests.ip, meta.ip), gt(passwordResetRequests.at, since))),
    db
      .select({ n: count() })
      .from(passwordResetRequests)
      .where(
        and(eq(passwordResetRequests.identifierHash, identifierHash), gt(passwordResetRequests.at, since)),
      ),
  ]);
  if ((byIp?.n ?? 0) >= policy.perIp || (byIdentifier?.n ?? 0) >= policy.perIdentifier)
    throw new DomainError('rate_limited', 'accounts.forgot.rateLimited', {
      params: { minutes: Math.ceil(policy.windowMs / 60_000) },
    });
  const user = await accountFor(db, identifier);
  const org = user?.organisationId
    ? (
        await db
          .select({ suspendedAt: organisations.suspendedAt })
          .from(organisations)
          .where(eq(organisations.id, user.organisationId))
      )[0]
    : undefined;
  const usable = user && !user.disabled && !org?.suspendedAt ? user : null;
  const issued = await db.transaction(async (tx) => {
    await tx.insert(passwordResetRequests).values({ identifierHash, ip: meta.ip, at: now });
    if (!usable) return null;
    const link = await issueResetToken(tx, {
      userId: usable.id,
      createdBy: null,
      now,
      ttlMs: SELF_RESET_TTL_MS,
    });
    await recordAudit(tx, {
      actorId: null,
      action: 'user.password-reset-requested',
      entityType: 'user',
      entityId: usable.id,
      data: { resetId: link.resetId, channel: identifier.kind === 'phone' ? 'sms' : 'email', ip: meta.ip },
      requestId: meta.requestId,
    });
    return link;
  });
  if (issued && usable)
    deps
      .sendResetLink?.({
        userId: usable.id,
        channel: identifier.kind === 'phone' ? 'sms' : 'email',
        address: identifier.kind === 'phone' ? identifier.value : usable.email,
        name: usable.realName,
        token: issued.token,
        expiresAt: issued.expiresAt,
        locale: meta.locale ?? 'zh-CN',
        reference: issued.resetId,
      })
      .catch((err) => deps.onSendFailed?.(err));
  return { accepted: true };
}

const ChangeSchema = z
  .object({
    current: z.string({ error: 'validation.required' }).min(1, { error: 'validation.required' }).max(128),
    password: PasswordSchema,
    confirm: z.string({ error: 'validation.required' }),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], error: 'accounts.reset.mismatch' })
  .refine((v) => v.password !== v.current, { path: ['password'], error: 'accounts.password.same' });

/**
 * The signed-in person sets a new password, knowing the current one (the sign-up rules apply).
 * It lifts the "must change" mark of an admin-set initial password and ends his other sessions;
 * the one he is using stays.
 */
export async function changeOwnPassword(
  deps: PasswordDeps,
  actorIn: Actor | null,
  input: unknown,
  meta: { requestId?: string } = {},
) {
  const actor = requireActor(actorIn);
  const data = parseInput(ChangeSchema, input);
  const [user] = await deps.db.select().from(users).where(eq(users.id, actor.userId));
  if (!user || !(await verifyPassword(user.passwordHash, data.current)))
    throw new DomainError('validation', 'errors.validation', {
      fieldErrors: { current: ['accounts.password.wrongCurrent'] },
    });
  const passwordHash = await hashPassword(data.password);
  const now = deps.clock();
  const ended = await deps.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, user.id));
    const others = await tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(
        and(
          eq(sessions.userId, user.id),
          ne(sessions.id, actor.sessionId),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, now),
        ),
      )
      .returning({ id: sessions.id });
    await recordAudit(tx, {
      actorId: user.id,
      action: 'user.password-changed',
      entityType: 'user',
      entityId: user.id,
      data: { initial: user.mustChangePassword, sessionsEnded: others.length },
      requestId: meta.requestId,
    });
    return others.map((s) => s.id);
  });
  if (ended.length > 0) deps.onSessionRevoked?.(ended);
  return { changed: true as const, wasInitial: user.mustChangePassword };
}
