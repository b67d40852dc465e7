import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { formAction, formRefusal } from '../components/court/route.server';
import { SelectField, TextAreaField } from '../components/forms';
import { ActionBar } from '../components/staff/action-bar';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { PageHead } from '../components/staff/page-head';
import type { ActionResult } from '../components/staff/post-form';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

export const meta: MetaFunction = () => [{ title: '失信名单复议 · 最后一公里' }];

/** The higher court's queue of appeals against rejected correction requests (失信规定 art. 12). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => ({ appeals: await context.services.credit.appealsToDecide(auth.actor) }));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  if (form.get('intent') !== 'decideAppeal')
    return formRefusal(String(form.get('intent')), 400, { formError: 'errors.validation' });
  const { intent: _, id, ...fields } = formObject(form);
  const parsed = z.uuid().safeParse(id);
  return formAction(request, 'decideAppeal', async () => {
    await context.services.credit.decideAppeal(auth.actor, parsed.data ?? '', fields);
    throw redirect('/court/credit-appeals?done=decideAppeal');
  });
}

export default function CreditAppeals() {
  const { appeals } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const { t } = useTranslation();
  const done = useDoneMessage('credit.done', ['decideAppeal']);
  return (
    <section className="page" aria-labelledby="appeals-title">
      <PageHead id="appeals-title" title={t('credit.appeals.title')} />
      <DoneNotice message={done} />
      {appeals.length === 0 && <p className="muted">{t('credit.appeals.none')}</p>}
      {appeals.map((a) => (
        <article key={a.correction.id} className="card stack" aria-label={a.name}>
          <p>
            <strong>{a.name}</strong> · {a.caseNumber} ·{' '}
            {t('credit.appealDue', { dueOn: a.correction.appealDueOn })}
          </p>
          <p>{a.correction.reason}</p>
          <p className="muted">{a.correction.decision}</p>
          <ActionBar
            key={`${a.correction.id}-${a.correction.status}`}
            can={{ decideAppeal: a.can.decideAppeal }}
            result={result}
            actions={[
              {
                intent: 'decideAppeal',
                label: t('credit.do.decideAppeal'),
                hiddenFields: { id: a.correction.id },
                fields: (r) => (
                  <>
                    <SelectField
                      name="outcome"
                      id={`appeal-outcome-${a.correction.id}`}
                      label={t('credit.field.outcome')}
                      options={(['uphold', 'reject'] as const).map((o) => ({
                        value: o,
                        label: t(`credit.outcome.${o}`),
                      }))}
                    />
                    <TextAreaField
                      name="decision"
                      id={`appeal-decision-${a.correction.id}`}
                      label={t('credit.field.decision')}
                      rows={2}
                      required
                      errors={r?.fieldErrors?.decision}
                    />
                  </>
                ),
              },
            ]}
          />
        </article>
      ))}
    </section>
  );
}
