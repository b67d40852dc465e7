/**
 * Closing a case (结案), the one status change a case has (ADR 016): open → closed as 终本
 * (`terminated_without_property`, still watched by the re-search) or closed in any other mode
 * (`concluded`). The time limit is frozen on the row as it stood at the closure, so the quality
 * indicators are computed by SQL over case rows. 终本 is refused while a condition of 终本规定
 * art. 1 is missing, and the refusal names each one.
 *
 * Public to other modules (tests/architecture.test.ts): the funds module closes a case as
 * 执行完毕 inside its own transaction with `closeCaseIn(deps, tx, { system: 'funds' }, …)`, through
 * `services.cases.closeCaseIn(tx, by, caseId, input)`; the aid module asks `zhongbenOf`.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.js';
import { type Case, type CaseStatus, cases } from '../../db/schema/cases.js';
import { requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, can, requirePermission } from '../identity/permissions.js';
import { balanceOf } from '../ledger/ledger.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import type { CaseDeps } from './deps.js';
import { clockFactsOf, limitOf } from './lifecycle.js';
import { measuresOf } from './measures.js';
import { scheduleResearch } from './research.js';
import { decideCaseActions } from './rules.js';
import { CloseCaseSchema } from './schemas.js';
import { caseToWrite, lockCase } from './scope.js';
import { beijingDateOf } from './time-limit.js';
import { zhongbenChecklist } from './zhongben.js';

/** Who closes: a staff member through a form or the API, or another module's use case (funds). */
export type ClosedBy = Actor | { system: string };
const isActor = (by: ClosedBy): by is Actor => 'userId' in by;

/** The case's account in the ledger (一案一账号, ADR 007: the payments module books it). */
const caseAccountCode = (caseId: string) => `case:${caseId}`;

/** The refusal of 终本 while conditions are missing: each named, as the page shows them. */
export function zhongbenRefusal(missing: readonly string[]) {
  return new DomainError('conflict', 'caseErrors.zhongbenIncomplete', {
    params: { missing: missing.join(',') },
    fieldErrors: { conditions: missing.map((k) => `zhongbenCondition.${k}`) },
  });
}

/** The status change and its audit entry, in the caller's transaction; only an open case closes. */
async function transitionCase(
  tx: Tx,
  c: Case,
  to: Exclude<CaseStatus, 'open'>,
  patch: Partial<typeof cases.$inferInsert>,
  audit: { actorId: string | null; data: Record<string, unknown>; requestId?: string },
) {
  const [row] = await tx
    .update(cases)
    .set({ ...patch, status: to })
    .where(and(eq(cases.id, c.id), eq(cases.status, 'open'), isNull(cases.closureMode)))
    .returning();
  if (!row) throw new DomainError('conflict', 'caseErrors.closed');
  await recordAudit(tx, {
    actorId: audit.actorId,
    action: 'case.closed',
    entityType: 'case',
    entityId: c.id,
    data: { from: c.status, to, ...audit.data },
    requestId: audit.requestId,
  });
  return row;
}

/** Closes a case in its own transaction (the clerk's form, the court API). */
export async function closeCase(
  deps: CaseDeps,
  actor: Actor,
  caseId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'close:case');
  // A bad input is refused before any lock is taken.
  parseInput(CloseCaseSchema, input);
  return deps.db.transaction((tx) => closeCaseIn(deps, tx, actor, caseId, input, requestId));
}

