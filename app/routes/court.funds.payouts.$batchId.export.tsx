import { type ActionFunctionArgs, redirect } from '@remix-run/node';
import { csvResponse } from '../../server/csv';
import { isDomainError } from '../../server/errors';
import { idParam } from '../components/court/route.server';
import { readForm, requireAuth } from '../utils/route.server';

/**
 * The bank transfer file of a case-funds batch: a resource route, so the form post becomes a
 * download. The first export sends the batch (server/disbursements/batches.ts); a refusal goes
 * back to the payout desk with its message.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const id = idParam(params, 'batchId');
  await readForm(request, context);
  try {
    const file = await context.services.funds.payouts.exportBatch(auth.actor, id, context.meta.requestId);
    return csvResponse(file.csv, file.filename);
  } catch (e) {
    if (isDomainError(e) && (e.code === 'not_found' || e.code === 'forbidden'))
      throw new Response(e.code === 'not_found' ? 'Not Found' : 'Forbidden', {
        status: e.code === 'not_found' ? 404 : 403,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
    if (isDomainError(e)) throw redirect(`/court/funds/payouts?refused=${encodeURIComponent(e.messageKey)}`);
    throw e;
  }
}
