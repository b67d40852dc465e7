import { type LoaderFunctionArgs, redirect } from '@remix-run/node';
import { loader as chainJson } from './auctions.$listingId_.chain[.]json';

/**
 * The auction's log by content negotiation: a browser navigating to it (asking for HTML) is sent to the
 * readable page (/auctions/:id/verify: each entry, its hash, the verdict, how to verify); anything
 * else gets the JSON document (scripts/verify-auction.mjs, curl), as at /auctions/:id/chain.json.
 */
export async function loader(args: LoaderFunctionArgs) {
  // A page the browser navigates to (Sec-Fetch-Dest: document) and that asks for HTML, not JSON.
  const h = args.request.headers;
  const accept = h.get('accept') ?? '';
  const document = h.get('sec-fetch-dest') === 'document';
  if (
    document &&
    accept.includes('text/html') &&
    !accept.includes('application/json') &&
    args.params.listingId
  )
    throw redirect(`/auctions/${encodeURIComponent(args.params.listingId)}/verify`, { status: 303 });
  return chainJson(args);
}
