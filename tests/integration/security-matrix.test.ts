import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF, inParallel, type Persona, type Visitor, visitors } from '../support/personas';
import { rawRequest } from '../support/raw-http';
import { fillPattern, type RouteFile, routeFiles } from '../support/routes';
import { startTestServer } from '../support/server';
import { type Client, client, closeClients } from '../support/sockets';

// The security matrix (issue 19, ADR 017): every route file in app/routes and every socket event
// the server handles, tried as each kind of visitor against the demo data of court 青0104. The
// routes and events are read from the sources: a new one without a row here fails the suite.

let server: Awaited<ReturnType<typeof startTestServer>>;
let people: Visitor[];
const NIL = '00000000-0000-0000-0000-000000000000';
/** Ids of real objects of court 青0104 (the clerk's), from the demo data. */
let ids: Record<string, string>;

const PERSONAS: Persona[] = ['anonymous', 'bidder', 'clerk', 'otherClerk', 'insurer', 'admin'];

beforeAll(async () => {
  server = await startTestServer({ LOGIN_IP_MAX_FAILURES: '100000' }, { ui: 'build', jobs: 'manual' });
  people = await visitors(server.services, PERSONAS);
  const sql = server.db.sql;
  const one = async (q: Promise<{ id: string }[]>) => (await q)[0]?.id ?? NIL;
  const [court] = await sql<{ id: string }[]>`select id from organisations where code = '青0104'`;
  const c = court!.id;
  ids = {
    caseId: await one(sql`select id from cases where court_id = ${c} order by created_at limit 1`),
    assetId: await one(sql`select id from assets where court_id = ${c} order by created_at limit 1`),
    listingId: await one(
      sql`select id from listings where court_id = ${c} and status in ('live', 'announced') order by starts_at limit 1`,
    ),
    saleListingId: await one(sql`select listing_id as id from sales where court_id = ${c} limit 1`),
    claimId: await one(sql`select id from aid_claims where court_id = ${c} order by created_at limit 1`),
    batchId: await one(sql`select id::text from disbursement_batches where purpose = 'aid_claim' limit 1`),
    documentId: await one(
      sql`select d.id from aid_claim_documents d join aid_claims a on a.id = d.claim_id where a.court_id = ${c} limit 1`,
    ),
    fileId: await one(
      sql`select f.id from asset_files f join assets a on a.id = f.asset_id where a.court_id = ${c} limit 1`,
    ),
    evidenceId: await one(
      sql`select f.id from case_files f join cases k on k.id = f.case_id where k.court_id = ${c} limit 1`,
    ),
    paymentId: await one(sql`select id from payments limit 1`),
    depositId: await one(sql`select id from deposits limit 1`),
    localRef: await one(sql`select id from local_gateway_payments limit 1`),
    planId: await one(sql`select id from fund_plans where court_id = ${c} order by drafted_at limit 1`),
    fundBatchId: await one(
      sql`select id::text from disbursement_batches where purpose = 'distribution' and payer_id = ${c} limit 1`,
    ),
    noticeId: await one(
      sql`select id from bounty_notices where court_id = ${c} and status = 'published' limit 1`,
    ),
    tipId: await one(sql`select id from bounty_tips where court_id = ${c} limit 1`),
    // The demo bidder's own practice round (ADR 033): his alone.
    sessionId: await (async () => {
      const token = /lm_session=([^;]+)/.exec(people.find((p) => p.persona === 'bidder')!.cookie)![1]!;
      const actor = (await server.services.identity.resolveSession(token))!.actor;
      return (await server.services.practice.start(actor)).sessionId;
    })(),
    code: '青0104',
    userId: await one(sql`select id from users where email = 'clerk@demo.lastmile.test'`),
    orgId: c,
  };
});
afterAll(async () => {
  closeClients();
  await server.stop();
});

/** How a page answered, in the matrix's words. */
type Outcome =
  | 'ok'
  | 'login'
  | 'redirect'
  | 'invalid'
  | 'forbidden'
  | 'notFound'
  | 'noMethod'
  | `status ${number}`;

