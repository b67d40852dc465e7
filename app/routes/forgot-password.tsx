import { type ActionFunctionArgs, type MetaFunction, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CsrfInput, Field, FormError } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import { act, formObject, readForm } from '../utils/route.server';

export const meta: MetaFunction = ({ matches }) => [
  ...pageTitle(matches, 'accounts.forgot.title'),
  { name: 'robots', content: 'noindex' },
];

/**
 * "Forgot password" (ADR 028): the answer is the same whether or not an account uses the e-mail
 * or number typed (the service decides, sends, and limits); only bad input or the rate limit
 * is told.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  return act(request, async () => {
    await context.services.identity.requestPasswordReset(formObject(form), {
      ...context.meta,
      locale: context.locale,
    });
    throw redirect('/forgot-password?sent=1');
  });
}

export default function ForgotPassword() {
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const busy = useNavigation().state === 'submitting';
  const errors = answer && 'fieldErrors' in answer ? answer.fieldErrors : undefined;
  return (
    <section className="page narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t('accounts.forgot.title')}</h1>
      {params.get('sent') ? (
        <p role="status" className="notice">
          {t('accounts.forgot.sent')}
        </p>
      ) : (
        <p>{t('accounts.forgot.intro')}</p>
      )}
      <Form method="post" action="/forgot-password" className="stack" noValidate>
        <CsrfInput />
        {answer && 'formError' in answer && <FormError error={answer.formError} params={answer.params} />}
        <Field
          name="login"
          type="text"
          inputMode="email"
          label={t('accounts.forgot.login')}
          autoComplete="username"
          required
          errors={errors?.email}
        />
        <button type="submit" className="button" disabled={busy}>
          {t('accounts.forgot.submit')}
        </button>
      </Form>
      <p>
        <Link to="/login">{t('accounts.forgot.back')}</Link>
      </p>
    </section>
  );
}
