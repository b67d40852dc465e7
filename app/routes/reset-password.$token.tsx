import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CsrfInput, Field, FormError } from '../components/forms';
import { act, formObject, readForm } from '../utils/route.server';

export const meta: MetaFunction = () => [
  { title: '设置新密码 · 最后一公里' },
  { name: 'robots', content: 'noindex' },
];

/** A one-time reset link an admin handed over (ADR 024): whose it is, or that it no longer works. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const link = await context.services.identity.passwordResetLink(params.token ?? '');
  return { realName: link?.realName ?? null };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  return act(request, async () => {
    await context.services.identity.redeemPasswordReset(params.token ?? '', formObject(form), {
      requestId: context.meta.requestId,
    });
    throw redirect('/login?reset=1');
  });
}

export default function ResetPassword() {
  const { realName } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state === 'submitting';
  const errors = answer && 'fieldErrors' in answer ? answer.fieldErrors : undefined;
  return (
    <section className="page narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">{t('accounts.reset.title')}</h1>
      {realName === null ? (
        <p role="alert" className="notice">
          {t('accounts.reset.invalid')}
        </p>
      ) : (
        <>
          <p>{t('accounts.reset.intro', { name: realName })}</p>
          <Form method="post" className="stack" noValidate>
            <CsrfInput />
            {answer && 'formError' in answer && <FormError error={answer.formError} params={answer.params} />}
            <Field
              name="password"
              type="password"
              label={t('accounts.reset.password')}
              help={t('auth.passwordHelp')}
              autoComplete="new-password"
              required
              errors={errors?.password}
            />
            <Field
              name="confirm"
              type="password"
              label={t('accounts.reset.confirm')}
              autoComplete="new-password"
              required
              errors={errors?.confirm}
            />
            <button type="submit" className="button" disabled={busy}>
              {t('accounts.reset.submit')}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
