import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { DecisionChart, PaidChart } from '../components/aid/charts';
import { money, percent } from '../components/aid/ui';
import { Field, SelectField } from '../components/forms';
import { DataTable } from '../components/staff/data-table';
import { FilterBar } from '../components/staff/filter-bar';
import { PageHead } from '../components/staff/page-head';
import { aidLinks } from '../components/staff/stylesheets';
import { load, requireAuth } from '../utils/route.server';

export const links = aidLinks;
export const meta: MetaFunction = () => [{ title: '救助报表 · 最后一公里' }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  return load(request, () => context.services.aid.reports.report(auth.actor, query));
}

/** Aid paid, cases, people, awards, rates, time to decision and limits, by month, as tables and charts. */
export default function Reports() {
  const r = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const name = (o: { nameZh: string; nameEn: string } | null) =>
    o ? (i18n.language === 'en' ? o.nameEn : o.nameZh) : '—';
  const tt = r.totals;
  const days = (n: number | null) => (n === null ? '—' : t('aid.reports.days', { n: n.toFixed(1) }));
  const csvQuery = new URLSearchParams(
    Object.entries(r.query).filter((e): e is [string, string] => typeof e[1] === 'string'),
  ).toString();
  const chart = r.months.map((m) => ({
    month: m.month,
    paidYuan: Number(m.paidFen / 100n),
    people: m.people,
    approved: m.approved,
    refused: m.refused,
  }));
  return (
    <section className="page" aria-labelledby="reports-title">
      <PageHead
        id="reports-title"
        title={t('aid.reports.title')}
        back={{ to: '/aid', label: t('aid.backToQueue') }}
      >
        <a href={`/aid/report-csv?${csvQuery}`} className="button button-secondary" download>
          {t('aid.reports.csv')}
        </a>
      </PageHead>
      <FilterBar aria-label={t('aid.reports.period')} submitLabel={t('aid.reports.show')}>
        <Field name="from" type="month" label={t('aid.reports.from')} defaultValue={r.query.from} />
        <Field name="to" type="month" label={t('aid.reports.to')} defaultValue={r.query.to} />
        {r.courts.length > 0 && (
          <SelectField
            name="courtId"
            label={t('aid.reports.court')}
            anyLabel={t('aid.reports.allCourts')}
            options={r.courts.map((c) => ({ value: c.id, label: name(c) }))}
            defaultValue={r.query.courtId ?? ''}
          />
        )}
        {r.insurers.length > 0 && (
          <SelectField
            name="insurerId"
            label={t('aid.reports.insurer')}
            anyLabel={t('aid.reports.allInsurers')}
            options={r.insurers.map((c) => ({ value: c.id, label: name(c) }))}
            defaultValue={r.query.insurerId ?? ''}
          />
        )}
      </FilterBar>

      <p className="aid-summary" data-testid="aid-summary">
        {t('aid.reports.summary', {
          paid: money(tt.paidFen),
          cases: tt.cases,
          people: tt.people,
          from: r.query.from,
          to: r.query.to,
        })}
      </p>

      <dl className="aid-amounts" aria-label={t('aid.reports.totals')}>
        <div>
          <dt>{t('aid.reports.paid')}</dt>
          <dd data-testid="report-paid">{money(tt.paidFen)}</dd>
        </div>
        <div>
          <dt>{t('aid.reports.cases')}</dt>
          <dd>{tt.cases}</dd>
        </div>
        <div>
          <dt>{t('aid.reports.people')}</dt>
          <dd>{tt.people}</dd>
        </div>
        <div>
          <dt>{t('aid.reports.averageAward')}</dt>
          <dd>{money(tt.averageAwardFen)}</dd>
        </div>
        <div>
          <dt>{t('aid.reports.approvalRate')}</dt>
          <dd>{percent(tt.approved, tt.decided)}</dd>
        </div>
        <div>
          <dt>{t('aid.reports.rejectionRate')}</dt>
          <dd>{percent(tt.refused, tt.decided)}</dd>
        </div>
        <div>
          <dt>{t('aid.reports.avgDays')}</dt>
          <dd>{days(tt.avgDaysToDecision)}</dd>
        </div>
        <div>
          <dt>{t('aid.reports.medianDays')}</dt>
          <dd>{days(tt.medianDaysToDecision)}</dd>
        </div>
        <div>
          <dt>{t('aid.reports.onTime')}</dt>
          <dd>{percent(tt.decidedOnTime, tt.decided)}</dd>
        </div>
        <div>
          <dt>{t('aid.reports.recovered')}</dt>
          <dd data-testid="report-recovered">{money(tt.recoveredFen)}</dd>
        </div>
      </dl>

      <h2 id="paid-chart-title">{t('aid.reports.paidByMonth')}</h2>
      <PaidChart data={chart} labels={{ paid: t('aid.reports.paidYuan'), people: t('aid.reports.people') }} />
      <h2 id="decision-chart-title">{t('aid.reports.decisionsByMonth')}</h2>
      <DecisionChart
        data={chart}
        labels={{ approved: t('aid.reports.approved'), refused: t('aid.reports.refused') }}
      />

      <h2 id="months-title">{t('aid.reports.byMonth')}</h2>
      <DataTable
        labelledBy="months-title"
        rows={r.months}
        rowKey={(m) => m.month}
        columns={[
          {
            header: t('aid.reports.month'),
            cell: (m) => m.month,
            rowHeader: true,
            footer: t('aid.reports.total'),
          },
          { header: t('aid.reports.paid'), cell: (m) => money(m.paidFen), footer: money(tt.paidFen) },
          { header: t('aid.reports.cases'), cell: (m) => m.cases, footer: tt.cases },
          { header: t('aid.reports.people'), cell: (m) => m.people, footer: tt.people },
          { header: t('aid.reports.decided'), cell: (m) => m.decided, footer: tt.decided },
          { header: t('aid.reports.approved'), cell: (m) => m.approved, footer: tt.approved },
          { header: t('aid.reports.refused'), cell: (m) => m.refused, footer: tt.refused },
          {
            header: t('aid.reports.approvalRate'),
            cell: (m) => percent(m.approved, m.decided),
            footer: percent(tt.approved, tt.decided),
          },
        ]}
      />

      <h2 id="limits-title">{t('aid.reports.limits')}</h2>
      <DataTable
        labelledBy="limits-title"
        rows={r.policies}
        rowKey={(p) => p.id}
        empty={{ message: t('aid.policies.none'), quiet: true }}
        columns={[
          { header: t('aid.policies.number'), cell: (p) => p.number, rowHeader: true },
          { header: t('aid.policies.court'), cell: (p) => name(p.court) },
          { header: t('aid.policies.insurer'), cell: (p) => name(p.insurer) },
          { header: t('aid.policies.limit'), cell: (p) => money(p.limitFen) },
          {
            header: t('aid.reports.usedNow'),
            cell: (p) => `${money(p.usedFen)} (${percent(Number(p.usedFen), Number(p.limitFen))})`,
          },
          { header: t('aid.policies.remaining'), cell: (p) => money(p.remainingFen) },
          { header: t('aid.reports.awardedInPeriod'), cell: (p) => money(p.awardedInPeriodFen) },
        ]}
      />
    </section>
  );
}
