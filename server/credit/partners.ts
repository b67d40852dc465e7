/**
 * The joint-punishment partners (联合惩戒: airlines, railways, the credit bureau; 失信规定 art. 8,
 * ADR 019): each gets a bearer token for the check API and, when it gives an endpoint, the
 * signed feed of every listing, change and deletion (the outbox). The check answers from two
 * index probes on the keyed digest of the ID number; no plaintext ID is stored or compared.
 */
import { and, eq, isNull } from 'drizzle-orm';
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
import { unauthenticated } from '../errors.js';
import { newToken, sha256 } from '../identity/crypto.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { createEndpoint } from '../outbox/outbox.js';
import { parseInput } from '../validation.js';
import type { CreditDeps } from './deps.js';
import { idDigestOf, unsealId } from './ids.js';
import { CheckQuerySchema, PartnerSchema } from './schemas.js';

const TOKEN_PREFIX = 'lmp_';
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
  const [listings, restrictions] = await Promise.all([
    deps.db
      .select({
        caseNumber: cases.caseNumber,
        court: organisations.nameZh,
        publishedAt: creditListings.publishedAt,
        expiresOn: creditListings.expiresOn,
      })
      .from(creditListings)
      .innerJoin(cases, eq(cases.id, creditListings.caseId))
      .innerJoin(organisations, eq(organisations.id, creditListings.courtId))
      .where(and(eq(creditListings.idDigest, digest), eq(creditListings.status, 'published')))
      .limit(20),
    deps.db
      .select({
        role: creditRestrictedPersons.role,
        orderNumber: creditRestrictions.orderNumber,
        items: creditRestrictions.items,
        issuedOn: creditRestrictions.issuedOn,
      })
      .from(creditRestrictedPersons)
      .innerJoin(creditRestrictions, eq(creditRestrictions.id, creditRestrictedPersons.restrictionId))
      .where(and(eq(creditRestrictedPersons.idDigest, digest), eq(creditRestrictedPersons.inForce, 1)))
      .limit(20),
  ]);
  return {
    listed: listings.length > 0,
    restricted: restrictions.length > 0,
    restrictedItems: [...new Set(restrictions.flatMap((r) => r.items))],
    listings: listings.map((l) => ({ ...l, publishedAt: l.publishedAt?.toISOString() ?? null })),
    restrictions,
  };
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
