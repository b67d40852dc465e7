import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.js';
import { listings } from '../../db/schema/auctions.js';
import { assetFiles, assets, caseParties, cases, type fileKind } from '../../db/schema/cases.js';
import { organisations } from '../../db/schema/identity.js';
import { affordancesOf, requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import type { Clock } from '../clock.js';
import { isUniqueViolation, notFound } from '../errors.js';
import { type Actor, courtIdOf, courtOf, requirePermission } from '../identity/permissions.js';
import { type BlobStorage, checkUpload, storeUpload, UPLOAD_RULES } from '../storage/storage.js';
import { parseInput, validationError } from '../validation.js';
import { decideAssetActions, decideCaseActions, decideCaseListActions } from './rules.js';
import { CreateAssetSchema, CreateCaseSchema, parseCaseNumber } from './schemas.js';

type FileKind = (typeof fileKind.enumValues)[number];

/**
 * Enforcement cases and seized assets. Every query is scoped to the actor's court here, so a
 * caller cannot forget it: another court's case is "not found", never "forbidden" (no leak).
 */
export function createCaseService({
  db,
  clock,
  storage,
}: {
  db: Database;
  clock: Clock;
  storage: BlobStorage;
}) {
  async function createCase(actor: Actor, input: unknown, requestId?: string) {
    requirePermission(actor, 'create:case');
    const courtId = courtOf(actor);
    requireAllowed(decideCaseListActions(actor), 'create');
    const data = parseInput(CreateCaseSchema, input);
    const [court] = await db
      .select({ code: organisations.code })
      .from(organisations)
      .where(eq(organisations.id, courtId));
    // A court files cases under its own code.
    if (parseCaseNumber(data.caseNumber)?.courtCode !== court?.code)
      throw validationError({ caseNumber: ['validation.caseNumberCourt'] });
    try {
      return await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(cases)
          .values({
            courtId,
            caseNumber: data.caseNumber,
            basis: data.basis,
            amountOwedFen: data.amountOwed,
            createdBy: actor.userId,
            createdAt: clock(),
            updatedAt: clock(),
          })
          .returning();
        await tx.insert(caseParties).values(
          data.parties.map((p) => ({
            caseId: row!.id,
            role: p.role,
            kind: p.kind,
            name: p.name,
            idNumberMasked: p.idNumberMasked,
            claimFen: p.claim,
          })),
        );
        await recordAudit(tx, {
          actorId: actor.userId,
          action: 'case.created',
          entityType: 'case',
          entityId: row!.id,
          data: { caseNumber: row!.caseNumber },
          requestId,
        });
        return row!;
      });
    } catch (e) {
      if (isUniqueViolation(e, 'cases_number_key'))
        throw validationError({ caseNumber: ['validation.caseNumberTaken'] });
      throw e;
    }
  }

  async function listCases(
    actor: Actor,
    { page = 1, pageSize = 20 }: { page?: number; pageSize?: number } = {},
  ) {
    requirePermission(actor, 'read:case');
    const courtId = courtOf(actor);
    const rows = await db
      .select({
        id: cases.id,
        caseNumber: cases.caseNumber,
        basis: cases.basis,
        amountOwedFen: cases.amountOwedFen,
        status: cases.status,
        createdAt: cases.createdAt,
        assetCount: sql<number>`(select count(*)::int from ${assets} where ${assets.caseId} = ${cases.id})`,
      })
      .from(cases)
      .where(eq(cases.courtId, courtId))
      .orderBy(desc(cases.createdAt))
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    const [total] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(cases)
      .where(eq(cases.courtId, courtId));
    return {
      rows,
      total: total?.n ?? 0,
      page,
      pageSize,
      can: affordancesOf(decideCaseListActions(actor)),
    };
  }

  /** Scoped lookup used by every case operation. */
  async function caseFor(tx: Db, actor: Actor, caseId: string) {
    const courtId = courtOf(actor);
    if (!/^[0-9a-f-]{36}$/i.test(caseId)) throw notFound();
    const [row] = await tx
      .select()
      .from(cases)
      .where(and(eq(cases.id, caseId), eq(cases.courtId, courtId)));
    if (!row) throw notFound();
    return row;
  }

  async function getCase(actor: Actor, caseId: string) {
    requirePermission(actor, 'read:case');
    const row = await caseFor(db, actor, caseId);
    const parties = await db.select().from(caseParties).where(eq(caseParties.caseId, row.id));
    const assetRows = await db
      .select()
      .from(assets)
      .where(eq(assets.caseId, row.id))
      .orderBy(assets.createdAt);
    return { ...row, parties, assets: assetRows, can: affordancesOf(decideCaseActions(actor, row)) };
  }

  async function createAsset(actor: Actor, caseId: string, input: unknown, requestId?: string) {
    requirePermission(actor, 'create:asset');
    const data = parseInput(CreateAssetSchema, input);
    return db.transaction(async (tx) => {
      const c = await caseFor(tx, actor, caseId);
      requireAllowed(decideCaseActions(actor, c), 'addAsset');
      const [row] = await tx
        .insert(assets)
        .values({
          caseId: c.id,
          courtId: c.courtId,
          type: data.type,
          title: data.title,
          province: data.province,
          city: data.city,
          district: data.district,
          address: data.address,
          description: data.description,
          knownDefects: data.knownDefects,
          encumbrances: data.encumbrances,
          appraisalFen: data.appraisal,
          appraisalBasis: data.appraisalBasis,
          appraisalDate: data.appraisalDate,
          createdBy: actor.userId,
          createdAt: clock(),
        })
        .returning();
      await recordAudit(tx, {
        actorId: actor.userId,
        action: 'asset.created',
        entityType: 'asset',
        entityId: row!.id,
        data: { caseId: c.id },
        requestId,
      });
      return row!;
    });
  }

  async function assetFor(tx: Db, actor: Actor, assetId: string) {
    const courtId = courtOf(actor);
    if (!/^[0-9a-f-]{36}$/i.test(assetId)) throw notFound();
    const [row] = await tx
      .select()
      .from(assets)
      .where(and(eq(assets.id, assetId), eq(assets.courtId, courtId)));
    if (!row) throw notFound();
    return row;
  }

  async function getAsset(actor: Actor, assetId: string) {
    requirePermission(actor, 'read:case');
    const asset = await assetFor(db, actor, assetId);
    const files = await db
      .select()
      .from(assetFiles)
      .where(eq(assetFiles.assetId, asset.id))
      .orderBy(assetFiles.createdAt);
    return { ...asset, files };
  }

  /** Size and type are checked on the bytes themselves before anything is stored. */
  async function attachFile(
    actor: Actor,
    assetId: string,
    file: { kind: FileKind; filename: string; bytes: Uint8Array },
    requestId?: string,
  ) {
    requirePermission(actor, 'create:asset');
    const asset = await assetFor(db, actor, assetId);
    const rounds = await db.select().from(listings).where(eq(listings.assetId, asset.id));
    requireAllowed(decideAssetActions(actor, asset, rounds), 'upload');
    const rule = UPLOAD_RULES[file.kind];
    if (!rule) throw validationError({ file: ['validation.fileKind'] });
    const upload = checkUpload(rule, file);
    return storeUpload(storage, upload, (stored) =>
      db.transaction(async (tx) => {
        const [row] = await tx
          .insert(assetFiles)
          .values({
            assetId: asset.id,
            kind: file.kind,
            ...stored,
            uploadedBy: actor.userId,
            createdAt: clock(),
          })
          .returning();
        await recordAudit(tx, {
          actorId: actor.userId,
          action: 'asset.file_attached',
          entityType: 'asset',
          entityId: asset.id,
          data: { fileId: row!.id, kind: file.kind, sha256: stored.sha256 },
          requestId,
        });
        return row!;
      }),
    );
  }

  /**
   * A file's bytes for download. Files of assets that have a public listing are public
   * (the announcement's attachments, art. 12); others only for the court's staff.
   */
  async function readFile(actor: Actor | null, fileId: string) {
    if (!/^[0-9a-f-]{36}$/i.test(fileId)) throw notFound();
    const [row] = await db
      .select({
        file: assetFiles,
        courtId: assets.courtId,
        isPublic: sql<boolean>`exists (select 1 from listings l where l.asset_id = ${assets.id}
          and l.status not in ('draft', 'pending_approval') and l.announce_at <= ${clock().toISOString()}::timestamptz)`,
      })
      .from(assetFiles)
      .innerJoin(assets, eq(assets.id, assetFiles.assetId))
      .where(eq(assetFiles.id, fileId));
    if (!row) throw notFound();
    const staffOfCourt = actor !== null && courtIdOf(actor) === row.courtId;
    if (!row.isPublic && !staffOfCourt) throw notFound();
    return { file: row.file, bytes: await storage.get(row.file.storageKey) };
  }

  return { createCase, listCases, getCase, createAsset, getAsset, attachFile, readFile };
}

export type CaseService = ReturnType<typeof createCaseService>;
