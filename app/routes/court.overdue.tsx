import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../components/staff/data-table';
import { PageHead } from '../components/staff/page-head';
import { courtLinks } from '../components/staff/stylesheets';
import { load, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = () => [{ title: '超期与待办 · 最后一公里' }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, () => context.services.cases.overdue(auth.actor));
}

/** The court's to-do list: cases past their time limit, property found after 终本, open complaints. */
export default function Overdue() {
  const d = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const court = (c: { nameZh: string; nameEn: string } | null) =>
    c ? (i18n.language === 'en' ? c.nameEn : c.nameZh) : t('overdue.ownCourt');
  const showCourt = [...d.cases, ...d.resumptions].some((x) => x.court !== null);
  return (
    <section className="page" aria-labelledby="overdue-title">
      <PageHead id="overdue-title" title={t('overdue.title')} />
      <p className="field-help">{t('overdue.intro', { today: d.today })}</p>

      <h2 id="overdue-cases-title">{t('overdue.casesTitle', { n: d.cases.length })}</h2>
      <DataTable
        labelledBy="overdue-cases-title"
        rows={d.cases}
        rowKey={(c) => c.id}
        rowProps={() => ({ className: 'overdue' })}
        empty={{ message: t('overdue.noCases'), quiet: true }}
        columns={[
          {
            header: t('cases.caseNumber'),
            cell: (c) => <Link to={`/court/cases/${c.id}`}>{c.caseNumber}</Link>,
            rowHeader: true,
          },
          ...(showCourt
            ? [{ header: t('overdue.court'), cell: (c: (typeof d.cases)[number]) => court(c.court) }]
            : []),
          { header: t('caseLife.filedOn'), cell: (c) => c.filedOn },
          { header: t('caseLife.dueOn'), cell: (c) => c.dueOn },
          { header: t('overdue.daysOverdue'), cell: (c) => t('caseLife.days', { n: c.daysOverdue }) },
          { header: t('caseLife.excludedDays'), cell: (c) => t('caseLife.days', { n: c.excludedDays }) },
        ]}
      />

      <h2 id="resumptions-title">{t('overdue.resumptionsTitle', { n: d.resumptions.length })}</h2>
      <DataTable
        labelledBy="resumptions-title"
        rows={d.resumptions}
        rowKey={(c) => c.id}
        rowProps={(c) => ({ className: c.overdue ? 'overdue' : undefined })}
        empty={{ message: t('overdue.noResumptions'), quiet: true }}
        columns={[
          {
            header: t('cases.caseNumber'),
            cell: (c) => <Link to={`/court/cases/${c.id}`}>{c.caseNumber}</Link>,
            rowHeader: true,
          },
          ...(showCourt
            ? [{ header: t('overdue.court'), cell: (c: (typeof d.resumptions)[number]) => court(c.court) }]
            : []),
          { header: t('overdue.zhongbenOn'), cell: (c) => c.closedOn },
          { header: t('overdue.resumeBy'), cell: (c) => c.resumptionDueOn },
        ]}
      />

      <h2 id="complaints-title">{t('overdue.complaintsTitle', { n: d.complaints.length })}</h2>
      <DataTable
        labelledBy="complaints-title"
        rows={d.complaints}
        rowKey={(c) => c.id}
        rowProps={(c) => ({ className: c.overdue ? 'overdue' : undefined })}
        empty={{ message: t('overdue.noComplaints'), quiet: true }}
        columns={[
          {
            header: t('cases.caseNumber'),
            cell: (c) => <Link to={`/court/cases/${c.caseId}#complaints-title`}>{c.caseNumber}</Link>,
            rowHeader: true,
          },
          { header: t('caseLife.receivedOn'), cell: (c) => c.receivedOn },
          { header: t('caseLife.complainant'), cell: (c) => c.complainant },
          { header: t('caseLife.complaintSummary'), cell: (c) => c.summary, className: 'wrap' },
          { header: t('caseLife.complaintStatus'), cell: (c) => t(`complaintStatus.${c.status}`) },
          {
            header: t('caseLife.complaintDue'),
            cell: (c) => (c.overdue ? t('overdue.complaintOverdue', { due: c.dueOn }) : c.dueOn),
          },
        ]}
      />
    </section>
  );
}
