import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/demo/seed-accounts';
import { startServer } from '../../server/main';
import type { PracticeEventDto } from '../../server/realtime/events';
import { createTestDatabase } from '../support/db';
import { caught, fakeClock, meta, signupInput, testConfig } from '../support/fixtures';
import { client, closeClients } from '../support/sockets';

// The practice auction (模拟拍卖, ADR 033) on a real PostgreSQL and a real server, with a
// settable clock and the job runner driven by hand. Default practice clock: a 180 s window,
// 30 s extensions (art. 20's five minutes at a tenth), scripted answers after 10 s; the lot
// starts at ¥1,000,000 with a ¥10,000 increment.
const S = 1_000;
const START = 100_000_000n;
const INC = 1_000_000n;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let server: Awaited<ReturnType<typeof startServer>>;
// Near the real time: a socket's session expiry is checked against the real clock.
const time = fakeClock(new Date());
const config = () =>
  testConfig({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', SEED_DEMO_DATA: 'true' });
const url = () => `http://127.0.0.1:${server.port}`;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startServer({ config: config(), ui: 'none', clock: time.clock, jobs: 'manual' });
}, 120_000);
afterAll(async () => {
  closeClients();
  await server?.close();
  await db?.drop();
});

/** A new bidder account, its real name not verified (signup leaves it `unverified`). */
async function person() {
  const { token } = await server.services.identity.signup(signupInput(), meta);
  const actor = (await server.services.identity.resolveSession(token))!.actor;
  return { actor, cookie: `lm_session=${token}` };
}

/** Everything a real bid, its money or its news could reach: none of it may move for practice. */
const WATCHED = [
  'listings',
  'registrations',
  'deposits',
  'bids',
  'bid_requests',
  'proxy_bids',
  'auction_events',
  'ledger_transactions',
  'ledger_entries',
  'payments',
  'outbox_events',
  'outbox_deliveries',
  'notifications',
  'notification_deliveries',
  'transparency_leaves',
  'transparency_checkpoints',
  'audit_log',
  'follows',
] as const;

async function counts() {
  const out: Record<string, number> = {};
  for (const table of WATCHED) {
    const [r] = await db.sql.unsafe(`select count(*)::int as n from ${table}`);
    out[table] = r!.n as number;
  }
  // Jobs other than the practice's own (a nudge to the notifications, a checkpoint, …).
  const [j] = await db.sql`select count(*)::int as n from jobs where kind <> 'practice.advance'`;
  out.otherJobs = j!.n as number;
  return out;
}

const runJobsAt = async (ms: number) => {
  time.advance(ms);
  await server.jobs.runDue();
};

