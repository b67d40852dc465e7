/**
 * Filing (立案): a court files a case under its own code, with its filing date, title kind and
 * the amount applied for; the time limit starts the day after. A closed case (终本, 终结) is
 * resumed as a new 执恢 case linked to the old one, with the same parties (终本规定 art. 9).
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type Case, caseParties, cases } from '../../db/schema/cases.js';
import { organisations } from '../../db/schema/identity.js';
import { requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { isUniqueViolation } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { cancelJob } from '../jobs/schedule.js';
import { parseInput, validationError } from '../validation.js';
import type { CaseDeps } from './deps.js';
import { refreshDueOn } from './lifecycle.js';
import { researchKey } from './research.js';
import { decideCaseActions, decideCaseListActions } from './rules.js';
import { CreateCaseSchema, parseCaseNumber, ResumeCaseSchema } from './schemas.js';
import { caseToWrite } from './scope.js';
import { beijingDateOf } from './time-limit.js';

/** A court files cases under its own code. */
async function assertOwnCode(tx: Pick<Tx, 'select'>, courtId: string, caseNumber: string) {
  const [court] = await tx
    .select({ code: organisations.code })
    .from(organisations)
    .where(eq(organisations.id, courtId));
  if (parseCaseNumber(caseNumber)?.courtCode !== court?.code)
    throw validationError({ caseNumber: ['validation.caseNumberCourt'] });
}

function assertFilingDate(filedOn: string, today: string) {
  if (filedOn > today) throw validationError({ filedOn: ['validation.future'] });
}

async function insertCase(
  tx: Tx,
  values: typeof cases.$inferInsert,
  parties: (Omit<typeof caseParties.$inferInsert, 'caseId'> & { caseId?: string })[],
  now: Date,
  audit: { actorId: string; data?: Record<string, unknown>; requestId?: string },
): Promise<Case> {
  const [row] = await tx.insert(cases).values(values).returning();
  await tx.insert(caseParties).values(parties.map((p) => ({ ...p, id: undefined, caseId: row!.id })));
  await recordAudit(tx, {
    actorId: audit.actorId,
    action: 'case.created',
    entityType: 'case',
    entityId: row!.id,
    data: { caseNumber: row!.caseNumber, filedOn: row!.filedOn, ...audit.data },
    requestId: audit.requestId,
  });
  const limit = await refreshDueOn(tx, row!, now);
  return { ...row!, dueOn: limit?.dueOn ?? null };
}

export async function createCase(deps: CaseDeps, actor: Actor, input: unknown, requestId?: string) {
  requirePermission(actor, 'create:case');
  const courtId = courtOf(actor);
  requireAllowed(decideCaseListActions(actor), 'create');
  const data = parseInput(CreateCaseSchema, input);
  const now = deps.clock();
  const filedOn = data.filedOn ?? beijingDateOf(now);
  assertFilingDate(filedOn, beijingDateOf(now));
  await assertOwnCode(deps.db, courtId, data.caseNumber);
  try {
    return await deps.db.transaction((tx) =>
      insertCase(
        tx,
        {
          courtId,
          caseNumber: data.caseNumber,
          basis: data.basis,
          titleKind: data.titleKind,
          filedOn,
          amountOwedFen: data.amountOwed,
          createdBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        },
        data.parties.map((p) => ({
          role: p.role,
          kind: p.kind,
          name: p.name,
          idNumberMasked: p.idNumberMasked,
          claimFen: p.claim,
        })),
        now,
        { actorId: actor.userId, requestId },
      ),
    );
  } catch (e) {
    if (isUniqueViolation(e, 'cases_number_key'))
      throw validationError({ caseNumber: ['validation.caseNumberTaken'] });
    throw e;
  }
}

/**
 * Resumes a closed case as a new 执恢 case: its number typed by the clerk (the court's register
 * numbers it), the same title and parties, the amount still unpaid. The old case stays closed;
 * its re-search stops and a resumption task it had is done.
 */
export async function resumeCase(
  deps: CaseDeps,
  actor: Actor,
  caseId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'create:case');
  const data = parseInput(ResumeCaseSchema, input);
  const now = deps.clock();
  const filedOn = data.filedOn ?? beijingDateOf(now);
  assertFilingDate(filedOn, beijingDateOf(now));
  try {
    return await deps.db.transaction(async (tx) => {
      const old = await caseToWrite(tx, actor, caseId);
      const [already] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.resumedFromId, old.id));
      requireAllowed(decideCaseActions(actor, old, { resumed: !!already }), 'resume');
      await assertOwnCode(tx, old.courtId, data.caseNumber);
      if (filedOn < (old.closedOn ?? old.filedOn))
        throw validationError({ filedOn: ['validation.beforeClosure'] });
      const parties = await tx.select().from(caseParties).where(eq(caseParties.caseId, old.id));
      const owed = old.unpaidFen ?? old.amountOwedFen - (old.recoveredFen ?? 0n);
      const row = await insertCase(
        tx,
        {
          courtId: old.courtId,
          caseNumber: data.caseNumber,
          basis: old.basis,
          titleKind: old.titleKind,
          filedOn,
          amountOwedFen: owed > 0n ? owed : old.amountOwedFen,
          resumedFromId: old.id,
          // Resumed because property was found: a case with property from its first day.
          propertyFound: old.resumptionDueOn !== null,
          createdBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        },
        parties.map(({ id: _id, caseId: _c, ...p }) => p),
        now,
        { actorId: actor.userId, requestId, data: { resumedFrom: old.id, reason: data.reason } },
      );
      await tx.update(cases).set({ resumptionDueOn: null, updatedAt: now }).where(eq(cases.id, old.id));
      await cancelJob(tx, researchKey(old.id));
      await recordAudit(tx, {
        actorId: actor.userId,
        action: 'case.resumed',
        entityType: 'case',
        entityId: old.id,
        data: { resumedBy: row.id, caseNumber: row.caseNumber, reason: data.reason },
        requestId,
      });
      return row;
    });
  } catch (e) {
    if (isUniqueViolation(e, 'cases_number_key'))
      throw validationError({ caseNumber: ['validation.caseNumberTaken'] });
    throw e;
  }
}
