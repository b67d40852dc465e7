/**
 * Every legal duration in one place (ARCHITECTURE: "durations come from one place").
 * `statutory` is the law's numbers; `accelerated` divides each by a factor so a 24-hour
 * auction and its 5-minute extensions can be watched in minutes (demos and tests only;
 * refused in production unless explicitly allowed, see server/config.ts).
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const STATUTORY_DURATIONS = {
  /** art. 20: bidding lasts at least 24 hours. */
  biddingWindowMin: 24 * HOUR,
  /** art. 12: announcement at least 15 days before bidding for movables ... */
  announceLeadMovable: 15 * DAY,
  /** ... and 30 days for real estate and other property rights. */
  announceLeadProperty: 30 * DAY,
  /** art. 26: a re-auction is announced 7 days ahead for movables ... */
  reauctionLeadMovable: 7 * DAY,
  /** ... and 15 days for real estate and other property rights. */
  reauctionLeadProperty: 15 * DAY,
  /** art. 26: the re-auction follows within 30 days of the failure. */
  reauctionWithin: 30 * DAY,
  /** 变卖 after a failed second auction: offered for 60 days. */
  fixedSaleWindow: 60 * DAY,
  /** art. 20: a bid in the last 5 minutes moves the end to bid time + 5 minutes. */
  extension: 5 * MIN,
  /** art. 23: losers' deposits are released within 24 hours of the end. */
  depositRelease: 24 * HOUR,
  /** One day of a period the announcement states in days, e.g. the balance period (art. 22). */
  day: DAY,
} as const;

export type Durations = { readonly [K in keyof typeof STATUTORY_DURATIONS]: number };

export interface RulesProfile {
  name: 'statutory' | 'accelerated';
  factor: number;
  durations: Durations;
}

export function rulesProfile(name: 'statutory' | 'accelerated', factor = 1): RulesProfile {
  const f = name === 'accelerated' ? factor : 1;
  const durations = Object.fromEntries(
    Object.entries(STATUTORY_DURATIONS).map(([k, ms]) => [k, Math.round(ms / f)]),
  ) as unknown as Durations;
  return { name, factor: f, durations };
}
