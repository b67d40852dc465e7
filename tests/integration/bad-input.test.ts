import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../server/http/api';
import { CSRF, inParallel, type Visitor, visitors } from '../support/personas';
import { rawRequest } from '../support/raw-http';
import { fillPattern, routeFiles } from '../support/routes';
import { startTestServer } from '../support/server';

// A crawler of bad inputs (issue 19 part 5, ADR 017): every route file and every API path, as
// each kind of visitor, with malformed ids, page numbers, NUL bytes and bodies. Nothing may answer
// 5xx, and nothing may be written.

let server: Awaited<ReturnType<typeof startTestServer>>;
let people: Visitor[];
let apiToken: string;

beforeAll(async () => {
  server = await startTestServer({ LOGIN_IP_MAX_FAILURES: '100000' }, { ui: 'build', jobs: 'manual' });
  people = await visitors(server.services, ['anonymous', 'bidder', 'clerk', 'insurer', 'admin']);
  const s = server.services;
  const login = async (email: string) => {
    const r = await s.identity.login({ email, password: 'Demo2026lastmile' }, { ip: '198.51.100.251' });
    return (await s.identity.resolveSession(r.token))!.actor;
  };
  const admin = await login('court-admin@demo.lastmile.test');
  const clerk = await login('clerk@demo.lastmile.test');
  apiToken = (await s.apiTokens.issue(admin, { name: 'crawler', actsAs: clerk.userId })).token;
});
afterAll(() => server.stop());

/**
 * The rows of every table but the login attempts (a refused login is recorded, by design): a
 * crawl of bad input must leave them as they were. The job runner is stopped (jobs: 'manual'),
 * so nothing else writes meanwhile.
 */
