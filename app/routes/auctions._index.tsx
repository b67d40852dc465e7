import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation, useNavigation } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SEARCH_SORTS } from '../../server/auctions/schemas';
import { isDomainError } from '../../server/errors';
import { DivisionPicker } from '../components/division-picker';
import { Field, FormError, SelectField } from '../components/forms';
import { FilterDisclosure } from '../components/public/filter-disclosure';
import { ListingCard } from '../components/public/listing-card';
import { pageTitle } from '../components/public/meta';
import publicStyles from '../components/public/public.css?url';
import {
  errorKey,
  refineHref,
  type SearchQuery,
  searchHref,
  searchQuery,
} from '../components/public/search-query';
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
const ROUNDS = ['1', '2', '3'] as const;
const SORTS = SEARCH_SORTS;

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: publicStyles }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'search.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = searchQuery(new URL(request.url).searchParams);
  return load(request, async () => {
    // The courts (for the court filter) and the search at once: neither waits for the other.
    // search() validates its input itself (SearchSchema); the URL's strings go in as typed.
    const [listed, searched] = await Promise.allSettled([
      context.services.identity.listCourts(),
      context.services.listings.search(query, PAGE_SIZE, { facets: true }),
    ]);
    if (listed.status === 'rejected') throw listed.reason;
    const courts = listed.value.map((c) => ({ code: c.code, nameZh: c.nameZh, nameEn: c.nameEn }));
    try {
      if (searched.status === 'rejected') throw searched.reason;
      const r = searched.value;
      const results = {
        rows: r.rows.map(cardOf),
        total: r.total,
        totalCapped: r.totalCapped,
        page: r.page,
        pageSize: r.pageSize,
        sort: r.filters.sort,
        next: r.next,
        previous: r.previous,
        facets: r.facets,
      };
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
  const [typed, setTyped] = useState(query.q ?? '');
  const suggestions = useSuggestions(typed, en);
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
              help={t('search.qHelp')}
              defaultValue={query.q ?? ''}
              maxLength={50}
              errors={errors.q}
              list="search-suggestions"
              autoComplete="off"
              onInput={(e) => setTyped(e.currentTarget.value)}
            />
            <datalist id="search-suggestions">
              {suggestions.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          </div>
          <FilterDisclosure
            label={t('search.more')}
            keepOpen={
              fieldErrors !== null ||
              Object.keys(query).some((k) => !['q', 'page', 'after', 'before'].includes(k))
            }
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
              <DivisionPicker
                province={{ name: 'province', label: t('search.province'), errors: errors.province }}
                city={{ name: 'city', label: t('search.city'), errors: errors.city }}
                defaultProvince={query.province}
                defaultCity={query.city}
                anyProvince={t('search.anyProvince')}
                anyCity={t('search.anyCity')}
              />
              <Field
                name="district"
                label={t('search.district')}
                defaultValue={query.district ?? ''}
                maxLength={30}
                errors={errors.district}
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
                name="round"
                label={t('search.round')}
                anyLabel={t('search.anyRound')}
                options={ROUNDS.map((v) => ({ value: v, label: t(`round.${v}`) }))}
                defaultValue={query.round ?? ''}
                errors={errors.round}
              />
              <SelectField
                name="restricted"
                label={t('search.restricted')}
                anyLabel={t('search.anyRestricted')}
                options={[
                  { value: 'yes', label: t('search.restrictedYes') },
                  { value: 'no', label: t('search.restrictedNo') },
                ]}
                defaultValue={query.restricted ?? ''}
                errors={errors.restricted}
              />
              <Field
                name="from"
                type="date"
                label={t('search.from')}
                defaultValue={query.from ?? ''}
                errors={errors.from}
              />
              <Field
                name="to"
                type="date"
                label={t('search.to')}
                defaultValue={query.to ?? ''}
                errors={errors.to}
              />
              <SelectField
                name="sort"
                label={t('search.sort')}
                options={SORTS.map((v) => ({ value: v, label: t(`search.sortBy.${v}`) }))}
                defaultValue={query.sort ?? (query.q ? 'relevance' : 'soonest')}
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
          {(errors.page || errors.after || errors.before) && (
            <p className="field-error">{t('search.badPage')}</p>
          )}
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
          <p className="muted">
            {results.totalCapped
              ? t('search.totalMore', { cap: results.total })
              : t('search.total', { count: results.total })}
          </p>
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
          {(pages > 1 || results.totalCapped) && (
            <Pagination
              query={query}
              page={results.page}
              pages={results.totalCapped ? null : pages}
              next={results.next}
              previous={results.previous}
            />
          )}
        </section>
      )}
      {results?.facets && results.total > 0 && <Facets query={query} facets={results.facets} en={en} />}
    </div>
  );
}

