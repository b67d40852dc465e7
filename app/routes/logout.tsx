import { type ActionFunctionArgs, redirect } from '@remix-run/node';
import { clearSessionCookie } from '../../server/http/cookies';
import { readForm } from '../utils/route.server';

export async function loader() {
  throw redirect('/');
}

/** Revokes the session server-side, then clears the cookie. */
export async function action({ request, context }: ActionFunctionArgs) {
  await readForm(request, context);
  if (context.auth) await context.services.identity.logout(context.auth.actor);
  throw redirect('/login?loggedOut=1', {
    headers: { 'Set-Cookie': clearSessionCookie(context.cookieSecure) },
  });
}
