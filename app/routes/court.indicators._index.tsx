import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FlowChart, ShareChart } from '../components/indicators/charts';
import { DrillLink, formatPart, formatValue, percent, useLightTag } from '../components/indicators/figures';
import { DataTable } from '../components/staff/data-table';
import { FilterBar } from '../components/staff/filter-bar';
import { PageHead } from '../components/staff/page-head';
import { courtLinks } from '../components/staff/stylesheets';
import { load, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = () => [{ title: '执行质效指标 · 最后一公里' }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const query = Object.fromEntries(
    [...new URL(request.url).searchParams].filter(
      ([k, v]) => ['court', 'from', 'to', 'window'].includes(k) && v,
    ),
  );
  const d = await load(request, () => context.services.indicators.dashboard(auth.actor, query));
  // The page draws the months of the core four and of the flow table; the others' months (the CSV
  // has them) stay out of its data, a third less to send and to encode into the HTML.
  return {
    ...d,
    indicators: d.indicators.map((i) => (i.core || MONTHLY.has(i.key) ? i : { ...i, months: [] })),
  };
}

/** The indicators besides the core four whose months the page draws (the flow table). */
const MONTHLY = new Set<string>(['accepted', 'closed', 'closure_rate', 'overdue']);

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Indicator = Data['indicators'][number];

/** The address of the query behind a figure (the drill-down or the CSV), with the page's filters. */
export function queryOf(d: Pick<Data, 'view' | 'period' | 'window'>, extra: Record<string, string> = {}) {
  const q = new URLSearchParams({ from: d.period.from, to: d.period.to, window: String(d.window), ...extra });
  if (d.view) q.set('court', d.view.id);
  return q.toString();
}

/** The quality dashboard: the 3+1 and the others, month by month against target, the ranking, the drill-downs. */
export default function Indicators() {
  const d = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const lightTag = useLightTag();
  const name = (c: { nameZh: string; nameEn: string }) => (i18n.language === 'en' ? c.nameEn : c.nameZh);
  const drill = (key: string, part: string, extra: Record<string, string> = {}) =>
    `/court/indicators/drill?${queryOf(d, { indicator: key, part, ...extra })}`;
  const core = d.indicators.filter((i) => i.core);
  const others = d.indicators.filter((i) => !i.core);
  const byKey = (k: string) => d.indicators.find((i) => i.key === k)!;
  /** A numerator or denominator, linked to its cases; a count has no denominator (but the overdue's open cases). */
  const part = (
    i: Indicator,
    which: 'num' | 'den',
    p: { num: number; den: number },
    extra?: Record<string, string>,
  ) =>
    which === 'den' && i.kind === 'count' && i.key !== 'overdue' ? (
      '—'
    ) : (
      <DrillLink to={drill(i.key, which, extra)}>{formatPart(i.key, p[which])}</DrillLink>
    );
  return (
    <section className="page" aria-labelledby="indicators-title">
      <PageHead id="indicators-title" title={t('indicators.title')}>
        <a href={`/court/indicators.csv?${queryOf(d)}`} className="button button-secondary" download>
          {t('indicators.exportCsv')}
        </a>
      </PageHead>
      <p className="field-help">{t('indicators.intro', { today: d.today })}</p>

      <FilterBar aria-label={t('indicators.view')} submitLabel={t('indicators.show')}>
        <label className="field">
          <span>{t('indicators.court')}</span>
          <select name="court" defaultValue={d.view?.id ?? ''}>
            {d.view === null && <option value="">{t('indicators.platform')}</option>}
            {d.courts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.code} {name(c)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('indicators.from')}</span>
          <input type="month" name="from" defaultValue={d.period.from} required />
        </label>
        <label className="field">
          <span>{t('indicators.to')}</span>
          <input type="month" name="to" defaultValue={d.period.to} required />
        </label>
        <label className="field">
          <span>{t('indicators.window')}</span>
          <input type="number" name="window" min={1} max={120} defaultValue={d.window} inputMode="numeric" />
        </label>
      </FilterBar>
      <p>
        <strong>{d.view ? `${d.view.code} ${name(d.view)}` : t('indicators.platform')}</strong> ·{' '}
        {t('indicators.periodLabel', { from: d.period.from, to: d.period.to, window: d.window })}
      </p>

      <h2 id="core-title">{t('indicators.coreTitle')}</h2>
      <ul className="indicator-cards" aria-labelledby="core-title">
        {core.map((i) => (
          <li key={i.key} className="indicator-card" data-testid={`indicator-${i.key}`}>
            <h3>{t(`indicators.def.${i.key}.name`)}</h3>
            <p className="indicator-value">
              {formatValue(i.kind, i.key, i.total.value)} {lightTag(i.total.light)}
            </p>
            <p className="muted">{t('indicators.target', { value: percent(i.target) })}</p>
            <dl>
              <dt>{t('indicators.numerator')}</dt>
              <dd>
                {part(i, 'num', i.total)} — {t(`indicators.def.${i.key}.num`)}
              </dd>
              <dt>{t('indicators.denominator')}</dt>
              <dd>
                {part(i, 'den', i.total)} — {t(`indicators.def.${i.key}.den`)}
              </dd>
            </dl>
          </li>
        ))}
      </ul>
      {d.courtsReaching.total > 1 && (
        <p>
          {t('indicators.reaching', {
            reached: d.courtsReaching.reached,
            total: d.courtsReaching.total,
            share: percent(d.courtsReaching.share),
            target: percent(d.courtsReaching.target),
          })}
        </p>
      )}

      <h2 id="others-title">{t('indicators.othersTitle')}</h2>
      <DataTable
        labelledBy="others-title"
        rows={others}
        rowKey={(i) => i.key}
        rowProps={(i) => ({ 'data-testid': `indicator-${i.key}` })}
        columns={[
          {
            header: t('indicators.indicator'),
            cell: (i) => t(`indicators.def.${i.key}.name`),
            rowHeader: true,
          },
          { header: t('indicators.value'), cell: (i) => formatValue(i.kind, i.key, i.total.value) },
          { header: t('indicators.numerator'), cell: (i) => part(i, 'num', i.total) },
          { header: t('indicators.denominator'), cell: (i) => part(i, 'den', i.total) },
          {
            header: t('indicators.definition'),
            className: 'wrap',
            cell: (i) => `${t(`indicators.def.${i.key}.num`)} ÷ ${t(`indicators.def.${i.key}.den`)}`,
          },
        ]}
      />

      {core.map((i) => (
        <section key={i.key} aria-labelledby={`monthly-${i.key}`}>
          <h2 id={`monthly-${i.key}`}>
            {t('indicators.monthlyTitle', { name: t(`indicators.def.${i.key}.name`) })}
          </h2>
          <div className="indicator-monthly">
            <ShareChart
              data={i.months.map((m) => ({
                month: m.month,
                percent: m.value === null ? null : Math.round(m.value * 10_000) / 100,
              }))}
              target={i.target}
              label={t(`indicators.def.${i.key}.name`)}
              targetLabel={t('indicators.target', { value: percent(i.target) })}
            />
            <DataTable
              labelledBy={`monthly-${i.key}`}
              rows={i.months}
              rowKey={(m) => m.month}
              columns={[
                { header: t('indicators.month'), cell: (m) => m.month, rowHeader: true },
                {
                  header: t('indicators.numerator'),
                  cell: (m) => part(i, 'num', m, { from: m.month, to: m.month }),
                },
                {
                  header: t('indicators.denominator'),
                  cell: (m) => part(i, 'den', m, { from: m.month, to: m.month }),
                },
                { header: t('indicators.value'), cell: (m) => formatValue(i.kind, i.key, m.value) },
                { header: t('indicators.lightHeader'), cell: (m) => lightTag(m.light) },
              ]}
            />
          </div>
        </section>
      ))}

      <section aria-labelledby="monthly-flow">
        <h2 id="monthly-flow">
          {t('indicators.monthlyTitle', {
            name: `${t('indicators.def.accepted.name')} / ${t('indicators.def.closed.name')}`,
          })}
        </h2>
        <div className="indicator-monthly">
          <FlowChart
            data={byKey('accepted').months.map((m, k) => ({
              month: m.month,
              accepted: m.num,
              closed: byKey('closed').months[k]!.num,
            }))}
            labels={{ accepted: t('indicators.def.accepted.name'), closed: t('indicators.def.closed.name') }}
          />
          <DataTable
            labelledBy="monthly-flow"
            rows={byKey('accepted').months.map((m, k) => ({
              month: m.month,
              accepted: m.num,
              closed: byKey('closed').months[k]!.num,
              rate: byKey('closure_rate').months[k]!.value,
              overdue: byKey('overdue').months[k]!.num,
            }))}
            rowKey={(m) => m.month}
            columns={[
              { header: t('indicators.month'), cell: (m) => m.month, rowHeader: true },
              { header: t('indicators.def.accepted.name'), cell: (m) => m.accepted.toLocaleString('en-US') },
              { header: t('indicators.def.closed.name'), cell: (m) => m.closed.toLocaleString('en-US') },
              { header: t('indicators.def.closure_rate.name'), cell: (m) => percent(m.rate) },
              { header: t('indicators.def.overdue.name'), cell: (m) => m.overdue.toLocaleString('en-US') },
            ]}
          />
        </div>
      </section>

      <h2 id="gaps-title">{t('indicators.gapsTitle')}</h2>
      <DataTable
        labelledBy="gaps-title"
        rows={d.zhongbenGaps}
        rowKey={(g) => g.condition}
        empty={{ message: t('indicators.noGaps'), quiet: true }}
        columns={[
          {
            header: t('indicators.condition'),
            cell: (g) =>
              g.condition === 'no_checklist'
                ? t('indicators.noChecklist')
                : t(`zhongbenCondition.${g.condition}`),
            rowHeader: true,
            className: 'wrap',
          },
          {
            header: t('indicators.cases'),
            cell: (g) =>
              g.condition === 'no_checklist' ? (
                g.n
              ) : (
                <DrillLink to={drill('zhongben_qualified', 'den', { condition: g.condition })}>
                  {g.n}
                </DrillLink>
              ),
          },
        ]}
      />

      {d.ranking.length > 1 && (
        <>
          <h2 id="ranking-title">{t('indicators.rankingTitle')}</h2>
          <DataTable
            labelledBy="ranking-title"
            rows={d.ranking}
            rowKey={(r) => r.court.id}
            columns={[
              { header: t('indicators.rank'), cell: (r) => r.rank ?? t('indicators.unranked') },
              {
                header: t('indicators.court'),
                cell: (r) => (
                  <Link to={`/court/indicators?${queryOf({ ...d, view: r.court })}`}>
                    {r.court.code} {name(r.court)}
                  </Link>
                ),
                rowHeader: true,
              },
              ...core.map((i) => ({
                header: t(`indicators.def.${i.key}.name`),
                cell: (r: Data['ranking'][number]) => (
                  <>
                    {formatValue(i.kind, i.key, r.figures[i.key].value)} {lightTag(r.figures[i.key].light)}
                  </>
                ),
              })),
              { header: t('indicators.met'), cell: (r) => `${r.met} / 4` },
              {
                header: t('indicators.def.accepted.name'),
                cell: (r) => r.figures.accepted.num.toLocaleString('en-US'),
              },
            ]}
          />
        </>
      )}
    </section>
  );
}
