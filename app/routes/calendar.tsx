import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { publicStatus } from '../../server/auctions/rules';
import type { Locale } from '../../server/http/cookies';
import { pageTitle } from '../components/public/meta';
import publicStyles from '../components/public/public.css?url';
import { auctionPath } from '../components/public/shape';
import { StatusBadge } from '../components/public/status-badge';
import {
  beijingMonth,
  formatDay,
  formatMonth,
  formatTime,
  groupByBeijingDay,
  MONTH_PATTERN,
  monthRange,
  shiftMonth,
} from '../components/public/time';
import { formatMoney } from '../utils/format';
import { load } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: publicStyles }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'calendar.title');

const MonthSchema = z
  .string()
  .regex(MONTH_PATTERN)
  .refine((m) => m >= '2000-01' && m <= '2100-12')
  .optional();

export async function loader({ request, context }: LoaderFunctionArgs) {
  const parsed = MonthSchema.safeParse(new URL(request.url).searchParams.get('month') || undefined);
  if (!parsed.success) throw data({ messageKey: 'calendar.badMonth' }, { status: 400 });
  // "This month" is Beijing's month: at 00:30 on the 1st in Beijing it is still last month in UTC.
  const current = beijingMonth(new Date());
  const month = parsed.data ?? current;
  const { from, to } = monthRange(month);
  const rows = await load(request, () => context.services.listings.calendar(from, to));
  const sales = rows.map((r) => ({
    id: r.id,
    title: r.title,
    publicStatus: publicStatus(r.status, null),
    startsAt: r.startsAt,
    startingPriceFen: r.startingPriceFen.toString(),
    assetType: r.assetType,
    courtNameZh: r.courtNameZh,
    courtNameEn: r.courtNameEn,
  }));
  return {
    month,
    current,
    previous: shiftMonth(month, -1),
    next: shiftMonth(month, 1),
    count: sales.length,
    days: groupByBeijingDay(sales, (s) => s.startsAt),
  };
}

export default function Calendar() {
  const { month, current, previous, next, count, days } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <div className="page">
      <h1>{t('calendar.title')}</h1>
      <p className="lead">{t('calendar.intro')}</p>
      <nav className="month-nav" aria-label={t('calendar.monthNav')}>
        <Link to={`/calendar?month=${previous}`} rel="prev">
          <span aria-hidden="true">‹</span>
          {t('calendar.previous')}
        </Link>
        {month !== current && <Link to="/calendar">{t('calendar.thisMonth')}</Link>}
        <Link to={`/calendar?month=${next}`} rel="next">
          {t('calendar.next')}
          <span aria-hidden="true">›</span>
        </Link>
      </nav>

      <section aria-labelledby="month-title">
        <h2 id="month-title">{formatMonth(month, locale)}</h2>
        <p className="muted">
          {t('calendar.count', { count })} {t('calendar.timeZone')}
        </p>
        {days.length === 0 ? (
          <p className="notice empty-state">{t('calendar.empty')}</p>
        ) : (
          <ol className="calendar-days">
            {days.map(({ day, items }) => (
              <li key={day}>
                <section aria-labelledby={`day-${day}`} className="calendar-day">
                  <h3 id={`day-${day}`}>
                    <time dateTime={day}>{formatDay(day, locale)}</time>
                  </h3>
                  <ul className="calendar-sales">
                    {items.map((s) => (
                      <li key={s.id} className="calendar-sale">
                        <time className="calendar-time" dateTime={new Date(s.startsAt).toISOString()}>
                          {formatTime(s.startsAt, locale)}
                        </time>
                        <div>
                          <Link to={auctionPath(s.id)} className="calendar-title">
                            {s.title}
                          </Link>
                          <p className="calendar-meta">
                            <StatusBadge status={s.publicStatus} />
                            <span className="tag">{t(`assetType.${s.assetType}`)}</span>
                            <span>{locale === 'en' ? s.courtNameEn : s.courtNameZh}</span>
                            <span>
                              {t('calendar.startingPrice', { price: formatMoney(s.startingPriceFen) })}
                            </span>
                          </p>
                        </div>
                      </li>
                    ))}
                  </ul>
                </section>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
