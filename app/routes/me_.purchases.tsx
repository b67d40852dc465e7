import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../server/http/cookies';
import { useServerOffset } from '../components/money/due';
import { pageTitle } from '../components/public/meta';
import { Purchase } from '../components/sales/purchase';
import { salesBuyerLinks } from '../components/sales/stylesheets';
import { formatMoney } from '../utils/format';
import { load, requireAuth } from '../utils/route.server';

export const links = salesBuyerLinks;
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'sales.mine.title');

/** The buyer's purchases paid in full: each step to the handover with its date and deadline, the ruling. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => {
    const mine = await context.services.sales.mySales(auth.actor);
    return { sales: mine.sales, serverTime: mine.serverTime.getTime() };
  });
}

export default function MyPurchases() {
  const d = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const offset = useServerOffset(d.serverTime);
  return (
    <section className="page" aria-labelledby="purchases-title">
      <h1 id="purchases-title">{t('sales.mine.title')}</h1>
      <p className="muted">{t('sales.mine.intro')}</p>
      {d.sales.length === 0 ? (
        <p className="notice">
          {t('sales.mine.none')} <Link to="/me/payments">{t('sales.mine.paymentsLink')}</Link>
        </p>
      ) : (
        <ul className="purchase-cards">
          {d.sales.map((s) => (
            <li
              key={s.listingId}
              className="card stack"
              data-testid="purchase"
              aria-labelledby={`purchase-${s.listingId}`}
            >
              <h2 id={`purchase-${s.listingId}`}>
                <Link to={`/auctions/${s.listingId}`}>{s.title}</Link>
              </h2>
              <dl className="facts">
                <dt>{t('sales.mine.court')}</dt>
                <dd>{locale === 'en' ? s.court.nameEn : s.court.nameZh}</dd>
                <dt>{t('sales.mine.price')}</dt>
                <dd className="money">{formatMoney(s.priceFen)}</dd>
              </dl>
              <Purchase sale={s} locale={locale} offset={offset} level={3} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
