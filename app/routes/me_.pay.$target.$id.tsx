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
import type { Locale } from '../../server/http/cookies';
import { CsrfInput, FormError } from '../components/forms';
import { DueCountdown, useServerOffset } from '../components/money/due';
import moneyCss from '../components/money/money.css?url';
import { balancePage, depositPage, type PayPage } from '../components/money/shape';
import { StripePaymentElement } from '../components/money/stripe-element';
import { pageTitle } from '../components/public/meta';
import publicCss from '../components/public/public.css?url';
import { formatDateTime, formatMoney } from '../utils/format';
import { useRootData } from '../utils/root-data';
import { act, load, readForm, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: publicCss },
  { rel: 'stylesheet', href: moneyCss },
];
export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, data?.page.target === 'balance' ? 'pay.balanceTitle' : 'pay.depositTitle');

const ParamsSchema = z.object({ target: z.enum(['deposit', 'balance']), id: z.uuid() });

function parseParams(params: Record<string, string | undefined>) {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  return parsed.data;
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const { target, id } = parseParams(params);
  return load(request, async () => {
    const page: PayPage =
      target === 'deposit'
        ? depositPage(await context.services.payments.depositView(auth.actor, id))
        : balancePage(await context.services.payments.balanceView(auth.actor, id));
    return { page, serverTime: Date.now() };
  });
}

/** Starts a payment: the local simulator or a bank-transfer reference by redirect; Stripe in place. */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const { target, id } = parseParams(params);
  const form = await readForm(request, context);
  return act(request, async () => {
    const started = await context.services.payments.startPayment(auth.actor, {
      target,
      id,
      method: form.get('method'),
    });
    if (started.redirectUrl) throw redirect(started.redirectUrl);
    if (started.clientSecret) return { clientSecret: started.clientSecret };
    throw redirect(`/me/pay/${target}/${id}#transfer`);
  });
}

