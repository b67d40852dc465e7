/**
 * Listing decisions (失信规定 arts. 1-10; ADR 019): the clerk prepares one on a case (ground,
 * conduct, evidence, term, grace period, the published fields), the president signs it and it
 * takes effect (art. 5), with the consumption restriction order it must carry (限消规定 art. 1);
 * published at once or after the grace period; served on the debtor; corrected, revoked or
 * deleted on a ground (arts. 9-10), or by the term's expiry.
 */
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type Case, caseMeasures } from '../../db/schema/cases.js';
import { type CreditListing, creditListings, type DeletionGround } from '../../db/schema/credit.js';
import { organisations } from '../../db/schema/identity.js';
import { requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { addMonths, beijingDateOf } from '../cases/time-limit.js';
import { DomainError, forbidden, notFound } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { scheduleJob } from '../jobs/schedule.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import { decideListingActions } from './affordances.js';
import type { CreditDeps } from './deps.js';
import { sealId } from './ids.js';
import { draftRestriction, liftRestrictionsOf, putInForce, restrictionOfListing } from './restrictions.js';
import {
  deletionGroundOfClosure,
  extensionAllowed,
  type Ground,
  liftsRestriction,
  listingBars,
  missingCompanyRoles,
  personOfNationalId,
  publishOnOf,
  REQUEST_AGAIN_MONTHS,
  removalDueAt,
  termExpiresAt,
  termLastDay,
  termMonthsOf,
} from './rules.js';
import {
  CorrectListingSchema,
  DeleteListingSchema,
  PrepareListingSchema,
  RevokeListingSchema,
  ServiceSchema,
} from './schemas.js';
import { expiryJobKey, lockListing, moveListing, publishJobKey } from './transitions.js';

export const CREDIT_JOBS = { publish: 'credit.publish', expiry: 'credit.term-expiry' } as const;

type CaseView = Awaited<ReturnType<CreditDeps['cases']['getCase']>>;

/** What the bars are checked against: the case's debt, its seized property (art. 3). */
function caseFacts(c: CaseView) {
  // Seized property: the seizures' stated values, or the appraisal of the case's seized assets,
  // whichever is more (the same property is often on both records).
  const seizures = c.measures
    .filter((m) => m.kind === 'seizure')
    .reduce((s, m) => s + Number((m.details as { valueFen?: string }).valueFen ?? 0), 0);
  const appraised = c.assets.reduce((s, a) => s + Number(a.appraisalFen), 0);
  return { owedFen: Number(c.amountOwedFen), seizedFen: Math.max(seizures, appraised) };
}

function barredError(bars: string[]) {
  return new DomainError('conflict', 'credit.errors.barred', {
    params: { bars: bars.join(',') },
    fieldErrors: { bars: bars.map((b) => `credit.bars.${b}`) },
  });
}

/** The clerk prepares the decision (a draft, with its restriction order); the bars are checked now and again at signing. */
export async function prepareListing(
  deps: CreditDeps,
  actor: Actor,
  caseId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:credit');
  const data = parseInput(PrepareListingSchema, input);
  const c = await deps.cases.getCase(actor, caseId);
  if (c.readOnly) throw forbidden();
  if (c.status === 'concluded') throw new DomainError('conflict', 'credit.errors.caseClosed');
  const ground = data.ground as Ground;
  if (!extensionAllowed(ground, data.extensionYears))
    throw validationError({ extensionYears: ['credit.errors.extension'] });
  if (data.subjectKind === 'company') {
    const missing = missingCompanyRoles(data.persons.map((p) => p.role));
    if (missing.length)
      throw validationError({ persons: missing.map((r) => `credit.errors.missingRole.${r}`) });
  }
  const now = deps.clock();
  const today = beijingDateOf(now);
  const { owedFen, seizedFen } = caseFacts(c);
  const performedFen = Number(data.performed);
  if (performedFen >= owedFen) throw validationError({ performed: ['credit.errors.performedAll'] });
  const person = data.subjectKind === 'person' ? personOfNationalId(data.idNumber) : null;
  const bars = listingBars({
    ground,
    subjectKind: data.subjectKind,
    birthDate: person?.birthDate ?? null,
    on: today,
    owedFen: owedFen - performedFen,
    seizedFen,
    securityGiven: data.securityGiven,
    laterInOrder: data.laterInOrder,
  });
  if (bars.length) throw barredError(bars);
  const id = sealId(deps.piiKey, data.subjectKind, data.idNumber);
  const [court] = await deps.db
    .select({ province: organisations.province })
    .from(organisations)
    .where(eq(organisations.id, c.courtId));

  return deps.db.transaction(async (tx) => {
    // 失信规定 art. 10 last para.: deleted on the applicant's request, listed again on his request within 6 months: refused.
    const recent = await tx
      .select({ id: creditListings.id })
      .from(creditListings)
      .where(
        and(
          eq(creditListings.caseId, c.id),
          eq(creditListings.idDigest, id.idDigest),
          eq(creditListings.deletionGround, 'applicant_request'),
          gte(
            creditListings.removedAt,
            new Date(`${addMonths(today, -REQUEST_AGAIN_MONTHS)}T00:00:00+08:00`),
          ),
        ),
      );
    if (recent.length) throw new DomainError('conflict', 'credit.errors.requestedDeletion');
    const [l] = await tx
      .insert(creditListings)
      .values({
        caseId: c.id,
        courtId: c.courtId,
        decisionNumber: data.decisionNumber,
        subjectKind: data.subjectKind,
        name: data.name,
        sex: person?.sex ?? null,
        birthDate: person?.birthDate ?? null,
        ...id,
        legalRepresentative: data.subjectKind === 'company' ? (data.legalRepresentative ?? null) : null,
        province: court?.province ?? '',
        ground,
        conduct: data.conduct,
        evidence: data.evidence,
        termMonths: termMonthsOf(ground, data.extensionYears),
        obligation: data.obligation,
        titleNumber: data.titleNumber,
        titleIssuer: data.titleIssuer,
        performedFen,
        unperformedFen: owedFen - performedFen,
        graceMonths: data.graceMonths,
        preparedBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await draftRestriction(deps, tx, {
      caseId: c.id,
      courtId: c.courtId,
      listingId: l!.id,
      orderNumber: data.orderNumber ?? data.decisionNumber,
      subjectKind: data.subjectKind,
      name: data.name,
      idNumber: data.idNumber,
      province: court?.province ?? '',
      items: undefined,
      persons: data.persons,
      preparedBy: actor.userId,
      now,
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'credit.listing_prepared',
      entityType: 'credit_listing',
      entityId: l!.id,
      data: { caseId: c.id, ground },
      requestId,
    });
    return l!;
  });
}

/** A listing of the actor's own court, locked; another court's is not found. */
async function listingToWrite(tx: Tx, actor: Actor, id: string) {
  if (!isUuid(id)) throw notFound();
  const l = await lockListing(tx, id);
  if (!l || l.courtId !== courtOf(actor)) throw notFound();
  return l;
}

/** Publishes a decided listing now (its grace period over): the public and the partners see it. */
async function publish(tx: Tx, l: CreditListing, by: string | null, now: Date) {
  return moveListing(
    tx,
    l,
    'published',
    { publishedAt: now },
    'credit.listing_published',
    { actorId: by },
    now,
  );
}

/**
 * The president signs: the bars again (property may have been seized since), the case's measure,
 * the restriction order in force, publication now or a job at the end of the grace period, and
 * a job at the term's expiry.
 */
export async function decideListing(deps: CreditDeps, actor: Actor, listingId: string, requestId?: string) {
  requirePermission(actor, 'sign:credit');
  if (!isUuid(listingId)) throw notFound();
  const [draft] = await deps.db.select().from(creditListings).where(eq(creditListings.id, listingId));
  if (!draft || draft.courtId !== courtOf(actor)) throw notFound();
  requireAllowed(decideListingActions(actor, draft), 'decide');
  const c = await deps.cases.getCase(actor, draft.caseId);
  const now = deps.clock();
  const today = beijingDateOf(now);
  const { seizedFen } = caseFacts(c);
  const bars = listingBars({
    ground: draft.ground as Ground,
    subjectKind: draft.subjectKind,
    birthDate: draft.birthDate,
    on: today,
    owedFen: draft.unperformedFen,
    seizedFen,
    securityGiven: false,
    laterInOrder: false,
  });
  if (bars.length) throw barredError(bars);

  return deps.db.transaction(async (tx) => {
    // The case first (the measure locks it), then the listing: the order the case's closure takes.
    const measure = await deps.cases.recordMeasureIn(
      tx,
      actor.userId,
      draft.caseId,
      {
        kind: 'dishonest_listing',
        takenOn: today,
        details: {
          ground: draft.ground,
          ...(draft.termMonths !== null && { termMonths: draft.termMonths }),
          documentNumber: draft.decisionNumber,
        },
      },
      requestId,
    );
    const l = await listingToWrite(tx, actor, listingId);
    requireAllowed(decideListingActions(actor, l), 'decide');
    const publishOn = publishOnOf(today, l.graceMonths);
    const expiresOn = l.termMonths !== null ? termLastDay(today, l.termMonths) : null;
    let row = await moveListing(
      tx,
      l,
      'decided',
      { decidedBy: actor.userId, decidedOn: today, publishOn, expiresOn, measureId: measure.id },
      'credit.listing_decided',
      { actorId: actor.userId, requestId, data: { publishOn, expiresOn } },
      now,
    );
    const restriction = await restrictionOfListing(tx, l.id);
    if (restriction) await putInForce(deps, tx, restriction, actor.userId, today, now, requestId);
    if (publishOn <= today) row = await publish(tx, row, actor.userId, now);
    else
      await scheduleJob(tx, {
        kind: CREDIT_JOBS.publish,
        key: publishJobKey(l.id),
        runAt: new Date(`${publishOn}T00:00:00+08:00`),
        payload: { listingId: l.id },
      });
    if (expiresOn)
      await scheduleJob(tx, {
        kind: CREDIT_JOBS.expiry,
        key: expiryJobKey(l.id),
        runAt: termExpiresAt(expiresOn),
        payload: { listingId: l.id },
      });
    return row;
  });
}

/** Art. 5: the decision served on the debtor. */
export async function recordService(
  deps: CreditDeps,
  actor: Actor,
  listingId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:credit');
  const data = parseInput(ServiceSchema, input);
  return deps.db.transaction(async (tx) => {
    const l = await listingToWrite(tx, actor, listingId);
    requireAllowed(decideListingActions(actor, l), 'serve');
    if (data.servedOn < l.decidedOn! || data.servedOn > beijingDateOf(deps.clock()))
      throw validationError({ servedOn: ['validation.date'] });
    const now = deps.clock();
    const [row] = await tx
      .update(creditListings)
      .set({ servedOn: data.servedOn, serviceMethod: data.method, updatedAt: now })
      .where(eq(creditListings.id, l.id))
      .returning();
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'credit.listing_served',
      entityType: 'credit_listing',
      entityId: l.id,
      data,
      requestId,
    });
    return row!;
  });
}

/** Removes a listing on a deletion ground (art. 10): when the ground arose, when it was due, now. */
export async function removeListing(
  tx: Tx,
  l: CreditListing,
  ground: DeletionGround,
  groundAt: Date,
  by: string | null,
  now: Date,
  reason: string | null,
  requestId?: string,
) {
  return moveListing(
    tx,
    l,
    'deleted',
    {
      deletionGround: ground,
      deletionGroundAt: groundAt,
      deletionDueAt: removalDueAt(groundAt),
      removedAt: now,
      removalReason: reason,
    },
    'credit.listing_deleted',
    { actorId: by, requestId, data: { ground } },
    now,
  );
}

/** The court deletes a listing on a ground of art. 10 (the applicant's request, two empty searches …). */
export async function deleteListing(
  deps: CreditDeps,
  actor: Actor,
  listingId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:credit');
  const data = parseInput(DeleteListingSchema, input);
  return deps.db.transaction(async (tx) => {
    const l = await listingToWrite(tx, actor, listingId);
    requireAllowed(decideListingActions(actor, l), 'delete');
    const now = deps.clock();
    const row = await removeListing(tx, l, data.ground, now, actor.userId, now, data.reason, requestId);
    // 限消规定 art. 9: performance lifts the order; the applicant's request is his consent.
    if (data.ground === 'performed' || data.ground === 'settlement_performed')
      await liftRestrictionsOf(tx, { listingId: l.id }, 'full_performance', actor.userId, now);
    if (data.ground === 'applicant_request')
      await liftRestrictionsOf(tx, { listingId: l.id }, 'consent', actor.userId, now);
    return row;
  });
}

/** Art. 9: wrongly listed, revoked (the president, who signed it). */
export async function revokeListing(
  deps: CreditDeps,
  actor: Actor,
  listingId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'sign:credit');
  const data = parseInput(RevokeListingSchema, input);
  return deps.db.transaction(async (tx) => {
    const l = await listingToWrite(tx, actor, listingId);
    requireAllowed(decideListingActions(actor, l), 'revoke');
    const now = deps.clock();
    const row = await moveListing(
      tx,
      l,
      'revoked',
      { removedAt: now, removalReason: data.reason, deletionDueAt: removalDueAt(now), deletionGroundAt: now },
      'credit.listing_revoked',
      { actorId: actor.userId, requestId },
      now,
    );
    await liftRestrictionsOf(tx, { listingId: l.id }, 'consent', actor.userId, now);
    return row;
  });
}

