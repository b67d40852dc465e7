import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import courtCss from '../components/court/court.css?url';
import { StatusTag, useLocale } from '../components/court/display';
import { formatDateTime, formatMoney } from '../utils/format';
import { load, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: courtCss }];
export const meta: MetaFunction = () => [{ title: '拍卖公告 · 最后一公里' }];

const STATUSES = [
  'draft',
  'pending_approval',
  'announced',
  'live',
  'suspended',
  'ended',
  'withdrawn',
] as const;
// An unknown status in the address is no filter rather than an error page.
const Query = z.object({ status: z.enum(STATUSES).optional().catch(undefined) });

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const { status } = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  return load(request, async () => ({
    status: status ?? null,
    rows: (await context.services.listings.listForCourt(auth.actor, { status })).map((l) => ({
      id: l.id,
      title: l.title,
      round: l.round,
      status: l.status,
      outcome: l.outcome,
      startingPriceFen: l.startingPriceFen,
      startsAt: l.startsAt,
      currentEndAt: l.currentEndAt,
    })),
  }));
}

export default function ListingList() {
  const { rows, status } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section className="page" aria-labelledby="listings-title">
      <h1 id="listings-title">{t('listings.title')}</h1>
      <Form method="get" className="filter-bar" aria-label={t('listings.filter')}>
        <div className="field">
          <label htmlFor="filter-status">{t('listings.status')}</label>
          <select id="filter-status" name="status" defaultValue={status ?? ''} key={status ?? ''}>
            <option value="">{t('listings.allStatuses')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`listingStatus.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-small">
          {t('listings.filterSubmit')}
        </button>
      </Form>
      {rows.length === 0 ? (
        <p className="notice">{status ? t('listings.emptyFiltered') : t('listings.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">
              {status
                ? t('listings.captionFiltered', { status: t(`listingStatus.${status}`), n: rows.length })
                : t('listings.caption', { n: rows.length })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('listings.asset')}</th>
                <th scope="col">{t('listings.round')}</th>
                <th scope="col">{t('listings.status')}</th>
                <th scope="col">{t('listings.startingPrice')}</th>
                <th scope="col">{t('listings.startsAt')}</th>
                <th scope="col">{t('listings.endsAt')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((l) => (
                <tr key={l.id}>
                  <th scope="row" className="wrap">
                    <Link to={`/court/listings/${l.id}`}>{l.title}</Link>
                  </th>
                  <td>{t(`round.${l.round}`)}</td>
                  <td>
                    <StatusTag status={l.status} />
                    {l.outcome && ` ${t(`publicStatus.${l.outcome}`)}`}
                  </td>
                  <td>{formatMoney(l.startingPriceFen)}</td>
                  <td>{formatDateTime(l.startsAt, locale)}</td>
                  <td>{formatDateTime(l.currentEndAt, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
