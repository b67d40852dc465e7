import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { load } from '../utils/route.server';

const ParamsSchema = z.object({ listingId: z.uuid() });

/**
 * The auction's public event log with the server's verdict on its hash chain (art. 8, 20), for
 * machines: every accepted bid (bidder codes only) and status change, each with its sequence
 * number, the previous entry's hash and its own. Anyone can recompute the chain from this document:
 * hash = sha256(prevHash + "\n" + canonical JSON of {listingId, seq, type, at, payload}), the
 * first prevHash = sha256("lastmile:auction:" + listingId) (server/auctions/chain.ts).
 * People read the same log at /auctions/:id/verify; /auctions/:id/chain answers either by Accept.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  const chain = await load(request, () => context.services.bidding.chain(parsed.data.listingId));
  return Response.json(
    {
      listingId: chain.listingId,
      verdict: chain.verdict,
      algorithm: 'sha256(prevHash + "\\n" + canonicalJson({listingId, seq, type, at, payload}))',
      entries: chain.entries.map((e) => ({ ...e, at: e.at.toISOString() })),
    },
    { headers: { 'cache-control': 'no-store', vary: 'accept' } },
  );
}
