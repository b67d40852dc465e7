/**
 * The case's clock (ADR 016): the periods it does not count (stored with their reason, and the
 * auction and sale periods read from the case's listings), the president's extensions, and the
 * due date kept on the case row after every change, so the overdue list is one indexed query.
 */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { listings } from '../../db/schema/auctions.js';
import { type Case, caseExtensions, caseIntervals, cases } from '../../db/schema/cases.js';
import { requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import type { CaseDeps } from './deps.js';
import { decideCaseActions } from './rules.js';
import { EndIntervalSchema, ExtensionSchema, StartIntervalSchema } from './schemas.js';
import { caseToWrite } from './scope.js';
import {
  beijingDateOf,
  type ExcludedInterval,
  listingInterval,
  type TimeLimit,
  timeLimitOf,
} from './time-limit.js';

/** 2000 Provisions art. 6: the president extends by up to 3 months in all; beyond, the high court. */
export const PRESIDENT_MONTHS = 3;

export interface ClockFacts {
  /** Stored intervals and the listings' periods, each with its reason. */
  intervals: (ExcludedInterval & { id: string | null; reason: string | null; listingId: string | null })[];
  extensions: (typeof caseExtensions.$inferSelect)[];
}

/** What the case's clock depends on, for one or many cases. */
export async function clockFactsOf(db: Db, caseIds: string[]): Promise<Map<string, ClockFacts>> {
  const out = new Map<string, ClockFacts>(caseIds.map((id) => [id, { intervals: [], extensions: [] }]));
  if (caseIds.length === 0) return out;
  const [stored, extensions, rounds] = await Promise.all([
    db
      .select()
      .from(caseIntervals)
      .where(inArray(caseIntervals.caseId, caseIds))
      .orderBy(asc(caseIntervals.startsOn)),
    db.select().from(caseExtensions).where(inArray(caseExtensions.caseId, caseIds)),
    db
      .select({
        id: listings.id,
        caseId: listings.caseId,
        kind: listings.kind,
        status: listings.status,
        announceAt: listings.announceAt,
        endedAt: listings.endedAt,
        updatedAt: listings.updatedAt,
      })
      .from(listings)
      .where(inArray(listings.caseId, caseIds))
      .orderBy(asc(listings.announceAt)),
  ]);
  for (const i of stored)
    out.get(i.caseId)!.intervals.push({
      id: i.id,
      kind: i.kind,
      start: i.startsOn,
      end: i.endsOn,
      reason: i.reason,
      listingId: null,
    });
  for (const l of rounds) {
    const period = listingInterval(l);
    if (period) out.get(l.caseId)!.intervals.push({ ...period, id: null, reason: null, listingId: l.id });
  }
  for (const e of extensions) out.get(e.caseId)!.extensions.push(e);
  return out;
}

export function limitOf(
  c: Pick<Case, 'filedOn' | 'caseType' | 'titleKind' | 'closedOn'>,
  facts: ClockFacts,
  now: Date,
): TimeLimit | null {
  return timeLimitOf({
    filedOn: c.filedOn,
    caseType: c.caseType,
    titleKind: c.titleKind,
    extensions: facts.extensions,
    intervals: facts.intervals,
    closedOn: c.closedOn,
    today: beijingDateOf(now),
  });
}

/**
 * Recomputes the open case's due date after a change to its clock. A period still running counts
 * up to today, so the stored date is never later than the truth: the overdue list filters on it
 * and then recomputes.
 */
export async function refreshDueOn(tx: Db, c: Case, now: Date): Promise<TimeLimit | null> {
  const facts = (await clockFactsOf(tx, [c.id])).get(c.id)!;
  const limit = limitOf(c, facts, now);
  const dueOn = limit?.dueOn ?? null;
  if (c.closedOn === null && dueOn !== c.dueOn)
    await tx.update(cases).set({ dueOn }).where(eq(cases.id, c.id));
  return limit;
}

/** Records a period the clock does not count: appraisal, audit, suspension (中止), postponement (暂缓) … */
export async function startInterval(
  deps: CaseDeps,
  actor: Actor,
  caseId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:case');
  const data = parseInput(StartIntervalSchema, input);
  return deps.db.transaction(async (tx) => {
    const c = await caseToWrite(tx, actor, caseId);
    requireAllowed(decideCaseActions(actor, c), 'manageIntervals');
    const today = beijingDateOf(deps.clock());
    if (data.startsOn < c.filedOn) throw validationError({ startsOn: ['validation.beforeFiling'] });
    if (data.startsOn > today) throw validationError({ startsOn: ['validation.future'] });
    // One suspension or postponement at a time: the case is in it until it ends.
    if (data.kind === 'suspension' || data.kind === 'postponement') {
      const [running] = await tx
        .select({ id: caseIntervals.id })
        .from(caseIntervals)
        .where(
          and(
            eq(caseIntervals.caseId, c.id),
            eq(caseIntervals.kind, data.kind),
            isNull(caseIntervals.endsOn),
          ),
        );
      if (running) throw new DomainError('conflict', 'caseErrors.intervalRunning');
    }
    const [row] = await tx
      .insert(caseIntervals)
      .values({
        caseId: c.id,
        kind: data.kind,
        startsOn: data.startsOn,
        endsOn: data.endsOn ?? null,
        reason: data.reason,
        recordedBy: actor.userId,
        createdAt: deps.clock(),
      })
      .returning();
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'case.interval_started',
      entityType: 'case',
      entityId: c.id,
      data: { intervalId: row!.id, kind: data.kind, startsOn: data.startsOn, endsOn: data.endsOn ?? null },
      requestId,
    });
    await refreshDueOn(tx, c, deps.clock());
    return row!;
  });
}

