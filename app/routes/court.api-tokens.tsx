import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { TOKEN_LIFETIMES, TOKEN_SCOPES } from '../../server/identity/schemas';
import { formAction, formRefusal } from '../components/court/route.server';
import { Field, SelectField } from '../components/forms';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { FormSection } from '../components/staff/form-section';
import { PageHead } from '../components/staff/page-head';
import { type ActionResult, PostForm } from '../components/staff/post-form';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime } from '../utils/format';
import { act, formObject, load, readForm, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = () => [{ title: 'API 令牌 · 最后一公里' }];

/** The court administrator's API tokens (ADR 023): issue (shown once), list, revoke. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => ({
    tokens: await context.services.apiTokens.list(auth.actor),
    staff: (await context.services.identity.listStaff(auth.actor)).filter(
      (u) => u.organisationId === auth.actor.organisationId,
    ),
  }));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  const { intent, ...fields } = formObject(form, ['scopes']);
  if (intent === 'issue') {
    // The token is in this answer only; the database keeps its SHA-256.
    // No box ticked is no scope (the service's default of both is for API callers that say nothing).
    const input = { ...fields, scopes: fields.scopes ?? [] };
    const result = await act(request, () => context.services.apiTokens.issue(auth.actor, input));
    if ('token' in result) return data({ intent: 'issue', issued: { token: result.token } });
    return result;
  }
  if (intent === 'revoke') {
    const id = z.uuid().safeParse(fields.id);
    return formAction(request, 'revoke', async () => {
      await context.services.apiTokens.revoke(auth.actor, id.data ?? '');
      throw redirect('/court/api-tokens?done=revoked');
    });
  }
  return formRefusal(String(intent), 400, { formError: 'errors.validation' });
}

export default function ApiTokens() {
  const { tokens, staff } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as
    | (ActionResult & { issued?: { token: string } })
    | undefined;
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const when = (d: string | Date | null, none: string) => (d ? formatDateTime(d, locale) : none);
  return (
    <section className="page" aria-labelledby="tokens-title">
      <PageHead id="tokens-title" title={t('tokens.title')} />
      <DoneNotice message={useDoneMessage('tokens', ['revoked'])} />
      <p>{t('tokens.intro')}</p>
      {answer?.issued && (
        <div role="status" className="notice" data-testid="issued-token">
          <p>{t('tokens.issued')}</p>
          <p>
            {t('tokens.token')}: <code>{answer.issued.token}</code>
          </p>
        </div>
      )}
      <h2 id="tokens-list">{t('tokens.list')}</h2>
      {tokens.length === 0 ? (
        <p className="muted">{t('tokens.empty')}</p>
      ) : (
        <DataTable
          labelledBy="tokens-list"
          rows={tokens}
          rowKey={(k) => k.id}
          columns={[
            { header: t('tokens.name'), cell: (k) => k.name, rowHeader: true },
            { header: t('tokens.prefix'), cell: (k) => <code>{k.prefix}…</code> },
            { header: t('tokens.actsAs'), cell: (k) => k.actsAsName },
            {
              header: t('tokens.scopes'),
              cell: (k) => k.scopes.map((s) => t(`tokens.scope.${s}`)).join('、'),
            },
            { header: t('tokens.expiresAt'), cell: (k) => when(k.expiresAt, t('tokens.never')) },
            { header: t('tokens.lastUsed'), cell: (k) => when(k.lastUsedAt, t('tokens.neverUsed')) },
            { header: t('tokens.state'), cell: (k) => t(`tokens.states.${k.state}`) },
            {
              header: <span className="visually-hidden">{t('tokens.revoke')}</span>,
              cell: (k) =>
                k.can.revoke && (
                  <PostForm
                    intent="revoke"
                    hiddenFields={{ id: k.id }}
                    aria-label={`${t('tokens.revoke')} ${k.name}`}
                    submitLabel={t('tokens.revoke')}
                    submitClassName="link-button"
                  />
                ),
            },
          ]}
        />
      )}
      <PostForm
        key={answer?.issued?.token ?? 'issue'}
        className="stack narrow"
        sectionTitle={{ id: 'issue-token', text: t('tokens.issue') }}
        intent="issue"
        result={answer?.issued ? undefined : answer}
        submitLabel={t('tokens.issue')}
      >
        {(r) => (
          <>
            <Field
              name="name"
              id="token-name"
              label={t('tokens.name')}
              required
              errors={r?.fieldErrors?.name}
            />
            <SelectField
              name="actsAs"
              id="token-actsAs"
              label={t('tokens.actsAs')}
              help={t('tokens.actsAsHelp')}
              options={staff.map((u) => ({
                value: u.id,
                label: `${u.realName}（${u.roles.map((role) => t(`roles.${role}`)).join('、')}）`,
              }))}
              errors={r?.fieldErrors?.actsAs}
            />
            <FormSection id="token-scopes" legend={t('tokens.scopes')} errors={r?.fieldErrors?.scopes}>
              {TOKEN_SCOPES.map((s) => (
                <label key={s} className="checkbox">
                  <input type="checkbox" name="scopes" value={s} defaultChecked /> {t(`tokens.scope.${s}`)}
                </label>
              ))}
            </FormSection>
            <SelectField
              name="expiresInDays"
              id="token-expires"
              label={t('tokens.expires')}
              defaultValue="365"
              options={[
                ...TOKEN_LIFETIMES.map((d) => ({ value: String(d), label: t('tokens.days', { count: d }) })),
                { value: '', label: t('tokens.never') },
              ]}
              errors={r?.fieldErrors?.expiresInDays}
            />
          </>
        )}
      </PostForm>
    </section>
  );
}
