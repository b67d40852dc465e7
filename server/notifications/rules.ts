/**
 * The notice kinds that may leave the site, who receives them, and the channels they go to
 * when the person has not chosen (ADR 025). Pure: read by notify(), the preferences page and
 * its tests. A kind not listed here stays in-site only.
 */
import type { Role } from '../../db/schema/identity.js';

export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface KindRule {
  /** 'bidder': sent to the notice's user; 'staff': to the staff of the notice's organisation holding one of `roles`. */
  audience: 'bidder' | 'staff';
  /** The outside channels when the person has not chosen. */
  defaults: readonly Channel[];
  /** Staff kinds: the roles whose holders receive an organisation's notice. */
  roles?: readonly Role[];
}

const COURT_DESK: readonly Role[] = ['court_clerk', 'court_admin'];

/** In the order the preferences page lists them. */
export const KINDS = {
  // Time-critical for a bidder: an SMS by default as well (he may be away from his mail).
  outbid: { audience: 'bidder', defaults: ['email', 'sms'] },
  auctionStarting: { audience: 'bidder', defaults: ['email'] },
  auctionEndingSoon: { audience: 'bidder', defaults: ['email', 'sms'] },
  // Every extension in a hot auction would be a message: in-site only unless chosen.
  auctionExtended: { audience: 'bidder', defaults: [] },
  auctionWon: { audience: 'bidder', defaults: ['email', 'sms'] },
  balanceReminder: { audience: 'bidder', defaults: ['email', 'sms'] },
  depositReleased: { audience: 'bidder', defaults: ['email'] },
  depositRenew: { audience: 'bidder', defaults: ['email'] },
  depositLapsed: { audience: 'bidder', defaults: ['email'] },
  // The staff's own queues.
  aidClaimOverdue: {
    audience: 'staff',
    defaults: ['email'],
    roles: ['court_clerk', 'court_admin', 'insurer_adjuster', 'insurer_manager'],
  },
  saleRulingOverdue: { audience: 'staff', defaults: ['email'], roles: COURT_DESK },
  saleHandoverOverdue: { audience: 'staff', defaults: ['email'], roles: COURT_DESK },
  balanceDefaulted: { audience: 'staff', defaults: ['email'], roles: COURT_DESK },
  resultHeld: { audience: 'staff', defaults: ['email'], roles: COURT_DESK },
} as const satisfies Record<string, KindRule>;

export type DeliverableKind = keyof typeof KINDS;

export function isDeliverable(kind: string): kind is DeliverableKind {
  return Object.hasOwn(KINDS, kind);
}

/** The kinds a person with these roles can receive (the rows of his preferences page). */
export function kindsFor(roles: readonly Role[]): DeliverableKind[] {
  return (Object.keys(KINDS) as DeliverableKind[]).filter((k) => {
    const rule: KindRule = KINDS[k];
    return rule.audience === 'bidder'
      ? roles.includes('bidder')
      : (rule.roles ?? []).some((r) => roles.includes(r));
  });
}

/** The channels a person receives a kind on: his choice when he made one, else the kind's defaults. */
export function channelsFor(kind: DeliverableKind, chosen: Record<string, string[]> | undefined): Channel[] {
  const mine = chosen?.[kind];
  const list: readonly string[] = mine ?? KINDS[kind].defaults;
  return CHANNELS.filter((c) => list.includes(c));
}

/** The reminder choices offered (minutes before the end; 0 = none). */
export const ENDING_SOON_CHOICES = [0, 5, 15, 30, 60, 180] as const;
export const DEFAULT_ENDING_SOON_MINUTES = 15;

/** Beijing wall time for a message ("2026-12-07 10:30"), the same in either language. */
export function beijingTime(at: Date): string {
  const b = new Date(at.getTime() + 8 * 3_600_000);
  const p = (n: number) => n.toString().padStart(2, '0');
  return `${b.getUTCFullYear()}-${p(b.getUTCMonth() + 1)}-${p(b.getUTCDate())} ${p(b.getUTCHours())}:${p(b.getUTCMinutes())}`;
}

/** Integer fen as yuan with thousands separators ("1,234.50"); integer arithmetic only. */
export function yuan(fen: bigint): string {
  const sign = fen < 0n ? '-' : '';
  const abs = fen < 0n ? -fen : fen;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${whole}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/**
 * The ending-soon reminder's N for one person and one auction (ADR 027): the N he chose when he
 * followed it, else his default (notification settings), else the platform's. 0 = no reminder.
 */
export function reminderMinutes(
  perFollow: number | null | undefined,
  mine: number | null | undefined,
): number {
  return perFollow ?? mine ?? DEFAULT_ENDING_SOON_MINUTES;
}

/**
 * When the ending-soon reminder runs: N minutes before the current end (art. 20's extensions move
 * the end, and this with it), or now when that is already past. The one rule for registrations
 * and follows, at scheduling, at an extension and at a change of N.
 */
export function endingSoonAt(currentEndAt: Date, minutes: number, now: Date): Date {
  return new Date(Math.max(now.getTime(), currentEndAt.getTime() - minutes * 60_000));
}
