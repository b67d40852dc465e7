import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, hashPassword, verifyPassword } from './crypto';

describe('personal data encryption', () => {
  const key = randomBytes(32);
  it('round-trips and never stores the clear text', () => {
    const sealed = encrypt(key, '11010519491231002X');
    expect(sealed).not.toContain('11010519491231002X');
    expect(decrypt(key, sealed)).toBe('11010519491231002X');
    expect(encrypt(key, 'a')).not.toBe(encrypt(key, 'a')); // random IV
  });

  it('refuses a tampered ciphertext or another key', () => {
    const sealed = encrypt(key, 'secret');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0]! ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => decrypt(key, parts.join('.'))).toThrow();
    expect(() => decrypt(randomBytes(32), sealed)).toThrow();
  });
});

describe('passwords', () => {
  it('are argon2id hashes that verify only the right password', async () => {
    const h = await hashPassword('correct-horse-42');
    expect(h.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(h, 'correct-horse-42')).toBe(true);
    expect(await verifyPassword(h, 'correct-horse-43')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});
