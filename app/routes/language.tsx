import { type ActionFunctionArgs, redirect } from '@remix-run/node';
import { z } from 'zod';
import { LOCALES, langCookie } from '../../server/http/cookies';
import { readForm, safeRedirect } from '../utils/route.server';

const LangSchema = z.enum(LOCALES);

export async function loader() {
  throw redirect('/');
}

/** Works without JavaScript: a form post that sets the cookie and returns to the page. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const lang = LangSchema.safeParse(form.get('lang'));
  const to = safeRedirect(form.get('redirectTo'), '/');
  if (!lang.success) throw redirect(to);
  throw redirect(to, { headers: { 'Set-Cookie': langCookie(lang.data, context.cookieSecure) } });
}
