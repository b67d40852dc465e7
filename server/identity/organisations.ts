/**
 * Onboarding (ADR 023): the platform administrator creates and edits courts and insurers, gives
 * each its first administrator, and suspends or reinstates one. Suspension ends its staff's
 * sessions (their sockets are cut), refuses their logins and API tokens and silences its
 * webhooks; nothing it holds is deleted. Every act is audited in its transaction.
 */
import { randomInt } from 'node:crypto';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Db } from '../../db/client.js';
import { type Organisation, organisations, sessions, users } from '../../db/schema/identity.js';
import { recordAudit } from '../audit/audit.js';
import type { Clock } from '../clock.js';
import { DomainError, isUniqueViolation, notFound } from '../errors.js';
import { isUuid, parseInput } from '../validation.js';
import { type Actor, requirePermission } from './permissions.js';
import { EmailSchema, PhoneSchema, RealNameSchema } from './schemas.js';

const LEVELS = ['high', 'intermediate', 'basic'] as const;
type Level = (typeof LEVELS)[number];
/** The level a court of each level reports to (高级 ← 中级 ← 基层); a high court reports to none here. */
const REPORTS_TO: Record<Level, Level | null> = { high: null, intermediate: 'high', basic: 'intermediate' };

const text = (max: number) =>
  z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).max(max, {
    error: 'validation.tooLong',
  });
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: 'validation.tooLong' })
    .optional()
    .transform((v) => (v ? v : null));

const OrganisationFields = {
  nameZh: text(100),
  nameEn: text(200),
  // A court's code is its case-number code (青0104, 京01): a region's short name and digits.
  code: z
    .string({ error: 'validation.required' })
    .trim()
    .min(2, { error: 'orgs.badCode' })
    .max(20, { error: 'orgs.badCode' })
    .regex(/^[\p{Script=Han}A-Za-z0-9-]+$/u, { error: 'orgs.badCode' }),
  regionCode: z
    .string()
    .trim()
    .regex(/^(\d{6})?$/, { error: 'orgs.badRegion' })
    .optional()
    .transform((v) => (v ? v : null)),
  province: optionalText(50),
  city: optionalText(50),
  district: optionalText(50),
};

export const OrganisationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('court'),
    ...OrganisationFields,
    courtLevel: z.enum(LEVELS, { error: 'orgs.badLevel' }),
    parentId: z
      .union([z.literal(''), z.uuid({ error: 'orgs.badParent' })])
      .optional()
      .transform((v) => (v ? v : null)),
  }),
  z.object({ kind: z.literal('insurer'), ...OrganisationFields }),
]);

const FirstAdminSchema = z.object({
  realName: RealNameSchema,
  email: EmailSchema,
  phone: z
    .union([z.literal(''), PhoneSchema])
    .optional()
    .transform((v) => (v ? v : undefined)),
});

const SuspendSchema = z.object({ reason: text(500) });

/** The first administrator's role in an organisation of each kind. */
const ADMIN_ROLE = { court: 'court_admin', insurer: 'insurer_manager' } as const;

/** A one-time password: 16 characters without look-alikes (0/O, 1/l/I), at least one letter and digit. */
export function initialPassword(): string {
  const letters = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  for (;;) {
    let p = '';
    for (let i = 0; i < 16; i++) p += all[randomInt(all.length)];
    if (/[A-Za-z]/.test(p) && /\d/.test(p)) return p;
  }
}

export interface OrganisationDeps {
  db: Database;
  clock: Clock;
  /** identity's createStaffUser: the first administrator is an ordinary staff account. */
  createStaffUser: (actor: Actor, input: unknown, meta?: { requestId?: string }) => Promise<{ id: string }>;
  /** Told after sessions end, so their live sockets are cut. */
  onSessionRevoked?: (sessionIds: string[]) => void;
}

type OrgInput = z.infer<typeof OrganisationSchema>;

