/**
 * The one status change of a listing and of a restriction order (ADR 019): conditional on the
 * row's status, with its audit entry and, when the change is visible outside the court, the
 * partners' event in the outbox, all in the caller's transaction.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { cases } from '../../db/schema/cases.js';
import {
  type CreditListing,
  type CreditListingStatus,
  type CreditRestriction,
  creditListings,
  creditRestrictedPersons,
  creditRestrictions,
} from '../../db/schema/credit.js';
import { organisations } from '../../db/schema/identity.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError } from '../errors.js';
import { cancelJob } from '../jobs/schedule.js';
import { enqueue } from '../outbox/outbox.js';

export interface AuditBy {
  actorId: string | null;
  requestId?: string;
  data?: Record<string, unknown>;
}

const stale = () => new DomainError('conflict', 'credit.errors.changed');

export const publishJobKey = (id: string) => `credit:listing:${id}:publish`;
export const expiryJobKey = (id: string) => `credit:listing:${id}:expiry`;

/** Locks a listing for the rest of the transaction. */
export async function lockListing(tx: Tx, id: string): Promise<CreditListing | undefined> {
  const [row] = await tx.select().from(creditListings).where(eq(creditListings.id, id)).for('update');
  return row;
}

async function caseAndCourt(tx: Tx, caseId: string, courtId: string) {
  const [row] = await tx
    .select({
      caseNumber: cases.caseNumber,
      filedOn: cases.filedOn,
      court: organisations.nameZh,
      code: organisations.code,
    })
    .from(cases)
    .innerJoin(organisations, eq(organisations.id, courtId))
    .where(eq(cases.id, caseId));
  return row!;
}

/** The partners' view of a listing: the ID stays sealed in the outbox and is revealed at delivery. */
async function listingEvent(tx: Tx, l: CreditListing) {
  const c = await caseAndCourt(tx, l.caseId, l.courtId);
  return {
    listingId: l.id,
    version: l.version,
    status: l.status,
    subject: { kind: l.subjectKind, name: l.name, idSealed: l.idSealed, idPublished: l.idPublished },
    legalRepresentative: l.legalRepresentative,
    ground: l.ground,
    court: { code: c.code, name: c.court },
    caseNumber: c.caseNumber,
    decidedOn: l.decidedOn,
    publishedAt: l.publishedAt?.toISOString() ?? null,
    expiresOn: l.expiresOn,
    deletion: l.deletionGround ? { ground: l.deletionGround, at: l.removedAt?.toISOString() ?? null } : null,
  };
}

/**
 * Moves a listing from its current status (as locked) to `to`, writes the audit entry and tells
 * the partners what the public sees change: a publication, a change of a published listing, its
 * removal.
 */
export async function moveListing(
  tx: Tx,
  l: CreditListing,
  to: CreditListingStatus,
  patch: Partial<typeof creditListings.$inferInsert>,
  action: string,
  by: AuditBy,
  now: Date,
): Promise<CreditListing> {
  const [row] = await tx
    .update(creditListings)
    .set({ ...patch, status: to, updatedAt: now })
    .where(and(eq(creditListings.id, l.id), eq(creditListings.status, l.status)))
    .returning();
  if (!row) throw stale();
  await recordAudit(tx, {
    actorId: by.actorId,
    action,
    entityType: 'credit_listing',
    entityId: l.id,
    data: { from: l.status, to, ...by.data },
    requestId: by.requestId,
  });
  const topic =
    to === 'published' && l.status !== 'published'
      ? 'credit.listing.published'
      : l.status === 'published' && (to === 'deleted' || to === 'revoked')
        ? 'credit.listing.deleted'
        : l.status === 'published' && to === 'published'
          ? 'credit.listing.changed'
          : null;
  if (topic) await enqueue(tx, { topic, payload: await listingEvent(tx, row), occurredAt: now });
  if (to === 'deleted' || to === 'revoked') {
    await cancelJob(tx, publishJobKey(l.id));
    await cancelJob(tx, expiryJobKey(l.id));
  }
  return row;
}

async function restrictionEvent(tx: Tx, r: CreditRestriction) {
  const c = await caseAndCourt(tx, r.caseId, r.courtId);
  const persons = await tx
    .select({
      role: creditRestrictedPersons.role,
      name: creditRestrictedPersons.name,
      idSealed: creditRestrictedPersons.idSealed,
      idPublished: creditRestrictedPersons.idPublished,
    })
    .from(creditRestrictedPersons)
    .where(eq(creditRestrictedPersons.restrictionId, r.id));
  return {
    restrictionId: r.id,
    status: r.status,
    orderNumber: r.orderNumber,
    items: r.items,
    persons,
    court: { code: c.code, name: c.court },
    caseNumber: c.caseNumber,
    issuedOn: r.issuedOn,
    liftedOn: r.liftedOn,
    liftGround: r.liftGround,
  };
}

/** Puts an order in force or lifts it: the persons' lookup flag follows, the partners are told. */
export async function moveRestriction(
  tx: Tx,
  r: CreditRestriction,
  to: 'in_force' | 'lifted',
  patch: Partial<typeof creditRestrictions.$inferInsert>,
  by: AuditBy,
  now: Date,
): Promise<CreditRestriction> {
  const [row] = await tx
    .update(creditRestrictions)
    .set({ ...patch, status: to, updatedAt: now })
    .where(and(eq(creditRestrictions.id, r.id), eq(creditRestrictions.status, r.status)))
    .returning();
  if (!row) throw stale();
  await tx
    .update(creditRestrictedPersons)
    .set({ inForce: to === 'in_force' ? 1 : 0 })
    .where(eq(creditRestrictedPersons.restrictionId, r.id));
  await recordAudit(tx, {
    actorId: by.actorId,
    action: to === 'in_force' ? 'credit.restriction_issued' : 'credit.restriction_lifted',
    entityType: 'credit_restriction',
    entityId: r.id,
    data: { from: r.status, to, ...by.data },
    requestId: by.requestId,
  });
  await enqueue(tx, {
    topic: to === 'in_force' ? 'credit.restriction.issued' : 'credit.restriction.lifted',
    payload: await restrictionEvent(tx, row),
    occurredAt: now,
  });
  return row;
}
