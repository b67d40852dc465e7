import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useLocale } from '../components/court/display';
import { formAction, formRefusal, importConfirmationsAction } from '../components/court/route.server';
import { Field, FormError } from '../components/forms';
import { ActionForm } from '../components/staff/action-bar';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { PageHead } from '../components/staff/page-head';
import { type ActionResult, PostForm } from '../components/staff/post-form';
import { StatusTag } from '../components/staff/status-tag';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime, formatMoney } from '../utils/format';
import { load, readForm, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = () => [{ title: '执行款发放 · 最后一公里' }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const f = context.services.funds;
  return load(request, async () => {
    // What is ready, the batches and failures, and what the viewer may do: decided by the service.
    const [desk, overdue, plans] = await Promise.all([
      f.payouts.desk(auth.actor),
      f.overdueReleases(auth.actor),
      f.fundsDesk(auth.actor),
    ]);
    return { ...desk, overdue, plans };
  });
}

const Intent = z.enum(['createBatch', 'approveBatch', 'import', 'reissue', 'setAside']);

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  const parsed = Intent.safeParse(form.get('intent'));
  if (!parsed.success)
    return formRefusal(String(form.get('intent')), 400, { formError: 'errors.validation' });
  const p = context.services.funds.payouts;
  const rid = context.meta.requestId;
  const intent = parsed.data;
  if (intent === 'import')
    return importConfirmationsAction(request, form, (text) => p.importConfirmations(auth.actor, text, rid));
  const id = String(form.get('id') ?? '');
  const run: Record<Exclude<typeof intent, 'import'>, () => Promise<unknown>> = {
    createBatch: () => p.createBatch(auth.actor, { lineIds: form.getAll('lineIds').map(String) }, rid),
    approveBatch: () => p.approveBatch(auth.actor, id, rid),
    reissue: () => p.reissuePayment(auth.actor, id, {}, rid),
    setAside: () => p.setAsidePayment(auth.actor, id, rid),
  };
  return formAction(request, intent, async () => {
    await run[intent]();
    throw redirect(`/court/funds/payouts?done=${intent}`);
  });
}

