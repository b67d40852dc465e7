import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { STAFF_ROLES_BY_ORG_KIND } from '../../server/identity/permissions';
import { CsrfInput, Field, FormError, SelectField } from '../components/forms';
import { formatDateTime } from '../utils/format';
import { act, formObject, load, readForm, requireAuth } from '../utils/route.server';

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
  const busy = useNavigation().state === 'submitting';
  const en = i18n.language === 'en';
  const locale = en ? 'en' : 'zh-CN';
  const errors = result && 'fieldErrors' in result ? result.fieldErrors : undefined;
  const roleOptions = [...new Set(organisations.flatMap((o) => STAFF_ROLES_BY_ORG_KIND[o.kind]))];
  return (
    <section className="page" aria-labelledby="staff-title">
      <h1 id="staff-title">{t('staff.title')}</h1>
      {result && 'ok' in result && (
        <p role="status" className="notice">
          {t(result.ok, { count: result.count })}
        </p>
      )}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('staff.realName')}</th>
              <th scope="col">{t('staff.email')}</th>
              <th scope="col">{t('staff.organisation')}</th>
              <th scope="col">{t('staff.roles')}</th>
              <th scope="col">{t('staff.lastLogin')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('staff.revokeSessions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {staff.map((u) => (
              <tr key={u.id}>
                <td>{u.realName}</td>
                <td>{u.email}</td>
                <td>{en ? u.orgNameEn : u.orgNameZh}</td>
                <td>{u.roles.map((r) => t(`roles.${r}`)).join('、')}</td>
                <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt, locale) : t('staff.never')}</td>
                <td>
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="userId" value={u.id} />
                    <button type="submit" className="link-button">
                      {t('staff.revokeSessions')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 id="create-staff">{t('staff.createTitle')}</h2>
      <Form method="post" className="stack narrow" aria-labelledby="create-staff" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="create" />
        {result && 'formError' in result && <FormError error={result.formError} />}
        <SelectField
          name="organisationId"
          label={t('staff.organisation')}
          required
          options={organisations.map((o) => ({ value: o.id, label: en ? o.nameEn : o.nameZh }))}
          errors={errors?.organisationId}
        />
        <fieldset className="field" aria-describedby={errors?.roles ? 'roles-error' : undefined}>
          <legend>{t('staff.roles')}</legend>
          {roleOptions.map((r) => (
            <label key={r} className="checkbox">
              <input type="checkbox" name="roles" value={r} /> {t(`roles.${r}`)}
            </label>
          ))}
          {errors?.roles && (
            <p id="roles-error" className="field-error">
              {errors.roles.map((e) => t(e)).join(' ')}
            </p>
          )}
        </fieldset>
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
        <button type="submit" className="button" disabled={busy}>
          {t('common.create')}
        </button>
      </Form>
    </section>
  );
}
