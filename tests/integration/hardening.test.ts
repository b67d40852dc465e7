import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/demo/seed-accounts';
import { signupInput } from '../support/fixtures';
import { rawRequest } from '../support/raw-http';
import { startTestServer } from '../support/server';
import { client, closeClients } from '../support/sockets';

// The hardening cases of issue 19 (ADR 017), each against the real server with the Remix build.

const MB = 1024 * 1024;
let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer(
    {
      BODY_LIMIT_FORM: '64kb',
      BODY_LIMIT_JSON: '64kb',
      BODY_LIMIT_WEBHOOK: '64kb',
      BODY_LIMIT_UPLOAD: '2mb',
      // One reverse proxy in front: it appends the address it saw to X-Forwarded-For.
      TRUST_PROXY: '1',
      LOGIN_IP_MAX_FAILURES: '3',
    },
    { ui: 'build' },
  );
});
afterAll(() => server.stop());

const sameOrigin = () => ({ origin: server.url, 'sec-fetch-site': 'same-origin' });

/** The login page's anti-forgery token and its cookie. */
async function loginForm() {
  const page = await fetch(`${server.url}/login`);
  const cookie = /lm_csrf=[\w-]+/.exec(page.headers.get('set-cookie') ?? '')![0];
  const csrf = /name="csrf" value="([\w-]+)"/.exec(await page.text())![1]!;
  return { cookie, csrf };
}

describe('request bodies are limited before they are read', () => {
  it('a 300 MB login post is refused (413) after its headers, without waiting for the body', async () => {
    const res = await rawRequest(server.url, {
      path: '/login',
      headers: {
        ...sameOrigin(),
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': 300 * MB,
        accept: 'text/html',
      },
      body: 'email=a%40b.cn&password=',
      hold: true, // the other 299.99 MB never come
    });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('请求内容过大（上限 64 KB）');
    expect(res.headers.connection).toBe('close');
  });

  it('answers problem details to a client that does not ask for HTML', async () => {
    const res = await rawRequest(server.url, {
      path: '/login',
      headers: {
        ...sameOrigin(),
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': 65 * 1024,
      },
      hold: true,
    });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({
      status: 413,
      code: 'payload_too_large',
      params: { limit: '64 KB' },
    });
  });

  it('a page post that does not announce its length (chunked) is refused (411) before it is read', async () => {
    const res = await rawRequest(server.url, {
      path: '/login',
      headers: {
        ...sameOrigin(),
        'content-type': 'application/x-www-form-urlencoded',
        'transfer-encoding': 'chunked',
      },
      body: 'email=a%40b.cn',
      hold: true,
    });
    expect(res.status).toBe(411);
  });

  it('multipart uploads keep their own larger limit', async () => {
    const headers = (length: number) => ({
      ...sameOrigin(),
      'content-type': 'multipart/form-data; boundary=x',
      'content-length': length,
    });
    const body = Buffer.alloc(MB, 'a');
    const within = await rawRequest(server.url, { path: '/court/cases/x', headers: headers(MB), body });
    expect(within.status).not.toBe(413); // past the form limit, within the upload limit: the route answers
    const beyond = await rawRequest(server.url, {
      path: '/court/cases/x',
      headers: headers(3 * MB),
      hold: true,
    });
    expect(beyond.status).toBe(413);
  });

  it('the JSON API: a declared or a chunked body over the limit is 413 with problem details', async () => {
    const declared = await rawRequest(server.url, {
      path: '/api/v1/cases',
      headers: { 'content-type': 'application/json', 'content-length': 10 * MB },
      hold: true,
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ code: 'payload_too_large' });

    const chunked = await rawRequest(server.url, {
      path: '/api/v1/cases',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: `{"x":"${'a'.repeat(70 * 1024)}"}`,
    });
    expect(chunked.status).toBe(413);
    expect(chunked.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('webhooks: over the limit is 413 before the signature is even looked at', async () => {
    const res = await rawRequest(server.url, {
      path: '/webhooks/stripe',
      headers: { 'content-type': 'application/json', 'content-length': 10 * MB },
      hold: true,
    });
    expect(res.status).toBe(413);
  });

  it('a login within the limit still works', async () => {
    const { cookie, csrf } = await loginForm();
    const res = await fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...sameOrigin(), cookie },
      body: new URLSearchParams({ csrf, email: 'bidder@demo.lastmile.test', password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('set-cookie')).toContain('lm_session=');
  });
});

/** A session cookie for a demo account, made by the service the login form calls. */
async function sessionOf(email: string) {
  const r = await server.services.identity.login(
    { email, password: DEMO_PASSWORD },
    { ip: '198.51.100.1', userAgent: 'vitest' },
  );
  return `lm_session=${r.token}`;
}

/** Where a browser lands with that Location (it drops tabs and newlines first). */
const landing = (location: string | null) =>
  new URL((location ?? '').replace(/[\t\n\r]/g, ''), server.url).origin;

describe('redirect targets stay on the site', () => {
  const evil = [
    '%2F%09%2Fevil.example',
    '%2F%2Fevil.example',
    '%2F%5Cevil.example',
    '%2F.%2F%2Fevil.example',
  ];

  it.each(evil)('a signed-in visit to /login?redirectTo=%s stays on the site', async (target) => {
    const res = await fetch(`${server.url}/login?redirectTo=${target}`, {
      redirect: 'manual',
      headers: { cookie: await sessionOf('bidder@demo.lastmile.test') },
    });
    expect(res.status).toBe(302);
    expect(landing(res.headers.get('location'))).toBe(server.url);
    expect(res.headers.get('location')).toBe('/me');
  });

  it.each(evil)('a signed-in visit to /signup?redirectTo=%s stays on the site', async (target) => {
    const res = await fetch(`${server.url}/signup?redirectTo=${target}`, {
      redirect: 'manual',
      headers: { cookie: await sessionOf('bidder@demo.lastmile.test') },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
  });

  it('sign-up goes back where the visitor was asked to sign in, and only on the site', async () => {
    const { cookie, csrf } = await loginForm();
    const signup = (redirectTo: string) =>
      fetch(`${server.url}/signup`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...sameOrigin(), cookie },
        body: new URLSearchParams({ csrf, ...signupInput(), redirectTo }),
      });
    const away = await signup('/\t/evil.example');
    expect(away.status).toBe(302);
    expect(away.headers.get('location')).toBe('/me');
    expect(away.headers.get('set-cookie')).toContain('lm_session=');
    const back = await signup('/auctions?q=%E8%BD%A6');
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/auctions?q=%E8%BD%A6');
  });

  it('the login form and the language switch follow only same-site paths', async () => {
    const { cookie, csrf } = await loginForm();
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...sameOrigin(), cookie },
        body: new URLSearchParams({ csrf, ...fields }),
      });
    const login = await post('/login', {
      email: 'bidder@demo.lastmile.test',
      password: DEMO_PASSWORD,
      redirectTo: '/\t/evil.example',
    });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/me');
    const lang = await post('/language', { lang: 'en', redirectTo: '/\n/evil.example' });
    expect(lang.status).toBe(302);
    expect(landing(lang.headers.get('location'))).toBe(server.url);
    const fine = await post('/language', { lang: 'en', redirectTo: '/auctions?q=1' });
    expect(fine.headers.get('location')).toBe('/auctions?q=1');
  });
});

