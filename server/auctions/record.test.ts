import { describe, expect, it } from 'vitest';
import {
  type BidRow,
  CLOSING_FIELDS,
  compareBids,
  compareStanding,
  type LogEntry,
  loggedBid,
  standingOfLog,
  type TableStanding,
  tailOf,
} from './record';

const T0 = Date.parse('2026-03-01T02:00:00.000Z');
const END = '2026-03-02T02:00:00.000Z';
const iso = (ms: number) => new Date(ms).toISOString();

const status = (seq: number, to: string, outcome: string | null = null, currentEndAt = END): LogEntry => ({
  seq,
  type: 'status',
  at: new Date(T0 + seq),
  payload: { from: 'x', to, outcome, currentEndAt, reason: null },
  hash: `h${seq}`,
});
const bid = (seq: number, code: string, amountFen: string, more: Record<string, unknown> = {}): LogEntry => ({
  seq,
  type: 'bid',
  at: new Date(T0 + seq),
  payload: {
    code,
    amountFen,
    priorityRank: null,
    source: 'live',
    currentEndAt: END,
    extended: false,
    extensionCount: 0,
    ...more,
  },
  hash: `h${seq}`,
});
const rowOf = (e: LogEntry): BidRow => ({
  seq: e.seq,
  code: String(e.payload.code),
  registrationCode: String(e.payload.code),
  amountFen: BigInt(String(e.payload.amountFen)),
  at: e.at,
  source: String(e.payload.source),
  priorityRank: (e.payload.priorityRank as number | null) ?? null,
  extendedTo: e.payload.extended ? new Date(String(e.payload.currentEndAt)) : null,
});

// announced, live, A 700000, B 707000 (extends the end), A 714000 (a priority purchaser).
const EXTENDED = iso(Date.parse(END) + 60_000);
const log: LogEntry[] = [
  status(1, 'announced'),
  status(2, 'live'),
  bid(3, 'A', '70000000'),
  bid(4, 'B', '70700000', { extended: true, currentEndAt: EXTENDED, extensionCount: 1 }),
  bid(5, 'P', '70700000', { priorityRank: 1, currentEndAt: EXTENDED, extensionCount: 1, source: 'proxy' }),
];
const table: TableStanding = {
  currentPriceFen: 70_700_000n,
  leaderCode: 'P',
  leaderPriorityRank: 1,
  bidCount: 3,
  extensionCount: 1,
  currentEndAt: new Date(EXTENDED),
  lastSeq: 5,
  lastHash: 'h5',
  status: 'live',
  outcome: null,
};

describe('the standing the log implies', () => {
  it('the last bid leads; counts, the end and the head follow the entries', () => {
    expect(standingOfLog(tailOf(log))).toEqual({
      currentPriceFen: 70_700_000n,
      leaderCode: 'P',
      leaderPriorityRank: 1,
      bidCount: 3,
      extensionCount: 1,
      currentEndAt: new Date(EXTENDED),
      lastSeq: 5,
      lastHash: 'h5',
      status: 'live',
      outcome: null,
    });
  });

  it('a resumption after the last bid moves the end; an empty log says nothing of end or status', () => {
    const resumed = [...log, status(6, 'suspended', null, EXTENDED), status(7, 'live', null, iso(T0 + 9e7))];
    expect(standingOfLog(tailOf(resumed))).toMatchObject({
      bidCount: 3,
      currentEndAt: new Date(T0 + 9e7),
      lastSeq: 7,
      status: 'live',
    });
    expect(standingOfLog(tailOf([]))).toEqual({
      currentPriceFen: null,
      leaderCode: null,
      leaderPriorityRank: null,
      bidCount: 0,
      extensionCount: 0,
      currentEndAt: undefined,
      lastSeq: 0,
      lastHash: null,
      status: undefined,
      outcome: undefined,
    });
  });

  it('an unreadable payload reads as null, never as a number it does not hold', () => {
    expect(loggedBid(bid(3, 'A', '7e7'))).toMatchObject({ amountFen: null, code: 'A' });
    expect(loggedBid({ seq: 3, at: new Date(T0), payload: {} })).toMatchObject({
      code: null,
      amountFen: null,
      currentEndAt: null,
      extensionCount: null,
    });
  });
});

describe('the listing against the log', () => {
  it('agrees when every column is the log’s', () => {
    expect(compareStanding(standingOfLog(tailOf(log)), table)).toEqual([]);
  });

  it('names every column that differs, with the log’s value and the table’s', () => {
    const altered = {
      ...table,
      currentPriceFen: 1n,
      leaderCode: 'B',
      currentEndAt: new Date(END),
      bidCount: 9,
      lastSeq: 4,
    };
    expect(compareStanding(standingOfLog(tailOf(log)), altered)).toEqual([
      { where: 'listing', kind: 'differs', field: 'currentPriceFen', log: '70700000', table: '1' },
      { where: 'listing', kind: 'differs', field: 'leaderCode', log: 'P', table: 'B' },
      { where: 'listing', kind: 'differs', field: 'bidCount', log: '3', table: '9' },
      { where: 'listing', kind: 'differs', field: 'currentEndAt', log: EXTENDED, table: END },
      { where: 'listing', kind: 'differs', field: 'lastSeq', log: '5', table: '4' },
    ]);
  });

  it('a sold auction may turn defaulted after the log’s end (art. 24); failed may not', () => {
    const ended = standingOfLog(tailOf([...log, status(6, 'ended', 'sold', EXTENDED)]));
    const at = { ...table, status: 'ended', lastSeq: 6, lastHash: 'h6' };
    expect(compareStanding(ended, { ...at, outcome: 'defaulted' })).toEqual([]);
    expect(compareStanding(ended, { ...at, outcome: 'failed' })).toEqual([
      { where: 'listing', kind: 'differs', field: 'outcome', log: 'sold', table: 'failed' },
    ]);
  });

  it('the close compares only what settles: price, leader and the log head', () => {
    const altered = { ...table, currentPriceFen: 1n, bidCount: 9, currentEndAt: new Date(T0) };
    expect(compareStanding(standingOfLog(tailOf(log)), altered, CLOSING_FIELDS)).toEqual([
      { where: 'listing', kind: 'differs', field: 'currentPriceFen', log: '70700000', table: '1' },
    ]);
  });
});

describe('the bids table against the log', () => {
  const logged = log.filter((e) => e.type === 'bid').map(loggedBid);
  const rows = log.filter((e) => e.type === 'bid').map(rowOf);

  it('agrees row for row', () => {
    expect(compareBids(logged, rows)).toEqual([]);
  });

  it('says which row is missing, extra or different, and in which column', () => {
    const [a, b, p] = rows as [BidRow, BidRow, BidRow];
    const changed: BidRow[] = [
      { ...b, amountFen: 1n, registrationCode: 'A' },
      { ...p, extendedTo: new Date(T0) },
      { ...a, seq: 2 }, // a bid row at the seq of a status entry
    ];
    expect(compareBids(logged, changed)).toEqual([
      { where: 'bids', seq: 2, kind: 'extra', code: 'A', amountFen: '70000000' },
      { where: 'bids', seq: 3, kind: 'missing', code: 'A', amountFen: '70000000' },
      { where: 'bids', seq: 4, kind: 'differs', field: 'registrationCode', log: 'B', table: 'A' },
      { where: 'bids', seq: 4, kind: 'differs', field: 'amountFen', log: '70700000', table: '1' },
      { where: 'bids', seq: 5, kind: 'differs', field: 'extendedTo', log: null, table: iso(T0) },
    ]);
  });
});
