/**
 * One record (issue 15, ADR 013): the auction's hash-chained log (chain.ts) is the reference for
 * everything public about bidding. The `bids` table and the listing's standing columns are the
 * engine's working set; what the public sees is read from the log (the snapshot, the
 * confirmation, the settlement's winner and price), and `/auctions/:id/chain` compares both
 * tables with the log and says where they differ. Pure: the callers read the rows.
 */

/** A bid as its log entry records it (the payload written by `accept`, bidding-engine.ts). */
export interface LoggedBid {
  seq: number;
  at: Date;
  code: string | null;
  /** Null when the payload does not hold a whole number of fen (a rewritten entry). */
  amountFen: bigint | null;
  priorityRank: number | null;
  source: string | null;
  /** The end after this bid (art. 20). */
  currentEndAt: Date | null;
  extended: boolean;
  extensionCount: number | null;
}

/** Any entry of the log, as stored. */
export interface LogEntry {
  seq: number;
  type: string;
  at: Date;
  payload: Record<string, unknown>;
  hash: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : null);
const fen = (v: unknown) => (typeof v === 'string' && /^\d{1,18}$/.test(v) ? BigInt(v) : null);
const date = (v: unknown) => {
  const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isFinite(ms) ? new Date(ms) : null;
};

export function loggedBid(e: Pick<LogEntry, 'seq' | 'at' | 'payload'>): LoggedBid {
  const p = e.payload;
  return {
    seq: e.seq,
    at: e.at,
    code: str(p.code),
    amountFen: fen(p.amountFen),
    priorityRank: int(p.priorityRank),
    source: str(p.source),
    currentEndAt: date(p.currentEndAt),
    extended: p.extended === true,
    extensionCount: int(p.extensionCount),
  };
}

/**
 * What the standing follows from: the last entry, the newest bid and the status entries. A
 * whole chain gives it (`tailOf`), and so do the few entries the snapshot reads.
 */
export interface LogTail {
  last: LogEntry | null;
  newestBid: LoggedBid | null;
  /** Every status entry, in order (an auction has a handful). */
  statuses: ReadonlyArray<Pick<LogEntry, 'seq' | 'payload'>>;
}

export function tailOf(entries: readonly LogEntry[]): LogTail {
  const bids = entries.filter((e) => e.type === 'bid');
  const last = bids.at(-1);
  return {
    last: entries.at(-1) ?? null,
    newestBid: last ? loggedBid(last) : null,
    statuses: entries.filter((e) => e.type !== 'bid'),
  };
}

/** The standing the log implies. `undefined`: the log says nothing about it (no entry yet). */
export interface LoggedStanding {
  currentPriceFen: bigint | null;
  leaderCode: string | null;
  leaderPriorityRank: number | null;
  bidCount: number;
  extensionCount: number | null;
  currentEndAt: Date | null | undefined;
  lastSeq: number;
  lastHash: string | null;
  status: string | null | undefined;
  outcome: string | null | undefined;
}

export function standingOfLog(t: LogTail): LoggedStanding {
  const status = t.statuses.at(-1);
  return {
    // The last accepted bid leads (the engine accepts only a bid that takes the lead, art. 20-21).
    currentPriceFen: t.newestBid?.amountFen ?? null,
    leaderCode: t.newestBid?.code ?? null,
    leaderPriorityRank: t.newestBid?.priorityRank ?? null,
    // Sequence numbers run 1, 2, 3 … over bids and status changes alike.
    bidCount: t.last ? t.last.seq - t.statuses.length : 0,
    extensionCount: t.newestBid ? t.newestBid.extensionCount : 0,
    // Every entry carries the end after it: a bid's extension, a resumption's new end.
    currentEndAt: t.last ? date(t.last.payload.currentEndAt) : undefined,
    lastSeq: t.last?.seq ?? 0,
    lastHash: t.last?.hash ?? null,
    status: status ? str(status.payload.to) : undefined,
    outcome: status ? str(status.payload.outcome) : undefined,
  };
}

/** The listing's columns, with the leader's registration resolved to its code ('?' when it has none here). */
export interface TableStanding {
  currentPriceFen: bigint | null;
  leaderCode: string | null;
  leaderPriorityRank: number | null;
  bidCount: number;
  extensionCount: number;
  currentEndAt: Date;
  lastSeq: number;
  lastHash: string | null;
  status: string;
  outcome: string | null;
}

