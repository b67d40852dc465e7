import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { maskAccount } from '../../server/aid/rules';
import aidCss from '../components/aid/aid.css?url';
import { AidTag, money } from '../components/aid/ui';
import courtCss from '../components/court/court.css?url';
import { useLocale } from '../components/court/display';
import { bodyRefusal, formAction, formRefusal } from '../components/court/route.server';
import { CsrfInput, Field, FormError } from '../components/forms';
import { formatDateTime } from '../utils/format';
import { act, formObject, load, readForm, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: courtCss },
  { rel: 'stylesheet', href: aidCss },
];
export const meta: MetaFunction = () => [{ title: '付款批次 · 最后一公里' }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, () => context.services.aid.payments.overview(auth.actor));
}

const Intent = z.enum(['createBatch', 'import', 'reissue', 'cancel']);

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const multipart = request.headers.get('content-type')?.startsWith('multipart/form-data') ?? false;
  if (multipart) {
    const refusal = bodyRefusal(request);
    if (refusal)
      return formRefusal('import', refusal === 'tooLarge' ? 413 : 411, { formError: `assets.${refusal}` });
  }
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
    case 'import': {
      const file = form.get('file');
      if (!(file instanceof File) || file.size === 0)
        return formRefusal('import', 400, {
          formError: 'errors.validation',
          fieldErrors: { file: ['validation.required'] },
        });
      const text = await file.text();
      const result = await act(request, async () => ({
        intent: 'import' as const,
        imported: await p.importConfirmations(auth.actor, text, rid),
      }));
      return result;
    }
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
  const busy = useNavigation().state === 'submitting';
  const result = raw as
    | {
        intent?: string;
        formError?: string;
        fieldErrors?: Record<string, string[]>;
        params?: Record<string, string | number>;
        imported?: Imported;
      }
    | undefined;
  const imported = result?.imported;
  const errorOf = (intent: string) => (result?.intent === intent ? result : undefined);
  return (
    <section className="page" aria-labelledby="batches-title">
      <p>
        <Link to="/aid">{t('aid.backToQueue')}</Link>
      </p>
      <h1 id="batches-title">{t('aid.batches.title')}</h1>

      {d.can.prepare && (
        <>
          <h2 id="ready-title">{t('aid.batches.ready')}</h2>
          {d.ready.length === 0 ? (
            <p className="muted">{t('aid.batches.noneReady')}</p>
          ) : (
            <Form method="post" aria-labelledby="ready-title" className="stack">
              <CsrfInput />
              <input type="hidden" name="intent" value="createBatch" />
              <FormError error={errorOf('createBatch')?.formError} params={errorOf('createBatch')?.params} />
              <div className="table-wrap">
                <table>
                  <caption className="visually-hidden">{t('aid.batches.readyCaption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('aid.batches.include')}</th>
                      <th scope="col">{t('aid.claim.number')}</th>
                      <th scope="col">{t('aid.claim.applicant')}</th>
                      <th scope="col">{t('aid.claim.account')}</th>
                      <th scope="col">{t('aid.claim.approved')}</th>
                      <th scope="col">{t('aid.batches.toPay')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.ready.map((r) => (
                      <tr key={r.id}>
                        <td className="checkbox-cell">
                          <input
                            type="checkbox"
                            name="claimIds"
                            value={r.id}
                            id={`pick-${r.id}`}
                            defaultChecked
                            aria-label={t('aid.batches.pick', { number: r.number })}
                          />
                        </td>
                        <th scope="row">
                          <Link to={`/aid/claims/${r.id}`}>{r.number}</Link>
                        </th>
                        <td>{r.applicantName}</td>
                        <td>
                          {r.payeeName} · {r.bankName} · {maskAccount(r.accountNumber)}
                        </td>
                        <td>{money(r.approvedFen)}</td>
                        <td>{money(r.unscheduledFen)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p>
                <button type="submit" className="button" disabled={busy}>
                  {t('aid.batches.create')}
                </button>
              </p>
            </Form>
          )}
        </>
      )}

      <h2 id="list-title">{t('aid.batches.list')}</h2>
      {d.batches.length === 0 ? (
        <p className="muted">{t('aid.batches.none')}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="list-title">
            <thead>
              <tr>
                <th scope="col">{t('aid.batches.number')}</th>
                <th scope="col">{t('aid.batches.status')}</th>
                <th scope="col">{t('aid.batches.count')}</th>
                <th scope="col">{t('aid.batches.total')}</th>
                <th scope="col">{t('aid.batches.confirmed')}</th>
                <th scope="col">{t('aid.batches.preparedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {d.batches.map((b) => (
                <tr key={b.id}>
                  <th scope="row">
                    <Link to={`/aid/batches/${b.id}`}>{b.number}</Link>
                  </th>
                  <td>
                    <AidTag kind="aidBatchStatus" value={b.status} />
                  </td>
                  <td>{b.count}</td>
                  <td>{money(b.totalFen)}</td>
                  <td>{money(b.confirmedFen)}</td>
                  <td>{formatDateTime(b.preparedAt, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {d.can.import && (
        <>
          <h2 id="import-title">{t('aid.import.title')}</h2>
          <p className="muted">{t('aid.import.help')}</p>
          <Form
            method="post"
            encType="multipart/form-data"
            className="stack narrow"
            aria-labelledby="import-title"
          >
            <CsrfInput />
            <input type="hidden" name="intent" value="import" />
            <FormError error={errorOf('import')?.formError} params={errorOf('import')?.params} />
            <Field
              name="file"
              type="file"
              accept=".csv,text/csv"
              label={t('aid.import.file')}
              required
              errors={errorOf('import')?.fieldErrors?.file}
            />
            <button type="submit" className="button" disabled={busy}>
              {t('aid.import.submit')}
            </button>
          </Form>
        </>
      )}
      {imported && (
        <section aria-labelledby="import-result-title" className="card stack" role="status">
          <h3 id="import-result-title">{t('aid.import.result')}</h3>
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
              <h4 id="unmatched-title">{t('aid.import.unmatched')}</h4>
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

      {d.failed.length > 0 && (
        <>
          <h2 id="failed-title">{t('aid.failed.title')}</h2>
          <FormError
            error={errorOf('reissue')?.formError ?? errorOf('cancel')?.formError}
            params={errorOf('reissue')?.params}
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
                  <Form
                    method="post"
                    className="stack"
                    aria-label={t('aid.failed.reissue', { reference: p.reference })}
                  >
                    <CsrfInput />
                    <input type="hidden" name="intent" value="reissue" />
                    <input type="hidden" name="paymentId" value={p.id} />
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
                    <button type="submit" className="button button-small" disabled={busy}>
                      {t('aid.failed.reissueSubmit')}
                    </button>
                  </Form>
                )}
                {p.can.cancel && (
                  <Form method="post" aria-label={t('aid.failed.cancel', { reference: p.reference })}>
                    <CsrfInput />
                    <input type="hidden" name="intent" value="cancel" />
                    <input type="hidden" name="paymentId" value={p.id} />
                    <button type="submit" className="button button-small button-secondary" disabled={busy}>
                      {t('aid.failed.cancelSubmit')}
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
