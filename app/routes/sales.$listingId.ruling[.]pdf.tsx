import type { LoaderFunctionArgs } from '@remix-run/node';
import { pdfResponse } from '../utils/pdf-response.server';
import { load, plainError, requireAuth } from '../utils/route.server';

/**
 * The ruling confirming a sale, as its PDF: for the staff of the court that owns the sale and for
 * the buyer (the service decides); anyone else is answered 404. Personal data: never cached by
 * shared caches.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const file = await load(request, () =>
    context.services.sales.readRuling(auth.actor, params.listingId ?? ''),
  ).catch(plainError);
  // The document's identity: what the court recorded when it issued the ruling.
  return pdfResponse(file, { ETag: `"${file.sha256}"` });
}