function outcomeOf(status: number, location: string | undefined): Outcome {
  if (status === 200) return 'ok';
  if (status >= 300 && status < 400) return location?.startsWith('/login') ? 'login' : 'redirect';
  if (status === 400) return 'invalid';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 405) return 'noMethod';
  return `status ${status}`;
}

const PARAMS: Record<string, () => string> = {
  caseId: () => ids.caseId!,
  assetId: () => ids.assetId!,
  listingId: () => ids.listingId!,
  claimId: () => ids.claimId!,
  batchId: () => ids.batchId!,
  documentId: () => ids.documentId!,
  fileId: () => ids.fileId!,
  paymentId: () => ids.paymentId!,
  ref: () => ids.localRef!,
  code: () => encodeURIComponent(ids.code!),
  target: () => 'deposit',
  id: () => ids.depositId!,
  planId: () => ids.planId!,
  noticeId: () => ids.noticeId!,
  tipId: () => ids.tipId!,
  userId: () => ids.userId!,
  token: () => 'not-a-live-reset-token',
  orgId: () => ids.orgId!,
  // No demo court has a webhook: the nil id is nobody's (its owner would see it, the rest not).
  endpointId: () => NIL,
  sessionId: () => ids.sessionId!,
};

function urlOf(route: RouteFile): string {
  let url = fillPattern(route.pattern, (p) => {
    const v = PARAMS[p];
    if (!v) throw new Error(`no value for :${p} in ${route.file}: add it to PARAMS`);
    return v();
  });
  if (route.file.startsWith('court.evidence')) url = `/court/evidence/${ids.evidenceId}`;
  if (route.file.startsWith('court.funds.payouts.$batchId'))
    url = url.replace(ids.batchId!, ids.fundBatchId!);
  if (route.file.startsWith('sales.') || route.file.startsWith('court.sales.$'))
    url = url.replace(ids.listingId!, ids.saleListingId!);
  return url;
}

async function visit(route: RouteFile, who: Visitor, method: 'GET' | 'POST') {
  const url = urlOf(route);
  const body = `csrf=${CSRF}`;
  const res = await rawRequest(server.url, {
    method,
    path: url,
    headers: {
      cookie: who.cookie,
      accept: 'text/html',
      ...(method === 'POST' && {
        origin: server.url,
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': body.length,
      }),
    },
    body: method === 'POST' ? body : undefined,
    timeoutMs: 15_000,
  });
  return outcomeOf(res.status, res.headers.location);
}

/** The events the server listens to, read from its handlers (`socket.on('…'`). */
function socketEvents(): string[] {
  const dir = 'server/realtime';
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .flatMap((f) =>
      [...readFileSync(`${dir}/${f}`, 'utf8').matchAll(/socket\.on\(\s*'([\w:]+)'/g)].map((m) => m[1]!),
    );
  // Socket.IO's own events (a client cannot send them) are not part of the contract.
  const reserved = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'error']);
  return [...new Set(names)].filter((n) => !reserved.has(n)).sort();
}

async function emit(who: Visitor, event: string, payload: unknown): Promise<string> {
  const session = /lm_session=[^;]+/.exec(who.cookie)?.[0];
  const socket: Client = await client(server.url, session);
  try {
    const ack = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
      // biome-ignore lint/suspicious/noExplicitAny: every event of the contract, by name
      (socket as any).emit(event, payload, resolve),
    );
    return ack.ok ? 'ok' : (ack.error?.code ?? 'error');
  } finally {
    socket.disconnect();
  }
}

type Row = [
  anonymous: string,
  bidder: string,
  clerk: string,
  otherClerk: string,
  insurer: string,
  admin: string,
];

/**
 * Each event's acknowledgement (`ok` or the error code) per visitor, in PERSONAS order, on a live
 * auction of 青0104 for which the demo bidder holds a deposit. Watching is public; bidding is the
 * registered bidder's alone (staff never bid); a private room is its owner's.
 */
