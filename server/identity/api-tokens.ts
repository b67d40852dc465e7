import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { apiTokens, organisations, users } from '../../db/schema/identity.js';
import { recordAudit } from '../audit/audit.js';
import type { Clock } from '../clock.js';
import { DomainError, forbidden, notFound } from '../errors.js';
import { isUuid, parseInput } from '../validation.js';
import { newToken, sha256 } from './crypto.js';
import { type Actor, requirePermission } from './permissions.js';
import { TOKEN_SCOPES, type TokenScope } from './schemas.js';

const CreateTokenSchema = z.object({
  name: z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).max(100),
  actsAs: z.uuid({ error: 'validation.required' }),
  // Both when unsaid: what every token could do before scopes existed.
  scopes: z
    .array(z.enum(TOKEN_SCOPES, { error: 'tokens.badScope' }))
    .min(1, { error: 'tokens.noScope' })
    .default(['read', 'write']),
  expiresInDays: z
    .union([
      z.literal(''),
      z.coerce.number().int().min(1, { error: 'tokens.badExpiry' }).max(730, { error: 'tokens.badExpiry' }),
    ])
    .optional()
    .transform((v) => (typeof v === 'number' ? v : null)),
});

const TOKEN_PREFIX = 'lm_';

/**
 * API tokens for a court's case-management system. Issued by the court's admin, acting as one
 * named staff member (so every API write is attributed and the maker-checker rules hold);
 * shown once, stored as a SHA-256, revocable.
 */
export function createApiTokenService({ db, clock }: { db: Database; clock: Clock }) {
  async function issue(actor: Actor, input: unknown) {
    requirePermission(actor, 'create:api-token');
    const data = parseInput(CreateTokenSchema, input);
    const [member] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, data.actsAs), eq(users.organisationId, actor.organisationId ?? '')));
    if (!member)
      throw new DomainError('validation', 'errors.validation', {
        fieldErrors: { actsAs: ['validation.required'] },
      });
    const token = `${TOKEN_PREFIX}${newToken()}`;
    const now = clock();
    const expiresAt = data.expiresInDays ? new Date(now.getTime() + data.expiresInDays * 86_400_000) : null;
    return db.transaction(async (tx) => {
      const [row] = await tx
        .insert(apiTokens)
        .values({
          organisationId: actor.organisationId!,
          name: data.name,
          tokenHash: sha256(token),
          prefix: token.slice(0, 10),
          actsAs: member.id,
          createdBy: actor.userId,
          createdAt: now,
          scopes: [...new Set(data.scopes)].sort(),
          expiresAt,
        })
        .returning({ id: apiTokens.id });
      await recordAudit(tx, {
        actorId: actor.userId,
        action: 'api_token.issued',
        entityType: 'api_token',
        entityId: row!.id,
        data: {
          name: data.name,
          actsAs: member.id,
          scopes: data.scopes,
          expiresAt: expiresAt?.toISOString(),
        },
      });
      return { id: row!.id, token, expiresAt };
    });
  }

  /** The organisation's tokens, newest first, each with its state and what the viewer may do. */
  async function list(actor: Actor) {
    requirePermission(actor, 'create:api-token');
    if (!actor.organisationId) return [];
    const now = clock();
    const rows = await db
      .select({
        id: apiTokens.id,
        name: apiTokens.name,
        prefix: apiTokens.prefix,
        scopes: apiTokens.scopes,
        actsAsName: users.realName,
        createdAt: apiTokens.createdAt,
        expiresAt: apiTokens.expiresAt,
        lastUsedAt: apiTokens.lastUsedAt,
        revokedAt: apiTokens.revokedAt,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.actsAs))
      .where(eq(apiTokens.organisationId, actor.organisationId))
      .orderBy(desc(apiTokens.createdAt));
    return rows.map((r) => {
      const state = r.revokedAt ? 'revoked' : r.expiresAt && r.expiresAt <= now ? 'expired' : 'active';
      return { ...r, state, can: { revoke: state === 'active' } };
    });
  }

  async function revoke(actor: Actor, id: string) {
    requirePermission(actor, 'create:api-token');
    if (!isUuid(id)) throw notFound();
    await db.transaction(async (tx) => {
      const rows = await tx
        .update(apiTokens)
        .set({ revokedAt: clock() })
        .where(
          and(
            eq(apiTokens.id, id),
            eq(apiTokens.organisationId, actor.organisationId ?? ''),
            isNull(apiTokens.revokedAt),
          ),
        )
        .returning({ id: apiTokens.id });
      if (rows.length === 0) throw notFound();
      await recordAudit(tx, {
        actorId: actor.userId,
        action: 'api_token.revoked',
        entityType: 'api_token',
        entityId: id,
      });
    });
  }

  /**
   * Bearer token → the actor it acts as, or null (unknown, revoked, expired, its staff member
   * disabled or its organisation suspended). A token without the scope `need` is refused (403).
   */
  async function authenticate(bearer: string | undefined, need?: TokenScope): Promise<Actor | null> {
    if (!bearer?.startsWith(TOKEN_PREFIX) || bearer.length > 100) return null;
    const [row] = await db
      .select({
        token: apiTokens,
        user: users,
        orgKind: organisations.kind,
        suspendedAt: organisations.suspendedAt,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.actsAs))
      .innerJoin(organisations, eq(organisations.id, apiTokens.organisationId))
      .where(and(eq(apiTokens.tokenHash, sha256(bearer)), isNull(apiTokens.revokedAt)));
    if (!row || row.user.disabled || row.user.organisationId !== row.token.organisationId) return null;
    const now = clock();
    if (row.suspendedAt || (row.token.expiresAt && row.token.expiresAt <= now)) return null;
    if (need && !row.token.scopes.includes(need)) throw forbidden('tokens.scopeMissing');
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id));
    return {
      userId: row.user.id,
      sessionId: `api:${row.token.id}`,
      roles: row.user.roles,
      organisationId: row.token.organisationId,
      orgKind: row.orgKind,
    };
  }

  return { issue, list, revoke, authenticate };
}

export type ApiTokenService = ReturnType<typeof createApiTokenService>;