export default function Pay() {
  const { page: p, serverTime } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const root = useRootData();
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const offset = useServerOffset(serverTime);
  const busy = useNavigation().state === 'submitting';
  const formError = result && 'formError' in result ? result : null;
  const clientSecret = result && 'clientSecret' in result ? result.clientSecret : null;
  const simulated = root?.publicConfig?.simulatedPayments;

  return (
    <section className="page narrow pay" aria-labelledby="pay-title">
      <p>
        <Link to="/me/payments">{t('pay.backToPayments')}</Link>
      </p>
      <h1 id="pay-title">{t(p.target === 'deposit' ? 'pay.depositTitle' : 'pay.balanceTitle')}</h1>
      <p className="lead">
        <Link to={`/auctions/${p.listing.id}`}>{p.listing.title}</Link>
      </p>

      <dl className="facts">
        <dt>{t('pay.status')}</dt>
        <dd>
          <span className={`status status-${p.status}`} data-testid="pay-status">
            {t(`pay.${p.target}Status.${p.status}`)}
          </span>
        </dd>
        <dt>{t('pay.amount')}</dt>
        <dd className="money" data-testid="pay-amount">
          {formatMoney(p.amountFen)}
        </dd>
        {p.target === 'deposit' && p.amountFen !== p.requiredFen && (
          <>
            <dt>{t('pay.required')}</dt>
            <dd>
              {formatMoney(p.requiredFen)} <span className="muted">{t('pay.creditorReduced')}</span>
            </dd>
          </>
        )}
        {p.target === 'balance' && (
          <>
            <dt>{t('pay.price')}</dt>
            <dd>{formatMoney(p.priceFen)}</dd>
            <dt>{t('pay.depositApplied')}</dt>
            <dd>−{formatMoney(p.depositAppliedFen)}</dd>
          </>
        )}
      </dl>

      {p.target === 'deposit' &&
        p.status === 'held' &&
        !p.renewal &&
        (p.listing.status === 'announced' || p.listing.status === 'live') && (
          <p className="notice" data-testid="go-bid">
            {t(p.listing.status === 'live' ? 'pay.heldLive' : 'pay.heldAnnounced')}{' '}
            <Link to={`/auctions/${p.listing.id}#bid`} className="button button-small">
              {t('pay.goBid')}
            </Link>
          </p>
        )}
      {p.renewal && (
        <p className="notice notice-warning" role="status">
          {t('pay.renewNotice')}
        </p>
      )}
      {p.payable && (
        <DueCountdown
          label={t(p.target === 'deposit' ? 'pay.depositBefore' : 'pay.balanceBefore')}
          due={p.dueAt}
          offset={offset}
          locale={locale}
        />
      )}

      {p.payable && !clientSecret && (
        <Form method="post" className="stack pay-methods">
          <CsrfInput />
          <FormError error={formError?.formError} params={formError?.params} />
          {p.lastDecline && (
            <p className="notice notice-warning" role="status">
              {t('pay.declined', { reason: t(`pay.decline.${p.lastDecline}`) })}
            </p>
          )}
          <fieldset className="group">
            <legend>{t('pay.chooseMethod')}</legend>
            {p.card && (
              <button
                type="submit"
                name="method"
                value="card"
                className="button"
                disabled={busy || p.cardRefusal !== null}
                aria-describedby={p.cardRefusal ? 'card-refusal' : undefined}
              >
                {t(p.card === 'local' ? 'pay.payByCardSimulated' : 'pay.payByCard')}
              </button>
            )}
            {p.card && p.cardRefusal && (
              <p id="card-refusal" className="field-help" data-testid="card-refusal">
                {t(p.cardRefusal.messageKey, {
                  max: formatMoney(String(p.cardRefusal.params.maxFen ?? '0')),
                })}
              </p>
            )}
            {p.card === 'local' && simulated && (
              <p className="field-help simulated">{t('pay.simulatedHelp')}</p>
            )}
            <button
              type="submit"
              name="method"
              value="bank_transfer"
              className="button button-secondary"
              disabled={busy}
            >
              {t('pay.payByTransfer')}
            </button>
          </fieldset>
        </Form>
      )}

      {clientSecret && root?.publicConfig?.stripePublishableKey && (
        <StripePaymentElement
          publishableKey={root.publicConfig.stripePublishableKey}
          clientSecret={clientSecret}
          returnUrl={`/me/pay/${p.target}/${p.id}`}
        />
      )}

      {p.transferReference && (
        <section id="transfer" className="transfer card" aria-labelledby="transfer-title">
          <h2 id="transfer-title">{t('pay.transferTitle')}</h2>
          <p>{t('pay.transferHelp')}</p>
          <dl className="facts">
            <dt>{t('pay.reference')}</dt>
            <dd>
              <strong className="reference" data-testid="transfer-reference">
                {p.transferReference}
              </strong>
            </dd>
            <dt>{t('pay.amount')}</dt>
            <dd className="money">{formatMoney(p.amountFen)}</dd>
            {p.bankAccount ? (
              <>
                <dt>{t('pay.accountName')}</dt>
                <dd>{p.bankAccount.accountName}</dd>
                <dt>{t('pay.bankName')}</dt>
                <dd>{p.bankAccount.bankName}</dd>
                <dt>{t('pay.accountNo')}</dt>
                <dd className="reference">{p.bankAccount.accountNo}</dd>
              </>
            ) : (
              <>
                <dt>{t('pay.accountName')}</dt>
                <dd>{locale === 'en' ? p.court.nameEn : p.court.nameZh}</dd>
              </>
            )}
          </dl>
          <p className="muted" role="status">
            {t(p.transferAwaiting ? 'pay.transferAwaiting' : 'pay.transferWaiting')}
          </p>
        </section>
      )}

      {p.attempts.length > 0 && (
        <section aria-labelledby="attempts-title">
          <h2 id="attempts-title">{t('pay.attemptsTitle')}</h2>
          <ol className="timeline">
            {p.attempts.map((a) => (
              <li key={a.id}>
                {/* The separators belong to the part they precede, so none wraps onto a line alone. */}
                <span className="dot-list">
                  <time dateTime={a.createdAt}>{formatDateTime(a.createdAt, locale)}</time>
                  <span>{t(`pay.method.${a.method}`)}</span>
                  <span>{formatMoney(a.amountFen)}</span>
                  <span className={`status status-${a.status}`}>{t(`pay.paymentStatus.${a.status}`)}</span>
                  {a.receipt && <Link to={`/me/receipts/${a.id}`}>{t('pay.receipt')}</Link>}
                </span>
              </li>
            ))}
          </ol>
        </section>
      )}
    </section>
  );
}
