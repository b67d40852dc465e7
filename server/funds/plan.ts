/**
 * The distribution plan (财产分配方案) as one pure function: from the money in the case account,
 * who gets what, each line with the rule it applied. No database, no clock, no floating point:
 * every amount is integer fen (bigint) and every share is `floor(demand × money / total)` with
 * the fen left over given by the largest remainder (ties: the larger remainder, then the earlier
 * claim). Whatever the input, the lines pay exactly the pool, never more than a demand, and a
 * later class is paid only once every earlier one is paid in full.
 *
 * Legal basis (shared/domain/case-funds.md):
 * - 执行规定 art. 34: the costs of common benefit first; what is left goes back to the debtor.
 * - 诉讼费用交纳办法 art. 14: the application fee by the statutory bands, on the amount executed.
 * - 建工解释 arts. 36, 40: construction-price priority ahead of the mortgage, the price only.
 * - 税收征收管理法 art. 45: tax arrears before the mortgage ahead of it; later arrears after it.
 * - 执行规定 art. 55: security interests in the order of their registration; equal order pro rata (民法典 art. 414).
 * - 民诉法解释 art. 508: ordinary claims pro rata; art. 514: a company debtor pays them in the order of seizure.
 */

/** The classes a claim may have; `labour` ranks where the court's rule puts it, else with the ordinary claims. */
export const CLAIM_CLASSES = [
  'construction',
  'tax_before_mortgage',
  'secured',
  'tax_after_mortgage',
  'labour',
  'ordinary',
] as const;
export type ClaimClass = (typeof CLAIM_CLASSES)[number];

/** The ranked classes before the ordinary claims, in the statutory order; labour is not ranked by the SPC's texts. */
export const STATUTORY_ORDER: readonly RankedClass[] = [
  'construction',
  'tax_before_mortgage',
  'secured',
  'tax_after_mortgage',
];
export type RankedClass = Exclude<ClaimClass, 'ordinary'>;

export const COST_KINDS = [
  'appraisal',
  'auction',
  'notice',
  'storage',
  'application_fee',
  'other',
  'bounty_reward',
] as const;
export type CostKind = (typeof COST_KINDS)[number];

export type DebtorKind = 'person' | 'company' | 'other_organisation';

/** The rule a line applied: a key of the catalogs (`funds.rule.<key>`) and the article it cites. */
export const RULES = {
  cost: '执行规定第34条',
  bountyReward: '财产调查规定第24条',
  applicationFee: '诉讼费用交纳办法第14条',
  construction: '建工解释(一)第36条、第40条',
  constructionInterest: '建工解释(一)第40条',
  taxBeforeMortgage: '税收征收管理法第45条',
  secured: '执行规定第55条',
  taxAfterMortgage: '税收征收管理法第45条',
  labour: '本院分配规则',
  ordinaryProRata: '民诉法解释第508条',
  ordinarySeizureOrder: '民诉法解释第514条',
  surplus: '执行规定第34条',
} as const;
export type RuleKey = keyof typeof RULES;

/** Printed on the plan: how shares are rounded (domain "A worked example of the rounding"). */
export const ROUNDING_RULE =
  '按比例分配时，每份=⌊申请数额×可分配金额÷申请总额⌋（精确到分），余下的分按余数从大到小逐一补足，余数相同的先申请者优先；分配总额与可分配金额分毫不差。';

export interface CostInput {
  id: string;
  kind: Exclude<CostKind, 'application_fee'>;
  amountFen: bigint;
}

export interface ClaimInput {
  id: string;
  class: ClaimClass;
  principalFen: bigint;
  /** Interest to the cut-off date, as the title states it. */
  interestFen: bigint;
  /** Delay interest (加倍部分债务利息) to the cut-off date. */
  delayInterestFen: bigint;
  /** Security interests: the day of creation or registration (YYYY-MM-DD). */
  registeredOn?: string | null;
  /** Company debtor: the creditor's place in the order of seizure (1 = first seized). */
  seizureRank?: number | null;
  /** Earlier claims come first on equal remainders: the order in which the claims were recorded. */
  sequence: number;
}