/** Art. 9: wrong published data corrected; the partners get the new version. */
export async function correctListing(
  deps: CreditDeps,
  actor: Actor,
  listingId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:credit');
  const data = parseInput(CorrectListingSchema, input);
  return deps.db.transaction(async (tx) => {
    const l = await listingToWrite(tx, actor, listingId);
    requireAllowed(decideListingActions(actor, l), 'correct');
    const now = deps.clock();
    const performedFen = data.performed !== undefined ? Number(data.performed) : l.performedFen;
    const total = l.performedFen + l.unperformedFen;
    if (performedFen >= total) throw validationError({ performed: ['credit.errors.performedAll'] });
    const patch = {
      ...(data.name && { name: data.name }),
      ...(data.conduct && { conduct: data.conduct }),
      ...(data.obligation && { obligation: data.obligation }),
      ...(data.legalRepresentative &&
        l.subjectKind === 'company' && { legalRepresentative: data.legalRepresentative }),
      performedFen,
      unperformedFen: total - performedFen,
      version: l.version + 1,
    };
    return moveListing(
      tx,
      l,
      l.status,
      patch,
      'credit.listing_corrected',
      { actorId: actor.userId, requestId, data: { reason: data.reason, fields: Object.keys(patch) } },
      now,
    );
  });
}

