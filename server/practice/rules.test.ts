import { describe, expect, it } from 'vitest';
import { rulesProfile } from '../auctions/profile';
import { cancelProxy, catchUp, nextDueAt, type PracticeState, placeBid, setProxy } from './engine';
import {
  MOVE_SHARES,
  nextScriptedBid,
  PRACTICE_START_FEN,
  practiceClock,
  practiceTerms,
  resultOf,
  scriptFor,
} from './rules';

// A practice session at the default clock: a 3-minute window, art. 20's five minutes at a
// tenth (30 s), scripted answers after 10 s. Start ¥1,000,000, increment ¥10,000.
const S = 1_000;
const clock = practiceClock(180 * S, rulesProfile('accelerated', 10).durations.extension);
const terms = practiceTerms();
const INC = terms.incrementFen;
const START = terms.startingPriceFen;
const t0 = new Date('2026-12-01T02:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function session(overrides: Partial<PracticeState> = {}): PracticeState {
  return {
    ...terms,
    code: 'ME01',
    startsAt: t0,
    currentEndAt: at(clock.windowMs),
    extensionMs: clock.extensionMs,
    reactionMs: clock.reactionMs,
    script: scriptFor(terms, clock, ['AAAA', 'BBBB']),
    priceFen: null,
    leaderCode: null,
    lastEventAt: null,
    status: 'live',
    outcome: null,
    bidCount: 0,
    extensionCount: 0,
    lastSeq: 0,
    proxyMaxFen: null,
    endedAt: null,
    ...overrides,
  };
}

describe('the practice clock and lot', () => {
  it('scales art. 20’s five minutes by the factor; answers come within the extension', () => {
    expect(clock).toEqual({ windowMs: 180_000, extensionMs: 30_000, reactionMs: 10_000 });
    expect(practiceClock(45 * S, 15 * S).reactionMs).toBe(5_000);
  });

  it('refuses a window that cannot hold two extensions', () => {
    expect(() => practiceClock(59_999, 30_000)).toThrow();
    expect(() => practiceClock(60_000, 30_000)).not.toThrow();
  });

  it('the lot: ¥1,000,000 start, the customary 1% increment, a 10% deposit (art. 17)', () => {
    expect(terms).toEqual({
      startingPriceFen: PRACTICE_START_FEN,
      incrementFen: 1_000_000n,
      depositFen: 10_000_000n,
    });
  });

  it('two scripted bidders stop at 6 and 10 increments above the start, jittered by at most 2', () => {
    const plain = scriptFor(terms, clock, ['AAAA', 'BBBB']);
    expect(plain.bidders.map((b) => b.maxFen)).toEqual([START + 6n * INC, START + 10n * INC]);
    expect(plain.moves).toEqual(MOVE_SHARES.map((s) => Math.round(s * 180_000)));
    const jittered = scriptFor(terms, clock, ['AAAA', 'BBBB'], [9, -3]);
    expect(jittered.bidders.map((b) => b.maxFen)).toEqual([START + 8n * INC, START + 10n * INC]);
  });
});

describe('the scripted bidders’ schedule', () => {
  it('opens at the first move with the starting price', () => {
    expect(nextScriptedBid(session())).toEqual({ code: 'AAAA', amountFen: START, at: at(18 * S) });
  });

  it('a move exactly at the start counts', () => {
    const s = session({ script: { ...session().script, moves: [0, 50 * S] } });
    expect(nextScriptedBid(s)?.at).toEqual(t0);
  });

  it('while a scripted bidder leads, the other raises one increment at the next move after the last bid', () => {
    const s = session({ priceFen: START, leaderCode: 'AAAA', lastEventAt: at(18 * S) });
    expect(nextScriptedBid(s)).toEqual({ code: 'BBBB', amountFen: START + INC, at: at(54 * S) });
    // A bid exactly at a move's time: that move is spent, the next one comes.
    const onMove = session({ priceFen: START, leaderCode: 'AAAA', lastEventAt: at(54 * S) });
    expect(nextScriptedBid(onMove)?.at).toEqual(at(90 * S));
  });

  it('answers the user reactionMs after his bid, whatever the schedule says', () => {
    const s = session({ priceFen: START + 2n * INC, leaderCode: 'ME01', lastEventAt: at(20 * S) });
    expect(nextScriptedBid(s)).toEqual({ code: 'AAAA', amountFen: START + 3n * INC, at: at(30 * S) });
  });

  it('a bidder at his maximum stops; the other goes on to his; then nobody answers', () => {
    const atSix = START + 6n * INC;
    expect(
      nextScriptedBid(session({ priceFen: atSix - INC, leaderCode: 'ME01', lastEventAt: at(S) }))?.code,
    ).toBe('AAAA');
    // One increment more is beyond AAAA's maximum (6 increments): BBBB answers.
    expect(nextScriptedBid(session({ priceFen: atSix, leaderCode: 'ME01', lastEventAt: at(S) }))?.code).toBe(
      'BBBB',
    );
    expect(
      nextScriptedBid(session({ priceFen: START + 10n * INC, leaderCode: 'ME01', lastEventAt: at(S) })),
    ).toBeNull();
  });

  it('no move left after the last bid: the scripted bidders wait for the user', () => {
    const s = session({ priceFen: START, leaderCode: 'AAAA', lastEventAt: at(162 * S) });
    expect(nextScriptedBid(s)).toBeNull();
  });

  it('never at or after the current end (art. 20): an answer due 1 ms before it comes, one due at it does not', () => {
    const bidAt = 150 * S;
    const lead = { priceFen: START, leaderCode: 'ME01', lastEventAt: at(bidAt) };
    expect(nextScriptedBid(session({ ...lead, currentEndAt: at(bidAt + clock.reactionMs + 1) }))?.at).toEqual(
      at(bidAt + clock.reactionMs),
    );
    expect(nextScriptedBid(session({ ...lead, currentEndAt: at(bidAt + clock.reactionMs) }))).toBeNull();
  });
});

