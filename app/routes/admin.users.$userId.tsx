import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useLocale } from '../components/court/display';
import { formAction, formRefusal, idParam } from '../components/court/route.server';
import { Field } from '../components/forms';
import { pageTitle } from '../components/public/meta';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice } from '../components/staff/done-notice';
import { FormSection } from '../components/staff/form-section';
import { PageHead } from '../components/staff/page-head';
import { type ActionResult, PostForm } from '../components/staff/post-form';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime } from '../utils/format';
import { act, formObject, load, readForm, requireAuth } from '../utils/route.server';

export const links = courtLinks;
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'accounts.list.title');

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const userId = idParam(params, 'userId');
  return load(request, () => context.services.identity.accountDetail(auth.actor, userId));
}

const Intent = z.object({ intent: z.enum(['disable', 'enable', 'endSessions', 'roles', 'reset']) });

/** What each successful step says (`?done=`), by whether it changed anything. */
const DONE = [
  'disabled',
  'alreadyDisabled',
  'enabled',
  'alreadyEnabled',
  'sessionsEnded',
  'rolesSaved',
  'rolesUnchanged',
] as const;

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const userId = idParam(params, 'userId');
  const form = await readForm(request, context);
  // The account must be the actor's to administer before any field is read (403 / 404 first).
  await load(request, () => context.services.identity.accountDetail(auth.actor, userId));
  const fields = formObject(form, ['roles']);
  const parsed = Intent.safeParse(fields);
  if (!parsed.success) return formRefusal('unknown', 400, { formError: 'errors.validation' });
  const { intent } = parsed.data;
  const ids = context.services.identity;
  const meta = { requestId: context.meta.requestId, locale: context.locale };
  const back = (done: (typeof DONE)[number], count?: number) =>
    redirect(`/admin/users/${userId}?done=${done}${count === undefined ? '' : `&count=${count}`}`);
  if (intent === 'reset') {
    // The link is shown this once, in the answer to this post: never in an address or a log.
    const issued = await act(request, () => ids.issuePasswordReset(auth.actor, userId, meta));
    if ('token' in issued)
      return data({
        intent,
        resetUrl: `${new URL(request.url).origin}/reset-password/${issued.token}`,
        expiresAt: issued.expiresAt,
        sentTo: issued.sentTo,
      });
    return data({ ...(issued.data as object), intent }, issued.init ?? { status: 400 });
  }
  return formAction(request, intent, async () => {
    if (intent === 'disable') {
      const r = await ids.disableAccount(auth.actor, userId, fields, meta);
      throw back(r.changed ? 'disabled' : 'alreadyDisabled', r.sessionsEnded);
    }
    if (intent === 'enable') {
      const r = await ids.enableAccount(auth.actor, userId, fields, meta);
      throw back(r.changed ? 'enabled' : 'alreadyEnabled');
    }
    if (intent === 'endSessions') {
      const r = await ids.endAccountSessions(auth.actor, userId, meta);
      throw back('sessionsEnded', r.sessionsEnded);
    }
    const r = await ids.setAccountRoles(auth.actor, userId, { roles: fields.roles }, meta);
    throw back(r.changed ? 'rolesSaved' : 'rolesUnchanged');
  });
}

