import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { requirePermission } from '../../server/identity/permissions';
import { CsrfInput, FormError } from '../components/forms';
import moneyCss from '../components/money/money.css?url';
import { pageTitle } from '../components/public/meta';
import { formatMoney } from '../utils/format';
import { act, load, readForm, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: moneyCss }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'register.title');

const ParamsSchema = z.object({ listingId: z.uuid() });

/** Registration (art. 17-18): read the notices, promise eligibility where restricted, then pay the deposit. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  return load(request, async () => {
    requirePermission(auth.actor, 'register:auction');
    const mine = await context.services.registrations.myRegistration(auth.actor, parsed.data.listingId);
    if (mine) throw redirect(`/me/pay/deposit/${mine.deposit.id}`);
    const [{ listing: l }, designation] = await Promise.all([
      context.services.listings.publicListing(parsed.data.listingId),
      // art. 19, 21: the bidder learns, and only about himself, that he registers as a priority purchaser.
      context.services.registrations.myDesignation(auth.actor, parsed.data.listingId),
    ]);
    return {
      designation,
      id: l.id,
      title: l.title,
      status: l.status,
      depositFen: l.depositFen.toString(),
      specialNotices: l.specialNotices,
      purchaseRestricted: l.purchaseRestricted,
      open: l.status === 'announced' || l.status === 'live',
    };
  });
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  return act(request, async () => {
    const reg = await context.services.registrations.register(auth.actor, String(params.listingId), {
      acceptNotices: form.get('acceptNotices') === 'on',
      promiseEligibility: form.get('promiseEligibility') === 'on',
    });
    throw redirect(`/me/pay/deposit/${reg.deposit.id}`);
  });
}

export default function Register() {
  const l = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state === 'submitting';
  const errors = result?.fieldErrors;
  return (
    <section className="page narrow" aria-labelledby="register-title">
      <p>
        <Link to={`/auctions/${l.id}`}>{t('register.back')}</Link>
      </p>
      <h1 id="register-title">{t('register.title')}</h1>
      <p className="lead">{l.title}</p>
      <ol className="steps" aria-label={t('register.stepsLabel')}>
        <li aria-current="step">{t('register.step1')}</li>
        <li>{t('register.step2')}</li>
        <li>{t('register.step3')}</li>
      </ol>
      {!l.open ? (
        <p className="notice" role="status">
          {t('registration.closed')}
        </p>
      ) : (
        <Form method="post" className="stack" noValidate>
          <CsrfInput />
          <FormError error={result?.formError} params={result?.params} />
          <dl className="facts">
            <dt>{t('register.deposit')}</dt>
            <dd className="money">{formatMoney(l.depositFen)}</dd>
          </dl>
          <p className="field-help">{t('register.creditorNote')}</p>
          {l.designation && (
            <p className="notice" data-testid="priority-notice">
              {t('register.priorityNotice', {
                rank: l.designation.rank,
                right: t(`priorityRight.${l.designation.rightKind}`),
              })}
            </p>
          )}
          <section className="notices" aria-labelledby="notices-title">
            <h2 id="notices-title">{t('register.noticesTitle')}</h2>
            <p className="prose">{l.specialNotices}</p>
            <ul>
              <li>{t('register.noticeAsIs')}</li>
              <li>{t('register.noticeAnonymous')}</li>
              <li>{t('register.noticeConfirmation')}</li>
              <li>{t('register.noticeDefault')}</li>
            </ul>
          </section>
          <div className="field">
            <label className="checkbox">
              <input
                type="checkbox"
                name="acceptNotices"
                aria-invalid={errors?.acceptNotices ? true : undefined}
                aria-describedby={errors?.acceptNotices ? 'acceptNotices-error' : undefined}
              />{' '}
              {t('register.acceptNotices')}
            </label>
            {errors?.acceptNotices && (
              <p id="acceptNotices-error" className="field-error">
                {errors.acceptNotices.map((k) => t(k)).join(' ')}
              </p>
            )}
          </div>
          {l.purchaseRestricted && (
            <div className="field">
              <label className="checkbox">
                <input
                  type="checkbox"
                  name="promiseEligibility"
                  aria-invalid={errors?.promiseEligibility ? true : undefined}
                  aria-describedby={errors?.promiseEligibility ? 'promiseEligibility-error' : undefined}
                />{' '}
                {t('register.promiseEligibility')}
              </label>
              {errors?.promiseEligibility && (
                <p id="promiseEligibility-error" className="field-error">
                  {errors.promiseEligibility.map((k) => t(k)).join(' ')}
                </p>
              )}
            </div>
          )}
          <button type="submit" className="button" disabled={busy}>
            {t('register.submit')}
          </button>
        </Form>
      )}
    </section>
  );
}
