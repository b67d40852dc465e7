import { and, asc, desc, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { aidCourtSettings, aidPolicies } from '../../db/schema/aid.js';
import { organisations } from '../../db/schema/identity.js';
import { affordancesOf, type Decisions, requireAllowed } from '../affordances.js';
import { recordAudit } from '../audit/audit.js';
import { forbidden, isUniqueViolation } from '../errors.js';
import { type Actor, permissionRefusal, requirePermission } from '../identity/permissions.js';
import { parseInput, validationError } from '../validation.js';
import { postAid, remainingLimits, type Viewer, viewerOf } from './common.js';
import type { AidDeps } from './deps.js';
import {
  DEFAULT_COMMITTEE_THRESHOLD_FEN,
  formulaErrors,
  formulaFromJson,
  formulaToJson,
  ledgerCodes,
  type PayoutFormula,
} from './rules.js';
import { CourtSettingsSchema, CreatePolicySchema } from './schemas.js';

export function policyScope(v: Viewer): SQL | undefined {
  if (v.kind === 'court') return eq(aidPolicies.courtId, v.orgId);
  if (v.kind === 'insurer') return eq(aidPolicies.insurerId, v.orgId);
  if (v.kind === 'platform') return undefined;
  return eq(aidPolicies.id, '00000000-0000-0000-0000-000000000000'); // creditors see no policy
}

// Insurance policies held by courts, and each court's aid settings.

export type PolicyDeskAction = 'create' | 'settings';

/**
 * The policies page: an insurer's manager issues policies; a court's administrator sets the
 * court's committee threshold. The page renders `affordancesOf` these; the writes re-check them.
 */
export function decidePolicyDeskActions(actor: Actor): Decisions<PolicyDeskAction> {
  const kind = viewerOf(actor).kind;
  return {
    create: permissionRefusal(actor, 'manage:aid-policy') ?? (kind === 'insurer' ? null : forbidden()),
    settings: permissionRefusal(actor, 'manage:aid-settings') ?? (kind === 'court' ? null : forbidden()),
  };
}

/** The policies page: the policies this viewer sees, what he may do there, and what its forms need. */
export async function policyDesk(deps: AidDeps, actor: Actor) {
  const can = affordancesOf(decidePolicyDeskActions(actor));
  const [policies, courts, settings] = await Promise.all([
    listPolicies(deps, actor),
    can.create ? listCourts(deps, actor) : Promise.resolve([]),
    can.settings ? getCourtSettings(deps, actor) : Promise.resolve(null),
  ]);
  return { policies, courts, settings, can };
}

/** An insurer's manager issues a policy to a court; its aggregate limit opens in the ledger. */
export async function createPolicy(deps: AidDeps, actor: Actor, input: unknown, requestId?: string) {
  requireAllowed(decidePolicyDeskActions(actor), 'create');
  const v = viewerOf(actor);
  if (v.kind !== 'insurer') throw forbidden();
  const data = parseInput(CreatePolicySchema, input);
  const formula: PayoutFormula = {
    tiers: data.tiers.map((t, i) => ({
      upToFen: i === data.tiers.length - 1 && t.upTo === undefined ? null : (t.upTo ?? 0n),
      rateBp: t.rate,
    })),
    capFen: data.cap,
  };
  const errors = formulaErrors(formula);
  if (errors.length) throw validationError({ tiers: errors });
  const [court] = await deps.db
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(eq(organisations.id, data.courtId), eq(organisations.kind, 'court')));
  if (!court) throw validationError({ courtId: ['aidValidation.choose'] });
  try {
    return await deps.db.transaction(async (tx) => {
      const now = deps.clock();
      const [row] = await tx
        .insert(aidPolicies)
        .values({
          number: data.number,
          insurerId: v.orgId,
          courtId: court.id,
          startsOn: data.startsOn,
          endsOn: data.endsOn,
          premiumFen: data.premium,
          limitFen: data.limit,
          eligibleCaseTypes: [...new Set(data.eligibleCaseTypes)],
          formula: formulaToJson(formula),
          createdBy: actor.userId,
          createdAt: now,
        })
        .returning();
      const policy = row!;
      // The cover the insurer grants becomes the policy's limit account (ADR 009).
      await postAid(
        tx,
        {
          idempotencyKey: `aid:policy:${policy.id}:open`,
          kind: 'aid.policy_opened',
          description: policy.number,
          occurredAt: now,
          entries: [
            { account: ledgerCodes.limit(policy.id), amountFen: policy.limitFen },
            { account: ledgerCodes.cover(v.orgId), amountFen: -policy.limitFen },
          ],
        },
        [ledgerCodes.cover(v.orgId)],
      );
      await recordAudit(tx, {
        actorId: actor.userId,
        action: 'aid_policy.created',
        entityType: 'aid_policy',
        entityId: policy.id,
        data: { number: policy.number, limitFen: policy.limitFen.toString(), courtId: court.id },
        requestId,
      });
      return policy;
    });
  } catch (e) {
    if (isUniqueViolation(e, 'aid_policies_number_key'))
      throw validationError({ number: ['aidValidation.policyNumberTaken'] });
    throw e;
  }
}

