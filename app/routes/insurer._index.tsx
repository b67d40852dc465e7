import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { PageHead } from '../components/staff/page-head';
import { courtLinks } from '../components/staff/stylesheets';
import { WorkQueues } from '../components/staff/work-queues';
import { load, requireAuth } from '../utils/route.server';

export const links = courtLinks;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => ({
    ...(await context.services.dashboard.insurer(auth.actor)),
    roles: auth.user.roles,
  }));
}

export default function InsurerDashboard() {
  const { org, staffCount, roles, queues } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <section className="page" aria-labelledby="insurer-title">
      <PageHead id="insurer-title" title={t('insurer.title')} />
      <dl className="facts">
        <dt>{t('insurer.organisation')}</dt>
        <dd>{i18n.language === 'en' ? org.nameEn : org.nameZh}</dd>
        <dt>{t('insurer.staffCount')}</dt>
        <dd>{staffCount}</dd>
        <dt>{t('insurer.yourRoles')}</dt>
        <dd>{roles.map((r) => t(`roles.${r}`)).join('、')}</dd>
      </dl>
      <WorkQueues queues={queues} />
    </section>
  );
}
