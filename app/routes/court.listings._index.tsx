import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { ListingService } from '../../server/auctions/listings';
import { ListingStatus, useLocale } from '../components/court/display';
import { Field, SelectField } from '../components/forms';
import { DataTable } from '../components/staff/data-table';
import { FilterBar } from '../components/staff/filter-bar';
import { KeysetPager } from '../components/staff/keyset-pager';
import { PageHead } from '../components/staff/page-head';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime, formatMoney } from '../utils/format';
import { keysetLinks } from '../utils/paging';
import { load, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = () => [{ title: '拍卖公告 · 最后一公里' }];

export const LISTING_STATUSES = [
  'draft',
  'pending_approval',
  'announced',
  'live',
  'suspended',
  'ended',
  'withdrawn',
] as const;

/** The filters of the page and of its CSV export; an unknown value is no filter, not an error page. */
export const ListingQuery = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  status: z.enum(LISTING_STATUSES).optional().catch(undefined),
  before: z.string().max(100).optional().catch(undefined),
});

type Row = Awaited<ReturnType<ListingService['pageForCourt']>>['rows'][number];

/** What the page and the export show of each listing. */
export function listingRows(rows: Row[]) {
  return rows.map((l) => ({
    id: l.id,
    title: l.title,
    caseNumber: l.caseNumber,
    round: l.round,
    courtStatus: l.courtStatus,
    outcome: l.outcome,
    startingPriceFen: l.startingPriceFen,
    startsAt: l.startsAt,
    currentEndAt: l.currentEndAt,
  }));
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const url = new URL(request.url);
  const filter = ListingQuery.parse(Object.fromEntries(url.searchParams));
  return load(request, async () => {
    const found = await context.services.listings.pageForCourt(auth.actor, filter);
    return {
      q: filter.q ?? '',
      status: filter.status ?? null,
      rows: listingRows(found.rows),
      total: found.total,
      ...keysetLinks(url, found.next, filter.before),
      // The export takes the same filters as the page.
      csvHref: `/court/listings.csv${url.search}`,
    };
  });
}

export default function ListingList() {
  const { rows, total, q, status, nextHref, firstHref, csvHref } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  const filtered = !!status || !!q;
  return (
    <section className="page" aria-labelledby="listings-title">
      <PageHead id="listings-title" title={t('listings.title')}>
        <a href={csvHref} download>
          {t('listings.exportCsv')}
        </a>
      </PageHead>
      <FilterBar role="search" aria-label={t('listings.filter')} submitLabel={t('listings.filterSubmit')}>
        <Field
          name="q"
          id="filter-q"
          type="search"
          label={t('listings.search')}
          help={t('listings.searchHelp')}
          defaultValue={q}
          key={`q-${q}`}
        />
        <SelectField
          name="status"
          id="filter-status"
          label={t('listings.status')}
          anyLabel={t('listings.allStatuses')}
          options={LISTING_STATUSES.map((s) => ({ value: s, label: t(`listingStatus.${s}`) }))}
          defaultValue={status ?? ''}
          key={status ?? ''}
        />
      </FilterBar>
      <DataTable
        caption={
          rows.length < total
            ? t('listings.captionPaged', { n: rows.length, total })
            : status
              ? t('listings.captionFiltered', { status: t(`listingStatus.${status}`), n: total })
              : t('listings.caption', { n: total })
        }
        rows={rows}
        rowKey={(l) => l.id}
        empty={{ message: filtered ? t('listings.emptyFiltered') : t('listings.empty') }}
        columns={[
          {
            header: t('listings.asset'),
            cell: (l) => <Link to={`/court/listings/${l.id}`}>{l.title}</Link>,
            rowHeader: true,
            className: 'wrap',
          },
          { header: t('listings.caseNumber'), cell: (l) => l.caseNumber },
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
      <KeysetPager nextHref={nextHref} firstHref={firstHref} label={t('listings.pages')} />
    </section>
  );
}
