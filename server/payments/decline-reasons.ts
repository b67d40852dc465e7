/** A card decline as the payer reads it (issue 21): pure, so the pages may import it. */

/** Why a card payment failed, in the words the payer reads (catalog `pay.decline.<reason>`). */
export const DECLINE_REASONS = [
  'card_declined',
  'insufficient_funds',
  'expired_card',
  'incorrect_cvc',
  'incorrect_number',
  'authentication_required',
  'processing_error',
  'other',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/**
 * A gateway's decline code (Stripe's `decline_code` or `code`, the local gateway's) as a reason
 * the page words; the raw code never reaches the screen (issue 21). Lost, stolen and suspected
 * fraudulent cards read as a plain decline, as Stripe advises, so the page tells a card thief nothing.
 */
export function declineReasonOf(code: string | null): DeclineReason | null {
  if (code === null) return null;
  if (['generic_decline', 'do_not_honor', 'lost_card', 'stolen_card', 'fraudulent'].includes(code))
    return 'card_declined';
  return (DECLINE_REASONS as readonly string[]).includes(code) ? (code as DeclineReason) : 'other';
}
