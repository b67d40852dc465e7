import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { AUDIT_EXPORT_MAX } from '../../server/identity/account-rules';
import { useLocale } from '../components/court/display';
import { Field, SelectField } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import { DataTable } from '../components/staff/data-table';
import { FilterBar } from '../components/staff/filter-bar';
import { KeysetPager } from '../components/staff/keyset-pager';
import { PageHead } from '../components/staff/page-head';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime } from '../utils/format';
import { keysetLinks } from '../utils/paging';
import { load, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'accounts.audit.title');

/** The audit log (ADR 024): filters in the address, newest first, keyset pages, CSV of the filtered set. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const url = new URL(request.url);
  return load(request, async () => {
    const found = await context.services.identity.auditEntries(
      auth.actor,
      Object.fromEntries(url.searchParams),
    );
    const organisations = await context.services.identity.adminOrganisations(auth.actor);
    const csv = new URLSearchParams(url.search);
    csv.delete('before');
    return {
      rows: found.rows.map((r) => ({ ...r, data: r.data ? JSON.stringify(r.data) : null })),
      total: found.total,
      filter: found.filter,
      platform: found.platform,
      organisations,
      ...keysetLinks(url, found.next, found.filter.before),
      csvHref: `/admin/audit.csv?${csv}`,
    };
  });
}

export default function AuditLog() {
  const { rows, total, filter, platform, organisations, nextHref, firstHref, csvHref } =
    useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  const en = locale === 'en';
  return (
    <section className="page" aria-labelledby="audit-title">
      <PageHead id="audit-title" title={t('accounts.audit.title')}>
        <a href={csvHref} download>
          {t('accounts.audit.exportCsv')}
        </a>
      </PageHead>
      {!platform && <p className="muted">{t('accounts.audit.scopeNote')}</p>}
      <FilterBar aria-label={t('accounts.audit.filter')} submitLabel={t('accounts.audit.filterSubmit')}>
        {filter.actorId && <input type="hidden" name="actorId" value={filter.actorId} />}
        <Field
          name="actor"
          id="f-actor"
          label={t('accounts.audit.actor')}
          defaultValue={filter.actor ?? ''}
        />
        <Field
          name="action"
          id="f-action"
          label={t('accounts.audit.action')}
          defaultValue={filter.action ?? ''}
        />
        <Field
          name="entityType"
          id="f-type"
          label={t('accounts.audit.entityType')}
          defaultValue={filter.entityType ?? ''}
        />
        <Field
          name="entityId"
          id="f-id"
          label={t('accounts.audit.entityId')}
          defaultValue={filter.entityId ?? ''}
        />
        {organisations.length > 0 && (
          <SelectField
            name="organisationId"
            id="f-org"
            label={t('accounts.audit.organisation')}
            anyLabel={t('accounts.audit.anyOrganisation')}
            options={organisations.map((o) => ({ value: o.id, label: en ? o.nameEn : o.nameZh }))}
            defaultValue={filter.organisationId ?? ''}
          />
        )}
        <Field
          name="from"
          id="f-from"
          type="date"
          label={t('accounts.audit.from')}
          defaultValue={filter.from ?? ''}
        />
        <Field
          name="to"
          id="f-to"
          type="date"
          label={t('accounts.audit.to')}
          defaultValue={filter.to ?? ''}
        />
      </FilterBar>
      <p role="status">
        {rows.length < total
          ? t('accounts.audit.countPaged', { n: rows.length, total })
          : t('accounts.audit.count', { n: total })}
      </p>
      {total > AUDIT_EXPORT_MAX && (
        <p className="muted">{t('accounts.audit.exportCap', { max: AUDIT_EXPORT_MAX })}</p>
      )}
      {rows.length === 0 ? (
        <p>{t('accounts.audit.none')}</p>
      ) : (
        <DataTable
          labelledBy="audit-title"
          rows={rows}
          rowKey={(e) => String(e.id)}
          rowProps={(e) => ({ 'data-testid': `audit-${e.id}` })}
          columns={[
            { header: t('accounts.audit.at'), cell: (e) => formatDateTime(e.at, locale), rowHeader: true },
            {
              header: t('accounts.audit.actorCol'),
              cell: (e) =>
                e.actorId ? (
                  <>
                    {e.actorName ?? e.actorId}
                    {e.orgNameZh && <span className="muted"> · {en ? e.orgNameEn : e.orgNameZh}</span>}
                  </>
                ) : (
                  t('accounts.audit.system')
                ),
              className: 'wrap',
            },
            { header: t('accounts.audit.actionCol'), cell: (e) => <code>{e.action}</code> },
            {
              header: t('accounts.audit.object'),
              cell: (e) =>
                e.entityType === 'user' ? (
                  <Link to={`/admin/users/${e.entityId}`}>
                    {e.entityType}:{e.entityId.slice(0, 8)}
                  </Link>
                ) : (
                  <span title={e.entityId}>
                    {e.entityType}:{e.entityId.slice(0, 8)}
                  </span>
                ),
            },
            {
              header: t('accounts.audit.details'),
              cell: (e) => (e.data ? <code className="clip">{e.data.slice(0, 160)}</code> : '—'),
              className: 'wrap',
            },
          ]}
        />
      )}
      <KeysetPager
        nextHref={nextHref}
        firstHref={firstHref}
        label={t('accounts.audit.pages')}
        firstLabel={t('accounts.audit.firstPage')}
        nextLabel={t('accounts.audit.nextPage')}
      />
    </section>
  );
}