export type StandingField = keyof TableStanding;
export const STANDING_FIELDS: readonly StandingField[] = [
  'currentPriceFen',
  'leaderCode',
  'leaderPriorityRank',
  'bidCount',
  'extensionCount',
  'currentEndAt',
  'lastSeq',
  'lastHash',
  'status',
  'outcome',
];

/** A row of the `bids` table, with its registration's code. */
export interface BidRow {
  seq: number;
  code: string;
  registrationCode: string | null;
  amountFen: bigint;
  at: Date;
  source: string;
  priorityRank: number | null;
  extendedTo: Date | null;
}

export type BidField =
  | 'code'
  | 'registrationCode'
  | 'amountFen'
  | 'at'
  | 'source'
  | 'priorityRank'
  | 'extendedTo';

/**
 * Where a table and the log differ. Values are text: fen as digits, times ISO 8601.
 * - a bid row `missing` (the log has the bid, the table not) or `extra` (the table has a row
 *   at a seq where the log has no bid), with its code and amount from the side that has it;
 * - a bid row whose `field` `differs` from its entry;
 * - a column of the listing's standing that `differs` from what the log implies.
 */
export type RecordDifference =
  | { where: 'bids'; seq: number; kind: 'missing' | 'extra'; code: string | null; amountFen: string | null }
  | { where: 'bids'; seq: number; kind: 'differs'; field: BidField; log: string | null; table: string | null }
  | { where: 'listing'; kind: 'differs'; field: StandingField; log: string | null; table: string | null };

type BidDifference = Extract<RecordDifference, { where: 'bids' }>;

const text = (v: bigint | number | string | Date | null): string | null =>
  v === null ? null : v instanceof Date ? v.toISOString() : String(v);

/** Every bid entry against the row of the same seq: rows missing, extra or different. */
export function compareBids(logged: readonly LoggedBid[], rows: readonly BidRow[]): BidDifference[] {
  const out: BidDifference[] = [];
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  const loggedSeqs = new Set(logged.map((b) => b.seq));
  for (const b of logged) {
    const r = bySeq.get(b.seq);
    if (!r) {
      out.push({ where: 'bids', seq: b.seq, kind: 'missing', code: b.code, amountFen: text(b.amountFen) });
      continue;
    }
    const pairs: Array<
      [BidField, bigint | number | string | Date | null, bigint | number | string | Date | null]
    > = [
      ['code', b.code, r.code],
      // The row's registration must be the one the log's code names (codes are unique per listing).
      ['registrationCode', b.code, r.registrationCode],
      ['amountFen', b.amountFen, r.amountFen],
      ['at', b.at, r.at],
      ['source', b.source, r.source],
      ['priorityRank', b.priorityRank, r.priorityRank],
      ['extendedTo', b.extended ? b.currentEndAt : null, r.extendedTo],
    ];
    for (const [field, l, t] of pairs)
      if (text(l) !== text(t))
        out.push({ where: 'bids', seq: b.seq, kind: 'differs', field, log: text(l), table: text(t) });
  }
  for (const r of rows)
    if (!loggedSeqs.has(r.seq))
      out.push({ where: 'bids', seq: r.seq, kind: 'extra', code: r.code, amountFen: text(r.amountFen) });
  return out.sort((a, b) => a.seq - b.seq);
}

/**
 * The listing's columns against the standing the log implies, for `fields` (all by default).
 * A field the log says nothing about yet is not compared.
 */
export function compareStanding(
  log: Partial<LoggedStanding>,
  table: TableStanding,
  fields: readonly StandingField[] = STANDING_FIELDS,
): RecordDifference[] {
  const out: RecordDifference[] = [];
  for (const field of fields) {
    const l = log[field];
    if (l === undefined) continue;
    const t = table[field];
    // Art. 24: a sold auction's winner who does not pay turns it `defaulted`, after the log's end.
    if (field === 'outcome' && l === 'sold' && t === 'defaulted') continue;
    if (text(l) !== text(t))
      out.push({ where: 'listing', kind: 'differs', field, log: text(l), table: text(t) });
  }
  return out;
}

/** What the close compares before it settles: the winner and the price, and that the log is the row's. */
export const CLOSING_FIELDS: readonly StandingField[] = [
  'currentPriceFen',
  'leaderCode',
  'lastSeq',
  'lastHash',
];
