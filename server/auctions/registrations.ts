/**
 * Registration for an auction (art. 17-18, 34): the verified bidder accepts the special notices,
 * promises purchase eligibility where the listing is restricted (限购), and owes the deposit,
 * which the payments service opens in the same transaction. The anonymous bidder code comes
 * when the deposit is held.
 */
import { and, eq } from 'drizzle-orm';
import { assetBars, listings, priorityPurchasers, registrations } from '../../db/schema/auctions.js';
import { caseParties } from '../../db/schema/cases.js';
import { users } from '../../db/schema/identity.js';
import { deposits } from '../../db/schema/payments.js';
import { recordAudit } from '../audit/audit.js';
import { bind } from '../bind.js';
import { DomainError, isUniqueViolation, notFound } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { scheduleRegistrationReminders } from '../notifications/service.js';
import { depositPayable } from '../payments/rules.js';
import { RegisterSchema } from '../payments/schemas.js';
import { isUuid, parseInput, validationError } from '../validation.js';
import type { RegistrationDeps } from './deps.js';
import { createFollowService } from './follows.js';
import { myAuctions } from './my-auctions.js';
import { isClaimableDesignation } from './rules.js';

async function openListing(deps: RegistrationDeps, id: string) {
  if (!isUuid(id)) throw notFound();
  const [l] = await deps.db.select().from(listings).where(eq(listings.id, id));
  if (!l || !['announced', 'live', 'suspended', 'ended', 'withdrawn'].includes(l.status)) throw notFound();
  return l;
}

/** Registers the caller, or returns his existing registration (a retried form changes nothing). */
export async function register(
  deps: RegistrationDeps,
  actor: Actor | null,
  listingId: string,
  input: unknown,
) {
  const me = requirePermission(actor, 'register:auction');
  const l = await openListing(deps, listingId);
  const now = deps.clock();
  const existing = await mine(deps, me, l.id);
  if (existing) return existing;

  const data = parseInput(RegisterSchema, input);
  if (!['announced', 'live'].includes(l.status) || l.currentEndAt <= now) {
    throw new DomainError('conflict', 'registration.closed');
  }
  if (l.purchaseRestricted && !data.promiseEligibility) {
    throw validationError({ promiseEligibility: ['registration.mustPromiseEligibility'] });
  }
  const [user] = await deps.db.select().from(users).where(eq(users.id, me.userId));
  if (user?.verification !== 'verified') throw new DomainError('forbidden', 'registration.notVerified');
  // Art. 34: staff of a court or of the platform may not bid.
  if (user.organisationId) throw new DomainError('forbidden', 'registration.barredStaff');
  // Art. 24: a defaulter may not bid on that asset again.
  const [bar] = await deps.db
    .select({ id: assetBars.id })
    .from(assetBars)
    .where(and(eq(assetBars.assetId, l.assetId), eq(assetBars.userId, me.userId)));
  if (bar) throw new DomainError('forbidden', 'registration.barredDefaulter');

  // Art. 17 note: the applicant creditor pays only the part of the deposit exceeding his claim.
  const [creditor] = await deps.db
    .select({ claimFen: caseParties.claimFen })
    .from(caseParties)
    .where(
      and(
        eq(caseParties.caseId, l.caseId),
        eq(caseParties.role, 'applicant'),
        eq(caseParties.userId, me.userId),
      ),
    );
  const priority = await designationOf(deps, user, l.id);

  try {
    await deps.db.transaction(async (tx) => {
      const [reg] = await tx
        .insert(registrations)
        .values({
          listingId: l.id,
          userId: me.userId,
          priorityPurchaserId: priority?.id ?? null,
          noticesAcceptedAt: now,
          eligibilityPromised: data.promiseEligibility,
          createdAt: now,
        })
        .onConflictDoNothing({ target: [registrations.listingId, registrations.userId] })
        .returning();
      if (!reg) return; // a concurrent submission of the same form registered first
      // The start and ending-soon reminders he will get (ADR 025), durable with the registration.
      await scheduleRegistrationReminders(tx, reg, l, now);
      await deps.payments.openDeposit(
        tx,
        {
          registrationId: reg.id,
          listingId: l.id,
          courtId: l.courtId,
          caseId: l.caseId,
          userId: me.userId,
          requiredFen: l.depositFen,
          amountFen: depositPayable(l.depositFen, creditor ? (creditor.claimFen ?? 0n) : null),
        },
        now,
      );
      await recordAudit(tx, {
        actorId: me.userId,
        action: 'registration.created',
        entityType: 'registration',
        entityId: reg.id,
        data: {
          listingId: l.id,
          eligibilityPromised: data.promiseEligibility,
          priorityPurchaserId: priority?.id ?? null,
        },
      });
    });
  } catch (e) {
    // Another account already holds this designation: one right, one registration (art. 19, 21).
    if (isUniqueViolation(e, 'registrations_priority_purchaser_key'))
      throw new DomainError('conflict', 'registration.priorityClaimed');
    throw e;
  }
  return (await mine(deps, me, l.id))!;
}

