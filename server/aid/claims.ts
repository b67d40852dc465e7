import { and, asc, desc, eq, ilike, inArray, lte, ne, notInArray, or, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.js';
import {
  type AidClaim,
  type AidDocumentKind,
  aidClaimDocuments,
  aidClaimEvents,
  aidClaims,
  aidPayments,
  aidPolicies,
  aidRecoveries,
} from '../../db/schema/aid.js';
import { caseParties, cases } from '../../db/schema/cases.js';
import { organisations, users } from '../../db/schema/identity.js';
import type { Clock } from '../clock.js';
import { DomainError, forbidden, isUniqueViolation, notFound } from '../errors.js';
import { type Actor, can, requirePermission } from '../identity/permissions.js';
import { cancelJob, scheduleJob } from '../jobs/runner.js';
import { type BlobStorage, sniffContentType, UPLOAD_RULES } from '../storage/storage.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import {
  claimScope,
  lockClaim,
  postAid,
  recordClaimEvent,
  remainingLimits,
  transitionClaim,
  viewerOf,
} from './common.js';
import type { AidPolicyService } from './policies.js';
import {
  AWAITING_DECISION,
  awardCeiling,
  beijingDate,
  CLAIM_STATUSES,
  computePayout,
  DOCUMENTS_OPEN,
  decisionDueAt,
  formulaFromJson,
  IN_FLIGHT,
  isOverdue,
  ledgerCodes,
  missingDocuments,
  needsCommittee,
  unscheduledFen,
} from './rules.js';
import {
  AmountDecisionSchema,
  ClaimFilterSchema,
  CreateClaimSchema,
  DocumentKindSchema,
  OptionalReasonSchema,
  ReasonSchema,
  RecoverySchema,
} from './schemas.js';

export const AID_JOBS = { decisionDue: 'aid.decision_due' } as const;
const dueJobKey = (claimId: string) => `aid:claim:${claimId}:decision-due`;
const PAGE_SIZE = 25;

const limitExhausted = (remainingFen: bigint) =>
  new DomainError('conflict', 'aidErrors.limitExhausted', { params: { remaining: remainingFen.toString() } });

/**
 * Aid claims and their review chain (issue 5 §2-3, §5). Every status change goes through
 * `transitionClaim` (common.ts); every read and write is scoped by `claimScope`, so a claim of
 * another court or insurer is "not found".
 */
