import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  generatedKeyPath,
  generateSigningKey,
  loadSigningKey,
  publicKeyDocument,
  signingKeyFrom,
  signText,
  verifyText,
} from './keys';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lastmile-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the checkpoint signing key', () => {
  it('is generated once beside the embedded data and reused after a restart', () => {
    const config = { NODE_ENV: 'development' as const, EMBEDDED_PG_DIR: path.join(dir, 'pg') };
    const first = loadSigningKey(config);
    expect(generatedKeyPath(config)).toBe(path.join(dir, 'checkpoint-signing-key'));
    expect(statSync(generatedKeyPath(config)).mode & 0o777).toBe(0o600);
    const again = loadSigningKey(config);
    expect(again.keyId).toBe(first.keyId);
    expect(verifyText(again.publicKey, 'checkpoint', signText(first, 'checkpoint'))).toBe(true);
    expect(readFileSync(generatedKeyPath(config), 'utf8').trim()).toMatch(/^[A-Za-z0-9+/=]+$/);
  });

  it('takes the configured key, as a 32-byte seed or as PKCS#8 DER; production has no fallback', () => {
    const pkcs8 = generateSigningKey();
    const seed = Buffer.from(pkcs8, 'base64').subarray(16).toString('base64');
    const a = loadSigningKey({ NODE_ENV: 'production', EMBEDDED_PG_DIR: dir, CHECKPOINT_SIGNING_KEY: pkcs8 });
    expect(signingKeyFrom(seed).keyId).toBe(a.keyId);
    expect(() => loadSigningKey({ NODE_ENV: 'production', EMBEDDED_PG_DIR: dir })).toThrow(/production/);
    const doc = publicKeyDocument(a);
    expect(doc).toMatchObject({ algorithm: 'Ed25519', keyId: a.keyId, jwk: { kty: 'OKP', crv: 'Ed25519' } });
    expect(Buffer.from(doc.publicKey, 'base64')).toHaveLength(32);
    // A signature by another key does not verify.
    expect(verifyText(a.publicKey, 'x', signText(signingKeyFrom(generateSigningKey()), 'x'))).toBe(false);
  });
});
