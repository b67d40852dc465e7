/**
 * The platform's checkpoint signing key (Ed25519, Node's built-in crypto). Production passes it
 * in CHECKPOINT_SIGNING_KEY; a laptop or a test server without it gets one generated once and
 * kept beside the embedded database's data, so checkpoints signed before a restart still verify
 * after it (a new key per boot would make every saved checkpoint look forged).
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The raw 32-byte public key. */
  publicKeyRaw: Buffer;
  /** hex of the first 8 bytes of sha256(raw public key): names the key in each checkpoint. */
  keyId: string;
}

/** PKCS#8 DER of an Ed25519 key = this fixed prefix + the 32-byte seed (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** From base64 of the 32-byte seed or of the PKCS#8 DER. */
export function signingKeyFrom(base64: string): SigningKey {
  const bytes = Buffer.from(base64, 'base64');
  const der = bytes.length === 32 ? Buffer.concat([PKCS8_ED25519_PREFIX, bytes]) : bytes;
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error('CHECKPOINT_SIGNING_KEY is not an Ed25519 key');
  const publicKey = createPublicKey(privateKey);
  const publicKeyRaw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return {
    privateKey,
    publicKey,
    publicKeyRaw,
    keyId: createHash('sha256').update(publicKeyRaw).digest('hex').slice(0, 16),
  };
}

/** A fresh key as CHECKPOINT_SIGNING_KEY would hold it (base64 of the PKCS#8 DER). */
export function generateSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}

/** Beside EMBEDDED_PG_DIR (`.data/pg` → `.data/checkpoint-signing-key`), resolved as the database's own folder is. */
export const generatedKeyPath = (config: Pick<Config, 'EMBEDDED_PG_DIR'>) =>
  path.join(path.dirname(path.resolve(config.EMBEDDED_PG_DIR)), 'checkpoint-signing-key');

/** The configured key; outside production, the generated one (created on first use). */
export function loadSigningKey(
  config: Pick<Config, 'CHECKPOINT_SIGNING_KEY' | 'NODE_ENV' | 'EMBEDDED_PG_DIR'>,
): SigningKey {
  if (config.CHECKPOINT_SIGNING_KEY) return signingKeyFrom(config.CHECKPOINT_SIGNING_KEY);
  if (config.NODE_ENV === 'production') throw new Error('CHECKPOINT_SIGNING_KEY must be set in production');
  const file = generatedKeyPath(config);
  try {
    return signingKeyFrom(readFileSync(file, 'utf8').trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  // Written whole under another name, then linked: a process starting at the same moment never
  // reads half a key, and the first link wins (the other gets EEXIST and reads the winner's).
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, `${generateSigningKey()}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(tmp);
  }
  return signingKeyFrom(readFileSync(file, 'utf8').trim());
}

export const signText = (key: SigningKey, text: string) =>
  sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');

export const verifyText = (publicKey: KeyObject, text: string, signature: string) =>
  verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(signature, 'base64'));

/** What /.well-known/lastmile-checkpoint-key publishes. */
export function publicKeyDocument(key: SigningKey) {
  return {
    algorithm: 'Ed25519',
    keyId: key.keyId,
    /** The raw 32-byte public key, base64. */
    publicKey: key.publicKeyRaw.toString('base64'),
    jwk: { kty: 'OKP', crv: 'Ed25519', x: key.publicKeyRaw.toString('base64url') },
    pem: key.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}