/**
 * Suggestions for what is being typed: the catalog's asset types (matched here, in the visitor's
 * language) and the courts and places the server knows (GET /auctions/suggest, a moment after
 * the typing stops). A native datalist: the input stays a text box that screen readers announce
 * as a combobox, and without JavaScript the form works as before.
 */
function useSuggestions(typed: string, en: boolean): string[] {
  const { t } = useTranslation();
  const [remote, setRemote] = useState<string[]>([]);
  const text = typed.trim();
  useEffect(() => {
    if (!text) {
      setRemote([]);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/auctions/suggest?q=${encodeURIComponent(text.slice(0, 20))}`, { signal: abort.signal })
        .then((r) => (r.ok ? r.json() : { suggestions: [] }))
        .then((body: { suggestions: { labelZh: string; labelEn: string }[] }) =>
          setRemote(body.suggestions.map((s) => (en ? s.labelEn : s.labelZh))),
        )
        .catch(() => {});
    }, 200);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [text, en]);
  const types = text
    ? ASSET_TYPES.map((v) => t(`assetType.${v}`)).filter((l) => l.toLowerCase().includes(text.toLowerCase()))
    : [];
  return [...new Set([...types, ...remote])];
}

type Facets = NonNullable<NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['results']>['facets']>;

/** How many listings each choice would give, for the current keywords and the other filters. */
function Facets({ query, facets, en }: { query: SearchQuery; facets: Facets; en: boolean }) {
  const { t } = useTranslation();
  const regionKey = facets.region.level;
  const groups: {
    key: keyof SearchQuery;
    title: string;
    /** A null count: more matches than were counted (COUNT_CAP); the value is shown alone. */
    items: { value: string; label: string; count: number | null }[];
  }[] = [
    {
      key: 'type',
      title: t('search.type'),
      items: facets.type.map((f) => ({ ...f, label: t(`assetType.${f.value}`) })),
    },
    {
      key: 'status',
      title: t('search.status'),
      items: facets.status.map((f) => ({ ...f, label: t(`publicStatus.${f.value}`) })),
    },
    {
      key: regionKey,
      title: t(`search.${regionKey}`),
      items: facets.region.values.map((f) => ({ ...f, label: f.value })),
    },
    {
      key: 'court',
      title: t('search.court'),
      items: facets.court.map((f) => ({ value: f.value, count: f.count, label: en ? f.nameEn : f.nameZh })),
    },
  ];
  return (
    <section aria-labelledby="facets-title" className="facets">
      <h2 id="facets-title">{t('search.facets')}</h2>
      {groups.map((g) => (
        <nav key={g.key} aria-label={g.title} className="facet">
          <h3>{g.title}</h3>
          <ul>
            {query[g.key] && (
              <li>
                <Link to={refineHref(query, { [g.key]: undefined })}>{t('search.facetAll')}</Link>
              </li>
            )}
            {g.items.map((f) => (
              <li key={f.value}>
                <Link
                  to={refineHref(query, { [g.key]: f.value })}
                  aria-current={query[g.key] === f.value ? 'true' : undefined}
                >
                  {f.count === null ? f.label : t('search.facetItem', { label: f.label, count: f.count })}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ))}
    </section>
  );
}

/**
 * Previous and next by cursor (ADR 020): the page after the last listing shown, not "rows 21 to
 * 40", so a listing published meanwhile neither repeats one nor hides one. The first page is
 * the plain search.
 */
function Pagination({
  query,
  page,
  pages,
  next,
  previous,
}: {
  query: SearchQuery;
  page: number;
  /** null when the count stopped at the cap. */
  pages: number | null;
  next: string | null;
  previous: string | null;
}) {
  const { t } = useTranslation();
  const base = { ...query, after: undefined, before: undefined };
  return (
    <nav className="pagination" aria-label={t('search.pagination')}>
      {previous && page > 1 ? (
        <Link
          to={searchHref(
            page === 2 ? { ...base, page: undefined } : { ...base, before: previous, page: String(page - 1) },
          )}
          rel="prev"
        >
          {t('search.previous')}
        </Link>
      ) : (
        <span aria-hidden="true" />
      )}
      <span aria-current="page">
        {pages === null
          ? t('search.pageAt', { page })
          : t('search.pageOf', { page, pages: Math.max(page, pages) })}
      </span>
      {next ? (
        <Link to={searchHref({ ...base, after: next, page: String(page + 1) })} rel="next">
          {t('search.next')}
        </Link>
      ) : (
        <span aria-hidden="true" />
      )}
    </nav>
  );
}
