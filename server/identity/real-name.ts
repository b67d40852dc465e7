/**
 * A real-name identity at rest: a resident ID number (a person) or a unified social credit code
 * (an organisation), stored encrypted, as a keyed digest to match by, and masked to show, with
 * the one PII key. A bidder's verified ID (signup) and a priority purchaser designated by the
 * court (art. 19, 21, 27) are sealed by this same function, so a match of digests is a match of
 * identities and neither number is ever compared, or stored, in clear.
 */

import { maskCreditCode, normaliseCreditCode } from './credit-code.js';
import { encrypt, keyedDigest } from './crypto.js';
import { maskNationalId, normaliseNationalId } from './national-id.js';

export type IdentityKind = 'person' | 'organisation';

export interface SealedIdentity {
  cipher: string;
  digest: string;
  masked: string;
}

/**
 * The digest a person's ID is matched by is the one accounts have always stored
 * (`users.national_id_digest`); an organisation's is kept apart by a prefix, so a credit code
 * can never match a person's ID even where the characters coincide.
 */
export function identityDigest(key: Buffer, kind: IdentityKind, number: string): string {
  return kind === 'person'
    ? keyedDigest(key, normaliseNationalId(number))
    : keyedDigest(key, `organisation:${normaliseCreditCode(number)}`);
}

/** Seals a number already validated for its kind (NationalIdSchema / CreditCodeSchema). */
export function sealIdentity(key: Buffer, kind: IdentityKind, number: string): SealedIdentity {
  const clear = kind === 'person' ? normaliseNationalId(number) : normaliseCreditCode(number);
  return {
    cipher: encrypt(key, clear),
    digest: identityDigest(key, kind, clear),
    masked: kind === 'person' ? maskNationalId(clear) : maskCreditCode(clear),
  };
}
