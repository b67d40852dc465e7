import type { LoaderFunctionArgs } from '@remix-run/node';
import { pdfResponse } from '../utils/pdf-response.server';
import { load, plainError, requireAuth } from '../utils/route.server';

/**
 * A receipt as its PDF (issue 21): the payer's own only (the service decides); anyone else's, or
 * a payment without money held or taken, is answered 404.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const file = await load(request, () =>
    context.services.payments.receiptPdf(auth.actor, params.paymentId ?? ''),
  ).catch(plainError);
  return pdfResponse(file);
}
