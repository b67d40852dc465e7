import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from '@remix-run/node';
import { z } from 'zod';
import { isDomainError } from '../../server/errors';
import { load, readForm, requireAuth } from '../utils/route.server';

/**
 * 看样 bookings (ADR 029): the announcement's viewing forms post here; the answer goes back to
 * the announcement in its query string (?viewing=booked), so booking works without JavaScript.
 * The slots themselves are shown on the announcement; a GET here goes there.
 */
const ParamsSchema = z.object({ listingId: z.uuid() });
const FormSchema = z.object({ intent: z.enum(['book', 'cancel']), slotId: z.uuid() });

const back = (listingId: string, answer: string) =>
  redirect(`/auctions/${listingId}?${new URLSearchParams({ viewing: answer })}#viewing`);

export async function loader({ params }: LoaderFunctionArgs) {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  return redirect(`/auctions/${parsed.data.listingId}#viewing`);
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  const id = parsed.data.listingId;
  const auth = requireAuth(context, request);
  const form = FormSchema.safeParse(Object.fromEntries(await readForm(request, context)));
  // A resource route: the refusal is a plain 400 (only a forged or broken post gets here).
  if (!form.success) return new Response('errors.validation', { status: 400 });
  const { intent, slotId } = form.data;
  const listings = context.services.listings;
  return load(request, async () => {
    try {
      if (intent === 'book') {
        await listings.bookViewing(auth.actor, slotId);
        return back(id, 'booked');
      }
      const r = await listings.cancelViewing(auth.actor, slotId);
      return back(id, r.cancelled ? 'cancelled' : 'unchanged');
    } catch (error) {
      // A full slot, a booking held elsewhere, a slot that started: said on the announcement.
      if (isDomainError(error) && error.code === 'conflict') return back(id, error.messageKey);
      throw error;
    }
  });
}
