import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
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
      <h1 id="admin-title">{t('admin.title')}</h1>
      <dl className="facts">
        <dt>{t('admin.bidders')}</dt>
        <dd>{bidderCount}</dd>
        <dt>{t('admin.liveSessions')}</dt>
        <dd>{liveSessions}</dd>
      </dl>
      <h2>{t('admin.organisations')}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('admin.kind')}</th>
              <th scope="col">{t('admin.code')}</th>
              <th scope="col">{t('admin.name')}</th>
              <th scope="col">{t('admin.users')}</th>
            </tr>
          </thead>
          <tbody>
            {orgs.map((o) => (
              <tr key={o.id}>
                <td>{t(`admin.orgKind.${o.kind}`)}</td>
                <td>{o.code}</td>
                <td>{i18n.language === 'en' ? o.nameEn : o.nameZh}</td>
                <td>{o.users}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
