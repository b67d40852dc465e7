/**
 * What a viewer may do with a sale now (ADR 010, "Affordances from the service"): decided once
 * here, from the sale's status and the viewer's grants. The views return `can` beside the sale;
 * each action re-checks the same decision on the row it has locked. Pure.
 */
import type { Sale, SaleStatus } from '../../db/schema/sales.js';
import type { Decisions } from '../affordances.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, courtIdOf, type Permission, permissionRefusal } from '../identity/permissions.js';

export const SALE_ACTIONS = [
  'recordEligibility',
  'issueRuling',
  'recordService',
  'scheduleHandover',
  'recordHandover',
  'recordObstruction',
] as const;
export type SaleAction = (typeof SALE_ACTIONS)[number];

const conflict = (key: string) => new DomainError('conflict', `sales.errors.${key}`);

/** Staff of the sale's court with the grant; another court's sale does not exist for them, as its lookup says. */
function staffRefusal(actor: Actor | null, courtId: string, permission: Permission): DomainError | null {
  return permissionRefusal(actor, permission) ?? (courtIdOf(actor!) === courtId ? null : notFound());
}

/** Before the ruling: the re-check first where the listing was restricted (限购), a failed one blocks it. */
function rulingRefusal(status: SaleStatus): DomainError | null {
  if (status === 'awaiting_ruling') return null;
  if (status === 'eligibility_check') return conflict('eligibilityPending');
  if (status === 'eligibility_failed') return conflict('eligibilityFailed');
  return conflict('rulingIssued');
}

function handoverRefusal(status: SaleStatus): DomainError | null {
  if (status === 'handover_scheduled') return null;
  if (status === 'handed_over') return conflict('handedOver');
  return conflict('handoverNotScheduled');
}

export function decideSaleActions(
  actor: Actor | null,
  s: Pick<Sale, 'courtId' | 'status' | 'purchaseRestricted'>,
): Decisions<SaleAction> {
  const manage = staffRefusal(actor, s.courtId, 'manage:sale');
  const judge = staffRefusal(actor, s.courtId, 'issue:sale-ruling');
  const { status } = s;
  return {
    recordEligibility:
      manage ??
      (!s.purchaseRestricted
        ? conflict('notRestricted')
        : status === 'eligibility_check' || status === 'eligibility_failed'
          ? null
          : conflict('eligibilityPassed')),
    // Art. 20: a judge issues the ruling (issue:sale-ruling), once, after the re-check passed.
    issueRuling: judge ?? rulingRefusal(status),
    // Art. 26: ownership passes when the ruling is served; recorded once.
    recordService:
      manage ??
      (status === 'ruling_issued'
        ? null
        : conflict(
            (['eligibility_check', 'eligibility_failed', 'awaiting_ruling'] as SaleStatus[]).includes(status)
              ? 'rulingNotIssued'
              : 'served',
          )),
    // Art. 27: handed over after the ruling is served; scheduled again after an obstruction.
    scheduleHandover:
      manage ??
      (status === 'ruling_served' || status === 'handover_obstructed'
        ? null
        : status === 'handover_scheduled'
          ? conflict('handoverScheduled')
          : status === 'handed_over'
            ? conflict('handedOver')
            : conflict('notServed')),
    recordHandover: manage ?? handoverRefusal(status),
    recordObstruction: manage ?? handoverRefusal(status),
  };
}
