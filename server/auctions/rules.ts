/**
 * The auction rules of the Provisions on Online Judicial Auctions (法释〔2016〕18号, "art. N")
 * and the Provisions on Auction and Sale in Civil Enforcement. Pure functions: no database,
 * no clock of their own. Each check cites the article it enforces. Money is integer fen (bigint).
 */

import type { Listing, ListingStatus } from '../../db/schema/auctions.js';
import type { AssetType } from '../../db/schema/cases.js';
import type { RulesProfile } from './profile.js';

const MOVABLES: readonly AssetType[] = ['vehicle', 'machinery', 'other_movable'];

/** Movables vs real estate and other property rights: the law gives them different lead times. */
export const isMovable = (type: AssetType) => MOVABLES.includes(type);

/**
 * art. 19, 21: whose designation a bidder account may claim. Bidder accounts are people verified
 * by their resident ID; no account is verified as an organisation yet, so a purchaser designated
 * by credit code (or, before identities were recorded, by name only) can be claimed by nobody.
 */
export const isClaimableDesignation = (identityKind: 'person' | 'organisation' | null) =>
  identityKind === 'person';

/** art. 10: the starting price is at least 70% of the appraised value (first auction). */
export const minStartingPrice = (appraisalFen: bigint) => ceilDiv(appraisalFen * 70n, 100n);

/** art. 26: a re-auction may cut the previous starting price by at most 20%. */
export const minReauctionPrice = (previousStartFen: bigint) => ceilDiv(previousStartFen * 80n, 100n);

/** art. 17: the deposit is 5%-20% of the starting price. */
export const depositBounds = (startFen: bigint) => ({
  min: ceilDiv(startFen * 5n, 100n),
  max: (startFen * 20n) / 100n,
});

/**
 * The customary increment (local guidance, not a legal bound): about 2% of the start up to
 * ¥100,000, 1% up to ¥1,000,000, 0.5% above; rounded to two significant digits of whole yuan.
 */
export function suggestedIncrement(startFen: bigint): bigint {
  const permille = startFen <= 10_000_000n ? 20n : startFen <= 100_000_000n ? 10n : 5n;
  const raw = (startFen * permille) / 1000n;
  let yuan = raw / 100n;
  if (yuan < 1n) return 100n;
  const digits = yuan.toString().length;
  if (digits > 2) {
    const unit = 10n ** BigInt(digits - 2);
    yuan = ((yuan + unit / 2n) / unit) * unit;
  }
  return yuan * 100n;
}

export interface ListingTerms {
  assetType: AssetType;
  appraisalFen: bigint;
  startingPriceFen: bigint;
  depositFen: bigint;
  incrementFen: bigint;
  announceAt: Date;
  startsAt: Date;
  endsAt: Date;
  balanceDays: number;
}

export type RoundContext =
  | { kind: 'first' }
  | { kind: 'reauction'; previousStartFen: bigint; failedAt: Date }
  | { kind: 'fixed_price_sale'; priceFen: bigint };

/** Field → i18n keys (`rules.*`). Empty when the terms are lawful. */
export type RuleErrors = Record<string, string[]>;

export function checkListingTerms(t: ListingTerms, round: RoundContext, profile: RulesProfile): RuleErrors {
  const d = profile.durations;
  const errors: RuleErrors = {};
  const add = (field: string, key: string) => {
    errors[field] = [...(errors[field] ?? []), key];
  };
  const movable = isMovable(t.assetType);

  if (round.kind === 'first' && t.startingPriceFen < minStartingPrice(t.appraisalFen))
    add('startingPrice', 'rules.startBelow70'); // art. 10
  if (round.kind === 'reauction' && t.startingPriceFen < minReauctionPrice(round.previousStartFen))
    add('startingPrice', 'rules.reauctionCutOver20'); // art. 26
  if (round.kind === 'fixed_price_sale') {
    // 变卖: at the failed second auction's price, the full price as deposit, for 60 days.
    if (t.startingPriceFen !== round.priceFen) add('startingPrice', 'rules.fixedSalePrice');
    if (t.depositFen !== t.startingPriceFen) add('deposit', 'rules.fixedSaleDeposit');
    if (t.endsAt.getTime() - t.startsAt.getTime() !== d.fixedSaleWindow)
      add('endsAt', 'rules.fixedSaleWindow');
  } else {
    const { min, max } = depositBounds(t.startingPriceFen);
    if (t.depositFen < min || t.depositFen > max) add('deposit', 'rules.depositRange'); // art. 17
    if (t.endsAt.getTime() - t.startsAt.getTime() < d.biddingWindowMin) add('endsAt', 'rules.windowUnder24h'); // art. 20
  }
  if (t.startingPriceFen <= 0n) add('startingPrice', 'rules.positive');
  if (t.incrementFen <= 0n) add('increment', 'rules.positive');
  if (!Number.isInteger(t.balanceDays) || t.balanceDays < 1 || t.balanceDays > 90)
    add('balanceDays', 'rules.balanceDays');

  const lead = t.startsAt.getTime() - t.announceAt.getTime();
  if (round.kind === 'first' && lead < (movable ? d.announceLeadMovable : d.announceLeadProperty))
    add('startsAt', movable ? 'rules.announceLead15' : 'rules.announceLead30'); // art. 12
  if (round.kind === 'reauction') {
    if (lead < (movable ? d.reauctionLeadMovable : d.reauctionLeadProperty))
      add('startsAt', movable ? 'rules.reauctionLead7' : 'rules.reauctionLead15'); // art. 26
    if (t.announceAt.getTime() - round.failedAt.getTime() > d.reauctionWithin)
      add('announceAt', 'rules.reauctionWithin30'); // art. 26
  }
  if (round.kind === 'fixed_price_sale' && lead < 0) add('startsAt', 'rules.startBeforeAnnouncement');
  return errors;
}