/** Ends a running period: resumption after a suspension (恢复执行), the appraisal's report in … */
export async function endInterval(
  deps: CaseDeps,
  actor: Actor,
  intervalId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'manage:case');
  const data = parseInput(EndIntervalSchema, input);
  if (!isUuid(intervalId)) throw notFound();
  return deps.db.transaction(async (tx) => {
    const [found] = await tx.select().from(caseIntervals).where(eq(caseIntervals.id, intervalId));
    if (!found) throw notFound();
    const c = await caseToWrite(tx, actor, found.caseId);
    requireAllowed(decideCaseActions(actor, c), 'manageIntervals');
    if (found.endsOn !== null) throw new DomainError('conflict', 'caseErrors.intervalEnded');
    if (data.endsOn < found.startsOn) throw validationError({ endsOn: ['validation.dateOrder'] });
    if (data.endsOn > beijingDateOf(deps.clock())) throw validationError({ endsOn: ['validation.future'] });
    const [row] = await tx
      .update(caseIntervals)
      .set({ endsOn: data.endsOn, endedBy: actor.userId })
      .where(and(eq(caseIntervals.id, found.id), isNull(caseIntervals.endsOn)))
      .returning();
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'case.interval_ended',
      entityType: 'case',
      entityId: c.id,
      data: { intervalId: found.id, kind: found.kind, endsOn: data.endsOn },
      requestId,
    });
    await refreshDueOn(tx, c, deps.clock());
    return row!;
  });
}

/**
 * The president's extension (2000 Provisions art. 6): up to 3 months in all on his own authority;
 * beyond that only as the high court approved, whose document is recorded.
 */
export async function extendLimit(
  deps: CaseDeps,
  actor: Actor,
  caseId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'approve:case-president');
  const data = parseInput(ExtensionSchema, input);
  return deps.db.transaction(async (tx) => {
    const c = await caseToWrite(tx, actor, caseId);
    requireAllowed(decideCaseActions(actor, c), 'extend');
    const previous = await tx.select().from(caseExtensions).where(eq(caseExtensions.caseId, c.id));
    const byPresident = previous.filter((e) => e.authority === 'president').reduce((s, e) => s + e.months, 0);
    if (data.authority === 'president' && byPresident + data.months > PRESIDENT_MONTHS)
      throw validationError({ months: ['validation.presidentMonths'] });
    const now = deps.clock();
    const [row] = await tx
      .insert(caseExtensions)
      .values({
        caseId: c.id,
        months: data.months,
        authority: data.authority,
        reference: data.reference ?? null,
        reason: data.reason,
        approvedBy: actor.userId,
        approvedOn: beijingDateOf(now),
        createdAt: now,
      })
      .returning();
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'case.limit_extended',
      entityType: 'case',
      entityId: c.id,
      data: { months: data.months, authority: data.authority, reference: data.reference ?? null },
      requestId,
    });
    await refreshDueOn(tx, c, now);
    return row!;
  });
}
