import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { CHANNELS } from '../../server/bounties/rules';
import { RewardText } from '../components/bounties/reward';
import { useLocale } from '../components/court/display';
import { formAction, formRefusal, idParam } from '../components/court/route.server';
import { Field, SelectField, TextAreaField } from '../components/forms';
import { ActionBar, ActionForm } from '../components/staff/action-bar';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { FormSection } from '../components/staff/form-section';
import { PageHead } from '../components/staff/page-head';
import { type ActionResult, answerFor } from '../components/staff/post-form';
import { formatDateTime, formatMoney } from '../utils/format';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.case.caseNumber ?? ''} 悬赏执行 · 最后一公里` },
];

const Intent = z.enum(['apply', 'decide', 'close']);
type Intent = z.infer<typeof Intent>;

/** The case's bounty (财产调查规定 arts. 21-24, ADR 022): the application, the decision, the tips in order. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const caseId = idParam(params, 'caseId');
  return load(request, () => context.services.bounties.caseBounty(auth.actor, caseId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const caseId = idParam(params, 'caseId');
  const form = await readForm(request, context);
  const parsed = Intent.safeParse(form.get('intent'));
  if (!parsed.success)
    return formRefusal(String(form.get('intent')), 400, { formError: 'errors.validation' });
  const intent = parsed.data;
  const { intent: _, id: rawId, ...fields } = formObject(form, ['channels']);
  const id = z.uuid().safeParse(rawId).data ?? '';
  const b = context.services.bounties;
  const a = auth.actor;
  const rid = context.meta.requestId;
  const run: Record<Intent, () => Promise<unknown>> = {
    apply: () => b.recordApplication(a, caseId, fields, rid),
    decide: () => b.decideApplication(a, id, fields, rid),
    close: () => b.closeNotice(a, id, fields, rid),
  };
  return formAction(request, intent, async () => {
    await run[intent]();
    throw redirect(`/court/cases/${caseId}/bounty?done=${intent}`);
  });
}

function ApplicationFields({
  r,
  debtor,
  applicant,
  today,
}: {
  r?: ActionResult;
  debtor: { name: string; kind: string } | null;
  applicant: { name: string } | null;
  today: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Field
        name="applicantName"
        id="b-applicantName"
        label={t('bounties.field.applicantName')}
        defaultValue={applicant?.name}
        required
        errors={r?.fieldErrors?.applicantName}
      />
      <Field
        name="appliedOn"
        id="b-appliedOn"
        type="date"
        label={t('bounties.field.appliedOn')}
        defaultValue={today}
        required
        errors={r?.fieldErrors?.appliedOn}
      />
      <SelectField
        name="rewardKind"
        id="b-rewardKind"
        label={t('bounties.field.rewardKind')}
        options={(['percent', 'fixed'] as const).map((k) => ({
          value: k,
          label: t(`bounties.rewardKind.${k}`),
        }))}
        errors={r?.fieldErrors?.rewardKind}
      />
      <Field
        name="percent"
        id="b-percent"
        inputMode="decimal"
        label={t('bounties.field.percent')}
        errors={r?.fieldErrors?.percent}
      />
      <Field
        name="reward"
        id="b-reward"
        inputMode="decimal"
        label={t('bounties.field.rewardFixed')}
        errors={r?.fieldErrors?.reward}
      />
      <Field
        name="cap"
        id="b-cap"
        inputMode="decimal"
        label={t('bounties.field.cap')}
        errors={r?.fieldErrors?.cap}
      />
      <SelectField
        name="scope"
        id="b-scope"
        label={t('bounties.field.scope')}
        options={(['both', 'property', 'whereabouts'] as const).map((k) => ({
          value: k,
          label: t(`bounties.scope.${k}`),
        }))}
        errors={r?.fieldErrors?.scope}
      />
      <FormSection legend={t('bounties.field.channels')} errors={r?.fieldErrors?.channels}>
        {CHANNELS.map((c) => (
          <label key={c} className="checkbox">
            <input type="checkbox" name="channels" value={c} defaultChecked={c === 'platform'} />{' '}
            {t(`bounties.channel.${c}`)}
          </label>
        ))}
      </FormSection>
      <TextAreaField
        name="terms"
        id="b-terms"
        label={t('bounties.field.terms')}
        rows={3}
        required
        errors={r?.fieldErrors?.terms}
      />
      <Field
        name="debtorName"
        id="b-debtorName"
        label={t('bounties.field.debtorName')}
        defaultValue={debtor?.name}
        required
        errors={r?.fieldErrors?.debtorName}
      />
      <SelectField
        name="debtorKind"
        id="b-debtorKind"
        label={t('bounties.field.debtorKind')}
        defaultValue={debtor?.kind === 'person' ? 'person' : 'company'}
        options={(['person', 'company'] as const).map((k) => ({
          value: k,
          label: t(`bounties.debtorKind.${k}`),
        }))}
        errors={r?.fieldErrors?.debtorKind}
      />
      <Field
        name="debtorId"
        id="b-debtorId"
        label={t('bounties.field.debtorId')}
        help={t('bounties.field.debtorIdHelp')}
        autoComplete="off"
        required
        errors={r?.fieldErrors?.debtorId}
      />
      <Field
        name="lastKnownAddress"
        id="b-address"
        label={t('bounties.field.lastKnownAddress')}
        required
        errors={r?.fieldErrors?.lastKnownAddress}
      />
      <Field
        name="unpaid"
        id="b-unpaid"
        inputMode="decimal"
        label={t('bounties.field.unpaidAmount')}
        required
        errors={r?.fieldErrors?.unpaid}
      />
      <Field
        name="publishFrom"
        id="b-publishFrom"
        type="date"
        label={t('bounties.field.publishFrom')}
        defaultValue={today}
        required
        errors={r?.fieldErrors?.publishFrom}
      />
      <Field
        name="publishUntil"
        id="b-publishUntil"
        type="date"
        label={t('bounties.field.publishUntil')}
        required
        errors={r?.fieldErrors?.publishUntil}
      />
      <FormSection legend={t('bounties.field.promise')} errors={r?.fieldErrors?.promise}>
        <label className="checkbox">
          <input type="checkbox" name="promise" /> {t('bounties.field.promise')}
        </label>
      </FormSection>
    </>
  );
}

export default function CaseBountyPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const { t } = useTranslation();
  const locale = useLocale();
  const done = useDoneMessage('bounties.done', Intent.options);
  const c = data.case;
  return (
    <section className="page" aria-labelledby="bounty-title">
      <PageHead
        id="bounty-title"
        title={t('bounties.title', { caseNumber: c.caseNumber })}
        back={{ to: `/court/cases/${c.id}`, label: t('bounties.back') }}
      />
      <DoneNotice message={done} />
      <p className="muted">{t('bounties.intro')}</p>
      {c.readOnly && <p className="muted">{t('bounties.readOnly')}</p>}
      {data.notices.length === 0 && <p className="muted">{t('bounties.noneYet')}</p>}
      {data.notices.map((n) => (
        <article key={n.id} className="card stack" aria-label={n.debtorName} data-testid="bounty-notice">
          <dl className="facts">
            <dt>{t('bounties.field.status')}</dt>
            <dd>
              <span className={`tag tag-${n.status}`} data-testid="notice-status">
                {t(`bounties.noticeStatus.${n.status}`)}
              </span>
              {n.status === 'applied' && <> · {t('bounties.decisionDue', { dueOn: n.decisionDueOn })}</>}
            </dd>
            <dt>{t('bounties.field.debtor')}</dt>
            <dd>
              {n.debtorName} · {n.debtorIdPublished}
            </dd>
            <dt>{t('bounties.field.reward')}</dt>
            <dd>
              <RewardText n={n} />
            </dd>
            <dt>{t('bounties.field.scope')}</dt>
            <dd>{t(`bounties.scope.${n.scope}`)}</dd>
            <dt>{t('bounties.field.period')}</dt>
            <dd>
              {n.publishFrom} – {n.publishUntil}
            </dd>
            <dt>{t('bounties.field.channels')}</dt>
            <dd>{n.channels.map((x) => t(`bounties.channel.${x}`)).join('、')}</dd>
            {n.rejectionReason && (
              <>
                <dt>{t('bounties.field.reason')}</dt>
                <dd>{n.rejectionReason}</dd>
              </>
            )}
          </dl>
          <ActionBar
            key={`${n.id}-${n.status}`}
            can={n.can}
            result={result}
            actions={[
              {
                intent: 'decide',
                label: t('bounties.do.decide'),
                hiddenFields: { id: n.id },
                fields: (r) => (
                  <>
                    <SelectField
                      name="decision"
                      id={`decision-${n.id}`}
                      label={t('bounties.field.decision')}
                      options={(['approve', 'reject'] as const).map((d) => ({
                        value: d,
                        label: t(`bounties.decision.${d}`),
                      }))}
                    />
                    <TextAreaField
                      name="reason"
                      id={`reason-${n.id}`}
                      label={t('bounties.field.reason')}
                      rows={2}
                      errors={r?.fieldErrors?.reason}
                    />
                  </>
                ),
              },
              {
                intent: 'close',
                label: t('bounties.do.close'),
                danger: true,
                hiddenFields: { id: n.id },
                fields: (r) => (
                  <TextAreaField
                    name="reason"
                    id={`close-${n.id}`}
                    label={t('bounties.field.reason')}
                    rows={2}
                    required
                    errors={r?.fieldErrors?.reason}
                  />
                ),
              },
            ]}
          />
          {!c.readOnly && (
            <>
              <h3 id={`tips-${n.id}`}>{t('bounties.tips')}</h3>
              <DataTable
                labelledBy={`tips-${n.id}`}
                rows={n.tips}
                rowKey={(x) => x.id}
                rowProps={() => ({ 'data-testid': 'tip-row' })}
                empty={{ message: t('bounties.noTips'), quiet: true }}
                columns={[
                  {
                    header: t('bounties.field.seq'),
                    cell: (x) => <Link to={`/court/bounty-tips/${x.id}`}>#{x.seq}</Link>,
                    rowHeader: true,
                  },
                  {
                    header: t('bounties.field.receivedAt'),
                    cell: (x) => formatDateTime(x.receivedAt, locale, true),
                  },
                  { header: t('bounties.field.leadKind'), cell: (x) => t(`bounties.leadKind.${x.leadKind}`) },
                  {
                    header: t('bounties.field.status'),
                    cell: (x) => (
                      <span data-testid="tip-status">
                        {t(`bounties.tipStatus.${x.status}`)}
                        {x.outcome && `（${t(`bounties.outcome.${x.outcome}`)}）`}
                      </span>
                    ),
                  },
                  {
                    header: t('bounties.field.rewardFen'),
                    cell: (x) => (x.rewardFen !== null ? formatMoney(x.rewardFen) : '—'),
                  },
                ]}
              />
            </>
          )}
        </article>
      ))}
      {data.notices.length > 0 && !c.readOnly && (
        <>
          <h2 id="access-log">{t('bounties.accessLog')}</h2>
          <DataTable
            labelledBy="access-log"
            rows={data.accessLog}
            rowKey={(x) => `${x.seq}-${x.at}-${x.name}`}
            empty={{ message: t('bounties.noAccess'), quiet: true }}
            columns={[
              {
                header: t('bounties.field.when'),
                cell: (x) => formatDateTime(x.at, locale, true),
                rowHeader: true,
              },
              { header: t('bounties.field.seq'), cell: (x) => `#${x.seq}` },
              { header: t('bounties.field.who'), cell: (x) => x.name },
              { header: t('bounties.field.purpose'), cell: (x) => t(`bounties.purpose.${x.purpose}`) },
            ]}
          />
        </>
      )}
      {data.canApply && (
        <ActionForm
          intent="apply"
          label={t('bounties.do.apply')}
          help={t('bounties.help.apply')}
          result={answerFor(result, 'apply')}
        >
          {(r) => <ApplicationFields r={r} debtor={c.debtor} applicant={c.applicant} today={data.today} />}
        </ActionForm>
      )}
    </section>
  );
}