describe('the fast clock’s extension (art. 20 at a tenth: 30 s) at its edges', () => {
  const end = clock.windowMs;
  const quiet = (o: Partial<PracticeState> = {}) =>
    // A session where the scripted bidders are spent: only the user's bids move the end.
    session({ script: { moves: [], bidders: [] }, ...o });

  it('a bid exactly 30 s before the end leaves it; 1 ms later it moves the end to the bid + 30 s', () => {
    const a = placeBid(quiet(), START, at(end - 30 * S));
    expect(a.answer).toMatchObject({ accepted: true, extended: false });
    expect(a.state.currentEndAt).toEqual(at(end));
    const b = placeBid(quiet(), START, at(end - 30 * S + 1));
    expect(b.answer).toMatchObject({ accepted: true, extended: true });
    expect(b.state.currentEndAt).toEqual(at(end + 1));
    expect(b.state.extensionCount).toBe(1);
  });

  it('a bid 1 ms before the end is accepted and extends; one at the end is refused and the session ends', () => {
    const last = placeBid(quiet(), START, at(end - 1));
    expect(last.answer).toMatchObject({
      accepted: true,
      extended: true,
      currentEndAt: at(end - 1 + 30 * S).toISOString(),
    });
    const late = placeBid(quiet(), START, at(end));
    expect(late.answer).toEqual({ accepted: false, reason: 'bidding.ended' });
    expect(late.state).toMatchObject({ status: 'ended', outcome: 'failed', endedAt: at(end) });
    expect(late.events.map((e) => e.type)).toEqual(['status']);
  });

  it('extends again without cap: each bid in the last 30 s moves the end to its own time + 30 s', () => {
    let s = quiet();
    s = placeBid(s, START, at(end - S)).state;
    expect(s.currentEndAt).toEqual(at(end + 29 * S));
    s = { ...s, leaderCode: 'AAAA' }; // someone else leads now
    s = placeBid(s, START + INC, at(end + 28 * S)).state;
    expect(s.currentEndAt).toEqual(at(end + 58 * S));
    expect(s.extensionCount).toBe(2);
  });

  it('a scripted answer to a bid in the last stretch lands before that end and extends it again', () => {
    const bidAt = end - 5 * S;
    const afterBid = placeBid(
      session({ priceFen: START, leaderCode: 'AAAA', lastEventAt: at(162 * S) }),
      START + INC,
      at(bidAt),
    );
    expect(afterBid.state.currentEndAt).toEqual(at(bidAt + 30 * S));
    const answered = catchUp(afterBid.state, at(bidAt + clock.reactionMs));
    expect(answered.events).toHaveLength(1);
    expect(answered.events[0]).toMatchObject({
      at: at(bidAt + clock.reactionMs),
      payload: { code: 'AAAA', extended: true },
    });
    expect(answered.state.currentEndAt).toEqual(at(bidAt + clock.reactionMs + 30 * S));
  });
});