/** A round of an asset's sale as far as the next round depends on it (one listing per round, ADR 005). */
export type ChainedRound = Pick<
  Listing,
  'kind' | 'round' | 'status' | 'outcome' | 'startingPriceFen' | 'endedAt' | 'updatedAt' | 'createdAt'
>;

export type NextRound<R extends ChainedRound> =
  | { previous: R | null; round: RoundContext; n: number; kind: Listing['kind'] }
  | { refusal: 'errors.assetHasActiveListing'; active: R }
  | { refusal: 'errors.assetSold' | 'errors.noFurtherRound' };

/**
 * The round a new listing of an asset would be, from its rounds so far: the first auction, the
 * re-auction (art. 26) or the fixed-price sale (变卖); or why there is none now (a round under
 * way, sold, or no round left).
 */
export function nextRoundOf<R extends ChainedRound>(rounds: readonly R[]): NextRound<R> {
  const chain = [...rounds].sort((a, b) => b.round - a.round || +b.createdAt - +a.createdAt);
  const active = chain.find((l) => l.status !== 'ended' && l.status !== 'withdrawn');
  if (active) return { refusal: 'errors.assetHasActiveListing', active };
  const last = chain.find((l) => l.status === 'ended');
  if (!last) return { previous: null, round: { kind: 'first' }, n: 1, kind: 'auction' };
  if (last.outcome === 'sold') return { refusal: 'errors.assetSold' };
  // A default (悔拍, art. 24) is re-auctioned like a failure, counted from the default.
  const failedAt = last.outcome === 'defaulted' ? last.updatedAt : last.endedAt!;
  if (last.kind === 'auction' && last.round === 1)
    return {
      previous: last,
      round: { kind: 'reauction', previousStartFen: last.startingPriceFen, failedAt },
      n: 2,
      kind: 'auction',
    };
  if (last.kind === 'auction' && last.round === 2)
    // After a failed second auction: the fixed-price sale (变卖) at that auction's price.
    return {
      previous: last,
      round: { kind: 'fixed_price_sale', priceFen: last.startingPriceFen },
      n: 3,
      kind: 'fixed_price_sale',
    };
  return { refusal: 'errors.noFurtherRound' };
}

/**
 * The listing lifecycle, one explicit state machine. Every status change goes through
 * `assertTransition`; the service writes the transition row and the audit entry in the same
 * transaction.
 */
export const TRANSITIONS: Readonly<Record<ListingStatus, readonly ListingStatus[]>> = {
  draft: ['pending_approval', 'withdrawn'],
  pending_approval: ['draft', 'announced', 'withdrawn'],
  announced: ['live', 'suspended', 'withdrawn'],
  live: ['ended', 'suspended', 'withdrawn'],
  suspended: ['announced', 'live', 'withdrawn'],
  ended: [],
  withdrawn: [],
};

export const canTransition = (from: ListingStatus, to: ListingStatus) => TRANSITIONS[from].includes(to);

/**
 * The status the court sees: `scheduled` for an approved listing whose announcement is still ahead
 * (its public page does not exist until then, art. 8), else the stored status.
 */
export type CourtListingStatus = ListingStatus | 'scheduled';
export const courtStatusOf = (
  l: { status: ListingStatus; announceAt: Date },
  now: Date,
): CourtListingStatus => (l.status === 'announced' && l.announceAt > now ? 'scheduled' : l.status);

/** What the public sees: upcoming / live / ended (sold or failed) and the rest. */
export type PublicStatus = 'upcoming' | 'live' | 'suspended' | 'sold' | 'failed' | 'defaulted' | 'withdrawn';

