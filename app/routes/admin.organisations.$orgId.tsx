import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { formAction, formRefusal, idParam } from '../components/court/route.server';
import { Field, TextAreaField } from '../components/forms';
import { OrganisationFields } from '../components/onboarding/organisation-fields';
import { ActionBar } from '../components/staff/action-bar';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { PageHead } from '../components/staff/page-head';
import { type ActionResult, answerFor, PostForm } from '../components/staff/post-form';
import { formatDateTime } from '../utils/format';
import { act, formObject, load, readForm, requireAuth } from '../utils/route.server';

export const meta: MetaFunction = () => [{ title: '机构 · 最后一公里' }];

/** One court or insurer: its details, its administrators, suspension (ADR 023). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const id = idParam(params, 'orgId');
  return load(request, async () => ({
    ...(await context.services.organisations.get(auth.actor, id)),
    parents: await context.services.organisations.parentChoices(auth.actor),
  }));
}

const DONE = ['created', 'saved', 'suspendedDone', 'reinstated'] as const;

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const id = idParam(params, 'orgId');
  const form = await readForm(request, context);
  const { intent, ...fields } = formObject(form);
  const orgs = context.services.organisations;
  const requestId = context.meta.requestId;
  const back = (done: (typeof DONE)[number]) => redirect(`/admin/organisations/${id}?done=${done}`);
  switch (intent) {
    case 'update':
      return formAction(request, 'update', async () => {
        await orgs.update(auth.actor, id, fields, requestId);
        throw back('saved');
      });
    case 'createAdmin': {
      // The initial password is in this answer only: never stored in clear, never shown again.
      const result = await act(request, () => orgs.createFirstAdmin(auth.actor, id, fields, requestId));
      if ('password' in result) return data({ intent: 'createAdmin', created: result });
      return result;
    }
    case 'suspend':
      return formAction(request, 'suspend', async () => {
        await orgs.suspend(auth.actor, id, fields, requestId);
        throw back('suspendedDone');
      });
    case 'reinstate':
      return formAction(request, 'reinstate', async () => {
        await orgs.reinstate(auth.actor, id, requestId);
        throw back('reinstated');
      });
    default:
      return formRefusal(String(intent), 400, { formError: 'errors.validation' });
  }
}

export default function OrganisationPage() {
  const { org, admins, can, parents } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as
    | (ActionResult & { created?: { email: string; password: string } })
    | undefined;
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const locale = en ? 'en' : 'zh-CN';
  const done = useDoneMessage('orgs', DONE);
  const kind = org.kind === 'insurer' ? 'insurer' : 'court';
  return (
    <section className="page" aria-labelledby="org-title">
      <PageHead
        id="org-title"
        title={en ? org.nameEn : org.nameZh}
        back={{ to: '/admin/organisations', label: t('orgs.title') }}
      >
        {org.suspendedAt ? t('orgs.suspended') : t('orgs.active')}
      </PageHead>
      <DoneNotice message={done} />
      {org.suspendedAt && (
        <p className="notice">
          {t('orgs.suspendedSince', {
            at: formatDateTime(org.suspendedAt, locale),
            reason: org.suspendedReason ?? '',
          })}
        </p>
      )}
      {answer?.created && (
        <div role="status" className="notice" data-testid="initial-password">
          <p>{t('orgs.adminCreated')}</p>
          <p>
            {t('orgs.adminEmail')}: <code>{answer.created.email}</code>
          </p>
          <p>
            {t('orgs.initialPassword')}: <code>{answer.created.password}</code>
          </p>
        </div>
      )}
      <h2 id="admins-title">{t('orgs.admins')}</h2>
      {admins.length === 0 ? (
        <p className="muted">{t('orgs.noAdmin')}</p>
      ) : (
        <DataTable
          labelledBy="admins-title"
          rows={admins}
          rowKey={(a) => a.id}
          columns={[
            { header: t('staff.realName'), cell: (a) => a.realName, rowHeader: true },
            { header: t('staff.email'), cell: (a) => a.email },
            {
              header: t('staff.lastLogin'),
              cell: (a) => (a.lastLoginAt ? formatDateTime(a.lastLoginAt, locale) : t('staff.never')),
            },
          ]}
        />
      )}
      <ActionBar
        key={`${org.suspendedAt ? 's' : 'a'}${admins.length}`}
        can={can}
        result={answer?.created ? undefined : answer}
        actions={[
          {
            intent: 'createAdmin',
            label: t('orgs.createAdmin'),
            help: t('orgs.createAdminHelp'),
            fields: (r) => (
              <>
                <Field
                  name="realName"
                  id="admin-realName"
                  label={t('auth.realName')}
                  required
                  errors={r?.fieldErrors?.realName}
                />
                <Field
                  name="email"
                  id="admin-email"
                  type="email"
                  label={t('auth.email')}
                  required
                  errors={r?.fieldErrors?.email}
                />
                <Field
                  name="phone"
                  id="admin-phone"
                  type="tel"
                  label={t('auth.phone')}
                  errors={r?.fieldErrors?.phone}
                />
              </>
            ),
          },
          {
            intent: 'suspend',
            label: t('orgs.suspend'),
            help: t('orgs.suspendHelp'),
            danger: true,
            fields: (r) => (
              <TextAreaField
                name="reason"
                id="suspend-reason"
                label={t('orgs.suspendReason')}
                required
                rows={2}
                errors={r?.fieldErrors?.reason}
              />
            ),
          },
          { intent: 'reinstate', label: t('orgs.reinstate'), help: t('orgs.reinstateHelp') },
        ]}
      />
      {can.edit && (
        <PostForm
          key={`edit-${org.code}-${org.nameZh}`}
          className="stack narrow"
          sectionTitle={{ id: 'edit-org', text: t('orgs.edit') }}
          intent="update"
          result={answerFor(answer, 'update')}
          submitLabel={t('orgs.edit')}
        >
          {(r) => (
            <OrganisationFields
              idPrefix="edit"
              kind={kind}
              values={org}
              parents={parents.filter((p) => p.id !== org.id)}
              errors={r?.fieldErrors}
            />
          )}
        </PostForm>
      )}
    </section>
  );
}
