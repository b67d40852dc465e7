import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../components/court/display';
import { CsrfInput, Field, FormError } from '../components/forms';
import { formatDateTime } from '../utils/format';
import { act, formObject, load, readForm, requireAuth } from '../utils/route.server';

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => {
    // The state from the verifications recorded, never assumed (ADR 028).
    const state = await context.services.identity.verificationState(auth.actor);
    const { realName, email, phone, nationalIdMasked } = auth.user;
    return { realName, email, phone, nationalIdMasked, verification: state };
  });
}

/** The person asks the identity-verification provider to check his name and ID number. */
export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  return act(request, async () => {
    const answer = await context.services.identity.verifyIdentity(auth.actor, formObject(form), {
      requestId: context.meta.requestId,
    });
    throw redirect(`/me?verify=${answer.outcome}`);
  });
}

export default function Me() {
  const me = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useLocale();
  const [params] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const errors = answer && 'fieldErrors' in answer ? answer.fieldErrors : undefined;
  const v = me.verification;
  const reason = v.last?.reason ? t(`accounts.verify.reason.${v.last.reason}`) : '';
  return (
    <section className="page" aria-labelledby="me-title">
      <h1 id="me-title">{t('me.title')}</h1>
      <p className="lead">{t('me.welcome', { name: me.realName })}</p>
      {params.get('verify') && (
        <p role="status" className="notice" data-testid="verify-answer">
          {params.get('verify') === 'verified'
            ? t('accounts.verify.verified')
            : params.get('verify') === 'rejected'
              ? t('accounts.verify.rejected', { reason })
              : t('accounts.verify.unavailable')}
        </p>
      )}
      <dl className="facts">
        <dt>{t('me.verification')}</dt>
        <dd>
          <span className={`status status-${v.status}`} data-testid="verification-status">
            {t(`me.verificationStatus.${v.status}`)}
          </span>
          {v.last && (
            <small>
              {' '}
              {t('accounts.verify.lastAttempt', {
                at: formatDateTime(v.last.at, locale),
                provider: v.last.provider,
              })}
            </small>
          )}
        </dd>
        <dt>{t('me.nationalId')}</dt>
        <dd data-testid="masked-id">{me.nationalIdMasked ?? t('common.none')}</dd>
        <dt>{t('me.phone')}</dt>
        <dd>{me.phone ?? t('common.none')}</dd>
        <dt>{t('me.email')}</dt>
        <dd>{me.email}</dd>
      </dl>
      {v.canVerify && (
        <section aria-labelledby="verify-title">
          <h2 id="verify-title">{t('accounts.verify.title')}</h2>
          <p className="notice">{t('me.unverifiedHint')}</p>
          <p>{t('accounts.verify.intro')}</p>
          <Form method="post" className="stack" noValidate>
            <CsrfInput />
            {answer && 'formError' in answer && <FormError error={answer.formError} params={answer.params} />}
            <Field
              name="realName"
              label={t('accounts.verify.realName')}
              defaultValue={v.realName}
              autoComplete="name"
              required
              errors={errors?.realName}
            />
            <Field
              name="nationalId"
              label={t('accounts.verify.nationalId')}
              help={v.hasNationalId ? (me.nationalIdMasked ?? undefined) : t('auth.nationalIdHelp')}
              autoComplete="off"
              required={!v.hasNationalId}
              errors={errors?.nationalId}
            />
            <button type="submit" className="button" disabled={busy}>
              {t('accounts.verify.submit')}
            </button>
          </Form>
        </section>
      )}
      <p>
        <Link to="/me/auctions">{t('myAuctions.title')}</Link>
      </p>
      <p>
        <Link to="/me/funds">{t('funds.mine.title')}</Link>
      </p>
      <p>
        <Link to="/me/notifications">{t('notify.prefs.title')}</Link>
      </p>
      <p>
        <Link to="/account/password">{t('accounts.password.link')}</Link>
      </p>
    </section>
  );
}
