/**
 * Bounties (悬赏执行), pure (ADR 022). Legal basis: SPC Provisions on Property Investigation in
 * Civil Enforcement (财产调查规定, 2017, revised 2020) arts. 21-24; the 2011 SPC opinion on
 * rewards (only a verified lead, only money actually recovered). ../shared/domain/debtor-pressure.md.
 */
import { addDays, type DateString, daysBetween } from '../cases/time-limit.js';

/** Art. 21: the court decides on the written application within 10 days. */
export const DECISION_DAYS = 10;
export const decisionDueOf = (appliedOn: DateString): DateString => addDays(appliedOn, DECISION_DAYS);

/** The publication period a notice may run: a day to a year (bounty insurance's 1-year term). */
export const MAX_PERIOD_DAYS = 365;
export const periodDays = (from: DateString, until: DateString) => daysBetween(from, until) + 1;

/** Art. 22: where the notice is published (the national platform always; others as applied for). */
export const CHANNELS = ['platform', 'weibo', 'wechat', 'court_board', 'debtor_home', 'other_media'] as const;
export type Channel = (typeof CHANNELS)[number];

export const LEAD_KINDS = ['property', 'whereabouts'] as const;
export type LeadKind = (typeof LEAD_KINDS)[number];
export type Scope = 'property' | 'whereabouts' | 'both';
/** A tip's lead must be of a kind the notice asks for. */
export const scopeCovers = (scope: Scope, lead: LeadKind) => scope === 'both' || scope === lead;

export interface Formula {
  rewardKind: 'fixed' | 'percent';
  /** A fixed sum (fen). */
  rewardFen: number | null;
  /** A share of the money recovered through the lead, in basis points (1000 = 10%). */
  rewardBasisPoints: number | null;
  /** The most the notice pays (fen), if it says. */
  capFen: number | null;
}

/**
 * Art. 24 and the 2011 opinion: a reward only when the lead recovered money; a fixed sum, or the
 * share of what the lead recovered (floor to the fen), never above the notice's cap.
 */
export function rewardOf(f: Formula, recoveredFen: number): number {
  if (!Number.isSafeInteger(recoveredFen) || recoveredFen <= 0) return 0;
  const raw =
    f.rewardKind === 'fixed'
      ? (f.rewardFen ?? 0)
      : Number((BigInt(recoveredFen) * BigInt(f.rewardBasisPoints ?? 0)) / 10_000n);
  return f.capFen !== null && f.capFen !== undefined ? Math.min(raw, f.capFen) : raw;
}

/**
 * Art. 24: the reward is deducted from the enforcement money, which is at most what the lead
 * recovered; what cannot be deducted the applicant pays separately.
 */
export function deductionOf(rewardFen: number, recoveredFen: number) {
  const deductedFen = Math.max(0, Math.min(rewardFen, recoveredFen));
  return { deductedFen, applicantPaysFen: rewardFen - deductedFen };
}

/** A notice shows publicly while published and inside its period (Beijing dates, inclusive). */
export const isActive = (
  n: { status: string; publishFrom: DateString; publishUntil: DateString },
  today: DateString,
) => n.status === 'published' && n.publishFrom <= today && today <= n.publishUntil;

/**
 * Art. 23: "the same lead" from two people. Identical leads are recognised mechanically: the text
 * compared after Unicode compatibility folding (full-width to half-width), case folding and
 * dropping white space and punctuation; the court marks leads that are the same in substance.
 */
export const normaliseLead = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');

/** Receipt codes: Crockford base32 (no I, L, O, U), 16 characters in groups of four after `XS`. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function receiptCodeOf(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return `XS-${out.match(/.{4}/g)!.join('-')}`;
}
/** What the informant types back: case and separators do not matter; O, I and L read as 0, 1, 1. */
export function normaliseReceipt(raw: string): string | null {
  const s = raw
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/^XS/, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{16}$/.test(s)) return null;
  return `XS-${s.match(/.{4}/g)!.join('-')}`;
}
