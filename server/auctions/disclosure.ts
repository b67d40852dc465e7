/**
 * A listing's structured disclosure (ADR 029): occupancy, arrears, loan support, entered by the
 * clerk on the draft (art. 14(5)); the tax split stays the listing's terms (taxPayer, taxes,
 * art. 14(9), art. 30) and gets an estimate; the checklist says what is still missing.
 */
import { and, asc, count, eq, gt } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.js';
import { type Listing, listingArrears, listings, viewingSlots } from '../../db/schema/auctions.js';
import { recordAudit } from '../audit/audit.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { parseInput } from '../validation.js';
import type { ListingDeps } from './deps.js';
import { disclosureChecklist, estimateTaxes, type TaxRates } from './disclosure-rules.js';
import { actOn } from './listing-lifecycle.js';
import { DisclosureSchema } from './schemas.js';

/** The clerk saves the disclosure of a draft: the whole of it, in one transaction. */
export async function saveDisclosure(
  deps: ListingDeps,
  actor: Actor,
  id: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'create:listing');
  // Bad input is refused before anything is read or written.
  const d = parseInput(DisclosureSchema, input);
  return actOn(deps, actor, id, 'disclose', async (tx, _changed, l) => {
    const now = deps.clock();
    const tenant = d.occupancy === 'tenant';
    const [updated] = await tx
      .update(listings)
      .set({
        occupancy: d.occupancy,
        leaseEndsOn: tenant ? d.leaseEndsOn : null,
        monthlyRentFen: tenant ? d.monthlyRent : null,
        occupancyNote: d.occupancyNote,
        arrearsDeclaredAt: now,
        loanSupported: d.loanSupported,
        updatedAt: now,
      })
      .where(eq(listings.id, l.id))
      .returning();
    await tx.delete(listingArrears).where(eq(listingArrears.listingId, l.id));
    if (d.arrears.length)
      await tx.insert(listingArrears).values(
        d.arrears.map((a, position) => ({
          listingId: l.id,
          position,
          kind: a.kind,
          description: a.description,
          amountFen: a.amount,
          payer: a.payer,
        })),
      );
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'listing.disclosure',
      entityType: 'listing',
      entityId: l.id,
      requestId,
      data: { occupancy: d.occupancy, arrears: d.arrears.length, loanSupported: d.loanSupported },
    });
    return updated!;
  });
}

/**
 * What both the court's and the public's pages show of the disclosure: the arrears, the tax
 * estimate at the starting price, and the checklist (the court's page renders it; the public
 * one does not need it).
 */
export async function disclosureOf(db: Database | Tx, l: Listing, now: Date, rates: TaxRates) {
  const [arrears, [upcoming]] = await Promise.all([
    db
      .select()
      .from(listingArrears)
      .where(eq(listingArrears.listingId, l.id))
      .orderBy(asc(listingArrears.position)),
    db
      .select({ n: count() })
      .from(viewingSlots)
      .where(and(eq(viewingSlots.listingId, l.id), gt(viewingSlots.startsAt, now))),
  ]);
  const checklist = disclosureChecklist({ ...l, upcomingSlots: upcoming?.n ?? 0 });
  return {
    occupancy: l.occupancy,
    leaseEndsOn: l.leaseEndsOn,
    monthlyRentFen: l.monthlyRentFen,
    occupancyNote: l.occupancyNote,
    arrearsDeclared: l.arrearsDeclaredAt !== null,
    arrears: arrears.map(({ id, kind, description, amountFen, payer }) => ({
      id,
      kind,
      description,
      amountFen,
      payer,
    })),
    loanSupported: l.loanSupported,
    purchaseRestricted: l.purchaseRestricted,
    taxPayer: l.taxPayer,
    taxEstimate: estimateTaxes(l.startingPriceFen, l.assetType, l.taxPayer, rates),
    taxRates: rates,
    checklist,
    complete: checklist.every((c) => c.done),
  };
}
