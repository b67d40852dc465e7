import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../components/staff/data-table';
import { PageHead } from '../components/staff/page-head';
import { load, requireAuth } from '../utils/route.server';

export const meta: MetaFunction = () => [{ title: '悬赏执行 · 最后一公里' }];

/** The court's bounty desk (ADR 022): its notices, the tips waiting for review. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => ({ notices: await context.services.bounties.courtBounties(auth.actor) }));
}

export default function CourtBounties() {
  const { notices } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="page" aria-labelledby="desk-title">
      <PageHead id="desk-title" title={t('bounties.desk.title')} />
      <DataTable
        labelledBy="desk-title"
        rows={notices}
        rowKey={(n) => n.id}
        empty={{ message: t('bounties.desk.none') }}
        columns={[
          {
            header: t('bounties.field.caseNumber'),
            cell: (n) => <Link to={`/court/cases/${n.caseId}/bounty`}>{n.caseNumber}</Link>,
            rowHeader: true,
          },
          { header: t('bounties.field.debtor'), cell: (n) => n.debtorName },
          {
            header: t('bounties.field.status'),
            cell: (n) =>
              n.status === 'applied'
                ? `${t('bounties.noticeStatus.applied')} · ${t('bounties.decisionDue', { dueOn: n.decisionDueOn })}`
                : t(`bounties.noticeStatus.${n.status}`),
          },
          { header: t('bounties.field.period'), cell: (n) => `${n.publishFrom} – ${n.publishUntil}` },
          { header: t('bounties.desk.pending'), cell: (n) => n.received },
          { header: t('bounties.desk.tips'), cell: (n) => n.tips },
        ]}
      />
    </section>
  );
}
