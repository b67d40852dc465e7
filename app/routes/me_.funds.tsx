import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../components/court/display';
import { formAction } from '../components/court/route.server';
import { Field, SelectField, TextAreaField } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { PostForm } from '../components/staff/post-form';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime, formatMoney } from '../utils/format';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'funds.mine.title');

/** A party's side of the distributions of his cases: the plan, his share, his objection period, his payments. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, () => context.services.funds.myFunds(auth.actor));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  const { intent: _, planId, ...fields } = formObject(form);
  return formAction(request, 'object', async () => {
    await context.services.funds.fileObjection(auth.actor, String(planId ?? ''), fields);
    throw redirect('/me/funds?done=object');
  });
}

export default function MyFunds() {
  const cases = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useLocale();
  const doneMessage = useDoneMessage('funds.mine.done', ['object']);
  return (
    <section className="page" aria-labelledby="my-funds-title">
      <h1 id="my-funds-title">{t('funds.mine.title')}</h1>
      <DoneNotice message={doneMessage} />
      {cases.length === 0 && <p className="notice">{t('funds.mine.none')}</p>}
      {cases.map((c) => {
        const mine = c.lines.filter((l) => c.myLineIds.includes(l.id));
        const share = mine.reduce((s, l) => s + l.allocatedFen, 0n);
        return (
          <article
            key={c.plan.id}
            className="card stack"
            aria-labelledby={`plan-${c.plan.id}`}
            data-testid="my-plan"
          >
            <h2 id={`plan-${c.plan.id}`}>
              {t('funds.mine.planTitle', { caseNumber: c.caseNumber, number: c.plan.number })}
            </h2>
            <dl className="facts">
              <dt>{t('funds.page.status')}</dt>
              <dd>{t(`funds.planStatus.${c.plan.status}`)}</dd>
              <dt>{t('funds.page.pool')}</dt>
              <dd className="money">{formatMoney(c.plan.poolFen)}</dd>
              <dt>{t('funds.mine.share')}</dt>
              <dd className="money" data-testid="my-share">
                {formatMoney(share)}
              </dd>
              {mine.some((l) => l.aidRecoveredFen > 0n) && (
                <>
                  <dt>{t('funds.page.aidRecovered')}</dt>
                  <dd className="money" data-testid="my-aid-deduction">
                    {formatMoney(mine.reduce((s, l) => s + l.aidRecoveredFen, 0n))}
                  </dd>
                </>
              )}
              <dt>{t('funds.page.paid')}</dt>
              <dd className="money" data-testid="my-paid">
                {formatMoney(mine.reduce((s, l) => s + l.paidFen, 0n))}
              </dd>
              <dt>{t('funds.page.servedOn')}</dt>
              <dd>{c.recipient.servedOn ?? '—'}</dd>
              <dt>{t('funds.page.objectionDue')}</dt>
              <dd>{c.recipient.objectionDueAt ? formatDateTime(c.recipient.objectionDueAt, locale) : '—'}</dd>
            </dl>
            <p>
              <a href={`/funds/plans/${c.plan.id}/plan.pdf`} download type="application/pdf">
                {t('funds.page.download')}
              </a>
            </p>
            <DataTable
              caption={t('funds.page.linesCaption')}
              rows={c.lines}
              rowKey={(l) => l.id}
              columns={[
                { header: '#', cell: (l) => l.position, rowHeader: true },
                {
                  header: t('funds.page.class'),
                  cell: (l) =>
                    `${t(`funds.class.${l.class}`)}${c.myLineIds.includes(l.id) ? ` (${t('funds.mine.you')})` : ''}`,
                },
                { header: t('funds.page.demand'), cell: (l) => formatMoney(l.demandFen), className: 'money' },
                {
                  header: t('funds.page.allocated'),
                  cell: (l) => formatMoney(l.allocatedFen),
                  className: 'money',
                },
                { header: t('funds.page.rule'), cell: (l) => t(`funds.rule.${l.rule}`), className: 'wrap' },
              ]}
            />
            {c.payments.length > 0 && (
              <DataTable
                caption={t('funds.mine.payments')}
                captionVisible
                rows={c.payments}
                rowKey={(p) => p.id}
                columns={[
                  {
                    header: t('funds.page.amount'),
                    cell: (p) => formatMoney(p.amountFen),
                    className: 'money',
                    rowHeader: true,
                  },
                  { header: t('funds.page.status'), cell: (p) => t(`aidPaymentStatus.${p.status}`) },
                  {
                    header: t('funds.mine.settledAt'),
                    cell: (p) => (p.settledAt ? formatDateTime(p.settledAt, locale) : '—'),
                  },
                ]}
              />
            )}
            {c.objections.map((o) => (
              <p key={o.id} className="notice">
                {t('funds.mine.objection', {
                  amount: formatMoney(o.disputedFen),
                  status: t(`funds.objectionStatus.${o.status}`),
                })}
              </p>
            ))}
            {c.can.object && (
              <PostForm
                intent="object"
                className="stack narrow"
                aria-label={t('funds.mine.objectTitle')}
                heading={<h3>{t('funds.mine.objectTitle')}</h3>}
                hiddenFields={{ planId: c.plan.id }}
                result={result}
                submitLabel={t('funds.mine.objectSubmit')}
              >
                {(a) => (
                  <>
                    <SelectField
                      name="lineId"
                      id={`object-line-${c.plan.id}`}
                      label={t('funds.page.line')}
                      options={c.lines.map((l) => ({
                        value: l.id,
                        label: `${l.position}. ${t(`funds.class.${l.class}`)} ${formatMoney(l.allocatedFen)}`,
                      }))}
                      errors={a?.fieldErrors?.lineId}
                    />
                    <Field
                      name="disputed"
                      id={`object-disputed-${c.plan.id}`}
                      label={t('funds.page.field.disputed')}
                      inputMode="decimal"
                      required
                      errors={a?.fieldErrors?.disputed}
                    />
                    <TextAreaField
                      name="reason"
                      id={`object-reason-${c.plan.id}`}
                      label={t('funds.page.reason')}
                      rows={3}
                      required
                      errors={a?.fieldErrors?.reason}
                    />
                  </>
                )}
              </PostForm>
            )}
          </article>
        );
      })}
    </section>
  );
}
