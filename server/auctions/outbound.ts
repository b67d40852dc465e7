/**
 * A listing's status changes as webhook events (ADR 023), written in the transaction of the
 * change by `transition` (listing-lifecycle.ts) and the batch close (closing.ts): published,
 * started, resumed, suspended, withdrawn, sold or failed, to the listing's court.
 */
import type { Tx } from '../../db/client.js';
import type { Listing, ListingStatus } from '../../db/schema/auctions.js';
import { type EmitInput, emitEvents, type WebhookTopic } from '../outbox/events.js';

export function listingTopic(
  from: ListingStatus | null,
  to: ListingStatus,
  outcome: Listing['outcome'],
): WebhookTopic | null {
  if (to === 'announced') return 'listing.published';
  if (to === 'live') return from === 'suspended' ? 'listing.resumed' : 'listing.started';
  if (to === 'suspended') return 'listing.suspended';
  if (to === 'withdrawn') return 'listing.withdrawn';
  if (to === 'ended')
    return outcome === 'sold' ? 'listing.sold' : outcome === 'failed' ? 'listing.failed' : null;
  return null;
}

/** The one line a status change adds: its event, if the change is one a court's system follows. */
export async function emitListingEvent(tx: Tx, from: ListingStatus | null, l: Listing, at: Date) {
  await emitListingEvents(tx, [{ from, l }], at);
}

/** The batch close's: every closed auction's event in one statement. */
export async function emitListingEvents(
  tx: Tx,
  changes: ReadonlyArray<{ from: ListingStatus | null; l: Listing }>,
  at: Date,
  opts: { notify?: boolean } = {},
) {
  await emitEvents(
    tx,
    changes.flatMap(({ from, l }) => {
      const topic = listingTopic(from, l.status, l.outcome);
      return topic ? [{ topic, ...listingEvent(topic, l, at) }] : [];
    }),
    opts,
  );
}

function listingEvent(topic: WebhookTopic, l: Listing, at: Date): EmitInput {
  return {
    audience: [l.courtId],
    subject: { type: 'listing', id: l.id },
    at,
    data: {
      caseId: l.caseId,
      title: l.title,
      status: l.status,
      outcome: l.outcome,
      startsAt: l.startsAt,
      currentEndAt: l.currentEndAt,
      // The hammer price once sold (art. 23's result is public); the buyer is never named here.
      priceFen: topic === 'listing.sold' ? l.currentPriceFen : undefined,
    },
  };
}
