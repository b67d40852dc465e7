/**
 * Consumption restriction orders (限制消费令; 限消规定 arts. 1-11, ADR 019): issued with every
 * listing (art. 1) or on their own; the restricted items (art. 3); for a company, the legal
 * representative, persons in charge, persons directly responsible and the actual controller
 * named and restricted with it; exceptions approved by the court; lifted on security, the
 * applicant's consent, or full performance (art. 9).
 */
import { and, eq, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  type CreditRestriction,
  creditRestrictedPersons,
  creditRestrictionExceptions,
  creditRestrictions,
  type RestrictedRole,
  type RestrictionLift,
} from '../../db/schema/credit.js';
import { organisations } from '../../db/schema/identity.js';
import { requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { beijingDateOf } from '../cases/time-limit.js';
import { DomainError, forbidden, notFound } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import { decideRestrictionActions } from './affordances.js';
import type { CreditDeps } from './deps.js';
import { sealId } from './ids.js';
import { missingCompanyRoles, RESTRICTED_ITEMS } from './rules.js';
import { ExceptionSchema, LiftRestrictionSchema, PrepareRestrictionSchema } from './schemas.js';
import { moveRestriction } from './transitions.js';

export interface DraftRestriction {
  caseId: string;
  courtId: string;
  listingId: string | null;
  orderNumber: string;
  subjectKind: 'person' | 'company';
  name: string;
  idNumber: string;
  province: string;
  items: readonly string[] | undefined;
  persons: { role: Exclude<RestrictedRole, 'debtor'>; name: string; idNumber: string }[];
  preparedBy: string;
  now: Date;
}

/** Writes a draft order and the persons it restricts (the debtor first) in the caller's transaction. */
export async function draftRestriction(deps: CreditDeps, tx: Tx, d: DraftRestriction) {
  const debtor = sealId(deps.piiKey, d.subjectKind, d.idNumber);
  const [r] = await tx
    .insert(creditRestrictions)
    .values({
      caseId: d.caseId,
      courtId: d.courtId,
      listingId: d.listingId,
      orderNumber: d.orderNumber,
      subjectKind: d.subjectKind,
      name: d.name,
      idPublished: debtor.idPublished,
      province: d.province,
      items: [...(d.items ?? RESTRICTED_ITEMS)],
      preparedBy: d.preparedBy,
      createdAt: d.now,
      updatedAt: d.now,
    })
    .returning();
  await tx.insert(creditRestrictedPersons).values([
    { restrictionId: r!.id, role: 'debtor' as const, name: d.name, ...debtor },
    ...d.persons.map((p) => ({
      restrictionId: r!.id,
      role: p.role,
      name: p.name,
      ...sealId(deps.piiKey, 'person', p.idNumber),
    })),
  ]);
  return r!;
}

export async function restrictionOfListing(tx: Tx, listingId: string) {
  const [r] = await tx
    .select()
    .from(creditRestrictions)
    .where(and(eq(creditRestrictions.listingId, listingId), eq(creditRestrictions.status, 'draft')))
    .for('update');
  return r ?? null;
}

/** Signed (限消规定 art. 5): the case's measure, the order in force, the partners told. */
export async function putInForce(
  deps: CreditDeps,
  tx: Tx,
  r: CreditRestriction,
  by: string,
  today: string,
  now: Date,
  requestId?: string,
) {
  const persons = await tx
    .select({ name: creditRestrictedPersons.name })
    .from(creditRestrictedPersons)
    .where(eq(creditRestrictedPersons.restrictionId, r.id));
  const measure = await deps.cases.recordMeasureIn(
    tx,
    by,
    r.caseId,
    {
      kind: 'consumption_restriction',
      takenOn: today,
      details: { persons: persons.map((p) => p.name).join('、'), documentNumber: r.orderNumber },
    },
    requestId,
  );
  return moveRestriction(
    tx,
    r,
    'in_force',
    { signedBy: by, issuedOn: today, publishedAt: now, measureId: measure.id },
    { actorId: by, requestId },
    now,
  );
}

/** Lifts the orders in force of a listing or of a case (art. 9), in the caller's transaction. */
export async function liftRestrictionsOf(
  tx: Tx,
  of: { listingId: string } | { caseId: string },
  ground: RestrictionLift,
  by: string | null,
  now: Date,
) {
  const where: SQL =
    'listingId' in of
      ? eq(creditRestrictions.listingId, of.listingId)
      : eq(creditRestrictions.caseId, of.caseId);
  const rows = await tx
    .select()
    .from(creditRestrictions)
    .where(and(where, eq(creditRestrictions.status, 'in_force')))
    .for('update');
  for (const r of rows)
    await moveRestriction(
      tx,
      r,
      'lifted',
      { liftedOn: beijingDateOf(now), liftGround: ground, liftedBy: by },
      { actorId: by, data: { ground } },
      now,
    );
}

/** An order on its own (art. 1: the debtor missed the enforcement notice's deadline), a draft for the president. */
export async function prepareRestriction(
  deps: CreditDeps,
  actor: Actor,
  caseId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:credit');
  const data = parseInput(PrepareRestrictionSchema, input);
  const c = await deps.cases.getCase(actor, caseId);
  if (c.readOnly) throw forbidden();
  if (c.status === 'concluded') throw new DomainError('conflict', 'credit.errors.caseClosed');
  if (data.subjectKind === 'company') {
    const missing = missingCompanyRoles(data.persons.map((p) => p.role));
    if (missing.length)
      throw validationError({ persons: missing.map((r) => `credit.errors.missingRole.${r}`) });
  }
  const [court] = await deps.db
    .select({ province: organisations.province })
    .from(organisations)
    .where(eq(organisations.id, c.courtId));
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const r = await draftRestriction(deps, tx, {
      caseId: c.id,
      courtId: c.courtId,
      listingId: null,
      orderNumber: data.orderNumber,
      subjectKind: data.subjectKind,
      name: data.name,
      idNumber: data.idNumber,
      province: court?.province ?? '',
      items: data.items,
      persons: data.persons,
      preparedBy: actor.userId,
      now,
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'credit.restriction_prepared',
      entityType: 'credit_restriction',
      entityId: r.id,
      data: { caseId: c.id },
      requestId,
    });
    return r;
  });
}