export interface PlanInput {
  /** The money to distribute: the case account's balance (and forfeited deposits, art. 24). */
  poolFen: bigint;
  costs: readonly CostInput[];
  /**
   * The application fee (申请执行费), borne by the debtor, on the amount executed: computed here
   * when set, on what reaches the claims (the pool less the other costs, at most the claims).
   */
  applicationFee: { id: string } | null;
  claims: readonly ClaimInput[];
  debtorKind: DebtorKind;
  /** The court's order of the ranked classes; the statutory order when null. */
  courtOrder?: readonly RankedClass[] | null;
}

export type LineKind = 'cost' | 'claim' | 'surplus';

export interface PlanLine {
  kind: LineKind;
  /** The cost's or the claim's id; null for the surplus. */
  refId: string | null;
  /** The class the line is paid in (`cost`, a claim class, `surplus`). */
  class: CostKind | ClaimClass | 'surplus';
  /** 1 for the costs, then one rank per tier paid one after another; the surplus last. */
  rank: number;
  /** What the line asks for. */
  demandFen: bigint;
  allocatedFen: bigint;
  /** Demand not covered: stays owed (art. 508). */
  shortFen: bigint;
  rule: RuleKey;
}

export interface Plan {
  poolFen: bigint;
  lines: PlanLine[];
  /** The ranked classes in the order applied, and whether it is the court's own rule. */
  order: readonly RankedClass[];
  orderSource: 'statutory' | 'court';
  /** Ordinary claims pro rata (art. 508) or in the order of seizure (art. 514, company debtor). */
  ordinaryRule: 'ordinaryProRata' | 'ordinarySeizureOrder';
  applicationFeeFen: bigint;
  surplusFen: bigint;
}

// ---- The application fee (诉讼费用交纳办法 art. 14) ------------------------------------------

/** Bands of the amount executed, in fen, with their rate in per mille on the part inside each. */
const FEE_BANDS: readonly { upTo: bigint | null; perMille: bigint }[] = [
  { upTo: 50_000_000n, perMille: 15n }, // ¥10,000 to ¥500,000: 1.5%
  { upTo: 500_000_000n, perMille: 10n }, // to ¥5,000,000: 1%
  { upTo: 1_000_000_000n, perMille: 5n }, // to ¥10,000,000: 0.5%
  { upTo: null, perMille: 1n }, // above: 0.1%
];
const FEE_FLOOR_BAND = 1_000_000n; // ¥10,000
const FEE_FLAT = 5_000n; // ¥50

/**
 * Art. 14: up to ¥10,000 executed, ¥50; above, each band's rate on the part inside it, summed
 * exactly and rounded once to the fen (half up). Nothing executed, no fee.
 */
export function applicationFeeFen(executedFen: bigint): bigint {
  if (executedFen <= 0n) return 0n;
  let perMilleFen = 0n;
  let lower = FEE_FLOOR_BAND;
  for (const band of FEE_BANDS) {
    const upper = band.upTo === null ? executedFen : minBig(band.upTo, executedFen);
    if (upper > lower) perMilleFen += (upper - lower) * band.perMille;
    if (band.upTo === null || executedFen <= band.upTo) break;
    lower = band.upTo;
  }
  return FEE_FLAT + (perMilleFen + 500n) / 1000n;
}

// ---- Delay interest (民诉法 art. 260; SPC interpretation of 2014 on delay interest) -------------

/** 加倍部分债务利息: the unpaid principal × 1.75 per ten thousand per day, floored to the fen. */
export function delayInterestFen(principalFen: bigint, days: number): bigint {
  if (days <= 0 || principalFen <= 0n) return 0n;
  return (principalFen * 175n * BigInt(days)) / 1_000_000n;
}

// ---- Largest remainder -----------------------------------------------------------------------

