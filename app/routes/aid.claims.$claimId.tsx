import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import {
  AID_DOCUMENT_KINDS,
  AWAITING_DECISION,
  awardCeiling,
  maskAccount,
  needsCommittee,
} from '../../server/aid/rules';
import { Deadline, money, useServerNow, yuanInput } from '../components/aid/ui';
import { useLocale } from '../components/court/display';
import { formAction, formRefusal, idParam } from '../components/court/route.server';
import { Field, FormError, SelectField, TextAreaField } from '../components/forms';
import { ActionBar } from '../components/staff/action-bar';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { PageHead } from '../components/staff/page-head';
import { type ActionResult, answerFor, PostForm } from '../components/staff/post-form';
import { StatusTag } from '../components/staff/status-tag';
import { aidLinks } from '../components/staff/stylesheets';
import { formatDateTime } from '../utils/format';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

export const links = aidLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.claim.number ?? '救助申请'} · 最后一公里` },
];

const Intent = z.enum([
  'submit',
  'withdraw',
  'returnForDocuments',
  'startCourtReview',
  'referToCommittee',
  'courtApprove',
  'courtReject',
  'insurerStartReview',
  'insurerApprove',
  'insurerDecline',
  'close',
  'recordRecovery',
  'confirmRecovery',
  'upload',
]);
type Intent = z.infer<typeof Intent>;
const ACCEPT = 'application/pdf,image/jpeg,image/png,image/webp,.pdf,.jpg,.jpeg,.png,.webp';

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const id = idParam(params, 'claimId');
  return load(request, async () => ({
    ...(await context.services.aid.claims.getClaim(auth.actor, id)),
    me: auth.user.id,
  }));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const id = idParam(params, 'claimId');
  const form = await readForm(request, context);
  const parsed = Intent.safeParse(form.get('intent'));
  if (!parsed.success)
    return formRefusal(String(form.get('intent')), 400, { formError: 'errors.validation' });
  const intent = parsed.data;
  const { intent: _, recoveryId, ...fields } = formObject(form);
  const claims = context.services.aid.claims;
  const a = auth.actor;
  const rid = context.meta.requestId;
  const run: Record<Intent, () => Promise<unknown>> = {
    submit: () => claims.submit(a, id, rid),
    withdraw: () => claims.withdraw(a, id, fields, rid),
    returnForDocuments: () => claims.returnForDocuments(a, id, fields, rid),
    startCourtReview: () => claims.startCourtReview(a, id, rid),
    referToCommittee: () => claims.referToCommittee(a, id, fields, rid),
    courtApprove: () => claims.courtApprove(a, id, fields, rid),
    courtReject: () => claims.courtReject(a, id, fields, rid),
    insurerStartReview: () => claims.insurerStartReview(a, id, rid),
    insurerApprove: () => claims.insurerApprove(a, id, fields, rid),
    insurerDecline: () => claims.insurerDecline(a, id, fields, rid),
    close: () => claims.close(a, id, fields, rid),
    recordRecovery: () => claims.recordRecovery(a, id, fields, rid),
    confirmRecovery: () => claims.confirmRecovery(a, String(recoveryId ?? ''), rid),
    upload: async () => {
      const file = form.get('file') as File;
      return claims.attachDocument(
        a,
        id,
        { kind: form.get('kind'), filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
        rid,
      );
    },
  };
  if (intent === 'upload' && !(form.get('file') instanceof File && (form.get('file') as File).size > 0))
    return formRefusal('upload', 400, {
      formError: 'errors.validation',
      fieldErrors: { file: ['validation.required'] },
    });
  return formAction(request, intent, async () => {
    await run[intent]();
    throw redirect(`/aid/claims/${id}?done=${intent}`);
  });
}

export default function ClaimPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = useLocale();
  const now = useServerNow(d.serverTime);
  const c = d.claim;
  const doneMessage = useDoneMessage('aid.done', ['created', ...Intent.options]);
  const orgName = (o: { nameZh: string; nameEn: string }) => (i18n.language === 'en' ? o.nameEn : o.nameZh);
  const who = (userId: string | null) =>
    userId === null
      ? t('aid.timeline.system')
      : userId === d.me
        ? t('aid.timeline.you')
        : (d.staffNames[userId] ?? t('aid.timeline.staff'));
  const ceiling = awardCeiling(c.requestedFen, c.computedFen);
  const awaiting = AWAITING_DECISION.includes(c.status);
  return (
    <section className="page" aria-labelledby="claim-title">
      <PageHead
        id="claim-title"
        title={t('aid.claim.title', { number: c.number })}
        back={{ to: '/aid', label: t('aid.backToQueue') }}
      >
        <StatusTag catalog="aidStatus" value={c.status} />
      </PageHead>
      <DoneNotice message={doneMessage} />
      {d.overdue && (
        <p className="form-error" role="alert">
          {t('aid.claim.overdueAlert')}
        </p>
      )}

      <dl className="aid-amounts" aria-label={t('aid.claim.amounts')}>
        <div>
          <dt>{t('aid.claim.requested')}</dt>
          <dd data-testid="requested">{money(c.requestedFen)}</dd>
        </div>
        <div>
          <dt>{t('aid.claim.computed')}</dt>
          <dd data-testid="computed">{money(c.computedFen)}</dd>
        </div>
        <div>
          <dt>{t('aid.claim.courtApproved')}</dt>
          <dd>{money(c.courtApprovedFen)}</dd>
        </div>
        <div>
          <dt>{t('aid.claim.approved')}</dt>
          <dd data-testid="approved">{money(c.approvedFen)}</dd>
        </div>
        <div>
          <dt>{t('aid.claim.paid')}</dt>
          <dd data-testid="paid">{money(d.money.paidFen)}</dd>
        </div>
        <div>
          <dt>{t('aid.claim.remaining')}</dt>
          <dd data-testid="remaining">{money(d.money.remainingFen)}</dd>
        </div>
      </dl>

      <dl className="facts" aria-label={t('aid.claim.facts')}>
        <dt>{t('aid.claim.deadline')}</dt>
        <dd>
          <Deadline due={c.decisionDueAt} now={now} active={awaiting} />
        </dd>
        <dt>{t('aid.claim.applicant')}</dt>
        <dd>
          {c.applicantName}
          {c.applicantIdMasked ? ` · ${c.applicantIdMasked}` : ''}
        </dd>
        <dt>{t('aid.claim.caseNumber')}</dt>
        <dd>
          {d.caseNumber}
          {d.zhongben && (
            <span className="muted"> {t('aid.claim.zhongbenOn', { date: d.zhongben.closedOn })}</span>
          )}
        </dd>
        <dt>{t('aid.claim.caseType')}</dt>
        <dd>{t(`aidCaseType.${c.caseType}`)}</dd>
        <dt>{t('aid.claim.eligibility')}</dt>
        <dd>
          {t(`aidEligibility.${c.eligibility}`)}
          {c.eligibilityNote ? `：${c.eligibilityNote}` : ''}
        </dd>
        <dt>{t('aid.claim.unpaid')}</dt>
        <dd>{money(c.unpaidFen)}</dd>
        <dt>{t('aid.claim.hardship')}</dt>
        <dd className="pre">{c.hardship}</dd>
        <dt>{t('aid.claim.court')}</dt>
        <dd>{orgName(d.court)}</dd>
        <dt>{t('aid.claim.policy')}</dt>
        <dd>
          {d.policy.number} · {orgName(d.insurer)} ·{' '}
          {t('aid.claim.policyRemaining', {
            remaining: money(d.policy.remainingFen),
            limit: money(d.policy.limitFen),
          })}
        </dd>
        <dt>{t('aid.claim.account')}</dt>
        <dd>
          {c.payeeName} · {c.bankName} · {c.accountNumber ? maskAccount(c.accountNumber) : '—'}
          {c.accountVerifiedAt ? ` · ${t('aid.claim.verified')}` : ` · ${t('aid.claim.unverified')}`}
        </dd>
        <dt>{t('aid.claim.filedVia')}</dt>
        <dd>
          {t(`aidFiledVia.${c.filedVia}`)} · {who(c.filedBy)}
        </dd>
        {c.approvalReason && (
          <>
            <dt>{t('aid.claim.approvalReason')}</dt>
            <dd>{c.approvalReason}</dd>
          </>
        )}
        {c.lastReason && (
          <>
            <dt>{t('aid.claim.lastReason')}</dt>
            <dd>{c.lastReason}</dd>
          </>
        )}
      </dl>

      <h2 id="documents-title">{t('aid.documents.title')}</h2>
      {d.missingDocuments.length > 0 && (
        <p className="notice">
          {t('aid.documents.missing', {
            kinds: d.missingDocuments.map((k) => t(`aidDocumentKind.${k}`)).join('、'),
          })}
        </p>
      )}
      {d.documents.length === 0 ? (
        <p className="muted">{t('aid.documents.none')}</p>
      ) : (
        <ul aria-labelledby="documents-title">
          {d.documents.map((doc) => (
            <li key={doc.id}>
              <span className="tag">{t(`aidDocumentKind.${doc.kind}`)}</span>{' '}
              <a href={`/aid/documents/${doc.id}`} type={doc.contentType}>
                {doc.filename}
              </a>{' '}
              <span className="muted">
                {t('files.size', { kb: Math.max(1, Math.round(doc.size / 1024)) })}
              </span>
            </li>
          ))}
        </ul>
      )}
      {d.can.upload && (
        <PostForm
          encType="multipart/form-data"
          className="stack narrow"
          aria-labelledby="upload-title"
          heading={<h3 id="upload-title">{t('aid.documents.upload')}</h3>}
          intent="upload"
          result={result}
          submitLabel={t('aid.documents.uploadSubmit')}
          submitClassName="button button-secondary"
          noValidate={false}
        >
          {(r) => (
            <>
              <SelectField
                name="kind"
                label={t('aid.documents.kind')}
                options={AID_DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`aidDocumentKind.${k}`) }))}
                defaultValue={d.missingDocuments[0] ?? 'application'}
                errors={r?.fieldErrors?._form}
              />
              <Field
                name="file"
                type="file"
                accept={ACCEPT}
                label={t('aid.documents.file')}
                help={t('aid.documents.fileHelp')}
                required
                errors={r?.fieldErrors?.file}
              />
            </>
          )}
        </PostForm>
      )}

      <ActionBar
        can={d.can}
        result={result}
        formatParams={(p) => shownParams(p, t)}
        title={t('aid.actions.title')}
        actions={[
          {
            intent: 'submit',
            label: t('aid.actions.submit'),
            submitLabel: t('aid.actions.submitSubmit'),
            help: t('aid.actions.submitHelp'),
          },
          {
            intent: 'startCourtReview',
            label: t('aid.actions.startCourtReview'),
            submitLabel: t('aid.actions.startCourtReviewSubmit'),
            help: t('aid.actions.startCourtReviewHelp'),
          },
          {
            intent: 'courtApprove',
            label: t('aid.actions.courtApprove'),
            submitLabel: t('aid.actions.courtApproveSubmit'),
            help: t('aid.actions.ceiling', {
              ceiling: money(ceiling),
              threshold: money(d.committeeThresholdFen),
            }),
            fields: (r) => (
              <>
                {c.status === 'court_review' && needsCommittee(ceiling, d.committeeThresholdFen) && (
                  <p className="field-help">{t('aid.actions.aboveAuthority')}</p>
                )}
                <Field
                  name="amount"
                  id="courtApprove-amount"
                  label={t('aid.actions.amount')}
                  inputMode="decimal"
                  defaultValue={yuanInput(ceiling)}
                  required
                  errors={r?.fieldErrors?.amount}
                />
                <ReasonField id="courtApprove-reason" label={t('aid.actions.note')} result={r} />
              </>
            ),
          },
          {
            intent: 'referToCommittee',
            label: t('aid.actions.referToCommittee'),
            submitLabel: t('aid.actions.referToCommitteeSubmit'),
            fields: (r) => (
              <>
                <Field
                  name="amount"
                  id="refer-amount"
                  label={t('aid.actions.proposedAmount')}
                  inputMode="decimal"
                  defaultValue={yuanInput(ceiling)}
                  required
                  errors={r?.fieldErrors?.amount}
                />
                <ReasonField id="refer-reason" label={t('aid.actions.note')} result={r} />
              </>
            ),
          },
          {
            intent: 'insurerStartReview',
            label: t('aid.actions.insurerStartReview'),
            submitLabel: t('aid.actions.insurerStartReviewSubmit'),
            help: t('aid.actions.insurerStartReviewHelp'),
          },
          {
            intent: 'insurerApprove',
            label: t('aid.actions.insurerApprove'),
            submitLabel: t('aid.actions.insurerApproveSubmit'),
            help: t('aid.actions.insurerCeiling', {
              ceiling: money(c.courtApprovedFen),
              remaining: money(d.policy.remainingFen),
            }),
            fields: (r) => (
              <>
                <Field
                  name="amount"
                  id="insurerApprove-amount"
                  label={t('aid.actions.amount')}
                  inputMode="decimal"
                  defaultValue={yuanInput(c.courtApprovedFen)}
                  required
                  errors={r?.fieldErrors?.amount}
                />
                <TextAreaField
                  name="reason"
                  id="insurerApprove-reason"
                  label={t('aid.actions.partialReason')}
                  help={t('aid.actions.partialReasonHelp')}
                  rows={2}
                  errors={r?.fieldErrors?.reason}
                />
              </>
            ),
          },
          {
            intent: 'returnForDocuments',
            label: t('aid.actions.returnForDocuments'),
            submitLabel: t('aid.actions.returnForDocumentsSubmit'),
            danger: true,
            fields: (r) => (
              <ReasonField id="return-reason" label={t('aid.actions.reason')} required result={r} />
            ),
          },
          {
            intent: 'courtReject',
            label: t('aid.actions.courtReject'),
            submitLabel: t('aid.actions.courtRejectSubmit'),
            danger: true,
            fields: (r) => (
              <ReasonField id="reject-reason" label={t('aid.actions.reason')} required result={r} />
            ),
          },
          {
            intent: 'insurerDecline',
            label: t('aid.actions.insurerDecline'),
            submitLabel: t('aid.actions.insurerDeclineSubmit'),
            danger: true,
            fields: (r) => (
              <ReasonField id="decline-reason" label={t('aid.actions.reason')} required result={r} />
            ),
          },
          {
            intent: 'close',
            label: t('aid.actions.close'),
            submitLabel: t('aid.actions.closeSubmit'),
            danger: true,
            fields: (r) => (
              <>
                {c.status === 'payment' && (
                  <p className="field-help">
                    {t('aid.actions.closeRelease', { amount: money(d.money.remainingFen) })}
                  </p>
                )}
                <ReasonField id="close-reason" label={t('aid.actions.note')} result={r} />
              </>
            ),
          },
          {
            intent: 'withdraw',
            label: t('aid.actions.withdraw'),
            submitLabel: t('aid.actions.withdrawSubmit'),
            danger: true,
            fields: (r) => <ReasonField id="withdraw-reason" label={t('aid.actions.note')} result={r} />,
          },
          {
            intent: 'recordRecovery',
            label: t('aid.actions.recordRecovery'),
            submitLabel: t('aid.actions.recordRecoverySubmit'),
            danger: true,
            help: t('aid.actions.recoverable', { amount: money(d.money.recoverableFen) }),
            fields: (r) => (
              <>
                <SelectField
                  name="kind"
                  id="recovery-kind"
                  label={t('aid.recovery.kind')}
                  options={(['subrogation', 'fraud_clawback'] as const).map((k) => ({
                    value: k,
                    label: t(`aidRecoveryKind.${k}`),
                  }))}
                />
                <SelectField
                  name="source"
                  id="recovery-source"
                  label={t('aid.recovery.source')}
                  options={(['case_account', 'external'] as const).map((k) => ({
                    value: k,
                    label: t(`aidRecoverySource.${k}`),
                  }))}
                />
                <Field
                  name="amount"
                  id="recovery-amount"
                  label={t('aid.actions.amount')}
                  inputMode="decimal"
                  required
                  errors={r?.fieldErrors?.amount}
                />
                <TextAreaField
                  name="note"
                  id="recovery-note"
                  label={t('aid.recovery.note')}
                  rows={2}
                  required
                  errors={r?.fieldErrors?.note}
                />
              </>
            ),
          },
        ]}
      />

      <h2 id="payments-title">{t('aid.payments.title')}</h2>
      <DataTable
        labelledBy="payments-title"
        rows={d.payments}
        rowKey={(p) => p.id}
        empty={{ message: t('aid.payments.none'), quiet: true }}
        columns={[
          { header: t('aid.payments.reference'), cell: (p) => p.reference, rowHeader: true },
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
          {
            header: t('aid.payments.payee'),
            cell: (p) => `${p.payeeName} · ${maskAccount(p.accountNumber)}`,
          },
          {
            header: t('aid.payments.settledAt'),
            cell: (p) => (p.settledAt ? formatDateTime(p.settledAt, locale) : '—'),
          },
        ]}
      />

      {d.recoveries.length > 0 && (
        <>
          <h2 id="recoveries-title">{t('aid.recovery.title')}</h2>
          <ul aria-labelledby="recoveries-title">
            {d.recoveries.map((r) => (
              <li key={r.id}>
                {t(`aidRecoveryKind.${r.kind}`)} · {t(`aidRecoverySource.${r.source}`)} · {money(r.amountFen)}{' '}
                · {t(`aidRecoveryStatus.${r.status}`)} · {r.note}
                {r.can.confirm && (
                  <>
                    {' '}
                    <PostForm
                      className="inline-form"
                      intent="confirmRecovery"
                      hiddenFields={{ recoveryId: r.id }}
                      submitLabel={t('aid.recovery.confirm')}
                      submitClassName="button button-small button-secondary"
                    />
                  </>
                )}
              </li>
            ))}
          </ul>
          <FormError
            error={answerFor(result, 'confirmRecovery')?.formError}
            params={answerFor(result, 'confirmRecovery')?.params}
          />
        </>
      )}

      <h2 id="timeline-title">{t('aid.timeline.title')}</h2>
      <ol className="timeline" aria-labelledby="timeline-title">
        {d.events.map((e) => (
          <li key={e.id}>
            <strong>
              {e.to && e.from
                ? `${t(`aidStatus.${e.from}`)} → ${t(`aidStatus.${e.to}`)}`
                : t(`aidEvent.${e.action}`)}
            </strong>
            {e.amountFen !== null && ` · ${money(e.amountFen)}`}{' '}
            <span className="muted">
              {formatDateTime(e.at, locale)} · {who(e.actorId)}
            </span>
            {e.action === 'document' && e.data?.kind
              ? ` · ${t(`aidDocumentKind.${String(e.data.kind)}`)}`
              : ''}
            {e.reason && <div className="pre">{t('aid.timeline.reason', { reason: e.reason })}</div>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The reason (or note) a review step records on the timeline, with its error. */
function ReasonField({
  id,
  label,
  required,
  result,
}: {
  id: string;
  label: string;
  required?: boolean;
  result: ActionResult | undefined;
}) {
  return (
    <TextAreaField
      name="reason"
      id={id}
      label={label}
      rows={2}
      required={required}
      errors={result?.fieldErrors?.reason}
    />
  );
}

/** Error params as a user reads them: amounts (fen strings) as money, statuses by name. */
function shownParams(params: Record<string, string | number>, t: (key: string) => string) {
  const out: Record<string, string | number> = { ...params };
  for (const k of ['remaining', 'ceiling', 'threshold'])
    if (typeof out[k] === 'string' && /^\d+$/.test(out[k] as string)) out[k] = money(out[k] as string);
  for (const k of ['from', 'to']) if (typeof out[k] === 'string') out[k] = t(`aidStatus.${out[k]}`);
  return out;
}
