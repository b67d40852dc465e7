import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server';

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('operations endpoints', () => {
  it('/healthz answers while the process is alive', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz checks the database', async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('echoes a well-formed request id and makes one up otherwise', async () => {
    const mine = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'req-12345678' } });
    expect(mine.headers.get('x-request-id')).toBe('req-12345678');
    const made = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id <script>' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('security headers', () => {
  it('sends a nonce-based CSP and the usual hardening headers', async () => {
    const a = await fetch(`${server.url}/`);
    const b = await fetch(`${server.url}/`);
    const csp = a.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(b.headers.get('content-security-policy')).not.toBe(csp); // a fresh nonce per response
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    expect(a.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(a.headers.get('x-powered-by')).toBeNull();
  });

  it('gives every visitor an httpOnly SameSite anti-forgery cookie', async () => {
    const res = await fetch(`${server.url}/`);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^lm_csrf=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
  });
});

describe('cross-site request forgery, first layer', () => {
  it('refuses an unsafe request a browser marks cross-site', async () => {
    const res = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      body: new URLSearchParams({ email: 'a@b.cn', password: 'x' }),
    });
    expect(res.status).toBe(403);
  });

  it('refuses a foreign Origin without fetch metadata, and lets same-origin through', async () => {
    const foreign = await fetch(`${server.url}/anything`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const same = await fetch(`${server.url}/anything`, {
      method: 'POST',
      headers: { origin: server.url, 'sec-fetch-site': 'same-origin' },
    });
    expect(same.status).toBe(404); // reached routing (no UI in this server)
  });
});
