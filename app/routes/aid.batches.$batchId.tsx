import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { maskAccount } from '../../server/aid/rules';
import aidCss from '../components/aid/aid.css?url';
import { AidTag, money } from '../components/aid/ui';
import courtCss from '../components/court/court.css?url';
import { useLocale } from '../components/court/display';
import { DoneNotice } from '../components/court/fields';
import { formAction, formRefusal, idParam } from '../components/court/route.server';
import { CsrfInput, FormError } from '../components/forms';
import { formatDateTime } from '../utils/format';
import { load, readForm, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: courtCss },
  { rel: 'stylesheet', href: aidCss },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.batch.number ?? '付款批次'} · 最后一公里` },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const id = idParam(params, 'batchId');
  return load(request, () => context.services.aid.payments.getBatch(auth.actor, id));
}

const Intent = z.enum(['approve']);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const id = idParam(params, 'batchId');
  const form = await readForm(request, context);
  const parsed = Intent.safeParse(form.get('intent'));
  if (!parsed.success)
    return formRefusal(String(form.get('intent')), 400, { formError: 'errors.validation' });
  const p = context.services.aid.payments;
  if (parsed.data === 'approve')
    return formAction(request, 'approve', async () => {
      await p.approveBatch(auth.actor, id, context.meta.requestId);
      throw redirect(`/aid/batches/${id}?done=approved`);
    });
  return formRefusal('export', 400, { formError: 'errors.validation' });
}

export default function BatchPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const busy = useNavigation().state === 'submitting';
  const b = d.batch;
  const done = search.get('done');
  // A refused export comes back here (the download route redirects with the message key).
  const refused = search.get('refused');
  const refusal = refused?.startsWith('aidErrors.') ? refused : undefined;
  return (
    <section className="page" aria-labelledby="batch-title">
      <p>
        <Link to="/aid/batches">{t('aid.batches.back')}</Link>
      </p>
      <div className="page-head">
        <h1 id="batch-title">{t('aid.batches.batch', { number: b.number })}</h1>
        <p>
          <AidTag kind="aidBatchStatus" value={b.status} />
        </p>
      </div>
      <DoneNotice
        message={done === 'prepared' || done === 'approved' ? t(`aid.batches.done.${done}`) : null}
      />
      <FormError error={(result && 'formError' in result ? result.formError : undefined) ?? refusal} />
      <dl className="facts">
        <dt>{t('aid.batches.total')}</dt>
        <dd data-testid="batch-total">{money(d.totalFen)}</dd>
        <dt>{t('aid.batches.confirmed')}</dt>
        <dd>{money(d.confirmedFen)}</dd>
        <dt>{t('aid.batches.preparedAt')}</dt>
        <dd>{formatDateTime(b.preparedAt, locale)}</dd>
        <dt>{t('aid.batches.approvedAt')}</dt>
        <dd>{b.approvedAt ? formatDateTime(b.approvedAt, locale) : t('aid.batches.notApproved')}</dd>
        <dt>{t('aid.batches.sentAt')}</dt>
        <dd>{b.sentAt ? formatDateTime(b.sentAt, locale) : '—'}</dd>
      </dl>
      {d.awaitingChecker && <p className="notice">{t('aid.batches.makerChecker')}</p>}
      <div className="actions">
        {d.can.approve && (
          <Form method="post" className="card stack" aria-label={t('aid.batches.approve')}>
            <h3>{t('aid.batches.approve')}</h3>
            <p className="muted">{t('aid.batches.approveHelp')}</p>
            <CsrfInput />
            <input type="hidden" name="intent" value="approve" />
            <button type="submit" className="button" disabled={busy}>
              {t('aid.batches.approveSubmit')}
            </button>
          </Form>
        )}
        {d.can.export && (
          <Form
            method="post"
            action={`/aid/batches/${b.id}/export`}
            reloadDocument
            className="card stack"
            aria-label={t('aid.batches.export')}
          >
            <h3>{t('aid.batches.export')}</h3>
            <p className="muted">
              {b.status === 'approved' ? t('aid.batches.exportHelp') : t('aid.batches.exportAgainHelp')}
            </p>
            <CsrfInput />
            <button type="submit" className="button">
              {t('aid.batches.exportSubmit')}
            </button>
          </Form>
        )}
      </div>
      <h2 id="batch-payments-title">{t('aid.payments.title')}</h2>
      <div className="table-wrap">
        <table aria-labelledby="batch-payments-title">
          <thead>
            <tr>
              <th scope="col">{t('aid.payments.reference')}</th>
              <th scope="col">{t('aid.claim.number')}</th>
              <th scope="col">{t('aid.payments.payee')}</th>
              <th scope="col">{t('aid.payments.amount')}</th>
              <th scope="col">{t('aid.payments.status')}</th>
            </tr>
          </thead>
          <tbody>
            {d.payments.map((p) => (
              <tr key={p.id}>
                <th scope="row">{p.reference}</th>
                <td>
                  <Link to={`/aid/claims/${p.claimId}`}>{p.claimNumber}</Link>
                </td>
                <td>
                  {p.payeeName} · {p.bankName} · {maskAccount(p.accountNumber)}
                </td>
                <td>{money(p.amountFen)}</td>
                <td>
                  <AidTag kind="aidPaymentStatus" value={p.status} />
                  {p.failureReason && ` ${t(`aidFailure.${p.failureReason}`)}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