export function publicStatus(
  status: ListingStatus,
  outcome: 'sold' | 'failed' | 'defaulted' | null,
): PublicStatus | null {
  switch (status) {
    case 'announced':
      return 'upcoming';
    case 'live':
    case 'suspended':
    case 'withdrawn':
      return status;
    case 'ended':
      return outcome ?? 'failed';
    default:
      return null; // drafts are not public
  }
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

// ---------------------------------------------------------------- bidding (art. 19-21)

/** Who leads and at what price; null before the first bid. */
export interface Standing {
  priceFen: bigint;
  registrationId: string;
  /** The leader's priority rank (1 = highest), or null for an ordinary bidder. */
  priorityRank: number | null;
}

export interface BidTerms {
  startingPriceFen: bigint;
  incrementFen: bigint;
}

export type BidRefusal =
  | 'bidding.belowStart'
  | 'bidding.offGrid'
  | 'bidding.notAbove'
  | 'bidding.selfOutbid'
  | 'bidding.priorityNotHigher';

/**
 * Whether `amountFen` from this bidder is a valid bid against the standing. The grid: the first
 * bid is the starting price plus a whole number of increments (it may equal the start, art.
 * 11); each later bid is the current price plus a whole number (>= 1) of increments. A bidder
 * cannot outbid himself. A priority purchaser (art. 19, 21) may bid EQUAL to the current price
 * and then leads, if his rank is higher than the leader's (an ordinary leader has no rank); at
 * the same rank the earlier bid stands.
 */
export function checkBid(
  terms: BidTerms,
  standing: Standing | null,
  bidder: { registrationId: string; priorityRank: number | null },
  amountFen: bigint,
): BidRefusal | null {
  if (!standing) {
    if (amountFen < terms.startingPriceFen) return 'bidding.belowStart';
    return (amountFen - terms.startingPriceFen) % terms.incrementFen === 0n ? null : 'bidding.offGrid';
  }
  if (standing.registrationId === bidder.registrationId) return 'bidding.selfOutbid';
  if (amountFen === standing.priceFen && bidder.priorityRank !== null) {
    return outranks(bidder.priorityRank, standing.priorityRank) ? null : 'bidding.priorityNotHigher';
  }
  if (amountFen <= standing.priceFen) return 'bidding.notAbove';
  return (amountFen - standing.priceFen) % terms.incrementFen === 0n ? null : 'bidding.offGrid';
}

/** Rank 1 is the highest; any rank beats an ordinary bidder (null); equal ranks do not. */
export function outranks(rank: number, other: number | null): boolean {
  return other === null || rank < other;
}

/**
 * Art. 20: a bid in the last five minutes moves the end to the bid's time plus five minutes
 * (repeatedly, without cap). Returns the new end, or null when the bid leaves the end alone.
 * The caller has already refused a bid at or after the current end.
 */
export function extendedEnd(bidAt: Date, currentEndAt: Date, extensionMs: number): Date | null {
  const candidate = bidAt.getTime() + extensionMs;
  return candidate > currentEndAt.getTime() ? new Date(candidate) : null;
}

/** Art. 20: bidding is over for a bid received at or after the current end (the server's clock decides). */
export const isPastEnd = (at: Date, currentEndAt: Date) => at.getTime() >= currentEndAt.getTime();

/**
 * Art. 20: a bid's time is when it reached the server, kept monotonic along the auction's log: a
 * bid decided after a later entry (it waited behind another) is stamped with that entry's time.
 */
export const bidStamp = (lastEventAt: Date | null, receivedAt: Date) =>
  lastEventAt && lastEventAt > receivedAt ? lastEventAt : receivedAt;

/** The lowest valid amount for an ordinary bidder: the start before any bid, else one increment up. */
export const nextValidAmount = (terms: BidTerms, standing: Standing | null) =>
  standing ? standing.priceFen + terms.incrementFen : terms.startingPriceFen;

/** The lowest valid amounts for an ordinary bidder: what the page offers to click. */
export function nextAmounts(terms: BidTerms, standing: Standing | null, count = 3): bigint[] {
  const base = nextValidAmount(terms, standing);
  return Array.from({ length: count }, (_, i) => base + BigInt(i) * terms.incrementFen);
}

/**
 * The lowest maximum a proxy order may be set to: what the bidder would have to bid next, or
 * the current price when he already leads (his proxy then only defends it).
 */
export const proxyFloor = (terms: BidTerms, standing: Standing | null, registrationId: string) =>
  standing?.registrationId === registrationId ? standing.priceFen : nextValidAmount(terms, standing);

/**
 * The proxies' next step (ADR 008): the earliest proxy (in `proxies` order) other than the
 * leader whose maximum reaches the next valid amount bids exactly that amount; null when none
 * can. Applied until it returns null, every step a real bid, so prices rise and the loop ends.
 */
export function proxyStep<P extends { registrationId: string; maxFen: bigint }>(
  terms: BidTerms,
  standing: Standing | null,
  proxies: readonly P[],
): { proxy: P; amountFen: bigint } | null {
  const amountFen = nextValidAmount(terms, standing);
  const proxy = proxies.find((p) => p.registrationId !== standing?.registrationId && p.maxFen >= amountFen);
  return proxy ? { proxy, amountFen } : null;
}