const SOCKET_MATRIX: Record<string, Row> = {
  'auction:resume': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  'auction:unwatch': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  'auction:watch': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  'bid:place': ['unauthenticated', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
  'proxy:cancel': ['unauthenticated', 'conflict', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
  'proxy:set': ['unauthenticated', 'conflict', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
  'room:join': ['unauthenticated', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
  'room:leave': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  'time:sync': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  // The demo bidder's practice round (ADR 033): his alone, staff do not practise. A refused bid
  // is an answer (ok); a proxy maximum of ¥1 is below the floor (validation). Another bidder's
  // round is not_found: tests/integration/practice.test.ts.
  'practice:bid': ['unauthenticated', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
  'practice:proxyCancel': ['unauthenticated', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
  'practice:proxySet': ['unauthenticated', 'validation', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
  'practice:resume': ['unauthenticated', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
  'practice:watch': ['unauthenticated', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
};

describe('every socket event, as every kind of visitor', { timeout: 120_000 }, () => {
  it('has an expectation for every event the server handles', () => {
    expect(Object.keys(SOCKET_MATRIX).sort()).toEqual(socketEvents());
  });

  it('answers each visitor as the matrix says', async () => {
    const [bidder] = await server.db.sql<
      { id: string }[]
    >`select id from users where email = 'bidder@demo.lastmile.test'`;
    const payloads: Record<string, unknown> = {
      'room:join': { room: `user:${bidder!.id}` }, // the demo bidder's own room
      'room:leave': { room: `auction:${ids.listingId}` },
      'time:sync': {},
      'auction:watch': { listingId: ids.listingId },
      'auction:unwatch': { listingId: ids.listingId },
      'auction:resume': { listingId: ids.listingId, afterSeq: 0 },
      'bid:place': {
        listingId: ids.listingId,
        amountFen: '100',
        clientKey: '11111111-1111-4111-8111-111111111111',
      },
      'proxy:set': { listingId: ids.listingId, maxFen: '100' },
      'proxy:cancel': { listingId: ids.listingId },
      'practice:watch': { sessionId: ids.sessionId },
      'practice:resume': { sessionId: ids.sessionId, afterSeq: 0 },
      'practice:bid': {
        sessionId: ids.sessionId,
        amountFen: '100',
        clientKey: '22222222-2222-4222-8222-222222222222',
      },
      'practice:proxySet': { sessionId: ids.sessionId, maxFen: '100' },
      'practice:proxyCancel': { sessionId: ids.sessionId },
    };
    const observed = Object.fromEntries(
      await Promise.all(
        socketEvents().map(
          async (event) =>
            [event, await Promise.all(people.map((p) => emit(p, event, payloads[event])))] as const,
        ),
      ),
    );
    expect(observed).toEqual(SOCKET_MATRIX);
  });
});

/**
 * Each route file: its GET, and for a route with an action a POST of a form holding only a valid
 * anti-forgery token, per visitor in PERSONAS order (anonymous, bidder, the clerk of 青0104, the
 * clerk of another court 青0105, the insurer, the platform admin), against real objects of 青0104.
 * `invalid` on a POST means the visitor got past the permission checks to the form's validation.
 */
const ROUTE_MATRIX: Record<string, { get: Row; post?: Row }> = {
  '_index.tsx': { get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'] },
  'admin._index.tsx': { get: ['login', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'ok'] },
  // Account administration (ADR 024): an organisation's admin (the insurer's manager) his own
  // staff and their audit entries, the platform admin everyone's; the clerk of 青0104 is not the
  // insurer's to administer.
  'admin.audit.tsx': { get: ['login', 'forbidden', 'forbidden', 'forbidden', 'ok', 'ok'] },
  'admin.audit[.]csv.tsx': { get: ['login', 'forbidden', 'forbidden', 'forbidden', 'ok', 'ok'] },
  'admin.users.$userId.tsx': {
    get: ['login', 'forbidden', 'forbidden', 'forbidden', 'notFound', 'ok'],
    post: ['login', 'forbidden', 'forbidden', 'forbidden', 'notFound', 'invalid'],
  },
  'admin.users._index.tsx': { get: ['login', 'forbidden', 'forbidden', 'forbidden', 'ok', 'ok'] },
  // A bidder who is a creditor files his own claims (and sees only those).
  'aid._index.tsx': { get: ['login', 'ok', 'ok', 'ok', 'ok', 'forbidden'] },
  'aid.batches.$batchId.export.tsx': {
    get: ['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
    post: ['login', 'forbidden', 'forbidden', 'forbidden', 'ok', 'forbidden'],
  },
  'aid.batches.$batchId.tsx': {
    get: ['login', 'forbidden', 'forbidden', 'forbidden', 'ok', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'aid.batches[.]csv.tsx': { get: ['login', 'forbidden', 'forbidden', 'forbidden', 'ok', 'forbidden'] },
  'aid.batches._index.tsx': {
    get: ['login', 'forbidden', 'forbidden', 'forbidden', 'ok', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'aid.claims[.]csv.tsx': { get: ['login', 'ok', 'ok', 'ok', 'ok', 'forbidden'] },
  'aid.claims.$claimId.tsx': {
    get: ['login', 'notFound', 'ok', 'notFound', 'ok', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'aid.claims.new.tsx': {
    get: ['login', 'ok', 'ok', 'ok', 'ok', 'ok'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'forbidden', 'forbidden'],
  },
  'aid.documents.$documentId.tsx': { get: ['login', 'notFound', 'ok', 'notFound', 'notFound', 'notFound'] },
  'aid.policies.tsx': {
    get: ['login', 'forbidden', 'ok', 'ok', 'ok', 'ok'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'aid.report-csv.tsx': { get: ['login', 'forbidden', 'ok', 'ok', 'ok', 'ok'] },
  'aid.reports.tsx': { get: ['login', 'forbidden', 'ok', 'ok', 'ok', 'ok'] },
  'auctions.$listingId.tsx': {
    get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'auctions.$listingId_.chain.tsx': { get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'] },
  'auctions.$listingId_.chain[.]json.tsx': { get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'] },
  'auctions.$listingId_.register.tsx': {
    get: ['login', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
    post: ['login', 'invalid', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
  },
  // 关注 (ADR 027): a form post from the auction page; any signed-in person, a sign-in first.
  // GET has nothing to show (back to the auction); a post without its intent changes nothing.
  'auctions.$listingId_.follow.tsx': {
    get: ['redirect', 'redirect', 'redirect', 'redirect', 'redirect', 'redirect'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'auctions.$listingId_.verify.tsx': { get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'] },
  // 看样 bookings (ADR 029): a GET goes to the announcement; a post books or cancels as a bidder
  // (the service refuses staff), and one without a slot is refused before anything is read.
  'auctions.$listingId_.viewings.tsx': {
    get: ['redirect', 'redirect', 'redirect', 'redirect', 'redirect', 'redirect'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'auctions._index.tsx': { get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'] },
  // Public like the search: courts' names and the places of published listings.
  'auctions.suggest.tsx': { get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'] },
  'calendar.tsx': { get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'] },
  'court._index.tsx': { get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'forbidden'] },
  'court.assets.$assetId.tsx': {
    get: ['login', 'forbidden', 'ok', 'notFound', 'forbidden', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'court.cases.$caseId.tsx': {
    get: ['login', 'forbidden', 'ok', 'notFound', 'forbidden', 'forbidden'],
    post: ['login', 'forbidden', 'invalid', 'invalid', 'forbidden', 'forbidden'],
  },
  'court.cases.$caseId_.account.tsx': {
    get: ['login', 'forbidden', 'ok', 'notFound', 'forbidden', 'forbidden'],
  },
  'court.cases.$caseId_.account[.]csv.tsx': {
    get: ['login', 'forbidden', 'ok', 'notFound', 'forbidden', 'forbidden'],
  },
  'court.cases._index.tsx': { get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'forbidden'] },
  // The other court's clerk gets his own court's cases (ADR 030's exports are scoped like the lists).
  'court.cases[.]csv.tsx': { get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'forbidden'] },
  'court.cases.new.tsx': {
    get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'forbidden'],
    post: ['login', 'forbidden', 'invalid', 'invalid', 'forbidden', 'forbidden'],
  },
  'court.deposits.tsx': { get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'forbidden'] },
  'court.deposits[.]csv.tsx': { get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'forbidden'] },
  'court.evidence.$fileId.tsx': {
    get: ['login', 'forbidden', 'notFound', 'notFound', 'forbidden', 'forbidden'],
  },
  'court.listings.$listingId.tsx': {
    get: ['login', 'forbidden', 'ok', 'notFound', 'forbidden', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'court.listings._index.tsx': { get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'forbidden'] },
  'court.listings[.]csv.tsx': { get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'forbidden'] },
  'court.overdue.tsx': { get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'forbidden'] },
  'court.sales.$listingId.tsx': {
    get: ['login', 'forbidden', 'ok', 'notFound', 'forbidden', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'court.sales._index.tsx': { get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'forbidden'] },
  'court.transfers.tsx': {
    get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'courts.$code.tsx': { get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'] },
  // A photo of a published listing: public.
  'files.$fileId.tsx': { get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'] },
  'insurer._index.tsx': { get: ['login', 'forbidden', 'forbidden', 'forbidden', 'ok', 'forbidden'] },
  'language.tsx': {
    get: ['redirect', 'redirect', 'redirect', 'redirect', 'redirect', 'redirect'],
    post: ['redirect', 'redirect', 'redirect', 'redirect', 'redirect', 'redirect'],
  },
  'login.tsx': {
    get: ['ok', 'redirect', 'redirect', 'redirect', 'redirect', 'redirect'],
    post: ['invalid', 'redirect', 'redirect', 'redirect', 'redirect', 'redirect'],
  },
  // Tried with sessions of its own (a POST ends them).
  'logout.tsx': {
    get: ['redirect', 'redirect', 'redirect', 'redirect', 'redirect', 'redirect'],
    post: ['login', 'login', 'login', 'login', 'login', 'login'], // to /login?loggedOut=1,
  },
  // The bidder's account page; its post asks the identity-verification provider (ADR 028).
  'me.tsx': {
    get: ['login', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
    post: ['login', 'invalid', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
  },
  // "Forgot password" (ADR 028): anyone's; a post without an e-mail or number sends nothing.
  'forgot-password.tsx': {
    get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
    post: ['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  // One's own password (ADR 028); a post without the current one changes nothing.
  'account.password.tsx': {
    get: ['login', 'ok', 'ok', 'ok', 'ok', 'ok'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'me_.pay.$target.$id.tsx': {
    get: ['login', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
    post: ['login', 'invalid', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
  },
  'me_.payments.tsx': { get: ['login', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'] },
  'me_.purchases.tsx': { get: ['login', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'] },
  'me_.receipts.$paymentId.tsx': { get: ['login', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'] },
  // The receipt's PDF (issue 21): the payer's own, as its page.
  'me_.receipts.$paymentId_.receipt[.]pdf.tsx': {
    get: ['login', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
  },
  'pay.local.$ref.tsx': {
    get: ['login', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
    post: ['login', 'status 409', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
  },
  'sales.$listingId.ruling[.]pdf.tsx': {
    get: ['login', 'notFound', 'notFound', 'notFound', 'notFound', 'notFound'],
  },
  'admin.credit-partners.tsx': {
    get: ['login', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'ok'],
    post: ['login', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'invalid'],
  },
  'court.cases.$caseId_.credit.tsx': {
    get: ['login', 'forbidden', 'ok', 'notFound', 'forbidden', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  // Bounties (ADR 022): the notices and the tip form are public; a tip is its court's clerk's only.
  'bounties._index.tsx': { get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'] },
  'bounties.$noticeId.tsx': {
    get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
    post: ['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'bounties.receipt.tsx': {
    get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
    post: ['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'court.bounties.tsx': { get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'forbidden'] },
  'court.bounty-tips.$tipId.tsx': {
    get: ['login', 'forbidden', 'ok', 'notFound', 'forbidden', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'court.cases.$caseId_.bounty.tsx': {
    get: ['login', 'forbidden', 'ok', 'notFound', 'forbidden', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'court.cases.$caseId_.funds.tsx': {
    get: ['login', 'notFound', 'ok', 'notFound', 'notFound', 'notFound'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  // Appeals on the list are the president's (失信规定 art. 12).
  'court.credit-appeals.tsx': {
    get: ['login', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  // The clerk's export of the demo distribution batch really exports it (as the insurer's aid export).
  'court.funds.payouts.$batchId.export.tsx': {
    get: ['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
    post: ['login', 'forbidden', 'ok', 'notFound', 'forbidden', 'forbidden'],
  },
  'court.funds.payouts.tsx': {
    get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'court.indicators._index.tsx': { get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'ok'] },
  // Without the figure to drill into, the query is refused before anything is read.
  'court.indicators.drill.tsx': { get: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'] },
  'court.indicators.drill[.]csv.tsx': {
    get: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'court.indicators[.]csv.tsx': { get: ['login', 'forbidden', 'ok', 'ok', 'forbidden', 'ok'] },
  // The public query of the list (rate-limited per client, ADR 019).
  'credit.tsx': { get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'] },
  'funds.plans.$planId.plan[.]pdf.tsx': {
    get: ['login', 'notFound', 'ok', 'notFound', 'notFound', 'notFound'],
  },
  // A signed-in person's own shares as a creditor (none for these visitors).
  'me_.funds.tsx': {
    get: ['login', 'ok', 'ok', 'ok', 'ok', 'ok'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  // 我的拍卖 (ADR 027): every signed-in person's own follows and registrations, nobody else's.
  'me_.auctions.tsx': { get: ['login', 'ok', 'ok', 'ok', 'ok', 'ok'] },
  // 通知设置 (ADR 025): every signed-in person's own choices; a form without them is refused.
  'me_.notifications.tsx': {
    get: ['login', 'ok', 'ok', 'ok', 'ok', 'ok'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  // A reset link is anyone's to open; a dead one says so, and posting to it changes nothing.
  'reset-password.$token.tsx': {
    get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
    post: ['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  // 模拟拍卖 (ADR 033): anyone reads what it is; a post without its intent starts nothing.
  'practice._index.tsx': {
    get: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  // The demo bidder's own round; staff do not practise (another bidder's: not found, practice.test.ts).
  'practice.$sessionId.tsx': {
    get: ['login', 'ok', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'signup.tsx': {
    get: ['ok', 'redirect', 'redirect', 'redirect', 'redirect', 'redirect'],
    post: ['invalid', 'redirect', 'redirect', 'redirect', 'redirect', 'redirect'],
  },
  'staff.tsx': {
    get: ['login', 'forbidden', 'forbidden', 'forbidden', 'ok', 'ok'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  // Onboarding (ADR 023): organisations are the platform admin's; a post without intent creates
  // nothing (the form's fields are checked after the permission).
  'admin.organisations._index.tsx': {
    get: ['login', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'ok'],
    post: ['login', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'invalid'],
  },
  'admin.organisations.$orgId.tsx': {
    get: ['login', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'ok'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  // The court administrator's alone (no persona is one: court-admin pages are tried in e2e).
  'court.api-tokens.tsx': {
    get: ['login', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  // A court's or insurer's administrator: the insurer's manager sees his (none yet); another's id is not found.
  'settings.webhooks._index.tsx': {
    get: ['login', 'forbidden', 'forbidden', 'forbidden', 'ok', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
  'settings.webhooks.$endpointId.tsx': {
    get: ['login', 'forbidden', 'forbidden', 'forbidden', 'notFound', 'forbidden'],
    post: ['login', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid'],
  },
};

describe('every route, as every kind of visitor', { timeout: 120_000 }, () => {
  const routes = routeFiles();

  it('has an expectation for every route file (a new route without one fails here)', () => {
    expect(Object.keys(ROUTE_MATRIX).sort()).toEqual(routes.map((r) => r.file).sort());
    for (const r of routes) expect(ROUTE_MATRIX[r.file]!.post !== undefined, r.file).toBe(r.hasAction);
  });

  it('answers each visitor as the matrix says', async () => {
    const logoutPeople = await visitors(server.services, PERSONAS);
    const observed = Object.fromEntries(
      await inParallel(
        routes.map((r) => async () => {
          const who = r.pattern === '/logout' ? logoutPeople : people;
          const get = (await Promise.all(who.map((p) => visit(r, p, 'GET')))) as Row;
          const post = r.hasAction
            ? ((await Promise.all(who.map((p) => visit(r, p, 'POST')))) as Row)
            : undefined;
          return [r.file, post ? { get, post } : { get }] as const;
        }),
        4,
      ),
    );
    expect(observed).toEqual(ROUTE_MATRIX);
  });
});
