import { and, count, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { organisations, sessions, users } from '../../db/schema/identity.js';
import type { Clock } from '../clock.js';
import { notFound } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { pressureCounts } from './pressure.js';
import { courtQueues, insurerQueues } from './queues.js';

/** Per-role landing pages. Each reads only what its role may see, scoped to the actor's organisation. */
export function createDashboardService({ db, clock }: { db: Database; clock: Clock }) {
  async function organisationOf(actor: Actor) {
    if (!actor.organisationId) throw notFound();
    const [org] = await db.select().from(organisations).where(eq(organisations.id, actor.organisationId));
    if (!org) throw notFound();
    const [staff] = await db.select({ n: count() }).from(users).where(eq(users.organisationId, org.id));
    return { org, staffCount: staff?.n ?? 0 };
  }

  return {
    async court(actor: Actor) {
      requirePermission(actor, 'read:court-dashboard');
      const { org, staffCount } = await organisationOf(actor);
      const parent = org.parentId
        ? (await db.select().from(organisations).where(eq(organisations.id, org.parentId)))[0]
        : undefined;
      const children = await db
        .select({ id: organisations.id, nameZh: organisations.nameZh, nameEn: organisations.nameEn })
        .from(organisations)
        .where(eq(organisations.parentId, org.id));
      return {
        org,
        staffCount,
        parent: parent ?? null,
        children,
        queues: await courtQueues(db, actor, clock()),
        pressure: await pressureCounts(db, org.id, clock()),
      };
    },

    async insurer(actor: Actor) {
      requirePermission(actor, 'read:insurer-dashboard');
      return { ...(await organisationOf(actor)), queues: await insurerQueues(db, actor, clock()) };
    },

    async admin(actor: Actor) {
      const now = clock();
      requirePermission(actor, 'read:admin-dashboard');
      const orgs = await db
        .select({
          id: organisations.id,
          kind: organisations.kind,
          code: organisations.code,
          nameZh: organisations.nameZh,
          nameEn: organisations.nameEn,
          courtLevel: organisations.courtLevel,
          users: sql<number>`(select count(*)::int from users u where u.organisation_id = organisations.id)`,
        })
        .from(organisations)
        .orderBy(organisations.kind, organisations.code);
      const [bidders] = await db.select({ n: count() }).from(users).where(isNull(users.organisationId));
      const [live] = await db
        .select({ n: count() })
        .from(sessions)
        .where(and(isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
      return { orgs, bidderCount: bidders?.n ?? 0, liveSessions: live?.n ?? 0 };
    },
  };
}