describe('the practice engine', () => {
  it('a session left alone ends at its end with the schedule’s bids, exactly as if watched', () => {
    const { state, events } = catchUp(session(), at(10 * 60 * S));
    // Five moves, alternating, each one increment up; the one at 162 s (in the last 30 s) extends.
    const bids = events.filter((e) => e.type === 'bid');
    expect(bids.map((e) => [e.payload.code, e.payload.amountFen])).toEqual([
      ['AAAA', String(START)],
      ['BBBB', String(START + INC)],
      ['AAAA', String(START + 2n * INC)],
      ['BBBB', String(START + 3n * INC)],
      ['AAAA', String(START + 4n * INC)],
    ]);
    expect(bids.at(-1)?.payload.extended).toBe(true);
    expect(state).toMatchObject({ status: 'ended', outcome: 'sold', leaderCode: 'AAAA', extensionCount: 1 });
    expect(state.endedAt).toEqual(at(162 * S + 30 * S));
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    // Step by step gives the same log.
    let s = session();
    const stepwise = [];
    for (let ms = 0; ms <= 10 * 60 * S; ms += 7 * S) {
      const r = catchUp(s, at(ms));
      s = r.state;
      stepwise.push(...r.events);
    }
    expect(stepwise).toEqual(events);
  });

  it('a scripted bid due before the user’s arrival is decided first: his stale amount is refused', () => {
    const r = placeBid(session(), START, at(18 * S + 1));
    expect(r.events[0]?.payload.code).toBe('AAAA');
    expect(r.answer).toEqual({ accepted: false, reason: 'bidding.notAbove' });
  });

  it('the real rules refuse an off-grid amount and outbidding oneself', () => {
    expect(placeBid(session(), START + 1n, at(S)).answer).toEqual({
      accepted: false,
      reason: 'bidding.offGrid',
    });
    const mine = placeBid(session(), START, at(S)).state;
    expect(placeBid(mine, START + INC, at(2 * S)).answer).toEqual({
      accepted: false,
      reason: 'bidding.selfOutbid',
    });
  });

  it('his proxy answers each scripted raise at its instant until its maximum', () => {
    const set = setProxy(session(), START + 3n * INC, at(S));
    expect(set.refusal).toBeNull();
    expect(set.bidsPlaced).toBe(1); // he did not lead: his proxy opens at the start
    const later = catchUp(set.state, at(10 * 60 * S));
    const codes = later.events.filter((e) => e.type === 'bid').map((e) => [e.payload.code, e.payload.source]);
    // AAAA answers 10 s later and his proxy meets it at once; at start + 3 increments (its
    // maximum reached by AAAA) it stops, and the schedule goes on without him.
    expect(codes.slice(0, 4)).toEqual([
      ['AAAA', 'live'],
      ['ME01', 'proxy'],
      ['AAAA', 'live'],
      ['BBBB', 'live'],
    ]);
    expect(later.events.slice(0, 2).map((e) => [e.at, e.payload.amountFen])).toEqual([
      [at(11 * S), String(START + INC)],
      [at(11 * S), String(START + 2n * INC)],
    ]);
    expect(setProxy(session(), START - 1n, at(S)).refusal?.details.fieldErrors).toEqual({
      maxFen: ['bidding.proxyTooLow'],
    });
    expect(cancelProxy(set.state, at(2 * S)).state.proxyMaxFen).toBeNull();
  });

  it('says when it next changes by itself: the next scripted bid, else the end; nothing once ended', () => {
    expect(nextDueAt(session())).toEqual(at(18 * S));
    expect(nextDueAt(session({ script: { moves: [], bidders: [] } }))).toEqual(at(180 * S));
    expect(nextDueAt(catchUp(session(), at(10 * 60 * S)).state)).toBeNull();
  });

  it('the result: won with the balance after the deposit (art. 23), lost to a code, or no bid', () => {
    const base = { ...terms, status: 'ended' as const, code: 'ME01' };
    expect(resultOf({ ...base, leaderCode: 'ME01', priceFen: START + 11n * INC })).toEqual({
      kind: 'won',
      priceFen: START + 11n * INC,
      depositFen: terms.depositFen,
      balanceFen: START + 11n * INC - terms.depositFen,
    });
    expect(resultOf({ ...base, leaderCode: 'BBBB', priceFen: START })).toMatchObject({
      kind: 'lost',
      winnerCode: 'BBBB',
    });
    expect(resultOf({ ...base, leaderCode: null, priceFen: null })).toEqual({
      kind: 'failed',
      startingPriceFen: START,
    });
    expect(resultOf({ ...base, status: 'live', leaderCode: null, priceFen: null })).toBeNull();
  });
});
