import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { PublicSearch } from '../../server/credit/service';
import { isDomainError } from '../../server/errors';
import { Field, SelectField } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import publicStyles from '../components/public/public.css?url';
import { formatMoney } from '../utils/format';
import { load } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: publicStyles }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'credit.public.title');

type Answer =
  | PublicSearch
  | { kind: 'none'; query: Record<string, unknown> }
  | { kind: 'limited'; query: Record<string, unknown> }
  | { kind: 'invalid'; query: Record<string, unknown>; fieldErrors: Record<string, string[]> };

/**
 * The public query of the dishonest-debtor list and the restricted persons (ADR 019): a GET form,
 * so a result has an address; the service counts the client's searches and may ask a challenge
 * first. Only the fields the rule publishes ever reach this page.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const query = Object.fromEntries(
    ['name', 'idNumber', 'province', 'court']
      .map((k) => [k, params.get(k) ?? ''])
      .filter(([, v]) => v !== ''),
  );
  return load(request, async () => {
    const options = await context.services.credit.queryOptions();
    if (!query.name) return { options, answer: { kind: 'none', query } as Answer };
    const challenge = params.get('challenge');
    try {
      const answer = await context.services.credit.searchPublic(
        context.meta.ip,
        query,
        challenge ? { token: challenge, answer: params.get('answer') ?? '' } : null,
      );
      return { options, answer: answer as Answer };
    } catch (error) {
      if (isDomainError(error) && error.code === 'rate_limited')
        return data({ options, answer: { kind: 'limited', query } as Answer }, { status: 429 });
      if (isDomainError(error) && error.code === 'validation')
        return data(
          {
            options,
            answer: { kind: 'invalid', query, fieldErrors: error.details.fieldErrors ?? {} } as Answer,
          },
          { status: 400 },
        );
      throw error;
    }
  });
}

export default function CreditQuery() {
  const { options, answer } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const q = answer.query as Record<string, string | undefined>;
  const errors = answer.kind === 'invalid' ? answer.fieldErrors : {};
  return (
    <div className="page">
      <section aria-labelledby="credit-public-title">
        <h1 id="credit-public-title">{t('credit.public.title')}</h1>
        <p className="lead">{t('credit.public.intro')}</p>
        <Form method="get" role="search" aria-label={t('credit.public.form')} className="stack card">
          <Field
            name="name"
            id="q-name"
            label={t('credit.public.name')}
            defaultValue={q.name}
            required
            errors={errors.name}
          />
          <Field
            name="idNumber"
            id="q-idNumber"
            label={t('credit.public.idNumber')}
            help={t('credit.public.idHelp')}
            defaultValue={q.idNumber}
            autoComplete="off"
            errors={errors.idNumber}
          />
          <SelectField
            name="province"
            id="q-province"
            label={t('credit.public.province')}
            anyLabel={t('credit.public.any')}
            options={options.provinces.map((p) => ({ value: p, label: p }))}
            defaultValue={q.province}
          />
          <SelectField
            name="court"
            id="q-court"
            label={t('credit.public.court')}
            anyLabel={t('credit.public.any')}
            options={options.courts.map((c) => ({ value: c, label: c }))}
            defaultValue={q.court}
          />
          {answer.kind === 'challenge' && (
            <div className="stack" data-testid="challenge">
              <p role="alert">{t('credit.public.challengeIntro')}</p>
              <input type="hidden" name="challenge" value={answer.token} />
              <Field
                name="answer"
                id="q-answer"
                label={t('credit.public.challenge', { a: answer.a, b: answer.b })}
                inputMode="numeric"
                autoComplete="off"
                required
              />
            </div>
          )}
          <button type="submit" className="button">
            {t('credit.public.submit')}
          </button>
        </Form>
        {answer.kind === 'limited' && (
          <p role="alert" className="notice">
            {t('credit.errors.tooManySearches')}
          </p>
        )}
        {answer.kind === 'results' && (
          <section aria-labelledby="credit-results-title" aria-live="polite">
            <h2 id="credit-results-title">{t('credit.public.results', { count: answer.listings.length })}</h2>
            {answer.listings.length === 0 && <p>{t('credit.public.noListings')}</p>}
            <ul className="stack" aria-label={t('credit.public.listingsList')}>
              {answer.listings.map((l) => (
                <li key={l.id} className="card" data-testid="public-listing">
                  <h3>{l.name}</h3>
                  <dl className="facts">
                    <dt>{t(l.subjectKind === 'person' ? 'credit.public.id' : 'credit.public.creditCode')}</dt>
                    <dd data-testid="public-id">{l.idPublished}</dd>
                    {l.subjectKind === 'person' ? (
                      <>
                        <dt>{t('credit.public.sex')}</dt>
                        <dd>{l.sex ? t(`credit.public.sexes.${l.sex}`) : '—'}</dd>
                        <dt>{t('credit.public.age')}</dt>
                        <dd>{l.age}</dd>
                      </>
                    ) : (
                      <>
                        <dt>{t('credit.public.legalRepresentative')}</dt>
                        <dd>{l.legalRepresentative}</dd>
                      </>
                    )}
                    <dt>{t('credit.public.court')}</dt>
                    <dd>{l.court}</dd>
                    <dt>{t('credit.public.province')}</dt>
                    <dd>{l.province}</dd>
                    <dt>{t('credit.public.caseNumber')}</dt>
                    <dd>{l.caseNumber}</dd>
                    <dt>{t('credit.public.filedOn')}</dt>
                    <dd>{l.filedOn}</dd>
                    <dt>{t('credit.public.title_')}</dt>
                    <dd>
                      {l.titleIssuer} {l.titleNumber}
                    </dd>
                    <dt>{t('credit.public.obligation')}</dt>
                    <dd>{l.obligation}</dd>
                    <dt>{t('credit.public.performance')}</dt>
                    <dd>
                      {t(l.performedFen > 0 ? 'credit.public.partly' : 'credit.public.none')} ·{' '}
                      {t('credit.public.amounts', {
                        performed: formatMoney(l.performedFen),
                        unperformed: formatMoney(l.unperformedFen),
                      })}
                    </dd>
                    <dt>{t('credit.public.conduct')}</dt>
                    <dd>
                      {t(`credit.ground.${l.ground}`)}：{l.conduct}
                    </dd>
                    <dt>{t('credit.public.publishedAt')}</dt>
                    <dd>{l.publishedAt ? new Date(l.publishedAt).toISOString().slice(0, 10) : '—'}</dd>
                  </dl>
                </li>
              ))}
            </ul>
            <h2 id="credit-restricted-title">
              {t('credit.public.restrictedTitle', { count: answer.restricted.length })}
            </h2>
            {answer.restricted.length === 0 && <p>{t('credit.public.noRestricted')}</p>}
            <ul className="stack" aria-labelledby="credit-restricted-title">
              {answer.restricted.map((r) => (
                <li key={r.id} className="card" data-testid="public-restricted">
                  <p>
                    <strong>{r.name}</strong>（{r.idPublished}）· {t(`credit.role.${r.role}`)}
                    {r.role !== 'debtor' && ` · ${t('credit.public.ofDebtor', { debtor: r.debtor })}`}
                  </p>
                  <p>
                    {r.court} · {r.caseNumber} · {r.orderNumber} · {r.issuedOn}
                  </p>
                  <p className="muted">{r.items.map((i) => t(`credit.item.${i}`)).join('；')}</p>
                </li>
              ))}
            </ul>
          </section>
        )}
      </section>
    </div>
  );
}
