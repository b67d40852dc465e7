import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { formAction } from '../components/court/route.server';
import { Field, SelectField } from '../components/forms';
import { ActionForm } from '../components/staff/action-bar';
import { DataTable } from '../components/staff/data-table';
import { PageHead } from '../components/staff/page-head';
import { type ActionResult, answerFor } from '../components/staff/post-form';
import { act, formObject, load, readForm, requireAuth } from '../utils/route.server';

export const meta: MetaFunction = () => [{ title: '联合惩戒单位 · 最后一公里' }];

/** The joint-punishment partners (ADR 019): their check token and signed feed, and its backlog. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => ({ partners: await context.services.credit.listPartners(auth.actor) }));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  const { intent, id, ...fields } = formObject(form);
  if (intent === 'revokePartner') {
    const partnerId = z.uuid().safeParse(id).data ?? '';
    return formAction(request, 'revokePartner', async () => {
      await context.services.credit.revokePartner(auth.actor, partnerId, context.meta.requestId);
      throw redirect('/admin/credit-partners?done=revokePartner');
    });
  }
  // The token and the secret are shown once, in this answer, never again.
  const result = await act(request, () => context.services.credit.createPartner(auth.actor, fields));
  if (result && 'token' in result) return data({ intent: 'createPartner', created: result });
  return result;
}

export default function CreditPartners() {
  const { partners } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as
    | (ActionResult & { created?: { token: string; secret: string | null } })
    | undefined;
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const revoked = params.get('done') === 'revokePartner';
  return (
    <section className="page" aria-labelledby="partners-title">
      <PageHead id="partners-title" title={t('credit.partners.title')} />
      {revoked && (
        <p role="status" className="notice">
          {t('credit.partners.doneRevoke')}
        </p>
      )}
      {answer?.created && (
        <div role="status" className="notice" data-testid="partner-secrets">
          <p>{t('credit.partners.once')}</p>
          <p>
            {t('credit.partners.token')}: <code>{answer.created.token}</code>
          </p>
          {answer.created.secret && (
            <p>
              {t('credit.partners.secret')}: <code>{answer.created.secret}</code>
            </p>
          )}
        </div>
      )}
      <h2 id="partners-list">{t('credit.partners.title')}</h2>
      <DataTable
        labelledBy="partners-list"
        rows={partners}
        rowKey={(p) => p.id}
        columns={[
          { header: t('credit.partners.name'), cell: (p) => p.name, rowHeader: true },
          { header: t('credit.partners.kind'), cell: (p) => t(`credit.partners.kinds.${p.kind}`) },
          { header: t('credit.partners.token'), cell: (p) => <code>{p.token_prefix}…</code> },
          { header: t('credit.partners.feed'), cell: (p) => p.url ?? '—' },
          {
            header: t('credit.partners.backlog'),
            cell: (p) =>
              t('credit.partners.counts', { delivered: p.delivered, pending: p.pending, dead: p.dead }),
          },
          {
            header: t('credit.partners.status'),
            cell: (p) =>
              p.revoked_at ? (
                <span data-testid="partner-status">{t('credit.partners.revoked')}</span>
              ) : (
                <ActionForm
                  intent="revokePartner"
                  label={`${t('credit.partners.revoke')} ${p.name}`}
                  submitLabel={t('credit.partners.revoke')}
                  titled={false}
                  danger
                  hiddenFields={{ id: p.id }}
                  result={answerFor(answer, 'revokePartner')}
                />
              ),
          },
        ]}
      />
      <ActionForm
        intent="createPartner"
        label={t('credit.partners.create')}
        result={answer?.created ? undefined : answer}
      >
        {(r) => (
          <>
            <Field
              name="name"
              id="partner-name"
              label={t('credit.partners.name')}
              required
              errors={r?.fieldErrors?.name}
            />
            <SelectField
              name="kind"
              id="partner-kind"
              label={t('credit.partners.kind')}
              options={(['airline', 'railway', 'credit_bureau', 'other'] as const).map((k) => ({
                value: k,
                label: t(`credit.partners.kinds.${k}`),
              }))}
            />
            <Field
              name="url"
              id="partner-url"
              type="url"
              label={t('credit.partners.url')}
              help={t('credit.partners.urlHelp')}
              errors={r?.fieldErrors?.url}
            />
          </>
        )}
      </ActionForm>
    </section>
  );
}
