/**
 * 看样: viewings the court offers and bidders book (art. 7(2): 展示拍卖财产，引领查看; ADR 029).
 * A slot has a number of seats; a booking takes one with a conditional update
 * (`booked < capacity`), so concurrent bookings of the last seat cannot both succeed: the second
 * waits for the first's row lock and then finds the condition false. A user holds one booking per
 * listing; booking the same slot again answers the booking he has (a retried post is one booking).
 */
import { and, asc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { listings, viewingBookings, viewingSlots } from '../../db/schema/auctions.js';
import { users } from '../../db/schema/identity.js';
import { recordAudit } from '../audit/audit.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, courtOf, requirePermission } from '../identity/permissions.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import type { ListingDeps } from './deps.js';
import { actOn } from './listing-lifecycle.js';
import { ViewingSlotSchema } from './schemas.js';

/** Bidders book while the announcement is out and bidding has not ended. */
const BOOKABLE = ['announced', 'live'] as const;

/** The clerk offers a viewing slot on one of the court's listings. */
export async function offerViewingSlot(
  deps: ListingDeps,
  actor: Actor,
  listingId: string,
  input: unknown,
  requestId?: string,
) {
  requirePermission(actor, 'create:listing');
  const s = parseInput(ViewingSlotSchema, input);
  return actOn(deps, actor, listingId, 'offerViewing', async (tx, _changed, l) => {
    // A viewing is before the end of bidding, and not in the past.
    if (s.startsAt <= deps.clock()) throw validationError({ startsAt: ['disclosure.errors.slotPast'] });
    if (s.startsAt >= l.currentEndAt) throw validationError({ startsAt: ['disclosure.errors.slotAfterEnd'] });
    const [slot] = await tx
      .insert(viewingSlots)
      .values({
        listingId: l.id,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        place: s.place,
        capacity: s.capacity,
        createdBy: actor.userId,
        createdAt: deps.clock(),
      })
      .returning();
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'listing.viewing_slot',
      entityType: 'listing',
      entityId: l.id,
      requestId,
      data: { slotId: slot!.id, capacity: s.capacity },
    });
    return slot!;
  });
}

/** The court's slots of its listing with who booked each (name and phone, to reach them). */
export async function viewingsForCourt(deps: ListingDeps, actor: Actor, listingId: string) {
  requirePermission(actor, 'read:case');
  const courtId = courtOf(actor);
  if (!isUuid(listingId)) throw notFound();
  const [own] = await deps.db
    .select({ id: listings.id })
    .from(listings)
    .where(and(eq(listings.id, listingId), eq(listings.courtId, courtId)));
  if (!own) throw notFound();
  const slots = await deps.db
    .select()
    .from(viewingSlots)
    .where(eq(viewingSlots.listingId, listingId))
    .orderBy(asc(viewingSlots.startsAt));
  const bookings = slots.length
    ? await deps.db
        .select({
          id: viewingBookings.id,
          slotId: viewingBookings.slotId,
          bookedAt: viewingBookings.createdAt,
          name: users.realName,
          phone: users.phone,
          email: users.email,
        })
        .from(viewingBookings)
        .innerJoin(users, eq(users.id, viewingBookings.userId))
        .where(
          inArray(
            viewingBookings.slotId,
            slots.map((s) => s.id),
          ),
        )
        .orderBy(asc(viewingBookings.createdAt))
    : [];
  return slots.map((s) => ({ ...s, bookings: bookings.filter((b) => b.slotId === s.id) }));
}

/** The public's view of a published listing's slots: seats left, and the viewer's own booking. */
export async function publicViewings(deps: ListingDeps, actor: Actor | null, listingId: string) {
  if (!isUuid(listingId)) throw notFound();
  const now = deps.clock();
  const [l] = await deps.db
    .select({ status: listings.status, announceAt: listings.announceAt })
    .from(listings)
    .where(eq(listings.id, listingId));
  if (!l || l.status === 'draft' || l.status === 'pending_approval' || l.announceAt > now) throw notFound();
  const slots = await deps.db
    .select()
    .from(viewingSlots)
    .where(eq(viewingSlots.listingId, listingId))
    .orderBy(asc(viewingSlots.startsAt));
  const [mine] = actor
    ? await deps.db
        .select({ slotId: viewingBookings.slotId })
        .from(viewingBookings)
        .where(and(eq(viewingBookings.listingId, listingId), eq(viewingBookings.userId, actor.userId)))
    : [];
  const open = (BOOKABLE as readonly string[]).includes(l.status);
  const canBook = open && actor?.roles.includes('bidder') === true;
  return {
    slots: slots.map((s) => ({
      id: s.id,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      place: s.place,
      capacity: s.capacity,
      seatsLeft: s.capacity - s.booked,
      past: s.startsAt <= now,
      mine: mine?.slotId === s.id,
      // What this viewer may do with the slot now (the booking re-checks it).
      can: {
        book: canBook && !mine && s.startsAt > now && s.booked < s.capacity,
        cancel: mine?.slotId === s.id && s.startsAt > now,
      },
    })),
    booked: mine ? mine.slotId : null,
    signedIn: actor !== null,
    open,
  };
}

