import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { SEARCH_SORTS } from '../../server/auctions/schemas';
import { isDomainError } from '../../server/errors';
import { Field, FormError, SelectField } from '../components/forms';
import { FilterDisclosure } from '../components/public/filter-disclosure';
import { ListingCard } from '../components/public/listing-card';
import { pageTitle } from '../components/public/meta';
import publicStyles from '../components/public/public.css?url';
import { errorKey, pageHref, type SearchQuery, searchQuery } from '../components/public/search-query';
import { cardOf } from '../components/public/shape';
import { load } from '../utils/route.server';

const PAGE_SIZE = 20;
const ASSET_TYPES = [
  'residential',
  'commercial',
  'land_use_right',
  'vehicle',
  'equity',
  'machinery',
  'other_movable',
] as const;
const STATUSES = ['upcoming', 'live', 'ended', 'sold', 'failed'] as const;
const SORTS = SEARCH_SORTS;

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: publicStyles }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'search.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = searchQuery(new URL(request.url).searchParams);
  return load(request, async () => {
    const courts = (await context.services.identity.listCourts()).map((c) => ({
      code: c.code,
      nameZh: c.nameZh,
      nameEn: c.nameEn,
    }));
    try {
      // search() validates its input itself (SearchSchema); the URL's strings go in as typed.
      const r = await context.services.listings.search(query, PAGE_SIZE);
      const results = { rows: r.rows.map(cardOf), total: r.total, page: r.page, pageSize: r.pageSize };
      return { query, courts, results, fieldErrors: null };
    } catch (error) {
      // A malformed query (minPrice=abc) is the visitor's mistake: the form again, with the message.
      if (!isDomainError(error) || error.code !== 'validation') throw error;
      const fieldErrors: Record<string, string[]> = {};
      for (const [field, keys] of Object.entries(error.details.fieldErrors ?? {}))
        fieldErrors[field] = keys.map((k) => errorKey(k, 'search.invalidValue'));
      return data({ query, courts, results: null, fieldErrors }, { status: 400 });
    }
  });
}

export default function AuctionSearch() {
  const { query, courts, results, fieldErrors } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const location = useLocation();
  const searching = useNavigation().state === 'loading';
  const errors = fieldErrors ?? {};
  const pages = results ? Math.max(1, Math.ceil(results.total / results.pageSize)) : 1;
  return (
    <div className="page">
      <h1>{t('search.title')}</h1>
      <p className="lead">{t('search.intro')}</p>

      <section aria-labelledby="filters-title">
        <h2 id="filters-title" className="visually-hidden">
          {t('search.filters')}
        </h2>
        {/* A plain GET form: it works without JavaScript, and the URL is the search. */}
        <Form
          method="get"
          action="/auctions"
          className="search-form"
          key={location.search}
          role="search"
          aria-label={t('search.filters')}
          noValidate
        >
          {fieldErrors && <FormError error="errors.validation" />}
          <div className="search-main">
            <Field
              name="q"
              type="search"
              label={t('search.q')}
              placeholder={t('search.qPlaceholder')}
              defaultValue={query.q ?? ''}
              maxLength={50}
              errors={errors.q}
            />
          </div>
          <FilterDisclosure
            label={t('search.more')}
            keepOpen={fieldErrors !== null || Object.keys(query).some((k) => k !== 'q' && k !== 'page')}
          >
            <div className="search-grid">
              <SelectField
                name="type"
                label={t('search.type')}
                anyLabel={t('search.anyType')}
                options={ASSET_TYPES.map((v) => ({ value: v, label: t(`assetType.${v}`) }))}
                defaultValue={query.type ?? ''}
                errors={errors.type}
              />
              <SelectField
                name="status"
                label={t('search.status')}
                anyLabel={t('search.anyStatus')}
                options={STATUSES.map((v) => ({ value: v, label: t(`publicStatus.${v}`) }))}
                defaultValue={query.status ?? ''}
                errors={errors.status}
              />
              <Field
                name="province"
                label={t('search.province')}
                defaultValue={query.province ?? ''}
                maxLength={20}
                errors={errors.province}
              />
              <Field
                name="city"
                label={t('search.city')}
                defaultValue={query.city ?? ''}
                maxLength={30}
                errors={errors.city}
              />
              <SelectField
                name="court"
                label={t('search.court')}
                anyLabel={t('search.anyCourt')}
                options={courts.map((c) => ({ value: c.code, label: en ? c.nameEn : c.nameZh }))}
                defaultValue={query.court ?? ''}
                errors={errors.court}
              />
              <SelectField
                name="sort"
                label={t('search.sort')}
                options={SORTS.map((v) => ({ value: v, label: t(`search.sortBy.${v}`) }))}
                defaultValue={query.sort ?? 'soonest'}
                errors={errors.sort}
              />
              <Field
                name="minPrice"
                label={t('search.minPrice')}
                inputMode="decimal"
                defaultValue={query.minPrice ?? ''}
                errors={errors.minPrice}
              />
              <Field
                name="maxPrice"
                label={t('search.maxPrice')}
                inputMode="decimal"
                defaultValue={query.maxPrice ?? ''}
                errors={errors.maxPrice}
              />
            </div>
          </FilterDisclosure>
          {errors.page && <p className="field-error">{t('search.badPage')}</p>}
          <div className="search-actions">
            <button type="submit" className="button" disabled={searching}>
              {t('search.submit')}
            </button>
            <Link to="/auctions">{t('search.reset')}</Link>
          </div>
        </Form>
      </section>

      {results && (
        <section aria-labelledby="results-title" aria-busy={searching || undefined}>
          <h2 id="results-title">{t('search.results')}</h2>
          <p className="muted">{t('search.total', { count: results.total })}</p>
          {results.rows.length === 0 ? (
            <div className="notice empty-state">
              <p>{t(results.total === 0 ? 'search.empty' : 'search.pastEnd')}</p>
              {Object.keys(query).length > 0 && (
                <p>
                  <Link to="/auctions">{t('search.reset')}</Link>
                </p>
              )}
            </div>
          ) : (
            <ul className="listing-grid">
              {results.rows.map((l) => (
                <li key={l.id}>
                  <ListingCard listing={l} />
                </li>
              ))}
            </ul>
          )}
          {pages > 1 && <Pagination query={query} page={results.page} pages={pages} />}
        </section>
      )}
    </div>
  );
}

function Pagination({ query, page, pages }: { query: SearchQuery; page: number; pages: number }) {
  const { t } = useTranslation();
  return (
    <nav className="pagination" aria-label={t('search.pagination')}>
      {page > 1 ? (
        <Link to={pageHref(query, Math.min(page - 1, pages))} rel="prev">
          {t('search.previous')}
        </Link>
      ) : (
        <span aria-hidden="true" />
      )}
      <span aria-current="page">{t('search.pageOf', { page, pages })}</span>
      {page < pages ? (
        <Link to={pageHref(query, page + 1)} rel="next">
          {t('search.next')}
        </Link>
      ) : (
        <span aria-hidden="true" />
      )}
    </nav>
  );
}
