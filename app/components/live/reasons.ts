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
  | { kind: 'bid'; accepted: true; amountFen: string; seq?: number }
  /** A bid posted without JavaScript waits here for its confirmation (the action's `?confirm=`). */
  | { kind: 'confirm'; amountFen: string }
  | { kind: 'bid'; accepted: false; reason: BidReason }
  | { kind: 'proxy'; accepted: true; maxFen: string; bidsPlaced: number }
  | { kind: 'proxy'; accepted: false; reason: BidReason }
  | { kind: 'proxyCancelled'; accepted: true };

const FEN = /^\d{1,15}$/;

/**
 * Reads `?confirm=…`, `?bid=accepted&amount=…[&seq=…]`, `?bid=<reason>`, `?proxy=set&max=…&placed=…`,
 * `?proxy=cancelled`, `?proxy=<reason>`.
 */
export function answerOf(search: URLSearchParams): FormAnswer | null {
  const bid = search.get('bid');
  if (bid === 'accepted') {
    const amount = search.get('amount') ?? '';
    if (!FEN.test(amount)) return null;
    const seq = Number(search.get('seq'));
    return search.has('seq') && Number.isSafeInteger(seq) && seq > 0
      ? { kind: 'bid', accepted: true, amountFen: amount, seq }
      : { kind: 'bid', accepted: true, amountFen: amount };
  }
  const confirm = search.get('confirm') ?? '';
  if (FEN.test(confirm) && BigInt(confirm) > 0n) return { kind: 'confirm', amountFen: confirm };
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
