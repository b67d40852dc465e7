import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Field, SelectField } from '../components/forms';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice } from '../components/staff/done-notice';
import { FormSection } from '../components/staff/form-section';
import { PageHead } from '../components/staff/page-head';
import { type ActionResult, PostForm } from '../components/staff/post-form';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime } from '../utils/format';
import { act, formObject, load, readForm, requireAuth } from '../utils/route.server';

export const links = courtLinks;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => ({
    staff: await context.services.identity.listStaff(auth.actor),
    organisations: await context.services.identity.staffOrganisations(auth.actor),
  }));
}

const Intent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('create') }),
  z.object({ intent: z.literal('revoke'), userId: z.uuid() }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  const fields = formObject(form, ['roles']);
  const intent = Intent.safeParse(fields);
  if (!intent.success) return data({ formError: 'errors.validation' }, { status: 400 });
  return act(request, async () => {
    if (intent.data.intent === 'revoke') {
      const count = await context.services.identity.revokeUserSessions(auth.actor, intent.data.userId);
      return { ok: 'staff.revoked', count };
    }
    await context.services.identity.createStaffUser(auth.actor, fields, context.meta);
    return { ok: 'staff.created', count: 0 };
  });
}

export default function Staff() {
  const { staff, organisations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const locale = en ? 'en' : 'zh-CN';
  const refused: ActionResult | undefined = result && 'formError' in result ? result : undefined;
  const errors = refused?.fieldErrors;
  const roleOptions = [...new Set(organisations.flatMap((o) => o.roles))];
  return (
    <section className="page" aria-labelledby="staff-title">
      <PageHead id="staff-title" title={t('staff.title')} />
      <DoneNotice message={result && 'ok' in result ? t(result.ok, { count: result.count }) : null} />
      <DataTable
        labelledBy="staff-title"
        rows={staff}
        rowKey={(u) => u.id}
        columns={[
          { header: t('staff.realName'), cell: (u) => u.realName, rowHeader: true },
          { header: t('staff.email'), cell: (u) => u.email },
          { header: t('staff.organisation'), cell: (u) => (en ? u.orgNameEn : u.orgNameZh) },
          { header: t('staff.roles'), cell: (u) => u.roles.map((r) => t(`roles.${r}`)).join('、') },
          {
            header: t('staff.lastLogin'),
            cell: (u) => (u.lastLoginAt ? formatDateTime(u.lastLoginAt, locale) : t('staff.never')),
          },
          {
            header: <span className="visually-hidden">{t('staff.revokeSessions')}</span>,
            cell: (u) => (
              <PostForm
                intent="revoke"
                hiddenFields={{ userId: u.id }}
                submitLabel={t('staff.revokeSessions')}
                submitClassName="link-button"
              />
            ),
          },
        ]}
      />

      <PostForm
        className="stack narrow"
        sectionTitle={{ id: 'create-staff', text: t('staff.createTitle') }}
        intent="create"
        result={refused}
        submitLabel={t('common.create')}
      >
        <SelectField
          name="organisationId"
          label={t('staff.organisation')}
          required
          options={organisations.map((o) => ({ value: o.id, label: en ? o.nameEn : o.nameZh }))}
          errors={errors?.organisationId}
        />
        <FormSection id="roles" legend={t('staff.roles')} errors={errors?.roles}>
          {roleOptions.map((r) => (
            <label key={r} className="checkbox">
              <input type="checkbox" name="roles" value={r} /> {t(`roles.${r}`)}
            </label>
          ))}
        </FormSection>
        <Field name="realName" label={t('auth.realName')} required errors={errors?.realName} />
        <Field name="email" type="email" label={t('auth.email')} required errors={errors?.email} />
        <Field name="phone" type="tel" label={t('auth.phone')} errors={errors?.phone} />
        <Field
          name="password"
          type="password"
          label={t('auth.password')}
          help={t('auth.passwordHelp')}
          autoComplete="new-password"
          required
          errors={errors?.password}
        />
      </PostForm>
    </section>
  );
}
