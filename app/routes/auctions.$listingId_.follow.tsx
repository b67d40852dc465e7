import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from '@remix-run/node';
import { z } from 'zod';
import { isDomainError } from '../../server/errors';
import { load, readForm, requireAuth } from '../utils/route.server';

const ParamsSchema = z.object({ listingId: z.uuid() });

/** Nothing to show here: the follow box lives on the auction page. */
export function loader({ params }: LoaderFunctionArgs) {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw new Response('Not Found', { status: 404 });
  return redirect(`/auctions/${parsed.data.listingId}`);
}

/**
 * 关注 / 取消关注 (ADR 027) as a plain form post, so it works without JavaScript: a sign-in first,
 * then back to the auction page (or to 我的拍卖 when the form came from there). Idempotent: a
 * second follow is the same follow, an unfollow of nothing changes nothing.
 */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw new Response('Not Found', { status: 404 });
  const id = parsed.data.listingId;
  // Coming back from the login page lands on the auction, where the follow button is.
  const auth = requireAuth(context, new Request(new URL(`/auctions/${id}`, request.url)));
  const form = await readForm(request, context);
  const intent = form.get('intent');
  // A resource route: its refusals are plain responses (data() would answer 200 here).
  if (intent !== 'follow' && intent !== 'unfollow') throw new Response('Bad Request', { status: 400 });
  const back = form.get('back') === 'me' ? '/me/auctions' : `/auctions/${id}`;
  const answer = (follow: string) => redirect(`${back}?${new URLSearchParams({ follow })}`);
  // Other refusals (not found, …) as the error page's status: load() throws them as responses.
  return load(request, async () => {
    const { registrations } = context.services;
    try {
      if (intent === 'follow')
        await registrations.follow(auth.actor, id, { minutes: String(form.get('minutes') ?? '') });
      else await registrations.unfollow(auth.actor, id);
    } catch (error) {
      // An ended auction, a made-up N: said on the page the form came from, nothing changed.
      if (isDomainError(error) && (error.code === 'conflict' || error.code === 'validation'))
        return answer('refused');
      throw error;
    }
    return answer(intent === 'follow' ? 'on' : 'off');
  });
}
