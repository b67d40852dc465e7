/**
 * An admin-set initial password must be changed before anything else (ADR 028), tried over HTTP
 * against the built app: the login leads to /account/password, every other page and post leads
 * back there, the API's bearer tokens are not affected, and the change lifts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorFor } from '../support/court';
import { CSRF } from '../support/personas';
import { startTestServer } from '../support/server';

let server: Awaited<ReturnType<typeof startTestServer>>;
const EMAIL = `first.clerk.${process.pid}@example.test`;
const INITIAL = 'initial-pass-21';

beforeAll(async () => {
  server = await startTestServer({}, { ui: 'build', jobs: 'manual' });
  const admin = await actorFor(server.services, 'court-admin@demo.lastmile.test');
  await server.services.identity.createStaffUser(admin, {
    email: EMAIL,
    password: INITIAL,
    realName: '新来的书记员',
    organisationId: admin.organisationId,
    roles: ['court_clerk'],
  });
});
afterAll(async () => {
  await server.stop();
});

const form = (fields: Record<string, string>) => new URLSearchParams({ csrf: CSRF, ...fields }).toString();
const post = (path: string, cookie: string, fields: Record<string, string>) =>
  fetch(server.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: form(fields),
  });
const get = (path: string, cookie: string) =>
  fetch(server.url + path, { redirect: 'manual', headers: { cookie } });

describe('forced change of an initial password (ADR 028)', () => {
  it('holds the person at /account/password until he sets his own', async () => {
    const login = await post('/login', `lm_csrf=${CSRF}`, {
      email: EMAIL,
      password: INITIAL,
      redirectTo: '/court',
    });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/account/password');
    const session = /lm_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
    const cookie = `lm_csrf=${CSRF}; lm_session=${session}`;

    for (const path of ['/court', '/court/cases', '/me/notifications', '/auctions', '/']) {
      const r = await get(path, cookie);
      expect([path, r.status, r.headers.get('location')]).toEqual([path, 303, '/account/password']);
    }
    // A client navigation's data request is sent there too, in Remix's own form.
    const data = await get('/court/cases.data', cookie);
    expect(await data.text()).toContain('/account/password');
    // Posting elsewhere does nothing.
    const elsewhere = await post('/court/cases/new', cookie, { title: 'x' });
    expect(elsewhere.status).toBe(303);
    expect(elsewhere.headers.get('location')).toBe('/account/password');

    const page = await get('/account/password', cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('管理员创建');

    const changed = await post('/account/password', cookie, {
      current: INITIAL,
      password: 'my-own-secret-31',
      confirm: 'my-own-secret-31',
    });
    expect(changed.status).toBe(302);
    expect(changed.headers.get('location')).toBe('/court');
    expect((await get('/court/cases', cookie)).status).toBe(200);
  });

  it("the API's bearer tokens are not held", async () => {
    const admin = await actorFor(server.services, 'court-admin@demo.lastmile.test');
    const other = `held.${process.pid}@example.test`;
    const { id } = await server.services.identity.createStaffUser(admin, {
      email: other,
      password: INITIAL,
      realName: '接口账户',
      organisationId: admin.organisationId,
      roles: ['court_clerk'],
    });
    const issued = await server.services.apiTokens.issue(admin, {
      name: 'cms',
      actsAs: id,
      scopes: ['read'],
    });
    const r = await fetch(`${server.url}/api/v1/cases`, {
      headers: { authorization: `Bearer ${issued.token}` },
    });
    expect(r.status).toBe(200);
  });
});