/**
 * In the case's closing transaction (the cases module's `onClosed`): a closure that is a
 * deletion ground of art. 10 deletes the case's listings at once (well within the 3 working
 * days, whose due instant is recorded); full performance lifts the restriction orders
 * (限消规定 art. 9).
 */
export async function onCaseClosed(tx: Tx, closed: Case, now: Date) {
  if (!closed.closureMode) return;
  const ground = deletionGroundOfClosure(closed.closureMode);
  if (ground) {
    const open = await tx
      .select()
      .from(creditListings)
      .where(
        and(eq(creditListings.caseId, closed.id), inArray(creditListings.status, ['decided', 'published'])),
      )
      .for('update');
    for (const l of open) await removeListing(tx, l, ground, now, null, now, null);
  }
  if (liftsRestriction(closed.closureMode))
    await liftRestrictionsOf(tx, { caseId: closed.id }, 'full_performance', null, now);
}

/** 失信规定 art. 10(4): after 终本, this many online searches found nothing (and no lead): deleted. */
export const EMPTY_SEARCHES_TO_DELETE = 2;

/** A search's record found disposable property (the periodic search's `details.subjects[].findings[]`). */
const anyDisposable = sql`exists (
  select 1 from jsonb_array_elements(m.details->'subjects') s, jsonb_array_elements(s->'findings') f
  where (f->>'disposable')::boolean)`;

