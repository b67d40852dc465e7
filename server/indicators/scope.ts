/**
 * Whose figures a viewer reads (ADR 018): a court's staff his own court and every court below it
 * (the cases module's `courtsUnder`, the one definition of the hierarchy), the platform's
 * administrator every court. A court out of reach is "not found", never "forbidden".
 */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { organisations } from '../../db/schema/identity.js';
import { courtsUnder } from '../cases/scope.js';
import { notFound } from '../errors.js';
import { type Actor, courtIdOf, requirePermission } from '../identity/permissions.js';
import type { IndicatorDeps } from './deps.js';

export interface CourtRef {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  level: 'high' | 'intermediate' | 'basic' | null;
  parentId: string | null;
}

const courtColumns = {
  id: organisations.id,
  code: organisations.code,
  nameZh: organisations.nameZh,
  nameEn: organisations.nameEn,
  level: organisations.courtLevel,
  parentId: organisations.parentId,
};

/** Every court the actor may read, ordered by code (a court's code begins with its parent's). */
export async function reachableCourts(deps: IndicatorDeps, actor: Actor): Promise<CourtRef[]> {
  requirePermission(actor, 'read:indicators');
  const own = courtIdOf(actor);
  const where =
    own !== null
      ? sql`${organisations.id} in ${courtsUnder(own)}`
      : actor.orgKind === 'platform'
        ? eq(organisations.kind, 'court')
        : sql`false`;
  return deps.db.select(courtColumns).from(organisations).where(where).orderBy(asc(organisations.code));
}

/**
 * The view: a court (its own cases and its courts' below) or, for the platform with no court
 * chosen, every court. `courts` are those the figures add up; `view` null is the platform.
 */
export async function viewOf(deps: IndicatorDeps, actor: Actor, courtId: string | undefined) {
  const reachable = await reachableCourts(deps, actor);
  const own = courtIdOf(actor);
  const chosen = courtId ?? own;
  if (chosen === null) return { view: null, courts: reachable, reachable };
  const view = reachable.find((c) => c.id === chosen);
  if (!view) throw notFound();
  // The subtree of the chosen court, within what is reachable.
  const below = new Set([view.id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of reachable)
      if (c.parentId && below.has(c.parentId) && !below.has(c.id)) {
        below.add(c.id);
        grew = true;
      }
  }
  return { view, courts: reachable.filter((c) => below.has(c.id)), reachable };
}

export async function courtsByIds(deps: IndicatorDeps, ids: string[]) {
  if (ids.length === 0) return [];
  return deps.db.select(courtColumns).from(organisations).where(inArray(organisations.id, ids));
}