export function createOrganisationService(deps: OrganisationDeps) {
  const { db, clock } = deps;

  async function lockOrg(tx: Db, id: string): Promise<Organisation> {
    if (!isUuid(id)) throw notFound();
    const [org] = await tx.select().from(organisations).where(eq(organisations.id, id)).for('update');
    if (!org || org.kind === 'platform') throw notFound();
    return org;
  }

  /** A court reports to a court one level up (its parent); checked on create and edit. */
  async function checkParent(tx: Db, data: OrgInput, selfId: string | null) {
    if (data.kind !== 'court') return null;
    const wanted = REPORTS_TO[data.courtLevel];
    if (!data.parentId) {
      if (wanted)
        throw new DomainError('validation', 'errors.validation', {
          fieldErrors: { parentId: ['orgs.parentRequired'] },
        });
      return null;
    }
    const [parent] = await tx.select().from(organisations).where(eq(organisations.id, data.parentId));
    if (parent?.kind !== 'court' || parent.id === selfId || parent.courtLevel !== wanted)
      throw new DomainError('validation', 'errors.validation', {
        fieldErrors: { parentId: ['orgs.badParent'] },
      });
    return parent.id;
  }

  const columns = (data: OrgInput, parentId: string | null) => ({
    code: data.code,
    nameZh: data.nameZh,
    nameEn: data.nameEn,
    regionCode: data.regionCode,
    province: data.province,
    city: data.city,
    district: data.district,
    courtLevel: data.kind === 'court' ? data.courtLevel : null,
    parentId,
  });

  const codeTaken = (e: unknown) =>
    isUniqueViolation(e, 'organisations_code_key')
      ? new DomainError('conflict', 'orgs.codeTaken', { fieldErrors: { code: ['orgs.codeTaken'] } })
      : e;

  /** What the platform admin may do with an organisation now (the page renders it). */
  const affordances = (o: Pick<Organisation, 'suspendedAt'>, admins: number) => ({
    edit: true,
    suspend: !o.suspendedAt,
    reinstate: !!o.suspendedAt,
    createAdmin: !o.suspendedAt && admins === 0,
  });

  return {
    async list(actor: Actor) {
      requirePermission(actor, 'manage:organisation');
      return db
        .select({
          id: organisations.id,
          kind: organisations.kind,
          code: organisations.code,
          nameZh: organisations.nameZh,
          nameEn: organisations.nameEn,
          courtLevel: organisations.courtLevel,
          suspendedAt: organisations.suspendedAt,
          staff: sql<number>`(select count(*)::int from users u where u.organisation_id = ${organisations.id})`,
        })
        .from(organisations)
        .where(inArray(organisations.kind, ['court', 'insurer']))
        .orderBy(asc(organisations.kind), asc(organisations.code));
    },

    /** The courts a court of a level may report to, for the form's select. */
    async parentChoices(actor: Actor) {
      requirePermission(actor, 'manage:organisation');
      return db
        .select({
          id: organisations.id,
          code: organisations.code,
          nameZh: organisations.nameZh,
          nameEn: organisations.nameEn,
          courtLevel: organisations.courtLevel,
        })
        .from(organisations)
        .where(
          and(eq(organisations.kind, 'court'), inArray(organisations.courtLevel, ['high', 'intermediate'])),
        )
        .orderBy(asc(organisations.code));
    },

    async get(actor: Actor, id: string) {
      requirePermission(actor, 'manage:organisation');
      if (!isUuid(id)) throw notFound();
      const [org] = await db.select().from(organisations).where(eq(organisations.id, id));
      if (!org || org.kind === 'platform') throw notFound();
      const admins = await db
        .select({
          id: users.id,
          realName: users.realName,
          email: users.email,
          lastLoginAt: users.lastLoginAt,
        })
        .from(users)
        .where(
          and(eq(users.organisationId, org.id), sql`${ADMIN_ROLE[org.kind]}::role = any(${users.roles})`),
        );
      return { org, admins, can: affordances(org, admins.length) };
    },

    async create(actor: Actor, input: unknown, requestId?: string) {
      requirePermission(actor, 'manage:organisation');
      const data = parseInput(OrganisationSchema, input);
      try {
        return await db.transaction(async (tx) => {
          const parentId = await checkParent(tx, data, null);
          const [row] = await tx
            .insert(organisations)
            .values({ kind: data.kind, ...columns(data, parentId), createdAt: clock() })
            .returning({ id: organisations.id });
          await recordAudit(tx, {
            actorId: actor.userId,
            action: 'organisation.created',
            entityType: 'organisation',
            entityId: row!.id,
            data: { kind: data.kind, code: data.code },
            requestId,
          });
          return { id: row!.id };
        });
      } catch (e) {
        throw codeTaken(e);
      }
    },

    /** Edits the names, code, level, region and parent; its kind never changes. */
    async update(actor: Actor, id: string, input: unknown, requestId?: string) {
      requirePermission(actor, 'manage:organisation');
      try {
        await db.transaction(async (tx) => {
          const org = await lockOrg(tx, id);
          const data = parseInput(OrganisationSchema, {
            ...(typeof input === 'object' && input ? input : {}),
            kind: org.kind,
          });
          const parentId = await checkParent(tx, data, org.id);
          if (data.kind === 'court' && data.courtLevel !== org.courtLevel) {
            // A court whose courts below report to it keeps its level: their chain would break.
            const [child] = await tx
              .select({ id: organisations.id })
              .from(organisations)
              .where(eq(organisations.parentId, org.id))
              .limit(1);
            if (child)
              throw new DomainError('validation', 'errors.validation', {
                fieldErrors: { courtLevel: ['orgs.levelHasChildren'] },
              });
          }
          const next = columns(data, parentId);
          await tx.update(organisations).set(next).where(eq(organisations.id, org.id));
          const changed = Object.fromEntries(
            Object.entries(next).filter(([k, v]) => org[k as keyof Organisation] !== v),
          );
          await recordAudit(tx, {
            actorId: actor.userId,
            action: 'organisation.updated',
            entityType: 'organisation',
            entityId: org.id,
            data: { changed },
            requestId,
          });
        });
      } catch (e) {
        throw codeTaken(e);
      }
    },

    /**
     * The organisation's first administrator (court_admin / insurer_manager), with a one-time
     * password generated here and shown once to the platform admin, who hands it over; the
     * administrator then creates his own staff (/staff). Only while it has no administrator.
     */
    async createFirstAdmin(actor: Actor, id: string, input: unknown, requestId?: string) {
      requirePermission(actor, 'manage:organisation');
      const data = parseInput(FirstAdminSchema, input);
      const { org, admins } = await this.get(actor, id);
      if (org.suspendedAt) throw new DomainError('conflict', 'orgs.isSuspended');
      if (admins.length > 0) throw new DomainError('conflict', 'orgs.hasAdmin');
      const password = initialPassword();
      const user = await deps.createStaffUser(
        actor,
        { ...data, password, organisationId: org.id, roles: [ADMIN_ROLE[org.kind as 'court' | 'insurer']] },
        { requestId },
      );
      await recordAudit(db, {
        actorId: actor.userId,
        action: 'organisation.admin_created',
        entityType: 'organisation',
        entityId: org.id,
        data: { userId: user.id, email: data.email },
        requestId,
      });
      return { userId: user.id, email: data.email, password };
    },

    /** Suspends: its staff's sessions end now; logins, tokens and webhooks stop; data is kept. */
    async suspend(actor: Actor, id: string, input: unknown, requestId?: string) {
      requirePermission(actor, 'manage:organisation');
      const { reason } = parseInput(SuspendSchema, input);
      const now = clock();
      const ended = await db.transaction(async (tx) => {
        const org = await lockOrg(tx, id);
        if (org.suspendedAt) return null;
        await tx
          .update(organisations)
          .set({ suspendedAt: now, suspendedReason: reason })
          .where(eq(organisations.id, org.id));
        const ended = await tx
          .update(sessions)
          .set({ revokedAt: now })
          .where(
            and(
              isNull(sessions.revokedAt),
              sql`${sessions.userId} in (select id from users where organisation_id = ${org.id})`,
            ),
          )
          .returning({ id: sessions.id });
        await recordAudit(tx, {
          actorId: actor.userId,
          action: 'organisation.suspended',
          entityType: 'organisation',
          entityId: org.id,
          data: { reason, sessionsEnded: ended.length },
          requestId,
        });
        return ended.map((s) => s.id);
      });
      if (ended?.length) deps.onSessionRevoked?.(ended);
      return { suspended: ended !== null, sessionsEnded: ended?.length ?? 0 };
    },

    async reinstate(actor: Actor, id: string, requestId?: string) {
      requirePermission(actor, 'manage:organisation');
      return db.transaction(async (tx) => {
        const org = await lockOrg(tx, id);
        if (!org.suspendedAt) return { reinstated: false };
        await tx
          .update(organisations)
          .set({ suspendedAt: null, suspendedReason: null })
          .where(eq(organisations.id, org.id));
        await recordAudit(tx, {
          actorId: actor.userId,
          action: 'organisation.reinstated',
          entityType: 'organisation',
          entityId: org.id,
          data: { suspendedAt: org.suspendedAt.toISOString(), reason: org.suspendedReason },
          requestId,
        });
        return { reinstated: true };
      });
    },
  };
}

export type OrganisationService = ReturnType<typeof createOrganisationService>;
