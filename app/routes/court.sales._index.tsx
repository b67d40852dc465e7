import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../components/court/display';
import { useServerOffset } from '../components/money/due';
import { pageTitle } from '../components/public/meta';
import { Deadline, formatDay } from '../components/sales/sale-steps';
import { salesCourtLinks } from '../components/sales/stylesheets';
import { DataTable } from '../components/staff/data-table';
import { PageHead } from '../components/staff/page-head';
import { StatusTag } from '../components/staff/status-tag';
import { formatDateTime, formatMoney } from '../utils/format';
import { load, requireAuth } from '../utils/route.server';

export const links = salesCourtLinks;
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'sales.desk.title');

/** The post-sale desk: rulings due (overdue first), handovers due, recently handed over. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => {
    const desk = await context.services.sales.courtDesk(auth.actor);
    const row = ({ sale: s, title, caseNumber, buyer }: (typeof desk.rulings)[number]) => ({
      listingId: s.listingId,
      title,
      caseNumber,
      buyer,
      status: s.status,
      priceFen: s.priceFen,
      paidAt: s.paidAt,
      rulingDueAt: s.rulingDueAt,
      rulingOverdue: s.rulingOverdueAt !== null,
      rulingNumber: s.rulingNumber,
      handoverDueAt: s.handoverDueAt,
      handoverOverdue: s.handoverOverdueAt !== null,
      handoverScheduledFor: s.handoverScheduledFor,
      handedOverOn: s.handedOverOn,
    });
    return {
      rulings: desk.rulings.map(row),
      handovers: desk.handovers.map(row),
      done: desk.done.map(row),
      overdue: desk.overdue,
      serverTime: desk.serverTime.getTime(),
    };
  });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rulings'][number];

export default function SalesDesk() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  const offset = useServerOffset(d.serverTime);
  const asset = {
    header: t('sales.desk.asset'),
    rowHeader: true,
    className: 'wrap',
    cell: (r: Row) => <Link to={`/court/sales/${r.listingId}`}>{r.title}</Link>,
  };
  const common = [
    { header: t('sales.desk.caseNumber'), cell: (r: Row) => r.caseNumber },
    { header: t('sales.desk.buyer'), cell: (r: Row) => r.buyer },
    { header: t('sales.desk.price'), cell: (r: Row) => formatMoney(r.priceFen) },
    { header: t('sales.desk.status'), cell: (r: Row) => <StatusTag catalog="saleStatus" value={r.status} /> },
  ];
  const overdueRow = (overdue: boolean) =>
    overdue ? { className: 'overdue', 'data-testid': 'overdue-row' } : {};
  return (
    <section className="page" aria-labelledby="desk-title">
      <PageHead id="desk-title" title={t('sales.desk.title')} />
      <p className="muted">{t('sales.desk.intro')}</p>

      <h2 id="rulings-title">
        {t('sales.desk.rulingsTitle')}
        {d.overdue.rulings > 0 && (
          <>
            {' '}
            <span className="tag tag-overdue">
              {t('sales.desk.overdueCount', { count: d.overdue.rulings })}
            </span>
          </>
        )}
      </h2>
      <DataTable
        labelledBy="rulings-title"
        rows={d.rulings}
        rowKey={(r) => r.listingId}
        rowProps={(r) => overdueRow(r.rulingOverdue)}
        empty={{ message: t('sales.desk.noRulings'), quiet: true }}
        columns={[
          asset,
          ...common,
          { header: t('sales.desk.paidAt'), cell: (r) => formatDateTime(r.paidAt, locale) },
          {
            header: t('sales.desk.rulingDue'),
            cell: (r) => (
              <Deadline due={r.rulingDueAt} overdue={r.rulingOverdue} offset={offset} locale={locale} />
            ),
          },
        ]}
      />

      <h2 id="handovers-title">
        {t('sales.desk.handoversTitle')}
        {d.overdue.handovers > 0 && (
          <>
            {' '}
            <span className="tag tag-overdue">
              {t('sales.desk.overdueCount', { count: d.overdue.handovers })}
            </span>
          </>
        )}
      </h2>
      <DataTable
        labelledBy="handovers-title"
        rows={d.handovers}
        rowKey={(r) => r.listingId}
        rowProps={(r) => overdueRow(r.handoverOverdue)}
        empty={{ message: t('sales.desk.noHandovers'), quiet: true }}
        columns={[
          asset,
          ...common,
          { header: t('sales.desk.ruling'), cell: (r) => r.rulingNumber ?? '—' },
          {
            header: t('sales.desk.scheduledFor'),
            cell: (r) => (r.handoverScheduledFor ? formatDateTime(r.handoverScheduledFor, locale) : '—'),
          },
          {
            header: t('sales.desk.handoverDue'),
            cell: (r) =>
              r.handoverDueAt ? (
                <Deadline due={r.handoverDueAt} overdue={r.handoverOverdue} offset={offset} locale={locale} />
              ) : (
                '—'
              ),
          },
        ]}
      />

      <h2 id="done-title">{t('sales.desk.doneTitle')}</h2>
      <DataTable
        labelledBy="done-title"
        rows={d.done}
        rowKey={(r) => r.listingId}
        empty={{ message: t('sales.desk.noDone'), quiet: true }}
        columns={[
          asset,
          ...common,
          { header: t('sales.desk.ruling'), cell: (r) => r.rulingNumber ?? '—' },
          {
            header: t('sales.desk.handedOverOn'),
            cell: (r) => (r.handedOverOn ? formatDay(r.handedOverOn, locale) : '—'),
          },
        ]}
      />
    </section>
  );
}
