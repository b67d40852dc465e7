import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import aidCss from '../components/aid/aid.css?url';
import { DecisionChart, PaidChart } from '../components/aid/charts';
import { money, percent } from '../components/aid/ui';
import courtCss from '../components/court/court.css?url';
import { Field, SelectField } from '../components/forms';
import { load, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: courtCss },
  { rel: 'stylesheet', href: aidCss },
];
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
      <p>
        <Link to="/aid">{t('aid.backToQueue')}</Link>
      </p>
      <div className="page-head">
        <h1 id="reports-title">{t('aid.reports.title')}</h1>
        <p>
          <a href={`/aid/report-csv?${csvQuery}`} className="button button-secondary" download>
            {t('aid.reports.csv')}
          </a>
        </p>
      </div>
      <Form method="get" className="filter-bar" aria-label={t('aid.reports.period')}>
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
        <button type="submit" className="button button-secondary">
          {t('aid.reports.show')}
        </button>
      </Form>

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
          <dd>{money(tt.recoveredFen)}</dd>
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
      <div className="table-wrap">
        <table aria-labelledby="months-title">
          <thead>
            <tr>
              <th scope="col">{t('aid.reports.month')}</th>
              <th scope="col">{t('aid.reports.paid')}</th>
              <th scope="col">{t('aid.reports.cases')}</th>
              <th scope="col">{t('aid.reports.people')}</th>
              <th scope="col">{t('aid.reports.decided')}</th>
              <th scope="col">{t('aid.reports.approved')}</th>
              <th scope="col">{t('aid.reports.refused')}</th>
              <th scope="col">{t('aid.reports.approvalRate')}</th>
            </tr>
          </thead>
          <tbody>
            {r.months.map((m) => (
              <tr key={m.month}>
                <th scope="row">{m.month}</th>
                <td>{money(m.paidFen)}</td>
                <td>{m.cases}</td>
                <td>{m.people}</td>
                <td>{m.decided}</td>
                <td>{m.approved}</td>
                <td>{m.refused}</td>
                <td>{percent(m.approved, m.decided)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('aid.reports.total')}</th>
              <td>{money(tt.paidFen)}</td>
              <td>{tt.cases}</td>
              <td>{tt.people}</td>
              <td>{tt.decided}</td>
              <td>{tt.approved}</td>
              <td>{tt.refused}</td>
              <td>{percent(tt.approved, tt.decided)}</td>
            </tr>
          </tfoot>
        </table>
      </div>

      <h2 id="limits-title">{t('aid.reports.limits')}</h2>
      {r.policies.length === 0 ? (
        <p className="muted">{t('aid.policies.none')}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="limits-title">
            <thead>
              <tr>
                <th scope="col">{t('aid.policies.number')}</th>
                <th scope="col">{t('aid.policies.court')}</th>
                <th scope="col">{t('aid.policies.insurer')}</th>
                <th scope="col">{t('aid.policies.limit')}</th>
                <th scope="col">{t('aid.reports.usedNow')}</th>
                <th scope="col">{t('aid.policies.remaining')}</th>
                <th scope="col">{t('aid.reports.awardedInPeriod')}</th>
              </tr>
            </thead>
            <tbody>
              {r.policies.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{p.number}</th>
                  <td>{name(p.court)}</td>
                  <td>{name(p.insurer)}</td>
                  <td>{money(p.limitFen)}</td>
                  <td>
                    {money(p.usedFen)} ({percent(Number(p.usedFen), Number(p.limitFen))})
                  </td>
                  <td>{money(p.remainingFen)}</td>
                  <td>{money(p.awardedInPeriodFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
