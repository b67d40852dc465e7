import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { Locale } from '../../server/http/cookies';
import moneyCss from '../components/money/money.css?url';
import { pageTitle } from '../components/public/meta';
import { formatDateTime, formatMoney } from '../utils/format';
import { load, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: moneyCss }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'receipt.title');

const ParamsSchema = z.object({ paymentId: z.uuid() });

/** A printable receipt of one of the bidder's own payments. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  return load(request, async () => {
    const r = await context.services.payments.receipt(auth.actor, parsed.data.paymentId);
    return {
      id: r.payment.id,
      purpose: r.payment.purpose,
      method: r.payment.method,
      status: r.payment.status,
      amountFen: r.payment.amountFen.toString(),
      // A bank transfer's identifying code (汇款识别码) is ours; a card payment's id is the gateway's.
      transferReference: r.payment.reference,
      gatewayRef: r.payment.reference ? null : r.payment.gatewayRef,
      at: r.payment.updatedAt.toISOString(),
      payer: r.realName,
      title: r.title,
      court: r.court,
    };
  });
}

export default function Receipt() {
  const r = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <article className="page narrow receipt" aria-labelledby="receipt-title">
      <p className="no-print">
        <Link to="/me/payments">{t('pay.backToPayments')}</Link>
      </p>
      <h1 id="receipt-title">{t('receipt.title')}</h1>
      {r.method === 'local' && (
        <p className="simulated-banner" role="note">
          {t('simulator.banner')}
        </p>
      )}
      <dl className="facts">
        <dt>{t('receipt.number')}</dt>
        <dd className="reference">{r.id}</dd>
        <dt>{t('receipt.payer')}</dt>
        <dd>{r.payer}</dd>
        <dt>{t('receipt.payee')}</dt>
        <dd>{locale === 'en' ? r.court.nameEn : r.court.nameZh}</dd>
        <dt>{t('receipt.for')}</dt>
        <dd>
          {t(`myPayments.purpose.${r.purpose}`)} · {r.title}
        </dd>
        <dt>{t('pay.amount')}</dt>
        <dd className="money">{formatMoney(r.amountFen)}</dd>
        <dt>{t('receipt.method')}</dt>
        <dd>
          {t(`pay.method.${r.method}`)} · {t(`pay.paymentStatus.${r.status}`)}
        </dd>
        {r.transferReference && (
          <>
            <dt>{t('pay.reference')}</dt>
            <dd className="reference">{r.transferReference}</dd>
          </>
        )}
        {r.gatewayRef && (
          <>
            <dt>{t('receipt.gatewayRef')}</dt>
            <dd className="reference" data-testid="gateway-ref">
              {r.gatewayRef}
            </dd>
          </>
        )}
        <dt>{t('receipt.at')}</dt>
        <dd>{formatDateTime(r.at, locale)}</dd>
      </dl>
      <p className="no-print">
        <button type="button" className="button button-secondary" onClick={() => window.print()}>
          {t('receipt.print')}
        </button>
      </p>
    </article>
  );
}
