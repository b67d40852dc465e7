import type { LoaderFunctionArgs } from '@remix-run/node';
import { pdfResponse } from '../utils/pdf-response.server';
import { load, plainError, requireAuth } from '../utils/route.server';

/**
 * A distribution plan as its PDF: for the staff of its court and for the parties it was served
 * on (the service decides); anyone else is answered 404. Personal data: never cached by shared caches.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const file = await load(request, () =>
    context.services.funds.readPlanDocument(auth.actor, params.planId ?? ''),
  ).catch(plainError);
  return pdfResponse(file);
}
