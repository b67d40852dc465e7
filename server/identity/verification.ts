/**
 * Real-name verification (ADR 028; judicial-auctions.md: bidders register with real-name
 * identity, art. 17-18). A person is `verified` only after an identity-verification provider
 * said so, and every question asked of it is recorded (`identity_verifications`). The provider is
 * an interface; the one shipped is the simulated provider below, selected by
 * `IDENTITY_VERIFIER=simulated`. A deployment that checks against the public-security ID service
 * (or a licensed agent of it) implements `IdentityVerifier` and is selected the same way.
 */
import { and, desc, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { identityVerifications, users } from '../../db/schema/identity.js';
import { recordAudit } from '../audit/audit.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import { parseInput } from '../validation.js';
import { decrypt } from './crypto.js';
import { isValidNationalId, normaliseNationalId, withCheckCharacter } from './national-id.js';
import { type Actor, requirePermission } from './permissions.js';
import { identityDigest, sealIdentity } from './real-name.js';
import { NationalIdSchema, RealNameSchema } from './schemas.js';

export interface VerificationAnswer {
  outcome: 'verified' | 'rejected' | 'unavailable';
  /** Why a refusal: `badChecksum`, `nameMismatch`, `notFound` (catalog `accounts.verify.reason.*`). */
  reason?: 'badChecksum' | 'nameMismatch' | 'notFound';
  reference?: string;
}

export interface IdentityVerifier {
  readonly name: string;
  verify(person: { realName: string; nationalId: string }): Promise<VerificationAnswer>;
}

/**
 * The simulated provider's registry: a few identities with their registered names. An ID number
 * listed here verifies only with its name; its last line is a number the registry does not know.
 * Any other ID number with a valid check character verifies (so a sign-up in a test or a demo
 * verifies, as a real person's would).
 */
export const SIMULATED_REGISTRY: ReadonlyMap<string, string | null> = new Map([
  [withCheckCharacter('63010419800101123'), '王建国'],
  [withCheckCharacter('63010219850505234'), '李秀英'],
  // Registered as unknown to the registry: the answer is `notFound`.
  [withCheckCharacter('63999919900101999'), null],
]);

/**
 * Deterministic: a wrong check character is `badChecksum`; a listed number with another name is
 * `nameMismatch`, one listed as unknown is `notFound`; anything else with a valid check is verified.
 */
export function simulatedVerifier(): IdentityVerifier {
  return {
    name: 'simulated',
    async verify({ realName, nationalId }) {
      const id = normaliseNationalId(nationalId);
      if (!isValidNationalId(id)) return { outcome: 'rejected', reason: 'badChecksum' };
      if (SIMULATED_REGISTRY.has(id)) {
        const name = SIMULATED_REGISTRY.get(id);
        if (name === null) return { outcome: 'rejected', reason: 'notFound' };
        if (name !== realName.trim()) return { outcome: 'rejected', reason: 'nameMismatch' };
      }
      return { outcome: 'verified', reference: `sim-${id.slice(-4)}` };
    },
  };
}

export function verifierOf(name: 'simulated'): IdentityVerifier {
  switch (name) {
    case 'simulated':
      return simulatedVerifier();
  }
}

export interface VerificationDeps {
  db: Database;
  clock: Clock;
  piiKey: Buffer;
  verifier: IdentityVerifier;
}

/** What the account page shows: the state, the last answer, and whether the number must be typed. */
export async function verificationState(deps: VerificationDeps, actorIn: Actor | null) {
  const actor = requirePermission(actorIn, 'read:bidder-dashboard');
  const [[user], [last]] = await Promise.all([
    deps.db
      .select({
        verification: users.verification,
        realName: users.realName,
        hasId: users.nationalIdCipher,
      })
      .from(users)
      .where(eq(users.id, actor.userId)),
    deps.db
      .select()
      .from(identityVerifications)
      .where(eq(identityVerifications.userId, actor.userId))
      .orderBy(desc(identityVerifications.at))
      .limit(1),
  ]);
  return {
    status: user!.verification,
    realName: user!.realName,
    last: last ? { at: last.at, provider: last.provider, outcome: last.outcome, reason: last.reason } : null,
    /** The form: offered until verified. */
    canVerify: user!.verification !== 'verified',
    hasNationalId: user!.hasId !== null,
  };
}

const VerifySchema = z.object({
  realName: RealNameSchema,
  /** Optional when the account holds one (a bidder gave it at sign-up). */
  nationalId: z.preprocess((v) => (v === '' ? undefined : v), NationalIdSchema.optional()),
});

/**
 * The person asks the provider to verify his name and ID number (the one on his account, or the
 * one he types). Verified: the name and number become the account's. Refused: `rejected`, with
 * the provider's reason. The provider unavailable: the state stays, the attempt is recorded.
 */
export async function verifyIdentity(
  deps: VerificationDeps,
  actorIn: Actor | null,
  input: unknown,
  meta: { requestId?: string } = {},
) {
  const actor = requirePermission(actorIn, 'read:bidder-dashboard');
  const data = parseInput(VerifySchema, input);
  const [user] = await deps.db.select().from(users).where(eq(users.id, actor.userId));
  if (!user) throw new DomainError('not_found', 'errors.notFound');
  if (user.verification === 'verified') throw new DomainError('conflict', 'accounts.verify.already');
  const nationalId =
    data.nationalId ?? (user.nationalIdCipher ? decrypt(deps.piiKey, user.nationalIdCipher) : null);
  if (!nationalId)
    throw new DomainError('validation', 'errors.validation', {
      fieldErrors: { nationalId: ['validation.required'] },
    });
  // One person, one account: a number another account holds is refused before the provider is asked.
  const digest = identityDigest(deps.piiKey, 'person', nationalId);
  const [other] = await deps.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.nationalIdDigest, digest), ne(users.id, user.id)))
    .limit(1);
  if (other)
    throw new DomainError('conflict', 'accounts.verify.idTaken', {
      fieldErrors: { nationalId: ['accounts.verify.idTaken'] },
    });
  const answer = await deps.verifier.verify({ realName: data.realName, nationalId });
  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    await tx.insert(identityVerifications).values({
      userId: user.id,
      provider: deps.verifier.name,
      outcome: answer.outcome,
      reason: answer.reason ?? null,
      reference: answer.reference ?? null,
      at: now,
    });
    if (answer.outcome === 'verified') {
      const sealed = sealIdentity(deps.piiKey, 'person', nationalId);
      await tx
        .update(users)
        .set({
          verification: 'verified',
          realName: data.realName,
          nationalIdCipher: sealed.cipher,
          nationalIdDigest: sealed.digest,
          nationalIdMasked: sealed.masked,
        })
        .where(eq(users.id, user.id));
    } else if (answer.outcome === 'rejected')
      await tx.update(users).set({ verification: 'rejected' }).where(eq(users.id, user.id));
    await recordAudit(tx, {
      actorId: user.id,
      action: `user.identity-${answer.outcome}`,
      entityType: 'user',
      entityId: user.id,
      data: { provider: deps.verifier.name, reason: answer.reason ?? null },
      requestId: meta.requestId,
    });
  });
  return answer;
}
