import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { sessionCookie } from '../../server/http/cookies';
import { CsrfInput, Field, FormError } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import { act, formObject, readForm, safeRedirect } from '../utils/route.server';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth.signupTitle');

export async function loader({ context, request }: LoaderFunctionArgs) {
  if (context.auth) throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo'), '/'));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  // Where he was going when he was asked to sign in (an auction to follow, say): back there.
  const to = form.get('redirectTo');
  return act(request, async () => {
    const result = await context.services.identity.signup(formObject(form), context.meta);
    throw redirect(safeRedirect(to, '/me'), {
      headers: { 'Set-Cookie': sessionCookie(result.token, result.expiresAt, context.cookieSecure) },
    });
  });
}

export default function Signup() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const redirectTo = params.get('redirectTo');
  const { t } = useTranslation();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData && 'fieldErrors' in actionData ? actionData.fieldErrors : undefined;
  return (
    <section className="page narrow" aria-labelledby="signup-title">
      <h1 id="signup-title">{t('auth.signupTitle')}</h1>
      <p className="muted">{t('auth.signupIntro')}</p>
      <Form method="post" className="stack" noValidate>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={redirectTo ?? ''} />
        {actionData && 'formError' in actionData && <FormError error={actionData.formError} />}
        <Field
          name="realName"
          label={t('auth.realName')}
          autoComplete="name"
          required
          errors={errors?.realName}
        />
        <Field
          name="nationalId"
          label={t('auth.nationalId')}
          help={t('auth.nationalIdHelp')}
          autoComplete="off"
          inputMode="text"
          maxLength={18}
          required
          errors={errors?.nationalId}
        />
        <Field
          name="phone"
          type="tel"
          label={t('auth.phone')}
          autoComplete="tel-national"
          inputMode="numeric"
          required
          errors={errors?.phone}
        />
        <Field
          name="email"
          type="email"
          label={t('auth.email')}
          autoComplete="email"
          required
          errors={errors?.email}
        />
        <Field
          name="password"
          type="password"
          label={t('auth.password')}
          help={t('auth.passwordHelp')}
          autoComplete="new-password"
          required
          errors={errors?.password}
        />
        <button type="submit" className="button" disabled={busy}>
          {t('auth.signupSubmit')}
        </button>
      </Form>
      <p>
        {t('auth.haveAccount')}{' '}
        <Link to={redirectTo ? `/login?${new URLSearchParams({ redirectTo })}` : '/login'}>
          {t('common.login')}
        </Link>
      </p>
    </section>
  );
}
