import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, Link, useActionData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { sessionCookie } from '../../server/http/cookies';
import { CsrfInput, Field, FormError } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import { act, formObject, readForm } from '../utils/route.server';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth.signupTitle');

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.auth) throw redirect('/');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  return act(request, async () => {
    const result = await context.services.identity.signup(formObject(form), context.meta);
    throw redirect('/me', {
      headers: { 'Set-Cookie': sessionCookie(result.token, result.expiresAt, context.cookieSecure) },
    });
  });
}

export default function Signup() {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData && 'fieldErrors' in actionData ? actionData.fieldErrors : undefined;
  return (
    <section className="page narrow" aria-labelledby="signup-title">
      <h1 id="signup-title">{t('auth.signupTitle')}</h1>
      <p className="muted">{t('auth.signupIntro')}</p>
      <Form method="post" className="stack" noValidate>
        <CsrfInput />
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
        {t('auth.haveAccount')} <Link to="/login">{t('common.login')}</Link>
      </p>
    </section>
  );
}
