import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../components/staff/data-table';
import { PageHead } from '../components/staff/page-head';
import { load, requireAuth } from '../utils/route.server';

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, () => context.services.dashboard.admin(auth.actor));
}

export default function AdminDashboard() {
  const { orgs, bidderCount, liveSessions } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <section className="page" aria-labelledby="admin-title">
      <PageHead id="admin-title" title={t('admin.title')} />
      <dl className="facts">
        <dt>{t('admin.bidders')}</dt>
        <dd>{bidderCount}</dd>
        <dt>{t('admin.liveSessions')}</dt>
        <dd>{liveSessions}</dd>
      </dl>
      <p>
        <Link to="/admin/organisations">{t('orgs.title')}</Link>
      </p>
      <p>
        <Link to="/admin/credit-partners">{t('credit.partners.title')}</Link>
      </p>
      <h2 id="orgs-title">{t('admin.organisations')}</h2>
      <DataTable
        labelledBy="orgs-title"
        rows={orgs}
        rowKey={(o) => o.id}
        columns={[
          { header: t('admin.kind'), cell: (o) => t(`admin.orgKind.${o.kind}`) },
          { header: t('admin.code'), cell: (o) => o.code },
          {
            header: t('admin.name'),
            cell: (o) => (i18n.language === 'en' ? o.nameEn : o.nameZh),
            rowHeader: true,
          },
          { header: t('admin.users'), cell: (o) => o.users },
        ]}
      />
    </section>
  );
}