/** A login form post as it reaches the server through the one proxy in front of it. */
async function loginThroughProxy(forwardedFor: string, email: string, password: string) {
  const { cookie, csrf } = await loginForm();
  return fetch(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...sameOrigin(), cookie, 'x-forwarded-for': forwardedFor },
    body: new URLSearchParams({ csrf, email, password }),
  });
}

describe('the client address behind a configured number of proxies', () => {
  it('invented X-Forwarded-For entries do not escape the per-IP login limit', async () => {
    // The client writes whatever he likes on the left; the proxy appends what it saw (203.0.113.50).
    for (const invented of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
      const res = await loginThroughProxy(
        `${invented}, 203.0.113.50`,
        'nobody.proxy@example.test',
        'wrong-1',
      );
      expect(res.status).toBe(401);
    }
    const fourth = await loginThroughProxy('10.0.0.4, 203.0.113.50', 'nobody.proxy@example.test', 'wrong-1');
    expect(fourth.status).toBe(429);
    const right = await loginThroughProxy(
      '10.0.0.5, 203.0.113.50',
      'bidder@demo.lastmile.test',
      DEMO_PASSWORD,
    );
    expect(right.status).toBe(429); // refused from that address, whatever the password
    // Another client behind the same proxy is not blocked.
    const other = await loginThroughProxy('203.0.113.51', 'bidder@demo.lastmile.test', DEMO_PASSWORD);
    expect(other.status).toBe(302);
  });

  it('records the address the proxy saw', async () => {
    await loginThroughProxy('192.0.2.200, 203.0.113.77', 'bidder2@demo.lastmile.test', 'wrong-2');
    const rows = await server.db.sql<{ ip: string }[]>`
      select ip from login_attempts where email = 'bidder2@demo.lastmile.test'`;
    expect(rows.map((r) => r.ip)).toEqual(['203.0.113.77']);
  });
});

