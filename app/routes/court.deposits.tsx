import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { DepositStatus } from '../../db/schema/payments';
import type { PaymentService } from '../../server/payments/service';
import { useLocale } from '../components/court/display';
import { SelectField } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import { DataTable } from '../components/staff/data-table';
import { FilterBar } from '../components/staff/filter-bar';
import { KeysetPager } from '../components/staff/keyset-pager';
import { PageHead } from '../components/staff/page-head';
import { StatusTag } from '../components/staff/status-tag';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime, formatMoney } from '../utils/format';
import { keysetLinks } from '../utils/paging';
import { load, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'courtMoney.deposits.title');

export const DEPOSIT_STATUSES = [
  'pending',
  'held',
  'applied',
  'released',
  'forfeited',
] as const satisfies readonly DepositStatus[];

/** The filters of the page and of its CSV export; an unknown value is no filter, not an error page. */
export const DepositQuery = z.object({
  status: z.enum(DEPOSIT_STATUSES).optional().catch(undefined),
  listingId: z.uuid().optional().catch(undefined),
  /** Keyset cursor of the page (the service checks its shape). */
  before: z.string().max(100).optional().catch(undefined),
});

type CourtDepositRow = Awaited<ReturnType<PaymentService['courtDeposits']>>['rows'][number];

/** What the page and the export show of each deposit (and nothing more of the row). */
export function depositRows(rows: CourtDepositRow[]) {
  return rows.map(({ deposit: d, ...r }) => ({
    id: d.id,
    listingId: d.listingId,
    title: r.title,
    bidder: r.bidder,
    code: r.code,
    amountFen: d.amountFen,
    // Nothing to pay (the applicant creditor whose claim covers it, art. 17 note): no payment.
    method: r.method ?? (d.amountFen === 0n ? ('waived' as const) : null),
    status: d.status,
    renewalRequested: d.status === 'held' && d.renewalRequestedAt !== null,
    reference: r.reference,
    createdAt: d.createdAt,
    heldAt: d.heldAt,
    settledAt: d.settledAt,
  }));
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const url = new URL(request.url);
  const filter = DepositQuery.parse(Object.fromEntries(url.searchParams));
  return load(request, async () => {
    const found = await context.services.payments.courtDeposits(auth.actor, filter);
    const rows = depositRows(found.rows);
    return {
      status: filter.status ?? null,
      listingId: filter.listingId ?? null,
      rows,
      // Of the whole filtered set, in the order of DEPOSIT_STATUSES, not of the page.
      totals: DEPOSIT_STATUSES.flatMap((st) => found.totals.filter((x) => x.status === st)),
      total: found.total,
      ...keysetLinks(url, found.next, filter.before),
      // The export takes the same filters as the page.
      csvHref: `/court/deposits.csv${url.search}`,
    };
  });
}

export default function DepositList() {
  const { rows, totals, total, nextHref, firstHref, status, listingId, csvHref } =
    useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  const when = (d: Date | string | null) => (d ? formatDateTime(d, locale) : null);
  // The listing filtered on, named by its rows (an unknown or foreign listing has none).
  const listingTitle = listingId ? rows[0]?.title : undefined;
  return (
    <section className="page" aria-labelledby="deposits-title">
      <PageHead id="deposits-title" title={t('courtMoney.deposits.title')}>
        <a href={csvHref} download>
          {t('courtMoney.deposits.exportCsv')}
        </a>
      </PageHead>
      <FilterBar
        aria-label={t('courtMoney.deposits.filter')}
        submitLabel={t('courtMoney.deposits.filterSubmit')}
      >
        {listingId && <input type="hidden" name="listingId" value={listingId} />}
        <SelectField
          name="status"
          id="filter-status"
          label={t('courtMoney.deposits.status')}
          anyLabel={t('courtMoney.deposits.allStatuses')}
          options={DEPOSIT_STATUSES.map((s) => ({ value: s, label: t(`courtMoney.depositStatus.${s}`) }))}
          defaultValue={status ?? ''}
          key={status ?? ''}
        />
      </FilterBar>
      {listingId && (
        <p className="notice">
          {listingTitle
            ? t('courtMoney.deposits.forListing', { title: listingTitle })
            : t('courtMoney.deposits.forUnknownListing')}{' '}
          <Link to={status ? `/court/deposits?status=${status}` : '/court/deposits'}>
            {t('courtMoney.deposits.allListings')}
          </Link>
        </p>
      )}
      <p role="status">
        {rows.length < total
          ? t('courtMoney.deposits.countPaged', { n: rows.length, total })
          : t('courtMoney.deposits.count', { n: total })}
      </p>
      {rows.length > 0 && (
        <>
          <h2 id="totals-title">{t('courtMoney.deposits.totals')}</h2>
          <DataTable
            labelledBy="totals-title"
            rows={totals}
            rowKey={(s) => s.status}
            columns={[
              {
                header: t('courtMoney.deposits.status'),
                cell: (s) => t(`courtMoney.depositStatus.${s.status}`),
                rowHeader: true,
              },
              { header: t('courtMoney.deposits.number'), cell: (s) => s.count },
              { header: t('courtMoney.deposits.amount'), cell: (s) => formatMoney(s.amountFen) },
            ]}
          />

          <h2 id="list-title">{t('courtMoney.deposits.listTitle')}</h2>
          <DataTable
            labelledBy="list-title"
            rows={rows}
            rowKey={(d) => d.id}
            rowProps={(d) => ({ 'data-testid': `deposit-${d.id}` })}
            columns={[
              {
                header: t('courtMoney.deposits.listing'),
                cell: (d) => <Link to={`/court/deposits?listingId=${d.listingId}`}>{d.title}</Link>,
                className: 'wrap',
              },
              { header: t('courtMoney.deposits.bidder'), cell: (d) => d.bidder, rowHeader: true },
              {
                header: t('courtMoney.deposits.code'),
                cell: (d) => d.code ?? t('courtMoney.deposits.noCode'),
              },
              { header: t('courtMoney.deposits.amount'), cell: (d) => formatMoney(d.amountFen) },
              {
                header: t('courtMoney.deposits.method'),
                cell: (d) => (d.method ? t(`courtMoney.method.${d.method}`) : t('courtMoney.method.none')),
              },
              {
                header: t('courtMoney.deposits.status'),
                cell: (d) => (
                  <>
                    <StatusTag catalog="courtMoney.depositStatus" value={d.status} />
                    {d.renewalRequested && (
                      <span className="muted"> {t('courtMoney.deposits.renewalRequested')}</span>
                    )}
                  </>
                ),
              },
              { header: t('courtMoney.deposits.reference'), cell: (d) => d.reference ?? '—' },
              {
                header: t('courtMoney.deposits.dates'),
                cell: (d) => (
                  <>
                    {t('courtMoney.deposits.createdAt', { at: when(d.createdAt) })}
                    {d.heldAt && (
                      <>
                        <br />
                        {t('courtMoney.deposits.heldAt', { at: when(d.heldAt) })}
                      </>
                    )}
                    {d.settledAt && (
                      <>
                        <br />
                        {t('courtMoney.deposits.settledAt', { at: when(d.settledAt) })}
                      </>
                    )}
                  </>
                ),
              },
            ]}
          />
          <KeysetPager
            nextHref={nextHref}
            firstHref={firstHref}
            label={t('courtMoney.deposits.pages')}
            firstLabel={t('courtMoney.deposits.firstPage')}
            nextLabel={t('courtMoney.deposits.nextPage')}
          />
        </>
      )}
    </section>
  );
}