/** Closes a case inside the caller's transaction (the funds module's settlement). */
export async function closeCaseIn(
  deps: CaseDeps,
  tx: Tx,
  by: ClosedBy,
  caseId: string,
  input: unknown,
  requestId?: string,
) {
  const data = parseInput(CloseCaseSchema, input);
  let c: Case;
  if (isActor(by)) {
    requirePermission(by, 'close:case');
    c = await caseToWrite(tx, by, caseId);
    requireAllowed(decideCaseActions(by, c), 'close');
  } else {
    c = await lockCase(tx, caseId);
    if (c.closureMode !== null) throw new DomainError('conflict', 'caseErrors.closed');
  }
  const now = deps.clock();
  const today = beijingDateOf(now);
  const closedOn = data.closedOn ?? today;
  if (closedOn > today) throw validationError({ closedOn: ['validation.future'] });
  if (closedOn < c.filedOn) throw validationError({ closedOn: ['validation.beforeFiling'] });
  const recovered = 'recovered' in data ? (data.recovered ?? null) : null;
  if ((data.mode === 'fully_performed' || data.mode === 'settlement_performed') && recovered! <= 0n)
    throw validationError({ recovered: ['validation.amount'] });

  let checklist: ReturnType<typeof zhongbenChecklist> | null = null;
  if (data.mode === 'fully_performed' || data.mode === 'settlement_performed') {
    // Cross-check with the ledger: the case is not performed while its account still holds money.
    const held = await balanceOf(tx, caseAccountCode(c.id)).catch((e) => {
      if ((e as DomainError).code === 'not_found') return 0n;
      throw e;
    });
    if (held !== 0n)
      throw new DomainError('conflict', 'caseErrors.fundsHeld', { params: { amountFen: held.toString() } });
  }
  if (data.mode === 'terminated_for_now') {
    // 民诉法解释 art. 517: without the applicant's signature, the president approves.
    // A field error, not a refusal of the page: the clerk chooses the applicant's signature instead.
    if (data.confirmation === 'president_approved' && !(isActor(by) && can(by, 'approve:case-president')))
      throw validationError({ confirmation: ['caseErrors.presidentApproval'] });
    if (data.unpaid <= 0n || data.unpaid > c.amountOwedFen)
      throw validationError({ unpaid: ['validation.unpaidRange'] });
    checklist = zhongbenChecklist({ filedOn: c.filedOn, on: closedOn, measures: await measuresOf(tx, c.id) });
    if (!checklist.allMet) throw zhongbenRefusal(checklist.missing);
  }

  const facts = (await clockFactsOf(tx, [c.id])).get(c.id)!;
  const limit = limitOf({ ...c, closedOn }, facts, now);
  const row = await transitionCase(
    tx,
    c,
    data.mode === 'terminated_for_now' ? 'terminated_without_property' : 'concluded',
    {
      closureMode: data.mode,
      closedOn,
      closedBy: isActor(by) ? by.userId : null,
      recoveredFen: recovered,
      unpaidFen: data.mode === 'terminated_for_now' ? data.unpaid : null,
      closureRuling: 'ruling' in data ? data.ruling : null,
      closureReason: 'reason' in data ? data.reason : null,
      dueOn: limit?.dueOn ?? null,
      excludedDays: limit?.excludedDays ?? null,
      netDays: limit?.netDays ?? null,
      withinLimit: limit?.withinLimit ?? null,
      zhongbenQualified: checklist ? checklist.allMet : null,
      closureChecklist: checklist,
      propertyFound: c.propertyFound || (recovered !== null && recovered > 0n),
      updatedAt: now,
    },
    {
      actorId: isActor(by) ? by.userId : null,
      requestId,
      data: {
        mode: data.mode,
        closedOn,
        by: isActor(by) ? undefined : by.system,
        recoveredFen: recovered?.toString() ?? null,
        ...(data.mode === 'terminated_for_now' && {
          unpaidFen: data.unpaid.toString(),
          confirmation: data.confirmation,
        }),
      },
    },
  );
  // 终本规定 art. 9: the online search is repeated every 6 months for 5 years.
  if (data.mode === 'terminated_for_now') await scheduleResearch(tx, c.id, closedOn, 1, deps.profile.factor);
  await deps.onClosed?.(tx, row, now);
  return row;
}

/**
 * Whether the case is closed as 终本, and since when: what makes it eligible for enforcement aid
 * (the aid module asks here instead of keeping its own flag).
 */
export async function zhongbenOf(db: Database | Tx, caseId: string): Promise<{ closedOn: string } | null> {
  if (!isUuid(caseId)) throw notFound();
  const [row] = await db
    .select({ mode: cases.closureMode, closedOn: cases.closedOn })
    .from(cases)
    .where(eq(cases.id, caseId));
  return row?.mode === 'terminated_for_now' && row.closedOn ? { closedOn: row.closedOn } : null;
}
