import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { formAction, formRefusal } from '../components/court/route.server';
import { Field } from '../components/forms';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { FormSection } from '../components/staff/form-section';
import { PageHead } from '../components/staff/page-head';
import { type ActionResult, PostForm } from '../components/staff/post-form';
import { courtLinks } from '../components/staff/stylesheets';
import { act, formObject, load, readForm, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = () => [{ title: 'Webhook · 最后一公里' }];

/** A court's or insurer's webhook endpoints (ADR 023): register (secret shown once), list, remove. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => ({
    endpoints: await context.services.webhooks.list(auth.actor),
    topics: context.services.webhooks.topics,
  }));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  const { intent, ...fields } = formObject(form, ['topics']);
  const requestId = context.meta.requestId;
  if (intent === 'register') {
    // The signing secret is in this answer only; at rest it is sealed.
    const input = { ...fields, topics: fields.topics ?? [] };
    const result = await act(request, () => context.services.webhooks.register(auth.actor, input, requestId));
    if ('secret' in result) return data({ intent: 'register', registered: result });
    return result;
  }
  if (intent === 'remove') {
    const id = z.uuid().safeParse(fields.id);
    return formAction(request, 'remove', async () => {
      await context.services.webhooks.remove(auth.actor, id.data ?? '', requestId);
      throw redirect('/settings/webhooks?done=removed');
    });
  }
  return formRefusal(String(intent), 400, { formError: 'errors.validation' });
}

export default function Webhooks() {
  const { endpoints, topics } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as
    | (ActionResult & { registered?: { id: string; secret: string } })
    | undefined;
  const { t } = useTranslation();
  return (
    <section className="page" aria-labelledby="webhooks-title">
      <PageHead id="webhooks-title" title={t('webhooks.title')} />
      <DoneNotice message={useDoneMessage('webhooks', ['removed'])} />
      <p>{t('webhooks.intro')}</p>
      <p className="muted">{t('webhooks.docs')}</p>
      {answer?.registered && (
        <div role="status" className="notice" data-testid="webhook-secret">
          <p>{t('webhooks.registered')}</p>
          <p>
            {t('webhooks.secret')}: <code>{answer.registered.secret}</code>
          </p>
        </div>
      )}
      <h2 id="endpoints-list">{t('webhooks.list')}</h2>
      {endpoints.length === 0 ? (
        <p className="muted">{t('webhooks.empty')}</p>
      ) : (
        <DataTable
          labelledBy="endpoints-list"
          rows={endpoints}
          rowKey={(e) => e.id}
          columns={[
            {
              header: t('webhooks.name'),
              cell: (e) => <Link to={`/settings/webhooks/${e.id}`}>{e.name}</Link>,
              rowHeader: true,
            },
            { header: t('webhooks.url'), cell: (e) => <code>{e.url}</code> },
            {
              header: t('webhooks.topics'),
              cell: (e) => e.topics.map((x) => t(`webhooks.topic.${x}`)).join('、'),
            },
            {
              header: t('webhooks.state'),
              cell: (e) => (e.active ? t('webhooks.active') : t('webhooks.inactive')),
            },
            {
              header: t('webhooks.log'),
              cell: (e) => t('webhooks.counts', { delivered: e.delivered, pending: e.pending, dead: e.dead }),
            },
            {
              header: <span className="visually-hidden">{t('webhooks.remove')}</span>,
              cell: (e) =>
                e.can.remove && (
                  <PostForm
                    intent="remove"
                    hiddenFields={{ id: e.id }}
                    aria-label={`${t('webhooks.remove')} ${e.name}`}
                    submitLabel={t('webhooks.remove')}
                    submitClassName="link-button"
                  />
                ),
            },
          ]}
        />
      )}
      <PostForm
        key={answer?.registered?.id ?? 'register'}
        className="stack narrow"
        sectionTitle={{ id: 'register-webhook', text: t('webhooks.register') }}
        intent="register"
        result={answer?.registered ? undefined : answer}
        submitLabel={t('webhooks.register')}
      >
        {(r) => (
          <>
            <Field
              name="name"
              id="webhook-name"
              label={t('webhooks.name')}
              required
              errors={r?.fieldErrors?.name}
            />
            <Field
              name="url"
              id="webhook-url"
              type="url"
              inputMode="url"
              label={t('webhooks.url')}
              help={t('webhooks.urlHelp')}
              required
              errors={r?.fieldErrors?.url}
            />
            <FormSection id="webhook-topics" legend={t('webhooks.topics')} errors={r?.fieldErrors?.topics}>
              {topics.map((x) => (
                <label key={x} className="checkbox">
                  <input type="checkbox" name="topics" value={x} defaultChecked /> {t(`webhooks.topic.${x}`)}
                </label>
              ))}
            </FormSection>
          </>
        )}
      </PostForm>
    </section>
  );
}
