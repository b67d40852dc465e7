/**
 * The cases module's pure rules: what a court's staff member may do now with the court's cases
 * and seized assets (ADR 010, server/affordances.ts). The reads the pages call return
 * `affordancesOf` these; the actions re-check the same decisions, so a page never offers what
 * the service would refuse. Here, not beside the service, because auctions decides its drafts
 * by `decideAssetActions` too (a module's rules.ts is public to the others).
 */
import type { Asset, Case } from '../../db/schema/cases.js';
import type { Decisions } from '../affordances.js';
import { type ChainedRound, nextRoundOf } from '../auctions/rules.js';
import { DomainError, forbidden } from '../errors.js';
import { type Actor, courtIdOf, grantedAtCourt as granted } from '../identity/permissions.js';

/** The court's case list: whether this viewer files new cases (for his own court). */
export function decideCaseListActions(actor: Actor): Decisions<'create'> {
  const courtId = courtIdOf(actor);
  return { create: courtId && granted(actor, courtId, 'create:case') ? null : forbidden() };
}

/** One case: whether this viewer registers seized assets on it. */
export function decideCaseActions(actor: Actor, kase: Pick<Case, 'courtId'>): Decisions<'addAsset'> {
  return { addAsset: granted(actor, kase.courtId, 'create:asset') ? null : forbidden() };
}

/**
 * One seized asset: attaching files, and drafting the next round of its sale, which exists
 * while no round is under way and the asset is unsold (art. 26, 变卖; rules.ts `nextRoundOf`).
 */
export function decideAssetActions(
  actor: Actor,
  asset: Pick<Asset, 'courtId'>,
  rounds: readonly ChainedRound[],
): Decisions<'upload' | 'list'> {
  const next = nextRoundOf(rounds);
  return {
    upload: granted(actor, asset.courtId, 'create:asset') ? null : forbidden(),
    list: !granted(actor, asset.courtId, 'create:listing')
      ? forbidden()
      : 'refusal' in next
        ? new DomainError('conflict', next.refusal)
        : null,
  };
}
