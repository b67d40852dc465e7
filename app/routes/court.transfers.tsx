import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { isDomainError } from '../../server/errors';
import courtCss from '../components/court/court.css?url';
import { useLocale } from '../components/court/display';
import { DoneNotice } from '../components/court/fields';
import { formAction, formRefusal, formValue } from '../components/court/route.server';
import { CsrfInput, Field, FormError, TextAreaField } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import { beijingWallClock, formatDate, formatDateTime, formatMoney } from '../utils/format';
import { load, readForm, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: courtCss }];
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
  const busy = useNavigation().state === 'submitting';
  const done = DONE.find((d) => d === search.get('done'));
  const recordResult = result?.intent === 'record' ? result : undefined;
  const errors = recordResult?.fieldErrors;
  const resultFor = (intent: string) => (result?.intent === intent ? result : undefined);
  return (
    <section className="page" aria-labelledby="transfers-title">
      <h1 id="transfers-title">{t('courtMoney.transfers.title')}</h1>
      <p className="muted">{t('courtMoney.transfers.intro')}</p>
      <DoneNotice message={done ? t(`courtMoney.transfers.done.${done}`) : null} />

      {can.record && (
        <>
          <h2 id="record-title">{t('courtMoney.transfers.recordTitle')}</h2>
          <Form
            ref={recordForm}
            method="post"
            className="stack narrow"
            aria-labelledby="record-title"
            noValidate
          >
            <CsrfInput />
            <input type="hidden" name="intent" value="record" />
            <FormError error={recordResult?.formError} params={recordResult?.params} />
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
            <button type="submit" className="button" disabled={busy}>
              {t('courtMoney.transfers.recordSubmit')}
            </button>
          </Form>
        </>
      )}

      <h2 id="recorded-title">{t('courtMoney.transfers.recordedTitle')}</h2>
      {recorded.length === 0 ? (
        <p className="muted">{t('courtMoney.transfers.noneRecorded')}</p>
      ) : (
        // The list of cards keeps its semantics, without the list indent (app.css leaves ul.cards indented).
        <ul className="cards" aria-labelledby="recorded-title" style={{ listStyle: 'none', paddingLeft: 0 }}>
          {recorded.map((r) => {
            const confirm = resultFor(`confirm:${r.id}`);
            const reject = resultFor(`reject:${r.id}`);
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
                      <Form
                        method="post"
                        aria-label={t('courtMoney.transfers.confirmLabel', { reference: r.reference })}
                      >
                        <CsrfInput />
                        <input type="hidden" name="intent" value="confirm" />
                        <input type="hidden" name="transferId" value={r.id} />
                        <button type="submit" className="button" disabled={busy}>
                          {t('courtMoney.transfers.confirm')}
                        </button>
                      </Form>
                    )}
                    {r.can.reject && (
                      <Form
                        method="post"
                        className="stack"
                        aria-label={t('courtMoney.transfers.rejectLabel', { reference: r.reference })}
                        noValidate
                      >
                        <CsrfInput />
                        <input type="hidden" name="intent" value="reject" />
                        <input type="hidden" name="transferId" value={r.id} />
                        <TextAreaField
                          name="reason"
                          id={`reason-${r.id}`}
                          label={t('courtMoney.transfers.rejectReason')}
                          rows={2}
                          required
                          errors={reject?.fieldErrors?.reason}
                        />
                        <button type="submit" className="button button-secondary" disabled={busy}>
                          {t('courtMoney.transfers.reject')}
                        </button>
                      </Form>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}

      <h2 id="awaiting-title">{t('courtMoney.transfers.awaitingTitle')}</h2>
      {awaiting.length === 0 ? (
        <p className="muted">{t('courtMoney.transfers.noneAwaiting')}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="awaiting-title">
            <thead>
              <tr>
                <th scope="col">{t('courtMoney.transfers.reference')}</th>
                <th scope="col">{t('courtMoney.transfers.payer')}</th>
                <th scope="col">{t('courtMoney.transfers.purpose')}</th>
                <th scope="col">{t('courtMoney.transfers.amount')}</th>
                <th scope="col">{t('courtMoney.transfers.createdAt')}</th>
              </tr>
            </thead>
            <tbody>
              {awaiting.map((a) => (
                <tr key={a.id}>
                  <th scope="row">{a.reference}</th>
                  <td>{a.payer}</td>
                  <td>{t(`courtMoney.purpose.${a.purpose}`)}</td>
                  <td>{formatMoney(a.amountFen)}</td>
                  <td>{formatDateTime(a.createdAt, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="recent-title">{t('courtMoney.transfers.recentTitle')}</h2>
      {recent.length === 0 ? (
        <p className="muted">{t('courtMoney.transfers.noneRecent')}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="recent-title">
            <thead>
              <tr>
                <th scope="col">{t('courtMoney.transfers.reference')}</th>
                <th scope="col">{t('courtMoney.transfers.status')}</th>
                <th scope="col">{t('courtMoney.transfers.amount')}</th>
                <th scope="col">{t('courtMoney.transfers.bankReference')}</th>
                <th scope="col">{t('courtMoney.transfers.receivedOn')}</th>
                <th scope="col">{t('courtMoney.transfers.decidedAt')}</th>
                <th scope="col">{t('courtMoney.transfers.rejectReason')}</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.reference}</th>
                  <td>
                    <span className="tag status">{t(`courtMoney.transferStatus.${r.status}`)}</span>
                  </td>
                  <td>{formatMoney(r.amountFen)}</td>
                  <td>{r.bankReference}</td>
                  <td>{formatDate(`${r.receivedOn}T00:00:00+08:00`, locale)}</td>
                  <td>{r.decidedAt ? formatDateTime(r.decidedAt, locale) : '—'}</td>
                  <td className="wrap">{r.rejectReason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
