import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { formAction, formRefusal, idParam } from '../components/court/route.server';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { PageHead } from '../components/staff/page-head';
import { PostForm } from '../components/staff/post-form';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime } from '../utils/format';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = () => [{ title: 'Webhook 送达记录 · 最后一公里' }];

/** An endpoint's delivery log and the manual re-send (ADR 023). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const id = idParam(params, 'endpointId');
  return load(request, () => context.services.webhooks.deliveryLog(auth.actor, id));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const id = idParam(params, 'endpointId');
  const form = await readForm(request, context);
  const { intent, deliveryId } = formObject(form);
  if (intent !== 'resend') return formRefusal(String(intent), 400, { formError: 'errors.validation' });
  const delivery = z.uuid().safeParse(deliveryId);
  return formAction(request, 'resend', async () => {
    const r = await context.services.webhooks.resend(
      auth.actor,
      id,
      delivery.data ?? '',
      context.meta.requestId,
    );
    throw redirect(`/settings/webhooks/${id}?done=${r.resent ? 'resent' : 'alreadyPending'}`);
  });
}

export default function DeliveryLog() {
  const { endpoint, deliveries } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const when = (d: string | Date | null) => (d ? formatDateTime(d, locale) : '—');
  return (
    <section className="page" aria-labelledby="log-title">
      <PageHead
        id="log-title"
        title={t('webhooks.logTitle', { name: endpoint.name })}
        back={{ to: '/settings/webhooks', label: t('webhooks.back') }}
      >
        {endpoint.active ? t('webhooks.active') : t('webhooks.inactive')}
      </PageHead>
      <DoneNotice message={useDoneMessage('webhooks', ['resent', 'alreadyPending'])} />
      <p>
        <code>{endpoint.url}</code>
      </p>
      <h2 id="deliveries-title">{t('webhooks.log')}</h2>
      {deliveries.length === 0 ? (
        <p className="muted">{t('webhooks.emptyLog')}</p>
      ) : (
        <DataTable
          labelledBy="deliveries-title"
          rows={deliveries}
          rowKey={(d) => d.id}
          columns={[
            {
              header: t('webhooks.event'),
              cell: (d) => t(`webhooks.topic.${d.topic}`, d.topic),
              rowHeader: true,
            },
            {
              header: t('webhooks.subject'),
              cell: (d) => (d.subject ? <code>{d.subject.id.slice(0, 8)}</code> : '—'),
            },
            { header: t('webhooks.occurred'), cell: (d) => when(d.occurredAt) },
            { header: t('webhooks.status'), cell: (d) => t(`webhooks.statuses.${d.status}`) },
            { header: t('webhooks.attempts'), cell: (d) => d.attempts },
            {
              header: t('webhooks.lastAnswer'),
              cell: (d) => (d.lastAttempt ? (d.lastAttempt.statusCode ?? d.lastError ?? '—') : '—'),
            },
            {
              header: t('webhooks.nextAttempt'),
              cell: (d) => (d.status === 'pending' ? when(d.nextAttemptAt) : '—'),
            },
            {
              header: <span className="visually-hidden">{t('webhooks.resend')}</span>,
              cell: (d) =>
                d.can.resend && (
                  <PostForm
                    intent="resend"
                    hiddenFields={{ deliveryId: d.id }}
                    aria-label={`${t('webhooks.resend')} ${d.eventId}`}
                    submitLabel={t('webhooks.resend')}
                    submitClassName="link-button"
                  />
                ),
            },
          ]}
        />
      )}
    </section>
  );
}
