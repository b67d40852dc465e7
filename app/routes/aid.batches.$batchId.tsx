import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { maskAccount } from '../../server/aid/rules';
import { money } from '../components/aid/ui';
import { useLocale } from '../components/court/display';
import { formAction, formRefusal, idParam } from '../components/court/route.server';
import { FormError } from '../components/forms';
import { ActionBar } from '../components/staff/action-bar';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { PageHead } from '../components/staff/page-head';
import { PostForm } from '../components/staff/post-form';
import { StatusTag } from '../components/staff/status-tag';
import { aidLinks } from '../components/staff/stylesheets';
import { formatDateTime } from '../utils/format';
import { load, readForm, requireAuth } from '../utils/route.server';

export const links = aidLinks;
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
  const b = d.batch;
  const doneMessage = useDoneMessage('aid.batches.done', ['prepared', 'approved']);
  // A refused export comes back here (the download route redirects with the message key).
  const refused = search.get('refused');
  const refusal = refused?.startsWith('aidErrors.') ? refused : undefined;
  return (
    <section className="page" aria-labelledby="batch-title">
      <PageHead
        id="batch-title"
        title={t('aid.batches.batch', { number: b.number })}
        back={{ to: '/aid/batches', label: t('aid.batches.back') }}
      >
        <StatusTag catalog="aidBatchStatus" value={b.status} />
      </PageHead>
      <DoneNotice message={doneMessage} />
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
      <ActionBar
        can={d.can}
        actions={[
          {
            intent: 'approve',
            label: t('aid.batches.approve'),
            submitLabel: t('aid.batches.approveSubmit'),
            help: t('aid.batches.approveHelp'),
          },
        ]}
      >
        {d.can.export && (
          <PostForm
            action={`/aid/batches/${b.id}/export`}
            reloadDocument
            className="card stack"
            aria-label={t('aid.batches.export')}
            heading={<h3>{t('aid.batches.export')}</h3>}
            submitLabel={t('aid.batches.exportSubmit')}
          >
            <p className="field-help">
              {b.status === 'approved' ? t('aid.batches.exportHelp') : t('aid.batches.exportAgainHelp')}
            </p>
          </PostForm>
        )}
      </ActionBar>
      <h2 id="batch-payments-title">{t('aid.payments.title')}</h2>
      <DataTable
        labelledBy="batch-payments-title"
        rows={d.payments}
        rowKey={(p) => p.id}
        columns={[
          { header: t('aid.payments.reference'), cell: (p) => p.reference, rowHeader: true },
          {
            header: t('aid.claim.number'),
            cell: (p) => <Link to={`/aid/claims/${p.claimId}`}>{p.claimNumber}</Link>,
          },
          {
            header: t('aid.payments.payee'),
            cell: (p) => `${p.payeeName} · ${p.bankName} · ${maskAccount(p.accountNumber)}`,
          },
          { header: t('aid.payments.amount'), cell: (p) => money(p.amountFen) },
          {
            header: t('aid.payments.status'),
            cell: (p) => (
              <>
                <StatusTag catalog="aidPaymentStatus" value={p.status} />
                {p.failureReason && ` ${t(`aidFailure.${p.failureReason}`)}`}
              </>
            ),
          },
        ]}
      />
    </section>
  );
}