async function rowCounts() {
  const tables = await server.db.sql<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'login_attempts'
      and table_name not like '\_\_%'`;
  const counts: Record<string, number> = {};
  for (const { name } of tables)
    counts[name] = (
      await server.db.sql.unsafe<{ n: number }[]>(`select count(*)::int n from "${name}"`)
    )[0]!.n;
  return counts;
}
let before: Record<string, number>;

const BAD_IDS = [
  'not-a-uuid',
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', // UUID-shaped, not a UUID
  '00000000-0000-0000-0000-00000000000g',
  '00000000-0000-0000-0000-000000000000', // a UUID that names nothing
  '%00',
  'a%00b',
  '%E0%A4%A', // a broken percent-escape
  'x'.repeat(300),
];
const BAD_QUERIES = [
  '?page=-1',
  '?page=Infinity&month=%00',
  '?page=99999999999999999999',
  '?page=0.5&q=%00&month=%00&status=%00&type=%00&measure=%00&case=%00&tab=%00&redirectTo=%00',
  '?month=2026-13&q=%E0%A4%A&page=%00',
];

interface Outcome {
  what: string;
  status: number;
}

async function get(url: string, who: Visitor): Promise<Outcome> {
  const res = await rawRequest(server.url, {
    method: 'GET',
    path: url,
    headers: { cookie: who.cookie, accept: 'text/html' },
    timeoutMs: 15_000,
  });
  return { what: `GET ${url} as ${who.persona}`, status: res.status };
}

async function post(url: string, who: Visitor, type: string, body: string): Promise<Outcome> {
  const res = await rawRequest(server.url, {
    path: url,
    headers: {
      cookie: who.cookie,
      accept: 'text/html',
      origin: server.url,
      'sec-fetch-site': 'same-origin',
      'content-type': type,
      'content-length': Buffer.byteLength(body),
    },
    body,
    timeoutMs: 15_000,
  });
  return { what: `POST ${url} as ${who.persona} (${type}: ${body.slice(0, 40)})`, status: res.status };
}

const FORM = 'application/x-www-form-urlencoded';
/** Forms: tried as every visitor (what an action does first depends on who asks). */
const BAD_FORMS: [string, string][] = [
  [FORM, `csrf=${CSRF}`],
  [FORM, `csrf=${CSRF}&intent=%00&id=zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz&page=-1&amount=Infinity`],
  [FORM, `csrf=${CSRF}&a=%E0%A4%A&intent=%ZZ&redirectTo=%2F%09%2Fevil.example`],
];
/** Bodies that are not forms at all: refused before anyone is asked, tried as one visitor. */
const NOT_FORMS: [string, string][] = [
  ['application/json', 'null'],
  ['application/json', '{"csrf":'],
  ['multipart/form-data; boundary=x', 'not multipart at all'],
  ['text/plain', `csrf=${CSRF}`],
];

/** The failures, one line each: the report names every route that answered 5xx (or never). */
const fivexx = (outcomes: Outcome[]) =>
  outcomes.filter((o) => o.status >= 500 || o.status === 0).map((o) => `${o.status} ${o.what}`);

describe('bad input never answers 5xx', { timeout: 300_000 }, () => {
  const routes = routeFiles();

  it('finds the route files', async () => {
    before = await rowCounts();
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.find((r) => r.file === 'court.cases.$caseId_.account[.]csv.tsx')?.pattern).toBe(
      '/court/cases/:caseId/account.csv',
    );
  });

  it('pages (GET): malformed ids and query strings, as every kind of visitor', async () => {
    const urls = routes.flatMap((r) =>
      r.params.length > 0
        ? BAD_IDS.map((id) => fillPattern(r.pattern, () => id))
        : BAD_QUERIES.map((q) => `${r.pattern}${q}`),
    );
    urls.push('/%00', '/auctions/%00/chain', '/court/%00', '/%2e%2e/%00');
    const outcomes = await inParallel(people.flatMap((who) => urls.map((u) => () => get(u, who))));
    expect(fivexx(outcomes)).toEqual([]);
  });

  it('form actions (POST): malformed bodies and ids, as every kind of visitor', async () => {
    const targets = routes
      // Signing out is not bad input: it would end the visitor's session for the rest of the crawl.
      .filter((r) => r.hasAction && r.pattern !== '/logout')
      .flatMap((r) =>
        r.params.length > 0 ? BAD_IDS.slice(0, 5).map((id) => fillPattern(r.pattern, () => id)) : [r.pattern],
      );
    const clerk = people.find((p) => p.persona === 'clerk')!;
    const outcomes = await inParallel([
      ...people.flatMap((who) =>
        targets.flatMap((url) =>
          BAD_FORMS.map(
            ([type, body]) =>
              () =>
                post(url, who, type, body),
          ),
        ),
      ),
      ...targets.flatMap((url) =>
        NOT_FORMS.map(
          ([type, body]) =>
            () =>
              post(url, clerk, type, body),
        ),
      ),
    ]);
    expect(fivexx(outcomes)).toEqual([]);
  });

  it('the court API: every path and method with malformed ids, pages and bodies', async () => {
    const paths = Object.entries(openApiDocument().paths as Record<string, Record<string, unknown>>);
    const tasks: (() => Promise<Outcome>)[] = [];
    const call = async (method: string, url: string, body?: string): Promise<Outcome> => {
      const res = await rawRequest(server.url, {
        method,
        path: url,
        headers: {
          authorization: `Bearer ${apiToken}`,
          ...(body !== undefined && {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          }),
        },
        body,
        timeoutMs: 15_000,
      });
      if (res.status >= 400 && !/^application\/problem\+json/.test(res.headers['content-type'] ?? ''))
        return { what: `${method} ${url} answered ${res.status} without problem details`, status: 599 };
      return { what: `${method} ${url} ${body ?? ''}`, status: res.status };
    };
    for (const [p, methods] of paths) {
      const urls = p.includes('{')
        ? BAD_IDS.map((id) => `/api/v1${p.replace(/\{\w+\}/g, id)}`)
        : [`/api/v1${p}`];
      for (const method of Object.keys(methods)) {
        for (const url of urls) {
          if (method === 'get') {
            tasks.push(() => call('GET', url));
            for (const q of BAD_QUERIES) tasks.push(() => call('GET', `${url}${q}`));
          } else {
            for (const body of [
              'null',
              '{',
              '[]',
              '"x"',
              '1e999',
              '{"page":-1,"id":"zzzz"}',
              '{"__proto__":{"x":1}}',
            ])
              tasks.push(() => call(method.toUpperCase(), url, body));
          }
        }
      }
    }
    tasks.push(() => call('GET', '/api/v1/%00'));
    const outcomes = await inParallel(tasks);
    expect(fivexx(outcomes)).toEqual([]);
  });

  it('and wrote nothing', async () => {
    expect(await rowCounts()).toEqual(before);
  });
});
