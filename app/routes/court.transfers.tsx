import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { isDomainError } from '../../server/errors';
import { useLocale } from '../components/court/display';
import { formAction, formRefusal, formValue } from '../components/court/route.server';
import { Field, FormError, TextAreaField } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { PageHead } from '../components/staff/page-head';
import { answerFor, PostForm } from '../components/staff/post-form';
import { StatusTag } from '../components/staff/status-tag';
import { courtLinks } from '../components/staff/stylesheets';
import { beijingWallClock, formatDate, formatDateTime, formatMoney } from '../utils/format';
import { load, readForm, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'courtMoney.transfers.title');

const Intent = z.enum(['record', 'confirm', 'reject']);
const DONE = ['recorded', 'confirmed', 'rejected'] as const;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => {
    const desk = await context.services.payments.transferDesk(auth.actor);
    return {
      recorded: desk.recorded.map(({ transfer: t, ...r }) => ({
        id: t.id,
        reference: r.reference,
        purpose: r.purpose,
        amountFen: t.amountFen,
        bankReference: t.bankReference,
        receivedOn: t.receivedOn,
        recorder: r.recorder,
        recordedAt: t.recordedAt,
        byMe: r.recordedByMe,
        // What this viewer may do with it (maker-checker), decided by the service.
        can: r.can,
      })),
      awaiting: desk.awaiting.map(({ payment: p, payer }) => ({
        id: p.id,
        reference: p.reference,
        purpose: p.purpose,
        amountFen: p.amountFen,
        payer,
        createdAt: p.createdAt,
      })),
      recent: desk.recent.map(({ transfer: t, reference }) => ({
        id: t.id,
        reference,
        status: t.status,
        amountFen: t.amountFen,
        bankReference: t.bankReference,
        receivedOn: t.receivedOn,
        decidedAt: t.decidedAt,
        rejectReason: t.rejectReason,
      })),
      can: desk.can,
      // Today in Beijing: the default, and the latest date a transfer can have arrived.
      today: beijingWallClock(new Date()).toISOString().slice(0, 10),
    };
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  const parsed = Intent.safeParse(form.get('intent'));
  if (!parsed.success)
    return formRefusal(String(form.get('intent')), 400, { formError: 'errors.validation' });
  const payments = context.services.payments;

  if (parsed.data === 'record') {
    const input = {
      reference: formValue(form, 'reference'),
      amount: formValue(form, 'amount'),
      bankReference: formValue(form, 'bankReference'),
      receivedOn: formValue(form, 'receivedOn'),
    };
    return formAction(request, 'record', async () => {
      const recorded = await payments.recordTransfer(auth.actor, input);
      throw redirect(`/court/transfers?done=recorded&recorded=${recorded.id}`);
    });
  }

  const decision = parsed.data;
  const transferId = String(form.get('transferId') ?? '');
  // Answers name the transfer, so the page shows them beside the right one.
  const intent = `${decision}:${transferId}`;
  try {
    await payments.decideTransfer(auth.actor, transferId, { decision, reason: formValue(form, 'reason') });
  } catch (error) {
    // Maker-checker: the desk explains this refusal beside the transfer instead of the 403 page.
    if (isDomainError(error) && error.messageKey === 'payments.makerChecker')
      return formRefusal(intent, 403, { formError: error.messageKey });
    return formAction(request, intent, () => Promise.reject(error));
  }
  throw redirect(`/court/transfers?done=${decision === 'confirm' ? 'confirmed' : 'rejected'}`);
}

