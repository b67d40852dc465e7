/**
 * Pure money rules of deposits and balances (../shared/domain/judicial-auctions.md, "Deposits"
 * and "After bidding"). No database, no clock: the services call these.
 */
import { randomInt } from 'node:crypto';
import type { DepositStatus, Payment } from '../../db/schema/payments.js';

type PaymentStatus = Payment['status'];

/**
 * Art. 17 note: the applicant creditor of the case pays no deposit except the part exceeding
 * his claim. Everyone else pays the listing's deposit in full.
 */
export function depositPayable(requiredFen: bigint, creditorClaimFen: bigint | null): bigint {
  if (creditorClaimFen === null) return requiredFen;
  return requiredFen > creditorClaimFen ? requiredFen - creditorClaimFen : 0n;
}

/** Art. 23: the winner's deposit counts toward the price; the rest is the balance (余款). */
export function balanceDue(priceFen: bigint, depositAppliedFen: bigint): bigint {
  if (depositAppliedFen > priceFen) throw new RangeError('a deposit larger than the price');
  return priceFen - depositAppliedFen;
}

/**
 * The deposit's state machine. held → pending when a card hold lapses or is cancelled outside
 * our control (the bidder is asked to renew); applied → forfeited when the winner defaults
 * (悔拍, art. 24): the deposit already counted toward the price is kept instead.
 */
export const DEPOSIT_TRANSITIONS: Record<DepositStatus, readonly DepositStatus[]> = {
  pending: ['held'],
  held: ['pending', 'applied', 'released'],
  applied: ['forfeited'],
  released: [],
  forfeited: [],
};

export const canMoveDeposit = (from: DepositStatus, to: DepositStatus) =>
  DEPOSIT_TRANSITIONS[from].includes(to);

/** Without 0/O, 1/I/L: a reference read over the phone or typed from a bank slip stays unambiguous. */
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** The unique reference a payer writes on a bank transfer, e.g. `LM-7KQ2-H9XD`. */
export function newTransferReference(): string {
  const pick = () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  const group = () => Array.from({ length: 4 }, pick).join('');
  return `LM-${group()}-${group()}`;
}

/** Normalises what a clerk types from a bank statement: case, spaces, missing dashes. */
export function normaliseTransferReference(input: string): string {
  const s = input.toUpperCase().replace(/[^0-9A-Z]/g, '');
  const body = s.startsWith('LM') ? s.slice(2) : s;
  return body.length === 8 ? `LM-${body.slice(0, 4)}-${body.slice(4)}` : input.trim().toUpperCase();
}

/** Anonymous bidder codes (art. 18): short, random, unique within one auction. */
export function newBidderCode(): string {
  return Array.from({ length: 4 }, () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)]).join('');
}

/** A payment has a receipt once money is held or taken (its number is allocated then, receipts.ts). */
export const RECEIPT_STATUSES: readonly PaymentStatus[] = ['authorized', 'captured'];

/** A receipt's number: the court's code, the Beijing year and the court's n-th receipt of that year. */
export const receiptNumberOf = (courtCode: string, year: number, n: number) =>
  `${courtCode}-${year}-${String(n).padStart(6, '0')}`;

/** The Beijing calendar year of a moment: a receipt issued at 23:30 UTC on 31 December is the next year's. */
export const beijingYear = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).getUTCFullYear();
