/**
 * Registration for an auction (art. 17-18, 34): the verified bidder accepts the special notices,
 * promises purchase eligibility where the listing is restricted (限购), and owes the deposit,
 * which the payments service opens in the same transaction. The anonymous bidder code comes
 * when the deposit is held.
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { assetBars, listings, priorityPurchasers, registrations } from '../../db/schema/auctions.js';
import { caseParties } from '../../db/schema/cases.js';
import { users } from '../../db/schema/identity.js';
import { deposits } from '../../db/schema/payments.js';
import { recordAudit } from '../audit/audit.js';
import type { Clock } from '../clock.js';
import { DomainError, notFound } from '../errors.js';
import { type Actor, requirePermission } from '../identity/permissions.js';
import { depositPayable } from '../payments/rules.js';
import { RegisterSchema } from '../payments/schemas.js';
import type { PaymentService } from '../payments/service.js';
import { isUuid, parseInput, validationError } from '../validation.js';

export function createRegistrationService(deps: {
  db: Database;
  clock: Clock;
  payments: Pick<PaymentService, 'openDeposit'>;
}) {
  const { db, clock } = deps;

  async function openListing(id: string) {
    if (!isUuid(id)) throw notFound();
    const [l] = await db.select().from(listings).where(eq(listings.id, id));
    if (!l || !['announced', 'live', 'suspended', 'ended', 'withdrawn'].includes(l.status)) throw notFound();
    return l;
  }

  /** Registers the caller, or returns his existing registration (a retried form changes nothing). */
  async function register(actor: Actor | null, listingId: string, input: unknown) {
    const me = requirePermission(actor, 'register:auction');
    const l = await openListing(listingId);
    const now = clock();
    const existing = await mine(me, l.id);
    if (existing) return existing;

    const data = parseInput(RegisterSchema, input);
    if (!['announced', 'live'].includes(l.status) || l.currentEndAt <= now) {
      throw new DomainError('conflict', 'registration.closed');
    }
    if (l.purchaseRestricted && !data.promiseEligibility) {
      throw validationError({ promiseEligibility: ['registration.mustPromiseEligibility'] });
    }
    const [user] = await db.select().from(users).where(eq(users.id, me.userId));
    if (user?.verification !== 'verified') throw new DomainError('forbidden', 'registration.notVerified');
    // Art. 34: staff of a court or of the platform may not bid.
    if (user.organisationId) throw new DomainError('forbidden', 'registration.barredStaff');
    // Art. 24: a defaulter may not bid on that asset again.
    const [bar] = await db
      .select({ id: assetBars.id })
      .from(assetBars)
      .where(and(eq(assetBars.assetId, l.assetId), eq(assetBars.userId, me.userId)));
    if (bar) throw new DomainError('forbidden', 'registration.barredDefaulter');

    // Art. 17 note: the applicant creditor pays only the part of the deposit exceeding his claim.
    const [creditor] = await db
      .select({ claimFen: caseParties.claimFen })
      .from(caseParties)
      .where(
        and(
          eq(caseParties.caseId, l.caseId),
          eq(caseParties.role, 'applicant'),
          eq(caseParties.userId, me.userId),
        ),
      );
    const [priority] = await db
      .select({ id: priorityPurchasers.id })
      .from(priorityPurchasers)
      .where(and(eq(priorityPurchasers.listingId, l.id), eq(priorityPurchasers.userId, me.userId)));

    await db.transaction(async (tx) => {
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
        data: { listingId: l.id, eligibilityPromised: data.promiseEligibility },
      });
    });
    return (await mine(me, l.id))!;
  }

  async function mine(me: Actor, listingId: string) {
    const [row] = await db
      .select({ registration: registrations, deposit: deposits })
      .from(registrations)
      .innerJoin(deposits, eq(deposits.registrationId, registrations.id))
      .where(and(eq(registrations.listingId, listingId), eq(registrations.userId, me.userId)));
    return row ?? null;
  }

  /** The caller's registration for a listing and its deposit, or null (also for anyone not a bidder). */
  async function myRegistration(actor: Actor | null, listingId: string) {
    if (!actor || !isUuid(listingId)) return null;
    return mine(actor, listingId);
  }

  return { register, myRegistration };
}

export type RegistrationService = ReturnType<typeof createRegistrationService>;
