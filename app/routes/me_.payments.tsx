import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../server/http/cookies';
import { DueCountdown, useServerOffset } from '../components/money/due';
import moneyCss from '../components/money/money.css?url';
import { pageTitle } from '../components/public/meta';
import publicCss from '../components/public/public.css?url';
import { formatDateTime, formatMoney } from '../utils/format';
import { load, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: publicCss },
  { rel: 'stylesheet', href: moneyCss },
];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'myPayments.title');

/** The bidder's deposits with their status, balances due with a countdown, receipts and notices. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => {
    const mine = await context.services.payments.myPayments(auth.actor);
    const notices = await context.services.notifications.list(auth.actor);
    return {
      serverTime: Date.now(),
      deposits: mine.deposits.map((r) => ({
        id: r.deposit.id,
        title: r.title,
        listingId: r.deposit.listingId,
        code: r.code,
        status: r.deposit.status,
        amountFen: r.deposit.amountFen.toString(),
        renewal: r.deposit.renewalRequestedAt !== null,
        endAt: r.endAt.toISOString(),
        listingStatus: r.listingStatus,
        payable: r.can.pay,
      })),
      balances: mine.balances.map((r) => ({
        id: r.balance.id,
        title: r.title,
        status: r.balance.status,
        amountFen: r.balance.amountFen.toString(),
        dueAt: r.balance.dueAt.toISOString(),
        payable: r.can.pay,
      })),
      receipts: mine.receipts.map((p) => ({
        id: p.id,
        purpose: p.purpose,
        method: p.method,
        amountFen: p.amountFen.toString(),
        at: p.updatedAt.toISOString(),
      })),
      notices: notices.map((n) => ({
        id: n.id,
        kind: n.kind,
        params: n.params,
        link: n.link,
        at: n.createdAt.toISOString(),
        unread: n.readAt === null,
      })),
    };
  });
}

export default function MyPayments() {
  const d = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const offset = useServerOffset(d.serverTime);
  return (
    <section className="page" aria-labelledby="payments-title">
      <h1 id="payments-title">{t('myPayments.title')}</h1>

      {d.notices.length > 0 && (
        <section aria-labelledby="notices-title" className="notices-list">
          <h2 id="notices-title">{t('myPayments.notices')}</h2>
          <ul>
            {d.notices.map((n) => (
              <li key={n.id} className={n.unread ? 'unread' : undefined}>
                <time dateTime={n.at}>{formatDateTime(n.at, locale)}</time>{' '}
                {n.link ? (
                  <Link to={n.link}>{t(`notifications.${n.kind}`, n.params)}</Link>
                ) : (
                  t(`notifications.${n.kind}`, n.params)
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="balances-title">
        <h2 id="balances-title">{t('myPayments.balances')}</h2>
        {d.balances.length === 0 ? (
          <p className="muted">{t('myPayments.noBalances')}</p>
        ) : (
          <ul className="money-cards">
            {d.balances.map((b) => (
              <li key={b.id} className="card" data-testid="balance-card">
                <h3>{b.title}</h3>
                <p>
                  <span className={`status status-${b.status}`}>{t(`pay.balanceStatus.${b.status}`)}</span>{' '}
                  <span className="money">{formatMoney(b.amountFen)}</span>
                </p>
                {b.status === 'open' && (
                  <DueCountdown
                    label={t('pay.balanceBefore')}
                    due={b.dueAt}
                    offset={offset}
                    locale={locale}
                  />
                )}
                <Link to={`/me/pay/balance/${b.id}`} className="button button-small">
                  {t(b.payable ? 'myPayments.payBalance' : 'myPayments.details')}
                </Link>
                {/* Paid in full: the ruling and the handover follow among his purchases. */}
                {b.status === 'paid' && (
                  <>
                    {' '}
                    <Link to="/me/purchases">{t('sales.mine.title')}</Link>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="deposits-title">
        <h2 id="deposits-title">{t('myPayments.deposits')}</h2>
        {d.deposits.length === 0 ? (
          <p className="muted">
            {t('myPayments.noDeposits')} <Link to="/auctions">{t('myPayments.browse')}</Link>
          </p>
        ) : (
          <ul className="money-cards">
            {d.deposits.map((x) => (
              <li key={x.id} className="card" data-testid="deposit-card">
                <h3>
                  <Link to={`/auctions/${x.listingId}`}>{x.title}</Link>
                </h3>
                <p>
                  <span className={`status status-${x.status}`} data-testid="deposit-status">
                    {t(`pay.depositStatus.${x.status}`)}
                  </span>{' '}
                  <span className="money">{formatMoney(x.amountFen)}</span>
                  {x.code && (
                    <>
                      {' '}
                      · {t('myPayments.code')} <strong className="reference">{x.code}</strong>
                    </>
                  )}
                </p>
                {x.renewal && <p className="notice notice-warning">{t('pay.renewNotice')}</p>}
                <Link to={`/me/pay/deposit/${x.id}`} className="button button-small">
                  {t(x.payable ? 'myPayments.payDeposit' : 'myPayments.details')}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="receipts-title">
        <h2 id="receipts-title">{t('myPayments.receipts')}</h2>
        {d.receipts.length === 0 ? (
          <p className="muted">{t('myPayments.noReceipts')}</p>
        ) : (
          <ul>
            {d.receipts.map((r) => (
              <li key={r.id}>
                <Link to={`/me/receipts/${r.id}`}>
                  {t(`myPayments.purpose.${r.purpose}`)} · {formatMoney(r.amountFen)} ·{' '}
                  {formatDateTime(r.at, locale)}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