/** The policies the actor may see, with their remaining and used limit (from the ledger). */
export async function listPolicies(deps: AidDeps, actor: Actor) {
  requirePermission(actor, 'read:aid-policy');
  const v = viewerOf(actor);
  const rows = await deps.db
    .select({
      policy: aidPolicies,
      courtNameZh: organisations.nameZh,
      courtNameEn: organisations.nameEn,
    })
    .from(aidPolicies)
    .innerJoin(organisations, eq(organisations.id, aidPolicies.courtId))
    .where(policyScope(v))
    .orderBy(desc(aidPolicies.startsOn), asc(aidPolicies.number));
  const remaining = await remainingLimits(
    deps.db,
    rows.map((r) => r.policy.id),
  );
  const insurers = await deps.db
    .select({ id: organisations.id, nameZh: organisations.nameZh, nameEn: organisations.nameEn })
    .from(organisations)
    .where(eq(organisations.kind, 'insurer'));
  const insurerName = new Map(insurers.map((i) => [i.id, i]));
  return rows.map((r) => {
    const left = remaining.get(r.policy.id) ?? 0n;
    return {
      ...r.policy,
      formula: formulaFromJson(r.policy.formula),
      courtNameZh: r.courtNameZh,
      courtNameEn: r.courtNameEn,
      insurerNameZh: insurerName.get(r.policy.insurerId)?.nameZh ?? '',
      insurerNameEn: insurerName.get(r.policy.insurerId)?.nameEn ?? '',
      remainingFen: left,
      usedFen: r.policy.limitFen - left,
    };
  });
}

/** Courts an insurer may issue a policy to. */
export async function listCourts(deps: AidDeps, actor: Actor) {
  requirePermission(actor, 'manage:aid-policy');
  return deps.db
    .select({
      id: organisations.id,
      code: organisations.code,
      nameZh: organisations.nameZh,
      nameEn: organisations.nameEn,
    })
    .from(organisations)
    .where(eq(organisations.kind, 'court'))
    .orderBy(asc(organisations.code));
}

/** The court's authority limit: above it the adjudication committee decides. */
export async function committeeThreshold(db: Pick<Database, 'select'>, courtId: string): Promise<bigint> {
  const [row] = await db.select().from(aidCourtSettings).where(eq(aidCourtSettings.courtId, courtId));
  return row?.committeeThresholdFen ?? DEFAULT_COMMITTEE_THRESHOLD_FEN;
}

export async function getCourtSettings(deps: AidDeps, actor: Actor) {
  requirePermission(actor, 'read:aid-claim');
  const v = viewerOf(actor);
  if (v.kind !== 'court') throw forbidden();
  return { committeeThresholdFen: await committeeThreshold(deps.db, v.orgId) };
}

export async function setCourtSettings(deps: AidDeps, actor: Actor, input: unknown, requestId?: string) {
  requireAllowed(decidePolicyDeskActions(actor), 'settings');
  const v = viewerOf(actor);
  if (v.kind !== 'court') throw forbidden();
  const data = parseInput(CourtSettingsSchema, input);
  return deps.db.transaction(async (tx) => {
    const before = await committeeThreshold(tx, v.orgId);
    const now = deps.clock();
    await tx
      .insert(aidCourtSettings)
      .values({
        courtId: v.orgId,
        committeeThresholdFen: data.committeeThreshold,
        updatedBy: actor.userId,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: aidCourtSettings.courtId,
        set: { committeeThresholdFen: data.committeeThreshold, updatedBy: actor.userId, updatedAt: now },
      });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'aid_settings.updated',
      entityType: 'organisation',
      entityId: v.orgId,
      data: { from: before.toString(), to: data.committeeThreshold.toString() },
      requestId,
    });
    return { committeeThresholdFen: data.committeeThreshold };
  });
}
