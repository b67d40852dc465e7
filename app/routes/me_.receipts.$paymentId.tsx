import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { Locale } from '../../server/http/cookies';
import moneyCss from '../components/money/money.css?url';
import { pageTitle } from '../components/public/meta';
import { capitalWords } from '../utils/capital-words';
import { formatDateTime, formatMoney } from '../utils/format';
import { load, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: moneyCss }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'receipt.title');

const ParamsSchema = z.object({ paymentId: z.uuid() });

/** A printable receipt of one of the bidder's own payments, numbered, with its PDF. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  return load(request, async () => {
    const r = await context.services.payments.receipt(auth.actor, parsed.data.paymentId);
    return { ...r, amountFen: r.amountFen.toString(), issuedAt: r.issuedAt.toISOString() };
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
        <dd className="reference" data-testid="receipt-number">
          {r.number}
        </dd>
        <dt>{t('receipt.payer')}</dt>
        <dd>{r.payer}</dd>
        <dt>{t('receipt.payee')}</dt>
        <dd>{locale === 'en' ? r.court.nameEn : r.court.nameZh}</dd>
        <dt>{t('receipt.for')}</dt>
        <dd>
          {t(`myPayments.purpose.${r.purpose}`)} · <Link to={`/auctions/${r.listingId}`}>{r.title}</Link>
        </dd>
        <dt>{t('pay.amount')}</dt>
        <dd>
          <span className="money">{formatMoney(r.amountFen)}</span>
          {locale === 'zh-CN' && <span className="capital-words"> （{capitalWords(r.amountFen)}）</span>}
        </dd>
        <dt>{t('receipt.method')}</dt>
        <dd>
          {t(`pay.method.${r.method}`)} · {t(`pay.paymentStatus.${r.status}`)}
        </dd>
        {/* The reference by the way the money came: a card's id is the provider's, not a 汇款识别码. */}
        {r.references.map((x) => (
          <Fragment key={`${x.kind}-${x.value}`}>
            <dt>{t(`receipt.ref.${x.kind}`)}</dt>
            <dd className="reference" data-testid={`ref-${x.kind}`}>
              {x.value}
            </dd>
          </Fragment>
        ))}
        <dt>{t('receipt.at')}</dt>
        <dd>
          <time dateTime={r.issuedAt}>{formatDateTime(r.issuedAt, locale)}</time>
        </dd>
      </dl>
      <p className="no-print actions">
        <button type="button" className="button button-secondary" onClick={() => window.print()}>
          {t('receipt.print')}
        </button>{' '}
        <a
          className="button button-secondary"
          href={`/me/receipts/${r.id}/receipt.pdf`}
          type="application/pdf"
          download
        >
          {t('receipt.pdf')}
        </a>
      </p>
    </article>
  );
}