describe('the login form does not tell which accounts exist', () => {
  it('answers a real account and an unknown email alike', async () => {
    const alert = async (res: Response) => /role="alert">([^<]*)</.exec(await res.text())?.[1];
    const real = await loginThroughProxy('203.0.113.90', 'clerk.chengbei@demo.lastmile.test', 'wrong-3');
    const unknown = await loginThroughProxy('203.0.113.91', 'nobody.form@example.test', 'wrong-3');
    expect(real.status).toBe(401);
    expect(unknown.status).toBe(real.status);
    const [forReal, forUnknown] = [await alert(real), await alert(unknown)];
    expect(forReal).toBe('邮箱或密码错误。再失败 4 次，账户将被暂时锁定。');
    expect(forUnknown).toBe(forReal);
  });
});

describe('the Socket.IO handshake checks the Origin', () => {
  afterAll(() => closeClients());
  const open = (transport: 'websocket' | 'polling', headers: Record<string, string>) =>
    client(server.url, undefined, { transports: [transport], extraHeaders: headers });

  it.each(['websocket', 'polling'] as const)(
    'over %s: a foreign page is refused, the site itself is let in',
    async (t) => {
      const cookie = await sessionOf('bidder@demo.lastmile.test');
      await expect(open(t, { origin: 'https://evil.example', cookie })).rejects.toThrow();
      await expect(open(t, { origin: 'null', cookie })).rejects.toThrow();
      await expect(open(t, { origin: `${server.url}.evil.example`, cookie })).rejects.toThrow();
      const mine = await open(t, { origin: server.url, cookie });
      expect(mine.connected).toBe(true);
      const noBrowser = await open(t, {});
      expect(noBrowser.connected).toBe(true);
    },
  );

  it('the configured public origin is the only one accepted', async () => {
    const { originAllowed } = await import('../../server/realtime/origin');
    const req = (origin: string) => ({ headers: { origin, host: 'internal:3000' } });
    expect(originAllowed(req('https://paimai.example.cn'), 'https://paimai.example.cn')).toBe(true);
    expect(originAllowed(req('http://internal:3000'), 'https://paimai.example.cn')).toBe(false);
    expect(originAllowed(req('http://internal:3000'))).toBe(true);
    expect(originAllowed(req('https://evil.example'))).toBe(false);
  });
});

describe('malformed input answers 4xx and writes nothing', () => {
  const sessions = async () =>
    (await server.db.sql<{ n: number }[]>`select count(*)::int n from sessions`)[0]!.n;

  it('a right password with a NUL in redirectTo: 400, and no session is created (it was: 500 after the login)', async () => {
    const { cookie, csrf } = await loginForm();
    const before = await sessions();
    const res = await fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...sameOrigin(), cookie, 'x-forwarded-for': '203.0.113.120' },
      body: new URLSearchParams({
        csrf,
        email: 'bidder2@demo.lastmile.test',
        password: DEMO_PASSWORD,
        redirectTo: '/\u0000',
      }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('set-cookie') ?? '').not.toContain('lm_session=');
    expect(await sessions()).toBe(before);
  });

  it.each([
    ['a JSON null', 'application/json', 'null'],
    ['malformed JSON', 'application/json', '{"email":'],
    ['a broken multipart body', 'multipart/form-data; boundary=x', 'garbage'],
  ])('%s posted to the login form: 400', async (_what, type, body) => {
    const res = await rawRequest(server.url, {
      path: '/login',
      headers: {
        ...sameOrigin(),
        'content-type': type,
        'content-length': Buffer.byteLength(body),
        accept: 'text/html',
      },
      body,
    });
    expect(res.status).toBe(400);
  });

  it.each([
    ['/courts/%00', 404],
    ['/auctions/%E0%A4%A', 400],
    ['/auctions?q=%00', 400],
    ['/api/v1/cases/%00', 404],
  ])('%s answers %i with problem details or an error page', async (path, status) => {
    const page = await rawRequest(server.url, { method: 'GET', path, headers: { accept: 'text/html' } });
    expect(page.status).toBe(status);
    const api = await rawRequest(server.url, {
      method: 'GET',
      path,
      headers: { accept: 'application/json' },
    });
    expect(api.status).toBe(status);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('the API refuses malformed JSON, a NUL and a null body with problem details', async () => {
    for (const body of ['{"caseNumber":', '{"caseNumber":"\\u0000"}']) {
      const res = await rawRequest(server.url, {
        path: '/api/v1/cases',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: 'Bearer x',
        },
        body,
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ status: 400, code: 'bad_request' });
    }
  });
});
