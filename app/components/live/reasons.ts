/**
 * The engine's refusals (server/auctions/bidding.ts `BidAnswer`, rules.ts `BidRefusal`) and
 * the proxy's; each is a message in app/i18n/bidding.*.json. The route's answer in the query
 * string (`?bid=…`, `?proxy=…`) is checked against this list, so a link cannot make the page
 * print an arbitrary catalog key.
 */
export const BID_REASONS = [
  'bidding.belowStart',
  'bidding.offGrid',
  'bidding.notAbove',
  'bidding.selfOutbid',
  'bidding.priorityNotHigher',
  'bidding.notRegistered',
  'bidding.depositNotHeld',
  'bidding.notLive',
  'bidding.ended',
  'bidding.proxyTooLow',
] as const;
export type BidReason = (typeof BID_REASONS)[number];

export const isBidReason = (s: unknown): s is BidReason =>
  typeof s === 'string' && (BID_REASONS as readonly string[]).includes(s);

/** The answer of a form post as the page shows it after the redirect. */
export type FormAnswer =
  | { kind: 'bid'; accepted: true; amountFen: string }
  | { kind: 'bid'; accepted: false; reason: BidReason }
  | { kind: 'proxy'; accepted: true; maxFen: string; bidsPlaced: number }
  | { kind: 'proxy'; accepted: false; reason: BidReason }
  | { kind: 'proxyCancelled'; accepted: true };

const FEN = /^\d{1,15}$/;

/**
 * Reads `?bid=accepted&amount=…`, `?bid=<reason>`, `?proxy=set&max=…&placed=…`,
 * `?proxy=cancelled`, `?proxy=<reason>`.
 */
export function answerOf(search: URLSearchParams): FormAnswer | null {
  const bid = search.get('bid');
  if (bid === 'accepted') {
    const amount = search.get('amount') ?? '';
    return FEN.test(amount) ? { kind: 'bid', accepted: true, amountFen: amount } : null;
  }
  if (isBidReason(bid)) return { kind: 'bid', accepted: false, reason: bid };
  const proxy = search.get('proxy');
  if (proxy === 'set') {
    const max = search.get('max') ?? '';
    const placed = Number(search.get('placed') ?? '0');
    return FEN.test(max)
      ? { kind: 'proxy', accepted: true, maxFen: max, bidsPlaced: Number.isSafeInteger(placed) ? placed : 0 }
      : null;
  }
  if (proxy === 'cancelled') return { kind: 'proxyCancelled', accepted: true };
  if (isBidReason(proxy)) return { kind: 'proxy', accepted: false, reason: proxy };
  return null;
}
