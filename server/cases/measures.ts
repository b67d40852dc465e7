/**
 * Enforcement measures on a case (执行措施), each dated, by a staff member, with its evidence
 * files: the record the 终本 conditions are computed from (zhongben.ts). Details are validated
 * per kind (schemas.ts `MEASURE_DETAILS`); the online search records itself (searches.ts).
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type Case, caseFiles, caseMeasures, cases, type MeasureKind } from '../../db/schema/cases.js';
import { requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { type CheckedUpload, checkUpload, storeUpload, UPLOAD_RULES } from '../storage/storage.js';
import { fieldErrorsOf, isUuid, parseInput, validationError } from '../validation.js';
import type { CaseDeps } from './deps.js';
import { decideCaseActions } from './rules.js';
import { MEASURE_DETAILS, RecordMeasureSchema } from './schemas.js';
import { caseToRead, caseToWrite, lockCase } from './scope.js';
import { beijingDateOf } from './time-limit.js';

export interface EvidenceUpload {
  filename: string;
  bytes: Uint8Array;
}

/** A measure's input, details validated for its kind; field errors name the detail itself (`summary`). */
export function parseMeasure(input: unknown) {
  const base = parseInput(RecordMeasureSchema, input);
  const parsed = MEASURE_DETAILS[base.kind].safeParse(base.details);
  if (!parsed.success) throw validationError(fieldErrorsOf(parsed.error));
  return { ...base, details: parsed.data as Record<string, unknown> };
}

/** Writes a measure in the caller's transaction (the clerk's form, the re-search job). */
export async function insertMeasure(
  tx: Tx,
  c: Case,
  m: { kind: MeasureKind; takenOn: string; details: Record<string, unknown>; note?: string | null },
  by: string | null,
  now: Date,
  requestId?: string,
) {
  const [row] = await tx
    .insert(caseMeasures)
    .values({
      caseId: c.id,
      kind: m.kind,
      takenOn: m.takenOn,
      details: m.details,
      note: m.note ?? null,
      takenBy: by,
      createdAt: now,
    })
    .returning();
  // A seizure means the case has property: it counts in the within-limit indicator.
  if (m.kind === 'seizure' && !c.propertyFound)
    await tx.update(cases).set({ propertyFound: true, updatedAt: now }).where(eq(cases.id, c.id));
  await recordAudit(tx, {
    actorId: by,
    action: 'case.measure_recorded',
    entityType: 'case',
    entityId: c.id,
    data: { measureId: row!.id, kind: m.kind, takenOn: m.takenOn },
    requestId,
  });
  return row!;
}

/**
 * A measure recorded by another module's use case in its own transaction (the credit module's
 * decision): the case is locked; only an open case or one closed as 终本 takes it.
 */
export async function recordMeasureIn(
  deps: CaseDeps,
  tx: Tx,
  by: string,
  caseId: string,
  input: unknown,
  requestId?: string,
) {
  const data = parseMeasure(input);
  const c = await lockCase(tx, caseId);
  if (c.status === 'concluded') throw new DomainError('conflict', 'caseErrors.closed');
  return insertMeasure(tx, c, data, by, deps.clock(), requestId);
}

/** The clerk records a measure taken on the case, with an evidence file if he has one. */
export async function recordMeasure(
  deps: CaseDeps,
  actor: Actor,
  caseId: string,
  input: unknown,
  evidence?: EvidenceUpload | null,
  requestId?: string,
) {
  requirePermission(actor, 'manage:case');
  const data = parseMeasure(input);
  const upload = evidence ? checkUpload(UPLOAD_RULES.other, evidence) : null;
  const write = async (stored: Parameters<Parameters<typeof storeUpload>[2]>[0] | null) =>
    deps.db.transaction(async (tx) => {
      const c = await caseToWrite(tx, actor, caseId);
      requireAllowed(decideCaseActions(actor, c), 'recordMeasure');
      const now = deps.clock();
      if (data.takenOn < c.filedOn) throw validationError({ takenOn: ['validation.beforeFiling'] });
      if (data.takenOn > beijingDateOf(now)) throw validationError({ takenOn: ['validation.future'] });
      const row = await insertMeasure(tx, c, data, actor.userId, now, requestId);
      if (stored) await insertFile(tx, c.id, row.id, stored, actor.userId, now, requestId);
      return row;
    });
  return upload ? storeUpload(deps.storage, upload, write) : write(null);
}

async function insertFile(
  tx: Tx,
  caseId: string,
  measureId: string,
  stored: Omit<CheckedUpload, 'bytes'> & { size: number; sha256: string; storageKey: string },
  by: string,
  now: Date,
  requestId?: string,
) {
  const [row] = await tx
    .insert(caseFiles)
    .values({ caseId, measureId, ...stored, uploadedBy: by, createdAt: now })
    .returning();
  await recordAudit(tx, {
    actorId: by,
    action: 'case.evidence_attached',
    entityType: 'case',
    entityId: caseId,
    data: { fileId: row!.id, measureId, sha256: stored.sha256 },
    requestId,
  });
  return row!;
}

/** Adds an evidence file to a measure already on file (the served notice's receipt arrives later). */
export async function attachEvidence(
  deps: CaseDeps,
  actor: Actor,
  measureId: string,
  file: EvidenceUpload,
  requestId?: string,
) {
  requirePermission(actor, 'manage:case');
  if (!isUuid(measureId)) throw notFound();
  const upload = checkUpload(UPLOAD_RULES.other, file);
  return storeUpload(deps.storage, upload, (stored) =>
    deps.db.transaction(async (tx) => {
      const [m] = await tx.select().from(caseMeasures).where(eq(caseMeasures.id, measureId));
      if (!m) throw notFound();
      const c = await caseToWrite(tx, actor, m.caseId);
      requireAllowed(decideCaseActions(actor, c), 'recordMeasure');
      return insertFile(tx, c.id, m.id, stored, actor.userId, deps.clock(), requestId);
    }),
  );
}

/** An evidence file's bytes, for whoever may read the case (its court, the courts above it). */
export async function readEvidence(deps: CaseDeps, actor: Actor, fileId: string) {
  requirePermission(actor, 'read:case');
  if (!isUuid(fileId)) throw notFound();
  const [f] = await deps.db.select().from(caseFiles).where(eq(caseFiles.id, fileId));
  if (!f) throw notFound();
  await caseToRead(deps.db, actor, f.caseId);
  return { file: f, bytes: await deps.storage.get(f.storageKey) };
}

/** The case's measures, oldest first, each with its evidence files (storage keys left out). */
export async function measuresOf(db: Tx | CaseDeps['db'], caseId: string) {
  const rows = await db
    .select()
    .from(caseMeasures)
    .where(eq(caseMeasures.caseId, caseId))
    .orderBy(asc(caseMeasures.takenOn), asc(caseMeasures.createdAt));
  const files = rows.length
    ? await db
        .select()
        .from(caseFiles)
        .where(
          and(
            eq(caseFiles.caseId, caseId),
            inArray(
              caseFiles.measureId,
              rows.map((r) => r.id),
            ),
          ),
        )
        .orderBy(asc(caseFiles.createdAt))
    : [];
  return rows.map((m) => ({
    ...m,
    files: files.filter((f) => f.measureId === m.id).map(({ storageKey: _k, ...f }) => f),
  }));
}
