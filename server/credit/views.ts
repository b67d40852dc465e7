/**
 * What the court's credit page under a case reads (ADR 019): the case's listings, restriction
 * orders (with the persons they name and their exceptions) and correction requests, each with
 * what this viewer may do now. Scoped through the case (the cases module's read scope).
 */
import { asc, eq, inArray } from 'drizzle-orm';
import {
  creditCorrections,
  creditListings,
  creditRestrictedPersons,
  creditRestrictionExceptions,
  creditRestrictions,
} from '../../db/schema/credit.js';
import { affordancesOf } from '../affordances.js';
import { type Actor, can, requirePermission } from '../identity/permissions.js';
import { decideCorrectionActions, decideListingActions, decideRestrictionActions } from './affordances.js';
import type { CreditDeps } from './deps.js';

export async function caseCredit(deps: CreditDeps, actor: Actor, caseId: string) {
  requirePermission(actor, 'read:case');
  const c = await deps.cases.getCase(actor, caseId);
  const [listings, restrictions] = await Promise.all([
    deps.db
      .select()
      .from(creditListings)
      .where(eq(creditListings.caseId, c.id))
      .orderBy(asc(creditListings.createdAt)),
    deps.db
      .select()
      .from(creditRestrictions)
      .where(eq(creditRestrictions.caseId, c.id))
      .orderBy(asc(creditRestrictions.createdAt)),
  ]);
  const restrictionIds = restrictions.map((r) => r.id);
  const listingIds = listings.map((l) => l.id);
  const [persons, exceptions, corrections] = await Promise.all([
    restrictionIds.length
      ? deps.db
          .select({
            id: creditRestrictedPersons.id,
            restrictionId: creditRestrictedPersons.restrictionId,
            role: creditRestrictedPersons.role,
            name: creditRestrictedPersons.name,
            idPublished: creditRestrictedPersons.idPublished,
          })
          .from(creditRestrictedPersons)
          .where(inArray(creditRestrictedPersons.restrictionId, restrictionIds))
      : [],
    restrictionIds.length
      ? deps.db
          .select()
          .from(creditRestrictionExceptions)
          .where(inArray(creditRestrictionExceptions.restrictionId, restrictionIds))
      : [],
    listingIds.length
      ? deps.db
          .select()
          .from(creditCorrections)
          .where(inArray(creditCorrections.listingId, listingIds))
          .orderBy(asc(creditCorrections.receivedOn))
      : [],
  ]);
  const debtor = c.parties.find((p) => p.role === 'respondent') ?? null;
  return {
    case: {
      id: c.id,
      caseNumber: c.caseNumber,
      basis: c.basis,
      amountOwedFen: c.amountOwedFen,
      status: c.status,
      closureMode: c.closureMode,
      readOnly: c.readOnly,
      court: c.court,
      debtor: debtor ? { name: debtor.name, kind: debtor.kind } : null,
    },
    listings: listings.map(({ idSealed: _s, idDigest: _d, ...l }) => ({
      ...l,
      corrections: corrections
        .filter((x) => x.listingId === l.id)
        .map((x) => ({ ...x, can: affordancesOf(decideCorrectionActions(actor, x)) })),
      can: affordancesOf(decideListingActions(actor, l)),
    })),
    restrictions: restrictions.map((r) => ({
      ...r,
      persons: persons.filter((p) => p.restrictionId === r.id),
      exceptions: exceptions.filter((e) => e.restrictionId === r.id),
      can: affordancesOf(decideRestrictionActions(actor, r)),
    })),
    today: c.today,
    can: {
      prepare: !c.readOnly && c.status !== 'concluded' && can(actor, 'manage:credit'),
    },
  };
}