export default function Account() {
  const {
    account: a,
    liveSessions,
    pendingReset,
    recent,
    assignableRoles,
    can,
    self,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as
    | (ActionResult & { resetUrl?: string; expiresAt?: string; sentTo?: string | null })
    | undefined;
  const { t } = useTranslation();
  const locale = useLocale();
  const en = locale === 'en';
  const when = (d: Date | string) => formatDateTime(d, locale);
  const [search] = useSearchParams();
  const doneKey = DONE.find((d) => d === search.get('done'));
  const done = doneKey ? t(`accounts.detail.${doneKey}`, { count: Number(search.get('count') ?? 0) }) : null;
  const status = a.disabled ? 'disabled' : a.locked ? 'locked' : 'active';
  return (
    <section className="page" aria-labelledby="account-title">
      <PageHead
        id="account-title"
        title={t('accounts.detail.title', { name: a.realName })}
        back={{ to: '/admin/users', label: t('accounts.detail.back') }}
      />
      <DoneNotice message={done} />
      {result?.resetUrl && (
        <div role="status" className="notice">
          <p>{t('accounts.detail.resetIssued', { at: when(result.expiresAt!) })}</p>
          {result.sentTo && <p>{t('accounts.detail.resetSent', { to: result.sentTo })}</p>}
          <label htmlFor="reset-url">{t('accounts.detail.resetLink')}</label>
          <input id="reset-url" readOnly value={result.resetUrl} onFocus={(e) => e.target.select()} />
        </div>
      )}
      <dl className="facts">
        <dt>{t('accounts.list.email')}</dt>
        <dd>{a.email}</dd>
        <dt>{t('accounts.detail.phone')}</dt>
        <dd>{a.phone ?? '—'}</dd>
        <dt>{t('accounts.list.organisation')}</dt>
        <dd>
          {a.organisation
            ? en
              ? a.organisation.nameEn
              : a.organisation.nameZh
            : t('accounts.list.noOrganisation')}
        </dd>
        <dt>{t('accounts.list.roles')}</dt>
        <dd>{a.roles.map((r) => t(`roles.${r}`)).join('、')}</dd>
        <dt>{t('accounts.list.status')}</dt>
        <dd data-testid="account-status">
          {t(`accounts.status.${status}`)}
          {a.locked && a.lockedUntil && ` (${t('accounts.detail.lockedUntil', { at: when(a.lockedUntil) })})`}
        </dd>
        <dt>{t('accounts.detail.liveSessions')}</dt>
        <dd>{liveSessions}</dd>
        <dt>{t('accounts.detail.lastLogin')}</dt>
        <dd>{a.lastLoginAt ? when(a.lastLoginAt) : t('accounts.list.never')}</dd>
        <dt>{t('accounts.detail.createdAt')}</dt>
        <dd>{when(a.createdAt)}</dd>
      </dl>
      {pendingReset && (
        <p className="muted">{t('accounts.detail.pendingReset', { at: when(pendingReset.expiresAt) })}</p>
      )}
      {self && <p className="notice">{t('accounts.detail.selfNote')}</p>}

      {can.disable && (
        <PostForm
          className="stack narrow"
          sectionTitle={{ id: 'disable-title', text: t('accounts.detail.disableTitle') }}
          intent="disable"
          result={result}
          submitLabel={t('accounts.detail.disable')}
          submitClassName="button button-secondary"
        >
          {(answer) => (
            <>
              <p className="muted">{t('accounts.detail.disableHelp')}</p>
              <Field name="reason" label={t('accounts.detail.reason')} errors={answer?.fieldErrors?.reason} />
            </>
          )}
        </PostForm>
      )}
      {can.enable && (
        <PostForm
          className="stack narrow"
          sectionTitle={{ id: 'enable-title', text: t('accounts.detail.enableTitle') }}
          intent="enable"
          result={result}
          submitLabel={t('accounts.detail.enable')}
        >
          {(answer) => (
            <Field name="reason" label={t('accounts.detail.reason')} errors={answer?.fieldErrors?.reason} />
          )}
        </PostForm>
      )}
      {can.endSessions && liveSessions > 0 && (
        <PostForm
          className="stack narrow"
          sectionTitle={{ id: 'sessions-title', text: t('accounts.detail.endSessions') }}
          intent="endSessions"
          result={result}
          submitLabel={t('accounts.detail.endSessions')}
          submitClassName="button button-secondary"
        >
          <p className="muted">{t('accounts.detail.endSessionsHelp')}</p>
        </PostForm>
      )}
      {can.editRoles ? (
        <PostForm
          className="stack narrow"
          sectionTitle={{ id: 'roles-title', text: t('accounts.detail.rolesTitle') }}
          intent="roles"
          result={result}
          submitLabel={t('accounts.detail.saveRoles')}
        >
          {(answer) => (
            <FormSection id="roles" legend={t('accounts.list.roles')} errors={answer?.fieldErrors?.roles}>
              <p className="muted">{t('accounts.detail.rolesHelp')}</p>
              {assignableRoles.map((r) => (
                <label key={r} className="checkbox">
                  <input type="checkbox" name="roles" value={r} defaultChecked={a.roles.includes(r)} />{' '}
                  {t(`roles.${r}`)}
                </label>
              ))}
            </FormSection>
          )}
        </PostForm>
      ) : (
        <p className="muted">{t('accounts.detail.rolesFixed')}</p>
      )}
      {can.resetPassword && (
        <PostForm
          className="stack narrow"
          sectionTitle={{ id: 'reset-title', text: t('accounts.detail.resetTitle') }}
          intent="reset"
          result={result}
          submitLabel={t('accounts.detail.issueReset')}
          submitClassName="button button-secondary"
        >
          <p className="muted">{t('accounts.detail.resetHelp')}</p>
        </PostForm>
      )}

      <h2 id="recent-title">{t('accounts.detail.recent')}</h2>
      <DataTable
        labelledBy="recent-title"
        rows={recent}
        rowKey={(e) => String(e.id)}
        columns={[
          { header: t('accounts.audit.at'), cell: (e) => when(e.at), rowHeader: true },
          { header: t('accounts.audit.actionCol'), cell: (e) => <code>{e.action}</code> },
          { header: t('accounts.audit.actorCol'), cell: (e) => e.actor ?? t('accounts.audit.system') },
        ]}
      />
      <p>
        <Link to={`/admin/audit?entityType=user&entityId=${a.id}`}>{t('accounts.detail.allEntries')}</Link> ·{' '}
        <Link to={`/admin/audit?actorId=${a.id}`}>{t('accounts.detail.byThisUser')}</Link>
      </p>
    </section>
  );
}
