import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ListingStatus, useLocale } from '../components/court/display';
import { SelectField } from '../components/forms';
import { DataTable } from '../components/staff/data-table';
import { FilterBar } from '../components/staff/filter-bar';
import { PageHead } from '../components/staff/page-head';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime, formatMoney } from '../utils/format';
import { load, requireAuth } from '../utils/route.server';

export const links = courtLinks;
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
      courtStatus: l.courtStatus,
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
      <PageHead id="listings-title" title={t('listings.title')} />
      <FilterBar aria-label={t('listings.filter')} submitLabel={t('listings.filterSubmit')}>
        <SelectField
          name="status"
          id="filter-status"
          label={t('listings.status')}
          anyLabel={t('listings.allStatuses')}
          options={STATUSES.map((s) => ({ value: s, label: t(`listingStatus.${s}`) }))}
          defaultValue={status ?? ''}
          key={status ?? ''}
        />
      </FilterBar>
      <DataTable
        caption={
          status
            ? t('listings.captionFiltered', { status: t(`listingStatus.${status}`), n: rows.length })
            : t('listings.caption', { n: rows.length })
        }
        rows={rows}
        rowKey={(l) => l.id}
        empty={{ message: status ? t('listings.emptyFiltered') : t('listings.empty') }}
        columns={[
          {
            header: t('listings.asset'),
            cell: (l) => <Link to={`/court/listings/${l.id}`}>{l.title}</Link>,
            rowHeader: true,
            className: 'wrap',
          },
          { header: t('listings.round'), cell: (l) => t(`round.${l.round}`) },
          {
            header: t('listings.status'),
            cell: (l) => <ListingStatus listing={l} />,
          },
          { header: t('listings.startingPrice'), cell: (l) => formatMoney(l.startingPriceFen) },
          { header: t('listings.startsAt'), cell: (l) => formatDateTime(l.startsAt, locale) },
          { header: t('listings.endsAt'), cell: (l) => formatDateTime(l.currentEndAt, locale, true) },
        ]}
      />
    </section>
  );
}
