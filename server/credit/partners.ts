/**
 * The joint-punishment partners (联合惩戒: airlines, railways, the credit bureau; 失信规定 art. 8,
 * ADR 019): each gets a bearer token for the check API and, when it gives an endpoint, the
 * signed feed of every listing, change and deletion (the outbox). The check answers from two
 * index probes on the keyed digest of the ID number; no plaintext ID is stored or compared.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { cases } from '../../db/schema/cases.js';
import {
  type CreditPartner,
  creditListings,
  creditPartners,
  creditRestrictedPersons,
  creditRestrictions,
} from '../../db/schema/credit.js';
import { organisations } from '../../db/schema/identity.js';
import type { OutboxEvent } from '../../db/schema/outbox.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, notFound, unauthenticated } from '../errors.js';
import { newToken, sha256 } from '../identity/crypto.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { createEndpoint, deactivateEndpoint } from '../outbox/outbox.js';
import { isUuid, parseInput } from '../validation.js';
import type { CreditDeps } from './deps.js';
import { idDigestOf, unsealId } from './ids.js';
import { CheckQuerySchema, PartnerSchema } from './schemas.js';

const TOKEN_PREFIX = 'lmp_';
/**
 * Literals, not bound parameters: a prepared statement's generic plan can then use the partial
 * indexes (`where status = 'published'`, `where in_force = 1`), as jobs/schedule.ts `isPending`.
 */
export const PUBLISHED = sql`${creditListings.status} = 'published'`;
export const IN_FORCE = sql`${creditRestrictedPersons.inForce} = 1`;
/** A revoked token still answers for up to this long in a process that cached it. */
const AUTH_CACHE_MS = 30_000;

/** Registers a partner: its token and its feed's signing secret are shown once. */
export async function createPartner(deps: CreditDeps, actor: Actor, input: unknown) {
  requirePermission(actor, 'manage:credit-partner');
  const data = parseInput(PartnerSchema, input);
  const token = `${TOKEN_PREFIX}${newToken()}`;
  const secret = data.url ? `whsec_${newToken()}` : null;
  return deps.db.transaction(async (tx) => {
    const endpointId =
      data.url && secret
        ? await createEndpoint(tx, deps.piiKey, {
            owner: 'credit_partner',
            name: data.name,
            url: data.url,
            secret,
            topics: ['credit.'],
          })
        : null;
    const [row] = await tx
      .insert(creditPartners)
      .values({
        name: data.name,
        kind: data.kind,
        tokenHash: sha256(token),
        tokenPrefix: token.slice(0, 10),
        endpointId,
        createdBy: actor.userId,
        createdAt: deps.clock(),
      })
      .returning({ id: creditPartners.id });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'credit.partner_created',
      entityType: 'credit_partner',
      entityId: row!.id,
      data: { kind: data.kind, feed: !!endpointId },
    });
    return { id: row!.id, token, secret, endpointId };
  });
}

/**
 * Revokes a partner: its check token answers 401 from now on (in this process at once, in others
 * within the token cache's 30 s), and its feed stops (nothing more is enqueued for it, what is
 * pending is not sent: the ID numbers it carries go to no one who is no longer a partner).
 */
export async function revokePartner(deps: CreditDeps, actor: Actor, partnerId: string, requestId?: string) {
  requirePermission(actor, 'manage:credit-partner');
  if (!isUuid(partnerId)) throw notFound();
  const now = deps.clock();
  const row = await deps.db.transaction(async (tx) => {
    const [p] = await tx.select().from(creditPartners).where(eq(creditPartners.id, partnerId)).for('update');
    if (!p) throw notFound();
    if (p.revokedAt) throw new DomainError('conflict', 'credit.errors.partnerRevoked');
    const [revoked] = await tx
      .update(creditPartners)
      .set({ revokedAt: now })
      .where(eq(creditPartners.id, p.id))
      .returning();
    if (p.endpointId) await deactivateEndpoint(tx, p.endpointId);
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'credit.partner_revoked',
      entityType: 'credit_partner',
      entityId: p.id,
      data: { feed: !!p.endpointId },
      requestId,
    });
    return revoked!;
  });
  cache.delete(row.tokenHash);
  return { id: row.id, revokedAt: row.revokedAt };
}

