import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { maskAccount } from '../../server/aid/rules';
import { money } from '../components/aid/ui';
import { useLocale } from '../components/court/display';
import { formAction, formRefusal, importConfirmationsAction } from '../components/court/route.server';
import { Field, FormError, SelectField } from '../components/forms';
import { DataTable } from '../components/staff/data-table';
import { FilterBar } from '../components/staff/filter-bar';
import { KeysetPager } from '../components/staff/keyset-pager';
import { PageHead } from '../components/staff/page-head';
import { type ActionResult, answerFor, PostForm } from '../components/staff/post-form';
import { StatusTag } from '../components/staff/status-tag';
import { aidLinks } from '../components/staff/stylesheets';
import { formatDateTime } from '../utils/format';
import { keysetLinks } from '../utils/paging';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

export const links = aidLinks;
export const meta: MetaFunction = () => [{ title: '付款批次 · 最后一公里' }];

export const BATCH_STATUSES = ['prepared', 'approved', 'sent', 'settled'] as const;

/** The filters of the batch list and of its CSV export; an unknown value is no filter. */
export const BatchQuery = z.object({
  q: z.string().trim().max(60).optional().catch(undefined),
  status: z.enum(BATCH_STATUSES).optional().catch(undefined),
  before: z.string().max(100).optional().catch(undefined),
});

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const url = new URL(request.url);
  const filter = BatchQuery.parse(Object.fromEntries(url.searchParams));
  return load(request, async () => {
    const d = await context.services.aid.payments.overview(auth.actor, filter);
    return {
      ...d,
      q: filter.q ?? '',
      status: filter.status ?? null,
      ...keysetLinks(url, d.batches.next, filter.before),
      // The export takes the same filters as the list.
      csvHref: `/aid/batches.csv${url.search}`,
    };
  });
}

const Intent = z.enum(['createBatch', 'import', 'reissue', 'cancel']);

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  const parsed = Intent.safeParse(form.get('intent'));
  if (!parsed.success)
    return formRefusal(String(form.get('intent')), 400, { formError: 'errors.validation' });
  const p = context.services.aid.payments;
  const rid = context.meta.requestId;
  switch (parsed.data) {
    case 'createBatch':
      return formAction(request, 'createBatch', async () => {
        const batch = await p.createBatch(auth.actor, { claimIds: form.getAll('claimIds').map(String) }, rid);
        throw redirect(`/aid/batches/${batch.id}?done=prepared`);
      });
    case 'import':
      return importConfirmationsAction(request, form, (text) => p.importConfirmations(auth.actor, text, rid));
    case 'reissue':
      return formAction(request, 'reissue', async () => {
        const { paymentId, ...fields } = formObject(form);
        const r = await p.reissuePayment(auth.actor, String(paymentId ?? ''), fields, rid);
        throw redirect(`/aid/batches/${r.batch.id}?done=prepared`);
      });
    case 'cancel':
      return formAction(request, 'cancel', async () => {
        await p.cancelPayment(auth.actor, String(form.get('paymentId') ?? ''), rid);
        throw redirect('/aid/batches?done=cancelled');
      });
  }
}

type Imported = Awaited<
  ReturnType<import('../../server/aid/service').AidService['payments']['importConfirmations']>
>;

