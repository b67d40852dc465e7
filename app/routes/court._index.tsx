import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { PageHead } from '../components/staff/page-head';
import { courtLinks } from '../components/staff/stylesheets';
import { WorkQueues } from '../components/staff/work-queues';
import { load, requireAuth } from '../utils/route.server';

export const links = courtLinks;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => ({
    ...(await context.services.dashboard.court(auth.actor)),
    roles: auth.user.roles,
  }));
}

export default function CourtDashboard() {
  const { org, parent, children, staffCount, roles, queues, pressure } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const name = (o: { nameZh: string; nameEn: string }) => (i18n.language === 'en' ? o.nameEn : o.nameZh);
  return (
    <section className="page" aria-labelledby="court-title">
      <PageHead id="court-title" title={t('court.title')} />
      <dl className="facts">
        <dt>{t('court.organisation')}</dt>
        <dd>{name(org)}</dd>
        {org.courtLevel && (
          <>
            <dt>{t('court.level')}</dt>
            <dd>{t(`courtLevel.${org.courtLevel}`)}</dd>
          </>
        )}
        {parent && (
          <>
            <dt>{t('court.parent')}</dt>
            <dd>{name(parent)}</dd>
          </>
        )}
        {children.length > 0 && (
          <>
            <dt>{t('court.children')}</dt>
            <dd>{children.map(name).join('、')}</dd>
          </>
        )}
        <dt>{t('court.staffCount')}</dt>
        <dd>{staffCount}</dd>
        <dt>{t('court.yourRoles')}</dt>
        <dd>{roles.map((r) => t(`roles.${r}`)).join('、')}</dd>
      </dl>
      <WorkQueues queues={queues} />
      <section aria-labelledby="pressure-title">
        <h2 id="pressure-title">{t('bounties.pressure.title')}</h2>
        <dl className="facts" data-testid="pressure">
          <dt>{t('bounties.pressure.listed')}</dt>
          <dd data-testid="pressure-listed">{pressure.listed}</dd>
          <dt>{t('bounties.pressure.restricted')}</dt>
          <dd data-testid="pressure-restricted">{pressure.restricted}</dd>
          <dt>{t('bounties.pressure.bounties')}</dt>
          <dd data-testid="pressure-bounties">{pressure.bounties}</dd>
          <dt>{t('bounties.pressure.tips')}</dt>
          <dd data-testid="pressure-tips">
            <Link to="/court/bounties">{pressure.tips}</Link>
          </dd>
        </dl>
      </section>
    </section>
  );
}