/**
 * Art. 19, 21: the priority purchaser of this listing the bidder is, recognised by his verified
 * identity alone (the digest of the ID he signed up with against the one the court designated),
 * never by a name or anything the bidder sends. Null for everyone else.
 */
async function designationOf(
  deps: RegistrationDeps,
  user: Pick<typeof users.$inferSelect, 'verification' | 'nationalIdDigest'>,
  listingId: string,
) {
  if (user.verification !== 'verified' || !user.nationalIdDigest) return null;
  const [row] = await deps.db
    .select({
      id: priorityPurchasers.id,
      rank: priorityPurchasers.rank,
      rightKind: priorityPurchasers.rightKind,
      identityKind: priorityPurchasers.identityKind,
    })
    .from(priorityPurchasers)
    .where(
      and(
        eq(priorityPurchasers.listingId, listingId),
        eq(priorityPurchasers.identityDigest, user.nationalIdDigest),
      ),
    );
  return row && isClaimableDesignation(row.identityKind) ? row : null;
}

/**
 * The designation the caller would register under, for the registration page to say so: his
 * rank and kind of right, or null (also for anyone not signed in or not verified).
 */
export async function myDesignation(deps: RegistrationDeps, actor: Actor | null, listingId: string) {
  if (!actor || !isUuid(listingId)) return null;
  const [user] = await deps.db
    .select({ verification: users.verification, nationalIdDigest: users.nationalIdDigest })
    .from(users)
    .where(eq(users.id, actor.userId));
  const found = user ? await designationOf(deps, user, listingId) : null;
  return found && { rank: found.rank, rightKind: found.rightKind };
}

async function mine(deps: RegistrationDeps, me: Actor, listingId: string) {
  const [row] = await deps.db
    .select({ registration: registrations, deposit: deposits })
    .from(registrations)
    .innerJoin(deposits, eq(deposits.registrationId, registrations.id))
    .where(and(eq(registrations.listingId, listingId), eq(registrations.userId, me.userId)));
  return row ?? null;
}

/** The caller's registration for a listing and its deposit, or null (also for anyone not a bidder). */
export async function myRegistration(deps: RegistrationDeps, actor: Actor | null, listingId: string) {
  if (!actor || !isUuid(listingId)) return null;
  return mine(deps, actor, listingId);
}

/** Registration as `context.services.registrations`. */
export function createRegistrationService(deps: RegistrationDeps) {
  return {
    register: bind(deps, register),
    myRegistration: bind(deps, myRegistration),
    myDesignation: bind(deps, myDesignation),
    // 关注 and 我的拍卖 (ADR 027).
    ...createFollowService(deps),
    myAuctions: bind(deps, myAuctions),
  };
}

export type RegistrationService = ReturnType<typeof createRegistrationService>;
