import type { LoaderFunctionArgs } from '@remix-run/node';
import { load } from '../utils/route.server';

/**
 * Suggestions for the search box as the visitor types (ADR 020): courts and places of published
 * listings that hold the text, as JSON for the page's datalist. Public, like the search. Nothing
 * typed (or only spaces) is no suggestion; more than 20 characters is a 400.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const q = new URL(request.url).searchParams.get('q')?.trim() ?? '';
  // Too long to be typed into the box (maxLength 50, suggestions from 20): a plain 400, not an error logged.
  if (q.length > 20) return Response.json({ error: 'errors.validation' }, { status: 400 });
  const suggestions = q ? await load(request, () => context.services.listings.suggest({ q })) : [];
  return Response.json(
    { suggestions },
    // The same text suggests the same for a minute: a CDN or the browser may keep it that long.
    { headers: { 'cache-control': 'public, max-age=60' } },
  );
}
