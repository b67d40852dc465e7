import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { AWAITING_DECISION, CLAIM_STATUSES } from '../../server/aid/rules';
import { can } from '../../server/identity/permissions';
import aidCss from '../components/aid/aid.css?url';
import { AidTag, Deadline, money, useServerNow } from '../components/aid/ui';
import courtCss from '../components/court/court.css?url';
import { Field, SelectField } from '../components/forms';
import { load, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: courtCss },
  { rel: 'stylesheet', href: aidCss },
];
export const meta: MetaFunction = () => [{ title: '执行救助 · 最后一公里' }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  return load(request, async () => ({
    ...(await context.services.aid.claims.listClaims(auth.actor, query)),
    can: {
      file: can(auth.actor, 'create:aid-claim'),
      pay: can(auth.actor, 'read:aid-payment'),
      policies: can(auth.actor, 'read:aid-policy'),
      reports: can(auth.actor, 'read:aid-report'),
    },
  }));
}

/** The review queue of a court or an insurer (or a creditor's own claims): filters, counts, deadlines. */
export default function AidQueue() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const now = useServerNow(d.serverTime);
  const pages = Math.max(1, Math.ceil(d.total / d.pageSize));
  const link = (params: Record<string, string | undefined>) => {
    const s = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
    return `?${s.toString()}`;
  };
  const visible = CLAIM_STATUSES.filter((s) => d.counts[s] > 0 || s === d.filters.status);
  return (
    <section className="page" aria-labelledby="aid-title">
      <div className="page-head">
        <h1 id="aid-title">{t('aid.queue.title')}</h1>
        <p>
          {d.can.file && (
            <Link to="/aid/claims/new" className="button">
              {t('aid.queue.new')}
            </Link>
          )}
        </p>
      </div>
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

      <Form method="get" className="filter-bar" role="search" aria-label={t('aid.queue.search')}>
        <Field name="q" label={t('aid.queue.q')} defaultValue={d.filters.q ?? ''} />
        <SelectField
          name="status"
          label={t('aid.claim.status')}
          anyLabel={t('aid.queue.all')}
          options={CLAIM_STATUSES.map((s) => ({ value: s, label: t(`aidStatus.${s}`) }))}
          defaultValue={d.filters.status ?? ''}
        />
        <button type="submit" className="button button-secondary">
          {t('aid.queue.filter')}
        </button>
      </Form>

      {d.rows.length === 0 ? (
        <p className="notice">{t('aid.queue.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('aid.queue.caption', { total: d.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('aid.claim.number')}</th>
                <th scope="col">{t('aid.claim.applicant')}</th>
                <th scope="col">{t('aid.claim.caseNumber')}</th>
                <th scope="col">{t('aid.claim.status')}</th>
                <th scope="col">{t('aid.claim.requested')}</th>
                <th scope="col">{t('aid.claim.computed')}</th>
                <th scope="col">{t('aid.claim.approved')}</th>
                <th scope="col">{t('aid.claim.deadline')}</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr key={r.id} className={r.overdue ? 'overdue' : undefined}>
                  <th scope="row">
                    <Link to={`/aid/claims/${r.id}`}>{r.number}</Link>
                  </th>
                  <td>{r.applicantName}</td>
                  <td>{r.caseNumber}</td>
                  <td>
                    <AidTag kind="aidStatus" value={r.status} />
                  </td>
                  <td>{money(r.requestedFen)}</td>
                  <td>{money(r.computedFen)}</td>
                  <td>{money(r.approvedFen)}</td>
                  <td>
                    <Deadline due={r.decisionDueAt} now={now} active={AWAITING_DECISION.includes(r.status)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav className="pager" aria-label={t('aid.queue.pagination')}>
          {d.page > 1 && (
            <Link to={link({ ...stringify(d.filters), page: String(d.page - 1) })} rel="prev">
              {t('cases.prev')}
            </Link>
          )}
          <span>{t('cases.pageOf', { page: d.page, pages })}</span>
          {d.page < pages && (
            <Link to={link({ ...stringify(d.filters), page: String(d.page + 1) })} rel="next">
              {t('cases.next')}
            </Link>
          )}
        </nav>
      )}
    </section>
  );
}

const stringify = (f: { status?: string; q?: string; overdue?: boolean }) => ({
  status: f.status,
  q: f.q,
  overdue: f.overdue ? 'true' : undefined,
});