export interface Demand {
  demandFen: bigint;
  /** Earlier first on equal remainders. */
  sequence: number;
}

/**
 * Splits `moneyFen` over the demands pro rata in integer fen: each gets floor(d × money / total),
 * then the fen left over go one each to the largest remainders, ties to the earlier demand. The
 * result sums to min(money, total) and no share exceeds its demand.
 */
export function largestRemainder(moneyFen: bigint, demands: readonly Demand[]): bigint[] {
  const total = demands.reduce((s, d) => s + d.demandFen, 0n);
  if (total <= 0n || moneyFen <= 0n) return demands.map(() => 0n);
  if (moneyFen >= total) return demands.map((d) => d.demandFen);
  const shares = demands.map((d) => (d.demandFen * moneyFen) / total);
  const remainders = demands.map((d) => (d.demandFen * moneyFen) % total);
  let left = moneyFen - shares.reduce((s, x) => s + x, 0n);
  const byRemainder = demands
    .map((d, i) => ({ i, r: remainders[i]!, seq: d.sequence }))
    .filter((x) => x.r > 0n)
    .sort((a, b) => (a.r === b.r ? a.seq - b.seq : a.r > b.r ? -1 : 1));
  for (const x of byRemainder) {
    if (left === 0n) break;
    shares[x.i]! += 1n;
    left -= 1n;
  }
  return shares;
}

// ---- The plan ----------------------------------------------------------------------------------

interface Item {
  kind: LineKind;
  refId: string;
  class: PlanLine['class'];
  demandFen: bigint;
  sequence: number;
  rule: RuleKey;
}

const RANKED_RULE: Record<RankedClass, RuleKey> = {
  construction: 'construction',
  tax_before_mortgage: 'taxBeforeMortgage',
  secured: 'secured',
  tax_after_mortgage: 'taxAfterMortgage',
  labour: 'labour',
};

/** A claim's demand: principal, interest and delay interest; construction priority covers the price only (art. 40). */
const fullDemand = (c: ClaimInput) => c.principalFen + c.interestFen + c.delayInterestFen;

/**
 * The tiers in the order they are paid: each tier is a list of groups paid one after another,
 * each group pro rata within itself.
 */
function tiersOf(input: PlanInput, order: readonly RankedClass[], feeFen: bigint, feeId: string | null) {
  const tiers: Item[][][] = [];
  const costs: Item[] = input.costs.map((c, i) => ({
    kind: 'cost',
    refId: c.id,
    class: c.kind,
    demandFen: c.amountFen,
    sequence: i,
    // 财产调查规定 art. 24: the informant's reward is deducted from the money the lead recovered,
    // before the creditors (the court pays it per the notice; ADR 022).
    rule: c.kind === 'bounty_reward' ? 'bountyReward' : 'cost',
  }));
  if (feeId !== null && feeFen > 0n)
    costs.push({
      kind: 'cost',
      refId: feeId,
      class: 'application_fee',
      demandFen: feeFen,
      sequence: costs.length,
      rule: 'applicationFee',
    });
  tiers.push([costs]);

  const ranked = new Set<ClaimClass>(order);
  const ordinary: Item[] = [];
  for (const cls of order) {
    const members = input.claims.filter((c) => c.class === cls);
    if (cls === 'secured') {
      // Art. 55: by registration date; claims registered the same day share pro rata (民法典 art. 414).
      const days = [...new Set(members.map((c) => c.registeredOn ?? '9999-12-31'))].sort();
      tiers.push(
        days.map((day) =>
          members
            .filter((c) => (c.registeredOn ?? '9999-12-31') === day)
            .map((c) => claimItem(c, fullDemand(c), 'secured', 'secured')),
        ),
      );
    } else if (cls === 'construction') {
      tiers.push([members.map((c) => claimItem(c, c.principalFen, 'construction', 'construction'))]);
    } else tiers.push([members.map((c) => claimItem(c, fullDemand(c), cls, RANKED_RULE[cls]))]);
  }
  const company = input.debtorKind === 'company';
  const ordinaryRule: RuleKey = company ? 'ordinarySeizureOrder' : 'ordinaryProRata';
  for (const c of input.claims) {
    if (c.class === 'construction') {
      // Art. 40: interest and penalties of a construction price are ordinary claims.
      if (ranked.has('construction')) {
        const rest = c.interestFen + c.delayInterestFen;
        if (rest > 0n) ordinary.push(claimItem(c, rest, 'ordinary', 'constructionInterest'));
      } else ordinary.push(claimItem(c, fullDemand(c), 'ordinary', ordinaryRule));
    } else if (!ranked.has(c.class)) ordinary.push(claimItem(c, fullDemand(c), 'ordinary', ordinaryRule));
  }
  if (company) {
    // Art. 514: first seized, first paid; equal rank pro rata.
    const rankOf = (i: Item) =>
      input.claims.find((c) => c.id === i.refId)?.seizureRank ?? Number.MAX_SAFE_INTEGER;
    const ranks = [...new Set(ordinary.map(rankOf))].sort((a, b) => a - b);
    tiers.push(ranks.map((r) => ordinary.filter((i) => rankOf(i) === r)));
  } else tiers.push([ordinary]);
  return { tiers, ordinaryRule: ordinaryRule as Plan['ordinaryRule'] };
}

