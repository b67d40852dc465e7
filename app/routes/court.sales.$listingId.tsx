import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useLocale } from '../components/court/display';
import { formAction, formRefusal, idParam } from '../components/court/route.server';
import { roundUp, toBeijingInput } from '../components/court/values';
import { ErrorPanel } from '../components/error-panel';
import { Field, TextAreaField } from '../components/forms';
import { useServerOffset } from '../components/money/due';
import { SaleRecord, SaleSteps } from '../components/sales/sale-steps';
import { salesCourtLinks } from '../components/sales/stylesheets';
import { ActionBar } from '../components/staff/action-bar';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { FormSection } from '../components/staff/form-section';
import { PageHead } from '../components/staff/page-head';
import { StatusTag } from '../components/staff/status-tag';
import { formatDateTime, formatMoney } from '../utils/format';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

export const links = salesCourtLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.listing.title ?? '成交后事务'} · 最后一公里` },
];

const Intent = z.enum([
  'recordEligibility',
  'issueRuling',
  'recordService',
  'scheduleHandover',
  'recordHandover',
  'recordObstruction',
]);
type Intent = z.infer<typeof Intent>;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const listingId = idParam(params, 'listingId');
  return load(request, async () => {
    // The steps, the record and what this viewer may do (`can`) come decided from the service.
    const view = await context.services.sales.saleForCourt(auth.actor, listingId);
    const now = new Date();
    return {
      ...view,
      serverTime: view.serverTime.getTime(),
      defaults: {
        today: toBeijingInput(now).slice(0, 10),
        handoverAt: toBeijingInput(roundUp(new Date(now.getTime() + 24 * 3_600_000), 30)),
      },
    };
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const id = idParam(params, 'listingId');
  const form = await readForm(request, context);
  const parsed = Intent.safeParse(form.get('intent'));
  if (!parsed.success)
    return formRefusal(String(form.get('intent')), 400, { formError: 'errors.validation' });
  const intent = parsed.data;
  const { intent: _, ...fields } = formObject(form);
  const sales = context.services.sales;
  const run: Record<Intent, () => Promise<unknown>> = {
    recordEligibility: () => sales.recordEligibility(auth.actor, id, fields),
    issueRuling: () => sales.issueRuling(auth.actor, id),
    recordService: () => sales.recordService(auth.actor, id, fields),
    scheduleHandover: () => sales.scheduleHandover(auth.actor, id, fields),
    recordHandover: () => sales.recordHandover(auth.actor, id, fields),
    recordObstruction: () => sales.recordObstruction(auth.actor, id, fields),
  };
  return formAction(request, intent, async () => {
    await run[intent]();
    throw redirect(`/court/sales/${id}?done=${intent}`);
  });
}

export default function SalePage() {
  const data = useLoaderData<typeof loader>();
  const { listing: l, asset } = data;
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useLocale();
  const offset = useServerOffset(data.serverTime);
  const doneMessage = useDoneMessage('sales.sale.done', Intent.options);
  const when = (d: Date | string | null) => (d ? formatDateTime(d, locale) : '—');
  const s = data.sale;
  return (
    <section className="page" aria-labelledby="sale-title">
      <p>
        <Link to="/court/sales">{t('sales.sale.back')}</Link> ·{' '}
        <Link to={`/court/listings/${l.id}`}>{t('sales.sale.listingPage')}</Link> ·{' '}
        <Link to={`/auctions/${l.id}`}>{t('sales.sale.publicPage')}</Link>
      </p>
      <PageHead id="sale-title" title={t('sales.sale.title', { title: l.title })}>
        {s && <StatusTag catalog="saleStatus" value={s.status} />}
      </PageHead>
      <DoneNotice message={doneMessage} />

      {!s ? (
        <p className="notice" data-testid="awaiting-balance">
          {data.balance?.status === 'defaulted'
            ? t('sales.sale.balanceDefaulted')
            : data.balance
              ? t('sales.sale.awaitingBalance', {
                  amount: formatMoney(data.balance.amountFen),
                  at: when(data.balance.dueAt),
                })
              : t('sales.sale.awaitingBalance', { amount: '—', at: '—' })}
        </p>
      ) : (
        <>
          <dl className="facts" aria-label={t('sales.sale.facts')}>
            <dt>{t('sales.sale.caseNumber')}</dt>
            <dd>{l.caseNumber}</dd>
            <dt>{t('sales.sale.asset')}</dt>
            <dd>{asset.title}</dd>
            <dt>{t('sales.sale.address')}</dt>
            <dd>{asset.address}</dd>
            <dt>{t('sales.sale.round')}</dt>
            <dd>{t(`round.${l.round}`, { defaultValue: t(`listingKind.${l.kind}`) })}</dd>
            <dt>{t('sales.sale.restricted')}</dt>
            <dd>{l.purchaseRestricted ? t('sales.sale.yes') : t('sales.sale.no')}</dd>
            <dt>{t('sales.sale.buyer')}</dt>
            <dd data-testid="buyer-name">{data.buyer?.name}</dd>
            {data.buyer?.idMasked && (
              <>
                <dt>{t('sales.sale.buyerId')}</dt>
                <dd>{data.buyer.idMasked}</dd>
              </>
            )}
            <dt>{t('sales.sale.code')}</dt>
            <dd>{data.buyer?.code ?? '—'}</dd>
            <dt>{t('sales.sale.price')}</dt>
            <dd className="money">{formatMoney(s.priceFen)}</dd>
          </dl>

          <h2 id="steps-title">{t('sales.sale.stepsTitle')}</h2>
          <SaleSteps steps={data.steps ?? []} locale={locale} offset={offset} labelledBy="steps-title" />

          {s.rulingNumber && (
            <section className="card stack" aria-labelledby="ruling-title">
              <h2 id="ruling-title">{t('sales.sale.rulingTitle')}</h2>
              <dl className="facts">
                <dt>{t('sales.sale.rulingNumber')}</dt>
                <dd data-testid="ruling-number">{s.rulingNumber}</dd>
                <dt>{t('sales.sale.rulingIssuedAt')}</dt>
                <dd>{when(s.rulingIssuedAt)}</dd>
                <dt>{t('sales.sale.sha256')}</dt>
                <dd className="hash">{s.rulingSha256}</dd>
              </dl>
              <p>
                <a href={`/sales/${l.id}/ruling.pdf`} download type="application/pdf" className="button">
                  {t('sales.sale.download')}
                </a>
              </p>
            </section>
          )}

          <h2 id="encumbrances-title">{t('sales.sale.encumbrancesTitle')}</h2>
          {asset.extinguished.length + asset.continuing.length === 0 ? (
            <p className="muted">{t('sales.sale.noEncumbrances')}</p>
          ) : (
            <dl className="facts" aria-labelledby="encumbrances-title">
              {asset.extinguished.length > 0 && (
                <>
                  <dt>{t('sales.sale.extinguished')}</dt>
                  <dd>
                    <ul>
                      {asset.extinguished.map((e) => (
                        <li key={`${e.kind}-${e.description}`}>
                          {t(`sales.encumbranceKind.${e.kind}`)}：{e.description}
                        </li>
                      ))}
                    </ul>
                  </dd>
                </>
              )}
              {asset.continuing.length > 0 && (
                <>
                  <dt>{t('sales.sale.continuing')}</dt>
                  <dd>
                    <ul>
                      {asset.continuing.map((e) => (
                        <li key={`${e.kind}-${e.description}`}>
                          {t(`sales.encumbranceKind.${e.kind}`)}：{e.description}
                        </li>
                      ))}
                    </ul>
                  </dd>
                </>
              )}
            </dl>
          )}

          {/* Keyed by state, so the forms come back empty after a successful action. */}
          <ActionBar
            key={`actions-${s.status}-${data.record?.length}`}
            can={data.can ?? {}}
            result={result}
            title={t('sales.sale.actionsTitle')}
            empty={t('sales.sale.noActions')}
            actions={[
              {
                intent: 'recordEligibility',
                label: t('sales.sale.do.recordEligibility'),
                help: t('sales.sale.help.recordEligibility'),
                fields: (r) => (
                  <>
                    <FormSection
                      legend={t('sales.sale.field.outcome')}
                      id="eligibility-outcome"
                      errors={r?.fieldErrors?.outcome}
                    >
                      {(['passed', 'failed'] as const).map((o) => (
                        <label key={o} className="checkbox">
                          <input type="radio" name="outcome" value={o} required />{' '}
                          {t(`sales.sale.field.${o}`)}
                        </label>
                      ))}
                    </FormSection>
                    <TextAreaField
                      name="reason"
                      id="eligibility-reason"
                      label={t('sales.sale.field.reason')}
                      rows={2}
                      errors={r?.fieldErrors?.reason}
                    />
                  </>
                ),
              },
              {
                intent: 'issueRuling',
                label: t('sales.sale.do.issueRuling'),
                help: t('sales.sale.help.issueRuling'),
              },
              {
                intent: 'recordService',
                label: t('sales.sale.do.recordService'),
                help: t('sales.sale.help.recordService'),
                fields: (r) => (
                  <Field
                    name="servedOn"
                    id="service-servedOn"
                    type="date"
                    label={t('sales.sale.field.servedOn')}
                    defaultValue={data.defaults.today}
                    max={data.defaults.today}
                    required
                    errors={r?.fieldErrors?.servedOn}
                  />
                ),
              },
              {
                intent: 'scheduleHandover',
                label: t('sales.sale.do.scheduleHandover'),
                help: t('sales.sale.help.scheduleHandover'),
                fields: (r) => (
                  <>
                    <Field
                      name="scheduledFor"
                      id="handover-scheduledFor"
                      type="datetime-local"
                      label={t('sales.sale.field.scheduledFor')}
                      defaultValue={data.defaults.handoverAt}
                      required
                      errors={r?.fieldErrors?.scheduledFor}
                    />
                    <Field
                      name="place"
                      id="handover-place"
                      label={t('sales.sale.field.place')}
                      defaultValue={s.handoverPlace ?? asset.address}
                      required
                      errors={r?.fieldErrors?.place}
                    />
                  </>
                ),
              },
              {
                intent: 'recordHandover',
                label: t('sales.sale.do.recordHandover'),
                help: t('sales.sale.help.recordHandover'),
                fields: (r) => (
                  <>
                    <Field
                      name="handedOverOn"
                      id="handover-handedOverOn"
                      type="date"
                      label={t('sales.sale.field.handedOverOn')}
                      defaultValue={data.defaults.today}
                      max={data.defaults.today}
                      required
                      errors={r?.fieldErrors?.handedOverOn}
                    />
                    <TextAreaField
                      name="note"
                      id="handover-note"
                      label={t('sales.sale.field.note')}
                      rows={2}
                      errors={r?.fieldErrors?.note}
                    />
                  </>
                ),
              },
              {
                intent: 'recordObstruction',
                label: t('sales.sale.do.recordObstruction'),
                help: t('sales.sale.help.recordObstruction'),
                danger: true,
                fields: (r) => (
                  <TextAreaField
                    name="reason"
                    id="obstruction-reason"
                    label={t('sales.sale.field.obstructionReason')}
                    rows={2}
                    required
                    errors={r?.fieldErrors?.reason}
                  />
                ),
              },
            ]}
          />

          <h2 id="record-title">{t('sales.sale.recordTitle')}</h2>
          <SaleRecord entries={data.record ?? []} locale={locale} labelledBy="record-title" />
        </>
      )}
    </section>
  );
}

/** Refusals (another court's sale, a clerk issuing a ruling …) keep a way back to the desk. */
export function ErrorBoundary() {
  const { t } = useTranslation();
  return <ErrorPanel back={() => <Link to="/court/sales">{t('sales.sale.back')}</Link>} />;
}