export default function Batches() {
  const d = useLoaderData<typeof loader>();
  const raw = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useLocale();
  const result = raw as (ActionResult & { imported?: Imported }) | undefined;
  const imported = result?.imported;
  const importResult = useRef<HTMLElement>(null);
  useEffect(() => {
    if (imported) importResult.current?.focus();
  }, [imported]);
  return (
    <section className="page" aria-labelledby="batches-title">
      <PageHead
        id="batches-title"
        title={t('aid.batches.title')}
        back={{ to: '/aid', label: t('aid.backToQueue') }}
      >
        <a href={d.csvHref} download>
          {t('aid.batches.exportCsv')}
        </a>
      </PageHead>

      {/* The import's result first, where the reader's eyes and focus go (issue 22: it came below 48 rows). */}
      {imported && (
        <section
          aria-labelledby="import-result-title"
          className="card stack"
          role="status"
          tabIndex={-1}
          ref={importResult}
          data-testid="import-result"
        >
          <h2 id="import-result-title">{t('aid.import.result')}</h2>
          <p>
            {t('aid.import.summary', {
              confirmed: imported.confirmed.length,
              failed: imported.failed.length,
              already: imported.alreadyApplied.length,
              unmatched: imported.unmatched.length,
            })}
          </p>
          {imported.unmatched.length > 0 && (
            <>
              <h3 id="unmatched-title">{t('aid.import.unmatched')}</h3>
              <ul aria-labelledby="unmatched-title">
                {imported.unmatched.map((u) => (
                  <li key={`${u.line}-${u.reference}`}>
                    {t('aid.import.line', { line: u.line })} · {u.reference || '—'} ·{' '}
                    {t(`aid.import.reason.${u.reason}`)}
                  </li>
                ))}
              </ul>
            </>
          )}
          {imported.stillPending.length > 0 && (
            <p>
              {t('aid.import.stillPending', {
                count: imported.stillPending.length,
                refs: imported.stillPending.map((p) => p.reference).join('、'),
              })}
            </p>
          )}
        </section>
      )}

      {d.can.prepare && (
        <>
          <h2 id="ready-title">{t('aid.batches.ready')}</h2>
          {d.ready.length === 0 ? (
            <p className="muted">{t('aid.batches.noneReady')}</p>
          ) : (
            <PostForm
              aria-labelledby="ready-title"
              className="stack"
              intent="createBatch"
              result={result}
              submitLabel={t('aid.batches.create')}
            >
              <DataTable
                caption={t('aid.batches.readyCaption')}
                rows={d.ready}
                rowKey={(r) => r.id}
                columns={[
                  {
                    header: t('aid.batches.include'),
                    className: 'checkbox-cell',
                    cell: (r) => (
                      <input
                        type="checkbox"
                        name="claimIds"
                        value={r.id}
                        id={`pick-${r.id}`}
                        defaultChecked
                        aria-label={t('aid.batches.pick', { number: r.number })}
                      />
                    ),
                  },
                  {
                    header: t('aid.claim.number'),
                    cell: (r) => <Link to={`/aid/claims/${r.id}`}>{r.number}</Link>,
                    rowHeader: true,
                  },
                  { header: t('aid.claim.applicant'), cell: (r) => r.applicantName },
                  {
                    header: t('aid.claim.account'),
                    cell: (r) => `${r.payeeName} · ${r.bankName} · ${maskAccount(r.accountNumber)}`,
                  },
                  { header: t('aid.claim.approved'), cell: (r) => money(r.approvedFen) },
                  { header: t('aid.batches.toPay'), cell: (r) => money(r.unscheduledFen) },
                ]}
              />
            </PostForm>
          )}
        </>
      )}

      {d.can.import && (
        <>
          <h2 id="import-title">{t('aid.import.title')}</h2>
          <p className="muted">{t('aid.import.help')}</p>
          <PostForm
            encType="multipart/form-data"
            className="stack narrow"
            aria-labelledby="import-title"
            intent="import"
            result={result}
            submitLabel={t('aid.import.submit')}
            noValidate={false}
          >
            {(r) => (
              <Field
                name="file"
                type="file"
                accept=".csv,text/csv"
                label={t('aid.import.file')}
                required
                errors={r?.fieldErrors?.file}
              />
            )}
          </PostForm>
        </>
      )}
      <h2 id="list-title">{t('aid.batches.list')}</h2>
      <FilterBar role="search" aria-label={t('aid.batches.search')} submitLabel={t('aid.batches.filter')}>
        <Field
          name="q"
          id="batch-q"
          type="search"
          label={t('aid.batches.q')}
          defaultValue={d.q}
          key={`q-${d.q}`}
        />
        <SelectField
          name="status"
          id="batch-status"
          label={t('aid.batches.status')}
          anyLabel={t('aid.queue.all')}
          options={BATCH_STATUSES.map((s) => ({ value: s, label: t(`aidBatchStatus.${s}`) }))}
          defaultValue={d.status ?? ''}
          key={d.status ?? ''}
        />
      </FilterBar>
      <p className="muted">
        {d.batches.rows.length < d.batches.total
          ? t('aid.batches.countPaged', { n: d.batches.rows.length, total: d.batches.total })
          : t('aid.batches.countAll', { count: d.batches.total })}
      </p>
      <DataTable
        labelledBy="list-title"
        rows={d.batches.rows}
        rowKey={(b) => b.id}
        empty={{ message: t('aid.batches.none'), quiet: true }}
        columns={[
          {
            header: t('aid.batches.number'),
            cell: (b) => <Link to={`/aid/batches/${b.id}`}>{b.number}</Link>,
            rowHeader: true,
          },
          {
            header: t('aid.batches.status'),
            cell: (b) => <StatusTag catalog="aidBatchStatus" value={b.status} />,
          },
          { header: t('aid.batches.count'), cell: (b) => b.count },
          { header: t('aid.batches.total'), cell: (b) => money(b.totalFen) },
          { header: t('aid.batches.confirmed'), cell: (b) => money(b.confirmedFen) },
          { header: t('aid.batches.preparedAt'), cell: (b) => formatDateTime(b.preparedAt, locale) },
        ]}
      />
      <KeysetPager nextHref={d.nextHref} firstHref={d.firstHref} label={t('aid.batches.pages')} />

      {d.failed.length > 0 && (
        <>
          <h2 id="failed-title">{t('aid.failed.title')}</h2>
          <FormError
            error={answerFor(result, 'reissue')?.formError ?? answerFor(result, 'cancel')?.formError}
            params={answerFor(result, 'reissue')?.params}
          />
          <ul className="cards" aria-labelledby="failed-title">
            {d.failed.map((p) => (
              <li key={p.id} className="card stack">
                <p>
                  <strong>{p.reference}</strong> ·{' '}
                  <Link to={`/aid/claims/${p.claimId}`}>{p.claimNumber}</Link> · {money(p.amountFen)} ·{' '}
                  {p.failureReason ? t(`aidFailure.${p.failureReason}`) : ''}
                </p>
                {p.can.reissue && (
                  <PostForm
                    className="stack"
                    aria-label={t('aid.failed.reissue', { reference: p.reference })}
                    intent="reissue"
                    hiddenFields={{ paymentId: p.id }}
                    submitLabel={t('aid.failed.reissueSubmit')}
                    submitClassName="button button-small"
                  >
                    <Field
                      name="payeeName"
                      id={`payee-${p.id}`}
                      label={t('aid.claim.payeeName')}
                      defaultValue={p.payeeName}
                    />
                    <Field
                      name="bankName"
                      id={`bank-${p.id}`}
                      label={t('aid.claim.bankName')}
                      defaultValue={p.bankName}
                    />
                    <Field
                      name="accountNumber"
                      id={`account-${p.id}`}
                      label={t('aid.claim.accountNumber')}
                      defaultValue={p.accountNumber}
                      inputMode="numeric"
                    />
                  </PostForm>
                )}
                {p.can.cancel && (
                  <PostForm
                    aria-label={t('aid.failed.cancel', { reference: p.reference })}
                    intent="cancel"
                    hiddenFields={{ paymentId: p.id }}
                    submitLabel={t('aid.failed.cancelSubmit')}
                    submitClassName="button button-small button-secondary"
                  />
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
