import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { AWAITING_DECISION, CLAIM_STATUSES } from '../../server/aid/rules';
import { Deadline, money, useServerNow } from '../components/aid/ui';
import { Field, SelectField } from '../components/forms';
import { DataTable } from '../components/staff/data-table';
import { FilterBar } from '../components/staff/filter-bar';
import { KeysetPager } from '../components/staff/keyset-pager';
import { PageHead } from '../components/staff/page-head';
import { StatusTag } from '../components/staff/status-tag';
import { aidLinks } from '../components/staff/stylesheets';
import { keysetLinks } from '../utils/paging';
import { load, requireAuth } from '../utils/route.server';

export const links = aidLinks;
export const meta: MetaFunction = () => [{ title: '执行救助 · 最后一公里' }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const url = new URL(request.url);
  const query = Object.fromEntries(url.searchParams);
  // What the queue links to (`can`) comes decided from the service.
  return load(request, async () => {
    const found = await context.services.aid.claims.listClaims(auth.actor, query);
    return {
      ...found,
      ...keysetLinks(url, found.next, found.filters.before),
      // The export takes the same filters as the page.
      csvHref: `/aid/claims.csv${url.search}`,
    };
  });
}

/** The review queue of a court or an insurer (or a creditor's own claims): filters, counts, deadlines. */
export default function AidQueue() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const now = useServerNow(d.serverTime);
  const link = (params: Record<string, string | undefined>) => {
    const s = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
    return `?${s.toString()}`;
  };
  const visible = CLAIM_STATUSES.filter((s) => d.counts[s] > 0 || s === d.filters.status);
  return (
    <section className="page" aria-labelledby="aid-title">
      <PageHead id="aid-title" title={t('aid.queue.title')}>
        {d.can.file && (
          <Link to="/aid/claims/new" className="button">
            {t('aid.queue.new')}
          </Link>
        )}
        <a href={d.csvHref} download>
          {t('aid.queue.exportCsv')}
        </a>
      </PageHead>
      <nav aria-label={t('aid.nav.section')}>
        <ul className="aid-counts">
          {d.can.pay && (
            <li>
              <Link to="/aid/batches">{t('aid.nav.batches')}</Link>
            </li>
          )}
          {d.can.policies && (
            <li>
              <Link to="/aid/policies">{t('aid.nav.policies')}</Link>
            </li>
          )}
          {d.can.reports && (
            <li>
              <Link to="/aid/reports">{t('aid.nav.reports')}</Link>
            </li>
          )}
        </ul>
      </nav>

      {d.overdueCount > 0 && (
        <p className="form-error" role="status">
          <Link to={link({ overdue: 'true' })}>
            {t('aid.queue.overdueNotice', { count: d.overdueCount })}
          </Link>
        </p>
      )}

      <h2 id="status-filter">{t('aid.queue.byStatus')}</h2>
      <ul className="aid-counts" aria-labelledby="status-filter">
        <li>
          <Link to="?" aria-current={!d.filters.status && !d.filters.overdue ? 'true' : undefined}>
            {t('aid.queue.all')} ({Object.values(d.counts).reduce((a, b) => a + b, 0)})
          </Link>
        </li>
        {visible.map((s) => (
          <li key={s}>
            <Link to={link({ status: s })} aria-current={d.filters.status === s ? 'true' : undefined}>
              {t(`aidStatus.${s}`)} ({d.counts[s]})
            </Link>
          </li>
        ))}
      </ul>

      <FilterBar role="search" aria-label={t('aid.queue.search')} submitLabel={t('aid.queue.filter')}>
        <Field name="q" label={t('aid.queue.q')} defaultValue={d.filters.q ?? ''} />
        <SelectField
          name="status"
          label={t('aid.claim.status')}
          anyLabel={t('aid.queue.all')}
          options={CLAIM_STATUSES.map((s) => ({ value: s, label: t(`aidStatus.${s}`) }))}
          defaultValue={d.filters.status ?? ''}
        />
      </FilterBar>

      <DataTable
        caption={
          d.rows.length < d.total
            ? t('aid.queue.captionPaged', { n: d.rows.length, total: d.total })
            : t('aid.queue.caption', { total: d.total })
        }
        rows={d.rows}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ className: r.overdue ? 'overdue' : undefined })}
        empty={{ message: t('aid.queue.empty') }}
        columns={[
          {
            header: t('aid.claim.number'),
            cell: (r) => <Link to={`/aid/claims/${r.id}`}>{r.number}</Link>,
            rowHeader: true,
          },
          { header: t('aid.claim.applicant'), cell: (r) => r.applicantName },
          { header: t('aid.claim.caseNumber'), cell: (r) => r.caseNumber },
          // Status and deadline wrap: in English they are long enough to push the list past a
          // 1,280 px screen (issue 22).
          {
            header: t('aid.claim.status'),
            cell: (r) => <StatusTag catalog="aidStatus" value={r.status} />,
            className: 'wrap',
          },
          { header: t('aid.claim.requested'), cell: (r) => money(r.requestedFen) },
          { header: t('aid.claim.computed'), cell: (r) => money(r.computedFen) },
          { header: t('aid.claim.approved'), cell: (r) => money(r.approvedFen) },
          {
            header: t('aid.claim.deadline'),
            cell: (r) => (
              <Deadline due={r.decisionDueAt} now={now} active={AWAITING_DECISION.includes(r.status)} />
            ),
            className: 'wrap',
          },
        ]}
      />
      <KeysetPager nextHref={d.nextHref} firstHref={d.firstHref} label={t('aid.queue.pages')} />
    </section>
  );
}
