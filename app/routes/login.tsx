import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { sessionCookie } from '../../server/http/cookies';
import { homePathFor } from '../../server/identity/permissions';
import { CsrfInput, Field, FormError } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import { act, formObject, readForm, safeRedirect } from '../utils/route.server';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth.loginTitle');

export async function loader({ context, request }: LoaderFunctionArgs) {
  if (context.auth) {
    const to = new URL(request.url).searchParams.get('redirectTo');
    throw redirect(safeRedirect(to, homePathFor(context.auth.user.roles)));
  }
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const to = form.get('redirectTo'); // checked by safeRedirect, which never throws after the login
  return act(request, async () => {
    const result = await context.services.identity.login(formObject(form), context.meta);
    // An admin-set initial password: his own first, before any other page (ADR 028).
    const next = result.mustChangePassword
      ? '/account/password'
      : safeRedirect(to, homePathFor(result.roles));
    throw redirect(next, {
      headers: { 'Set-Cookie': sessionCookie(result.token, result.expiresAt, context.cookieSecure) },
    });
  });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const redirectTo = params.get('redirectTo');
  const { t } = useTranslation();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData && 'fieldErrors' in actionData ? actionData.fieldErrors : undefined;
  return (
    <section className="page narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t('auth.loginTitle')}</h1>
      {params.get('loggedOut') && (
        <p role="status" className="notice">
          {t('auth.loggedOut')}
        </p>
      )}
      {params.get('reset') && (
        <p role="status" className="notice">
          {t('accounts.reset.done')}
        </p>
      )}
      {params.get('signedOut') && (
        <p role="status" className="notice">
          {t('accounts.signedOut')}
        </p>
      )}
      {/* Posts to /login itself, so a stale "logged out" notice does not stay beside an error. */}
      <Form method="post" action="/login" className="stack" noValidate>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={redirectTo ?? ''} />
        {actionData && 'formError' in actionData && (
          <FormError error={actionData.formError} params={actionData.params} />
        )}
        {/* An e-mail or a mobile number (ADR 028); posted as `email`, its name since the start. */}
        <Field
          name="email"
          type="text"
          inputMode="email"
          label={t('auth.login')}
          autoComplete="username"
          required
          errors={errors?.email}
        />
        <Field
          name="password"
          type="password"
          label={t('auth.password')}
          autoComplete="current-password"
          required
          errors={errors?.password}
        />
        <button type="submit" className="button" disabled={busy}>
          {t('auth.loginSubmit')}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t('auth.forgot')}</Link>
      </p>
      <p>
        {t('auth.noAccount')}{' '}
        <Link to={redirectTo ? `/signup?${new URLSearchParams({ redirectTo })}` : '/signup'}>
          {t('common.signup')}
        </Link>
      </p>
    </section>
  );
}
