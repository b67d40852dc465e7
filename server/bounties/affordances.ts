/**
 * What a viewer may do with a bounty notice or a tip now (ADR 010): decided once here from the
 * status and the viewer's grants; the views return `can`, each action re-checks the same decision
 * on the row it has locked. Pure.
 */
import type { BountyNotice, BountyTip } from '../../db/schema/bounties.js';
import type { Decisions } from '../affordances.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, courtIdOf, type Permission, permissionRefusal } from '../identity/permissions.js';

const conflict = (key: string) => new DomainError('conflict', `bounties.errors.${key}`);

/** Staff of the record's court with the grant; another court's record does not exist for them. */
function staffRefusal(actor: Actor | null, courtId: string, permission: Permission): DomainError | null {
  return permissionRefusal(actor, permission) ?? (courtIdOf(actor!) === courtId ? null : notFound());
}

export type NoticeAction = 'decide' | 'close';

export function decideNoticeActions(
  actor: Actor | null,
  n: Pick<BountyNotice, 'courtId' | 'status'>,
): Decisions<NoticeAction> {
  const decide = staffRefusal(actor, n.courtId, 'decide:bounty');
  return {
    // Art. 21: the court decides on the application (a judge of the panel or the president).
    decide: decide ?? (n.status === 'applied' ? null : conflict('decided')),
    close: decide ?? (n.status === 'published' ? null : conflict('notPublished')),
  };
}

export type TipAction = 'read' | 'assess' | 'award';

export function decideTipActions(
  actor: Actor | null,
  t: Pick<BountyTip, 'courtId' | 'status'>,
): Decisions<TipAction> {
  const manage = staffRefusal(actor, t.courtId, 'manage:bounty');
  const decide = staffRefusal(actor, t.courtId, 'decide:bounty');
  return {
    // Art. 23: the lead and the informant only to the case's court, every reading logged.
    read: manage,
    assess: manage ?? (t.status === 'received' ? null : conflict('assessed')),
    // Art. 24: only a verified lead earns a reward, once.
    award:
      decide ??
      (t.status === 'valid' ? null : t.status === 'awarded' ? conflict('awarded') : conflict('notValid')),
  };
}
