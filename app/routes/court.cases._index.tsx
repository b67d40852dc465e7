import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CASE_TYPES, CaseListQuerySchema } from '../../server/cases/schemas';
import { Countdown } from '../components/cases/case-sections';
import { Field, SelectField } from '../components/forms';
import { DataTable } from '../components/staff/data-table';
import { FilterBar } from '../components/staff/filter-bar';
import { KeysetPager } from '../components/staff/keyset-pager';
import { PageHead } from '../components/staff/page-head';
import { StatusTag } from '../components/staff/status-tag';
import { courtLinks } from '../components/staff/stylesheets';
import { formatMoney } from '../utils/format';
import { keysetLinks } from '../utils/paging';
import { load, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = () => [{ title: '执行案件 · 最后一公里' }];

const STATUSES = ['open', 'suspended', 'overdue', 'zhongben', 'closed'] as const;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const url = new URL(request.url);
  const query = CaseListQuerySchema.parse(Object.fromEntries(url.searchParams));
  return load(request, async () => {
    const found = await context.services.cases.listCases(auth.actor, query);
    return {
      ...found,
      ...keysetLinks(url, found.next, query.before),
      // The export takes the same filters as the page (ADR 030).
      csvHref: `/court/cases.csv${url.search}`,
    };
  });
}

export default function CaseList() {
  const { rows, total, can, filters, nextHref, firstHref, csvHref } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const showCourt = rows.some((r) => r.court !== null);
  const filtered = !!(filters.q || filters.status || filters.type);
  return (
    <section className="page" aria-labelledby="cases-title">
      <PageHead id="cases-title" title={t('cases.title')}>
        <a href={csvHref} download>
          {t('cases.exportCsv')}
        </a>
        {can.create && (
          <Link to="/court/cases/new" className="button">
            {t('cases.new')}
          </Link>
        )}
      </PageHead>
      <FilterBar role="search" aria-label={t('caseLife.filters')} submitLabel={t('caseLife.filter')}>
        <Field
          name="q"
          id="filter-q"
          type="search"
          label={t('caseLife.listSearch')}
          help={t('caseLife.listSearchHelp')}
          defaultValue={filters.q ?? ''}
          key={`q-${filters.q ?? ''}`}
        />
        <SelectField
          name="status"
          id="filter-status"
          label={t('cases.status')}
          anyLabel={t('caseLife.anyStatus')}
          options={STATUSES.map((s) => ({ value: s, label: t(`caseLife.listStatus.${s}`) }))}
          defaultValue={filters.status ?? ''}
          key={`status-${filters.status ?? ''}`}
        />
        <SelectField
          name="type"
          id="filter-type"
          label={t('caseLife.caseType')}
          anyLabel={t('caseLife.anyType')}
          options={CASE_TYPES.map((s) => ({ value: s, label: t(`caseType.${s}`) }))}
          defaultValue={filters.type ?? ''}
          key={`type-${filters.type ?? ''}`}
        />
      </FilterBar>
      <DataTable
        caption={
          rows.length < total
            ? t('cases.captionPaged', { n: rows.length, total })
            : t('cases.tableCaption', { total })
        }
        rows={rows}
        rowKey={(c) => c.id}
        rowProps={(c) => ({ className: c.limit?.overdue ? 'overdue' : undefined })}
        empty={{ message: filtered ? t('cases.emptyFiltered') : t('cases.empty') }}
        columns={[
          {
            header: t('cases.caseNumber'),
            cell: (c) => <Link to={`/court/cases/${c.id}`}>{c.caseNumber}</Link>,
            rowHeader: true,
          },
          ...(showCourt
            ? [
                {
                  header: t('overdue.court'),
                  cell: (c: (typeof rows)[number]) =>
                    c.court
                      ? i18n.language === 'en'
                        ? c.court.nameEn
                        : c.court.nameZh
                      : t('overdue.ownCourt'),
                },
              ]
            : []),
          { header: t('caseLife.caseType'), cell: (c) => t(`caseType.${c.caseType ?? 'first'}`) },
          { header: t('cases.basis'), cell: (c) => c.basis, className: 'wrap' },
          { header: t('cases.amountOwed'), cell: (c) => formatMoney(c.amountOwedFen) },
          {
            header: t('cases.status'),
            cell: (c) => (
              <>
                <StatusTag catalog="caseStatus" value={c.status} />
                {c.stopped && <span className="tag">{t('caseLife.listStatus.suspended')}</span>}
              </>
            ),
          },
          { header: t('caseLife.filedOn'), cell: (c) => c.filedOn },
          {
            header: t('caseLife.limitTitle'),
            cell: (c) =>
              c.closureMode ? (
                `${t(`closureMode.${c.closureMode}`)} ${c.closedOn}`
              ) : (
                <Countdown limit={c.limit} />
              ),
          },
          { header: t('cases.assetCount'), cell: (c) => c.assetCount },
        ]}
      />
      <KeysetPager nextHref={nextHref} firstHref={firstHref} label={t('cases.pages')} />
    </section>
  );
}
