import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useLocale } from '../components/court/display';
import { formAction, formRefusal, idParam } from '../components/court/route.server';
import { Field, SelectField, TextAreaField } from '../components/forms';
import { ActionBar } from '../components/staff/action-bar';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { PageHead } from '../components/staff/page-head';
import type { ActionResult } from '../components/staff/post-form';
import { formatDateTime, formatMoney } from '../utils/format';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

export const meta: MetaFunction = () => [{ title: '悬赏线索 · 最后一公里' }];

const Intent = z.enum(['assess', 'award']);

/**
 * One tip, its lead and informant (财产调查规定 art. 23): the case's court only; this page's every
 * load is a reading, logged by the service before the content is returned.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const tipId = idParam(params, 'tipId');
  return load(request, () => context.services.bounties.readTip(auth.actor, tipId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const tipId = idParam(params, 'tipId');
  const form = await readForm(request, context);
  const parsed = Intent.safeParse(form.get('intent'));
  if (!parsed.success)
    return formRefusal(String(form.get('intent')), 400, { formError: 'errors.validation' });
  const intent = parsed.data;
  const { intent: _, ...fields } = formObject(form);
  const b = context.services.bounties;
  const rid = context.meta.requestId;
  return formAction(request, intent, async () => {
    if (intent === 'assess') await b.assessTip(auth.actor, tipId, fields, rid);
    else await b.awardTip(auth.actor, tipId, fields, rid);
    throw redirect(`/court/bounty-tips/${tipId}?done=${intent}`);
  });
}

export default function BountyTipPage() {
  const { tip, notice, sameLeadEarlier, accessLog, can } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const { t } = useTranslation();
  const locale = useLocale();
  const done = useDoneMessage('bounties.done', Intent.options);
  return (
    <section className="page" aria-labelledby="tip-title">
      <PageHead
        id="tip-title"
        title={t('bounties.tipTitle', { seq: tip.seq })}
        back={{ to: `/court/cases/${tip.caseId}/bounty`, label: t('bounties.back') }}
      />
      <DoneNotice message={done} />
      <dl className="facts">
        <dt>{t('bounties.field.debtor')}</dt>
        <dd>{notice.debtorName}</dd>
        <dt>{t('bounties.field.receivedAt')}</dt>
        <dd>{formatDateTime(tip.receivedAt, locale, true)}</dd>
        <dt>{t('bounties.field.leadKind')}</dt>
        <dd>{t(`bounties.leadKind.${tip.leadKind}`)}</dd>
        <dt>{t('bounties.field.lead')}</dt>
        <dd data-testid="tip-lead">{tip.lead}</dd>
        <dt>{t('bounties.field.informant')}</dt>
        <dd data-testid="tip-informant">
          {tip.informant.name} · {tip.informant.contact}
        </dd>
        <dt>{t('bounties.field.status')}</dt>
        <dd data-testid="tip-status">
          {t(`bounties.tipStatus.${tip.status}`)}
          {tip.outcome && `（${t(`bounties.outcome.${tip.outcome}`)}）`}
        </dd>
        {tip.rewardFen !== null && (
          <>
            <dt>{t('bounties.field.rewardFen')}</dt>
            <dd data-testid="tip-award">
              {t('bounties.awardSummary', {
                recovered: formatMoney(tip.recoveredFen ?? 0),
                reward: formatMoney(tip.rewardFen),
                deducted: formatMoney(tip.deductedFen ?? 0),
              })}
            </dd>
          </>
        )}
      </dl>
      {sameLeadEarlier.length > 0 && (
        <p className="notice" role="note">
          {t('bounties.sameLeadEarlier', { seqs: sameLeadEarlier.map((x) => x.seq).join('、') })}
        </p>
      )}
      <ActionBar
        key={tip.status}
        can={can}
        result={result}
        formatParams={(p) => p}
        actions={[
          {
            intent: 'assess',
            label: t('bounties.do.assess'),
            fields: (r) => (
              <>
                <SelectField
                  name="verdict"
                  id="verdict"
                  label={t('bounties.field.verdict')}
                  options={(['valid', 'invalid'] as const).map((v) => ({
                    value: v,
                    label: t(`bounties.verdict.${v}`),
                  }))}
                />
                <SelectField
                  name="outcome"
                  id="outcome"
                  label={t('bounties.field.outcome')}
                  anyLabel="—"
                  options={(['not_useful', 'already_known', 'duplicate', 'ineligible'] as const).map((v) => ({
                    value: v,
                    label: t(`bounties.outcome.${v}`),
                  }))}
                  errors={r?.fieldErrors?.outcome}
                />
                <Field
                  name="duplicateOf"
                  id="duplicateOf"
                  inputMode="numeric"
                  label={t('bounties.field.duplicateOf')}
                  errors={r?.fieldErrors?.duplicateOf}
                />
                <TextAreaField
                  name="note"
                  id="note"
                  label={t('bounties.field.note')}
                  rows={2}
                  errors={r?.fieldErrors?.note}
                />
              </>
            ),
          },
          {
            intent: 'award',
            label: t('bounties.do.award'),
            help: t('bounties.help.award'),
            fields: (r) => (
              <Field
                name="recovered"
                id="recovered"
                inputMode="decimal"
                label={t('bounties.field.recovered')}
                required
                errors={r?.fieldErrors?.recovered}
              />
            ),
          },
        ]}
      />
      <h2 id="tip-access">{t('bounties.accessLog')}</h2>
      <DataTable
        labelledBy="tip-access"
        rows={accessLog}
        rowKey={(x) => `${x.at}-${x.name}-${x.purpose}`}
        rowProps={() => ({ 'data-testid': 'access-row' })}
        columns={[
          {
            header: t('bounties.field.when'),
            cell: (x) => formatDateTime(x.at, locale, true),
            rowHeader: true,
          },
          { header: t('bounties.field.who'), cell: (x) => x.name },
          { header: t('bounties.field.purpose'), cell: (x) => t(`bounties.purpose.${x.purpose}`) },
        ]}
      />
    </section>
  );
}