export default function TransferDesk() {
  const { recorded, awaiting, recent, can, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const recordForm = useRef<HTMLFormElement>(null);
  const recordedId = search.get('recorded');
  // After a transfer is recorded the form starts empty; a refused one keeps what was typed.
  useEffect(() => {
    if (recordedId) recordForm.current?.reset();
  }, [recordedId]);
  const { t } = useTranslation();
  const locale = useLocale();
  const doneMessage = useDoneMessage('courtMoney.transfers.done', DONE);
  const errors = answerFor(result, 'record')?.fieldErrors;
  return (
    <section className="page" aria-labelledby="transfers-title">
      <PageHead id="transfers-title" title={t('courtMoney.transfers.title')} />
      <p className="muted">{t('courtMoney.transfers.intro')}</p>
      <DoneNotice message={doneMessage} />

      {can.record && (
        <PostForm
          ref={recordForm}
          className="stack narrow"
          sectionTitle={{ id: 'record-title', text: t('courtMoney.transfers.recordTitle') }}
          intent="record"
          result={result}
          submitLabel={t('courtMoney.transfers.recordSubmit')}
        >
          <Field
            name="reference"
            label={t('courtMoney.transfers.reference')}
            help={t('courtMoney.transfers.referenceHelp')}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            required
            errors={errors?.reference}
          />
          <Field
            name="amount"
            label={t('courtMoney.transfers.amountYuan')}
            help={t('courtMoney.transfers.amountHelp')}
            inputMode="decimal"
            autoComplete="off"
            required
            errors={errors?.amount}
          />
          <Field
            name="bankReference"
            label={t('courtMoney.transfers.bankReference')}
            help={t('courtMoney.transfers.bankReferenceHelp')}
            autoComplete="off"
            spellCheck={false}
            required
            errors={errors?.bankReference}
          />
          <Field
            name="receivedOn"
            type="date"
            label={t('courtMoney.transfers.receivedOn')}
            defaultValue={today}
            max={today}
            required
            errors={errors?.receivedOn}
          />
        </PostForm>
      )}

      <h2 id="recorded-title">{t('courtMoney.transfers.recordedTitle')}</h2>
      {recorded.length === 0 ? (
        <p className="muted">{t('courtMoney.transfers.noneRecorded')}</p>
      ) : (
        // The list of cards keeps its semantics, without the list indent (app.css leaves ul.cards indented).
        <ul className="cards" aria-labelledby="recorded-title" style={{ listStyle: 'none', paddingLeft: 0 }}>
          {recorded.map((r) => {
            const confirm = answerFor(result, `confirm:${r.id}`);
            const reject = answerFor(result, `reject:${r.id}`);
            return (
              <li key={r.id} className="card stack" aria-labelledby={`transfer-${r.id}`}>
                <h3 id={`transfer-${r.id}`}>
                  {t('courtMoney.transfers.transferOf', { reference: r.reference ?? '—' })}
                </h3>
                <dl className="facts">
                  <dt>{t('courtMoney.transfers.amount')}</dt>
                  <dd>{formatMoney(r.amountFen)}</dd>
                  <dt>{t('courtMoney.transfers.purpose')}</dt>
                  <dd>{t(`courtMoney.purpose.${r.purpose}`)}</dd>
                  <dt>{t('courtMoney.transfers.bankReference')}</dt>
                  <dd>{r.bankReference}</dd>
                  <dt>{t('courtMoney.transfers.receivedOn')}</dt>
                  <dd>{formatDate(`${r.receivedOn}T00:00:00+08:00`, locale)}</dd>
                  <dt>{t('courtMoney.transfers.recordedBy')}</dt>
                  <dd>
                    {t('courtMoney.transfers.recordedByAt', {
                      name: r.recorder,
                      at: formatDateTime(r.recordedAt, locale),
                    })}
                  </dd>
                </dl>
                <FormError error={confirm?.formError ?? reject?.formError} params={confirm?.params} />
                {r.byMe && <p className="notice">{t('courtMoney.transfers.recordedByYou')}</p>}
                {(r.can.confirm || r.can.reject) && (
                  <div className="actions">
                    {r.can.confirm && (
                      <PostForm
                        intent="confirm"
                        hiddenFields={{ transferId: r.id }}
                        aria-label={t('courtMoney.transfers.confirmLabel', { reference: r.reference })}
                        submitLabel={t('courtMoney.transfers.confirm')}
                      />
                    )}
                    {r.can.reject && (
                      <PostForm
                        intent="reject"
                        hiddenFields={{ transferId: r.id }}
                        className="stack"
                        aria-label={t('courtMoney.transfers.rejectLabel', { reference: r.reference })}
                        submitLabel={t('courtMoney.transfers.reject')}
                        submitClassName="button button-secondary"
                      >
                        <TextAreaField
                          name="reason"
                          id={`reason-${r.id}`}
                          label={t('courtMoney.transfers.rejectReason')}
                          rows={2}
                          required
                          errors={reject?.fieldErrors?.reason}
                        />
                      </PostForm>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}

      <h2 id="awaiting-title">{t('courtMoney.transfers.awaitingTitle')}</h2>
      <DataTable
        labelledBy="awaiting-title"
        rows={awaiting}
        rowKey={(a) => a.id}
        empty={{ message: t('courtMoney.transfers.noneAwaiting'), quiet: true }}
        columns={[
          { header: t('courtMoney.transfers.reference'), cell: (a) => a.reference, rowHeader: true },
          { header: t('courtMoney.transfers.payer'), cell: (a) => a.payer },
          { header: t('courtMoney.transfers.purpose'), cell: (a) => t(`courtMoney.purpose.${a.purpose}`) },
          { header: t('courtMoney.transfers.amount'), cell: (a) => formatMoney(a.amountFen) },
          { header: t('courtMoney.transfers.createdAt'), cell: (a) => formatDateTime(a.createdAt, locale) },
        ]}
      />

      <h2 id="recent-title">{t('courtMoney.transfers.recentTitle')}</h2>
      <DataTable
        labelledBy="recent-title"
        rows={recent}
        rowKey={(r) => r.id}
        empty={{ message: t('courtMoney.transfers.noneRecent'), quiet: true }}
        columns={[
          { header: t('courtMoney.transfers.reference'), cell: (r) => r.reference, rowHeader: true },
          {
            header: t('courtMoney.transfers.status'),
            cell: (r) => <StatusTag catalog="courtMoney.transferStatus" value={r.status} />,
          },
          { header: t('courtMoney.transfers.amount'), cell: (r) => formatMoney(r.amountFen) },
          { header: t('courtMoney.transfers.bankReference'), cell: (r) => r.bankReference },
          {
            header: t('courtMoney.transfers.receivedOn'),
            cell: (r) => formatDate(`${r.receivedOn}T00:00:00+08:00`, locale),
          },
          {
            header: t('courtMoney.transfers.decidedAt'),
            cell: (r) => (r.decidedAt ? formatDateTime(r.decidedAt, locale) : '—'),
          },
          {
            header: t('courtMoney.transfers.rejectReason'),
            cell: (r) => r.rejectReason ?? '—',
            className: 'wrap',
          },
        ]}
      />
    </section>
  );
}