/** The slot with its listing, if the listing is published and open for viewings. */
async function openSlot(deps: ListingDeps, tx: Tx, slotId: string) {
  if (!isUuid(slotId)) throw notFound();
  const [row] = await tx
    .select({ slot: viewingSlots, status: listings.status, announceAt: listings.announceAt })
    .from(viewingSlots)
    .innerJoin(listings, eq(listings.id, viewingSlots.listingId))
    .where(eq(viewingSlots.id, slotId));
  if (!row || row.status === 'draft' || row.status === 'pending_approval' || row.announceAt > deps.clock())
    throw notFound();
  if (!(BOOKABLE as readonly string[]).includes(row.status))
    throw new DomainError('conflict', 'disclosure.errors.viewingClosed');
  if (row.slot.startsAt <= deps.clock()) throw new DomainError('conflict', 'disclosure.errors.slotStarted');
  return row.slot;
}

/**
 * A bidder books a seat. Idempotent: the same slot again answers his booking (`created: false`);
 * another slot of the same listing while he holds one is refused (cancel first). The seat is
 * taken by the conditional update; when none is left the insert is rolled back with it.
 */
export async function bookViewing(deps: ListingDeps, actor: Actor, slotId: string) {
  const me = requirePermission(actor, 'register:auction');
  return deps.db.transaction(async (tx) => {
    const slot = await openSlot(deps, tx, slotId);
    const [created] = await tx
      .insert(viewingBookings)
      .values({ slotId: slot.id, listingId: slot.listingId, userId: me.userId, createdAt: deps.clock() })
      .onConflictDoNothing({ target: [viewingBookings.listingId, viewingBookings.userId] })
      .returning();
    if (!created) {
      const [held] = await tx
        .select()
        .from(viewingBookings)
        .where(and(eq(viewingBookings.listingId, slot.listingId), eq(viewingBookings.userId, me.userId)));
      if (held?.slotId === slot.id) return { booking: held, created: false };
      throw new DomainError('conflict', 'disclosure.errors.alreadyBooked');
    }
    const [seat] = await tx
      .update(viewingSlots)
      .set({ booked: sql`${viewingSlots.booked} + 1` })
      .where(and(eq(viewingSlots.id, slot.id), lt(viewingSlots.booked, viewingSlots.capacity)))
      .returning({ booked: viewingSlots.booked });
    if (!seat) throw new DomainError('conflict', 'disclosure.errors.slotFull');
    await recordAudit(tx, {
      actorId: me.userId,
      action: 'viewing.book',
      entityType: 'listing',
      entityId: slot.listingId,
      data: { slotId: slot.id },
    });
    return { booking: created, created: true };
  });
}

/** A bidder cancels his booking of a slot before it starts; cancelling what he does not hold changes nothing. */
export async function cancelViewing(deps: ListingDeps, actor: Actor, slotId: string) {
  const me = requirePermission(actor, 'register:auction');
  return deps.db.transaction(async (tx) => {
    const slot = await openSlot(deps, tx, slotId);
    const [gone] = await tx
      .delete(viewingBookings)
      .where(and(eq(viewingBookings.slotId, slot.id), eq(viewingBookings.userId, me.userId)))
      .returning();
    if (!gone) return { cancelled: false };
    await tx
      .update(viewingSlots)
      .set({ booked: sql`${viewingSlots.booked} - 1` })
      .where(and(eq(viewingSlots.id, slot.id), gt(viewingSlots.booked, 0)));
    await recordAudit(tx, {
      actorId: me.userId,
      action: 'viewing.cancel',
      entityType: 'listing',
      entityId: slot.listingId,
      data: { slotId: slot.id },
    });
    return { cancelled: true };
  });
}