/** The platform's partners, with their feed's backlog (pending, dead) and last delivery. */
export async function listPartners(deps: CreditDeps, actor: Actor) {
  requirePermission(actor, 'manage:credit-partner');
  const rows = await deps.db.execute<{
    id: string;
    name: string;
    kind: string;
    token_prefix: string;
    url: string | null;
    revoked_at: string | null;
    pending: number;
    dead: number;
    delivered: number;
    last_delivered_at: string | null;
  }>(sql`
    select p.id, p.name, p.kind, p.token_prefix, e.url, p.revoked_at,
      count(d.id) filter (where d.status = 'pending')::int as pending,
      count(d.id) filter (where d.status = 'dead')::int as dead,
      count(d.id) filter (where d.status = 'delivered')::int as delivered,
      max(d.delivered_at) as last_delivered_at
    from ${creditPartners} p
    left join outbox_endpoints e on e.id = p.endpoint_id
    left join outbox_deliveries d on d.endpoint_id = e.id
    group by p.id, e.url
    order by p.created_at`);
  return [...rows];
}

const cache = new Map<string, { partner: CreditPartner | null; until: number }>();

/** Bearer token → the partner, or null (revoked, unknown). */
export async function authenticatePartner(
  deps: CreditDeps,
  bearer: string | undefined,
): Promise<CreditPartner | null> {
  if (!bearer?.startsWith(TOKEN_PREFIX) || bearer.length > 100) return null;
  const hash = sha256(bearer);
  const now = Date.now();
  const hit = cache.get(hash);
  if (hit && hit.until > now) return hit.partner;
  const [row] = await deps.db
    .select()
    .from(creditPartners)
    .where(and(eq(creditPartners.tokenHash, hash), isNull(creditPartners.revokedAt)));
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, { partner: row ?? null, until: now + AUTH_CACHE_MS });
  return row ?? null;
}

/** Is this ID listed or restricted now? Two index probes on the digest (partial indexes on what is in force). */
export async function checkId(deps: CreditDeps, partner: CreditPartner | null, input: unknown) {
  if (!partner) throw unauthenticated();
  const { id } = parseInput(CheckQuerySchema, input);
  const digest = idDigestOf(deps.piiKey, id);
  // One round trip: two probes on the partial indexes, each folded to JSON by the database.
  const [row] = await deps.db.execute<{ listings: CheckListing[]; restrictions: CheckRestriction[] }>(sql`
    select
      (select coalesce(json_agg(x), '[]') from (
        select c.case_number as "caseNumber", o.name_zh as court, l.published_at as "publishedAt", l.expires_on as "expiresOn"
        from ${creditListings} l join ${cases} c on c.id = l.case_id join ${organisations} o on o.id = l.court_id
        where l.id_digest = ${digest} and l.status = 'published' limit 20) x) as listings,
      (select coalesce(json_agg(y), '[]') from (
        select p.role, r.order_number as "orderNumber", r.items, r.issued_on as "issuedOn"
        from ${creditRestrictedPersons} p join ${creditRestrictions} r on r.id = p.restriction_id
        where p.id_digest = ${digest} and p.in_force = 1 limit 20) y) as restrictions`);
  const { listings, restrictions } = row!;
  return {
    listed: listings.length > 0,
    restricted: restrictions.length > 0,
    restrictedItems: [...new Set(restrictions.flatMap((r) => r.items))],
    listings,
    restrictions,
  };
}

interface CheckListing {
  caseNumber: string;
  court: string;
  publishedAt: string | null;
  expiresOn: string | null;
}
interface CheckRestriction {
  role: string;
  orderNumber: string;
  items: string[];
  issuedOn: string | null;
}

/**
 * The body's `data` of a credit event for a partner: the sealed ID numbers revealed (partners are
 * the recipients art. 8 names; the feed is signed and goes over TLS), nothing else changed.
 */
export function partnerData(deps: Pick<CreditDeps, 'piiKey'>, event: OutboxEvent): Record<string, unknown> {
  const reveal = (o: unknown): unknown => {
    if (Array.isArray(o)) return o.map(reveal);
    if (o && typeof o === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o)) {
        if (k === 'idSealed' && typeof v === 'string') out.idNumber = unsealId(deps.piiKey, v);
        else out[k] = reveal(v);
      }
      return out;
    }
    return o;
  };
  return reveal(event.payload) as Record<string, unknown>;
}