function claimItem(c: ClaimInput, demandFen: bigint, cls: ClaimClass, rule: RuleKey): Item {
  return { kind: 'claim', refId: c.id, class: cls, demandFen, sequence: c.sequence, rule };
}

/** The plan: costs, then the ranked classes in order, then the ordinary claims, then the surplus to the debtor. */
export function distribute(input: PlanInput): Plan {
  if (input.poolFen < 0n) throw new RangeError('a pool is never negative');
  for (const x of [...input.costs.map((c) => c.amountFen), ...input.claims.flatMap(claimParts)])
    if (x < 0n) throw new RangeError('a demand is never negative');
  const order = input.courtOrder ?? STATUTORY_ORDER;
  const otherCosts = input.costs.reduce((s, c) => s + c.amountFen, 0n);
  const claimsTotal = input.claims.reduce((s, c) => s + fullDemand(c), 0n);
  // Art. 14: on the amount executed for the creditors, i.e. what the pool has for the claims.
  const feeFen = input.applicationFee
    ? applicationFeeFen(minBig(claimsTotal, maxBig(0n, input.poolFen - otherCosts)))
    : 0n;
  const { tiers, ordinaryRule } = tiersOf(input, order, feeFen, input.applicationFee?.id ?? null);
  let left = input.poolFen;
  const lines: PlanLine[] = [];
  let rank = 0;
  for (const groups of tiers) {
    for (const group of groups) {
      const items = group.filter((i) => i.demandFen > 0n);
      if (items.length === 0) continue;
      rank += 1;
      const shares = largestRemainder(left, items);
      for (const [k, item] of items.entries()) {
        const allocated = shares[k]!;
        left -= allocated;
        lines.push({
          kind: item.kind,
          refId: item.refId,
          class: item.class,
          rank,
          demandFen: item.demandFen,
          allocatedFen: allocated,
          shortFen: item.demandFen - allocated,
          rule: item.rule,
        });
      }
    }
  }
  if (left > 0n)
    lines.push({
      kind: 'surplus',
      refId: null,
      class: 'surplus',
      rank: rank + 1,
      demandFen: left,
      allocatedFen: left,
      shortFen: 0n,
      rule: 'surplus',
    });
  return {
    poolFen: input.poolFen,
    lines,
    order,
    orderSource: input.courtOrder ? 'court' : 'statutory',
    ordinaryRule,
    applicationFeeFen: feeFen,
    surplusFen: left,
  };
}

const claimParts = (c: ClaimInput) => [c.principalFen, c.interestFen, c.delayInterestFen];
const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);
