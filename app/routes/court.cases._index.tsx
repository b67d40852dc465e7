import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import courtCss from '../components/court/court.css?url';
import { useLocale } from '../components/court/display';
import { formatDateTime, formatMoney } from '../utils/format';
import { load, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: courtCss }];
export const meta: MetaFunction = () => [{ title: '执行案件 · 最后一公里' }];

const PAGE_SIZE = 20;
const Query = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const { page } = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  return load(request, () => context.services.cases.listCases(auth.actor, { page, pageSize: PAGE_SIZE }));
}

export default function CaseList() {
  const { rows, total, page, pageSize, can } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <section className="page" aria-labelledby="cases-title">
      <div className="page-head">
        <h1 id="cases-title">{t('cases.title')}</h1>
        {can.create && (
          <Link to="/court/cases/new" className="button">
            {t('cases.new')}
          </Link>
        )}
      </div>
      {rows.length === 0 ? (
        <p className="notice">{t('cases.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('cases.tableCaption', { total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cases.caseNumber')}</th>
                <th scope="col">{t('cases.basis')}</th>
                <th scope="col">{t('cases.amountOwed')}</th>
                <th scope="col">{t('cases.status')}</th>
                <th scope="col">{t('cases.assetCount')}</th>
                <th scope="col">{t('cases.createdAt')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/court/cases/${c.id}`}>{c.caseNumber}</Link>
                  </th>
                  <td className="wrap">{c.basis}</td>
                  <td>{formatMoney(c.amountOwedFen)}</td>
                  <td>{t(`caseStatus.${c.status}`)}</td>
                  <td>{c.assetCount}</td>
                  <td>{formatDateTime(c.createdAt, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav className="pager" aria-label={t('cases.pagination')}>
          {page > 1 ? (
            <Link to={`?page=${page - 1}`} rel="prev">
              {t('cases.prev')}
            </Link>
          ) : null}
          <span aria-current="page">{t('cases.pageOf', { page, pages })}</span>
          {page < pages ? (
            <Link to={`?page=${page + 1}`} rel="next">
              {t('cases.next')}
            </Link>
          ) : null}
        </nav>
      )}
    </section>
  );
}
