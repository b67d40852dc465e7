/**
 * Identity numbers in the credit module (ADR 019): never stored in plaintext. Each is sealed
 * (AES-256-GCM with the PII key), digested with a keyed HMAC for the partners' indexed check
 * (a key derived from the PII key, so a stolen table cannot be matched against a list of ID
 * numbers without it), and published masked as the national list masks it.
 */
import { createHmac } from 'node:crypto';
import { decrypt, encrypt, keyedDigest } from '../identity/crypto.js';
import { publishedIdOf } from './rules.js';

const keys = new WeakMap<Buffer, Buffer>();
function digestKey(piiKey: Buffer): Buffer {
  let k = keys.get(piiKey);
  if (!k) {
    k = createHmac('sha256', piiKey).update('lastmile:credit:id-digest:v1').digest();
    keys.set(piiKey, k);
  }
  return k;
}

export const normaliseId = (raw: string) => raw.trim().toUpperCase();

/** The keyed digest an ID number is looked up by. */
export const idDigestOf = (piiKey: Buffer, raw: string) => keyedDigest(digestKey(piiKey), normaliseId(raw));

export function sealId(piiKey: Buffer, kind: 'person' | 'company', raw: string) {
  const id = normaliseId(raw);
  return {
    idSealed: encrypt(piiKey, id),
    idDigest: idDigestOf(piiKey, id),
    idPublished: publishedIdOf(kind, id),
  };
}

export const unsealId = (piiKey: Buffer, sealed: string) => decrypt(piiKey, sealed);
