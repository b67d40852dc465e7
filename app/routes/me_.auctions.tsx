import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../server/http/cookies';
import { CsrfInput } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import { formatDateTime, formatMoney } from '../utils/format';
import { load, requireAuth } from '../utils/route.server';

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'myAuctions.title');

/** 我的拍卖 (ADR 027): his followed, registered, bidding, won and lost auctions, states from the service. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => {
    const [mine, notices] = await Promise.all([
      context.services.registrations.myAuctions(auth.actor),
      // His in-site list (the reminders among them), newest first.
      context.services.notifications.list(auth.actor, 10),
    ]);
    return {
      auctions: mine.auctions,
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

const GROUPS = ['bidding', 'registered', 'followed', 'won', 'lost', 'closed'] as const;

export default function MyAuctions() {
  const d = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [params] = useSearchParams();
  const unfollowed = params.get('follow') === 'off';
  return (
    <section className="page" aria-labelledby="my-auctions-title">
      <h1 id="my-auctions-title">{t('myAuctions.title')}</h1>
      <p className="muted">{t('myAuctions.intro')}</p>
      {unfollowed && (
        <p className="notice" role="status">
          {t('follow.answer.off')}
        </p>
      )}
      {d.notices.length > 0 && (
        <section aria-labelledby="notices-title" className="notices-list" data-testid="notices">
          <h2 id="notices-title">{t('myAuctions.notices')}</h2>
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
      {d.auctions.length === 0 && (
        <p className="notice">
          {t('myAuctions.none')} <Link to="/auctions">{t('myAuctions.browse')}</Link>
        </p>
      )}
      {GROUPS.map((g) => {
        const rows = d.auctions.filter((a) => a.group === g);
        if (!rows.length) return null;
        return (
          <section key={g} aria-labelledby={`group-${g}`} data-testid={`group-${g}`}>
            <h2 id={`group-${g}`}>{t(`myAuctions.group.${g}`)}</h2>
            <ul className="stack">
              {rows.map((a) => (
                <li key={a.listingId} className="card stack" data-testid="my-auction">
                  <h3>
                    <Link to={`/auctions/${a.listingId}`}>{a.title}</Link>
                  </h3>
                  <dl className="facts">
                    <dt>{t('myAuctions.stateLabel')}</dt>
                    <dd>
                      <span className={`status status-${a.state}`} data-testid="my-auction-state">
                        {t(`myAuctions.state.${a.state}`)}
                      </span>
                      {a.following && a.registered && ` · ${t('follow.following')}`}
                    </dd>
                    {a.next && (
                      <>
                        <dt>{t(`myAuctions.next.${a.next.kind}`)}</dt>
                        <dd>
                          <time dateTime={new Date(a.next.at).toISOString()}>
                            {formatDateTime(a.next.at, locale)}
                          </time>
                        </dd>
                      </>
                    )}
                    <dt>{t(a.status === 'announced' ? 'myAuctions.startingPrice' : 'myAuctions.price')}</dt>
                    <dd className="money">{formatMoney(a.priceFen)}</dd>
                    {a.code && (
                      <>
                        <dt>{t('myAuctions.code')}</dt>
                        <dd>{a.code}</dd>
                      </>
                    )}
                    {a.balanceFen && a.state === 'won' && (
                      <>
                        <dt>{t('myAuctions.balance')}</dt>
                        <dd className="money">{formatMoney(a.balanceFen)}</dd>
                      </>
                    )}
                    {a.deposit && (
                      <>
                        <dt>{t('myAuctions.deposit')}</dt>
                        <dd data-testid="deposit-release">
                          {a.deposit.releasedAt
                            ? t('myAuctions.depositReleasedAt', {
                                amount: formatMoney(a.deposit.amountFen),
                                at: formatDateTime(a.deposit.releasedAt, locale),
                              })
                            : a.deposit.releasing
                              ? t('myAuctions.depositReleasing', { amount: formatMoney(a.deposit.amountFen) })
                              : t(`myAuctions.depositStatus.${a.deposit.status}`, {
                                  defaultValue: a.deposit.status,
                                })}
                        </dd>
                      </>
                    )}
                  </dl>
                  <p className="actions">
                    {a.can.pay && (
                      <Link className="button button-small" to="/me/payments">
                        {t(a.state === 'won' ? 'myAuctions.payBalance' : 'myAuctions.payDeposit')}
                      </Link>
                    )}
                    {a.can.followSale && (
                      <Link to={`/me/purchases#purchase-${a.listingId}`}>{t('myAuctions.road')}</Link>
                    )}
                  </p>
                  {a.can.unfollow && (
                    <Form method="post" action={`/auctions/${a.listingId}/follow`}>
                      <CsrfInput />
                      <input type="hidden" name="intent" value="unfollow" />
                      <input type="hidden" name="back" value="me" />
                      <button type="submit" className="link-button">
                        {t('follow.unfollow')}
                      </button>
                    </Form>
                  )}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </section>
  );
}