describe('a practice session', { timeout: 60_000 }, () => {
  it('is open to an unverified bidder, moves at the fast clock with the real rules, and writes to nothing but its own tables', async () => {
    const alice = await person();
    // Every other job parked a day out (the demo auctions' ends, the daily checkpoint, the
    // reconciliation): whatever moves now is the practice session's doing.
    await server.jobs.runDue();
    await db.sql`update jobs set run_at = run_at + interval '1 day' where status = 'pending' and kind <> 'practice.advance'`;
    const before = await counts();
    const practice = server.services.practice;

    const { sessionId, created } = await practice.start(alice.actor);
    expect(created).toBe(true);
    // Starting again while it runs opens the same session.
    expect(await practice.start(alice.actor)).toEqual({ sessionId, created: false });
    const opened = await practice.session(alice.actor, sessionId);
    expect(opened).toMatchObject({
      practice: true,
      status: 'live',
      startingPriceFen: String(START),
      incrementFen: String(INC),
      depositFen: '10000000',
      extensionMs: 30 * S,
      bidders: 3,
      can: { bid: true, startAgain: false },
    });
    const t0 = opened.startsAt;

    // The first scripted raise is due at 10% of the window (18 s): the job places it then.
    await runJobsAt(18 * S);
    let view = await practice.session(alice.actor, sessionId);
    expect(view.recentBids).toHaveLength(1);
    expect(view.recentBids[0]).toMatchObject({ amountFen: String(START), at: t0 + 18 * S });
    const scripted = view.recentBids[0]!.code;
    expect(scripted).not.toBe(view.code);

    // Her bid: the real grid (one fen off is refused), then accepted; a retry with its key is the same answer.
    time.advance(2 * S);
    const off = await practice.placeBid(alice.actor, sessionId, {
      amountFen: String(START + INC + 1n),
      clientKey: 'practice-key-0001',
    });
    expect(off).toEqual({ accepted: false, reason: 'bidding.offGrid' });
    const input = { amountFen: String(START + 2n * INC), clientKey: 'practice-key-0002' };
    const accepted = await practice.placeBid(alice.actor, sessionId, input);
    expect(accepted).toMatchObject({ accepted: true, extended: false, amountFen: String(START + 2n * INC) });
    expect(await practice.placeBid(alice.actor, sessionId, input)).toEqual(accepted);

    // Her proxy: below the next amount refused, as the real engine does; set, it answers the scripted raise.
    expect(
      (await caught(practice.setProxy(alice.actor, sessionId, { maxFen: '100' }))).details.fieldErrors,
    ).toEqual({
      maxFen: ['bidding.proxyTooLow'],
    });
    await practice.setProxy(alice.actor, sessionId, { maxFen: String(START + 4n * INC) });
    await runJobsAt(10 * S); // the scripted answer comes 10 s after her bid; her proxy meets it
    view = await practice.session(alice.actor, sessionId);
    expect(view.recentBids.slice(0, 2).map((b) => [b.code === view.code, b.source, b.amountFen])).toEqual([
      [true, 'proxy', String(START + 4n * INC)],
      [false, 'live', String(START + 3n * INC)],
    ]);

    // Left alone, it runs to its end with the scripted bidders outbidding her proxy.
    for (let i = 0; i < 40; i++) await runJobsAt(10 * S);
    view = await practice.session(alice.actor, sessionId);
    expect(view).toMatchObject({ status: 'ended', outcome: 'sold', can: { bid: false, startAgain: true } });
    expect(view.result?.kind).toBe('lost');
    expect(
      await practice.placeBid(alice.actor, sessionId, { amountFen: '1', clientKey: 'practice-key-0003' }),
    ).toEqual({
      accepted: false,
      reason: 'bidding.ended',
    });

    // Nothing outside the practice tables moved: no bid, log entry, ledger entry, outbox event,
    // notice, checkpoint, audit entry or job of any other kind.
    expect(await counts()).toEqual(before);
    const [logged] =
      await db.sql`select count(*)::int as n from practice_events where session_id = ${sessionId}`;
    expect(logged!.n).toBe(view.seq);
    // And a new one can start.
    expect((await practice.start(alice.actor)).created).toBe(true);
  });

  it('is its owner’s alone: another user’s id is not found by the service, the socket or its room', async () => {
    const alice = await person();
    const bob = await person();
    const clerk = (
      await server.services.identity.login(
        { email: 'clerk@demo.lastmile.test', password: DEMO_PASSWORD },
        { ip: '198.51.100.9', userAgent: 'vitest' },
      )
    ).token;
    const practice = server.services.practice;
    const { sessionId } = await practice.start(alice.actor);

    for (const call of [
      () => practice.session(bob.actor, sessionId),
      () => practice.placeBid(bob.actor, sessionId, { amountFen: String(START), clientKey: 'bob-key-00001' }),
      () => practice.setProxy(bob.actor, sessionId, { maxFen: String(START) }),
      () => practice.cancelProxy(bob.actor, sessionId),
      () => practice.eventsAfter(bob.actor, sessionId, 0),
    ])
      expect((await caught(call())).code).toBe('not_found');
    // Staff do not practise (a bidder's tool); nobody signed out does either.
    const clerkActor = (await server.services.identity.resolveSession(clerk))!.actor;
    expect((await caught(practice.start(clerkActor))).code).toBe('forbidden');
    expect((await caught(practice.start(null))).code).toBe('unauthenticated');
    // Bob's bid changed nothing of hers.
    expect((await practice.session(alice.actor, sessionId)).bidCount).toBe(0);

    const anon = await client(url());
    const bobs = await client(url(), bob.cookie);
    const alices = await client(url(), alice.cookie);
    const seenByBob: PracticeEventDto[][] = [];
    bobs.on('practice:events', (e) => seenByBob.push(e));

    const bid = { sessionId, amountFen: String(START), clientKey: 'socket-key-0001' };
    expect(await anon.emitWithAck('practice:watch', { sessionId })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(await anon.emitWithAck('practice:bid', bid)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    for (const ask of [
      () => bobs.emitWithAck('practice:watch', { sessionId }),
      () => bobs.emitWithAck('practice:resume', { sessionId, afterSeq: 0 }),
      () => bobs.emitWithAck('practice:bid', bid),
      () => bobs.emitWithAck('practice:proxySet', { sessionId, maxFen: String(START) }),
      () => bobs.emitWithAck('practice:proxyCancel', { sessionId }),
    ])
      expect(await ask()).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // The room is not joinable by name either.
    expect(await bobs.emitWithAck('room:join', { room: `practice:${sessionId}` })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    expect(await bobs.emitWithAck('practice:watch', { sessionId: 'not-a-uuid' })).toMatchObject({
      ok: false,
      error: { code: 'validation', fieldErrors: { sessionId: ['validation.sessionId'] } },
    });

    // Alice watches and bids over the socket: her room hears the entry, marked as practice.
    const watched = await alices.emitWithAck('practice:watch', { sessionId });
    expect(watched).toMatchObject({ ok: true, data: { sessionId, practice: true, seq: 0 } });
    const heard = new Promise<PracticeEventDto[]>((resolve) => alices.once('practice:events', resolve));
    const ack = await alices.emitWithAck('practice:bid', bid);
    expect(ack).toMatchObject({ ok: true, data: { accepted: true, seq: 1 } });
    const events = await heard;
    expect(events).toMatchObject([
      { sessionId, seq: 1, type: 'bid', payload: { practice: true, amountFen: String(START) } },
    ]);
    // Bob's socket, which asked for her session, heard nothing of it (the same emit reached hers).
    expect(seenByBob).toEqual([]);
    expect(await alices.emitWithAck('practice:resume', { sessionId, afterSeq: 0 })).toMatchObject({
      ok: true,
      data: { events: [{ seq: 1, type: 'bid' }] },
    });
  });

  it('survives a restart: a session whose end passed while the server was down ends where its schedule says', async () => {
    const carol = await person();
    const { sessionId } = await server.services.practice.start(carol.actor);
    const t0 = (await server.services.practice.session(carol.actor, sessionId)).startsAt;
    await server.close();
    time.advance(60 * 60 * S); // an hour later, no job ran
    server = await startServer({ config: config(), ui: 'none', clock: time.clock, jobs: 'manual' });

    const view = await server.services.practice.session(carol.actor, sessionId);
    // The five scheduled raises at 10/30/50/70/90% of the window; the last, in the final 30 s,
    // extended the end to its time + 30 s, and the session ended there (art. 20).
    expect(view.recentBids.map((b) => b.at - t0).reverse()).toEqual([18, 54, 90, 126, 162].map((s) => s * S));
    expect(view).toMatchObject({ status: 'ended', outcome: 'sold', extensionCount: 1, seq: 6 });
    expect(view.currentEndAt - t0).toBe(192 * S);
    expect(view.result).toMatchObject({ kind: 'lost', priceFen: String(START + 4n * INC) });
    // Its job, moved by that read, finds nothing left to do.
    await server.jobs.runDue();
    expect((await server.services.practice.session(carol.actor, sessionId)).seq).toBe(6);
    const [pending] = await db.sql`
      select count(*)::int as n from jobs where key = ${`practice:${sessionId}`} and status = 'pending'`;
    expect(pending!.n).toBe(0);
  });
});