async function restrictionToWrite(tx: Tx, actor: Actor, id: string) {
  if (!isUuid(id)) throw notFound();
  const [r] = await tx.select().from(creditRestrictions).where(eq(creditRestrictions.id, id)).for('update');
  if (!r || r.courtId !== courtOf(actor)) throw notFound();
  return r;
}

/** The president signs an order made on its own. */
export async function signRestriction(deps: CreditDeps, actor: Actor, id: string, requestId?: string) {
  requirePermission(actor, 'sign:credit');
  if (!isUuid(id)) throw notFound();
  const [r0] = await deps.db.select().from(creditRestrictions).where(eq(creditRestrictions.id, id));
  if (!r0 || r0.courtId !== courtOf(actor)) throw notFound();
  requireAllowed(decideRestrictionActions(actor, r0), 'sign');
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    // putInForce locks the case (its measure) before the order is re-read under lock.
    const r = await restrictionToWrite(tx, actor, id);
    requireAllowed(decideRestrictionActions(actor, r), 'sign');
    return putInForce(deps, tx, r, actor.userId, beijingDateOf(now), now, requestId);
  });
}

/** Art. 3 last para.: spending the court allows (a named person's own money, a child's school …). */
export async function addException(
  deps: CreditDeps,
  actor: Actor,
  id: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'sign:credit');
  const data = parseInput(ExceptionSchema, input);
  return deps.db.transaction(async (tx) => {
    const r = await restrictionToWrite(tx, actor, id);
    requireAllowed(decideRestrictionActions(actor, r), 'addException');
    if (data.personId) {
      const [p] = await tx
        .select({ id: creditRestrictedPersons.id })
        .from(creditRestrictedPersons)
        .where(
          and(eq(creditRestrictedPersons.id, data.personId), eq(creditRestrictedPersons.restrictionId, r.id)),
        );
      if (!p) throw validationError({ personId: ['validation.required'] });
    }
    const [row] = await tx
      .insert(creditRestrictionExceptions)
      .values({ restrictionId: r.id, ...data, approvedBy: actor.userId, createdAt: deps.clock() })
      .returning();
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'credit.restriction_exception',
      entityType: 'credit_restriction',
      entityId: r.id,
      data: { item: data.item, fromOn: data.fromOn, untilOn: data.untilOn },
      requestId,
    });
    return row!;
  });
}

/** Art. 9: lifted on security or the applicant's consent; full performance lifts it too. */
export async function liftRestriction(
  deps: CreditDeps,
  actor: Actor,
  id: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:credit');
  const data = parseInput(LiftRestrictionSchema, input);
  return deps.db.transaction(async (tx) => {
    const r = await restrictionToWrite(tx, actor, id);
    requireAllowed(decideRestrictionActions(actor, r), 'lift');
    const now = deps.clock();
    return moveRestriction(
      tx,
      r,
      'lifted',
      { liftedOn: beijingDateOf(now), liftGround: data.ground, liftedBy: actor.userId },
      { actorId: actor.userId, requestId, data: { ground: data.ground } },
      now,
    );
  });
}
