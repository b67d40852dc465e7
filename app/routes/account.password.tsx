import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { homePathFor } from '../../server/identity/permissions';
import { CsrfInput, Field, FormError } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import { act, formObject, readForm, requireAuth } from '../utils/route.server';

export const meta: MetaFunction = ({ matches }) => [
  ...pageTitle(matches, 'accounts.password.title'),
  { name: 'robots', content: 'noindex' },
];

/**
 * The signed-in person's own password (ADR 028). An account an admin created with an initial
 * password is led here at first sign-in, and every other page leads back here until it changes.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return { mustChange: auth.user.mustChangePassword };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  return act(request, async () => {
    const r = await context.services.identity.changeOwnPassword(auth.actor, formObject(form), {
      requestId: context.meta.requestId,
    });
    // The first password of his own: on to his work; otherwise back here with the notice.
    throw redirect(r.wasInitial ? homePathFor(auth.user.roles) : '/account/password?done=1');
  });
}

export default function ChangePassword() {
  const { mustChange } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const busy = useNavigation().state === 'submitting';
  const errors = answer && 'fieldErrors' in answer ? answer.fieldErrors : undefined;
  return (
    <section className="page narrow" aria-labelledby="password-title">
      <h1 id="password-title">{t('accounts.password.title')}</h1>
      {params.get('done') && (
        <p role="status" className="notice">
          {t('accounts.password.done')}
        </p>
      )}
      {mustChange ? (
        <p role="alert" className="notice">
          {t('accounts.password.mustChange')}
        </p>
      ) : (
        <p>{t('accounts.password.intro')}</p>
      )}
      <Form method="post" className="stack" noValidate>
        <CsrfInput />
        {answer && 'formError' in answer && <FormError error={answer.formError} params={answer.params} />}
        <Field
          name="current"
          type="password"
          label={t('accounts.password.current')}
          autoComplete="current-password"
          required
          errors={errors?.current}
        />
        <Field
          name="password"
          type="password"
          label={t('accounts.password.new')}
          help={t('auth.passwordHelp')}
          autoComplete="new-password"
          required
          errors={errors?.password}
        />
        <Field
          name="confirm"
          type="password"
          label={t('accounts.password.confirm')}
          autoComplete="new-password"
          required
          errors={errors?.confirm}
        />
        <button type="submit" className="button" disabled={busy}>
          {t('accounts.password.submit')}
        </button>
      </Form>
    </section>
  );
}