/**
 * In the transaction of a re-search after 终本 (the cases module's `onResearched`): the second
 * empty search with no property found by any, and no lead open (no resumption due, no bounty tip
 * waiting or verified), deletes the case's listings at once, within art. 10's 3 working days.
 * `openLeads` is the bounty tips on the case still received or valid (services.ts asks the
 * bounties module).
 */
export async function onCaseResearched(
  tx: Tx,
  c: Case,
  search: { n: number; found: boolean },
  now: Date,
  openLeads: number,
) {
  if (search.found || openLeads > 0 || c.closureMode !== 'terminated_for_now') return;
  const [row] = await tx.execute<{ empty: number; found: number }>(sql`
    select count(*) filter (where not ${anyDisposable})::int as empty,
           count(*) filter (where ${anyDisposable})::int as found
    from ${caseMeasures} m
    where m.case_id = ${c.id} and m.kind = 'online_search' and m.details ? 'periodic'`);
  if (!row || row.found > 0 || row.empty < EMPTY_SEARCHES_TO_DELETE) return;
  const open = await tx
    .select()
    .from(creditListings)
    .where(and(eq(creditListings.caseId, c.id), inArray(creditListings.status, ['decided', 'published'])))
    .for('update');
  for (const l of open) await removeListing(tx, l, 'no_property_after_zhongben', now, null, now, null);
}

/** The grace period is over: publish (the job `credit.publish`). */
export async function publishDue(tx: Tx, listingId: string, now: Date) {
  const l = await lockListing(tx, listingId);
  if (l?.status !== 'decided' || (l.publishOn && l.publishOn > beijingDateOf(now))) return;
  await publish(tx, l, null, now);
}

/** The term has run out (the job `credit.term-expiry`): deleted, the ground dated at the expiry. */
export async function expireTerm(tx: Tx, listingId: string, now: Date) {
  const l = await lockListing(tx, listingId);
  if (!l || (l.status !== 'decided' && l.status !== 'published') || !l.expiresOn) return;
  const expiredAt = termExpiresAt(l.expiresOn);
  if (expiredAt > now) return;
  await removeListing(tx, l, 'term_expired', expiredAt, null, now, null);
}