export default function FundsPayouts() {
  const d = useLoaderData<typeof loader>();
  const raw = useActionData<typeof action>();
  const result = raw as
    | (ActionResult & { imported?: { confirmed: unknown[]; failed: unknown[] } })
    | undefined;
  const { t } = useTranslation();
  const locale = useLocale();
  const [search] = useSearchParams();
  const refused = search.get('refused');
  const doneMessage = useDoneMessage('funds.payouts.done', Intent.options);
  return (
    <section className="page" aria-labelledby="payouts-title">
      <PageHead id="payouts-title" title={t('funds.payouts.title')} />
      <DoneNotice message={doneMessage} />
      {refused && <FormError error={refused} />}

      <h2 id="plans-title">{t('funds.payouts.plansTitle')}</h2>
      <DataTable
        labelledBy="plans-title"
        rows={d.plans}
        rowKey={(r) => r.plan.id}
        empty={{ message: t('funds.payouts.noPlans'), quiet: true }}
        columns={[
          {
            header: t('funds.payouts.case'),
            cell: (r) => <Link to={`/court/cases/${r.plan.caseId}/funds`}>{r.caseNumber}</Link>,
            rowHeader: true,
          },
          { header: t('funds.payouts.plan'), cell: (r) => r.plan.number },
          {
            header: t('funds.page.status'),
            cell: (r) => <StatusTag catalog="funds.planStatus" value={r.plan.status} />,
          },
          { header: t('funds.page.pool'), cell: (r) => formatMoney(r.plan.poolFen), className: 'money' },
        ]}
      />

      {d.can.prepare && (
        <>
          <h2 id="ready-title">{t('funds.payouts.ready')}</h2>
          {d.ready.length === 0 ? (
            <p className="muted">{t('funds.payouts.noneReady')}</p>
          ) : (
            <PostForm
              aria-labelledby="ready-title"
              className="stack"
              intent="createBatch"
              result={result?.intent === 'createBatch' ? result : undefined}
              submitLabel={t('funds.payouts.create')}
            >
              <DataTable
                caption={t('funds.payouts.readyCaption')}
                rows={d.ready}
                rowKey={(r) => r.line.id}
                columns={[
                  {
                    header: t('funds.payouts.include'),
                    className: 'checkbox-cell',
                    cell: (r) => (
                      <input
                        type="checkbox"
                        name="lineIds"
                        value={r.line.id}
                        defaultChecked
                        aria-label={t('funds.payouts.pick', { name: r.creditor })}
                      />
                    ),
                  },
                  { header: t('funds.page.creditor'), cell: (r) => r.creditor, rowHeader: true },
                  { header: t('funds.payouts.case'), cell: (r) => r.caseNumber },
                  {
                    header: t('funds.page.allocated'),
                    cell: (r) => formatMoney(r.line.allocatedFen),
                    className: 'money',
                  },
                  {
                    header: t('funds.payouts.toPay'),
                    cell: (r) => formatMoney(r.dueFen),
                    className: 'money',
                  },
                  {
                    header: t('funds.page.field.bankName'),
                    cell: (r) => `${r.claim.payeeName} · ${r.claim.bankName}`,
                  },
                ]}
              />
            </PostForm>
          )}
        </>
      )}

      <h2 id="batches-title">{t('funds.payouts.batches')}</h2>
      <DataTable
        labelledBy="batches-title"
        rows={d.batches}
        rowKey={(b) => b.id}
        empty={{ message: t('funds.payouts.noBatches'), quiet: true }}
        columns={[
          { header: t('funds.payouts.number'), cell: (b) => b.number, rowHeader: true },
          {
            header: t('funds.page.status'),
            cell: (b) => <StatusTag catalog="aidBatchStatus" value={b.status} />,
          },
          { header: t('funds.payouts.count'), cell: (b) => b.count },
          { header: t('funds.payouts.total'), cell: (b) => formatMoney(b.totalFen), className: 'money' },
          {
            header: t('funds.payouts.confirmed'),
            cell: (b) => formatMoney(b.confirmedFen),
            className: 'money',
          },
          { header: t('funds.payouts.preparedAt'), cell: (b) => formatDateTime(b.preparedAt, locale) },
          {
            header: t('funds.page.actions'),
            cell: (b) => (
              <div className="stack">
                {b.can.approve && (
                  <ActionForm
                    intent="approveBatch"
                    label={t('funds.payouts.approve', { number: b.number })}
                    titled={false}
                    hiddenFields={{ id: b.id }}
                    result={result?.intent === 'approveBatch' ? result : undefined}
                  />
                )}
                {b.can.export && (
                  <PostForm
                    action={`/court/funds/payouts/${b.id}/export`}
                    reloadDocument
                    aria-label={t('funds.payouts.export', { number: b.number })}
                    submitLabel={t('funds.payouts.export', { number: b.number })}
                  />
                )}
              </div>
            ),
          },
        ]}
      />

      {d.can.import && (
        <>
          <h2 id="import-title">{t('funds.payouts.importTitle')}</h2>
          <PostForm
            encType="multipart/form-data"
            className="stack narrow"
            aria-labelledby="import-title"
            intent="import"
            result={result?.intent === 'import' ? result : undefined}
            submitLabel={t('funds.payouts.importSubmit')}
            noValidate={false}
          >
            {(r) => (
              <Field
                name="file"
                type="file"
                accept=".csv,text/csv"
                label={t('funds.payouts.file')}
                required
                errors={r?.fieldErrors?.file}
              />
            )}
          </PostForm>
          {result?.imported && (
            <p className="notice" role="status" data-testid="imported">
              {t('funds.payouts.imported', {
                confirmed: result.imported.confirmed.length,
                failed: result.imported.failed.length,
              })}
            </p>
          )}
        </>
      )}

      <h2 id="failed-title">{t('funds.payouts.failedTitle')}</h2>
      <DataTable
        labelledBy="failed-title"
        rows={d.failed}
        rowKey={(p) => p.id}
        empty={{ message: t('funds.payouts.noFailed'), quiet: true }}
        columns={[
          { header: t('funds.payouts.reference'), cell: (p) => p.reference, rowHeader: true },
          { header: t('funds.page.field.payeeName'), cell: (p) => p.payeeName },
          { header: t('funds.page.amount'), cell: (p) => formatMoney(p.amountFen), className: 'money' },
          { header: t('funds.page.reason'), cell: (p) => p.failureNote ?? p.failureReason ?? '' },
          {
            header: t('funds.page.actions'),
            cell: (p) => (
              <div className="stack">
                {p.can.reissue && (
                  <ActionForm
                    intent="reissue"
                    label={t('funds.payouts.reissue')}
                    titled={false}
                    hiddenFields={{ id: p.id }}
                  />
                )}
                {p.can.cancel && (
                  <ActionForm
                    intent="setAside"
                    label={t('funds.payouts.setAside')}
                    titled={false}
                    danger
                    hiddenFields={{ id: p.id }}
                  />
                )}
              </div>
            ),
          },
        ]}
      />

      <h2 id="overdue-title">{t('funds.payouts.overdueTitle')}</h2>
      <DataTable
        labelledBy="overdue-title"
        rows={d.overdue}
        rowKey={(r) => r.release.caseId}
        empty={{ message: t('funds.payouts.noOverdue'), quiet: true }}
        columns={[
          {
            header: t('funds.payouts.case'),
            cell: (r) => <Link to={`/court/cases/${r.release.caseId}/funds`}>{r.caseNumber}</Link>,
            rowHeader: true,
          },
          { header: t('funds.payouts.arrivedAt'), cell: (r) => formatDateTime(r.release.arrivedAt, locale) },
          { header: t('funds.page.releaseDue'), cell: (r) => formatDateTime(r.release.dueAt, locale) },
          {
            header: t('funds.page.reason'),
            cell: (r) =>
              r.release.deferralReason ? t(`funds.deferralReason.${r.release.deferralReason}`) : '—',
          },
        ]}
      />
    </section>
  );
}
