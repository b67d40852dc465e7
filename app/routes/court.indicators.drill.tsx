import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { DrillLink } from '../components/indicators/figures';
import { DataTable } from '../components/staff/data-table';
import { PageHead } from '../components/staff/page-head';
import { courtLinks } from '../components/staff/stylesheets';
import { formatMoney } from '../utils/format';
import { load, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = () => [{ title: '指标明细 · 最后一公里' }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const query = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v));
  return load(request, () => context.services.indicators.drillDown(auth.actor, query));
}

type Cell = string | number | boolean | null;

/** A drill-down cell as the page shows it: money in yuan, yes/no, the catalogs' names. */
export function useCellText() {
  const { t } = useTranslation();
  return (column: string, v: Cell): string => {
    if (v === null) return '—';
    if (typeof v === 'boolean') return v ? t('indicators.yes') : t('indicators.no');
    if (column === 'amountOwedFen' || column === 'recoveredFen') return formatMoney(String(v));
    if (column === 'closureMode') return t(`closureMode.${v}`);
    if (column === 'complaintStatus') return t(`complaintStatus.${v}`);
    if (column === 'listingStatus') return t(`listingStatus.${v}`);
    if (column === 'listingOutcome') return t(`indicators.outcome.${v}`);
    return String(v);
  };
}

/** The cases (complaints, auctions) behind one figure: its numerator, its denominator, or the gap. */
export default function DrillDown() {
  const d = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const text = useCellText();
  const q = d.query;
  const base = new URLSearchParams({
    indicator: q.indicator,
    part: q.part,
    from: q.from,
    to: q.to,
    ...(q.court && { court: q.court }),
    ...(q.window && { window: String(q.window) }),
    ...(q.condition && { condition: q.condition }),
  });
  const back = new URLSearchParams({ from: q.from, to: q.to, ...(q.court && { court: q.court }) });
  const pages = Math.max(1, Math.ceil(d.total / d.pageSize));
  const courtName = d.view
    ? i18n.language === 'en'
      ? d.view.nameEn
      : d.view.nameZh
    : t('indicators.platform');
  const showCourt = d.rows.some((r) => r.court && r.court.id !== d.view?.id);
  const name = t(`indicators.def.${q.indicator}.name`);
  return (
    <section className="page" aria-labelledby="drill-title">
      <PageHead
        id="drill-title"
        title={t('indicators.drillTitle', { name, part: t(`indicators.part.${q.part}`) })}
        back={{ to: `/court/indicators?${back}`, label: t('indicators.back') }}
      >
        <a href={`/court/indicators/drill.csv?${base}`} className="button button-secondary" download>
          {t('indicators.exportCsv')}
        </a>
      </PageHead>
      <p>
        {t('indicators.drillIntro', {
          court: courtName,
          period: q.from === q.to ? q.from : t('indicators.period', { from: q.from, to: q.to }),
          n: d.total,
        })}
      </p>
      <p className="field-help">
        {t('indicators.numerator')}: {t(`indicators.def.${q.indicator}.num`)}. {t('indicators.denominator')}:{' '}
        {t(`indicators.def.${q.indicator}.den`)}.
      </p>
      {q.condition && <p>{t('indicators.missing', { condition: t(`zhongbenCondition.${q.condition}`) })}</p>}
      <nav aria-label={t('indicators.view')}>
        {(['num', 'den', 'gap'] as const).map((p) => {
          const to = new URLSearchParams(base);
          to.set('part', p);
          return p === q.part ? (
            <strong key={p}> {t(`indicators.part.${p}`)} </strong>
          ) : (
            <span key={p}>
              {' '}
              <DrillLink to={`?${to}`}>{t(`indicators.part.${p}`)}</DrillLink>{' '}
            </span>
          );
        })}
      </nav>
      <DataTable
        caption={t('indicators.drillTitle', { name, part: t(`indicators.part.${q.part}`) })}
        rows={d.rows}
        rowKey={(r) => r.id}
        empty={{ message: t('indicators.empty') }}
        paging={{
          page: d.page,
          pages,
          href: (page) => {
            const to = new URLSearchParams(base);
            to.set('page', String(page));
            return `?${to}`;
          },
        }}
        columns={[
          {
            header: t('indicators.caseNumber'),
            cell: (r) => <Link to={`/court/cases/${r.caseId}`}>{r.caseNumber}</Link>,
            rowHeader: true,
          },
          ...(showCourt
            ? [
                {
                  header: t('indicators.court'),
                  cell: (r: (typeof d.rows)[number]) => r.court?.code ?? '',
                },
              ]
            : []),
          ...d.columns.map((c) => ({
            header: t(`indicators.col.${c}`),
            cell: (r: (typeof d.rows)[number]) => text(c, r.cells[c] ?? null),
          })),
          ...(q.part === 'den'
            ? [
                {
                  header: t('indicators.col.inNum'),
                  cell: (r: (typeof d.rows)[number]) => text('inNum', r.inNum),
                },
              ]
            : []),
        ]}
      />
    </section>
  );
}
