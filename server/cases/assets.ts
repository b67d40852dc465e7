/**
 * Seized assets on a case (查封财产) and their files. Assets are the court's own: a higher court
 * reads the case but not its assets' working files (their public listing shows what is public).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { listings } from '../../db/schema/auctions.js';
import { assetFiles, assets, cases, type fileKind } from '../../db/schema/cases.js';
import { requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { notFound } from '../errors.js';
import { type Actor, courtIdOf, courtOf, requirePermission } from '../identity/permissions.js';
import { checkUpload, storeUpload, UPLOAD_RULES } from '../storage/storage.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import type { CaseDeps } from './deps.js';
import { decideAssetActions, decideCaseActions } from './rules.js';
import { CreateAssetSchema } from './schemas.js';
import { caseToWrite } from './scope.js';

type FileKind = (typeof fileKind.enumValues)[number];

export async function createAsset(
  deps: CaseDeps,
  actor: Actor,
  caseId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'create:asset');
  const data = parseInput(CreateAssetSchema, input);
  return deps.db.transaction(async (tx) => {
    const c = await caseToWrite(tx, actor, caseId);
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
        createdAt: deps.clock(),
      })
      .returning();
    // A seized asset: the case is one with property (the within-limit indicator's population).
    if (!c.propertyFound) await tx.update(cases).set({ propertyFound: true }).where(eq(cases.id, c.id));
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
  if (!isUuid(assetId)) throw notFound();
  const [row] = await tx
    .select()
    .from(assets)
    .where(and(eq(assets.id, assetId), eq(assets.courtId, courtId)));
  if (!row) throw notFound();
  return row;
}

export async function getAsset(deps: CaseDeps, actor: Actor, assetId: string) {
  requirePermission(actor, 'read:case');
  const asset = await assetFor(deps.db, actor, assetId);
  const files = await deps.db
    .select()
    .from(assetFiles)
    .where(eq(assetFiles.assetId, asset.id))
    .orderBy(assetFiles.createdAt);
  return { ...asset, files };
}

/** Size and type are checked on the bytes themselves before anything is stored. */
export async function attachFile(
  deps: CaseDeps,
  actor: Actor,
  assetId: string,
  file: { kind: FileKind; filename: string; bytes: Uint8Array },
  requestId?: string,
) {
  requirePermission(actor, 'create:asset');
  const asset = await assetFor(deps.db, actor, assetId);
  const rounds = await deps.db.select().from(listings).where(eq(listings.assetId, asset.id));
  requireAllowed(decideAssetActions(actor, asset, rounds), 'upload');
  const rule = UPLOAD_RULES[file.kind];
  if (!rule) throw validationError({ file: ['validation.fileKind'] });
  const upload = checkUpload(rule, file);
  return storeUpload(deps.storage, upload, (stored) =>
    deps.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(assetFiles)
        .values({
          assetId: asset.id,
          kind: file.kind,
          ...stored,
          uploadedBy: actor.userId,
          createdAt: deps.clock(),
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
export async function readFile(deps: CaseDeps, actor: Actor | null, fileId: string) {
  if (!isUuid(fileId)) throw notFound();
  const [row] = await deps.db
    .select({
      file: assetFiles,
      courtId: assets.courtId,
      isPublic: sql<boolean>`exists (select 1 from listings l where l.asset_id = ${assets.id}
        and l.status not in ('draft', 'pending_approval') and l.announce_at <= ${deps.clock().toISOString()}::timestamptz)`,
    })
    .from(assetFiles)
    .innerJoin(assets, eq(assets.id, assetFiles.assetId))
    .where(eq(assetFiles.id, fileId));
  if (!row) throw notFound();
  const staffOfCourt = actor !== null && courtIdOf(actor) === row.courtId;
  if (!row.isPublic && !staffOfCourt) throw notFound();
  return { file: row.file, bytes: await deps.storage.get(row.file.storageKey) };
}
