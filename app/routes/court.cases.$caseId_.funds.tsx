import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { CLAIM_CLASSES, DEFERRAL_REASONS } from '../../server/funds/rules';
import { useLocale } from '../components/court/display';
import { formAction, formRefusal, idParam } from '../components/court/route.server';
import { ErrorPanel } from '../components/error-panel';
import { Field, SelectField, TextAreaField } from '../components/forms';
import { ActionBar, ActionForm } from '../components/staff/action-bar';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { PageHead } from '../components/staff/page-head';
import { StatusTag } from '../components/staff/status-tag';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDate, formatDateTime, formatMoney } from '../utils/format';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.case.caseNumber ?? ''} 执行款分配 · 最后一公里` },
];

const Intent = z.enum([
  'recordCost',
  'recordClaim',
  'draft',
  'serve',
  'object',
  'approve',
  'recordOpposition',
  'recordSuit',
  'decideSuit',
  'requestDeferral',
  'approveDeferral',
  'endDeferral',
]);
type Intent = z.infer<typeof Intent>;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const caseId = idParam(params, 'caseId');
  return load(request, async () => {
    // Costs, claims, the plan and what this viewer may do (`can`) come decided from the service.
    const view = await context.services.funds.caseFunds(auth.actor, caseId);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    return { ...view, today };
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const caseId = idParam(params, 'caseId');
  const form = await readForm(request, context);
  const parsed = Intent.safeParse(form.get('intent'));
  if (!parsed.success)
    return formRefusal(String(form.get('intent')), 400, { formError: 'errors.validation' });
  const intent = parsed.data;
  const { intent: _, planId, objectionId, ...fields } = formObject(form);
  const f = context.services.funds;
  const plan = String(planId ?? '');
  const objection = String(objectionId ?? '');
  const run: Record<Intent, () => Promise<unknown>> = {
    recordCost: () => f.recordCost(auth.actor, caseId, fields),
    recordClaim: () => f.recordClaim(auth.actor, caseId, { ...fields, partyId: fields.partyId || undefined }),
    draft: () => f.draftPlan(auth.actor, caseId, fields),
    serve: () => f.servePlan(auth.actor, plan, fields),
    object: () => f.fileObjection(auth.actor, plan, fields),
    approve: () => f.approvePlan(auth.actor, plan),
    recordOpposition: () => f.recordOpposition(auth.actor, objection),
    recordSuit: () => f.recordSuit(auth.actor, objection),
    decideSuit: () => f.decideSuit(auth.actor, objection, fields),
    requestDeferral: () => f.requestDeferral(auth.actor, caseId, fields),
    approveDeferral: () => f.approveDeferral(auth.actor, caseId),
    endDeferral: () => f.endDeferral(auth.actor, caseId),
  };
  return formAction(request, intent, async () => {
    await run[intent]();
    throw redirect(`/court/cases/${caseId}/funds?done=${intent}`);
  });
}

export default function CaseFundsPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useLocale();
  const doneMessage = useDoneMessage('funds.page.done', Intent.options);
  const c = data.case;
  const live = data.live;
  const claimParty = new Map(data.claims.map((k) => [k.id, k.creditor]));
  const applicants = data.parties.filter((p) => p.role === 'applicant');
  const r = data.release;
  type Line = NonNullable<typeof live>['lines'][number];
  const who = (l: Line) =>
    l.kind === 'claim'
      ? (claimParty.get(l.claimId ?? '') ?? '')
      : l.kind === 'surplus'
        ? t('funds.page.debtor')
        : t('funds.page.court');
  return (
    <section className="page" aria-labelledby="funds-title">
      <p>
        <Link to={`/court/cases/${c.id}`}>{t('funds.page.back', { caseNumber: c.caseNumber })}</Link> ·{' '}
        <Link to={`/court/cases/${c.id}/account`}>{t('courtMoney.account.link')}</Link> ·{' '}
        <Link to="/court/funds/payouts">{t('funds.payouts.title')}</Link>
      </p>
      <PageHead id="funds-title" title={t('funds.page.title', { caseNumber: c.caseNumber })}>
        {live && <StatusTag catalog="funds.planStatus" value={live.plan.status} />}
      </PageHead>
      <DoneNotice message={doneMessage} />

      <dl className="facts" aria-label={t('funds.page.facts')}>
        <dt>{t('funds.page.balance')}</dt>
        <dd className="money" data-testid="case-balance">
          {formatMoney(data.balanceFen)}
        </dd>
        <dt>{t('funds.page.releaseDue')}</dt>
        <dd data-testid="release-due">
          {!r
            ? '—'
            : r.releasedAt
              ? t('funds.page.released', { at: formatDateTime(r.releasedAt, locale) })
              : r.deferralApprovedAt
                ? t('funds.page.deferred', { reason: t(`funds.deferralReason.${r.deferralReason}`) })
                : `${formatDateTime(r.dueAt, locale)}${r.overdueAt ? ` · ${t('funds.page.overdue')}` : ''}`}
        </dd>
      </dl>

      <h2 id="costs-title">{t('funds.page.costsTitle')}</h2>
      <DataTable
        labelledBy="costs-title"
        rows={data.costs}
        rowKey={(x) => x.id}
        empty={{ message: t('funds.page.noCosts'), quiet: true }}
        columns={[
          { header: t('funds.page.kind'), cell: (x) => t(`funds.class.${x.kind}`), rowHeader: true },
          { header: t('funds.page.amount'), cell: (x) => formatMoney(x.amountFen), className: 'money' },
          { header: t('funds.page.note'), cell: (x) => x.note || '—', className: 'wrap' },
        ]}
      />

      <h2 id="claims-title">{t('funds.page.claimsTitle')}</h2>
      <DataTable
        labelledBy="claims-title"
        rows={data.claims}
        rowKey={(x) => x.id}
        empty={{ message: t('funds.page.noClaims'), quiet: true }}
        columns={[
          { header: t('funds.page.creditor'), cell: (x) => x.creditor, rowHeader: true },
          { header: t('funds.page.class'), cell: (x) => t(`funds.class.${x.class}`) },
          {
            header: t('funds.page.origin'),
            cell: (x) => t(`funds.page.originName.${x.origin}`),
          },
          { header: t('funds.page.title_'), cell: (x) => x.titleNumber, className: 'wrap' },
          { header: t('funds.page.principal'), cell: (x) => formatMoney(x.principalFen), className: 'money' },
          { header: t('funds.page.interest'), cell: (x) => formatMoney(x.interestFen), className: 'money' },
          {
            header: t('funds.page.delayInterest'),
            cell: (x) => formatMoney(x.owed.delayInterestFen),
            className: 'money',
          },
          { header: t('funds.page.paid'), cell: (x) => formatMoney(x.paidFen), className: 'money' },
        ]}
      />

      {live && (
        <section className="stack" aria-labelledby="plan-title">
          <h2 id="plan-title">{t('funds.page.planTitle', { number: live.plan.number })}</h2>
          <dl className="facts">
            <dt>{t('funds.page.pool')}</dt>
            <dd className="money" data-testid="plan-pool">
              {formatMoney(live.plan.poolFen)}
            </dd>
            <dt>{t('funds.page.cutoff')}</dt>
            <dd>{live.plan.cutoffOn}</dd>
            <dt>{t('funds.page.order')}</dt>
            <dd>
              {['cost', ...live.plan.classOrder, 'ordinary']
                .map((x) => (x === 'cost' ? t('funds.page.costs') : t(`funds.class.${x}`)))
                .join(' → ')}{' '}
              ({t(`funds.orderSource.${live.plan.orderSource}`)})
            </dd>
            <dt>{t('funds.page.rounding')}</dt>
            <dd className="wrap">{data.roundingRule}</dd>
          </dl>
          <p>
            <a
              href={`/funds/plans/${live.plan.id}/plan.pdf`}
              download
              type="application/pdf"
              className="button"
            >
              {t('funds.page.download')}
            </a>
          </p>
          <DataTable
            caption={t('funds.page.linesCaption')}
            rows={live.lines}
            rowKey={(l) => l.id}
            rowProps={(l) => ({ 'data-testid': `line-${l.position}` })}
            columns={[
              { header: '#', cell: (l) => l.position },
              { header: t('funds.page.creditor'), cell: who, rowHeader: true },
              { header: t('funds.page.class'), cell: (l) => t(`funds.class.${l.class}`) },
              { header: t('funds.page.demand'), cell: (l) => formatMoney(l.demandFen), className: 'money' },
              {
                header: t('funds.page.allocated'),
                cell: (l) => formatMoney(l.allocatedFen),
                className: 'money',
              },
              {
                header: t('funds.page.setAside'),
                cell: (l) => formatMoney(l.setAsideFen),
                className: 'money',
              },
              {
                header: t('funds.page.aidRecovered'),
                cell: (l) => formatMoney(l.aidRecoveredFen),
                className: 'money',
              },
              { header: t('funds.page.paid'), cell: (l) => formatMoney(l.paidFen), className: 'money' },
              {
                header: t('funds.page.stillOwed'),
                cell: (l) => formatMoney(l.demandFen - l.allocatedFen),
                className: 'money',
              },
              { header: t('funds.page.rule'), cell: (l) => t(`funds.rule.${l.rule}`), className: 'wrap' },
            ]}
          />

          <h3 id="recipients-title">{t('funds.page.recipientsTitle')}</h3>
          <DataTable
            labelledBy="recipients-title"
            rows={live.recipients}
            rowKey={(x) => x.id}
            columns={[
              { header: t('funds.page.recipient'), cell: (x) => x.name, rowHeader: true },
              { header: t('funds.page.servedOn'), cell: (x) => x.servedOn ?? '—' },
              {
                header: t('funds.page.objectionDue'),
                cell: (x) => (x.objectionDueAt ? formatDateTime(x.objectionDueAt, locale) : '—'),
              },
            ]}
          />

          <h3 id="objections-title">{t('funds.page.objectionsTitle')}</h3>
          <DataTable
            labelledBy="objections-title"
            rows={live.objections}
            rowKey={(x) => x.id}
            empty={{ message: t('funds.page.noObjections'), quiet: true }}
            columns={[
              {
                header: t('funds.page.recipient'),
                cell: (o) => live.recipients.find((x) => x.id === o.recipientId)?.name ?? '',
                rowHeader: true,
              },
              {
                header: t('funds.page.disputed'),
                cell: (o) => formatMoney(o.disputedFen),
                className: 'money',
              },
              { header: t('funds.page.reason'), cell: (o) => o.reason, className: 'wrap' },
              {
                header: t('funds.page.status'),
                cell: (o) => <StatusTag catalog="funds.objectionStatus" value={o.status} />,
              },
              {
                header: t('funds.page.clock'),
                cell: (o) =>
                  o.status === 'filed'
                    ? formatDateTime(o.oppositionDueAt, locale)
                    : o.status === 'opposed' && o.suitDueAt
                      ? formatDateTime(o.suitDueAt, locale)
                      : '—',
              },
              {
                header: t('funds.page.actions'),
                cell: (o) => (
                  <div className="stack">
                    {(['recordOpposition', 'recordSuit'] as const)
                      .filter((a) => o.can[a])
                      .map((a) => (
                        <ActionForm
                          key={a}
                          intent={a}
                          label={t(`funds.page.do.${a}`)}
                          titled={false}
                          hiddenFields={{ objectionId: o.id }}
                          result={result?.intent === a ? result : undefined}
                        />
                      ))}
                    {o.can.decideSuit && (
                      <ActionForm
                        intent="decideSuit"
                        label={t('funds.page.do.decideSuit')}
                        titled={false}
                        hiddenFields={{ objectionId: o.id }}
                        result={result?.intent === 'decideSuit' ? result : undefined}
                      >
                        {(a) => (
                          <Field
                            name="awarded"
                            id={`awarded-${o.id}`}
                            label={t('funds.page.field.awarded')}
                            inputMode="decimal"
                            defaultValue="0"
                            errors={a?.fieldErrors?.awarded}
                          />
                        )}
                      </ActionForm>
                    )}
                  </div>
                ),
              },
            ]}
          />
        </section>
      )}

      <ActionBar
        key={`actions-${live?.plan.status}-${data.claims.length}-${data.costs.length}-${live?.objections.length}`}
        can={{
          ...data.can,
          serve: live?.can.serve ?? false,
          approve: live?.can.approve ?? false,
          object: live?.plan.status === 'served' && data.can.recordClaim,
        }}
        result={result}
        title={t('funds.page.actionsTitle')}
        empty={t('funds.page.noActions')}
        actions={[
          {
            intent: 'recordCost',
            label: t('funds.page.do.recordCost'),
            fields: (a) => (
              <>
                <SelectField
                  name="kind"
                  id="cost-kind"
                  label={t('funds.page.kind')}
                  options={(['appraisal', 'auction', 'notice', 'storage', 'other'] as const).map((k) => ({
                    value: k,
                    label: t(`funds.class.${k}`),
                  }))}
                  errors={a?.fieldErrors?.kind}
                />
                <Field
                  name="amount"
                  id="cost-amount"
                  label={t('funds.page.amountYuan')}
                  inputMode="decimal"
                  required
                  errors={a?.fieldErrors?.amount}
                />
                <Field
                  name="note"
                  id="cost-note"
                  label={t('funds.page.note')}
                  errors={a?.fieldErrors?.note}
                />
              </>
            ),
          },
          {
            intent: 'recordClaim',
            label: t('funds.page.do.recordClaim'),
            help: t('funds.page.help.recordClaim'),
            fields: (a) => (
              <>
                <SelectField
                  name="partyId"
                  id="claim-party"
                  label={t('funds.page.creditor')}
                  anyLabel={t('funds.page.joining')}
                  options={applicants.map((p) => ({ value: p.id, label: p.name }))}
                  errors={a?.fieldErrors?.partyId}
                />
                <Field
                  name="joiningName"
                  id="claim-joiningName"
                  label={t('funds.page.field.joiningName')}
                  errors={a?.fieldErrors?.joiningName}
                />
                <SelectField
                  name="class"
                  id="claim-class"
                  label={t('funds.page.class')}
                  defaultValue="ordinary"
                  options={CLAIM_CLASSES.map((k) => ({ value: k, label: t(`funds.class.${k}`) }))}
                  errors={a?.fieldErrors?.class}
                />
                <Field
                  name="titleNumber"
                  id="claim-title"
                  label={t('funds.page.title_')}
                  required
                  errors={a?.fieldErrors?.titleNumber}
                />
                <Field
                  name="principal"
                  id="claim-principal"
                  label={t('funds.page.field.principal')}
                  inputMode="decimal"
                  required
                  errors={a?.fieldErrors?.principal}
                />
                <Field
                  name="interest"
                  id="claim-interest"
                  label={t('funds.page.field.interest')}
                  inputMode="decimal"
                  errors={a?.fieldErrors?.interest}
                />
                <Field
                  name="delayFrom"
                  id="claim-delayFrom"
                  type="date"
                  label={t('funds.page.field.delayFrom')}
                  errors={a?.fieldErrors?.delayFrom}
                />
                <Field
                  name="registeredOn"
                  id="claim-registeredOn"
                  type="date"
                  label={t('funds.page.field.registeredOn')}
                  errors={a?.fieldErrors?.registeredOn}
                />
                <Field
                  name="creditorEmail"
                  id="claim-creditorEmail"
                  type="email"
                  label={t('funds.page.field.creditorEmail')}
                  errors={a?.fieldErrors?.creditorEmail}
                />
                <Field
                  name="payeeName"
                  id="claim-payeeName"
                  label={t('funds.page.field.payeeName')}
                  required
                  errors={a?.fieldErrors?.payeeName}
                />
                <Field
                  name="bankName"
                  id="claim-bankName"
                  label={t('funds.page.field.bankName')}
                  required
                  errors={a?.fieldErrors?.bankName}
                />
                <Field
                  name="accountNumber"
                  id="claim-accountNumber"
                  label={t('funds.page.field.accountNumber')}
                  inputMode="numeric"
                  required
                  errors={a?.fieldErrors?.accountNumber}
                />
              </>
            ),
          },
          {
            intent: 'draft',
            label: t('funds.page.do.draft'),
            help: t('funds.page.help.draft'),
            fields: (a) => (
              <Field
                name="cutoffOn"
                id="draft-cutoffOn"
                type="date"
                label={t('funds.page.cutoff')}
                defaultValue={data.today}
                max={data.today}
                required
                errors={a?.fieldErrors?.cutoffOn}
              />
            ),
          },
          {
            intent: 'serve',
            label: t('funds.page.do.serve'),
            help: t('funds.page.help.serve'),
            hiddenFields: { planId: live?.plan.id ?? '' },
            fields: (a) => (
              <Field
                name="servedOn"
                id="serve-servedOn"
                type="date"
                label={t('funds.page.servedOn')}
                defaultValue={data.today}
                max={data.today}
                required
                errors={a?.fieldErrors?.servedOn}
              />
            ),
          },
          {
            intent: 'object',
            label: t('funds.page.do.object'),
            help: t('funds.page.help.object'),
            hiddenFields: { planId: live?.plan.id ?? '' },
            fields: (a) => (
              <>
                <SelectField
                  name="partyId"
                  id="object-party"
                  label={t('funds.page.recipient')}
                  options={(live?.recipients ?? []).map((x) => ({ value: x.partyId, label: x.name }))}
                  errors={a?.fieldErrors?.partyId}
                />
                <SelectField
                  name="lineId"
                  id="object-line"
                  label={t('funds.page.line')}
                  options={(live?.lines ?? []).map((l) => ({
                    value: l.id,
                    label: `${l.position}. ${who(l)} ${formatMoney(l.allocatedFen)}`,
                  }))}
                  errors={a?.fieldErrors?.lineId}
                />
                <Field
                  name="disputed"
                  id="object-disputed"
                  label={t('funds.page.field.disputed')}
                  inputMode="decimal"
                  required
                  errors={a?.fieldErrors?.disputed}
                />
                <Field
                  name="receivedOn"
                  id="object-receivedOn"
                  type="date"
                  label={t('funds.page.field.receivedOn')}
                  defaultValue={data.today}
                  max={data.today}
                  errors={a?.fieldErrors?.receivedOn}
                />
                <TextAreaField
                  name="reason"
                  id="object-reason"
                  label={t('funds.page.reason')}
                  rows={2}
                  required
                  errors={a?.fieldErrors?.reason}
                />
              </>
            ),
          },
          {
            intent: 'approve',
            label: t('funds.page.do.approve'),
            help: t('funds.page.help.approve'),
            hiddenFields: { planId: live?.plan.id ?? '' },
          },
          {
            intent: 'requestDeferral',
            label: t('funds.page.do.requestDeferral'),
            fields: (a) => (
              <>
                <SelectField
                  name="reason"
                  id="deferral-reason"
                  label={t('funds.page.reason')}
                  options={DEFERRAL_REASONS.map((k) => ({ value: k, label: t(`funds.deferralReason.${k}`) }))}
                  errors={a?.fieldErrors?.reason}
                />
                <Field
                  name="note"
                  id="deferral-note"
                  label={t('funds.page.note')}
                  errors={a?.fieldErrors?.note}
                />
              </>
            ),
          },
          { intent: 'approveDeferral', label: t('funds.page.do.approveDeferral') },
          { intent: 'endDeferral', label: t('funds.page.do.endDeferral') },
        ]}
      />

      <h2 id="timeline-title">{t('funds.page.timelineTitle')}</h2>
      <ol className="timeline" aria-labelledby="timeline-title" data-testid="funds-timeline">
        {data.events.map((e) => (
          <li key={e.id}>
            <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, locale)}</time>{' '}
            {t(`funds.event.${e.kind}`, { defaultValue: e.kind })}
            {e.amountFen !== null && <span className="money"> {formatMoney(e.amountFen)}</span>}
            {e.data.name && <span> · {e.data.name}</span>}
            {e.data.creditor && <span> · {e.data.creditor}</span>}
            {e.data.payee && <span> · {e.data.payee}</span>}
          </li>
        ))}
      </ol>
      {data.plans.length > 1 && (
        <p className="muted">
          {t('funds.page.earlierPlans', {
            list: data.plans
              .filter((p) => p.id !== live?.plan.id)
              .map(
                (p) =>
                  `${p.number} (${t(`funds.planStatus.${p.status}`)}, ${formatDate(p.draftedAt, locale)})`,
              )
              .join('；'),
          })}
        </p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  const { t } = useTranslation();
  return <ErrorPanel back={() => <Link to="/court/cases">{t('funds.page.backToCases')}</Link>} />;
}
