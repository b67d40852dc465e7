import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ALL_ROLES } from '../../server/identity/account-rules';
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
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'accounts.list.title');

/** The accounts an admin administers (ADR 024): search, filters in the address, keyset pages. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const url = new URL(request.url);
  return load(request, async () => {
    const found = await context.services.identity.listAccounts(
      auth.actor,
      Object.fromEntries(url.searchParams),
    );
    const organisations = await context.services.identity.adminOrganisations(auth.actor);
    return {
      rows: found.rows,
      total: found.total,
      filter: found.filter,
      organisations,
      ...keysetLinks(url, found.next, found.filter.before),
    };
  });
}

const STATUSES = ['active', 'disabled', 'locked'] as const;

export default function Accounts() {
  const { rows, total, filter, organisations, nextHref, firstHref } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  const en = locale === 'en';
  return (
    <section className="page" aria-labelledby="accounts-title">
      <PageHead id="accounts-title" title={t('accounts.list.title')}>
        <Link to="/staff">{t('accounts.list.createStaff')}</Link> ·{' '}
        <Link to="/admin/audit">{t('accounts.nav.audit')}</Link>
      </PageHead>
      <FilterBar aria-label={t('accounts.list.filter')} submitLabel={t('accounts.list.filterSubmit')}>
        <Field
          name="q"
          id="filter-q"
          type="search"
          label={t('accounts.list.q')}
          defaultValue={filter.q ?? ''}
        />
        <SelectField
          name="role"
          id="filter-role"
          label={t('accounts.list.role')}
          anyLabel={t('accounts.list.anyRole')}
          options={ALL_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          defaultValue={filter.role ?? ''}
        />
        <SelectField
          name="status"
          id="filter-status"
          label={t('accounts.list.status')}
          anyLabel={t('accounts.list.anyStatus')}
          options={STATUSES.map((s) => ({ value: s, label: t(`accounts.status.${s}`) }))}
          defaultValue={filter.status ?? ''}
        />
        {organisations.length > 0 && (
          <SelectField
            name="organisationId"
            id="filter-org"
            label={t('accounts.list.organisation')}
            anyLabel={t('accounts.list.anyOrganisation')}
            options={organisations.map((o) => ({ value: o.id, label: en ? o.nameEn : o.nameZh }))}
            defaultValue={filter.organisationId ?? ''}
          />
        )}
      </FilterBar>
      <p role="status">
        {rows.length < total
          ? t('accounts.list.countPaged', { n: rows.length, total })
          : t('accounts.list.count', { n: total })}
      </p>
      {rows.length === 0 ? (
        <p>{t('accounts.list.none')}</p>
      ) : (
        <DataTable
          labelledBy="accounts-title"
          rows={rows}
          rowKey={(u) => u.id}
          rowProps={(u) => ({ 'data-testid': `account-${u.id}` })}
          columns={[
            {
              header: t('accounts.list.name'),
              cell: (u) => (
                <>
                  <Link to={`/admin/users/${u.id}`}>{u.realName}</Link>
                  {u.self && t('accounts.list.you')}
                </>
              ),
              rowHeader: true,
            },
            { header: t('accounts.list.email'), cell: (u) => u.email, className: 'wrap' },
            {
              header: t('accounts.list.organisation'),
              cell: (u) =>
                u.orgNameZh ? (en ? u.orgNameEn : u.orgNameZh) : t('accounts.list.noOrganisation'),
              className: 'wrap',
            },
            { header: t('accounts.list.roles'), cell: (u) => u.roles.map((r) => t(`roles.${r}`)).join('、') },
            {
              header: t('accounts.list.status'),
              cell: (u) => t(`accounts.status.${u.disabled ? 'disabled' : u.locked ? 'locked' : 'active'}`),
            },
            {
              header: t('accounts.list.lastLogin'),
              cell: (u) => (u.lastLoginAt ? formatDateTime(u.lastLoginAt, locale) : t('accounts.list.never')),
            },
          ]}
        />
      )}
      <KeysetPager
        nextHref={nextHref}
        firstHref={firstHref}
        label={t('accounts.list.pages')}
        firstLabel={t('accounts.list.firstPage')}
        nextLabel={t('accounts.list.nextPage')}
      />
    </section>
  );
}
