/**
 * Complaints about enforcement (执行信访) on a case: received, assigned to a colleague, settled,
 * within 60 days of receipt (信访工作条例 art. 35; ADR 016). The court's queue lists those
 * still open, the overdue first.
 */
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type CaseComplaint, caseComplaints, cases } from '../../db/schema/cases.js';
import { users } from '../../db/schema/identity.js';
import { affordancesOf, requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import type { CaseDeps } from './deps.js';
import { decideCaseActions, decideComplaintActions } from './rules.js';
import { AssignComplaintSchema, ReceiveComplaintSchema, SettleComplaintSchema } from './schemas.js';
import { caseToWrite, readableCases } from './scope.js';
import { addDays, beijingDateOf } from './time-limit.js';

/** 信访工作条例 (2022) art. 35: a complaint is dealt with within 60 days of its receipt. */
export const COMPLAINT_DAYS = 60;

export async function receiveComplaint(
  deps: CaseDeps,
  actor: Actor,
  caseId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:complaint');
  const data = parseInput(ReceiveComplaintSchema, input);
  const now = deps.clock();
  const today = beijingDateOf(now);
  const receivedOn = data.receivedOn ?? today;
  if (receivedOn > today) throw validationError({ receivedOn: ['validation.future'] });
  return deps.db.transaction(async (tx) => {
    const c = await caseToWrite(tx, actor, caseId);
    requireAllowed(decideCaseActions(actor, c), 'receiveComplaint');
    const [row] = await tx
      .insert(caseComplaints)
      .values({
        caseId: c.id,
        courtId: c.courtId,
        channel: data.channel,
        complainant: data.complainant,
        summary: data.summary,
        receivedOn,
        dueOn: addDays(receivedOn, COMPLAINT_DAYS),
        receivedBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await audit(tx, actor, row!, 'received', { receivedOn, dueOn: row!.dueOn }, requestId);
    return row!;
  });
}

async function lockComplaint(tx: Tx, actor: Actor, complaintId: string) {
  const courtId = courtOf(actor);
  if (!isUuid(complaintId)) throw notFound();
  const [row] = await tx
    .select()
    .from(caseComplaints)
    .where(and(eq(caseComplaints.id, complaintId), eq(caseComplaints.courtId, courtId)))
    .for('update');
  if (!row) throw notFound();
  return row;
}

function audit(
  tx: Tx,
  actor: Actor,
  c: CaseComplaint,
  what: string,
  data: Record<string, unknown>,
  requestId?: string,
) {
  return recordAudit(tx, {
    actorId: actor.userId,
    action: `case_complaint.${what}`,
    entityType: 'case_complaint',
    entityId: c.id,
    data: { caseId: c.caseId, ...data },
    requestId,
  });
}

export async function assignComplaint(
  deps: CaseDeps,
  actor: Actor,
  complaintId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:complaint');
  const { assigneeId } = parseInput(AssignComplaintSchema, input);
  return deps.db.transaction(async (tx) => {
    const c = await lockComplaint(tx, actor, complaintId);
    requireAllowed(decideComplaintActions(actor, c), 'assign');
    // Assigned within the court: a colleague, never someone of another organisation.
    const [assignee] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, assigneeId), eq(users.organisationId, c.courtId), eq(users.disabled, false)));
    if (!assignee) throw validationError({ assigneeId: ['validation.assignee'] });
    const [row] = await tx
      .update(caseComplaints)
      .set({ status: 'assigned', assignedTo: assigneeId, assignedAt: deps.clock(), updatedAt: deps.clock() })
      .where(and(eq(caseComplaints.id, c.id), ne(caseComplaints.status, 'settled')))
      .returning();
    await audit(tx, actor, c, 'assigned', { from: c.status, assignedTo: assigneeId }, requestId);
    return row!;
  });
}

export async function settleComplaint(
  deps: CaseDeps,
  actor: Actor,
  complaintId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:complaint');
  const data = parseInput(SettleComplaintSchema, input);
  const today = beijingDateOf(deps.clock());
  const settledOn = data.settledOn ?? today;
  if (settledOn > today) throw validationError({ settledOn: ['validation.future'] });
  return deps.db.transaction(async (tx) => {
    const c = await lockComplaint(tx, actor, complaintId);
    requireAllowed(decideComplaintActions(actor, c), 'settle');
    if (settledOn < c.receivedOn) throw validationError({ settledOn: ['validation.dateOrder'] });
    const [row] = await tx
      .update(caseComplaints)
      .set({
        status: 'settled',
        settledOn,
        outcome: data.outcome,
        settledBy: actor.userId,
        updatedAt: deps.clock(),
      })
      .where(and(eq(caseComplaints.id, c.id), ne(caseComplaints.status, 'settled')))
      .returning();
    if (!row) throw new DomainError('conflict', 'caseErrors.complaintSettled');
    await audit(
      tx,
      actor,
      c,
      'settled',
      { from: c.status, settledOn, withinLimit: settledOn <= c.dueOn },
      requestId,
    );
    return row;
  });
}

/** A case's complaints with what the viewer may do with each, oldest first. */
export async function complaintsOf(deps: CaseDeps, actor: Actor, caseId: string) {
  const rows = await deps.db
    .select()
    .from(caseComplaints)
    .where(eq(caseComplaints.caseId, caseId))
    .orderBy(asc(caseComplaints.receivedOn), asc(caseComplaints.createdAt));
  const today = beijingDateOf(deps.clock());
  return rows.map((r) => ({
    ...r,
    overdue: r.status !== 'settled' && r.dueOn < today,
    can: affordancesOf(decideComplaintActions(actor, r)),
  }));
}

/** The open complaints of the courts the viewer reads, the most urgent first. */
export async function openComplaints(deps: CaseDeps, actor: Actor, { overdueOnly = false } = {}) {
  requirePermission(actor, 'read:case');
  const today = beijingDateOf(deps.clock());
  const rows = await deps.db
    .select({ complaint: caseComplaints, caseNumber: cases.caseNumber })
    .from(caseComplaints)
    .innerJoin(cases, eq(cases.id, caseComplaints.caseId))
    .where(
      and(
        readableCases(actor),
        inArray(caseComplaints.status, ['received', 'assigned']),
        overdueOnly ? sql`${caseComplaints.dueOn} < ${today}` : undefined,
      ),
    )
    .orderBy(asc(caseComplaints.dueOn))
    .limit(200);
  return rows.map((r) => ({
    ...r.complaint,
    caseNumber: r.caseNumber,
    overdue: r.complaint.dueOn < today,
    can: affordancesOf(decideComplaintActions(actor, r.complaint)),
  }));
}
