/**
 * 关注 (ADR 027): any signed-in user follows an auction without registering, and gets its start
 * and ending-soon reminders (the notifications module's one pair of reminders per person and
 * auction, so a follower who also registers is reminded once). Following twice is one follow;
 * unfollowing cancels the reminders unless he is registered.
 */
import { and, count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { follows, type Listing, listings } from '../../db/schema/auctions.js';
import { type Affordances, affordancesOf, type Decisions, requireAllowed } from '../affordances.js';
import { bind } from '../bind.js';
import { DomainError, notFound, unauthenticated } from '../errors.js';
import { type Actor, requireActor } from '../identity/permissions.js';
import { ENDING_SOON_CHOICES, scheduleWatchReminders, unwatchReminders } from '../notifications/service.js';
import { isUuid, parseInput } from '../validation.js';
import type { RegistrationDeps } from './deps.js';

export type FollowAction = 'follow' | 'unfollow';

/** Publicly visible statuses: the only listings one can follow (or find) at all. */
const PUBLIC = ['announced', 'live', 'suspended', 'ended', 'withdrawn'];

async function publicListing(deps: RegistrationDeps, id: string) {
  if (!isUuid(id)) throw notFound();
  const [l] = await deps.db.select().from(listings).where(eq(listings.id, id));
  if (!l || !PUBLIC.includes(l.status)) throw notFound();
  return l;
}

/**
 * Pure: whether he may follow or unfollow now. Following needs a sign-in and an auction still
 * to come or under way (its reminders would have nothing left to say after the end); unfollowing
 * is always allowed to whoever follows.
 */
export function decideFollowActions(
  actor: Actor | null,
  l: Pick<Listing, 'status' | 'currentEndAt'>,
  following: boolean,
  now: Date,
): Decisions<FollowAction> {
  const signIn = actor ? null : unauthenticated();
  const open = ['announced', 'live', 'suspended'].includes(l.status) && l.currentEndAt > now;
  return {
    // Following again (to change his N for it) is the same follow, while the auction is open.
    follow: signIn ?? (open ? null : new DomainError('conflict', 'follow.closed')),
    unfollow: signIn ?? (following ? null : new DomainError('conflict', 'follow.notFollowing')),
  };
}

const FollowSchema = z.object({
  /** '' (or absent): his default N; else one of the offered choices (0 = no ending-soon reminder). */
  minutes: z
    .union([z.literal(''), z.coerce.number().int()])
    .optional()
    .refine(
      (m) => m === undefined || m === '' || (ENDING_SOON_CHOICES as readonly number[]).includes(m),
      'notify.prefs.badMinutes',
    ),
});

async function mine(deps: RegistrationDeps, userId: string, listingId: string) {
  const [f] = await deps.db
    .select()
    .from(follows)
    .where(and(eq(follows.userId, userId), eq(follows.listingId, listingId)));
  return f ?? null;
}

/**
 * Follows the auction (or changes his N for it). Idempotent: a repeated post leaves one follow
 * and the same two reminder jobs.
 */
export async function follow(
  deps: RegistrationDeps,
  actorIn: Actor | null,
  listingId: string,
  input: unknown,
) {
  const actor = requireActor(actorIn);
  const l = await publicListing(deps, listingId);
  const data = parseInput(FollowSchema, input ?? {});
  const minutes = data.minutes === undefined || data.minutes === '' ? null : data.minutes;
  const now = deps.clock();
  const existing = await mine(deps, actor.userId, l.id);
  // A follow of an ended auction is refused; a repeated follow of one he follows is not an error.
  requireAllowed(decideFollowActions(actor, l, existing !== null, now), 'follow');
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(follows)
      .values({ listingId: l.id, userId: actor.userId, endingSoonMinutes: minutes, createdAt: now })
      .onConflictDoUpdate({
        target: [follows.listingId, follows.userId],
        set: { endingSoonMinutes: minutes },
      });
    await scheduleWatchReminders(tx, { userId: actor.userId, listingId: l.id }, l, now);
  });
  return { following: true as const, endingSoonMinutes: minutes, already: existing !== null };
}

/** Stops following: idempotent (not following is no error here); the reminders go unless he registered. */
export async function unfollow(deps: RegistrationDeps, actorIn: Actor | null, listingId: string) {
  const actor = requireActor(actorIn);
  const l = await publicListing(deps, listingId);
  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    const gone = await tx
      .delete(follows)
      .where(and(eq(follows.userId, actor.userId), eq(follows.listingId, l.id)))
      .returning({ id: follows.id });
    if (gone.length) await unwatchReminders(tx, { userId: actor.userId, listingId: l.id }, l, now);
  });
  return { following: false as const };
}

export async function followerCount(deps: RegistrationDeps, listingId: string): Promise<number> {
  if (!isUuid(listingId)) return 0;
  const [row] = await deps.db.select({ n: count() }).from(follows).where(eq(follows.listingId, listingId));
  return row?.n ?? 0;
}

/** The auction page's follow box: the count, whether he follows, his N for it, and what he may do. */
export async function followBox(
  deps: RegistrationDeps,
  actor: Actor | null,
  listingId: string,
): Promise<{
  followers: number;
  following: boolean;
  endingSoonMinutes: number | null;
  choices: number[];
  can: Affordances<FollowAction>;
}> {
  const l = await publicListing(deps, listingId);
  const f = actor ? await mine(deps, actor.userId, l.id) : null;
  return {
    followers: await followerCount(deps, l.id),
    following: f !== null,
    endingSoonMinutes: f?.endingSoonMinutes ?? null,
    choices: [...ENDING_SOON_CHOICES],
    can: affordancesOf(decideFollowActions(actor, l, f !== null, deps.clock())),
  };
}

export function createFollowService(deps: RegistrationDeps) {
  return {
    follow: bind(deps, follow),
    unfollow: bind(deps, unfollow),
    followerCount: bind(deps, followerCount),
    followBox: bind(deps, followBox),
  };
}