export function createAidClaimService({
  db,
  clock,
  storage,
  policies,
}: {
  db: Database;
  clock: Clock;
  storage: BlobStorage;
  policies: AidPolicyService;
}) {
  /** The applicant's side: the court's clerks (on his behalf) or the creditor himself. */
  function requireFilerSide(actor: Actor, claim: AidClaim) {
    const v = viewerOf(actor);
    if (v.kind === 'court' && can(actor, 'create:aid-claim')) return;
    if (v.kind === 'creditor' && can(actor, 'create:aid-claim:own') && claim.applicantUserId === actor.userId)
      return;
    throw forbidden();
  }

  /** Court staff of the claim's court (lockClaim already scoped the row to the actor's organisation). */
  function requireCourt(actor: Actor) {
    if (viewerOf(actor).kind !== 'court') throw forbidden();
  }
  function requireInsurer(actor: Actor) {
    if (viewerOf(actor).kind !== 'insurer') throw forbidden();
  }

  async function inTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return db.transaction(fn);
  }

  // ---- Filing ---------------------------------------------------------------------------------

  /** A clerk (on the creditor's behalf, also for an oral application) or the creditor opens a draft claim. */
  async function createClaim(actor: Actor, input: unknown, requestId?: string) {
    const v = viewerOf(actor);
    if (v.kind === 'court') requirePermission(actor, 'create:aid-claim');
    else if (v.kind === 'creditor') requirePermission(actor, 'create:aid-claim:own');
    else throw forbidden();
    const data = parseInput(CreateClaimSchema, input);
    const [found] = await db
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
    const [policy] = await db.select().from(aidPolicies).where(eq(aidPolicies.id, data.policyId));
    if (policy?.courtId !== found.c.courtId)
      throw validationError({ policyId: ['aidValidation.policyCourt'] });
    if (!policy.eligibleCaseTypes.includes(data.caseType))
      throw validationError({ caseType: ['aidValidation.caseTypeNotCovered'] });
    const now = clock();
    try {
      return await inTx(async (tx) => {
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
            eligibility: data.eligibility,
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
  async function attachDocument(
    actor: Actor,
    claimId: string,
    file: { kind: unknown; filename: string; bytes: Uint8Array },
    requestId?: string,
  ) {
    requirePermission(
      actor,
      viewerOf(actor).kind === 'creditor' ? 'create:aid-claim:own' : 'create:aid-claim',
    );
    const kind: AidDocumentKind = parseInput(DocumentKindSchema, file.kind);
    const rule = UPLOAD_RULES.other;
    if (file.bytes.byteLength === 0) throw validationError({ file: ['validation.fileEmpty'] });
    if (file.bytes.byteLength > rule.maxBytes) throw validationError({ file: ['validation.fileTooLarge'] });
    const contentType = sniffContentType(file.bytes);
    if (!contentType || !(rule.types as readonly string[]).includes(contentType))
      throw validationError({ file: ['validation.fileType'] });
    const filename = file.filename.replace(/[\\/\0\r\n"]/g, '_').slice(0, 200) || 'file';
    // Scope and status are checked before the bytes are stored, then again under the lock.
    await inTx(async (tx) => {
      const c = await lockClaim(tx, actor, claimId);
      requireFilerSide(actor, c);
      if (!DOCUMENTS_OPEN.includes(c.status)) throw new DomainError('conflict', 'aidErrors.documentsClosed');
    });
    const stored = await storage.put(file.bytes);
    try {
      return await inTx(async (tx) => {
        const c = await lockClaim(tx, actor, claimId);
        if (!DOCUMENTS_OPEN.includes(c.status))
          throw new DomainError('conflict', 'aidErrors.documentsClosed');
        const now = clock();
        const [row] = await tx
          .insert(aidClaimDocuments)
          .values({
            claimId: c.id,
            kind,
            filename,
            contentType,
            size: file.bytes.byteLength,
            sha256: stored.sha256,
            storageKey: stored.key,
            uploadedBy: actor.userId,
            createdAt: now,
          })
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
      });
    } catch (e) {
      await storage.delete(stored.key); // no orphan bytes when the row was not written
      throw e;
    }
  }

  /** A document's bytes, for whoever may see the claim. */
  async function readDocument(actor: Actor, documentId: string) {
    requirePermission(actor, viewerOf(actor).kind === 'creditor' ? 'read:aid-claim:own' : 'read:aid-claim');
    if (!isUuid(documentId)) throw notFound();
    const [row] = await db
      .select({ doc: aidClaimDocuments })
      .from(aidClaimDocuments)
      .innerJoin(aidClaims, eq(aidClaims.id, aidClaimDocuments.claimId))
      .where(and(eq(aidClaimDocuments.id, documentId), claimScope(viewerOf(actor))));
    if (!row) throw notFound();
    return { file: row.doc, bytes: await storage.get(row.doc.storageKey) };
  }

  /** Draft or returned → submitted: documents complete, policy in force; the 10-working-day clock starts. */
  async function submit(actor: Actor, id: string, requestId?: string) {
    return inTx(async (tx) => {
      const c = await lockClaim(tx, actor, id);
      requireFilerSide(actor, c);
      if (c.status !== 'draft' && c.status !== 'returned')
        throw new DomainError('conflict', 'aidErrors.badTransition', {
          params: { from: c.status, to: 'submitted' },
        });
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
      const now = clock();
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

  async function withdraw(actor: Actor, id: string, input: unknown, requestId?: string) {
    const { reason } = parseInput(OptionalReasonSchema, input);
    return inTx(async (tx) => {
      const c = await lockClaim(tx, actor, id);
      requireFilerSide(actor, c);
      const updated = await transitionClaim(tx, c, 'withdrawn', {
        actorId: actor.userId,
        at: clock(),
        reason: reason ?? null,
        requestId,
      });
      await cancelJob(tx, dueJobKey(c.id));
      return updated;
    });
  }

  // ---- Court review ---------------------------------------------------------------------------

  /** The enforcement bureau asks for missing or better documents; the applicant resubmits. */
  async function returnForDocuments(actor: Actor, id: string, input: unknown, requestId?: string) {
    requirePermission(actor, 'review:aid-claim');
    requireCourt(actor);
    const { reason } = parseInput(ReasonSchema, input);
    return inTx(async (tx) => {
      const c = await lockClaim(tx, actor, id);
      const updated = await transitionClaim(tx, c, 'returned', {
        actorId: actor.userId,
        at: clock(),
        reason,
        requestId,
      });
      await cancelJob(tx, dueJobKey(c.id));
      return updated;
    });
  }

  /** The bureau takes the claim up (home visit, community check). */
  async function startCourtReview(actor: Actor, id: string, requestId?: string) {
    requirePermission(actor, 'review:aid-claim');
    requireCourt(actor);
    return inTx(async (tx) => {
      const c = await lockClaim(tx, actor, id);
      return transitionClaim(tx, c, 'court_review', {
        actorId: actor.userId,
        at: clock(),
        requestId,
        patch: { courtReviewerId: actor.userId },
      });
    });
  }

  function checkAward(c: AidClaim, amount: bigint) {
    const ceiling = awardCeiling(c.requestedFen, c.computedFen);
    if (amount > ceiling)
      throw new DomainError('validation', 'aidErrors.aboveCeiling', {
        params: { ceiling: ceiling.toString() },
        fieldErrors: { amount: ['aidErrors.aboveCeiling'] },
      });
  }

  /** Above the court's authority the bureau refers the claim, with its proposed award, to the committee. */
  async function referToCommittee(actor: Actor, id: string, input: unknown, requestId?: string) {
    requirePermission(actor, 'review:aid-claim');
    requireCourt(actor);
    const { amount, reason } = parseInput(AmountDecisionSchema, input);
    return inTx(async (tx) => {
      const c = await lockClaim(tx, actor, id);
      checkAward(c, amount);
      return transitionClaim(tx, c, 'committee_review', {
        actorId: actor.userId,
        at: clock(),
        amountFen: amount,
        reason: reason ?? null,
        requestId,
        patch: { referredBy: actor.userId },
      });
    });
  }

  /**
   * The court approves an award: the bureau within the court's authority, the adjudication
   * committee above it (domain "Claims"). Nobody approves a claim he filed; the judge who
   * referred a claim does not decide it in committee alone. The payee's account counts as
   * verified by the court from here on.
   */
  async function courtApprove(actor: Actor, id: string, input: unknown, requestId?: string) {
    requireCourt(actor);
    const { amount, reason } = parseInput(AmountDecisionSchema, input);
    return inTx(async (tx) => {
      const c = await lockClaim(tx, actor, id);
      if (c.status === 'committee_review') {
        requirePermission(actor, 'decide:aid-committee');
        if (c.referredBy === actor.userId)
          throw new DomainError('forbidden', 'aidErrors.committeeNotReferrer');
      } else {
        requirePermission(actor, 'review:aid-claim');
        if (c.status === 'court_review') {
          const threshold = await policies.committeeThreshold(c.courtId, tx);
          if (needsCommittee(amount, threshold))
            throw new DomainError('conflict', 'aidErrors.needsCommittee', {
              params: { threshold: threshold.toString() },
            });
        }
      }
      if (c.filedBy === actor.userId) throw new DomainError('forbidden', 'aidErrors.selfApproval');
      checkAward(c, amount);
      const now = clock();
      return transitionClaim(tx, c, 'court_approved', {
        actorId: actor.userId,
        at: now,
        amountFen: amount,
        reason: reason ?? null,
        requestId,
        patch: {
          courtApprovedFen: amount,
          courtDecidedBy: actor.userId,
          accountVerifiedBy: actor.userId,
          accountVerifiedAt: now,
        },
      });
    });
  }

  async function courtReject(actor: Actor, id: string, input: unknown, requestId?: string) {
    requireCourt(actor);
    const { reason } = parseInput(ReasonSchema, input);
    return inTx(async (tx) => {
      const c = await lockClaim(tx, actor, id);
      requirePermission(actor, c.status === 'committee_review' ? 'decide:aid-committee' : 'review:aid-claim');
      const now = clock();
      const updated = await transitionClaim(tx, c, 'rejected', {
        actorId: actor.userId,
        at: now,
        reason,
        requestId,
        patch: { decidedAt: now, courtDecidedBy: actor.userId },
      });
      await cancelJob(tx, dueJobKey(c.id));
      return updated;
    });
  }

  // ---- Insurer review -------------------------------------------------------------------------

  async function insurerStartReview(actor: Actor, id: string, requestId?: string) {
    requirePermission(actor, 'review:aid-claim-insurer');
    requireInsurer(actor);
    return inTx(async (tx) => {
      const c = await lockClaim(tx, actor, id);
      return transitionClaim(tx, c, 'insurer_review', { actorId: actor.userId, at: clock(), requestId });
    });
  }

  /**
   * The insurer's award, in full or in part (with a reason), reserved against the policy's
   * aggregate limit in the same transaction. The policy row is locked first, so two approvals
   * racing for the last of a limit queue: the second sees what the first left and is told the
   * limit is exhausted; the ledger's no-overdraft check is the second line (ADR 006).
   */
  async function insurerApprove(actor: Actor, id: string, input: unknown, requestId?: string) {
    requirePermission(actor, 'review:aid-claim-insurer');
    requireInsurer(actor);
    const { amount, reason } = parseInput(AmountDecisionSchema, input);
    return inTx(async (tx) => {
      const c = await lockClaim(tx, actor, id);
      if (c.status !== 'insurer_review')
        throw new DomainError('conflict', 'aidErrors.badTransition', {
          params: { from: c.status, to: 'insurer_approved' },
        });
      const courtAward = c.courtApprovedFen ?? 0n;
      if (amount > courtAward)
        throw new DomainError('validation', 'aidErrors.aboveCourtAward', {
          params: { ceiling: courtAward.toString() },
          fieldErrors: { amount: ['aidErrors.aboveCourtAward'] },
        });
      if (amount < courtAward && !reason)
        throw new DomainError('validation', 'aidErrors.partialNeedsReason', {
          fieldErrors: { reason: ['aidErrors.partialNeedsReason'] },
        });
      await tx
        .select({ id: aidPolicies.id })
        .from(aidPolicies)
        .where(eq(aidPolicies.id, c.policyId))
        .for('update');
      const left = (await remainingLimits(tx, [c.policyId])).get(c.policyId) ?? 0n;
      if (amount > left) throw limitExhausted(left);
      const now = clock();
      await postAid(
        tx,
        {
          idempotencyKey: `aid:claim:${c.id}:award`,
          kind: 'aid.award',
          description: c.number,
          occurredAt: now,
          entries: [
            { account: ledgerCodes.limit(c.policyId), amountFen: -amount },
            { account: ledgerCodes.payable(c.policyId, c.id), amountFen: amount },
          ],
        },
        [],
        () => limitExhausted(left),
      );
      const updated = await transitionClaim(tx, c, 'insurer_approved', {
        actorId: actor.userId,
        at: now,
        amountFen: amount,
        reason: reason ?? null,
        requestId,
        patch: {
          approvedFen: amount,
          approvalReason: reason ?? null,
          decidedAt: now,
          insurerDecidedBy: actor.userId,
        },
      });
      await cancelJob(tx, dueJobKey(c.id));
      return updated;
    });
  }

  async function insurerDecline(actor: Actor, id: string, input: unknown, requestId?: string) {
    requirePermission(actor, 'review:aid-claim-insurer');
    requireInsurer(actor);
    const { reason } = parseInput(ReasonSchema, input);
    return inTx(async (tx) => {
      const c = await lockClaim(tx, actor, id);
      const now = clock();
      const updated = await transitionClaim(tx, c, 'declined', {
        actorId: actor.userId,
        at: now,
        reason,
        requestId,
        patch: { decidedAt: now, insurerDecidedBy: actor.userId },
      });
      await cancelJob(tx, dueJobKey(c.id));
      return updated;
    });
  }

  /**
   * Closes a paid claim (the applicant has been told the funds arrived), or a claim in payment
   * whose unpaid rest will not be paid: the rest goes back to the policy limit, with a reason.
   */
  async function close(actor: Actor, id: string, input: unknown, requestId?: string) {
    requirePermission(actor, 'close:aid-claim');
    const { reason } = parseInput(OptionalReasonSchema, input);
    return inTx(async (tx) => {
      const c = await lockClaim(tx, actor, id);
      const now = clock();
      let released = 0n;
      if (c.status === 'payment') {
        const [flight] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(aidPayments)
          .where(and(eq(aidPayments.claimId, c.id), inArray(aidPayments.status, [...IN_FLIGHT])));
        if ((flight?.n ?? 0) > 0) throw new DomainError('conflict', 'aidErrors.paymentsInFlight');
        released = (c.approvedFen ?? 0n) - c.paidFen - c.releasedFen;
        if (released > 0n && !reason)
          throw new DomainError('validation', 'aidErrors.closeNeedsReason', {
            fieldErrors: { reason: ['aidErrors.closeNeedsReason'] },
          });
        if (released > 0n)
          await postAid(tx, {
            idempotencyKey: `aid:claim:${c.id}:release`,
            kind: 'aid.release',
            description: c.number,
            occurredAt: now,
            entries: [
              { account: ledgerCodes.payable(c.policyId, c.id), amountFen: -released },
              { account: ledgerCodes.limit(c.policyId), amountFen: released },
            ],
          });
      }
      return transitionClaim(tx, c, 'closed', {
        actorId: actor.userId,
        at: now,
        reason: reason ?? null,
        amountFen: released > 0n ? released : null,
        requestId,
        patch: { releasedFen: c.releasedFen + released },
      });
    });
  }

  // ---- Recoveries (issue 5 §5, domain "Recovery") ----------------------------------------------

  /**
   * Aid paid becomes recoverable when money is later collected on the case (subrogation) or the
   * aid was obtained by fraud. Never more than was paid and not yet recovered.
   */
  async function recordRecovery(actor: Actor, claimId: string, input: unknown, requestId?: string) {
    requirePermission(actor, 'record:aid-recovery');
    const data = parseInput(RecoverySchema, input);
    return inTx(async (tx) => {
      const c = await lockClaim(tx, actor, claimId);
      const [open] = await tx
        .select({ total: sql<string>`coalesce(sum(${aidRecoveries.amountFen}), 0)::text` })
        .from(aidRecoveries)
        .where(eq(aidRecoveries.claimId, c.id));
      const recoverable = c.paidFen - BigInt(open?.total ?? '0');
      if (data.amount > recoverable)
        throw new DomainError('validation', 'aidErrors.aboveRecoverable', {
          params: { ceiling: recoverable.toString() },
          fieldErrors: { amount: ['aidErrors.aboveRecoverable'] },
        });
      const now = clock();
      const [row] = await tx
        .insert(aidRecoveries)
        .values({
          claimId: c.id,
          courtId: c.courtId,
          insurerId: c.insurerId,
          kind: data.kind,
          source: data.source,
          amountFen: data.amount,
          note: data.note,
          recordedBy: actor.userId,
          recordedAt: now,
        })
        .returning();
      await recordClaimEvent(
        tx,
        c.id,
        {
          action: 'recovery.recorded',
          actorId: actor.userId,
          amountFen: data.amount,
          reason: data.note,
          at: now,
          data: { recoveryId: row!.id, kind: data.kind, source: data.source },
        },
        requestId,
      );
      return row!;
    });
  }

  /**
   * The insurer confirms the recovered money reached it (a second person: the one who recorded
   * it never confirms it). From the case account (一案一账号) when collected there; the ledger
   * refuses if the case account does not hold it.
   */
  async function confirmRecovery(actor: Actor, recoveryId: string, requestId?: string) {
    requirePermission(actor, 'confirm:aid-recovery');
    const v = viewerOf(actor);
    if (v.kind !== 'insurer') throw forbidden();
    if (!isUuid(recoveryId)) throw notFound();
    return inTx(async (tx) => {
      const [r] = await tx
        .select()
        .from(aidRecoveries)
        .where(and(eq(aidRecoveries.id, recoveryId), eq(aidRecoveries.insurerId, v.orgId)))
        .for('update');
      if (!r) throw notFound();
      const c = await lockClaim(tx, actor, r.claimId);
      if (r.status !== 'recoverable') throw new DomainError('conflict', 'aidErrors.recoveryDone');
      if (r.recordedBy === actor.userId) throw new DomainError('forbidden', 'aidErrors.selfApproval');
      const now = clock();
      const source =
        r.source === 'case_account'
          ? ledgerCodes.caseAccount(c.caseId)
          : ledgerCodes.recoveryReceived(c.insurerId);
      await postAid(
        tx,
        {
          idempotencyKey: `aid:recovery:${r.id}`,
          kind: r.kind === 'fraud_clawback' ? 'aid.clawback' : 'aid.subrogation',
          description: c.number,
          occurredAt: now,
          entries: [
            { account: source, amountFen: -r.amountFen },
            { account: ledgerCodes.recovered(c.insurerId), amountFen: r.amountFen },
          ],
        },
        [ledgerCodes.recoveryReceived(c.insurerId), ledgerCodes.recovered(c.insurerId)],
        () => new DomainError('conflict', 'aidErrors.caseAccountShort'),
      );
      await tx
        .update(aidRecoveries)
        .set({ status: 'returned', returnedBy: actor.userId, returnedAt: now })
        .where(eq(aidRecoveries.id, r.id));
      await tx
        .update(aidClaims)
        .set({ recoveredFen: c.recoveredFen + r.amountFen, updatedAt: now })
        .where(eq(aidClaims.id, c.id));
      await recordClaimEvent(
        tx,
        c.id,
        {
          action: 'recovery.returned',
          actorId: actor.userId,
          amountFen: r.amountFen,
          at: now,
          data: { recoveryId: r.id },
        },
        requestId,
      );
      return { ...r, status: 'returned' as const };
    });
  }

  // ---- Reads ----------------------------------------------------------------------------------

  /** The queue: the actor's claims with filters, counts per status and the overdue ones. */
  async function listClaims(actor: Actor, input: unknown = {}) {
    const v = viewerOf(actor);
    requirePermission(actor, v.kind === 'creditor' ? 'read:aid-claim:own' : 'read:aid-claim');
    const f = parseInput(ClaimFilterSchema, input);
    const now = clock();
    const scope = claimScope(v);
    const awaiting = inArray(aidClaims.status, [...AWAITING_DECISION]);
    const overdue = and(awaiting, lte(aidClaims.decisionDueAt, now));
    const q = f.q?.replace(/[%_\\]/g, (ch) => `\\${ch}`);
    const where = and(
      scope,
      f.status ? eq(aidClaims.status, f.status) : undefined,
      f.overdue ? overdue : undefined,
      q
        ? or(
            ilike(aidClaims.number, `%${q}%`),
            ilike(aidClaims.applicantName, `%${q}%`),
            ilike(cases.caseNumber, `%${q}%`),
          )
        : undefined,
    );
    const [rows, [total], counts, [late]] = await Promise.all([
      db
        .select({
          id: aidClaims.id,
          number: aidClaims.number,
          status: aidClaims.status,
          applicantName: aidClaims.applicantName,
          caseNumber: cases.caseNumber,
          caseType: aidClaims.caseType,
          requestedFen: aidClaims.requestedFen,
          computedFen: aidClaims.computedFen,
          approvedFen: aidClaims.approvedFen,
          paidFen: aidClaims.paidFen,
          submittedAt: aidClaims.submittedAt,
          decisionDueAt: aidClaims.decisionDueAt,
          updatedAt: aidClaims.updatedAt,
        })
        .from(aidClaims)
        .innerJoin(cases, eq(cases.id, aidClaims.caseId))
        .where(where)
        // Overdue first, then the nearest deadline, then the most recently touched.
        .orderBy(
          sql`case when ${aidClaims.status} in ('submitted','court_review','committee_review','court_approved','insurer_review') then 0 else 1 end`,
          asc(aidClaims.decisionDueAt),
          desc(aidClaims.updatedAt),
        )
        .limit(PAGE_SIZE)
        .offset((f.page - 1) * PAGE_SIZE),
      db
        .select({ n: sql<number>`count(*)::int` })
        .from(aidClaims)
        .innerJoin(cases, eq(cases.id, aidClaims.caseId))
        .where(where),
      db
        .select({ status: aidClaims.status, n: sql<number>`count(*)::int` })
        .from(aidClaims)
        .where(scope)
        .groupBy(aidClaims.status),
      db.select({ n: sql<number>`count(*)::int` }).from(aidClaims).where(and(scope, overdue)),
    ]);
    const byStatus = Object.fromEntries(CLAIM_STATUSES.map((s) => [s, 0])) as Record<
      (typeof CLAIM_STATUSES)[number],
      number
    >;
    for (const c of counts) byStatus[c.status] = c.n;
    return {
      filters: f,
      rows: rows.map((r) => ({ ...r, overdue: isOverdue(r, now) })),
      total: total?.n ?? 0,
      page: f.page,
      pageSize: PAGE_SIZE,
      counts: byStatus,
      overdueCount: late?.n ?? 0,
      serverTime: now,
    };
  }

  /** The claim page: facts, documents, timeline, payments, recoveries, the policy's remaining limit. */
  async function getClaim(actor: Actor, id: string) {
    const v = viewerOf(actor);
    requirePermission(actor, v.kind === 'creditor' ? 'read:aid-claim:own' : 'read:aid-claim');
    if (!isUuid(id)) throw notFound();
    const [row] = await db
      .select({ claim: aidClaims, c: cases, policy: aidPolicies })
      .from(aidClaims)
      .innerJoin(cases, eq(cases.id, aidClaims.caseId))
      .innerJoin(aidPolicies, eq(aidPolicies.id, aidClaims.policyId))
      .where(and(eq(aidClaims.id, id), claimScope(v)));
    if (!row) throw notFound();
    const { claim } = row;
    const [documents, events, payments, recoveries, remaining, orgs, threshold] = await Promise.all([
      db
        .select()
        .from(aidClaimDocuments)
        .where(eq(aidClaimDocuments.claimId, claim.id))
        .orderBy(asc(aidClaimDocuments.createdAt)),
      db
        .select()
        .from(aidClaimEvents)
        .where(eq(aidClaimEvents.claimId, claim.id))
        .orderBy(asc(aidClaimEvents.id)),
      db
        .select()
        .from(aidPayments)
        .where(eq(aidPayments.claimId, claim.id))
        .orderBy(asc(aidPayments.createdAt)),
      db
        .select()
        .from(aidRecoveries)
        .where(eq(aidRecoveries.claimId, claim.id))
        .orderBy(asc(aidRecoveries.recordedAt)),
      remainingLimits(db, [claim.policyId]),
      db
        .select({ id: organisations.id, nameZh: organisations.nameZh, nameEn: organisations.nameEn })
        .from(organisations)
        .where(inArray(organisations.id, [claim.courtId, claim.insurerId])),
      policies.committeeThreshold(claim.courtId),
    ]);
    const actorIds = [
      ...new Set(
        [...events.map((e) => e.actorId), ...payments.flatMap((p) => [p.preparedBy, p.approvedBy])].filter(
          (x): x is string => !!x,
        ),
      ),
    ];
    // Names of the staff who acted; a creditor sees roles only (the timeline's action says who decided).
    const staff =
      actorIds.length && v.kind !== 'creditor'
        ? await db
            .select({ id: users.id, realName: users.realName })
            .from(users)
            .where(inArray(users.id, actorIds))
        : [];
    const inFlightFen = payments
      .filter((p) => IN_FLIGHT.includes(p.status))
      .reduce((s, p) => s + p.amountFen, 0n);
    const now = clock();
    const org = (oid: string) => orgs.find((o) => o.id === oid);
    return {
      claim: {
        ...claim,
        accountNumber:
          v.kind === 'creditor' || v.kind === 'court' || v.kind === 'insurer' ? claim.accountNumber : '',
      },
      caseNumber: row.c.caseNumber,
      caseStatus: row.c.status,
      policy: {
        id: row.policy.id,
        number: row.policy.number,
        formula: formulaFromJson(row.policy.formula),
        remainingFen: remaining.get(claim.policyId) ?? 0n,
        limitFen: row.policy.limitFen,
      },
      court: org(claim.courtId)!,
      insurer: org(claim.insurerId)!,
      committeeThresholdFen: threshold,
      documents: documents.map(({ storageKey: _k, ...d }) => d),
      missingDocuments: missingDocuments(
        claim.caseType,
        claim.eligibility,
        documents.map((d) => d.kind),
      ),
      events,
      payments,
      recoveries,
      money: {
        approvedFen: claim.approvedFen,
        paidFen: claim.paidFen,
        inFlightFen,
        releasedFen: claim.releasedFen,
        remainingFen:
          claim.approvedFen === null ? null : claim.approvedFen - claim.paidFen - claim.releasedFen,
        unscheduledFen: unscheduledFen({ ...claim, inFlightFen }),
        recoverableFen: claim.paidFen - recoveries.reduce((s, r) => s + r.amountFen, 0n),
      },
      overdue: isOverdue(claim, now),
      staffNames: Object.fromEntries(staff.map((s) => [s.id, s.realName])),
      serverTime: now,
      viewer: v.kind,
    };
  }

  /** What a clerk needs to file a claim for a case: its applicants and the court's policies in force. */
  async function filingContext(actor: Actor, caseNumber: string) {
    requirePermission(actor, 'create:aid-claim');
    const v = viewerOf(actor);
    if (v.kind !== 'court') throw forbidden();
    const normalised = caseNumber.trim().replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '');
    const [c] = await db
      .select()
      .from(cases)
      .where(and(eq(cases.caseNumber, normalised), eq(cases.courtId, v.orgId)));
    if (!c) throw notFound('aidErrors.caseNotFound');
    const [parties, policyRows] = await Promise.all([
      db
        .select()
        .from(caseParties)
        .where(and(eq(caseParties.caseId, c.id), eq(caseParties.role, 'applicant'))),
      db
        .select()
        .from(aidPolicies)
        .where(eq(aidPolicies.courtId, v.orgId))
        .orderBy(desc(aidPolicies.startsOn)),
    ]);
    const today = beijingDate(clock());
    const existing = await db
      .select({ partyId: aidClaims.partyId, number: aidClaims.number, id: aidClaims.id })
      .from(aidClaims)
      .where(
        and(eq(aidClaims.caseId, c.id), notInArray(aidClaims.status, ['rejected', 'declined', 'withdrawn'])),
      );
    return {
      case: c,
      parties: parties.map((p) => ({
        ...p,
        existingClaim: existing.find((e) => e.partyId === p.id) ?? null,
      })),
      policies: policyRows
        .filter((p) => p.startsOn <= today && today <= p.endsOn)
        .map((p) => ({ ...p, formula: formulaFromJson(p.formula) })),
    };
  }

  // ---- Jobs -----------------------------------------------------------------------------------

  /**
   * SLA reminder: when a claim's decision falls due undecided, it is marked and the audit says
   * so once. Idempotent: a claim decided meanwhile, or already marked, is left alone.
   */
  async function decisionDue(tx: Tx, claimId: string, now: Date) {
    const [c] = await tx.select().from(aidClaims).where(eq(aidClaims.id, claimId)).for('update');
    if (!c || !isOverdue(c, now) || c.overdueNotifiedAt) return;
    await tx.update(aidClaims).set({ overdueNotifiedAt: now }).where(eq(aidClaims.id, c.id));
    await recordClaimEvent(tx, c.id, {
      action: 'overdue',
      actorId: null,
      at: now,
      data: { decisionDueAt: c.decisionDueAt?.toISOString() },
    });
  }

  const jobHandlers = {
    [AID_JOBS.decisionDue]: async (job: { payload: Record<string, unknown> }, ctx: { tx: Tx; now: Date }) =>
      decisionDue(ctx.tx, String(job.payload.claimId), ctx.now),
  };

  return {
    createClaim,
    attachDocument,
    readDocument,
    submit,
    withdraw,
    returnForDocuments,
    startCourtReview,
    referToCommittee,
    courtApprove,
    courtReject,
    insurerStartReview,
    insurerApprove,
    insurerDecline,
    close,
    recordRecovery,
    confirmRecovery,
    listClaims,
    getClaim,
    filingContext,
    jobHandlers,
  };
}

export type AidClaimService = ReturnType<typeof createAidClaimService>;
