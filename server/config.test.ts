import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('runs on a laptop with nothing set', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.RULES_PROFILE).toBe('statutory');
    expect(c.SEED_DEMO_DATA).toBe(true);
    expect(c.COOKIE_SECURE).toBe(false);
  });

  it('names every malformed variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', REDIS_PREFIX: 'a b' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toContain('PORT');
      expect(msg).toContain('DATABASE_URL');
      expect(msg).toContain('LOG_LEVEL');
      expect(msg).toContain('REDIS_PREFIX');
    }
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('refuses dev secrets and the accelerated profile in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET[\s\S]*PII_ENCRYPTION_KEY/);
    const secrets = {
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      CHECKPOINT_SIGNING_KEY: Buffer.alloc(32, 9).toString('base64'),
    };
    expect(loadConfig(secrets).COOKIE_SECURE).toBe(true);
    expect(() => loadConfig({ ...secrets, CHECKPOINT_SIGNING_KEY: '' })).toThrow(/CHECKPOINT_SIGNING_KEY/);
    expect(() => loadConfig({ ...secrets, CHECKPOINT_SIGNING_KEY: 'c2hvcnQ=' })).toThrow(
      /CHECKPOINT_SIGNING_KEY/,
    );
    expect(() => loadConfig({ ...secrets, RULES_PROFILE: 'accelerated' })).toThrow(/RULES_PROFILE/);
    expect(
      loadConfig({ ...secrets, RULES_PROFILE: 'accelerated', ALLOW_ACCELERATED_IN_PRODUCTION: 'true' })
        .RULES_PROFILE,
    ).toBe('accelerated');
  });

  it('rejects a key that is not 32 bytes', () => {
    expect(() => loadConfig({ PII_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toThrow(
      /PII_ENCRYPTION_KEY/,
    );
  });

  it('reads body limits as sizes in bytes, with defaults', () => {
    const c = loadConfig({ BODY_LIMIT_FORM: '512kb', BODY_LIMIT_JSON: '2mb', BODY_LIMIT_WEBHOOK: '65536' });
    expect(c.BODY_LIMIT_FORM).toBe(512 * 1024);
    expect(c.BODY_LIMIT_JSON).toBe(2 * 1024 * 1024);
    expect(c.BODY_LIMIT_WEBHOOK).toBe(65536);
    expect(c.BODY_LIMIT_UPLOAD).toBe(25 * 1024 * 1024);
    expect(() => loadConfig({ BODY_LIMIT_FORM: 'lots' })).toThrow(/BODY_LIMIT_FORM/);
    expect(() => loadConfig({ BODY_LIMIT_JSON: '10' })).toThrow(/BODY_LIMIT_JSON/);
  });

  it('trusts a number of proxy hops, never any X-Forwarded-For', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(0);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '-1' })).toThrow(/TRUST_PROXY/);
  });
});
