import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useLocale } from '../components/court/display';
import { DataTable } from '../components/staff/data-table';
import { PageHead } from '../components/staff/page-head';
import { StatusTag } from '../components/staff/status-tag';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime, formatMoney } from '../utils/format';
import { load, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = () => [{ title: '执行案件 · 最后一公里' }];

const PAGE_SIZE = 20;
const Query = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const { page } = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  return load(request, () => context.services.cases.listCases(auth.actor, { page, pageSize: PAGE_SIZE }));
}

export default function CaseList() {
  const { rows, total, page, pageSize, can } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section className="page" aria-labelledby="cases-title">
      <PageHead id="cases-title" title={t('cases.title')}>
        {can.create && (
          <Link to="/court/cases/new" className="button">
            {t('cases.new')}
          </Link>
        )}
      </PageHead>
      <DataTable
        caption={t('cases.tableCaption', { total })}
        rows={rows}
        rowKey={(c) => c.id}
        empty={{ message: t('cases.empty') }}
        paging={{ page, pages: Math.max(1, Math.ceil(total / pageSize)), href: (p) => `?page=${p}` }}
        columns={[
          {
            header: t('cases.caseNumber'),
            cell: (c) => <Link to={`/court/cases/${c.id}`}>{c.caseNumber}</Link>,
            rowHeader: true,
          },
          { header: t('cases.basis'), cell: (c) => c.basis, className: 'wrap' },
          { header: t('cases.amountOwed'), cell: (c) => formatMoney(c.amountOwedFen) },
          { header: t('cases.status'), cell: (c) => <StatusTag catalog="caseStatus" value={c.status} /> },
          { header: t('cases.assetCount'), cell: (c) => c.assetCount },
          { header: t('cases.createdAt'), cell: (c) => formatDateTime(c.createdAt, locale) },
        ]}
      />
    </section>
  );
}
