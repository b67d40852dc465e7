/**
 * Filing a claim (domain "Claims"): the clerk (on the creditor's behalf, also for an oral
 * application) or the creditor opens a draft, attaches the documents and submits it; the
 * applicant's side may withdraw it until the court has decided.
 */
import { and, desc, eq, ne, notInArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type AidDocumentKind, aidClaimDocuments, aidClaims, aidPolicies } from '../../db/schema/aid.js';
import { caseParties, cases } from '../../db/schema/cases.js';
import { DomainError, forbidden, isUniqueViolation, notFound } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { scheduleJob } from '../jobs/schedule.js';
import { checkUpload, storeUpload, UPLOAD_RULES } from '../storage/storage.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import { lockClaimFor, moveClaim } from './claim-actions.js';
import { AID_JOBS, dueJobKey } from './claim-jobs.js';
import { claimScope, recordClaimEvent, transitionClaim, viewerOf } from './common.js';
import type { AidDeps } from './deps.js';
import { beijingDate, computePayout, decisionDueAt, formulaFromJson, missingDocuments } from './rules.js';
import { CreateClaimSchema, DocumentKindSchema, OptionalReasonSchema } from './schemas.js';

/** A clerk (on the creditor's behalf, also for an oral application) or the creditor opens a draft claim. */
export async function createClaim(deps: AidDeps, actor: Actor, input: unknown, requestId?: string) {
  const v = viewerOf(actor);
  if (v.kind === 'court') requirePermission(actor, 'create:aid-claim');
  else if (v.kind === 'creditor') requirePermission(actor, 'create:aid-claim:own');
  else throw forbidden();
  const data = parseInput(CreateClaimSchema, input);
  const [found] = await deps.db
    .select({ c: cases, party: caseParties })
    .from(caseParties)
    .innerJoin(cases, eq(cases.id, caseParties.caseId))
    .where(
      and(
        eq(caseParties.id, data.partyId),
        eq(cases.id, data.caseId),
        v.kind === 'court' ? eq(cases.courtId, v.orgId) : eq(caseParties.userId, actor.userId),
      ),
    );
  if (!found) throw notFound();
  if (found.party.role !== 'applicant') throw validationError({ partyId: ['aidValidation.notApplicant'] });
  if (found.party.claimFen !== null && data.unpaid > found.party.claimFen)
    throw validationError({ unpaid: ['aidValidation.unpaidAboveClaim'] });
  const [policy] = await deps.db.select().from(aidPolicies).where(eq(aidPolicies.id, data.policyId));
  if (policy?.courtId !== found.c.courtId) throw validationError({ policyId: ['aidValidation.policyCourt'] });
  if (!policy.eligibleCaseTypes.includes(data.caseType))
    throw validationError({ caseType: ['aidValidation.caseTypeNotCovered'] });
  // The ground for aid is the case's own closure: closed as 终本, or another ground explained.
  const zhongben = await deps.cases.zhongbenOf(found.c.id);
  if (!zhongben && !data.eligibilityNote)
    throw validationError({ eligibilityNote: ['aidValidation.eligibilityNote'] });
  const now = deps.clock();
  try {
    return await deps.db.transaction(async (tx) => {
      await assertNoOtherClaim(tx, found.c.id, found.party.id);
      const [serial] = await tx.execute<{ n: string }>(sql`select nextval('aid_claim_serial')::text as n`);
      const number = `JZ${beijingDate(now).slice(0, 4)}${String(serial!.n).padStart(6, '0')}`;
      const [row] = await tx
        .insert(aidClaims)
        .values({
          number,
          courtId: found.c.courtId,
          policyId: policy.id,
          insurerId: policy.insurerId,
          caseId: found.c.id,
          partyId: found.party.id,
          applicantName: found.party.name,
          applicantIdMasked: found.party.idNumberMasked,
          applicantUserId: found.party.userId,
          caseType: data.caseType,
          eligibility: zhongben ? 'terminated_without_property' : 'other',
          eligibilityNote: data.eligibilityNote ?? null,
          hardship: data.hardship,
          unpaidFen: data.unpaid,
          requestedFen: data.requested,
          computedFen: computePayout(data.unpaid, formulaFromJson(policy.formula)),
          payeeName: data.payeeName,
          bankName: data.bankName,
          accountNumber: data.accountNumber,
          filedVia: v.kind === 'creditor' ? 'creditor' : data.filedVia === 'oral' ? 'oral' : 'clerk',
          filedBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await recordClaimEvent(
        tx,
        row!.id,
        { action: 'draft', to: 'draft', actorId: actor.userId, amountFen: row!.requestedFen, at: now },
        requestId,
      );
      return row!;
    });
  } catch (e) {
    if (isUniqueViolation(e, 'aid_claims_once_per_applicant'))
      throw new DomainError('conflict', 'aidErrors.alreadyClaimed');
    throw e;
  }
}

/** Policy rule: aid once per applicant per case (a refused or withdrawn claim does not count). */
async function assertNoOtherClaim(tx: Tx, caseId: string, partyId: string, except?: string) {
  const [other] = await tx
    .select({ id: aidClaims.id })
    .from(aidClaims)
    .where(
      and(
        eq(aidClaims.caseId, caseId),
        eq(aidClaims.partyId, partyId),
        notInArray(aidClaims.status, ['rejected', 'declined', 'withdrawn']),
        except ? ne(aidClaims.id, except) : undefined,
      ),
    );
  if (other) throw new DomainError('conflict', 'aidErrors.alreadyClaimed');
}

/** Documents are checked on their bytes (type, size) before anything is stored. */
export async function attachDocument(
  deps: AidDeps,
  actor: Actor,
  claimId: string,
  file: { kind: unknown; filename: string; bytes: Uint8Array },
  requestId?: string,
) {
  requirePermission(actor, viewerOf(actor).kind === 'creditor' ? 'create:aid-claim:own' : 'create:aid-claim');
  const kind: AidDocumentKind = parseInput(DocumentKindSchema, file.kind);
  const upload = checkUpload(UPLOAD_RULES.other, file);
  // Scope and status are checked before the bytes are stored, then again under the lock.
  await deps.db.transaction((tx) => lockClaimFor(deps, tx, actor, claimId, 'upload'));
  return storeUpload(deps.storage, upload, (stored) =>
    deps.db.transaction(async (tx) => {
      const { claim: c } = await lockClaimFor(deps, tx, actor, claimId, 'upload');
      const now = deps.clock();
      const [row] = await tx
        .insert(aidClaimDocuments)
        .values({ claimId: c.id, kind, ...stored, uploadedBy: actor.userId, createdAt: now })
        .returning();
      await recordClaimEvent(
        tx,
        c.id,
        {
          action: 'document',
          actorId: actor.userId,
          at: now,
          data: { kind, documentId: row!.id, sha256: stored.sha256 },
        },
        requestId,
      );
      return row!;
    }),
  );
}

/** A document's bytes, for whoever may see the claim. */
export async function readDocument(deps: AidDeps, actor: Actor, documentId: string) {
  requirePermission(actor, viewerOf(actor).kind === 'creditor' ? 'read:aid-claim:own' : 'read:aid-claim');
  if (!isUuid(documentId)) throw notFound();
  const [row] = await deps.db
    .select({ doc: aidClaimDocuments })
    .from(aidClaimDocuments)
    .innerJoin(aidClaims, eq(aidClaims.id, aidClaimDocuments.claimId))
    .where(and(eq(aidClaimDocuments.id, documentId), claimScope(viewerOf(actor))));
  if (!row) throw notFound();
  return { file: row.doc, bytes: await deps.storage.get(row.doc.storageKey) };
}

/** Draft or returned → submitted: documents complete, policy in force; the 10-working-day clock starts. */
export async function submit(deps: AidDeps, actor: Actor, id: string, requestId?: string) {
  return deps.db.transaction(async (tx) => {
    const { claim: c } = await lockClaimFor(deps, tx, actor, id, 'submit');
    const docs = await tx
      .select({ kind: aidClaimDocuments.kind })
      .from(aidClaimDocuments)
      .where(eq(aidClaimDocuments.claimId, c.id));
    const missing = missingDocuments(
      c.caseType,
      c.eligibility,
      docs.map((d) => d.kind),
    );
    if (missing.length)
      throw new DomainError('validation', 'aidErrors.missingDocuments', {
        params: { kinds: missing.join(',') },
        fieldErrors: { documents: missing.map((k) => `aidDocumentKind.${k}`) },
      });
    const [policy] = await tx.select().from(aidPolicies).where(eq(aidPolicies.id, c.policyId));
    const now = deps.clock();
    const today = beijingDate(now);
    if (!policy || today < policy.startsOn || today > policy.endsOn)
      throw new DomainError('conflict', 'aidErrors.policyNotInForce');
    await assertNoOtherClaim(tx, c.caseId, c.partyId, c.id);
    const due = decisionDueAt(now);
    const updated = await transitionClaim(tx, c, 'submitted', {
      actorId: actor.userId,
      at: now,
      requestId,
      amountFen: c.requestedFen,
      patch: {
        submittedAt: now,
        firstSubmittedAt: c.firstSubmittedAt ?? now,
        decisionDueAt: due,
        overdueNotifiedAt: null,
        computedFen: computePayout(c.unpaidFen, formulaFromJson(policy.formula)),
      },
    });
    await scheduleJob(tx, {
      kind: AID_JOBS.decisionDue,
      key: dueJobKey(c.id),
      runAt: due,
      payload: { claimId: c.id },
    });
    return updated;
  });
}

export async function withdraw(deps: AidDeps, actor: Actor, id: string, input: unknown, requestId?: string) {
  const { reason } = parseInput(OptionalReasonSchema, input);
  return moveClaim(
    deps,
    actor,
    id,
    'withdraw',
    'withdrawn',
    { reason: reason ?? null, stopsClock: true },
    requestId,
  );
}

/** What a clerk needs to file a claim for a case: its applicants and the court's policies in force. */
export async function filingContext(deps: AidDeps, actor: Actor, caseNumber: string) {
  requirePermission(actor, 'create:aid-claim');
  const v = viewerOf(actor);
  if (v.kind !== 'court') throw forbidden();
  const normalised = caseNumber.trim().replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '');
  const [c] = await deps.db
    .select()
    .from(cases)
    .where(and(eq(cases.caseNumber, normalised), eq(cases.courtId, v.orgId)));
  if (!c) throw notFound('aidErrors.caseNotFound');
  const [parties, policyRows] = await Promise.all([
    deps.db
      .select()
      .from(caseParties)
      .where(and(eq(caseParties.caseId, c.id), eq(caseParties.role, 'applicant'))),
    deps.db
      .select()
      .from(aidPolicies)
      .where(eq(aidPolicies.courtId, v.orgId))
      .orderBy(desc(aidPolicies.startsOn)),
  ]);
  const today = beijingDate(deps.clock());
  const existing = await deps.db
    .select({ partyId: aidClaims.partyId, number: aidClaims.number, id: aidClaims.id })
    .from(aidClaims)
    .where(
      and(eq(aidClaims.caseId, c.id), notInArray(aidClaims.status, ['rejected', 'declined', 'withdrawn'])),
    );
  return {
    case: c,
    zhongben: await deps.cases.zhongbenOf(c.id),
    parties: parties.map((p) => ({ ...p, existingClaim: existing.find((e) => e.partyId === p.id) ?? null })),
    policies: policyRows
      .filter((p) => p.startsOn <= today && today <= p.endsOn)
      .map((p) => ({ ...p, formula: formulaFromJson(p.formula) })),
  };
}
